/*
 * core/decode.c: PV SVC encodings, coprocessor and VFP system register
 * moves, condition checks, the data-processing shifter and ALU.
 */
#include "unit.h"
#include "decode.h"
#include <hv/pv-abi.h>

#define ITER 2000

/* ---- PV encode/decode round trip -------------------------------------- */

static void check_pv_fields(const struct pv_insn *got, const struct pv_insn *exp, uint32_t word)
{
#define F(f) CHECK_EQ_CTX(got->f, exp->f, "field " #f " of word 0x%08x (class %d)", \
                          (unsigned)word, (int)exp->cls)
    F(cls); F(cond); F(p); F(u); F(w); F(rn); F(list); F(opcode); F(imm); F(operand2);
    F(spsr); F(mask); F(rd); F(imm12); F(imod); F(change_mode); F(aif); F(mode);
    F(hint); F(hvc_nr); F(word); F(fit_op); F(keep_r0); F(load);
#undef F
}

/* Random valid instance of class `cls`, only its own fields set. */
static struct pv_insn random_pv(enum pv_class cls, uint32_t *s)
{
    struct pv_insn i;
    uint32_t r = unit_rand(s), r2 = unit_rand(s);

    memset(&i, 0, sizeof(i));
    i.cls = cls;
    i.cond = r % 15;                    /* 0xF is not an SVC */
    switch (cls) {
    case PV_C_LDM_EXCRET:
        i.p = r2 & 1; i.u = r2 >> 1 & 1; i.w = r2 >> 2 & 1; i.rn = r2 >> 3 & 15;
        i.list = (r2 >> 7 & 0x7FFF) | 0x8000;
        break;
    case PV_C_STM_USER:
        i.p = r2 & 1; i.u = r2 >> 1 & 1; i.rn = r2 >> 3 & 15; i.list = r2 >> 7 & 0xFFFF;
        break;
    case PV_C_LDM_USER:
        i.p = r2 & 1; i.u = r2 >> 1 & 1; i.rn = r2 >> 3 & 15; i.list = r2 >> 7 & 0x7FFF;
        break;
    case PV_C_DP_PC:
        i.opcode = r2 & 15; i.imm = r2 >> 4 & 1; i.rn = r2 >> 5 & 15;
        i.operand2 = r2 >> 9 & 0xFFF;
        if (!i.imm)
            i.operand2 &= ~0x10;        /* register-shifted-register: reserved */
        break;
    case PV_C_MSR_IMM:
        i.spsr = r2 & 1; i.mask = r2 >> 1 & 15; i.imm12 = r2 >> 5 & 0xFFF;
        break;
    case PV_C_MRS:
        i.spsr = r2 & 1; i.rd = r2 >> 1 & 15;
        break;
    case PV_C_MSR_REG:
        i.spsr = r2 & 1; i.mask = r2 >> 1 & 15; i.rn = r2 >> 5 & 15;
        break;
    case PV_C_CPS:
        i.imod = r2 & 3; i.change_mode = r2 >> 2 & 1; i.aif = r2 >> 3 & 7; i.mode = r2 >> 6 & 31;
        break;
    case PV_C_SRS:
        i.p = r2 & 1; i.u = r2 >> 1 & 1; i.w = r2 >> 2 & 1; i.mode = r2 >> 3 & 31;
        break;
    case PV_C_RFE:
        i.p = r2 & 1; i.u = r2 >> 1 & 1; i.w = r2 >> 2 & 1; i.rn = r2 >> 3 & 15;
        break;
    case PV_C_HINT:
        i.hint = r2 % 5;
        break;
    case PV_C_HVC:
        i.hvc_nr = r2 & 0xFF;
        break;
    case PV_C_FIT_LOAD:
        i.rd = r2 % 13; i.word = r2 >> 4 & 0x3FF;
        break;
    case PV_C_FIT_CACHE:
        i.rd = r2 % 15; i.fit_op = (r2 >> 4) % PV_FIT_NCACHE;
        break;
    case PV_C_RET_USER:
        i.rn = r2 % 15; i.keep_r0 = r2 >> 4 & 1;
        break;
    case PV_C_FIT_STORE:
        i.rd = r2 % 13;
        break;
    case PV_C_RET_MODE:
        i.mode = r2 & 0x1F;
        break;
    case PV_C_FIT_FPEXC:
        i.rd = r2 % 13; i.load = r2 >> 4 & 1;
        break;
    default:
        fail_msg("no generator for class %d", (int)cls);
    }
    return i;
}

