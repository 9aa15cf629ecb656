/*
 * A32 classification (see a32.h).  One table maps (mask, value) patterns of
 * the ARM ARM encoding tables to a decoder that fills the named fields and
 * checks the should-be bits; an encoding that matches a sensitive pattern
 * but has a should-be bit wrong or an UNPREDICTABLE operand becomes
 * A32_UNPRED (refused), never A32_OTHER (silently left).
 */
#include "a32.h"
#include <hv/pv-abi.h>
#include "../../core/decode.h"

static inline uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static enum a32_class unpred(struct a32 *o, const char *why)
{
    o->why = why;
    return o->cls = A32_UNPRED;
}

/* ---- sensitive classes -------------------------------------------------- */

/* B9.3.2 CPS: 1111 0001 0000 imod M 0 (0000000) A I F 0 mode */
static enum a32_class dec_cps(uint32_t w, struct a32 *o)
{
    o->imod = bits(w, 19, 18);
    o->change_mode = bits(w, 17, 17);
    o->aif = bits(w, 8, 6);
    o->mode = bits(w, 4, 0);
    o->cond = COND_AL;
    if (bits(w, 15, 9))
        return unpred(o, "CPS with should-be-zero bits set");
    if (o->imod == 1 || (o->imod == 0 && !o->change_mode))
        return unpred(o, "CPS with imod 01, or no effect (UNPREDICTABLE)");
    if ((o->imod & 2) ? o->aif == 0 : o->aif != 0)
        return unpred(o, "CPS whose A/I/F bits do not fit its imod (UNPREDICTABLE)");
    if (!o->change_mode && o->mode)
        return unpred(o, "CPS with a mode but M = 0 (UNPREDICTABLE)");
    return o->cls = A32_CPS;
}

/* B9.3.17 SRS: 1111 100P U1W0 (1101) (0000) (0101) (000) mode */
static enum a32_class dec_srs(uint32_t w, struct a32 *o)
{
    o->p = bits(w, 24, 24);
    o->u = bits(w, 23, 23);
    o->w = bits(w, 21, 21);
    o->mode = bits(w, 4, 0);
    o->cond = COND_AL;
    if ((w & 0x000FFFE0) != 0x000D0500)
        return unpred(o, "SRS with should-be bits wrong");
    return o->cls = A32_SRS;
}

/* B9.3.13 RFE: 1111 100P U0W1 Rn (0000) (1010) (0000 0000) */
static enum a32_class dec_rfe(uint32_t w, struct a32 *o)
{
    o->p = bits(w, 24, 24);
    o->u = bits(w, 23, 23);
    o->w = bits(w, 21, 21);
    o->rn = bits(w, 19, 16);
    o->cond = COND_AL;
    if ((w & 0xFFFF) != 0x0A00)
        return unpred(o, "RFE with should-be bits wrong");
    if (o->rn == 15)
        return unpred(o, "RFE with Rn = PC (UNPREDICTABLE)");
    return o->cls = A32_RFE;
}

/* B9.3.8 MRS: cond 0001 0R00 (1111) Rd (00) 0 (0) 0000 (0000);
 * B9.3.9 MRS (banked register): cond 0001 0R00 M1 Rd (00) 1 M 0000 (0000) */
static enum a32_class dec_mrs(uint32_t w, struct a32 *o)
{
    o->spsr = bits(w, 22, 22);
    o->rd = bits(w, 15, 12);
    if (o->rd == 15)
        return unpred(o, "MRS with Rd = PC (UNPREDICTABLE)");
    if (bits(w, 9, 9)) {
        o->sysm = bits(w, 8, 8) << 4 | bits(w, 19, 16);
        if (w & 0x00000C0F)
            return unpred(o, "banked MRS with should-be-zero bits set");
        return o->cls = A32_MRS_BANKED;
    }
    if ((w & 0x000F0D0F) != 0x000F0000)
        return unpred(o, "MRS with should-be bits wrong");
    return o->cls = A32_MRS;
}

/* B9.3.12 MSR (register): cond 0001 0R10 mask (1111) (00) 0 (0) 0000 Rn;
 * B9.3.10 MSR (banked register): cond 0001 0R10 M1 (1111) (00) 1 M 0000 Rn */
