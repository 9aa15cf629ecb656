/* Round-robin scheduling of guest vCPUs on the host tick. */
#ifndef CORE_SCHED_H
#define CORE_SCHED_H
#include "vcpu.h"
#include "guest.h"

#define SCHED_HZ            100

extern struct vcpu *current;
/* Give up the CPU; the vCPU stays runnable (READY) or waits (WFI). */
void sched_yield(struct vcpu *v, enum vcpu_state st);
void sched_tick(void);
/* The vCPU can no longer run (exited or stopped). */
void sched_remove(struct vcpu *v);
/* Pick what runs next and prepare the hardware for it; returns its frame. */
struct arm_regs *sched_next(void);
/* The end of sched_next() for `v`, the running vCPU that goes on: a
 * deliverable interrupt taken, the SRFA published, the frame made safe. */
struct arm_regs *sched_enter(struct vcpu *v);
extern bool sched_need_resched;        /* someone else's turn (time slice, yield) */

/*
 * LEAN_TRAP: back into `v` (the current vCPU) after a trap whose handler
 * changed neither the virtual mode nor the vGIC, only registers, CPSR A/I/F
 * (CPS) or the scheduling state sched_next() looks at.  What sched_next()
 * would do then is nothing but republishing the SRFA's VCPSR word (flags
 * "as of the last trap"; CPS changed A/I/F), unless the handler asked for
 * the scheduler, unmasked a signalled interrupt, or the page's protection
 * (read-only exactly while an interrupt is signalled and masked:
 * srfa_publish()) no longer fits: after CPSID, or the one store
 * srfa_store_fault() let through.  srfa_dirty is 0 here: the last return to
 * the guest published everything and such handlers do not reset the vCPU.
 * Inline: it is most of what a lean trap costs.
 */
static inline struct arm_regs *sched_resume(struct vcpu *v)
{
    const struct guest *g = v->guest;
    bool masked = v->vcpsr & PSR_I;

    if (__builtin_expect(sched_need_resched || v->state != VCPU_RUNNING || g->virq_dirty, 0))
        return sched_next();
    if (__builtin_expect(g->virq_signalled && !masked, 0))
        return sched_enter(v);          /* CPSIE: the interrupt right away */
    if (v->srfa) {
        if (__builtin_expect(g->mm.srfa_ro != (g->virq_signalled && masked), 0))
            return sched_enter(v);
        /* vcpu_cpsr(), shorter: the frame is what the CPU saved in User mode
         * (mode 0x10, whose bits every mode has; A, I, F, J clear). */
        v->srfa[PV_SRFA_VCPSR / 4] = v->regs.cpsr | v->vcpsr;
    }
    return &v->regs;
}
#endif
