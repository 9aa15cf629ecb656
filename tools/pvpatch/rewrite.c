/*
 * Rewrites (see rewrite.h).  Dispatch is by class through `handlers`; the
 * PV encodings come from the macros of include/hv/pv-abi.h, so the monitor's
 * decoder (core/decode.c) reads back exactly the original operands.
 */
#include "rewrite.h"
#include <hv/pv-abi.h>

/* ---- PV SVC per class ------------------------------------------------------ */

static uint32_t pv_svc(uint8_t cond, uint32_t imm24)
{
    return a32_svc(cond, imm24);
}

uint32_t rw_pv_word(const struct a32 *i)
{
    switch (i->cls) {
    case A32_CPS:        return pv_svc(COND_AL, PV_CPS(i->imod, i->change_mode, i->aif, i->mode));
    case A32_SRS:        return pv_svc(COND_AL, PV_SRS(i->p, i->u, i->w, i->mode));
    case A32_RFE:        return pv_svc(COND_AL, PV_RFE(i->p, i->u, i->w, i->rn));
    case A32_MRS:        return pv_svc(i->cond, PV_MRS(i->spsr, i->rd));
    case A32_MSR_REG:    return pv_svc(i->cond, PV_MSR_REG(i->spsr, i->mask, i->rn));
    case A32_MSR_IMM:    return pv_svc(i->cond, PV_MSR_IMM(i->spsr, i->mask, i->imm12));
    case A32_LDM_EXCRET: return pv_svc(i->cond, PV_LDM_EXCRET(i->p, i->u, i->w, i->rn, i->list & 0x7FFF));
    case A32_LDM_USER:   return pv_svc(i->cond, PV_LDM_USER(i->p, i->u, i->rn, i->list));
    case A32_STM_USER:   return pv_svc(i->cond, PV_STM_USER(i->p, i->u, i->rn, i->list));
    case A32_DP_PC:      return pv_svc(i->cond, PV_DP_PC(i->opcode, i->imm, i->rn, i->operand2));
    case A32_HINT:       return pv_svc(i->cond, PV_HINT(i->hint));
    default:             return 0;
    }
}

/* ---- trampoline bodies ---------------------------------------------------- */

#define SRFA_BASE_IMM12 0x101           /* 0x40000000 = 1 ROR 2: mvn rX -> 0xBFFFFFFF */

static void emit(struct rw *o, uint32_t w)
{
    if (o->n < RW_TRAMP_MAX)
        o->body[o->n++] = w;
}

static void tramp(struct rw *o, uint8_t cond, enum rw_how how)
{
    o->kind = RW_TRAMP;
    o->how = how;
    o->branch_cond = cond;
    o->n = 0;
}

/* rd = the SRFA word at `off`: mvn rd, #0x40000000; ldr rd, [rd, #DISP] */
static void srfa_load(struct rw *o, uint8_t rd, unsigned off)
{
    emit(o, a32_dp_imm(COND_AL, DP_MVN, false, rd, 0, SRFA_BASE_IMM12));
    emit(o, a32_ldr_imm(rd, rd, PV_SRFA_DISP((int32_t)off)));
}

/* CPSID/CPSIE without a mode change: read-modify-write of the virtual CPSR's
 * A/I/F bits (CPSR bits 8/7/6, B1.3.3).  No flags are touched. */
static void srfa_cps(const struct a32 *i, struct rw *o)
{
    uint16_t imm12;
    int32_t d = PV_SRFA_DISP(PV_SRFA_VCPSR);

    a32_mod_imm((uint32_t)i->aif << 6, &imm12);
    tramp(o, COND_AL, HOW_SRFA);
    emit(o, a32_push(0x0003));
    emit(o, a32_dp_imm(COND_AL, DP_MVN, false, 0, 0, SRFA_BASE_IMM12));
    emit(o, a32_ldr_imm(1, 0, d));
    emit(o, a32_dp_imm(COND_AL, i->imod == PV_CPS_IMOD_DISABLE ? DP_ORR : DP_BIC, false, 1, 1, imm12));
    emit(o, a32_str_imm(1, 0, d));
    emit(o, a32_pop(0x0003));
}

/* MRS Rd, CPSR with the live flags: Rd = v ^ ((real ^ v) & M), M = N Z C V Q,
 * GE[3:0] and E (the real CPU's, docs/pv-abi.md); rT is a pushed scratch. */
