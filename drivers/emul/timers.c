/*
 * SP804 dual timer (ARM DDI 0271) and Cortex-A9 private timer (Cortex-A9
 * MPCore TRM r2p2, 4.1) models.
 *
 * A counter is described from a fixed origin (its value at t0) and the
 * monitor's clock, so it keeps running while its guest is descheduled and an
 * expiry in that time is pending when the guest runs again.  Tick k happens
 * at t0 + ceil(k * div * 1e9 / clk) ns, computed exactly (no 64-bit
 * overflow for any pause, no drift from repeated reads).  Counting down from
 * v0: zero at tick v0, then the reload value one tick later, and zero again
 * every reload+1 ticks; a one-shot counter halts at zero.
 */
#include "timers.h"

#define NS 1000000000ull

/* floor(el_ns * clk / (div * 1e9)) */
static uint64_t ticks_in(uint64_t el_ns, uint32_t clk, uint32_t div)
{
    uint64_t q = el_ns / NS, r = el_ns % NS, a = q * clk;
    return a / div + ((a % div) * NS + r * clk) / (div * NS);
}

/* ceil(k * div * 1e9 / clk): the ns offset of tick k */
static uint64_t ns_of_tick(uint64_t k, uint32_t clk, uint32_t div)
{
    uint64_t m = k * div;
    return (m / clk) * NS + ((m % clk) * NS + clk - 1) / clk;
}

static uint64_t zeros_by(uint64_t k, uint32_t v0, uint32_t reload, bool halts)
{
    if (k < v0)
        return 0;
    return halts ? 1 : 1 + (k - v0) / ((uint64_t)reload + 1);
}

static uint32_t value_at(uint64_t k, uint32_t v0, uint32_t reload, bool halts)
{
    if (k < v0)
        return (uint32_t)(v0 - k);
    if (halts || k == v0)
        return 0;
    return (uint32_t)(reload - (k - v0 - 1) % ((uint64_t)reload + 1));
}

/* Restart a counter at `now` from value v (Load writes, enabling). */
static void restart(struct dcount *c, uint32_t v, uint64_t now)
{
    c->value0 = v;
    c->t0 = now;
    c->zeros_seen = 0;
}

/* Re-base a running counter at `now` (before its rate or mode changes). */
static void rebase(struct dcount *c, uint32_t value, uint64_t now, bool zero_counted)
{
    c->value0 = value;
    c->t0 = now;
    /* A counter sitting at zero whose zero was already counted must not count
     * it again: its next zero is a whole period away. */
    c->zeros_seen = (value == 0 && zero_counted) ? 1 : 0;
}

/* ---- SP804 ------------------------------------------------------------ */

#define SP_LOAD     0x00
#define SP_VALUE    0x04
#define SP_CTRL     0x08
#define SP_INTCLR   0x0C
#define SP_RIS      0x10
#define SP_MIS      0x14
#define SP_BGLOAD   0x18
#define SP_EN       (1u << 7)
#define SP_PERIODIC (1u << 6)
#define SP_IE       (1u << 5)
#define SP_32BIT    (1u << 1)
#define SP_ONESHOT  (1u << 0)

static uint32_t sp_div(const struct sp804_timer *t)
{
    static const uint32_t div[4] = { 1, 16, 256, 256 };     /* prescale 11: undefined, as 10 */
    return div[(t->ctrl >> 2) & 3];
}

static uint32_t sp_max(const struct sp804_timer *t)
{
    return (t->ctrl & SP_32BIT) ? 0xFFFFFFFFu : 0xFFFFu;
}

static uint32_t sp_reload(const struct sp804_timer *t)
{
    return (t->ctrl & SP_PERIODIC) ? (t->load & sp_max(t)) : sp_max(t);
}

/* Account for zeros reached up to `now`; returns the current value. */
static uint32_t sp_sync(struct vsp804 *s, struct sp804_timer *t, uint64_t now)
{
    uint64_t k, z;
    bool halts = t->ctrl & SP_ONESHOT;

    if (!(t->ctrl & SP_EN))
        return t->c.value0;             /* masked to the counter size when read */
    k = ticks_in(now - t->c.t0, s->clk_hz, sp_div(t));
    z = zeros_by(k, t->c.value0 & sp_max(t), sp_reload(t), halts);
    if (z > t->c.zeros_seen) {
        t->ris = true;
        t->c.zeros_seen = z;
    }
    return value_at(k, t->c.value0 & sp_max(t), sp_reload(t), halts);
}

void vsp804_reset(struct vsp804 *s, uint32_t clk_hz, uint64_t (*now)(void))
{
    *s = (struct vsp804){ .clk_hz = clk_hz, .now = now };
    for (int i = 0; i < 2; i++) {
        s->t[i].ctrl = SP_IE;                        /* reset value 0x20 */
        restart(&s->t[i].c, 0xFFFFFFFFu, now());
    }
}