static enum a32_class dec_msr_reg(uint32_t w, struct a32 *o)
{
    o->spsr = bits(w, 22, 22);
    o->rn = bits(w, 3, 0);
    if (o->rn == 15)
        return unpred(o, "MSR with Rn = PC (UNPREDICTABLE)");
    if (bits(w, 9, 9)) {
        o->sysm = bits(w, 8, 8) << 4 | bits(w, 19, 16);
        return o->cls = (w & 0xFC00) == 0xF000 ? A32_MSR_BANKED
                      : unpred(o, "banked MSR with should-be bits wrong");
    }
    o->mask = bits(w, 19, 16);
    if ((w & 0xFD00) != 0xF000)
        return unpred(o, "MSR with should-be bits wrong");
    if (o->mask == 0)
        return unpred(o, "MSR with an empty field mask (UNPREDICTABLE)");
    return o->cls = A32_MSR_REG;
}

/* B9.3.11 MSR (immediate): cond 0011 0R10 mask (1111) imm12, and the hint
 * space it contains (A5.2.11): cond 0011 0010 0000 (1111) (0000) op2 */
static enum a32_class dec_msr_imm(uint32_t w, struct a32 *o)
{
    static const int8_t hint_of[5] = { -1, PV_HINT_YIELD, PV_HINT_WFE, PV_HINT_WFI, PV_HINT_SEV };

    o->spsr = bits(w, 22, 22);
    o->mask = bits(w, 19, 16);
    o->imm12 = bits(w, 11, 0);
    if (!o->spsr && o->mask == 0) {
        unsigned op2 = bits(w, 7, 0);
        /* NOP, DBG, CSDB and unallocated hints execute as NOPs: harmless */
        if (op2 >= 5 || hint_of[op2] < 0)
            return o->cls = A32_OTHER;
        if ((w & 0xFF00) != 0xF000)
            return unpred(o, "hint with should-be bits wrong");
        o->hint = (uint8_t)hint_of[op2];
        return o->cls = A32_HINT;
    }
    if ((w & 0xF000) != 0xF000)
        return unpred(o, "MSR with should-be bits wrong");
    if (o->mask == 0)
        return unpred(o, "MSR SPSR with an empty field mask (UNPREDICTABLE)");
    return o->cls = A32_MSR_IMM;
}

/* LDM/STM with the S bit: cond 100P U1WL Rn list.
 * B9.3.5 (exception return, PC in the list), B9.3.6 (User registers),
 * B9.3.16 (STM User registers). */
static enum a32_class dec_ldstm_s(uint32_t w, struct a32 *o)
{
    bool load = bits(w, 20, 20);

    o->p = bits(w, 24, 24);
    o->u = bits(w, 23, 23);
    o->w = bits(w, 21, 21);
    o->rn = bits(w, 19, 16);
    o->list = bits(w, 15, 0);
    if (o->rn == 15)
        return unpred(o, "LDM/STM ^ with Rn = PC (UNPREDICTABLE)");
    if (load && (o->list & 0x8000)) {
        if (o->w && (o->list >> o->rn & 1))
            return unpred(o, "exception-return LDM writing back to a loaded Rn (UNPREDICTABLE)");
        return o->cls = A32_LDM_EXCRET;
    }
    if (o->list == 0)
        return unpred(o, "LDM/STM ^ with an empty list (UNPREDICTABLE)");
    if (o->w)
        return unpred(o, "LDM/STM of User registers with writeback (UNPREDICTABLE)");
    return o->cls = load ? A32_LDM_USER : A32_STM_USER;
}

/* B9.3.20 SUBS PC, LR and related: cond 00 I opcode 1 Rn 1111 operand2.
 * With I = 0, bit 7 = 1 and bit 4 = 1 it is the multiply / extra
 * load-store space (A5.2), not data processing. */
