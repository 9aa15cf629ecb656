/* Cortex-A9 MPCore global timer (Cortex-A9 MPCore TRM, 4.3): the monitor's
 * time source and one-shot deadline interrupt (PPI 27). */
#ifndef DRIVERS_A9GTIMER_H
#define DRIVERS_A9GTIMER_H
#include <stdint.h>
void a9gtimer_init(volatile void *base, uint32_t periphclk_hz);
uint64_t a9gtimer_time_ns(void);
/* Interrupt at monitor time `ns` (~0: none). */
void a9gtimer_deadline(uint64_t ns);
void a9gtimer_deadline_ack(void);
#endif
