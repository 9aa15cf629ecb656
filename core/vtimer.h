/*
 * The virtual generic timer (core/vtimer.c): CP15 c14 registers, the
 * timers' PPIs, the host deadline on boards with a generic timer.
 */
#ifndef CORE_VTIMER_H
#define CORE_VTIMER_H

#include <stdint.h>
#include <stdbool.h>

struct guest;
struct vcpu;
struct cp_insn;

/* Generic-timer PPIs (as on qemu-virt). */
#define VTIMER_PHYS_PPI 30
#define VTIMER_VIRT_PPI 27

struct vtimer {
    uint32_t ctl;           /* ENABLE, IMASK (ISTATUS computed) */
    uint64_t cval;
};

/* The board gives guests a generic timer. */
bool vtimer_available(void);
/* Power-on state of the guest's CNTP/CNTV timers and CNTKCTL. */
void vtimer_reset(struct guest *g);
/* Drive the timers' PPIs into the guest's vGIC. */
void vtimer_update_lines(struct guest *g);
/* The host deadline: the earliest unmasked CNTP/CNTV of a live guest. */
void vtimer_program_deadline(void);

/* Generic timer CP15 (c14) accesses; returns an emu_result. */
int vtimer_cp15(struct vcpu *v, const struct cp_insn *i, uint32_t insn_addr);
void vtimer_privilege_changed(struct vcpu *v);

#endif