static enum a32_class dec_dp_pc(uint32_t w, struct a32 *o)
{
    o->imm = bits(w, 25, 25);
    if (!o->imm && bits(w, 7, 7) && bits(w, 4, 4))
        return o->cls = A32_OTHER;
    o->opcode = bits(w, 24, 21);
    o->rn = bits(w, 19, 16);
    o->operand2 = bits(w, 11, 0);
    if (o->opcode >= 8 && o->opcode <= 11)
        return unpred(o, "TST/TEQ/CMP/CMN with Rd = PC (the ARMv2 'P' form: UNPREDICTABLE)");
    if (!o->imm && bits(w, 4, 4))
        return unpred(o, "register-shifted register operand with Rd = PC (UNPREDICTABLE)");
    if ((o->opcode == DP_MOV || o->opcode == DP_MVN) && o->rn)
        return unpred(o, "MOVS/MVNS PC with should-be-zero Rn set");
    return o->cls = A32_DP_PC;
}

/* SMC (B9.3.14), HVC (B9.3.4), ERET (B9.3.3): no PV meaning */
static enum a32_class dec_smc(uint32_t w, struct a32 *o)
{
    (void)w;
    o->why = "SMC (Security Extensions call): the guest has no Secure monitor.  An SMCCC/PSCI "
             "call (SMC #0) becomes the PSCI hypercall with --psci; an SMC that never runs (an "
             "SMCCC helper for the \"smc\" conduit, while the guest's device tree says \"hvc\") "
             "can be left alone with --exempt-range A:B (it is UNDEFINED if reached)";
    return o->cls = A32_HYP;
}
static enum a32_class dec_hvc(uint32_t w, struct a32 *o)
{
    (void)w;
    o->why = "HVC: use the PV hypercall (PV_HVC), the guest has no Hyp mode";
    return o->cls = A32_HYP;
}
static enum a32_class dec_eret(uint32_t w, struct a32 *o)
{
    (void)w;
    o->why = "ERET: the guest has no Hyp mode";
    return o->cls = A32_HYP;
}

/* ---- CP15 operations that trap anyway ------------------------------------ */

#define X_MIRROR(name, idx, crn, op1, crm, op2) { crn, op1, crm, op2 },
static const struct { uint8_t crn, opc1, crm, opc2; } cp15_mirror[PV_SRFA_CP15_COUNT] = {
    PV_SRFA_CP15_LIST(X_MIRROR)
};

static const struct { uint8_t crm, opc2, op; } cache_va_ops[] = {
    { 10, 1, PV_FIT_DCCMVAC }, { 11, 1, PV_FIT_DCCMVAU }, { 14, 1, PV_FIT_DCCIMVAC },
    {  6, 1, PV_FIT_DCIMVAC }, {  5, 1, PV_FIT_ICIMVAU },
};

/* B4.2.2 (TLB maintenance, CRn = c8) and B4.2.1 (branch predictor:
 * BPIALLIS c7,c1,6; BPIALL c7,c5,6; BPIMVA c7,c5,7) */
static bool is_tlb_bp(const struct cp_insn *c)
{
    if (c->crn == 8)
        return true;
    return c->crn == 7 && ((c->crm == 5 && (c->opc2 == 6 || c->opc2 == 7)) ||
                           (c->crm == 1 && c->opc2 == 6));
}

static enum a32_class dec_cp15(uint32_t w, struct a32 *o)
{
    struct cp_insn c;

    if (!cp_decode(w, &c) || c.two_regs || c.coproc != 15)
        return o->cls = A32_OTHER;
    o->rd = c.rt;
    if (c.read) {
        for (unsigned i = 0; i < PV_SRFA_CP15_COUNT; i++)
            if (cp15_mirror[i].crn == c.crn && cp15_mirror[i].opc1 == c.opc1 &&
                cp15_mirror[i].crm == c.crm && cp15_mirror[i].opc2 == c.opc2) {
                o->cp_index = (uint8_t)i;
                return o->cls = A32_CP15_MIRROR;
            }
        return o->cls = A32_OTHER;
    }
    if (c.opc1 != 0)
        return o->cls = A32_OTHER;
    if (is_tlb_bp(&c))
        return o->cls = A32_TLB_BP;
    if (c.crn == 13 && c.crm == 0 && c.opc2 == 3)
        return o->cls = A32_TPIDRURO_W;
    if (c.crn == 7)
        for (unsigned i = 0; i < sizeof(cache_va_ops) / sizeof(cache_va_ops[0]); i++)
            if (cache_va_ops[i].crm == c.crm && cache_va_ops[i].opc2 == c.opc2) {
                o->fit_op = cache_va_ops[i].op;
                return o->cls = A32_CACHE_VA;
            }
    return o->cls = A32_OTHER;
}