/* Independent encoder: the bit layout of include/hv/pv-abi.h written out. */
static uint32_t ref_imm24(const struct pv_insn *i)
{
    switch (i->cls) {
    case PV_C_LDM_EXCRET:
        return 3u << 22 | i->p << 21 | i->u << 20 | i->w << 19 | i->rn << 15 | (i->list & 0x7FFF);
    case PV_C_STM_USER:
        return 2u << 22 | i->p << 21 | i->u << 20 | i->rn << 16 | i->list;
    case PV_C_LDM_USER:
        return 3u << 21 | i->p << 20 | i->u << 19 | i->rn << 15 | i->list;
    case PV_C_DP_PC:
        return 2u << 21 | (uint32_t)i->opcode << 17 | i->imm << 16 | i->rn << 12 | i->operand2;
    case PV_C_MSR_IMM:
        return 2u << 20 | i->spsr << 16 | (uint32_t)i->mask << 12 | i->imm12;
    case PV_C_MRS:      return 3u << 20 | 0u << 16 | i->spsr << 8 | i->rd;
    case PV_C_MSR_REG:  return 3u << 20 | 1u << 16 | i->spsr << 8 | i->mask << 4 | i->rn;
    case PV_C_CPS:
        return 3u << 20 | 2u << 16 | i->imod << 9 | i->change_mode << 8 | i->aif << 5 | i->mode;
    case PV_C_SRS:      return 3u << 20 | 3u << 16 | i->p << 7 | i->u << 6 | i->w << 5 | i->mode;
    case PV_C_RFE:      return 3u << 20 | 4u << 16 | i->p << 7 | i->u << 6 | i->w << 5 | i->rn;
    case PV_C_HINT:     return 3u << 20 | 5u << 16 | i->hint;
    case PV_C_HVC:      return 3u << 20 | 6u << 16 | i->hvc_nr;
    case PV_C_FIT_LOAD: return 3u << 20 | 7u << 16 | (uint32_t)i->rd << 12 | i->word;
    case PV_C_FIT_CACHE: return 3u << 20 | 8u << 16 | (uint32_t)i->rd << 12 | i->fit_op;
    case PV_C_RET_USER: return 3u << 20 | 9u << 16 | i->keep_r0 << 4 | i->rn;
    case PV_C_FIT_STORE: return 3u << 20 | 10u << 16 | (uint32_t)i->rd << 12;
    case PV_C_RET_MODE: return 3u << 20 | 11u << 16 | i->mode;
    case PV_C_FIT_FPEXC: return 3u << 20 | 12u << 16 | (uint32_t)i->rd << 12 | i->load;
    default:            return 0;
    }
}

static void roundtrip_class(enum pv_class cls)
{
    uint32_t seed = 0x12345678u ^ (uint32_t)cls * 0x9E3779B9u;

    for (int n = 0; n < ITER; n++) {
        struct pv_insn in = random_pv(cls, &seed), out, out2;
        uint32_t word = pv_encode(&in);
        uint32_t ref = svc_word(in.cond, ref_imm24(&in));

        CHECK_EQ_CTX(word, ref, "pv_encode vs the pv-abi.h layout, iteration %d", n);
        CHECK_EQ_CTX(pv_decode(word, &out), true, "pv_decode(0x%08x)", (unsigned)word);
        check_pv_fields(&out, &in, word);
        /* and back again: decode(encode(decode(w))) */
        CHECK_EQ_CTX(pv_encode(&out), word, "re-encoding the decoded 0x%08x", (unsigned)word);
        CHECK_EQ(pv_decode(pv_encode(&out), &out2), true);
        check_pv_fields(&out2, &in, word);
    }
}

#define RT(c) static void test_pv_roundtrip_##c(void **s) { roundtrip_class(PV_C_##c); }
RT(LDM_EXCRET) RT(STM_USER) RT(LDM_USER) RT(DP_PC) RT(MSR_IMM) RT(MRS) RT(MSR_REG)
RT(CPS) RT(SRS) RT(RFE) RT(HINT) RT(HVC) RT(FIT_LOAD) RT(FIT_CACHE) RT(RET_USER) RT(FIT_STORE) RT(RET_MODE)
RT(FIT_FPEXC)
#undef RT

/*
 * pv_encode() of a condition >= 8 must not rely on undefined behaviour:
 * PV_ENCODE(cond, imm24) shifts `(cond) & 0xF` -- an int -- left by 28, which
 * overflows int for cond >= 8 (C11 6.5.7p4).  UBSan reports it; the teardown
 * turns the report into a failure.  (UBSan reports each source location
 * once per process, so this test runs first and owns the report.)
 */
static void test_pv_encode_cond_al_no_ub(void **s)
{
    struct pv_insn i;

    memset(&i, 0, sizeof(i));
    i.cls = PV_C_HVC;
    i.cond = 0xE;
    i.hvc_nr = HC_ABI_VERSION;
    CHECK_EQ(pv_encode(&i), 0xEF360000u);
}

/* The pv-abi.h macros are what the guest stubs use: they must agree with
 * the decoder for a few hand-written instructions. */
static void test_pv_known_encodings(void **s)
{
    struct pv_insn i;

    /* subs pc, lr, #4 */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_DP_PC(2, 1, 14, 4)), &i));
    CHECK_EQ(i.cls, PV_C_DP_PC); CHECK_EQ(i.opcode, 2); CHECK_EQ(i.imm, 1);
    CHECK_EQ(i.rn, 14); CHECK_EQ(i.operand2, 4); CHECK_EQ(i.cond, 0xE);
    /* ldmfd sp!, {r0-r3, pc}^ */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_LDM_EXCRET(0, 1, 1, 13, 0xF)), &i));
    CHECK_EQ(i.cls, PV_C_LDM_EXCRET); CHECK_EQ(i.list, 0x800F); CHECK_EQ(i.rn, 13);
    CHECK_EQ(i.w, 1); CHECK_EQ(i.u, 1); CHECK_EQ(i.p, 0);
    /* cpsid if (conditional: NE) */
    CHECK_TRUE(pv_decode(svc_word(0x1, PV_CPS(PV_CPS_IMOD_DISABLE, 0, PV_CPS_I | PV_CPS_F, 0)), &i));
    CHECK_EQ(i.cls, PV_C_CPS); CHECK_EQ(i.cond, 1); CHECK_EQ(i.imod, 3); CHECK_EQ(i.aif, 3);
    CHECK_EQ(i.change_mode, 0);
    /* mrs r7, spsr */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_MRS(1, 7)), &i));
    CHECK_EQ(i.cls, PV_C_MRS); CHECK_EQ(i.spsr, 1); CHECK_EQ(i.rd, 7);
    /* msr cpsr_fc, r3 */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_MSR_REG(0, PV_MSR_F | PV_MSR_C, 3)), &i));
    CHECK_EQ(i.cls, PV_C_MSR_REG); CHECK_EQ(i.mask, 9); CHECK_EQ(i.rn, 3); CHECK_EQ(i.spsr, 0);
    /* hvc #HC_WRITE, wfi */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_HVC(HC_WRITE)), &i));
    CHECK_EQ(i.cls, PV_C_HVC); CHECK_EQ(i.hvc_nr, HC_WRITE);
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_HINT(PV_HINT_WFI)), &i));
    CHECK_EQ(i.cls, PV_C_HINT); CHECK_EQ(i.hint, PV_HINT_WFI);
}

