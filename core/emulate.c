/*
 * Emulation of the paravirtualized sensitive instructions (SVC encodings of
 * include/hv/pv-abi.h) and dispatch of UNDEF traps.
 *
 * Where the ARM ARM says a form is UNPREDICTABLE, the virtual CPU takes the
 * Undefined Instruction exception when QEMU's real CPU does so in User mode
 * (SPSR access and exception returns in User/System mode), and otherwise
 * stops the guest with a message (entering a mode the virtual CPU lacks).
 * docs/pv-abi.md lists each choice.
 */
#include "emulate.h"
#include "exception.h"
#include "decode.h"
#include "guest.h"
#include "vfp.h"
#include "sched.h"
#include "../mm/mm.h"
#include "../mm/shadow.h"
#include "virq.h"
#include "fit.h"
#include "srfa.h"

#define MRS_READ_MASK EMU_MRS_READ_MASK

static unsigned popcount16(uint32_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Start address of an LDM/STM-style block (A8.8.57 ff.). */
static uint32_t block_start(uint32_t base, unsigned nregs, bool p, bool u)
{
    if (u)
        return p ? base + 4 : base;
    return p ? base - 4 * nregs : base - 4 * nregs + 4;
}

static int abort_emulated(struct vcpu *v, uint32_t insn_addr, uint32_t fsr, uint32_t addr, bool write)
{
    v->stats[TS_DABT]++;
    vcpu_inject_dabt(v, insn_addr, fsr | (write ? FSR_WNR : 0), addr);
    return EMU_BRANCHED;
}

/*
 * Every data access the monitor makes on the guest's behalf follows CPSR.E
 * (A2.4.3 "Endian support", A3.3): with E = 1 halfwords and words are
 * big-endian in memory.  Values here are register values; swapping them
 * turns them into (and back from) the little-endian words the monitor's
 * own accesses and the device models use.  Bytes are never swapped.
 */
static uint32_t data_endian(const struct vcpu *v, uint32_t val, unsigned size)
{
    if (!(v->regs.cpsr & PSR_E) || size == 1)
        return val;
    if (size == 2)
        return (uint32_t)__builtin_bswap16((uint16_t)val);
    return __builtin_bswap32(val);
}

static void words_endian(const struct vcpu *v, uint32_t *w, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        w[k] = data_endian(v, w[k], 4);
}

/* The first word of a block access that faults: DFAR must name it (B3.13.3). */
static uint32_t first_faulting_word(struct vcpu *v, uint32_t addr, unsigned n)
{
    uint32_t w;
    for (unsigned k = 0; k < n; k++, addr += 4)
        if (guest_read(v, addr, &w, 4))
            return addr;
    return addr;
}

static int bad_mode(struct vcpu *v, uint32_t insn_addr, uint32_t mode)
{
    guest_stop(v->guest, "attempt to enter absent or reserved mode 0x%02x at 0x%08x "
               "(UNPREDICTABLE, ARM ARM B1.3.1)", (unsigned)mode, (unsigned)insn_addr);
    return EMU_STOPPED;
}

/* ---- MRS / MSR / CPS -------------------------------------------------- */

static int emu_mrs(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t val;

    v->stats[TS_PV_MRS]++;
    if (i->rd == 15)
        return EMU_UNDEF;
    if (i->spsr) {
        uint32_t *spsr = vcpu_spsr(v);
        if (!spsr)
            return EMU_UNDEF;
        val = *spsr;
    } else {
        val = vcpu_cpsr(v) & MRS_READ_MASK;
    }
    vcpu_set_reg(v, i->rd, val);
    return EMU_DONE;
}

static int msr_write(struct vcpu *v, bool spsr, unsigned mask, uint32_t val, uint32_t a)
{
    v->stats[TS_PV_MSR]++;
    if (!mask)
        return EMU_UNDEF;                       /* mask 0: UNPREDICTABLE */
    if (spsr) {
        /* SPSRWriteByInstr (B1.3.3): whole bytes, UNPREDICTABLE without an SPSR. */
        uint32_t *sp = vcpu_spsr(v), m = 0;
        if (!sp)
            return EMU_UNDEF;
        for (unsigned b = 0; b < 4; b++)
            if (mask & (1u << b))
                m |= 0xFFu << (8 * b);
        if ((mask & 1) && !vcpu_mode_valid(val & PSR_MODE_MASK))
            return bad_mode(v, a, val & PSR_MODE_MASK);
        *sp = (*sp & ~m) | (val & m);           /* the SRFA's: srfa_publish() */
        return EMU_DONE;
    }
    if (!vcpu_write_cpsr(v, val, mask, false))
        return bad_mode(v, a, val & PSR_MODE_MASK);
    return EMU_DONE;
}

static int emu_msr_reg(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    if (i->rn == 15)
        return EMU_UNDEF;
    return msr_write(v, i->spsr, i->mask, vcpu_reg(v, i->rn, a), a);
}

static int emu_msr_imm(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    return msr_write(v, i->spsr, i->mask, dp_shifter(true, i->imm12, 0, false), a);
}

/* CPS (B9.3.2): no effect in User mode. */
static int emu_cps(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t bits = ((i->aif & 4) ? PSR_A : 0) | ((i->aif & 2) ? PSR_I : 0) |
                    ((i->aif & 1) ? PSR_F : 0);

    v->stats[TS_PV_CPS]++;
    if (!vmode_privileged(v))
        return EMU_DONE;
    if (i->imod == 1)
        return EMU_UNDEF;                       /* reserved imod: UNPREDICTABLE */
    if (i->change_mode && !vcpu_mode_valid(i->mode))
        return bad_mode(v, a, i->mode);
    if (i->imod == PV_CPS_IMOD_ENABLE)
        v->vcpsr &= ~bits;
    else if (i->imod == PV_CPS_IMOD_DISABLE)
        v->vcpsr |= bits;
    if (i->change_mode)
        vcpu_set_mode(v, i->mode);
    return EMU_DONE;
}

/* ---- exception returns ------------------------------------------------ */

static int exception_return(struct vcpu *v, uint32_t a, uint32_t new_cpsr, uint32_t pc)
{
    if (!vcpu_exception_return(v, new_cpsr, pc))
        return bad_mode(v, a, new_cpsr & PSR_MODE_MASK);
    return EMU_BRANCHED;
}

/* SUBS PC, LR, #imm and related (B9.3.20). */
static int emu_dp_pc(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t rm_val = vcpu_reg(v, i->operand2 & 0xF, a);
    uint32_t op2 = dp_shifter(i->imm, i->operand2, rm_val, v->regs.cpsr & PSR_C);
    uint32_t result;
    uint32_t *spsr = vcpu_spsr(v);

    v->stats[TS_PV_EXCRET]++;
    if (!spsr)
        return EMU_UNDEF;                       /* User/System: UNPREDICTABLE */
    if (!dp_alu(i->opcode, vcpu_reg(v, i->rn, a), op2, v->regs.cpsr & PSR_C, &result)) {
        guest_stop(v->guest, "invalid PV data-processing opcode %u at 0x%08x", i->opcode, (unsigned)a);
        return EMU_STOPPED;
    }
    return exception_return(v, a, *spsr, result);
}

/* LDM (exception return), LDM (User registers), STM (User registers):
 * A8.8.x / B9.3.5-B9.3.7.  Memory is read completely before any register
 * changes, so an abort leaves the guest state as a precise abort must. */
static int emu_ldm_stm(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t words[16], base = vcpu_reg(v, i->rn, a), addr, fsr;
    unsigned n = popcount16(i->list), k = 0;
    bool store = i->cls == PV_C_STM_USER, user = i->cls != PV_C_LDM_EXCRET;

    v->stats[user ? TS_PV_LDMSTM_USER : TS_PV_EXCRET]++;
    if (!vmode_has_spsr(v))
        return EMU_UNDEF;                       /* User/System: UNPREDICTABLE */
    if (i->rn == 15 || n == 0 || (user && i->w))
        return EMU_UNDEF;
    addr = block_start(base, n, i->p, i->u);
    if (addr & 3)                               /* always checked for LDM/STM (A3.2.1) */
        return abort_emulated(v, a, FSR_ALIGNMENT, addr, store);

    if (store) {
        for (unsigned r = 0; r < 16; r++)
            if (i->list & (1u << r))
                words[k++] = r == 15 ? a + 8 : vcpu_user_reg(v, r);
        words_endian(v, words, n);
        fsr = guest_write(v, addr, words, 4 * n);
        return fsr ? abort_emulated(v, a, fsr, first_faulting_word(v, addr, n), true)
                   : EMU_DONE;
    }
    fsr = guest_read(v, addr, words, 4 * n);
    if (fsr)
        return abort_emulated(v, a, fsr, first_faulting_word(v, addr, n), false);
    words_endian(v, words, n);
    for (unsigned r = 0; r < 15; r++) {
        if (!(i->list & (1u << r)))
            continue;
        if (user)
            vcpu_set_user_reg(v, r, words[k++]);
        else
            vcpu_set_reg(v, r, words[k++]);
    }
    if (user)
        return EMU_DONE;
    if (i->w && !(i->list & (1u << i->rn)))
        vcpu_set_reg(v, i->rn, i->u ? base + 4 * n : base - 4 * n);
    return exception_return(v, a, *vcpu_spsr(v), words[k]);
}

/* RET_USER (docs/pv-abi.md): the sequence Linux returns to user with,
 * MSR SPSR_fsxc, [Rn + 4]; LDMDB Rn, {r0|r1 - r14}^; exception return to
 * [Rn], as one operation.  Each step is the emulation of the instruction it
 * stands for (msr_write's checks, vcpu_set_user_reg, exception_return); the
 * frame is read completely first, so an abort changes nothing. */
int emulate_ret_user(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t base = vcpu_reg(v, i->rn, a), w[17], fsr;
    unsigned first = i->keep_r0 ? 1 : 0;
    uint32_t addr = base - PV_RET_USER_PC_OFF + 4 * first;

    v->stats[TS_PV_RET_USER]++;
    if (!vmode_has_spsr(v) || i->rn == 15)
        return EMU_UNDEF;                       /* User/System: no SPSR (UNPREDICTABLE) */
    if (addr & 3)
        return abort_emulated(v, a, FSR_ALIGNMENT, addr, false);
    fsr = guest_read_words(v, addr, &w[first], 17 - first);
    if (fsr)
        return abort_emulated(v, a, fsr, first_faulting_word(v, addr, 17 - first), false);
    if (!vcpu_mode_valid(w[16] & PSR_MODE_MASK))
        return bad_mode(v, a, w[16] & PSR_MODE_MASK);
    *vcpu_spsr(v) = w[16];                     /* the SRFA's: srfa_publish() */
    for (unsigned r = first; r < 15; r++)
        vcpu_set_user_reg(v, r, w[r]);
    return exception_return(v, a, w[16], w[15]);
}

/* RET_MODE (docs/pv-abi.md): MRS r, CPSR; EOR r, r, #x; MSR SPSR_fsxc, r;
 * MOVS PC, LR, as one operation (without the scratch register), each step
 * as its emulation does it. */
uint32_t emulate_ret_mode_spsr(const struct vcpu *v, uint32_t x)
{
    return (vcpu_cpsr(v) & MRS_READ_MASK) ^ (x & PSR_MODE_MASK);
}

int emulate_ret_mode(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t *spsr = vcpu_spsr(v);
    uint32_t val = emulate_ret_mode_spsr(v, i->mode);

    v->stats[TS_PV_EXCRET]++;
    if (!spsr)
        return EMU_UNDEF;                       /* User/System: no SPSR (UNPREDICTABLE) */
    if (!vcpu_mode_valid(val & PSR_MODE_MASK))
        return bad_mode(v, a, val & PSR_MODE_MASK);
    *spsr = val;                                /* the SRFA's: srfa_publish() */
    return exception_return(v, a, val, v->regs.lr);
}

/* SRS (B9.3.16): store LR and SPSR of the current mode to `mode`'s stack. */
static int emu_srs(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t base, addr, words[2], fsr;

    v->stats[TS_PV_SRS_RFE]++;
    if (!vmode_has_spsr(v))
        return EMU_UNDEF;
    if (!vcpu_mode_valid(i->mode))
        return bad_mode(v, a, i->mode);
    base = vcpu_banked_sp(v, i->mode);
    addr = block_start(base, 2, i->p, i->u);
    if (addr & 3)
        return abort_emulated(v, a, FSR_ALIGNMENT, addr, true);
    words[0] = v->regs.lr;
    words[1] = *vcpu_spsr(v);
    words_endian(v, words, 2);
    fsr = guest_write(v, addr, words, 8);
    if (fsr)
        return abort_emulated(v, a, fsr, addr, true);
    if (i->w)
        vcpu_set_banked_sp(v, i->mode, i->u ? base + 8 : base - 8);
    return EMU_DONE;
}

/* RFE (B9.3.13). */
static int emu_rfe(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t base = vcpu_reg(v, i->rn, a), addr, words[2], fsr;

    v->stats[TS_PV_SRS_RFE]++;
    if (!vmode_privileged(v) || i->rn == 15)
        return EMU_UNDEF;
    addr = block_start(base, 2, i->p, i->u);
    if (addr & 3)
        return abort_emulated(v, a, FSR_ALIGNMENT, addr, false);
    fsr = guest_read(v, addr, words, 8);
    if (fsr)
        return abort_emulated(v, a, fsr, addr, false);
    words_endian(v, words, 2);
    if (i->w)
        vcpu_set_reg(v, i->rn, i->u ? base + 8 : base - 8);
    return exception_return(v, a, words[1], words[0]);
}

/* ---- hints, hypercalls, invalid ---------------------------------------- */

static int emu_hint(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    v->stats[TS_PV_HINT]++;
    if (i->hint == PV_HINT_YIELD || i->hint == PV_HINT_WFE)
        sched_yield(v, VCPU_READY);
    else if (i->hint == PV_HINT_WFI && !virq_wake(v)) {
        /* A guest going idle may be waiting for input after a prompt that
         * has no newline yet: show it (guest output is line-buffered). */
        guest_console_flush(v->guest);
        sched_yield(v, VCPU_WFI);       /* until an interrupt is signalled (B1.8.14) */
    }
    return EMU_DONE;                            /* NOP, SEV: nothing to do (one vCPU) */
}

static int emu_hvc(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    v->stats[TS_HYPERCALL]++;
    return hypercall(v, i->hvc_nr);
}

static int emu_invalid(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    uint32_t insn = 0;
    guest_read(v, a, &insn, 4);
    guest_stop(v->guest, "reserved PV encoding 0x%08x at 0x%08x (docs/pv-abi.md)",
               (unsigned)insn, (unsigned)a);
    return EMU_STOPPED;
}

typedef int (*pv_handler)(struct vcpu *, const struct pv_insn *, uint32_t);

static const pv_handler pv_handlers[PV_NCLASSES] = {
    [PV_C_LDM_EXCRET] = emu_ldm_stm,
    [PV_C_STM_USER]   = emu_ldm_stm,
    [PV_C_LDM_USER]   = emu_ldm_stm,
    [PV_C_DP_PC]      = emu_dp_pc,
    [PV_C_MSR_IMM]    = emu_msr_imm,
    [PV_C_MRS]        = emu_mrs,
    [PV_C_MSR_REG]    = emu_msr_reg,
    [PV_C_CPS]        = emu_cps,
    [PV_C_SRS]        = emu_srs,
    [PV_C_RFE]        = emu_rfe,
    [PV_C_HINT]       = emu_hint,
    [PV_C_HVC]        = emu_hvc,
    [PV_C_FIT_LOAD]   = fit_emulate,    /* what the vector fast path declined */
    [PV_C_FIT_CACHE]  = fit_emulate,
    [PV_C_RET_USER]   = emulate_ret_user,
    [PV_C_FIT_STORE]  = fit_emulate,
    [PV_C_RET_MODE]   = emulate_ret_mode,
    [PV_C_FIT_FPEXC]  = fit_emulate,
    [PV_C_INVALID]    = emu_invalid,
};

static void finish(struct vcpu *v, int r, uint32_t insn_addr, bool thumb)
{
    if (r == EMU_UNDEF)
        vcpu_inject_undef(v, insn_addr, thumb);
}

void emulate_svc(struct vcpu *v)
{
    bool thumb = v->regs.cpsr & PSR_T;
    uint32_t a = v->regs.pc - (thumb ? 2 : 4), insn;
    struct pv_insn i;

    /* In virtual User mode, or in Thumb state, an SVC is always the guest's
     * own: reflect it to the guest kernel (its LR = the next instruction). */
    if (!vmode_privileged(v) || thumb) {
        v->stats[vmode_privileged(v) ? TS_GUEST_SVC : TS_SYSCALL]++;
        vcpu_inject(v, VEXC_SVC, v->regs.pc);
        return;
    }
    if (guest_fetch_insn(v, a, &insn) || !pv_decode(insn, &i)) {
        guest_stop(v->guest, "cannot read back the SVC at 0x%08x", (unsigned)a);
        return;
    }
    if (i.cls == PV_NONE) {
        v->stats[TS_GUEST_SVC]++;
        vcpu_inject(v, VEXC_SVC, v->regs.pc);
        return;
    }
    finish(v, pv_handlers[i.cls](v, &i, a), a, false);
}

void emulate_undef(struct vcpu *v)
{
    bool thumb = v->regs.cpsr & PSR_T;
    uint32_t a = v->regs.pc - (thumb ? 2 : 4), insn;
    struct cp_insn cp;
    struct vfp_sys_insn vs;
    int r = EMU_UNDEF;

    /* Lazy VFP: the guest may use VFP but its registers are not loaded. */
    if (vfp_lazy_switch(v)) {
        v->regs.pc = a;
        return;
    }
    if (thumb || guest_fetch_insn(v, a, &insn)) {
        vcpu_inject_undef(v, a, thumb);
        return;
    }
    /* A conditional instruction that fails its condition is a NOP; whether
     * it traps at all is IMPLEMENTATION DEFINED (A8.3.1). */
    if ((insn >> 28) != 0xF && !cond_passed(insn >> 28, v->regs.cpsr))
        return;
    if (vfp_sys_decode(insn, &vs))
        r = vfp_sys_emulate(v, &vs);
    else if (cp_decode(insn, &cp) && cp.coproc == 15 && cp.cond != 0xF)
        r = cp15_emulate(v, &cp, a);
    else if (cp_decode(insn, &cp) && cp.coproc == 14 && cp.cond != 0xF)
        r = cp14_emulate(v, &cp, a);
    finish(v, r, a, false);
}

/* ---- single loads and stores (guest table writes; MMIO) ------------------- */

int emulate_load_store(struct vcpu *v, uint32_t a, const struct ls_insn *i,
                       ls_access_fn access, void *ctx)
{
    uint32_t base = vcpu_reg(v, i->rn, a), off, offaddr, addr, val[2] = { 0, 0 }, fsr;
    unsigned words = i->size == 8 ? 2 : 1, size = i->size == 8 ? 4 : i->size;
    bool pl1 = vmode_privileged(v) && !i->unpriv;

    off = i->reg ? dp_shifter(false, (i->shift_imm << 7) | (i->shift_type << 5) | i->rm,
                              vcpu_reg(v, i->rm, a), v->regs.cpsr & PSR_C)
                 : i->imm;
    offaddr = i->add ? base + off : base - off;
    addr = i->index ? offaddr : base;
    if (!i->load) {
        val[0] = vcpu_reg(v, i->rt, a);             /* STR PC stores PC + 8 */
        val[1] = vcpu_reg(v, i->rt2, a);
        val[0] = data_endian(v, val[0], size);
        val[1] = data_endian(v, val[1], size);
    }
    for (unsigned k = 0; k < words; k++) {
        fsr = access(v, ctx, addr + 4 * k, size, !i->load, pl1, &val[k]);
        if (fsr)
            return abort_emulated(v, a, fsr, addr + 4 * k, !i->load);
    }
    if (i->load) {
        val[0] = data_endian(v, val[0], size);
        val[1] = data_endian(v, val[1], size);
        if (i->rt == 15)
            return EMU_UNDEF;                       /* not emulated: no LDR PC to devices */
        if (i->sign)
            val[0] = i->size == 1 ? (uint32_t)(int8_t)val[0] : (uint32_t)(int16_t)val[0];
        vcpu_set_reg(v, i->rt, val[0]);
        if (words == 2)
            vcpu_set_reg(v, i->rt2, val[1]);
    }
    if (i->wback)
        vcpu_set_reg(v, i->rn, offaddr);
    v->regs.pc = a + 4;
    return EMU_BRANCHED;
}

static uint32_t guest_mem_access(struct vcpu *v, void *ctx, uint32_t addr, unsigned size,
                                 bool write, bool pl1, uint32_t *val)
{
    if (write)
        return guest_access_as(v, addr, NULL, val, size, pl1);
    *val = 0;
    return guest_access_as(v, addr, val, NULL, size, pl1);
}

/*
 * FAST_MMIO: a store into the page of the faulting VA whose translation the
 * shadow fault just found (with write permission for the same privilege):
 * straight to that IPA; anything else through the guest's tables.
 */
struct known_page {
    uint32_t va_page, ipa_page;
};

static uint32_t table_store_access(struct vcpu *v, void *ctx, uint32_t addr, unsigned size,
                                   bool write, bool pl1, uint32_t *val)
{
    const struct known_page *k = ctx;

    if (k && write && pl1 == vmode_privileged(v) && (addr & ~0xFFFu) == k->va_page &&
        (addr & 0xFFFu) + size <= 0x1000) {
        uint32_t ipa = k->ipa_page | (addr & 0xFFFu);
        if (guest_copy_to_ipa(v->guest, ipa, val, size)) {
            shadow_guest_wrote(v->guest, ipa, size);
            return 0;
        }
    }
    return guest_mem_access(v, NULL, addr, size, write, pl1, val);
}

void emulate_table_write(struct vcpu *v, uint32_t fault_va, uint32_t fault_ipa)
{
    fit_forget(v);                      /* a guest table changes */
    uint32_t a = v->regs.pc, insn = 0;
    struct ls_insn i;
    struct known_page k = { fault_va & ~0xFFFu, fault_ipa & ~0xFFFu };

    if (!(v->regs.cpsr & PSR_T) && !guest_fetch_insn(v, a, &insn) && ls_decode(insn, &i) &&
        !i.load && cond_passed(i.cond, v->regs.cpsr)) {
        int r = emulate_load_store(v, a, &i, table_store_access,
                                   FAST_MMIO && fault_ipa != ~0u ? &k : NULL);
        if (fault_ipa != ~0u)
            shadow_table_stored(v->guest, fault_ipa);
        v->guest->mm.unprotect_repeat = 0;
        finish(v, r, a, false);
        return;
    }
    /* STM, VSTR, Thumb...: stop protecting that page instead; the store
     * then runs natively (retried at the same PC).  If the page describes
     * its own mapping, the retry protects it again: give up after a few. */
    if (v->guest->mm.unprotect_pc != a || v->guest->mm.unprotect_va != fault_va) {
        v->guest->mm.unprotect_pc = a;
        v->guest->mm.unprotect_va = fault_va;
        v->guest->mm.unprotect_repeat = 0;
    }
    if (++v->guest->mm.unprotect_repeat > 8) {
        guest_stop(v->guest, "store 0x%08x to its own translation table at VA 0x%08x cannot be "
                   "emulated (coherence=wp; use coherence=tlb or a single STR)",
                   (unsigned)insn, (unsigned)fault_va);
        return;
    }
    shadow_unprotect(v, fault_va);
}
