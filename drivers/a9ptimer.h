/* Cortex-A9 MPCore private timer (Cortex-A9 MPCore TRM, 4.1). */
#ifndef DRIVERS_A9PTIMER_H
#define DRIVERS_A9PTIMER_H
#include <stdint.h>
void a9ptimer_init(volatile void *base, uint32_t periphclk_hz);
void a9ptimer_tick_start(uint32_t hz);
void a9ptimer_tick_ack(void);
#endif
