#ifndef ARCH_GTIMER_H
#define ARCH_GTIMER_H
#include <stdint.h>
#include <stdbool.h>
void gtimer_init(void);
void gtimer_tick_start(uint32_t hz);
void gtimer_tick_ack(void);
uint64_t gtimer_time_ns(void);
/* For virtualizing the guests' generic timers (core/vtimer.c). */
uint64_t gtimer_count(void);                /* CNTPCT */
uint32_t gtimer_freq(void);                 /* CNTFRQ */
void gtimer_deadline(bool on, uint64_t cval);   /* host CNTV one-shot at cval */
void gtimer_set_pl0_access(uint32_t bits);  /* CNTKCTL PL0PCTEN/PL0VCTEN */
#endif
