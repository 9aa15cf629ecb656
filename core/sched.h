/* Round-robin scheduling of guest vCPUs on the host tick. */
#ifndef CORE_SCHED_H
#define CORE_SCHED_H
#include "vcpu.h"

#define SCHED_HZ            100

extern struct vcpu *current;
/* Give up the CPU; the vCPU stays runnable (READY) or waits (WFI). */
void sched_yield(struct vcpu *v, enum vcpu_state st);
void sched_tick(void);
/* The vCPU can no longer run (exited or stopped). */
void sched_remove(struct vcpu *v);
/* Pick what runs next and prepare the hardware for it; returns its frame. */
struct arm_regs *sched_next(void);
/* After a trap of `v` (the current vCPU) whose handler changed neither the
 * virtual mode nor anything interrupts or scheduling depend on, unless it
 * said so through the state sched_next() looks at: back into `v` with
 * only what such a handler can have changed made visible; otherwise
 * sched_next(). */
struct arm_regs *sched_resume(struct vcpu *v);
#endif
