/*
 * Virtual interrupts: each guest's vGIC, the devices that drive its lines
 * (virtual timers, UART), and delivery of the IRQ exception to the vCPU.
 */
#ifndef CORE_VIRQ_H
#define CORE_VIRQ_H

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

/* Generic timer CP15 (c14) accesses; returns an emu_result. */
int vtimer_cp15(struct vcpu *v, const struct cp_insn *i, uint32_t insn_addr);
void vtimer_privilege_changed(struct vcpu *v);

#endif
