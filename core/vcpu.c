/*
 * Virtual CPU register file: banked registers, virtual CPSR and SPSRs.
 * ARM ARM B1.3 (ARM processor modes and ARM core registers).
 */
#include "vcpu.h"
#include "vfp.h"
#include "../mm/shadow.h"
#include "exception.h"
#include "virq.h"
#include "string.h"
#include "srfa.h"
#include "fit.h"
#include <arch/mmu-defs.h>

bool vcpu_mode_valid(uint32_t mode)
{
    switch (mode) {
    case PSR_MODE_USR: case PSR_MODE_FIQ: case PSR_MODE_IRQ: case PSR_MODE_SVC:
    case PSR_MODE_ABT: case PSR_MODE_UND: case PSR_MODE_SYS:
        return true;
    default:
        /* The virtual CPU has no MON or HYP mode; the rest are
         * reserved encodings.  Entering them is UNPREDICTABLE (B1.3.1). */
        return false;
    }
}

uint32_t vcpu_reg(const struct vcpu *v, unsigned n, uint32_t insn_addr)
{
    if (n < 13)
        return v->regs.r[n];
    if (n == 13)
        return v->regs.sp;
    if (n == 14)
        return v->regs.lr;
    return insn_addr + 8;                   /* ARM state: PC reads as +8 */
}

void vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val)
{
    if (n < 13)
        v->regs.r[n] = val;
    else if (n == 13)
        v->regs.sp = val;
    else if (n == 14)
        v->regs.lr = val;
}

uint32_t vcpu_user_reg(const struct vcpu *v, unsigned n)
{
    bool fiq = vmode(v) == PSR_MODE_FIQ;

    if (n < 8)
        return v->regs.r[n];
    if (n < 13)
        return fiq ? v->usr_r8_12[n - 8] : v->regs.r[n];
    if (vcpu_bank_of(vmode(v)) == BANK_USR)
        return n == 13 ? v->regs.sp : v->regs.lr;
    return n == 13 ? v->bank_sp[BANK_USR] : v->bank_lr[BANK_USR];
}

void vcpu_set_user_reg(struct vcpu *v, unsigned n, uint32_t val)
{
    bool fiq = vmode(v) == PSR_MODE_FIQ;

    if (n < 8)
        v->regs.r[n] = val;
    else if (n < 13) {
        if (fiq)
            v->usr_r8_12[n - 8] = val;
        else
            v->regs.r[n] = val;
    } else if (vcpu_bank_of(vmode(v)) == BANK_USR) {
        if (n == 13)
            v->regs.sp = val;
        else
            v->regs.lr = val;
    } else {
        if (n == 13)
            v->bank_sp[BANK_USR] = val;
        else
            v->bank_lr[BANK_USR] = val;
        srfa_set_bank(v, BANK_USR);
    }
}

uint32_t vcpu_banked_sp(const struct vcpu *v, uint32_t mode)
{
    enum vbank b = vcpu_bank_of(mode);
    return b == vcpu_bank_of(vmode(v)) ? v->regs.sp : v->bank_sp[b];
}

void vcpu_set_banked_sp(struct vcpu *v, uint32_t mode, uint32_t val)
{
    enum vbank b = vcpu_bank_of(mode);
    if (b == vcpu_bank_of(vmode(v))) {
        v->regs.sp = val;
    } else {
        v->bank_sp[b] = val;
        srfa_set_bank(v, b);
    }
}

uint32_t *vcpu_spsr(struct vcpu *v)
{
    return vmode_has_spsr(v) ? &v->spsr[vcpu_bank_of(vmode(v))] : NULL;
}

void vcpu_set_mode(struct vcpu *v, uint32_t mode)
{
    uint32_t old = vmode(v);
    enum vbank ob = vcpu_bank_of(old), nb = vcpu_bank_of(mode);

    if (ob != nb) {
        v->bank_sp[ob] = v->regs.sp;
        v->bank_lr[ob] = v->regs.lr;
        srfa_set_bank(v, ob);           /* nb's words are its copies already */
        v->regs.sp = v->bank_sp[nb];
        v->regs.lr = v->bank_lr[nb];
        if (ob == BANK_FIQ) {
            memcpy(v->fiq_r8_12, &v->regs.r[8], sizeof(v->fiq_r8_12));
            memcpy(&v->regs.r[8], v->usr_r8_12, sizeof(v->usr_r8_12));
        } else if (nb == BANK_FIQ) {
            memcpy(v->usr_r8_12, &v->regs.r[8], sizeof(v->usr_r8_12));
            memcpy(&v->regs.r[8], v->fiq_r8_12, sizeof(v->fiq_r8_12));
        }
    }
    v->vcpsr = (v->vcpsr & ~PSR_MODE_MASK) | mode;
    if ((old == PSR_MODE_USR) != (mode == PSR_MODE_USR)) {
        vfp_privilege_changed(v);
        shadow_privilege_changed(v);
        vtimer_privilege_changed(v);
    }
}

