/*
 * Cortex-A9 private timer: periodic auto-reload tick on PPI 29.
 */
#include "a9ptimer.h"

#define LOAD    0x00
#define COUNTER 0x04
#define CONTROL 0x08
#define ISR     0x0C
#define CTL_EN      (1 << 0)
#define CTL_AUTO    (1 << 1)
#define CTL_IRQ     (1 << 2)

static volatile uint8_t *pt;
static uint32_t clk;

static inline volatile uint32_t *r(unsigned off) { return (volatile uint32_t *)(pt + off); }

void a9ptimer_init(volatile void *base, uint32_t periphclk_hz)
{
    pt = base;
    clk = periphclk_hz;
    *r(CONTROL) = 0;
    *r(ISR) = 1;
}

void a9ptimer_tick_start(uint32_t hz)
{
    *r(LOAD) = clk / hz - 1;
    *r(CONTROL) = CTL_EN | CTL_AUTO | CTL_IRQ;      /* prescaler 0 */
}

void a9ptimer_tick_ack(void)
{
    *r(ISR) = 1;                                    /* write 1 to clear the event flag */
}
