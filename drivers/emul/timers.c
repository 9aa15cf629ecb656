/*
 * SP804 dual timer (ARM DDI 0271) and Cortex-A9 private timer (Cortex-A9
 * MPCore TRM r2p2, 4.1) models.
 *
 * Each counter is described by (value at t0, t0); its current value and the
 * number of times it reached zero follow from the monitor's clock, so a
 * timer keeps running while its guest is descheduled and an expiry in that
 * time is pending when the guest runs again.
 */
#include "timers.h"

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

static uint64_t sp_ticks(const struct vsp804 *s, const struct sp804_timer *t, uint64_t now)
{
    return (now - t->t0) * (s->clk_hz / sp_div(t)) / 1000000000ull;
}

static uint32_t sp_max(const struct sp804_timer *t)
{
    return (t->ctrl & SP_32BIT) ? 0xFFFFFFFFu : 0xFFFFu;
}

/* Advance the counter to `now`: wraps, reloads, one-shot stop, RIS. */
static void sp_sync(struct vsp804 *s, struct sp804_timer *t, uint64_t now)
{
    uint64_t ticks, period, v = t->value0 & sp_max(t);

    if (!(t->ctrl & SP_EN)) {
        t->t0 = now;
        return;
    }
    ticks = sp_ticks(s, t, now);
    if (!ticks)
        return;                                      /* nothing happened yet */
    if (ticks < v) {
        t->value0 = (uint32_t)(v - ticks);
    } else {
        /* Reached zero at tick v (interrupt), reloads on the next tick. */
        t->ris = true;
        if (t->ctrl & SP_ONESHOT) {
            t->value0 = 0;
            t->ctrl &= ~SP_EN;                       /* one-shot: halts */
        } else if (ticks == v) {
            t->value0 = 0;
        } else {
            uint32_t reload = (t->ctrl & SP_PERIODIC) ? t->load : sp_max(t);
            period = (uint64_t)reload + 1;
            t->value0 = (uint32_t)(reload - ((ticks - v - 1) % period));
        }
    }
    /* t0 advances by the ticks consumed, keeping the fractional part. */
    t->t0 += ticks * 1000000000ull / (s->clk_hz / sp_div(t));
}

void vsp804_reset(struct vsp804 *s, uint32_t clk_hz, uint64_t (*now)(void))
{
    *s = (struct vsp804){ .clk_hz = clk_hz, .now = now };
    for (int i = 0; i < 2; i++) {
        s->t[i].ctrl = SP_IE;                        /* reset value 0x20 */
        s->t[i].value0 = 0xFFFFFFFFu;
        s->t[i].load = 0;
        s->t[i].t0 = now();
    }
}

uint32_t vsp804_read(void *dev, uint32_t off, unsigned size)
{
    struct vsp804 *s = dev;
    struct sp804_timer *t;

    if (size != 4 || off >= 0x40)
        return off == 0xFE0 ? 0x04 : off == 0xFE4 ? 0x18 : off == 0xFE8 ? 0x14 :
               off == 0xFF0 ? 0x0D : off == 0xFF4 ? 0xF0 : off == 0xFF8 ? 0x05 :
               off == 0xFFC ? 0xB1 : 0;
    t = &s->t[off / 0x20];
    sp_sync(s, t, s->now());
    switch (off % 0x20) {
    case SP_LOAD:   return t->load;
    case SP_VALUE:  return t->value0 & sp_max(t);
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

    if (size != 4 || off >= 0x40)
        return;
    t = &s->t[off / 0x20];
    sp_sync(s, t, now);
    switch (off % 0x20) {
    case SP_LOAD:                                    /* also restarts the count */
        t->load = val;
        t->value0 = val;
        t->t0 = now;
        break;
    case SP_BGLOAD:
        t->load = val;
        break;
    case SP_CTRL:
        if ((val & SP_EN) && !(t->ctrl & SP_EN))
            t->t0 = now;
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
        if (!(t->ctrl & SP_EN) || !(t->ctrl & SP_IE) || t->ris)
            continue;
        uint64_t ns = t->t0 + (uint64_t)(t->value0 & sp_max(t)) * 1000000000ull /
                              (s->clk_hz / sp_div(t));
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

static uint32_t pt_rate(const struct va9timer *t)
{
    return t->clk_hz / (((t->ctrl >> 8) & 0xFF) + 1);
}

static void pt_sync(struct va9timer *t, uint64_t now)
{
    uint64_t ticks, v = t->value0;

    if (!(t->ctrl & PT_EN)) {
        t->t0 = now;
        return;
    }
    ticks = (now - t->t0) * pt_rate(t) / 1000000000ull;
    if (!ticks)
        return;
    if (ticks < v) {
        t->value0 = (uint32_t)(v - ticks);
    } else if (v == 0 && !(t->ctrl & PT_AUTO)) {
        /* stopped at zero: the event was counted when it got there */
    } else {
        /* Reached zero at tick v (event), reloads on the next tick. */
        t->event = true;
        if ((t->ctrl & PT_AUTO) && ticks > v) {
            uint64_t period = (uint64_t)t->load + 1;
            t->value0 = (uint32_t)(t->load - ((ticks - v - 1) % period));
        } else {
            t->value0 = 0;
        }
    }
    t->t0 += ticks * 1000000000ull / pt_rate(t);
}

void va9timer_reset(struct va9timer *t, uint32_t clk_hz, uint64_t (*now)(void))
{
    *t = (struct va9timer){ .clk_hz = clk_hz, .now = now, .t0 = now() };
}

uint32_t va9timer_read(void *dev, uint32_t off, unsigned size)
{
    struct va9timer *t = dev;

    if (size != 4)
        return 0;
    pt_sync(t, t->now());
    switch (off) {
    case PT_LOAD:    return t->load;
    case PT_COUNTER: return t->value0;
    case PT_CONTROL: return t->ctrl;
    case PT_ISR:     return t->event;
    default:         return 0;
    }
}

void va9timer_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct va9timer *t = dev;
    uint64_t now = t->now();

    if (size != 4)
        return;
    pt_sync(t, now);
    switch (off) {
    case PT_LOAD:                                   /* writes the counter too (4.2.1) */
        t->load = val;
        t->value0 = val;
        t->t0 = now;
        break;
    case PT_COUNTER:
        t->value0 = val;
        t->t0 = now;
        break;
    case PT_CONTROL:
        if ((val & PT_EN) && !(t->ctrl & PT_EN))
            t->t0 = now;
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
    if (!(t->ctrl & PT_EN) || !(t->ctrl & PT_IT) || t->event)
        return ~0ull;
    if (!t->value0 && !(t->ctrl & PT_AUTO))
        return ~0ull;
    return t->t0 + (uint64_t)(t->value0 ? t->value0 : t->load + 1) * 1000000000ull / pt_rate(t);
}
