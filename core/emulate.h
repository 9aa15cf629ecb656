/* Emulation of trapped guest instructions. */
#ifndef CORE_EMULATE_H
#define CORE_EMULATE_H
#include "vcpu.h"

enum emu_result {
    EMU_DONE,       /* emulated; continue at the next instruction (regs.pc) */
    EMU_BRANCHED,   /* emulated; regs.pc/mode already set (exception return, injection) */
    EMU_UNDEF,      /* a real CPU would take the Undefined Instruction exception */
    EMU_STOPPED,    /* the guest was stopped (guest_stop) */
};

/* SVC trap from a guest: PV instruction, hypercall, or the guest's own SVC. */
void emulate_svc(struct vcpu *v);
/* UNDEF trap from a guest: privileged instruction, VFP, or truly undefined. */
void emulate_undef(struct vcpu *v);
/* CP15 register transfer (core/cp15.c). */
struct cp_insn;
int cp15_emulate(struct vcpu *v, const struct cp_insn *i, uint32_t insn_addr);
/* Hypercall (core/hypercall.c). */
int hypercall(struct vcpu *v, unsigned nr);
#endif
