/*
 * SP804 dual timer (ARM DDI 0271): timer 2 free-running 32-bit down counter
 * as the time source (extended to 64 bits in software), timer 1 as a
 * one-shot or a tick.  A second SP804 module can serve as a tick of its
 * own (sp804_periodic_*: boards without a CPU-private timer, e.g. the
 * RealView PB-A8).
 */
#include "sp804.h"

#define T1  0x00
#define T2  0x20
#define LOAD    0x00
#define VALUE   0x04
#define CTRL    0x08
#define INTCLR  0x0C
#define CTRL_EN       (1 << 7)
#define CTRL_PERIODIC (1 << 6)
#define CTRL_IE       (1 << 5)
#define CTRL_32BIT    (1 << 1)

static volatile uint8_t *sp;
static uint32_t clk;
static uint32_t last;
static uint64_t acc;

static inline volatile uint32_t *r(unsigned off) { return (volatile uint32_t *)(sp + off); }

void sp804_init(volatile void *base, uint32_t clk_hz)
{
    sp = base;
    clk = clk_hz;
    *r(T1 + CTRL) = 0;
    *r(T2 + CTRL) = 0;
    *r(T2 + LOAD) = 0xFFFFFFFF;
    *r(T2 + CTRL) = CTRL_EN | CTRL_32BIT;           /* free running, no IRQ */
    last = *r(T2 + VALUE);
}

uint64_t sp804_time_ns(void)
{
    uint32_t now = *r(T2 + VALUE);

    acc += (uint32_t)(last - now);                  /* counts down */
    last = now;
    return acc / clk * 1000000000ull + (acc % clk) * 1000000000ull / clk;
}

void sp804_tick_start(uint32_t hz)
{
    *r(T1 + LOAD) = clk / hz;
    *r(T1 + CTRL) = CTRL_EN | CTRL_PERIODIC | CTRL_IE | CTRL_32BIT;
}

void sp804_tick_ack(void)
{
    *r(T1 + INTCLR) = 1;
}

void sp804_oneshot(uint64_t delay_ns)
{
    uint64_t ticks = delay_ns * clk / 1000000000ull;

    *r(T1 + CTRL) = 0;
    *r(T1 + INTCLR) = 1;
    if (!delay_ns)
        return;
    *r(T1 + LOAD) = ticks ? (ticks > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)ticks) : 1;
    *r(T1 + CTRL) = CTRL_EN | CTRL_IE | CTRL_32BIT | 1;     /* one-shot */
}

void sp804_oneshot_ack(void)
{
    *r(T1 + INTCLR) = 1;
}

/* Timer 1 of another SP804 module (not the one given to sp804_init) as a
 * periodic interrupt: these keep no state. */
void sp804_periodic_start(volatile void *base, uint32_t clk_hz, uint32_t hz)
{
    volatile uint32_t *t1 = (volatile uint32_t *)base;

    t1[CTRL / 4] = 0;
    t1[INTCLR / 4] = 1;
    t1[LOAD / 4] = clk_hz / hz;
    t1[CTRL / 4] = CTRL_EN | CTRL_PERIODIC | CTRL_IE | CTRL_32BIT;
}

void sp804_periodic_ack(volatile void *base)
{
    ((volatile uint32_t *)base)[INTCLR / 4] = 1;
}