static void srfa_mrs_exact(const struct a32 *i, struct rw *o)
{
    uint8_t rd = i->rd, rt = rd == 0 ? 1 : 0;
    uint16_t m1, m2, m3;

    a32_mod_imm(0x07F00000, &m1);       /* ~M = 0x07F0FDFF, cleared in three steps */
    a32_mod_imm(0x0000FD00, &m2);
    a32_mod_imm(0x000000FF, &m3);
    tramp(o, i->cond, HOW_SRFA);
    emit(o, a32_push((uint16_t)(1u << rt)));
    emit(o, a32_mrs_apsr(rt));
    srfa_load(o, rd, PV_SRFA_VCPSR);
    emit(o, a32_dp_reg(COND_AL, DP_EOR, false, rt, rt, rd));
    emit(o, a32_dp_imm(COND_AL, DP_BIC, false, rt, rt, m1));
    emit(o, a32_dp_imm(COND_AL, DP_BIC, false, rt, rt, m2));
    emit(o, a32_dp_imm(COND_AL, DP_BIC, false, rt, rt, m3));
    emit(o, a32_dp_reg(COND_AL, DP_EOR, false, rd, rd, rt));
    emit(o, a32_pop((uint16_t)(1u << rt)));
}

/* Two (or three) scratch registers among r0-r3 other than `avoid`. */
static uint8_t scratch(uint8_t avoid, unsigned k)
{
    uint8_t r = (uint8_t)k;
    return r >= avoid ? (uint8_t)(r + 1) : r;
}

/* MSR CPSR_c, Rn (B9.3.12), the form local_irq_restore() uses: when Rn keeps
 * the virtual mode, the instruction writes only I and F (CPSRWriteByInstr,
 * B1.3.3: T is not written by MSR; A is in the x byte): a read-modify-write of
 * VCPSR[7:6], as CPSID/CPSIE.  Unmasking with a virtual IRQ pending traps on
 * the store (the page is read-only then, docs/pv-abi.md) and takes it.  A
 * mode change (or anything it cannot tell) goes through the PV SVC.  The
 * flags are saved around the mode test. */
static void srfa_msr_c(const struct a32 *i, struct rw *o)
{
    uint8_t n = i->rn, a = scratch(n, 0), b = scratch(n, 1), f = scratch(n, 2);
    uint16_t list = (uint16_t)(1u << a | 1u << b | 1u << f), imm;
    int32_t d = PV_SRFA_DISP(PV_SRFA_VCPSR);
    unsigned bne, bend;

    tramp(o, i->cond, HOW_SRFA);
    emit(o, a32_push(list));
    emit(o, a32_mrs_apsr(f));
    emit(o, a32_dp_imm(COND_AL, DP_MVN, false, a, 0, SRFA_BASE_IMM12));
    emit(o, a32_ldr_imm(b, a, d));
    emit(o, a32_dp_reg(COND_AL, DP_EOR, false, b, b, n));   /* b = VCPSR ^ Rn */
    emit(o, a32_dp_imm(COND_AL, DP_TST, true, 0, b, 0x1F)); /* the mode differs? */
    bne = o->n;
    emit(o, 0);
    a32_mod_imm(0xC0, &imm);
    emit(o, a32_dp_imm(COND_AL, DP_BIC, false, b, b, imm)); /* VCPSR with Rn's I, F */
    emit(o, a32_dp_reg(COND_AL, DP_EOR, false, b, b, n));
    emit(o, a32_str_imm(b, a, d));
    emit(o, a32_msr_apsr_nzcvq(f));
    emit(o, a32_pop(list));
    bend = o->n;
    emit(o, 0);
    o->body[bne] = a32_b(COND_NE, 4 * bne, 4 * o->n);
    emit(o, a32_msr_apsr_nzcvq(f));
    emit(o, a32_pop(list));
    emit(o, pv_svc(COND_AL, PV_MSR_REG(0, i->mask, n)));
    o->body[bend] = a32_b(COND_AL, 4 * bend, 4 * o->n);
}

/* STM Rn, {SP, LR}^ (B9.3.16), how Linux saves the interrupted User SP and
 * LR at every kernel entry: the SRFA page holds the User bank's SP and LR
 * whenever the virtual mode is not USR/SYS (where the instruction is
 * UNPREDICTABLE), so two loads and two stores. */