/*
 * CPSRWriteByInstr(), ARM ARM B1.3.3 / B9.3.12 pseudocode.  The virtual CPU
 * behaves like a CPU without the Virtualization Extensions in Secure state
 * (or without the Security Extensions): A and F are writable at PL1.
 * SCTLR.NMFI is 0 for the virtual CPU.
 */
bool vcpu_write_cpsr(struct vcpu *v, uint32_t val, unsigned bytemask, bool excp_return)
{
    bool priv = vmode_privileged(v);
    uint32_t cpsr = vcpu_cpsr(v);
    uint32_t keep = 0, take = 0;

    if (priv && (bytemask & 1) && !vcpu_mode_valid(val & PSR_MODE_MASK))
        return false;                               /* BadMode(): UNPREDICTABLE */

    if (bytemask & 8) {
        take |= PSR_NZCVQ;
        if (excp_return)
            take |= PSR_IT_LO;                      /* J is kept 0 below */
    }
    if (bytemask & 4)
        take |= PSR_GE;
    if (bytemask & 2) {
        if (excp_return)
            take |= PSR_IT_HI;
        take |= PSR_E;
        if (priv)
            take |= PSR_A;
    }
    if (bytemask & 1) {
        if (priv)
            take |= PSR_I | PSR_F | PSR_MODE_MASK;
        if (excp_return)
            take |= PSR_T;
    }
    keep = ~take;
    cpsr = ((cpsr & keep) | (val & take)) & ~PSR_J;

    if ((cpsr & PSR_MODE_MASK) != vmode(v))
        vcpu_set_mode(v, cpsr & PSR_MODE_MASK);
    v->vcpsr = (v->vcpsr & ~PSR_AIF) | (cpsr & PSR_AIF);
    v->regs.cpsr = (v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF)) |
                   (cpsr & ~(PSR_MODE_MASK | PSR_AIF));
    return true;
}

bool vcpu_exception_return(struct vcpu *v, uint32_t new_cpsr, uint32_t pc)
{
    if (!vcpu_write_cpsr(v, new_cpsr, 0xF, true))
        return false;
    /* BranchWritePC() for the new instruction set (A2.3.1). */
    v->regs.pc = (v->regs.cpsr & PSR_T) ? (pc & ~1u) : (pc & ~3u);
    return true;
}

void vcpu_reset(struct vcpu *v, uint32_t entry)
{
    memset(&v->regs, 0, sizeof(v->regs));
    memset(v->bank_sp, 0, sizeof(v->bank_sp));
    memset(v->bank_lr, 0, sizeof(v->bank_lr));
    memset(v->spsr, 0, sizeof(v->spsr));
    memset(v->usr_r8_12, 0, sizeof(v->usr_r8_12));
    memset(v->fiq_r8_12, 0, sizeof(v->fiq_r8_12));
    memset(&v->cp15, 0, sizeof(v->cp15));
    memset(&v->vfp, 0, sizeof(v->vfp));
    /* Reset: SVC mode, A, I and F set, ARM state (ARM ARM B1.9.10). */
    v->vcpsr = PSR_MODE_SVC | PSR_AIF;
    v->regs.cpsr = PSR_MODE_USR;
    v->regs.pc = entry;
    /* SCTLR: the implementation's reset value as the boot loader left it,
     * with MMU, caches, alignment checks, high vectors, big-endian
     * exceptions, TEX remap, access flag and Thumb exceptions off. */
    v->cp15.sctlr = hv_boot_info.boot_sctlr &
        ~(SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_Z | SCTLR_I | SCTLR_V | SCTLR_EE |
          SCTLR_TRE | SCTLR_AFE | SCTLR_TE);
    v->cpacr_vfp_ok = 0;
    v->srfa_dirty = SRFA_D_ALL;
    v->fit_nopatch_next = 1;
    fit_forget(v);
    vcpu_fast_update(v);
}

/*
 * The system-call fast path (vectors.S) performs, in a few instructions, what
 * vcpu_inject(v, VEXC_SVC, ...) does for an SVC from virtual User mode.  It
 * is allowed only when entering virtual PL1 needs nothing but the DACR (and
 * CNTKCTL) switch: no VFP permission change (CPACR cp10 not "PL1 only").
 */
void vcpu_fast_update(struct vcpu *v)
{
    uint32_t cp10 = (v->cp15.cpacr >> 20) & 3;

    v->fast_syscall = FAST_SYSCALL && cp10 != 1;
    v->svc_vector = vcpu_vector_base(v) + 0x08;
    v->svc_entry_bits = ((v->cp15.sctlr & SCTLR_TE) ? PSR_T : 0) |
                        ((v->cp15.sctlr & SCTLR_EE) ? PSR_E : 0);
    v->cntkctl_kernel = board_has_generic_timer_for_guests() ? 3 : 0;
}

void vcpu_sanitize_frame(struct vcpu *v)
{
    /* Whatever the guest did, the real CPU returns to User mode with host
     * interrupts enabled, in ARM or Thumb state, never Jazelle. */
    v->regs.cpsr = (v->regs.cpsr & (PSR_NZCVQ | PSR_IT | PSR_GE | PSR_E | PSR_T)) |
                   PSR_MODE_USR;
}