/* ---- reserved encodings -------------------------------------------------- */

static void expect_invalid(uint32_t imm24, const char *why)
{
    struct pv_insn i;
    uint32_t w = svc_word(0xE, imm24);

    CHECK_EQ_CTX(pv_decode(w, &i), true, "%s: 0x%08x is an SVC", why, (unsigned)w);
    CHECK_EQ_CTX(i.cls, PV_C_INVALID, "%s: imm24 0x%06x", why, (unsigned)imm24);
}

static void test_pv_reserved_sys_ops(void **s)
{
    for (unsigned op = 13; op < 16; op++)
        for (unsigned args = 0; args < 0x10000; args += 0x111)
            expect_invalid(PV_SYS(op, args), "system op 13..15");
    /* FIT FPEXC: Rt in r0-r12 and L, nothing else */
    for (unsigned b = 1; b < 12; b++)
        expect_invalid(PV_SYS(PV_SYS_FIT_FPEXC, 1u << b), "FIT FPEXC reserved bit");
    for (unsigned rt = 13; rt < 16; rt++)
        expect_invalid(PV_FIT_FPEXC(rt, rt & 1), "FIT FPEXC with SP, LR or PC");
    for (unsigned b = 5; b < 16; b++)
        expect_invalid(PV_SYS(PV_SYS_RET_MODE, 1u << b | 1), "RET_MODE reserved bit");
    /* FIT store: Rt in r0-r12, nothing else (TPIDRURO is register 0) */
    for (unsigned b = 0; b < 12; b++)
        expect_invalid(PV_SYS(PV_SYS_FIT_STORE, 1u << b), "FIT store reserved bit");
    for (unsigned rt = 13; rt < 16; rt++)
        expect_invalid(PV_FIT_STORE(rt), "FIT store from SP, LR or PC");
    /* RET_USER: K[4] Rn[3:0] only, and the frame is not addressed by PC */
    for (unsigned b = 5; b < 16; b++)
        expect_invalid(PV_SYS(PV_SYS_RET_USER, 1u << b | 2), "RET_USER reserved bit");
    expect_invalid(PV_RET_USER(0, 15), "RET_USER from PC");
    expect_invalid(PV_RET_USER(1, 15), "RET_USER from PC");
    /* FIT: reserved bits, targets the fast path cannot write, unknown ops */
    expect_invalid(PV_SYS(PV_SYS_FIT_LOAD, 0x0400), "FIT load bit 10");
    expect_invalid(PV_SYS(PV_SYS_FIT_LOAD, 0x0800), "FIT load bit 11");
    for (unsigned rt = 13; rt < 16; rt++)
        expect_invalid(PV_FIT_LOAD(rt, 3), "FIT load into SP, LR or PC");
    expect_invalid(PV_FIT_CACHE(15, 0), "FIT cache op on PC");
    for (unsigned op = PV_FIT_NCACHE; op < 16; op++)
        expect_invalid(PV_FIT_CACHE(0, op), "FIT cache op number");
    for (unsigned b = 4; b < 12; b++)
        expect_invalid(PV_SYS(PV_SYS_FIT_CACHE, 1u << b), "FIT cache reserved bit");
}

static void test_pv_reserved_arg_bits(void **s)
{
    static const uint16_t allowed[7] = { 0x010F, 0x01FF, 0x07FF, 0x00FF, 0x00EF, 0x0007, 0x00FF };

    for (unsigned op = 0; op < 7; op++) {
        for (unsigned b = 0; b < 16; b++) {
            struct pv_insn i;
            if (allowed[op] & (1u << b))
                continue;
            expect_invalid(PV_SYS(op, 1u << b), "reserved argument bit");
            /* also together with valid bits */
            expect_invalid(PV_SYS(op, (1u << b) | (allowed[op] & 0x3)), "reserved argument bit");
            (void)i;
        }
    }
    /* bit 4 of RFE is reserved (Rn is 4 bits, no mode field) */
    expect_invalid(PV_SYS(PV_SYS_RFE, 0x10), "RFE bit 4");
}

static void test_pv_reserved_hints(void **s)
{
    for (unsigned h = 5; h < 8; h++)
        expect_invalid(PV_HINT(h), "hint 5..7");
}

static void test_pv_reserved_msr_imm_bits(void **s)
{
    for (unsigned b = 17; b <= 19; b++) {
        expect_invalid(PV_MSR_IMM(0, 8, 0x4F0) | (1u << b), "MSR imm bits [19:17]");
        expect_invalid(PV_MSR_IMM(1, 1, 0) | (1u << b), "MSR imm bits [19:17]");
    }
}

