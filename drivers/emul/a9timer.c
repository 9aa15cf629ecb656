/*
 * Cortex-A9 private timer (Cortex-A9 MPCore TRM r2p2, 4.1) model; the
 * counting is dcount.h's.
 */
#include "a9timer.h"
#include "../../core/vdev.h"
#include "../../core/guest.h"
#include <hv/board.h>


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

/* ---- registry entry (core/vdev.h) -------------------------------------- */

static void a9t_reset(struct vdev *d) { va9timer_reset(d->state, VA9_PERIPHCLK_HZ, d->svc->now_ns); }
static uint32_t a9t_read(struct vdev *d, uint32_t off, unsigned size)
{
    return va9timer_read(d->state, off, size);
}
static void a9t_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    va9timer_write(d->state, off, size, val);
}
static bool a9t_line(struct vdev *d) { return va9timer_line(d->state); }
static uint64_t a9t_next_event(struct vdev *d) { return va9timer_next_event(d->state); }

/* Placed by the board's table (board.c: { "a9timer", base, irq }); its
 * interrupt is a PPI, clocked by the board's periphclk (BOARD_DT_CLOCKS). */
VDEV_TYPE(vdev_a9timer) = {
    .name = "a9-timer", .vm_name = "a9timer",
    .dt_node = "/* Cortex-A9 private timer, PPI %IRQ%; clocked by PERIPHCLK. */\n"
               "timer@%ADDR% {\n"
               "\tcompatible = \"arm,cortex-a9-twd-timer\";\n"
               "\treg = <%BASE% %SIZE%>;\n"
               "\tinterrupts = <1 %PPI% 0xf04>;\n"
               "\tclocks = <&periphclk>;\n"
               "};\n",
    .mmio_size = 0x20, .state_size = sizeof(struct va9timer),
    .reset = a9t_reset, .read = a9t_read, .write = a9t_write,
    .line = a9t_line, .next_event = a9t_next_event,
};
