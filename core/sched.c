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
bool sched_need_resched;           /* sched.h */

void sched_yield(struct vcpu *v, enum vcpu_state st)
{
    v->state = st;
    sched_need_resched = true;
}

void sched_tick(void)
{
    if (current && current->slice_left && --current->slice_left == 0)
        sched_need_resched = true;
}

void sched_remove(struct vcpu *v)
{
    sched_need_resched = true;
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
        if (current && runnable(current) && !sched_need_resched)
            next = current;
        for (unsigned k = 0; !next && k < nguests; k++) {
            struct vcpu *v = &guests[(start + k) % nguests].vcpu;
            if (runnable(v))
                next = v;
        }
        sched_need_resched = false;
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

/* The last steps before `v` runs: a deliverable interrupt taken, the SRFA
 * published, the frame made safe. */
struct arm_regs *sched_enter(struct vcpu *v)
{
    virq_deliver(v);
    srfa_publish(v);
    vcpu_sanitize_frame(v);
    return &v->regs;
}

struct arm_regs *sched_next(void)
{
    struct vcpu *next = current;

    /* Most traps end with the running vCPU going on: no search. */
    if (!next || sched_need_resched || next->state != VCPU_RUNNING || !next->slice_left)
        next = pick_next();
    return sched_enter(next);
}

