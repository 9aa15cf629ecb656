/*
 * Virtual interrupts: each guest's vGIC, the lines of its devices (core/vdev.h,
 * core/vtimer.h), and delivery of the IRQ exception to the vCPU.
 */
#ifndef CORE_VIRQ_H
#define CORE_VIRQ_H

#include <stdint.h>
#include <stdbool.h>
#include "vtimer.h"

struct guest;
struct vcpu;
struct cp_insn;

int virq_attach(struct guest *g);
void virq_reset(struct guest *g);
/* Bring the guest's device lines up to date (timers) and, if an interrupt
 * is signalled and the vCPU's CPSR.I is clear, take the IRQ exception. */
void virq_deliver(struct vcpu *v);
/* Whether a vCPU waiting in WFI should run again. */
bool virq_wake(struct vcpu *v);
/* Re-program the host deadline for the earliest guest timer. */
void virq_program_deadline(void);
/* Host deadline interrupt. */
void virq_deadline_irq(void);
/* Assigned devices' interrupts (assign=...:IRQ): start routing g's. */
void virq_assign_irq_start(struct guest *g);
/* A host interrupt no monitor device claimed: true if it is an assigned
 * device's, now forwarded to its guest. */
bool virq_assigned_irq(unsigned id);

#endif
