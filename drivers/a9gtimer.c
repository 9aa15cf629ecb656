/*
 * Cortex-A9 MPCore global timer (ARM DDI 0407, Cortex-A9 MPCore Technical
 * Reference Manual, 4.3 "Global timer"): a 64-bit up-counter clocked by
 * PERIPHCLK, shared by the cores, with a per-core comparator that raises
 * PPI 27.  Register offsets: counter low 0x00 / high 0x04, control 0x08
 * (timer enable 0, comparator enable 1, IRQ enable 2, auto-increment 3,
 * prescaler [15:8]), interrupt status 0x0C (event flag, write 1 to clear),
 * comparator low 0x10 / high 0x14, auto-increment 0x18.
 *
 * The counter is left running if the boot loader started it (u-boot uses
 * it as its own timer on several A9 SoCs); its prescaler is then what the
 * boot loader chose, so the rate is read back from it.  The comparator is a
 * one-shot: armed at least 1 us in the future (so an "equal" comparison
 * cannot be missed), and disarmed when it fired.
 */
#include "a9gtimer.h"

#define CNT_LO  0x00
#define CNT_HI  0x04
#define CTRL    0x08
#define ISR     0x0C
#define CMP_LO  0x10
#define CMP_HI  0x14
#define CTRL_TIMER_EN   (1u << 0)
#define CTRL_COMP_EN    (1u << 1)
#define CTRL_IRQ_EN     (1u << 2)
#define CTRL_AUTOINC    (1u << 3)
#define CTRL_PRESCALER  (0xFFu << 8)

#define NS_PER_S 1000000000ull

static volatile uint8_t *gt;
static uint32_t hz;

static inline volatile uint32_t *r(unsigned off) { return (volatile uint32_t *)(gt + off); }

void a9gtimer_init(volatile void *base, uint32_t periphclk_hz)
{
    uint32_t ctrl;

    gt = base;
    ctrl = *r(CTRL);
    if (!(ctrl & CTRL_TIMER_EN)) {
        ctrl = CTRL_TIMER_EN;                       /* prescaler 0: PERIPHCLK */
        *r(CTRL) = ctrl;
    }
    hz = periphclk_hz / (((ctrl & CTRL_PRESCALER) >> 8) + 1);
    *r(CTRL) = ctrl & ~(CTRL_COMP_EN | CTRL_IRQ_EN | CTRL_AUTOINC);
    *r(ISR) = 1;
}

static uint64_t count(void)
{
    uint32_t hi, lo;

    do {                                            /* TRM 4.3: re-read the upper half */
        hi = *r(CNT_HI);
        lo = *r(CNT_LO);
    } while (*r(CNT_HI) != hi);
    return (uint64_t)hi << 32 | lo;
}

uint64_t a9gtimer_time_ns(void)
{
    uint64_t c = count();
    return c / hz * NS_PER_S + (c % hz) * NS_PER_S / hz;
}

void a9gtimer_deadline(uint64_t ns)
{
    uint32_t ctrl = *r(CTRL) & ~(CTRL_COMP_EN | CTRL_IRQ_EN | CTRL_AUTOINC);
    uint64_t at, min;

    *r(CTRL) = ctrl;
    *r(ISR) = 1;
    if (ns == ~0ull)
        return;
    at = ns / NS_PER_S * hz + (ns % NS_PER_S) * hz / NS_PER_S;
    min = count() + hz / 1000000 + 1;
    if (at < min)
        at = min;
    *r(CMP_LO) = (uint32_t)at;
    *r(CMP_HI) = (uint32_t)(at >> 32);
    *r(CTRL) = ctrl | CTRL_COMP_EN | CTRL_IRQ_EN;
}

void a9gtimer_deadline_ack(void)
{
    *r(CTRL) &= ~(CTRL_COMP_EN | CTRL_IRQ_EN);
    *r(ISR) = 1;
}