/* VMRS/VMSR of FPEXC: privileged (a PL1 register), so it traps anyway; Linux
 * executes both at every context switch (its lazy VFP switch). */
static enum a32_class dec_fpexc(uint32_t w, struct a32 *o)
{
    struct vfp_sys_insn f;

    if (!vfp_sys_decode(w, &f) || f.reg != VFP_SYS_FPEXC)
        return o->cls = A32_OTHER;
    o->rd = f.rt;
    o->vmrs = f.read;
    return o->cls = A32_FPEXC;
}

static enum a32_class dec_semihost(uint32_t w, struct a32 *o)
{
    (void)w;
    return o->cls = A32_SEMIHOST;
}

/* LDRT, STRT, LDRBT, STRBT, LDRHT, STRHT, LDRSBT, LDRSHT (A8.8.*T) */
static enum a32_class dec_ls(uint32_t w, struct a32 *o)
{
    struct ls_insn ls;

    if (ls_decode(w, &ls) && ls.unpriv) {
        o->rd = ls.rt;
        o->rn = ls.rn;
        return o->cls = A32_UNPRIV_LS;
    }
    return o->cls = A32_OTHER;
}

/* ---- the table ----------------------------------------------------------- */

static const struct a32_pattern {
    uint32_t mask, value;
    bool uncond;            /* in the cond = 1111 space (A5.7) */
    enum a32_class (*decode)(uint32_t w, struct a32 *o);
} patterns[] = {
    { 0xFFF10020, 0xF1000000, true,  dec_cps },
    { 0xFE500000, 0xF8400000, true,  dec_srs },
    { 0xFE500000, 0xF8100000, true,  dec_rfe },
    { 0x0FB000F0, 0x01000000, false, dec_mrs },
    { 0x0FB000F0, 0x01200000, false, dec_msr_reg },
    { 0x0FB00000, 0x03200000, false, dec_msr_imm },
    { 0x0E400000, 0x08400000, false, dec_ldstm_s },
    { 0x0C10F000, 0x0010F000, false, dec_dp_pc },
    { 0x0FFFFFF0, 0x01600070, false, dec_smc },
    { 0x0FF000F0, 0x01400070, false, dec_hvc },
    { 0x0FFFFFFF, 0x0160006E, false, dec_eret },
    { 0x0F000010, 0x0E000010, false, dec_cp15 },
    { 0x0FEF0FFF, 0x0EE80A10, false, dec_fpexc },
    { 0x0FFFFFFF, 0x0F123456, false, dec_semihost },
    { 0x0C000000, 0x04000000, false, dec_ls },
    { 0x0E000090, 0x00000090, false, dec_ls },
};

enum a32_class a32_classify(uint32_t w, struct a32 *o)
{
    bool uncond = (w >> 28) == 0xF;

    for (unsigned i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        if (patterns[i].uncond != uncond || (w & patterns[i].mask) != patterns[i].value)
            continue;
        *o = (struct a32){ .word = w, .cond = w >> 28 };
        if (patterns[i].decode(w, o) != A32_OTHER)
            return o->cls;
    }
    *o = (struct a32){ .word = w, .cond = w >> 28 };
    return A32_OTHER;
}

static const char *const class_names[A32_NCLASSES] = {
    [A32_OTHER] = "other",
    [A32_CPS] = "CPS",
    [A32_MRS] = "MRS",
    [A32_MRS_BANKED] = "MRS banked",
    [A32_MSR_REG] = "MSR reg",
    [A32_MSR_BANKED] = "MSR banked",
    [A32_MSR_IMM] = "MSR imm",
    [A32_SRS] = "SRS",
    [A32_RFE] = "RFE",
    [A32_LDM_EXCRET] = "LDM exc-return",
    [A32_LDM_USER] = "LDM user regs",
    [A32_STM_USER] = "STM user regs",
    [A32_DP_PC] = "DP S Rd=PC",
    [A32_HINT] = "WFI/WFE/YIELD/SEV",
    [A32_HYP] = "SMC/HVC/ERET",
    [A32_UNPRED] = "UNPREDICTABLE",
    [A32_TLB_BP] = "TLB/BP maint",
    [A32_CP15_MIRROR] = "MRC mirrored",
    [A32_CACHE_VA] = "cache by VA",
    [A32_TPIDRURO_W] = "MCR TPIDRURO",
    [A32_FPEXC] = "VMRS/VMSR FPEXC",
    [A32_SEMIHOST] = "semihosting",
    [A32_UNPRIV_LS] = "LDRT/STRT",
};