static void test_pv_reserved_dp_reg_shifted_reg(void **s)
{
    struct pv_insn i;

    /* movs pc, lr, lsl r2 : register-shifted register, bit 4 set, I = 0 */
    expect_invalid(PV_DP_PC(0xD, 0, 0, 0x21E), "DP register-shifted register");
    for (unsigned op2 = 0x10; op2 < 0x1000; op2 += 0x20)
        expect_invalid(PV_DP_PC(2, 0, 14, op2), "DP register-shifted register");
    /* with I = 1, bit 4 is just part of the immediate */
    CHECK_TRUE(pv_decode(svc_word(0xE, PV_DP_PC(2, 1, 14, 0x10)), &i));
    CHECK_EQ(i.cls, PV_C_DP_PC);
    CHECK_EQ(i.operand2, 0x10);
}

static void test_pv_guest_own_svc(void **s)
{
    static const uint32_t imms[] = { 0, 1, 0x123456, 0x1FFFFF, 0x100000, 0x0F0F0F, 0x1ABCDE };
    struct pv_insn i;
    uint32_t seed = 42;

    for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++) {
        CHECK_TRUE(pv_decode(svc_word(0xE, imms[k]), &i));
        CHECK_EQ_CTX(i.cls, PV_NONE, "svc #0x%06x", (unsigned)imms[k]);
        CHECK_EQ(i.cond, 0xE);
    }
    for (int n = 0; n < ITER; n++) {
        uint32_t imm = unit_rand(&seed) % 0x200000, cond = unit_rand(&seed) % 15;
        CHECK_TRUE(pv_decode(svc_word(cond, imm), &i));
        CHECK_EQ_CTX(i.cls, PV_NONE, "svc #0x%06x cond %u", (unsigned)imm, (unsigned)cond);
        CHECK_EQ(i.cond, cond);
    }
    /* the first PV value */
    CHECK_TRUE(pv_decode(svc_word(0xE, 0x200000), &i));
    CHECK_EQ(i.cls, PV_C_MSR_IMM);
}

static void test_pv_non_svc_rejected(void **s)
{
    static const uint32_t words[] = {
        0xE1A00000,     /* mov r0, r0 */
        0xEE110F10,     /* mrc p15, 0, r0, c1, c0, 0 */
        0xEB000000,     /* bl */
        0xE7F000F0,     /* udf */
        0xFF000000,     /* cond 1111: unconditional space, not SVC */
        0xFFFFFFFF,
        0x0E000000, 0x00000000, 0xEE000000, 0xE3200003, /* wfi */
    };
    struct pv_insn i;
    uint32_t seed = 7;

    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        CHECK_EQ_CTX(pv_decode(words[k], &i), false, "word 0x%08x", (unsigned)words[k]);
    for (int n = 0; n < ITER; n++) {
        uint32_t w = unit_rand(&seed);
        bool is_svc = (w & 0x0F000000) == 0x0F000000 && (w >> 28) != 0xF;
        CHECK_EQ_CTX(pv_decode(w, &i), is_svc, "word 0x%08x", (unsigned)w);
    }
}

/* ---- coprocessor transfers ----------------------------------------------- */

static void check_cp(uint32_t w, bool ok, unsigned cond, unsigned cp, bool read, bool two,
                     unsigned opc1, unsigned crn, unsigned crm, unsigned opc2,
                     unsigned rt, unsigned rt2)
{
    struct cp_insn c;

    CHECK_EQ_CTX(cp_decode(w, &c), ok, "cp_decode(0x%08x)", (unsigned)w);
    if (!ok)
        return;
    CHECK_EQ_CTX(c.cond, cond, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.coproc, cp, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.read, read, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.two_regs, two, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.opc1, opc1, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.crn, crn, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.crm, crm, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.opc2, opc2, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.rt, rt, "0x%08x", (unsigned)w);
    CHECK_EQ_CTX(c.rt2, rt2, "0x%08x", (unsigned)w);
}

static void test_cp_decode_known(void **s)
{
    /* mrc p15, 0, r0, c1, c0, 0 */
    check_cp(0xEE110F10, true, 0xE, 15, true, false, 0, 1, 0, 0, 0, 0);
    /* mcr p15, 0, r2, c7, c10, 1 */
    check_cp(0xEE072F3A, true, 0xE, 15, false, false, 0, 7, 10, 1, 2, 0);
    /* mrc p15, 0, r3, c13, c0, 3 */
    check_cp(0xEE1D3F70, true, 0xE, 15, true, false, 0, 13, 0, 3, 3, 0);
    /* mrcne p15, 1, r4, c0, c0, 1 (CLIDR) */
    check_cp(0x1E304F30, true, 0x1, 15, true, false, 1, 0, 0, 1, 4, 0);
    /* mcr p14, 7, lr, c15, c15, 7 */
    check_cp(0xEEEFEEFF, true, 0xE, 14, false, false, 7, 15, 15, 7, 14, 0);
    /* mcrr p15, 0, r0, r1, c2 */
    check_cp(0xEC410F02, true, 0xE, 15, false, true, 0, 0, 2, 0, 0, 1);
    /* mrrc p15, 1, r2, r3, c14 */
    check_cp(0xEC532F1E, true, 0xE, 15, true, true, 1, 0, 14, 0, 2, 3);
    /* not register transfers */
    check_cp(0xE1A00000, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);   /* mov */
    check_cp(0xEE000F00, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);   /* cdp p15 */
    check_cp(0xED900A00, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);   /* vldr s0, [r0] */
    check_cp(0xEC100F02, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);   /* ldc-space, not mrrc */
}