uint32_t vsp804_read(void *dev, uint32_t off, unsigned size)
{
    static const uint8_t ids[8] = { 0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    struct vsp804 *s = dev;
    struct sp804_timer *t;
    uint32_t value;

    if (size != 4)
        return 0;
    if (off >= 0xFE0 && off < 0x1000)
        return ids[(off - 0xFE0) / 4];
    if (off >= 0x40)
        return 0;
    t = &s->t[off / 0x20];
    value = sp_sync(s, t, s->now());
    switch (off % 0x20) {
    case SP_LOAD:   return t->load;
    case SP_VALUE:  return value & sp_max(t);
    case SP_CTRL:   return t->ctrl;
    case SP_RIS:    return t->ris;
    case SP_MIS:    return t->ris && (t->ctrl & SP_IE);
    case SP_BGLOAD: return t->load;
    default:        return 0;
    }
}

void vsp804_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vsp804 *s = dev;
    struct sp804_timer *t;
    uint64_t now = s->now();
    uint32_t value;
    bool at_zero_counted;

    if (size != 4 || off >= 0x40)
        return;
    t = &s->t[off / 0x20];
    value = sp_sync(s, t, now);
    at_zero_counted = value == 0 && t->c.zeros_seen > 0;
    switch (off % 0x20) {
    case SP_LOAD:                                    /* also restarts the count */
        t->load = val;
        restart(&t->c, val, now);
        break;
    case SP_BGLOAD:                                  /* next reload only */
        rebase(&t->c, value, now, at_zero_counted);
        t->load = val;
        break;
    case SP_CTRL:
        if ((val & SP_EN) && !(t->ctrl & SP_EN))
            rebase(&t->c, value, now, false);
        else
            rebase(&t->c, value, now, at_zero_counted);
        t->ctrl = val & 0xEF;
        break;
    case SP_INTCLR:
        t->ris = false;
        break;
    default:
        break;
    }
}

bool vsp804_line(struct vsp804 *s)
{
    bool on = false;
    for (int i = 0; i < 2; i++) {
        sp_sync(s, &s->t[i], s->now());
        on |= s->t[i].ris && (s->t[i].ctrl & SP_IE);
    }
    return on;
}

uint64_t vsp804_next_event(struct vsp804 *s)
{
    uint64_t best = ~0ull;

    for (int i = 0; i < 2; i++) {
        struct sp804_timer *t = &s->t[i];
        uint32_t v0 = t->c.value0 & sp_max(t);
        uint64_t k, ns;
        bool halts = t->ctrl & SP_ONESHOT;
        if (!(t->ctrl & SP_EN) || !(t->ctrl & SP_IE) || t->ris)
            continue;
        if (halts && t->c.zeros_seen)
            continue;
        /* tick of zero number zeros_seen + 1 */
        k = t->c.zeros_seen == 0 ? v0 : v0 + t->c.zeros_seen * ((uint64_t)sp_reload(t) + 1);
        ns = t->c.t0 + ns_of_tick(k, s->clk_hz, sp_div(t));
        if (ns < best)
            best = ns;
    }
    return best;
}

/* ---- Cortex-A9 private timer ------------------------------------------- */

#define PT_LOAD     0x00
#define PT_COUNTER  0x04
#define PT_CONTROL  0x08
#define PT_ISR      0x0C
#define PT_EN       1u
#define PT_AUTO     2u
#define PT_IT       4u

static uint32_t pt_div(const struct va9timer *t)
{
    return ((t->ctrl >> 8) & 0xFF) + 1;
}

static uint32_t pt_sync(struct va9timer *t, uint64_t now)
{
    uint64_t k, z;
    bool halts = !(t->ctrl & PT_AUTO);

    if (!(t->ctrl & PT_EN))
        return t->c.value0;
    k = ticks_in(now - t->c.t0, t->clk_hz, pt_div(t));
    z = zeros_by(k, t->c.value0, t->load, halts);
    if (z > t->c.zeros_seen) {
        t->event = true;
        t->c.zeros_seen = z;
    }
    return value_at(k, t->c.value0, t->load, halts);
}

void va9timer_reset(struct va9timer *t, uint32_t clk_hz, uint64_t (*now)(void))
{
    *t = (struct va9timer){ .clk_hz = clk_hz, .now = now };
    restart(&t->c, 0, now());
    t->c.zeros_seen = 1;                            /* stopped at zero, nothing pending */
}

uint32_t va9timer_read(void *dev, uint32_t off, unsigned size)
{
    struct va9timer *t = dev;
    uint32_t value;

    if (size != 4)
        return 0;
    value = pt_sync(t, t->now());
    switch (off) {
    case PT_LOAD:    return t->load;
    case PT_COUNTER: return value;
    case PT_CONTROL: return t->ctrl;
    case PT_ISR:     return t->event;
    default:         return 0;
    }
}

void va9timer_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct va9timer *t = dev;
    uint64_t now = t->now();
    uint32_t value;
    bool at_zero_counted;

    if (size != 4)
        return;
    value = pt_sync(t, now);
    at_zero_counted = value == 0 && t->c.zeros_seen > 0;
    switch (off) {
    case PT_LOAD:                                   /* writes the counter too (4.2.1) */
        t->load = val;
        restart(&t->c, val, now);
        break;
    case PT_COUNTER:
        restart(&t->c, val, now);
        break;
    case PT_CONTROL:
        if ((val & PT_EN) && !(t->ctrl & PT_EN))
            rebase(&t->c, value, now, false);
        else
            rebase(&t->c, value, now, at_zero_counted);
        t->ctrl = val & 0xFF07;
        break;
    case PT_ISR:
        if (val & 1)
            t->event = false;
        break;
    }
}

bool va9timer_line(struct va9timer *t)
{
    pt_sync(t, t->now());
    return t->event && (t->ctrl & PT_IT);
}

uint64_t va9timer_next_event(struct va9timer *t)
{
    uint64_t k;

    if (!(t->ctrl & PT_EN) || !(t->ctrl & PT_IT) || t->event)
        return ~0ull;
    if (!(t->ctrl & PT_AUTO) && t->c.zeros_seen)
        return ~0ull;
    k = t->c.zeros_seen == 0 ? t->c.value0
                             : t->c.value0 + t->c.zeros_seen * ((uint64_t)t->load + 1);
    return t->c.t0 + ns_of_tick(k, t->clk_hz, pt_div(t));
}