const char *a32_class_name(enum a32_class c)
{
    return c < A32_NCLASSES && class_names[c] ? class_names[c] : "?";
}

bool a32_sensitive(enum a32_class c)
{
    return c >= A32_CPS && c <= A32_UNPRED;
}

/* ---- encoders -------------------------------------------------------------- */

bool a32_mod_imm(uint32_t v, uint16_t *imm12)
{
    for (unsigned rot = 0; rot < 16; rot++) {
        uint32_t r = rot ? (v << (2 * rot)) | (v >> (32 - 2 * rot)) : v;
        if (r <= 0xFF) {
            *imm12 = (uint16_t)(rot << 8 | r);
            return true;
        }
    }
    return false;
}

bool a32_b_in_range(uint32_t from, uint32_t to)
{
    int64_t d = (int64_t)to - ((int64_t)from + 8);
    return !(d & 3) && d >= -(1 << 25) && d < (1 << 25);
}

uint32_t a32_b(uint8_t cond, uint32_t from, uint32_t to)
{
    uint32_t off = (to - (from + 8)) >> 2;
    return (uint32_t)cond << 28 | 0x0A000000u | (off & 0x00FFFFFF);
}

uint32_t a32_dp_imm(uint8_t cond, uint8_t opcode, bool s, uint8_t rd, uint8_t rn, uint16_t imm12)
{
    return (uint32_t)cond << 28 | 1u << 25 | (uint32_t)opcode << 21 | (uint32_t)s << 20 |
           (uint32_t)rn << 16 | (uint32_t)rd << 12 | (imm12 & 0xFFFu);
}

uint32_t a32_dp_reg(uint8_t cond, uint8_t opcode, bool s, uint8_t rd, uint8_t rn, uint8_t rm)
{
    return (uint32_t)cond << 28 | (uint32_t)opcode << 21 | (uint32_t)s << 20 |
           (uint32_t)rn << 16 | (uint32_t)rd << 12 | rm;
}

static uint32_t ls_imm(bool load, uint8_t rt, uint8_t rn, int32_t off)
{
    uint32_t u = off >= 0, a = (uint32_t)(off >= 0 ? off : -off) & 0xFFF;
    return 0xE5000000u | u << 23 | (uint32_t)load << 20 | (uint32_t)rn << 16 | (uint32_t)rt << 12 | a;
}

uint32_t a32_ldr_imm(uint8_t rt, uint8_t rn, int32_t off) { return ls_imm(true, rt, rn, off); }
uint32_t a32_str_imm(uint8_t rt, uint8_t rn, int32_t off) { return ls_imm(false, rt, rn, off); }
uint32_t a32_push(uint16_t list) { return 0xE92D0000u | list; }
uint32_t a32_pop(uint16_t list)  { return 0xE8BD0000u | list; }
uint32_t a32_mrs_apsr(uint8_t rd) { return 0xE10F0000u | (uint32_t)rd << 12; }
uint32_t a32_msr_apsr_nzcvq(uint8_t rn) { return 0xE128F000u | rn; }

uint32_t a32_movw(uint8_t cond, uint8_t rd, uint16_t v)
{
    return (uint32_t)cond << 28 | 0x03000000u | (uint32_t)(v >> 12) << 16 | (uint32_t)rd << 12 | (v & 0xFFFu);
}

uint32_t a32_movt(uint8_t cond, uint8_t rd, uint16_t v)
{
    return (uint32_t)cond << 28 | 0x03400000u | (uint32_t)(v >> 12) << 16 | (uint32_t)rd << 12 | (v & 0xFFFu);
}

uint32_t a32_svc(uint8_t cond, uint32_t imm24)
{
    return (uint32_t)cond << 28 | 0x0F000000u | (imm24 & 0xFFFFFFu);
}