static void test_cp_decode_property(void **s)
{
    uint32_t seed = 99;

    for (int n = 0; n < ITER; n++) {
        uint32_t r = unit_rand(&seed);
        unsigned cond = r % 15, cp = r >> 4 & 15, rd = r >> 8 & 1, opc1 = r >> 9 & 7,
                 crn = r >> 12 & 15, rt = r >> 16 & 15, opc2 = r >> 20 & 7, crm = r >> 23 & 15,
                 rt2 = r >> 27 & 15;
        uint32_t mcr = cond << 28 | 0x0E000010u | opc1 << 21 | rd << 20 | crn << 16 |
                       rt << 12 | cp << 8 | opc2 << 5 | crm;
        uint32_t mcrr = cond << 28 | 0x0C400000u | rd << 20 | rt2 << 16 | rt << 12 |
                        cp << 8 | (opc1 | (opc2 & 1) << 3) << 4 | crm;
        check_cp(mcr, true, cond, cp, rd, false, opc1, crn, crm, opc2, rt, 0);
        check_cp(mcrr, true, cond, cp, rd, true, opc1 | (opc2 & 1) << 3, 0, crm, 0, rt, rt2);
    }
}

/* ---- VFP system register moves ------------------------------------------ */

static void test_vfp_sys_decode(void **s)
{
    struct vfp_sys_insn v;

    CHECK_TRUE(vfp_sys_decode(0xEEF80A10, &v));    /* vmrs r0, fpexc */
    CHECK_EQ(v.read, true); CHECK_EQ(v.reg, 8); CHECK_EQ(v.rt, 0); CHECK_EQ(v.cond, 0xE);
    CHECK_TRUE(vfp_sys_decode(0xEEE80A10, &v));    /* vmsr fpexc, r0 */
    CHECK_EQ(v.read, false); CHECK_EQ(v.reg, 8); CHECK_EQ(v.rt, 0);
    CHECK_TRUE(vfp_sys_decode(0xEEF11A10, &v));    /* vmrs r1, fpscr */
    CHECK_EQ(v.read, true); CHECK_EQ(v.reg, 1); CHECK_EQ(v.rt, 1);
    CHECK_TRUE(vfp_sys_decode(0xEEF0CA10, &v));    /* vmrs ip, fpsid */
    CHECK_EQ(v.read, true); CHECK_EQ(v.reg, 0); CHECK_EQ(v.rt, 12);
    CHECK_TRUE(vfp_sys_decode(0x0EE13A10, &v));    /* vmsreq fpscr, r3 */
    CHECK_EQ(v.read, false); CHECK_EQ(v.reg, 1); CHECK_EQ(v.rt, 3); CHECK_EQ(v.cond, 0);
    CHECK_TRUE(vfp_sys_decode(0xEEF1FA10, &v));    /* vmrs APSR_nzcv, fpscr */
    CHECK_EQ(v.rt, 15);
    CHECK_FALSE(vfp_sys_decode(0xEE000A10, &v));   /* vmov s0, r0 */
    CHECK_FALSE(vfp_sys_decode(0xEE110F10, &v));   /* mrc p15 */
    CHECK_FALSE(vfp_sys_decode(0xEEF80B10, &v));   /* cp11 form */
    CHECK_FALSE(vfp_sys_decode(0xEEF80A90, &v));   /* bit 7 set */
    CHECK_FALSE(vfp_sys_decode(0xE1A00000, &v));
}

/* ---- condition codes ------------------------------------------------------ */

static bool ref_cond(unsigned cond, bool n, bool z, bool c, bool v)
{
    switch (cond) {
    case 0x0: return z;                     /* EQ */
    case 0x1: return !z;                    /* NE */
    case 0x2: return c;                     /* CS */
    case 0x3: return !c;                    /* CC */
    case 0x4: return n;                     /* MI */
    case 0x5: return !n;                    /* PL */
    case 0x6: return v;                     /* VS */
    case 0x7: return !v;                    /* VC */
    case 0x8: return c && !z;               /* HI */
    case 0x9: return !c || z;               /* LS */
    case 0xA: return n == v;                /* GE */
    case 0xB: return n != v;                /* LT */
    case 0xC: return !z && n == v;          /* GT */
    case 0xD: return z || n != v;           /* LE */
    default:  return true;                  /* AL, and 1111 (unconditional) */
    }
}

static void test_cond_passed_all(void **s)
{
    static const uint32_t noise[] = { 0, 0x07FFFFFF, 0x000F01D3, 0x08000010 };

    for (unsigned cond = 0; cond < 16; cond++)
        for (unsigned nzcv = 0; nzcv < 16; nzcv++)
            for (size_t k = 0; k < 4; k++) {
                uint32_t cpsr = (uint32_t)nzcv << 28 | noise[k];
                bool exp = ref_cond(cond, nzcv & 8, nzcv & 4, nzcv & 2, nzcv & 1);
                CHECK_EQ_CTX(cond_passed(cond, cpsr), exp, "cond 0x%x NZCV %u%u%u%u (cpsr 0x%08x)",
                             cond, nzcv >> 3 & 1, nzcv >> 2 & 1, nzcv >> 1 & 1, nzcv & 1,
                             (unsigned)cpsr);
            }
}

/* ---- shifter ---------------------------------------------------------- */

