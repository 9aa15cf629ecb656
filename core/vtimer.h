/*
 * The virtual generic timer (core/vtimer.c): CP15 c14 registers, the
 * timers' PPIs, the host deadline on boards with a generic timer.
 */
#ifndef CORE_VTIMER_H
#define CORE_VTIMER_H

#include <stdbool.h>

struct guest;

/* The board gives guests a generic timer. */
bool vtimer_available(void);
/* Power-on state of the guest's CNTP/CNTV timers and CNTKCTL. */
void vtimer_reset(struct guest *g);
/* Drive the timers' PPIs into the guest's vGIC. */
void vtimer_update_lines(struct guest *g);
/* The host deadline: the earliest unmasked CNTP/CNTV of a live guest. */
void vtimer_program_deadline(void);

#endif
