/*
 * Round-robin scheduler.  A guest runs until its time slice ends (host
 * timer tick), it yields, waits (WFI/WFE: with no virtual interrupt sources
 * yet, waiting is a yield) or leaves.  When no guest is left the monitor
 * reports and ends.
 */
#include "sched.h"
#include "guest.h"
#include "vfp.h"
#include "hv.h"
#include "../mm/shadow.h"
#include "virq.h"
#include "srfa.h"
#include <arch/mmu-defs.h>

struct vcpu *current;

/* The VM configuration's slice (slice_ms, default 20) in host ticks. */
static uint32_t sched_slice_ticks(void)
{
    uint32_t t = (vm_slice_ms * SCHED_HZ + 999) / 1000;
    return t ? t : 1;
}
static bool need_resched;

void sched_yield(struct vcpu *v, enum vcpu_state st)
{
    v->state = st;
    need_resched = true;
}

void sched_tick(void)
{
    if (current && current->slice_left && --current->slice_left == 0)
        need_resched = true;
}

void sched_remove(struct vcpu *v)
{
    need_resched = true;
    vfp_guest_gone(v);
}

static bool runnable(struct vcpu *v)
{
    return v->state == VCPU_READY || v->state == VCPU_RUNNING ||
           (v->state == VCPU_WFI && virq_wake(v));
}

static bool waiting(void)
{
    for (unsigned i = 0; i < nguests; i++)
        if (guests[i].vcpu.state == VCPU_WFI || guests[i].vcpu.state == VCPU_PAUSED)
            return true;
    return false;
}

static void switch_to(struct vcpu *next)
{
    struct vcpu *prev = current;

    if (prev && prev != next)
        prev->cp15.tpidrurw = arch_get_tpidrurw();
    if (prev != next) {
        shadow_activate(next);
        vtimer_privilege_changed(next);
        arch_set_tls(next->cp15.tpidrurw, next->cp15.tpidruro);
        arch_set_alignment_check(next->cp15.sctlr & SCTLR_A);
        if (prev)
            prev->stats[TS_RESCHED]++;
    }
    current = next;
    vfp_update_access(next);
    next->state = VCPU_RUNNING;
    next->slice_left = sched_slice_ticks();
}

void hv_finish(void) __attribute__((noreturn));

/* The loop of sched_next(): who runs when the current vCPU cannot simply
 * go on. */
static struct vcpu *pick_next(void)
{
    struct vcpu *next = NULL;
    unsigned start = current ? (unsigned)current->guest->id + 1 : 0;

    for (;;) {
        if (current && runnable(current) && !need_resched)
            next = current;
        for (unsigned k = 0; !next && k < nguests; k++) {
            struct vcpu *v = &guests[(start + k) % nguests].vcpu;
            if (runnable(v))
                next = v;
        }
        need_resched = false;
        if (next)
            break;
        if (!waiting())
            hv_finish();
        /* Every guest waits for an interrupt: idle until a host one. */
        arch_wait_for_interrupt();
    }
    if (next != current || next->state != VCPU_RUNNING)
        switch_to(next);
    else if (!next->slice_left)
        next->slice_left = sched_slice_ticks();   /* nobody else could run: a new slice */
    return next;
}

struct arm_regs *sched_next(void)
{
    struct vcpu *next = current;

    /* Most traps end with the running vCPU going on: no search. */
    if (!next || need_resched || next->state != VCPU_RUNNING || !next->slice_left)
        next = pick_next();
    virq_deliver(next);
    srfa_publish(next);
    vcpu_sanitize_frame(next);
    return &next->regs;
}

/*
 * What sched_next() would do for such a handler is nothing but republishing
 * the SRFA's VCPSR word (flags "as of the last trap"; CPS changed A/I/F): the
 * vCPU keeps running, no interrupt is deliverable (the vGIC was not touched,
 * and CPSR.I only changed through the SRFA page, which srfa_sync_in() read,
 * or by the handler) and the other words stay what they are.  That still
 * has to be checked, along with the page's protection (read-only exactly
 * while an interrupt is signalled and masked, srfa_publish(); CPSID, or the
 * one store srfa_store_fault() let through, can leave it otherwise).
 * srfa_dirty is 0 here: the last return to the guest published everything
 * and such handlers do not reset the vCPU.
 */
struct arm_regs *sched_resume(struct vcpu *v)
{
    struct guest *g = v->guest;
    bool masked = v->vcpsr & PSR_I;

    if (__builtin_expect(need_resched || v->state != VCPU_RUNNING || g->virq_dirty ||
                         (g->virq_signalled && !masked), 0))
        return sched_next();
    if (v->srfa) {
        if (__builtin_expect(g->mm.srfa_ro != (g->virq_signalled && masked), 0))
            return sched_next();
        /* vcpu_cpsr(), shorter: the frame is what the CPU saved in User mode
         * (mode 0x10, whose bits every mode has; A, I, F, J clear). */
        v->srfa[PV_SRFA_VCPSR / 4] = v->regs.cpsr | v->vcpsr;
    }
    return &v->regs;
}