static uint32_t ref_shift(unsigned type, unsigned amount, uint32_t rm, bool c)
{
    uint64_t x = rm;
    switch (type) {
    case 0:                                  /* LSL #0..31 */
        return (uint32_t)(x << amount);
    case 1:                                  /* LSR #1..32 (#0 encodes 32) */
        return (uint32_t)(x >> (amount ? amount : 32));
    case 2: {                                /* ASR #1..32 */
        unsigned a = amount ? amount : 32;
        uint64_t sext = (rm & 0x80000000u) ? (x | 0xFFFFFFFF00000000ull) : x;
        return (uint32_t)(a >= 32 ? ((rm & 0x80000000u) ? 0xFFFFFFFFu : 0) : (sext >> a));
    }
    default:
        if (!amount)                         /* RRX */
            return (uint32_t)((uint64_t)c << 31 | x >> 1);
        return (uint32_t)(((x << 32 | x) >> amount));
    }
}

static void test_dp_shifter_special_cases(void **s)
{
    /* operand2 = amount[11:7] type[6:5] 0 Rm[3:0] */
#define OP2(amt, type) ((uint16_t)((amt) << 7 | (type) << 5 | 14))
    CHECK_EQ(dp_shifter(false, OP2(0, 0), 0x80000001, false), 0x80000001);   /* LSL #0 */
    CHECK_EQ(dp_shifter(false, OP2(1, 0), 0x80000001, false), 0x00000002);
    CHECK_EQ(dp_shifter(false, OP2(31, 0), 0x00000003, false), 0x80000000);
    CHECK_EQ(dp_shifter(false, OP2(0, 1), 0xFFFFFFFF, true), 0);              /* LSR #32 */
    CHECK_EQ(dp_shifter(false, OP2(4, 1), 0x80000010, false), 0x08000001);
    CHECK_EQ(dp_shifter(false, OP2(31, 1), 0x80000000, false), 1);
    CHECK_EQ(dp_shifter(false, OP2(0, 2), 0x80000000, false), 0xFFFFFFFF);    /* ASR #32 */
    CHECK_EQ(dp_shifter(false, OP2(0, 2), 0x7FFFFFFF, true), 0);
    CHECK_EQ(dp_shifter(false, OP2(4, 2), 0x80000010, false), 0xF8000001);
    CHECK_EQ(dp_shifter(false, OP2(4, 2), 0x40000010, false), 0x04000001);
    CHECK_EQ(dp_shifter(false, OP2(8, 3), 0x12345678, false), 0x78123456);    /* ROR */
    CHECK_EQ(dp_shifter(false, OP2(31, 3), 0x00000001, false), 0x00000002);
    CHECK_EQ(dp_shifter(false, OP2(0, 3), 0x00000003, false), 0x00000001);    /* RRX, C=0 */
    CHECK_EQ(dp_shifter(false, OP2(0, 3), 0x00000003, true), 0x80000001);     /* RRX, C=1 */
#undef OP2
    /* immediates: imm8 rotated right by 2*rot */
    CHECK_EQ(dp_shifter(true, 0x004, 0xDEADBEEF, true), 4);
    CHECK_EQ(dp_shifter(true, 0x4F0, 0, false), 0xF0000000);
    CHECK_EQ(dp_shifter(true, 0x1FF, 0, false), 0xC000003F);
    CHECK_EQ(dp_shifter(true, 0xFFF, 0, false), 0x000003FC);
    CHECK_EQ(dp_shifter(true, 0x8FF, 0, false), 0x00FF0000);
}

static void test_dp_shifter_property(void **s)
{
    uint32_t seed = 2024;

    for (int n = 0; n < 4 * ITER; n++) {
        uint32_t rm = unit_rand(&seed), r = unit_rand(&seed);
        bool c = r >> 20 & 1;
        uint16_t op2 = r & 0xFEF;           /* bit 4 clear: immediate shift */
        unsigned amount = op2 >> 7 & 31, type = op2 >> 5 & 3;
        uint32_t imm12 = r & 0xFFF, imm8 = imm12 & 0xFF, rot = (imm12 >> 8) * 2;

        CHECK_EQ_CTX(dp_shifter(false, op2, rm, c), ref_shift(type, amount, rm, c),
                     "shift type %u amount %u rm 0x%08x C %d", type, amount, (unsigned)rm, c);
        CHECK_EQ_CTX(dp_shifter(true, imm12, rm, c),
                     rot ? (imm8 >> rot | imm8 << (32 - rot)) : imm8,
                     "immediate 0x%03x", (unsigned)imm12);
    }
}

/* ---- ALU ------------------------------------------------------------------ */

static bool ref_alu(unsigned op, uint32_t a, uint32_t b, bool c, uint32_t *res)
{
    uint64_t A = a, B = b;
    switch (op) {
    case 0x0: *res = a & b; return true;
    case 0x1: *res = a ^ b; return true;
    case 0x2: *res = (uint32_t)(A + (B ^ 0xFFFFFFFFu) + 1); return true;   /* AddWithCarry(a, ~b, 1) */
    case 0x3: *res = (uint32_t)(B + (A ^ 0xFFFFFFFFu) + 1); return true;
    case 0x4: *res = (uint32_t)(A + B); return true;
    case 0x5: *res = (uint32_t)(A + B + c); return true;
    case 0x6: *res = (uint32_t)(A + (B ^ 0xFFFFFFFFu) + c); return true;
    case 0x7: *res = (uint32_t)(B + (A ^ 0xFFFFFFFFu) + c); return true;
    case 0xC: *res = a | b; return true;
    case 0xD: *res = b; return true;
    case 0xE: *res = a & (b ^ 0xFFFFFFFFu); return true;
    case 0xF: *res = b ^ 0xFFFFFFFFu; return true;
    default:  return false;                 /* TST TEQ CMP CMN: no result */
    }
}

