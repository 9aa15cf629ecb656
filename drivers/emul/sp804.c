/*
 * SP804 dual timer (ARM DDI 0271) model; the counting is dcount.h's.
 */
#include "sp804.h"
#include "../../core/vdev.h"
#include "../../core/guest.h"
#include <hv/board.h>


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

/* ---- registry entry (core/vdev.h) -------------------------------------- */

static void sp804_reset(struct vdev *d) { vsp804_reset(d->state, VSP804_CLK_HZ, d->svc->now_ns); }
static uint32_t sp804_read(struct vdev *d, uint32_t off, unsigned size)
{
    return vsp804_read(d->state, off, size);
}
static void sp804_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    vsp804_write(d->state, off, size, val);
}
static bool sp804_line(struct vdev *d) { return vsp804_line(d->state); }
static uint64_t sp804_next_event(struct vdev *d) { return vsp804_next_event(d->state); }

/* Placed by the board's table (board.c: { "sp804", base, irq }).  Device
 * tree: the binding arm,sp804 as QEMU's vexpress tree writes it; CLK (from
 * BOARD_DT_NODES) is the board's APB clock. */
VDEV_TYPE(vdev_sp804) = {
    .name = "sp804", .vm_name = "sp804",
    .dt_node = "timer@%ADDR% {\n"
               "\tcompatible = \"arm,sp804\", \"arm,primecell\";\n"
               "\treg = <%BASE% %SIZE%>;\n"
               "\tinterrupts = <0 %SPI% 4>;\t\t/* SPI %IRQ% */\n"
               "\tclocks = <&timclk>, <&timclk>, <&%CLK%>;\n"
               "\tclock-names = \"timclken1\", \"timclken2\", \"apb_pclk\";\n"
               "};\n",
    .mmio_size = 0x1000, .state_size = sizeof(struct vsp804),
    .reset = sp804_reset, .read = sp804_read, .write = sp804_write,
    .line = sp804_line, .next_event = sp804_next_event,
};
