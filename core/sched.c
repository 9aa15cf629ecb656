/*
 * Round-robin scheduler.  A guest runs until its time slice ends (host
 * timer tick), it yields, waits (WFI/WFE: with no virtual interrupt sources
 * yet, waiting is a yield) or leaves.  When no guest is left the monitor
 * reports and ends.
 *
 * Time is charged, not counted in ticks (issue 15 item 3): everything from
 * one charge point to the next (a tick, a scheduling decision) is the
 * current vCPU's, its trap handling by the monitor included, however long
 * interrupts stayed masked (a PSCI SYSTEM_RESET clears and reloads the
 * guest's RAM that way).  Each turn adds one slice to the vCPU's credit
 * (deficit round robin): one that overspent sits out turns until the
 * others had as much, and a reset starts no fresh slice.
 */
#include "sched.h"
#include "guest.h"
#include "vfp.h"
#include "hv.h"
#include "../mm/shadow.h"
#include "virq.h"
#include "srfa.h"
#include <arch/mmu-defs.h>
#include <hv/board.h>

struct vcpu *current;

/* The VM configuration's slice (slice_ms, default 20) in whole host ticks. */
static int64_t sched_slice_ns(void)
{
    uint32_t t = (vm_slice_ms * SCHED_HZ + 999) / 1000;
    return (int64_t)(t ? t : 1) * (1000000000 / SCHED_HZ);
}
bool sched_need_resched;           /* sched.h */

static uint64_t charged_until;     /* board_time_ns() up to which time is charged */
static bool idle;                  /* no vCPU runs: time is nobody's */

/* The time since the last charge point is the current vCPU's. */
static void charge(void)
{
    uint64_t now = board_time_ns();

    if (current && !idle)
        current->credit_ns -= (int64_t)(now - charged_until);
    charged_until = now;
}

void sched_yield(struct vcpu *v, enum vcpu_state st)
{
    v->state = st;
    sched_need_resched = true;
}

void sched_tick(void)
{
    if (!current || idle)
        return;
    charge();
    if (current->credit_ns <= 0) {
        current->slice_left = 0;
        sched_need_resched = true;
    }
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
}

void hv_finish(void) __attribute__((noreturn));

/* The loop of sched_next(): who runs when the current vCPU cannot simply
 * go on.  Round robin from the one after the current; a vCPU's turn adds a
 * slice to its credit, and one still in debt after that is passed over
 * (when nobody else can run, the passes repeat until it is not). */
static struct vcpu *pick_next(void)
{
    struct vcpu *next = NULL;
    unsigned start = current ? (unsigned)current->guest->id + 1 : 0;
    int64_t slice = sched_slice_ns();

    charge();
    for (;;) {
        if (current && runnable(current) && !sched_need_resched && current->credit_ns > 0)
            next = current;
        for (bool any = true; !next && any;) {
            any = false;
            for (unsigned k = 0; !next && k < nguests; k++) {
                struct vcpu *v = &guests[(start + k) % nguests].vcpu;
                if (!runnable(v))
                    continue;
                any = true;
                if (v->credit_ns <= 0)
                    v->credit_ns += slice;
                if (v->credit_ns > 0)
                    next = v;
            }
        }
        sched_need_resched = false;
        if (next)
            break;
        if (!waiting())
            hv_finish();
        /* Every guest waits for an interrupt: idle until a host one.  The
         * time idle is nobody's. */
        idle = true;
        arch_wait_for_interrupt();
        charge();
        idle = false;
    }
    if (next != current || next->state != VCPU_RUNNING)
        switch_to(next);
    next->slice_left = 1;
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