static void test_dp_alu_known(void **s)
{
    uint32_t r;

    CHECK_TRUE(dp_alu(0x2, 0x40001008, 4, false, &r)); CHECK_EQ(r, 0x40001004);  /* SUB */
    CHECK_TRUE(dp_alu(0x3, 4, 0, false, &r));          CHECK_EQ(r, 0xFFFFFFFC);  /* RSB */
    CHECK_TRUE(dp_alu(0x5, 0xFFFFFFFF, 0, true, &r));   CHECK_EQ(r, 0);           /* ADC */
    CHECK_TRUE(dp_alu(0x5, 1, 2, false, &r));           CHECK_EQ(r, 3);
    CHECK_TRUE(dp_alu(0x6, 10, 3, true, &r));           CHECK_EQ(r, 7);           /* SBC C=1 */
    CHECK_TRUE(dp_alu(0x6, 10, 3, false, &r));          CHECK_EQ(r, 6);           /* SBC C=0 */
    CHECK_TRUE(dp_alu(0x7, 3, 10, true, &r));           CHECK_EQ(r, 7);           /* RSC */
    CHECK_TRUE(dp_alu(0x7, 3, 10, false, &r));          CHECK_EQ(r, 6);
    CHECK_TRUE(dp_alu(0xD, 0x1234, 0x5678, false, &r)); CHECK_EQ(r, 0x5678);      /* MOV */
    CHECK_TRUE(dp_alu(0xF, 0, 0x0000FFFF, false, &r));  CHECK_EQ(r, 0xFFFF0000);  /* MVN */
    CHECK_TRUE(dp_alu(0xE, 0xFF, 0x0F, false, &r));     CHECK_EQ(r, 0xF0);        /* BIC */
    for (unsigned op = 8; op < 12; op++) {
        r = 0xA5A5A5A5;
        CHECK_EQ_CTX(dp_alu(op, 1, 2, true, &r), false, "opcode 0x%x has no result", op);
        CHECK_EQ_CTX(r, 0xA5A5A5A5, "opcode 0x%x must not write the result", op);
    }
}

static void test_dp_alu_property(void **s)
{
    uint32_t seed = 31337;

    for (unsigned op = 0; op < 16; op++)
        for (int n = 0; n < ITER; n++) {
            uint32_t a = unit_rand(&seed), b = unit_rand(&seed), got = 0, exp = 0;
            bool c = unit_rand(&seed) & 1;
            if (n < 4) {                    /* carry edge cases */
                a = n & 1 ? 0xFFFFFFFF : 0;
                b = n & 2 ? 0xFFFFFFFF : 0;
            }
            bool ok = ref_alu(op, a, b, c, &exp);
            CHECK_EQ_CTX(dp_alu(op, a, b, c, &got), ok, "opcode 0x%x", op);
            if (ok)
                CHECK_EQ_CTX(got, exp, "opcode 0x%x a 0x%08x b 0x%08x C %d",
                             op, (unsigned)a, (unsigned)b, c);
        }
}

