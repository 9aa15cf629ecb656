/*
 * Exception entry for the virtual CPU (ARM ARM B1.8, "Exception handling";
 * the pseudocode of TakeUndefInstrException(), TakeSVCException(),
 * TakePrefetchAbortException(), TakeDataAbortException(), TakePhysicalIRQ/
 * FIQException()).
 */
#include "exception.h"
#include <arch/mmu-defs.h>
#include "srfa.h"
#include "hv.h"
#include "guest.h"

/*
 * make TRACE=1: every Undefined Instruction and abort the monitor reflects
 * into a guest is printed (bring-up of a new guest kernel).  Off by default:
 * a guest's own faults are normal operation, not monitor events.
 */
#ifndef TRACE
#define TRACE 0
#endif
static void trace_exc(const struct vcpu *v, const char *what, uint32_t addr, uint32_t fsr,
                      uint32_t far)
{
    if (TRACE)
        hv_printf("trace: guest %d: %s at 0x%08x (vCPSR 0x%08x) FSR 0x%03x FAR 0x%08x\n",
                  v->guest->id, what, (unsigned)addr, (unsigned)vcpu_cpsr(v), (unsigned)fsr,
                  (unsigned)far);
}

static const struct {
    uint32_t mode, offset, mask;
} vexc_info[VEXC_COUNT] = {
    [VEXC_UNDEF] = { PSR_MODE_UND, 0x04, PSR_I },
    [VEXC_SVC]   = { PSR_MODE_SVC, 0x08, PSR_I },
    [VEXC_PABT]  = { PSR_MODE_ABT, 0x0C, PSR_I | PSR_A },
    [VEXC_DABT]  = { PSR_MODE_ABT, 0x10, PSR_I | PSR_A },
    [VEXC_IRQ]   = { PSR_MODE_IRQ, 0x18, PSR_I | PSR_A },
    [VEXC_FIQ]   = { PSR_MODE_FIQ, 0x1C, PSR_I | PSR_A | PSR_F },
};

uint32_t vcpu_vector_base(const struct vcpu *v)
{
    /* SCTLR.V selects the high vectors, else VBAR (B1.8.1). */
    return (v->cp15.sctlr & SCTLR_V) ? 0xFFFF0000 : (v->cp15.vbar & ~0x1Fu);
}

/*
 * LEAN_TRAP: what vcpu_inject() does, for the usual case of an exception
 * taken in a virtual privileged mode other than FIQ into one other than FIQ
 * (an interrupt in the guest kernel): no privilege change, so
 * vcpu_set_mode() would only swap SP/LR; no r8-r12 bank.  False otherwise.
 */
static inline __attribute__((always_inline))
bool inject_privileged(struct vcpu *v, enum vexc e, uint32_t link)
{
    uint32_t vcpsr = v->vcpsr, mode = vexc_info[e].mode;
    enum vbank ob = vcpu_bank_of(vcpsr & PSR_MODE_MASK), nb = vcpu_bank_of(mode);

    if ((vcpsr & PSR_MODE_MASK) == PSR_MODE_USR || ob == BANK_FIQ || nb == BANK_FIQ)
        return false;
    v->spsr[nb] = vcpu_cpsr(v);         /* the SRFA's: srfa_publish() */
    if (ob != nb) {
        v->bank_sp[ob] = v->regs.sp;
        v->bank_lr[ob] = v->regs.lr;
        srfa_set_bank(v, ob);
        v->regs.sp = v->bank_sp[nb];
    }
    v->regs.lr = link;
    v->vcpsr = (vcpsr & ~PSR_MODE_MASK) | mode | vexc_info[e].mask;
    v->regs.cpsr = (v->regs.cpsr & ~(PSR_IT | PSR_J | PSR_T | PSR_E)) |
                   ((v->cp15.sctlr & SCTLR_TE) ? PSR_T : 0) |
                   ((v->cp15.sctlr & SCTLR_EE) ? PSR_E : 0);
    v->regs.pc = vcpu_vector_base(v) + vexc_info[e].offset;
    return true;
}

/*
 * The exception return SUBS PC, LR, #imm / MOVS PC, LR (B9.3.20): CPSR <-
 * SPSR (CPSRWriteByInstr with every byte, as an exception return: all but
 * J, B1.3.3), then BranchWritePC(LR - imm) for the new instruction set.
 * Between privileged modes nothing but SP/LR changes bank.
 */