static void srfa_stm_sp_lr(const struct a32 *i, struct rw *o)
{
    uint8_t n = i->rn, a = scratch(n, 0), b = scratch(n, 1);
    uint16_t list = (uint16_t)(1u << a | 1u << b);
    int32_t start = i->u ? (i->p ? 4 : 0) : (i->p ? -8 : -4);

    tramp(o, i->cond, HOW_SRFA);
    emit(o, a32_push(list));
    emit(o, a32_dp_imm(COND_AL, DP_MVN, false, a, 0, SRFA_BASE_IMM12));
    emit(o, a32_ldr_imm(b, a, PV_SRFA_DISP(PV_SRFA_SP(PV_SRFA_BANK_USR))));
    emit(o, a32_str_imm(b, n, start));
    emit(o, a32_ldr_imm(b, a, PV_SRFA_DISP(PV_SRFA_LR(PV_SRFA_BANK_USR))));
    emit(o, a32_str_imm(b, n, start + 4));
    emit(o, a32_pop(list));
}

/* Banked registers (B9.2.3, table B9-2): SYSm -> SRFA offset, 0 if absent. */
static unsigned banked_off(bool spsr, uint8_t sysm)
{
    static const uint16_t reg[32] = {
        [0x05] = PV_SRFA_SP(PV_SRFA_BANK_USR), [0x06] = PV_SRFA_LR(PV_SRFA_BANK_USR),
        [0x0D] = PV_SRFA_SP(PV_SRFA_BANK_FIQ), [0x0E] = PV_SRFA_LR(PV_SRFA_BANK_FIQ),
        [0x10] = PV_SRFA_LR(PV_SRFA_BANK_IRQ), [0x11] = PV_SRFA_SP(PV_SRFA_BANK_IRQ),
        [0x12] = PV_SRFA_LR(PV_SRFA_BANK_SVC), [0x13] = PV_SRFA_SP(PV_SRFA_BANK_SVC),
        [0x14] = PV_SRFA_LR(PV_SRFA_BANK_ABT), [0x15] = PV_SRFA_SP(PV_SRFA_BANK_ABT),
        [0x16] = PV_SRFA_LR(PV_SRFA_BANK_UND), [0x17] = PV_SRFA_SP(PV_SRFA_BANK_UND),
    };
    static const uint16_t psr[32] = {
        [0x0E] = PV_SRFA_SPSR_OF(PV_SRFA_BANK_FIQ), [0x10] = PV_SRFA_SPSR_OF(PV_SRFA_BANK_IRQ),
        [0x12] = PV_SRFA_SPSR_OF(PV_SRFA_BANK_SVC), [0x14] = PV_SRFA_SPSR_OF(PV_SRFA_BANK_ABT),
        [0x16] = PV_SRFA_SPSR_OF(PV_SRFA_BANK_UND),
    };
    return (spsr ? psr : reg)[sysm & 31];
}

/* ---- per-class handlers ---------------------------------------------------- */

typedef void (*handler_fn)(const struct a32 *, const struct rw_opts *, bool, struct rw *);

static void refuse(struct rw *o, const char *why)
{
    o->kind = RW_REFUSE;
    o->how = HOW_REFUSED;
    o->why = why;
}

static void inplace(struct rw *o, uint32_t w, enum rw_how how)
{
    o->kind = RW_INPLACE;
    o->how = how;
    o->word = w;
}

static void h_pv(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)opt; (void)tramp_ok;
    inplace(o, rw_pv_word(i), HOW_PV);
}

static void h_cps(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    if (opt->srfa && tramp_ok && !i->change_mode)
        srfa_cps(i, o);
    else
        inplace(o, rw_pv_word(i), HOW_PV);
}

static void h_msr_reg(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    if (opt->srfa && opt->srfa_msr && tramp_ok && !i->spsr && i->mask == PV_MSR_C && i->rn <= 12)
        srfa_msr_c(i, o);
    else
        inplace(o, rw_pv_word(i), HOW_PV);
}

static void h_stm_user(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    if (opt->srfa && opt->srfa_stm && tramp_ok && i->list == 0x6000 && i->rn <= 12)
        srfa_stm_sp_lr(i, o);
    else
        inplace(o, rw_pv_word(i), HOW_PV);
}