/* ls_decode against encodings produced by GNU as (A5.3, A5.2.8). */
static void test_ls_decode_known(void **s)
{
    static const struct {
        uint32_t insn;
        const char *text;
        bool load, sign, unpriv, index, add, wback, reg;
        uint8_t size, rt, rn, rm, shift_type, shift_imm;
        uint32_t imm;
    } k[] = {
        { 0xe5921004, "ldr r1, [r2, #4]",          1, 0, 0, 1, 1, 0, 0, 4, 1, 2, 0, 0, 0, 4 },
        { 0xe5321004, "ldr r1, [r2, #-4]!",        1, 0, 0, 1, 0, 1, 0, 4, 1, 2, 0, 0, 0, 4 },
        { 0xe4921008, "ldr r1, [r2], #8",          1, 0, 0, 0, 1, 1, 0, 4, 1, 2, 0, 0, 0, 8 },
        { 0xe7c43105, "strb r3, [r4, r5, lsl #2]", 0, 0, 0, 1, 1, 0, 1, 1, 3, 4, 5, 0, 2, 0 },
        { 0xe65431c5, "ldrb r3, [r4], -r5, asr #3",1, 0, 0, 0, 0, 1, 1, 1, 3, 4, 5, 2, 3, 0 },
        { 0xe4b76004, "ldrt r6, [r7], #4",         1, 0, 1, 0, 1, 1, 0, 4, 6, 7, 0, 0, 0, 4 },
        { 0xe1c210b6, "strh r1, [r2, #6]",         0, 0, 0, 1, 1, 0, 0, 2, 1, 2, 0, 0, 0, 6 },
        { 0xe05210b2, "ldrh r1, [r2], #-2",        1, 0, 0, 0, 0, 1, 0, 2, 1, 2, 0, 0, 0, 2 },
        { 0xe19210d3, "ldrsb r1, [r2, r3]",        1, 1, 0, 1, 1, 0, 1, 1, 1, 2, 3, 0, 0, 0 },
        { 0xe17210fa, "ldrsh r1, [r2, #-10]!",     1, 1, 0, 1, 0, 1, 0, 2, 1, 2, 0, 0, 0, 10 },
        { 0xe1c640d8, "ldrd r4, r5, [r6, #8]",     1, 0, 0, 1, 1, 0, 0, 8, 4, 6, 0, 0, 0, 8 },
        { 0xe04641f0, "strd r4, r5, [r6], #-16",   0, 0, 0, 0, 0, 1, 0, 8, 4, 6, 0, 0, 0, 16 },
        { 0xe0f210b2, "ldrht r1, [r2], #2",        1, 0, 1, 0, 1, 1, 0, 2, 1, 2, 0, 0, 0, 2 },
        { 0xe580f000, "str pc, [r0]",              0, 0, 0, 1, 1, 0, 0, 4, 15, 0, 0, 0, 0, 0 },
    };
    (void)s;
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        struct ls_insn d;
        CHECK_EQ_CTX(ls_decode(k[i].insn, &d), true, "%s", k[i].text);
        CHECK_EQ_CTX(d.load, k[i].load, "%s load", k[i].text);
        CHECK_EQ_CTX(d.sign, k[i].sign, "%s sign", k[i].text);
        CHECK_EQ_CTX(d.unpriv, k[i].unpriv, "%s unpriv", k[i].text);
        CHECK_EQ_CTX(d.index, k[i].index, "%s P", k[i].text);
        CHECK_EQ_CTX(d.add, k[i].add, "%s U", k[i].text);
        CHECK_EQ_CTX(d.wback, k[i].wback, "%s writeback", k[i].text);
        CHECK_EQ_CTX(d.reg, k[i].reg, "%s register offset", k[i].text);
        CHECK_EQ_CTX(d.size, k[i].size, "%s size", k[i].text);
        CHECK_EQ_CTX(d.rt, k[i].rt, "%s Rt", k[i].text);
        CHECK_EQ_CTX(d.rn, k[i].rn, "%s Rn", k[i].text);
        if (k[i].size == 8)
            CHECK_EQ_CTX(d.rt2, k[i].rt + 1, "%s Rt2", k[i].text);
        if (k[i].reg) {
            CHECK_EQ_CTX(d.rm, k[i].rm, "%s Rm", k[i].text);
            CHECK_EQ_CTX(d.shift_type, k[i].shift_type, "%s shift type", k[i].text);
            CHECK_EQ_CTX(d.shift_imm, k[i].shift_imm, "%s shift amount", k[i].text);
        } else {
            CHECK_EQ_CTX(d.imm, k[i].imm, "%s offset", k[i].text);
        }
    }
}

/* What must not be handed to a device: other instruction classes and the
 * UNPREDICTABLE load/store forms. */
static void test_ls_decode_rejects(void **s)
{
    static const struct { uint32_t insn; const char *text; } k[] = {
        { 0xe5b11004, "ldr r1, [r1, #4]! (writeback into Rt)" },
        { 0xe0000291, "mul r0, r1, r2" },
        { 0xe8900006, "ldm r0, {r1, r2}" },
        { 0xe59f1004 | (1u << 21), "ldr r1, [pc, #4]! (writeback to PC)" },
        { 0xe1c650d8, "ldrd r5, r6, [r6, #8] (odd Rt)" },
        { 0xe1c6e0d8, "ldrd lr, pc, [r6, #8]" },
        { 0xe7921013, "ldr r1, [r2, r3, lsl r0] (media space)" },
        { 0xf5921004, "unconditional space" },
        { 0xe792100f, "ldr r1, [r2, pc]" },
    };
    (void)s;
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        struct ls_insn d;
        CHECK_EQ_CTX(ls_decode(k[i].insn, &d), false, "%s", k[i].text);
    }
}

#define T(f) cmocka_unit_test_teardown(f, unit_ubsan_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pv_encode_cond_al_no_ub),
        T(test_pv_roundtrip_LDM_EXCRET), T(test_pv_roundtrip_STM_USER),
        T(test_pv_roundtrip_LDM_USER), T(test_pv_roundtrip_DP_PC),
        T(test_pv_roundtrip_MSR_IMM), T(test_pv_roundtrip_MRS), T(test_pv_roundtrip_MSR_REG),
        T(test_pv_roundtrip_CPS), T(test_pv_roundtrip_SRS), T(test_pv_roundtrip_RFE),
        T(test_pv_roundtrip_HINT), T(test_pv_roundtrip_HVC),
        T(test_pv_roundtrip_FIT_LOAD), T(test_pv_roundtrip_FIT_CACHE),
        T(test_pv_roundtrip_RET_USER), T(test_pv_roundtrip_FIT_STORE), T(test_pv_roundtrip_RET_MODE), T(test_pv_roundtrip_FIT_FPEXC),
        T(test_pv_known_encodings),
        T(test_pv_reserved_sys_ops), T(test_pv_reserved_arg_bits), T(test_pv_reserved_hints),
        T(test_pv_reserved_msr_imm_bits), T(test_pv_reserved_dp_reg_shifted_reg),
        T(test_pv_guest_own_svc), T(test_pv_non_svc_rejected),
        T(test_cp_decode_known), T(test_cp_decode_property),
        T(test_vfp_sys_decode),
        T(test_cond_passed_all),
        T(test_dp_shifter_special_cases), T(test_dp_shifter_property),
        T(test_dp_alu_known), T(test_dp_alu_property),
        T(test_ls_decode_known), T(test_ls_decode_rejects),
    };
    return UNIT_RUN("decode", tests);
}
