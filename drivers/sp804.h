/* ARM Dual-Timer (SP804) host driver (ARM DDI 0271). */
#ifndef DRIVERS_SP804_H
#define DRIVERS_SP804_H
#include <stdint.h>
void sp804_init(volatile void *base, uint32_t clk_hz);
/* Timer 2 runs free as a time source. */
uint64_t sp804_time_ns(void);
/* Timer 1 as a periodic tick (alternative to the A9 private timer). */
void sp804_tick_start(uint32_t hz);
void sp804_tick_ack(void);
/* Timer 1 as a one-shot: interrupt after delay_ns (0: off). */
void sp804_oneshot(uint64_t delay_ns);
void sp804_oneshot_ack(void);
/* Timer 1 of a second SP804 module as a periodic tick (no driver state). */
void sp804_periodic_start(volatile void *base, uint32_t clk_hz, uint32_t hz);
void sp804_periodic_ack(volatile void *base);
#endif