static void h_mrs(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    if (!opt->srfa || !tramp_ok) {
        inplace(o, rw_pv_word(i), HOW_PV);
    } else if (i->spsr) {
        tramp(o, i->cond, HOW_SRFA);
        srfa_load(o, i->rd, PV_SRFA_SPSR);
    } else if (opt->srfa_mrs_exact) {
        if (i->rd == 13)
            inplace(o, rw_pv_word(i), HOW_PV);      /* no stack for the scratch */
        else
            srfa_mrs_exact(i, o);
    } else {
        tramp(o, i->cond, HOW_SRFA);
        srfa_load(o, i->rd, PV_SRFA_VCPSR);
    }
}

static void h_mrs_banked(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    unsigned off = banked_off(i->spsr, i->sysm);

    if (!off)
        refuse(o, "banked-register MRS of a register the SRFA page does not mirror (R8-R12 of "
                  "USR/FIQ, or Monitor/Hyp state): no PV encoding");
    else if (!opt->srfa)
        refuse(o, "banked-register MRS has no PV SVC encoding; --srfa can express it as an "
                  "SRFA load");
    else if (!tramp_ok)
        refuse(o, "banked-register MRS inside a --skip-range: the SRFA load needs a trampoline");
    else {
        tramp(o, i->cond, HOW_SRFA);
        srfa_load(o, i->rd, off);
    }
}

static void h_refuse(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)opt; (void)tramp_ok;
    refuse(o, i->why ? i->why : "banked-register MSR has no PV encoding (the SRFA page is "
                                "read-only but for VCPSR)");
}

/* HVC #0 with cond AL (B9.3.4: HVC is unconditional) is the SMCCC conduit a
 * guest kernel uses for PSCI; with --psci it becomes the PSCI hypercall (same
 * registers: function ID in r0, arguments r1-r3, status back in r0).  So
 * does SMC #0 with cond AL, the other SMCCC conduit (SMCCC 1.1 section 2.5:
 * the same registers; a kernel built for either holds both helpers, and only
 * the device tree's "method" says which runs).  ERET, other HVCs and SMCs
 * stay refused. */
static bool is_hvc0(uint32_t w)
{
    return (w & 0xFFF000F0u) == 0xE1400070u && (w & 0x000FFF0Fu) == 0;
}

static bool is_smc0(uint32_t w)
{
    return w == 0xE1600070u;            /* SMC #0 (B9.3.14: imm4 = 0), cond AL */
}

static void h_hyp(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    if (opt->psci && (is_hvc0(i->word) || is_smc0(i->word)))
        inplace(o, pv_svc(COND_AL, PV_HVC(HC_PSCI)), HOW_PV);
    else
        h_refuse(i, opt, tramp_ok, o);
}

static void h_tlb(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)i; (void)tramp_ok;
    if (opt->nop_tlb)
        inplace(o, A32_NOP, HOW_NOP);       /* a NOP under any condition is a NOP */
    else
        o->kind = RW_KEEP;
}

static void h_mirror(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    unsigned off = PV_SRFA_CP15_OFF(i->cp_index);

    if (opt->srfa && tramp_ok && i->rd <= 14 && i->rd != 13) {
        tramp(o, i->cond, HOW_SRFA);
        srfa_load(o, i->rd, off);
    } else if (opt->fit && i->rd <= 12) {
        inplace(o, pv_svc(i->cond, PV_FIT_LOAD(i->rd, off / 4)), HOW_FIT);
    } else {
        o->kind = RW_KEEP;
    }
}

static void h_cache(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)tramp_ok;
    if (opt->fit && i->rd != 15)
        inplace(o, pv_svc(i->cond, PV_FIT_CACHE(i->rd, i->fit_op)), HOW_FIT);
    else
        o->kind = RW_KEEP;
}

static void h_tpidruro(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)tramp_ok;
    if (opt->fit && i->rd <= 12)
        inplace(o, pv_svc(i->cond, PV_FIT_STORE(i->rd)), HOW_FIT);
    else
        o->kind = RW_KEEP;
}

/* VMRS Rt, FPEXC / VMSR FPEXC, Rt -> FIT_FPEXC in place (--fit). */
static void h_fpexc(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)tramp_ok;
    if (opt->fit && i->rd <= 12)
        inplace(o, pv_svc(i->cond, PV_FIT_FPEXC(i->rd, i->vmrs)), HOW_FIT);
    else
        o->kind = RW_KEEP;
}

