#ifndef ARCH_GTIMER_H
#define ARCH_GTIMER_H
#include <stdint.h>
void gtimer_init(void);
void gtimer_tick_start(uint32_t hz);
void gtimer_tick_ack(void);
uint64_t gtimer_time_ns(void);
#endif