bool vcpu_return_privileged(struct vcpu *v, uint32_t insn)
{
    uint32_t imm, spsr, mode, pc;
    enum vbank ob = vcpu_bank_of(vmode(v)), nb;

    if (insn == PV_ENCODE(PV_COND_AL, PV_DP_PC(13, 0, 0, 14)))             /* MOV, LR */
        imm = 0;
    else if (insn - PV_ENCODE(PV_COND_AL, PV_DP_PC(2, 1, 14, 0)) < 0x100)  /* SUB, LR, #imm8 */
        imm = insn & 0xFF;
    else
        return false;
    if (ob == BANK_USR || ob == BANK_FIQ)
        return false;           /* USR/SYS: no SPSR (UNDEF); FIQ: r8-r12 */
    spsr = v->spsr[ob];
    mode = spsr & PSR_MODE_MASK;
    if (mode == PSR_MODE_USR || mode == PSR_MODE_FIQ || !vcpu_mode_valid(mode))
        return false;
    nb = vcpu_bank_of(mode);
    pc = v->regs.lr - imm;
    v->stats[TS_PV_EXCRET]++;
    if (ob != nb) {
        v->bank_sp[ob] = v->regs.sp;
        v->bank_lr[ob] = v->regs.lr;
        srfa_set_bank(v, ob);
        v->regs.sp = v->bank_sp[nb];
        v->regs.lr = v->bank_lr[nb];
    }
    v->vcpsr = mode | (spsr & PSR_AIF);
    v->regs.cpsr = (v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF)) |
                   (spsr & ~(PSR_MODE_MASK | PSR_AIF | PSR_J));
    v->regs.pc = (spsr & PSR_T) ? (pc & ~1u) : (pc & ~3u);
    return true;
}

void vcpu_inject(struct vcpu *v, enum vexc e, uint32_t link)
{
    if (LEAN_TRAP && inject_privileged(v, e, link))
        return;
    uint32_t old = vcpu_cpsr(v);

    vcpu_set_mode(v, vexc_info[e].mode);
    v->spsr[vcpu_bank_of(vexc_info[e].mode)] = old;   /* the SRFA's: srfa_publish() */
    v->regs.lr = link;
    v->vcpsr |= vexc_info[e].mask;
    /* IT and J cleared, T from SCTLR.TE, E from SCTLR.EE. */
    v->regs.cpsr &= ~(PSR_IT | PSR_J | PSR_T | PSR_E);
    if (v->cp15.sctlr & SCTLR_TE)
        v->regs.cpsr |= PSR_T;
    if (v->cp15.sctlr & SCTLR_EE)
        v->regs.cpsr |= PSR_E;
    v->regs.pc = vcpu_vector_base(v) + vexc_info[e].offset;
}

void vcpu_inject_undef(struct vcpu *v, uint32_t insn_addr, bool thumb)
{
    v->stats[TS_UNDEF_INJECTED]++;
    trace_exc(v, "undefined instruction", insn_addr, 0, 0);
    vcpu_inject(v, VEXC_UNDEF, insn_addr + (thumb ? 2 : 4));
}

void vcpu_inject_dabt(struct vcpu *v, uint32_t insn_addr, uint32_t dfsr, uint32_t dfar)
{
    trace_exc(v, "data abort", insn_addr, dfsr, dfar);
    v->cp15.dfsr = dfsr;
    v->cp15.dfar = dfar;
    srfa_set_cp15(v, SRFA_CP15_DFSR, dfsr);
    srfa_set_cp15(v, SRFA_CP15_DFAR, dfar);
    vcpu_inject(v, VEXC_DABT, insn_addr + 8);
}

void vcpu_inject_pabt(struct vcpu *v, uint32_t insn_addr, uint32_t ifsr, uint32_t ifar)
{
    trace_exc(v, "prefetch abort", insn_addr, ifsr, ifar);
    v->cp15.ifsr = ifsr;
    v->cp15.ifar = ifar;
    srfa_set_cp15(v, SRFA_CP15_IFSR, ifsr);
    srfa_set_cp15(v, SRFA_CP15_IFAR, ifar);
    vcpu_inject(v, VEXC_PABT, insn_addr + 4);
}
