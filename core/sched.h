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
 * changed nothing but registers, CPSR A/I/F and the guest's console output
 * (CPS, a CP15 read, HYPERCALLS_PURE).  What
 * sched_next() would do then is nothing but republishing the SRFA's VCPSR
 * word (flags "as of the last trap"; CPS changed A/I/F): at every lean trap
 * the vCPU was running on its slice with the vGIC looked at (virq_dirty
 * false: every path that sets it ends in sched_next(), and the lean handlers
 * do not), so only two things can need more: a signalled interrupt that is
 * no longer masked (CPSIE, or the guest's own store to VCPSR), and the
 * page's protection, which must be read-only exactly while an interrupt is
 * signalled and masked (srfa_publish(); after CPSID, or the one store
 * srfa_store_fault() let through, it is not).  srfa_dirty is 0: the last
 * return published everything and such handlers do not reset the vCPU.
 * Inline: it is most of what a lean trap costs.
 */
static inline struct arm_regs *sched_resume_pure(struct vcpu *v)
{
    const struct guest *g = v->guest;
    bool masked = v->vcpsr & PSR_I;

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

/* The same after a handler that may also have asked for the scheduler
 * (yield, exit) or touched the vGIC (a hypercall). */
static inline struct arm_regs *sched_resume(struct vcpu *v)
{
    if (__builtin_expect(sched_need_resched || v->state != VCPU_RUNNING ||
                         v->guest->virq_dirty, 0))
        return sched_next();
    return sched_resume_pure(v);
}
#endif
