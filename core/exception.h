/* Injecting exceptions into a guest, exactly as the CPU would take them. */
#ifndef CORE_EXCEPTION_H
#define CORE_EXCEPTION_H
#include "vcpu.h"

enum vexc { VEXC_UNDEF, VEXC_SVC, VEXC_PABT, VEXC_DABT, VEXC_IRQ, VEXC_FIQ, VEXC_COUNT };

/* Take exception `e` in the guest; `link` is the value for the new mode's LR
 * (ARM ARM B1.8.3 Table B1-7: already including the +4/+8 offsets). */
void vcpu_inject(struct vcpu *v, enum vexc e, uint32_t link);
/* Helpers for the common cases, given the address of the offending instruction. */
void vcpu_inject_undef(struct vcpu *v, uint32_t insn_addr, bool thumb);
void vcpu_inject_dabt(struct vcpu *v, uint32_t insn_addr, uint32_t dfsr, uint32_t dfar);
void vcpu_inject_pabt(struct vcpu *v, uint32_t insn_addr, uint32_t ifsr, uint32_t ifar);
uint32_t vcpu_vector_base(const struct vcpu *v);
/* LEAN_TRAP: if `insn`, a PV SVC trapped in a virtual privileged mode, is an
 * unconditional MOVS PC, LR or SUBS PC, LR, #imm8 back into a privileged
 * mode other than FIQ from one other than FIQ, do what emulate_svc() would
 * and return true; false (nothing changed) otherwise. */
bool vcpu_return_privileged(struct vcpu *v, uint32_t insn);
#endif