/* ARM semihosting (r0 = operation, r1 = argument) -> the monitor's HC_EXIT for
 * SYS_EXIT_EXTENDED (0x20: r1 -> {reason, status}) and SYS_EXIT (0x18:
 * r1 = reason; ADP_Stopped_ApplicationExit 0x20026 -> status 0, else 1).
 * Any other operation restores r2 and the flags and runs the original SVC. */
static void h_semihost(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    uint32_t hc_exit = PV_HVC(HC_EXIT);
    unsigned bne;

    if (!opt->semihost || !tramp_ok) {
        o->kind = RW_KEEP;
        return;
    }
    tramp(o, i->cond, HOW_SHIM);
    emit(o, a32_push(1u << 2));
    emit(o, a32_mrs_apsr(2));
    emit(o, a32_dp_imm(COND_AL, DP_TEQ, true, 0, 0, 0x20));
    emit(o, 0x05910004u);                               /* ldreq r0, [r1, #4] */
    emit(o, a32_dp_imm(COND_EQ, DP_AND, false, 0, 0, 0xFF));
    emit(o, a32_svc(COND_EQ, hc_exit));
    emit(o, a32_dp_imm(COND_AL, DP_TEQ, true, 0, 0, 0x18));
    bne = o->n;
    emit(o, 0);                                         /* bne restore, below */
    emit(o, a32_movw(COND_AL, 0, 0x0026));
    emit(o, a32_movt(COND_AL, 0, 0x0002));
    emit(o, a32_dp_reg(COND_AL, DP_TEQ, true, 0, 0, 1));
    emit(o, a32_dp_imm(COND_EQ, DP_MOV, false, 0, 0, 0));
    emit(o, a32_dp_imm(COND_NE, DP_MOV, false, 0, 0, 1));
    emit(o, a32_svc(COND_AL, hc_exit));
    o->body[bne] = a32_b(COND_NE, 4 * bne, 4 * o->n);
    emit(o, a32_msr_apsr_nzcvq(2));
    emit(o, a32_pop(1u << 2));
    emit(o, a32_svc(COND_AL, A32_SEMIHOST_SVC));
}

static void h_keep(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    (void)i; (void)opt; (void)tramp_ok;
    o->kind = RW_KEEP;
}

static const handler_fn handlers[A32_NCLASSES] = {
    [A32_OTHER]       = h_keep,
    [A32_CPS]         = h_cps,
    [A32_MRS]         = h_mrs,
    [A32_MRS_BANKED]  = h_mrs_banked,
    [A32_MSR_REG]     = h_msr_reg,  /* CPSR_c keeping the mode: SRFA; else PV */
    [A32_MSR_BANKED]  = h_refuse,
    [A32_MSR_IMM]     = h_pv,
    [A32_SRS]         = h_pv,
    [A32_RFE]         = h_pv,
    [A32_LDM_EXCRET]  = h_pv,
    [A32_LDM_USER]    = h_pv,
    [A32_STM_USER]    = h_stm_user,
    [A32_DP_PC]       = h_pv,
    [A32_HINT]        = h_pv,
    [A32_HYP]         = h_hyp,
    [A32_UNPRED]      = h_refuse,
    [A32_TLB_BP]      = h_tlb,
    [A32_CP15_MIRROR] = h_mirror,
    [A32_CACHE_VA]    = h_cache,
    [A32_TPIDRURO_W]  = h_tpidruro,
    [A32_FPEXC]       = h_fpexc,
    [A32_SEMIHOST]    = h_semihost,
    [A32_UNPRIV_LS]   = h_keep,
};

void rw_rewrite(const struct a32 *i, const struct rw_opts *opt, bool tramp_ok, struct rw *o)
{
    *o = (struct rw){ .kind = RW_KEEP, .how = HOW_KEPT };
    handlers[i->cls < A32_NCLASSES ? i->cls : A32_OTHER](i, opt, tramp_ok, o);
}

const char *rw_how_name(enum rw_how h)
{
    static const char *const names[HOW_N] = {
        [HOW_KEPT] = "kept", [HOW_PV] = "PV SVC", [HOW_SRFA] = "SRFA", [HOW_NOP] = "NOP",
        [HOW_FIT] = "FIT", [HOW_SHIM] = "shim", [HOW_REFUSED] = "refused",
    };
    return h < HOW_N ? names[h] : "?";
}
