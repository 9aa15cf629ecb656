/*
 * tools/pvpatch: the binary paravirtualizer.
 *
 *  - per sensitive class, many random valid encodings (ARM ARM A5, B9.3):
 *    patched, then decoded with the MONITOR's decoder (core/decode.c
 *    pv_decode) and checked for the same operation and operands;
 *  - --nop-tlb and --fit rewrites, also read back with pv_decode;
 *  - random non-sensitive encodings are left untouched;
 *  - SRFA trampolines and the semihosting shim, checked word by word against
 *    encodings written out here, and executed on a tiny model of the few
 *    instructions they use (flags and scratch registers preserved);
 *  - ELF files built here, good and malformed (truncated, bad section
 *    offsets, no symbol table, Thumb code, big-endian, not ARM, corrupt
 *    bytes): a clear error, never a crash (ASan + UBSan);
 *  - --verify finds what is left.
 */
#include "unit.h"
#include <elf.h>
#include <stdlib.h>
#include <unistd.h>
#include <hv/pv-abi.h>
#include "decode.h"
#include "../../tools/pvpatch/a32.h"
#include "../../tools/pvpatch/rewrite.h"
#include "../../tools/pvpatch/pvpatch.h"

#define T(f) cmocka_unit_test_teardown(f, unit_ubsan_teardown)
#define N_RANDOM 4000

static const struct rw_opts no_opts;

static uint32_t rnd(uint32_t *s, uint32_t n) { return unit_rand(s) % n; }
static uint8_t rcond(uint32_t *s) { return (uint8_t)rnd(s, 15); }     /* EQ..AL */

/* Classify and rewrite w (no options); must become one PV SVC of class cls. */
static struct pv_insn patch_pv(uint32_t w, enum a32_class cls, enum pv_class pcls)
{
    struct a32 in;
    struct rw rw;
    struct pv_insn pv = { 0 };

    CHECK_EQ_CTX(a32_classify(w, &in), cls, "word %08x", w);
    rw_rewrite(&in, &no_opts, true, &rw);
    CHECK_EQ_CTX(rw.kind, RW_INPLACE, "word %08x", w);
    CHECK_EQ_CTX(rw.how, HOW_PV, "word %08x", w);
    CHECK_TRUE(pv_decode(rw.word, &pv));
    CHECK_EQ_CTX(pv.cls, pcls, "word %08x -> %08x", w, rw.word);
    CHECK_EQ_CTX(pv_encode(&pv), rw.word, "round trip of %08x", rw.word);
    return pv;
}

/* ---- per class --------------------------------------------------------------- */

static void test_cps(void **state)
{
    uint32_t s = 0x1234567;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t imod = (uint32_t[]){ 0, 2, 3 }[rnd(&s, 3)], m = imod ? rnd(&s, 2) : 1;
        uint32_t aif = imod ? 1 + rnd(&s, 7) : 0, mode = m ? rnd(&s, 32) : 0;
        uint32_t w = 0xF1000000u | imod << 18 | m << 17 | aif << 6 | mode;
        struct pv_insn pv = patch_pv(w, A32_CPS, PV_C_CPS);
        CHECK_EQ(pv.cond, 0xE);
        CHECK_EQ(pv.imod, imod);
        CHECK_EQ(pv.change_mode, m);
        CHECK_EQ(pv.aif, aif);
        CHECK_EQ(pv.mode, mode);
    }
}

static void test_mrs_msr(void **state)
{
    uint32_t s = 0x2345;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t c = rcond(&s), r = rnd(&s, 2), rd = rnd(&s, 15), mask = 1 + rnd(&s, 15);
        uint32_t imm12 = rnd(&s, 4096);
        struct pv_insn pv = patch_pv(c << 28 | 0x010F0000u | r << 22 | rd << 12, A32_MRS, PV_C_MRS);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.spsr, r);
        CHECK_EQ(pv.rd, rd);
        pv = patch_pv(c << 28 | 0x0120F000u | r << 22 | mask << 16 | rd, A32_MSR_REG, PV_C_MSR_REG);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.spsr, r);
        CHECK_EQ(pv.mask, mask);
        CHECK_EQ(pv.rn, rd);
        pv = patch_pv(c << 28 | 0x0320F000u | r << 22 | mask << 16 | imm12, A32_MSR_IMM, PV_C_MSR_IMM);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.spsr, r);
        CHECK_EQ(pv.mask, mask);
        CHECK_EQ(pv.imm12, imm12);
    }
}

static void test_srs_rfe(void **state)
{
    uint32_t s = 0x3456;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t p = rnd(&s, 2), u = rnd(&s, 2), w = rnd(&s, 2), mode = rnd(&s, 32), rn = rnd(&s, 15);
        struct pv_insn pv = patch_pv(0xF84D0500u | p << 24 | u << 23 | w << 21 | mode, A32_SRS, PV_C_SRS);
        CHECK_EQ(pv.cond, 0xE);
        CHECK_EQ(pv.p, p);
        CHECK_EQ(pv.u, u);
        CHECK_EQ(pv.w, w);
        CHECK_EQ(pv.mode, mode);
        pv = patch_pv(0xF8100A00u | p << 24 | u << 23 | w << 21 | rn << 16, A32_RFE, PV_C_RFE);
        CHECK_EQ(pv.p, p);
        CHECK_EQ(pv.u, u);
        CHECK_EQ(pv.w, w);
        CHECK_EQ(pv.rn, rn);
    }
}

static void test_ldm_stm(void **state)
{
    uint32_t s = 0x4567;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t c = rcond(&s), p = rnd(&s, 2), u = rnd(&s, 2), w = rnd(&s, 2), rn = rnd(&s, 15);
        uint32_t ret = (rnd(&s, 0x8000) | 0x8000) & ~(w << rn);
        uint32_t usr = 1 + rnd(&s, 0x7FFF), stm = 1 + rnd(&s, 0xFFFF);
        uint32_t base = c << 28 | p << 24 | u << 23 | rn << 16;
        struct pv_insn pv = patch_pv(base | 0x08500000u | w << 21 | ret, A32_LDM_EXCRET, PV_C_LDM_EXCRET);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.p, p);
        CHECK_EQ(pv.u, u);
        CHECK_EQ(pv.w, w);
        CHECK_EQ(pv.rn, rn);
        CHECK_EQ(pv.list, ret);
        pv = patch_pv(base | 0x08500000u | usr, A32_LDM_USER, PV_C_LDM_USER);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.p, p);
        CHECK_EQ(pv.u, u);
        CHECK_EQ(pv.rn, rn);
        CHECK_EQ(pv.list, usr);
        pv = patch_pv(base | 0x08400000u | stm, A32_STM_USER, PV_C_STM_USER);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.p, p);
        CHECK_EQ(pv.u, u);
        CHECK_EQ(pv.rn, rn);
        CHECK_EQ(pv.list, stm);
    }
}

static void test_dp_pc(void **state)
{
    static const uint8_t ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15 };
    uint32_t s = 0x5678;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t c = rcond(&s), op = ops[rnd(&s, 12)], i = rnd(&s, 2);
        uint32_t rn = (op == 13 || op == 15) ? 0 : rnd(&s, 16);
        uint32_t op2 = i ? rnd(&s, 4096) : rnd(&s, 4096) & ~0x10u;
        struct pv_insn pv = patch_pv(c << 28 | i << 25 | op << 21 | 1u << 20 | rn << 16 | 0xF000u | op2,
                                     A32_DP_PC, PV_C_DP_PC);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.opcode, op);
        CHECK_EQ(pv.imm, i);
        CHECK_EQ(pv.rn, rn);
        CHECK_EQ(pv.operand2, op2);
    }
    /* the classics */
    CHECK_EQ(patch_pv(0xE25EF004u, A32_DP_PC, PV_C_DP_PC).operand2, 4);     /* subs pc, lr, #4 */
    CHECK_EQ(patch_pv(0xE1B0F00Eu, A32_DP_PC, PV_C_DP_PC).operand2, 14);    /* movs pc, lr */
}

static void test_hints(void **state)
{
    static const uint8_t pvh[5] = { 0, PV_HINT_YIELD, PV_HINT_WFE, PV_HINT_WFI, PV_HINT_SEV };
    uint32_t s = 0x6789;
    struct a32 in;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t c = rcond(&s), h = 1 + rnd(&s, 4);
        struct pv_insn pv = patch_pv(c << 28 | 0x0320F000u | h, A32_HINT, PV_C_HINT);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.hint, pvh[h]);
    }
    CHECK_EQ(a32_classify(0xE320F000u, &in), A32_OTHER);    /* NOP stays */
    CHECK_EQ(a32_classify(0xE320F0F5u, &in), A32_OTHER);    /* DBG #5 */
}

/* ---- refused encodings --------------------------------------------------------- */

static void expect_refused(uint32_t w, const char *what)
{
    struct a32 in;
    struct rw rw;
    struct rw_opts all = { .srfa = true, .fit = true, .nop_tlb = true };

    a32_classify(w, &in);
    CHECK_TRUE(a32_sensitive(in.cls));
    rw_rewrite(&in, &all, true, &rw);
    CHECK_EQ_CTX(rw.kind, RW_REFUSE, "%s (%08x)", what, w);
    CHECK_TRUE(rw.why != NULL);
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused(0xE1600070u, "smc #0");
    expect_refused(0xE1400070u, "hvc #0");
    expect_refused(0xE160006Eu, "eret");
    expect_refused(0xE1200200u | 0x01000000u, "msr banked (r8_usr)");
    expect_refused(0xE1000200u, "mrs r0, r8_usr");
    expect_refused(0xE10FF000u, "mrs pc, cpsr");
    expect_refused(0xE120F00Fu, "msr cpsr_c, pc");
    expect_refused(0xE120F000u, "msr with no fields");
    expect_refused(0xE8700003u, "ldm r0!, {r0, r1}^ (writeback, user regs)");
    expect_refused(0xE8400000u, "stm r0, {}^");
    expect_refused(0xE1B0F01Eu, "movs pc, lr, lsl r0");
    expect_refused(0xE135F000u, "teqp");
    expect_refused(0xF1040000u, "cps with imod 01");
    expect_refused(0xF8100A00u | 15u << 16, "rfe pc");
}

/* --psci: HVC #0 and SMC #0 (cond AL), the two SMCCC conduits ->
 * PV_HVC(HC_PSCI), in place (also inside --skip-range); every other HVC,
 * SMC and ERET stays refused, and without --psci so do they, with a message
 * that says how to proceed. */
static void test_psci(void **state)
{
    static const struct rw_opts psci = { .psci = true }, none = { 0 };
    static const uint32_t conduits[] = { 0xE1400070u /* hvc #0 */, 0xE1600070u /* smc #0 */ };
    static const uint32_t refused[] = { 0xE1400071u /* hvc #1 */, 0xE1400170u /* hvc #16 */,
                                        0xE1600071u /* smc #1 */, 0x01600070u /* smceq #0 */,
                                        0xE160006Eu /* eret */ };
    struct a32 in;
    struct rw rw;
    struct pv_insn pv = { 0 };
    (void)state;

    for (size_t c = 0; c < 2; c++)
        for (int tramp_ok = 0; tramp_ok < 2; tramp_ok++) {
            CHECK_EQ(a32_classify(conduits[c], &in), A32_HYP);
            rw_rewrite(&in, &psci, tramp_ok, &rw);
            CHECK_EQ_CTX(rw.kind, RW_INPLACE, "word %08x", conduits[c]);
            CHECK_EQ(rw.how, HOW_PV);
            CHECK_TRUE(pv_decode(rw.word, &pv));
            CHECK_EQ(pv.cls, PV_C_HVC);
            CHECK_EQ(pv.hvc_nr, HC_PSCI);
            CHECK_EQ(rw.word >> 28, 0xE);
        }
    for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
        a32_classify(refused[k], &in);
        rw_rewrite(&in, &psci, true, &rw);
        CHECK_EQ_CTX(rw.kind, RW_REFUSE, "word %08x", refused[k]);
    }
    /* without --psci SMC #0 is refused, and the message names the ways on */
    a32_classify(0xE1600070u, &in);
    rw_rewrite(&in, &none, true, &rw);
    CHECK_EQ(rw.kind, RW_REFUSE);
    CHECK_TRUE(rw.why && strstr(rw.why, "--psci") && strstr(rw.why, "--exempt-range"));
}

static void test_banked_srfa(void **state)
{
    struct a32 in;
    struct rw rw;
    struct rw_opts srfa = { .srfa = true };
    (void)state;
    /* mrs r2, sp_svc: SYSm 10011 (B9.2.3) -> SRFA SP of SVC */
    a32_classify(0xE1032200u | 1u << 8, &in);
    CHECK_EQ(in.cls, A32_MRS_BANKED);
    rw_rewrite(&in, &srfa, true, &rw);
    CHECK_EQ(rw.kind, RW_TRAMP);
    CHECK_EQ(rw.n, 2);
    CHECK_EQ(rw.body[0], 0xE3E02101u);                  /* mvn r2, #0x40000000 */
    CHECK_EQ(rw.body[1], a32_ldr_imm(2, 2, PV_SRFA_DISP(PV_SRFA_SP(PV_SRFA_BANK_SVC))));
    rw_rewrite(&in, &srfa, false, &rw);                 /* inside --skip-range */
    CHECK_EQ(rw.kind, RW_REFUSE);
}

/* ---- optional rewrites ------------------------------------------------------- */

static uint32_t mcr(uint32_t c, bool rd, uint32_t opc1, uint32_t crn, uint32_t rt, uint32_t crm, uint32_t opc2)
{
    return c << 28 | 0x0E000F10u | (uint32_t)rd << 20 | opc1 << 21 | crn << 16 | rt << 12 | opc2 << 5 | crm;
}

static void test_nop_tlb(void **state)
{
    struct rw_opts o = { .nop_tlb = true };
    uint32_t s = 0x789A;
    struct a32 in;
    struct rw rw;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t w = k % 4 == 0 ? mcr(rcond(&s), 0, 0, 7, rnd(&s, 15), k % 8 ? 5 : 1, k % 8 ? 6 + rnd(&s, 2) : 6)
                                : mcr(rcond(&s), 0, 0, 8, rnd(&s, 15), rnd(&s, 16), rnd(&s, 8));
        CHECK_EQ_CTX(a32_classify(w, &in), A32_TLB_BP, "%08x", w);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        CHECK_EQ(rw.word, 0xE320F000u);
        rw_rewrite(&in, &no_opts, true, &rw);
        CHECK_EQ(rw.kind, RW_KEEP);                     /* traps anyway */
    }
}

#define X_LIST(name, idx, crn, op1, crm, op2) { crn, op1, crm, op2 },
static const uint8_t mirror[][4] = { PV_SRFA_CP15_LIST(X_LIST) };

static void test_fit(void **state)
{
    static const uint8_t cache[][3] = { { 10, 1, PV_FIT_DCCMVAC }, { 11, 1, PV_FIT_DCCMVAU },
                                        { 14, 1, PV_FIT_DCCIMVAC }, { 6, 1, PV_FIT_DCIMVAC },
                                        { 5, 1, PV_FIT_ICIMVAU } };
    struct rw_opts o = { .fit = true };
    uint32_t s = 0x89AB;
    struct a32 in;
    struct rw rw;
    struct pv_insn pv;
    (void)state;
    for (int k = 0; k < N_RANDOM; k++) {
        uint32_t i = rnd(&s, PV_SRFA_CP15_COUNT), c = rcond(&s), rt = rnd(&s, 13), j = rnd(&s, 5);
        uint32_t w = mcr(c, 1, mirror[i][1], mirror[i][0], rt, mirror[i][2], mirror[i][3]);
        CHECK_EQ_CTX(a32_classify(w, &in), A32_CP15_MIRROR, "%08x", w);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.how, HOW_FIT);
        CHECK_TRUE(pv_decode(rw.word, &pv));
        CHECK_EQ(pv.cls, PV_C_FIT_LOAD);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.rd, rt);
        CHECK_EQ(pv.word, PV_SRFA_CP15 / 4 + i);
        w = mcr(c, 0, 0, 7, rt, cache[j][0], cache[j][1]);
        CHECK_EQ_CTX(a32_classify(w, &in), A32_CACHE_VA, "%08x", w);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_TRUE(pv_decode(rw.word, &pv));
        CHECK_EQ(pv.cls, PV_C_FIT_CACHE);
        CHECK_EQ(pv.cond, c);
        CHECK_EQ(pv.rd, rt);
        CHECK_EQ(pv.fit_op, cache[j][2]);
    }
    /* SP, LR are no FIT_LOAD targets: the MRC stays (it traps) */
    a32_classify(mcr(14, 1, 0, 1, 13, 0, 0), &in);
    rw_rewrite(&in, &o, true, &rw);
    CHECK_EQ(rw.kind, RW_KEEP);
}

/* Random words of non-sensitive families stay as they are. */
static void test_untouched(void **state)
{
    struct rw_opts all = { .srfa = true, .fit = true, .nop_tlb = true, .semihost = true };
    uint32_t s = 0x9ABC;
    (void)state;
    for (int k = 0; k < 20 * N_RANDOM; k++) {
        uint32_t r = unit_rand(&s), c = (uint32_t)rcond(&s) << 28, w;
        struct a32 in;
        struct rw rw;
        switch (k % 7) {
        case 0: w = c | (r & 0x03FF0FFF) | rnd(&s, 15) << 12; break;          /* DP, Rd != PC */
        case 1: w = c | (r & 0x03EF0FFF) | 0xF000u; break;                    /* DP, S = 0, Rd = PC */
        case 2: w = c | 0x04000000u | (r & 0x01FFFFFF);                       /* LDR/STR, not T */
            if (!(w & 0x01000000)) w &= ~0x00200000u;
            if (w & 0x02000000) w &= ~0x10u;
            break;
        case 3: w = c | 0x0A000000u | (r & 0x01FFFFFF); break;                /* B, BL */
        case 4: w = c | 0x08000000u | (r & 0x01BFFFFF); break;                /* LDM/STM, no ^ */
        case 5: w = c | 0x00000090u | (r & 0x001FFF0F); break;                /* MUL/MULS */
        default: w = c | 0x0F000000u | (r & 0x001FFFFF); break;               /* SVC (guest's own) */
        }
        if (k % 7 < 2 && ((w & 0x02000090) == 0x00000090 || (w & 0x01900000) == 0x01000000))
            continue;           /* multiply / miscellaneous space: not data processing (A5.2) */
        CHECK_EQ_CTX(a32_classify(w, &in), A32_OTHER, "family %d word %08x", k % 7, w);
        rw_rewrite(&in, &all, true, &rw);
        CHECK_EQ(rw.kind, RW_KEEP);
    }
}

/* ---- trampolines, on a model ------------------------------------------------- */

struct model {
    uint32_t r[16], apsr;       /* apsr: N Z C V Q and GE, E */
    uint32_t srfa[PV_SRFA_WORDS];
    uint32_t stack[64];
    uint32_t block[2];
    uint32_t svc;               /* the SVC that stopped it, 0 if none */
    unsigned steps;
};

#define M_STACK_TOP 0x1000u     /* model addresses: stack below 0x1000, block at 0x2000 */
#define M_BLOCK     0x2000u

static uint32_t *mem(struct model *m, uint32_t a)
{
    if (a >= PV_SRFA_VA && a < PV_SRFA_VA + 4096 && !(a & 3))
        return &m->srfa[(a - PV_SRFA_VA) / 4];
    if (a >= M_STACK_TOP - sizeof(m->stack) && a < M_STACK_TOP && !(a & 3))
        return &m->stack[(a - (M_STACK_TOP - sizeof(m->stack))) / 4];
    if (a >= M_BLOCK && a < M_BLOCK + 8 && !(a & 3))
        return &m->block[(a - M_BLOCK) / 4];
    fail_msg("model: access to 0x%08x", a);
    return NULL;
}

static uint32_t ror(uint32_t v, unsigned n) { return n ? v >> n | v << (32 - n) : v; }

/* Executes the body (words), returns the index where it left: n = fell off the end. */
static unsigned run_body(struct model *m, const uint32_t *body, unsigned n)
{
    unsigned pc = 0;
    while (pc < n && m->steps++ < 100) {
        uint32_t w = body[pc], op = w >> 21 & 15, rn = w >> 16 & 15, rd = w >> 12 & 15;
        uint32_t imm = ror(w & 0xFF, 2 * (w >> 8 & 15)), res;
        pc++;
        if (!cond_passed(w >> 28, m->apsr))
            continue;
        if ((w & 0x0FFF0000) == 0x092D0000 || (w & 0x0FFF0000) == 0x08BD0000) {    /* push / pop */
            bool push = (w & 0x0FFF0000) == 0x092D0000;
            for (int r = push ? 15 : 0; push ? r >= 0 : r < 16; r += push ? -1 : 1)
                if (w >> r & 1) {
                    if (push) { m->r[13] -= 4; *mem(m, m->r[13]) = m->r[r]; }
                    else { m->r[r] = *mem(m, m->r[13]); m->r[13] += 4; }
                }
        } else if ((w & 0x0FFF0FFF) == 0x010F0000) {                             /* mrs apsr */
            m->r[rd] = m->apsr | 0x10;
        } else if ((w & 0x0FFFFFF0) == 0x0128F000) {                             /* msr apsr_nzcvq */
            m->apsr = (m->apsr & 0x07FFFFFF) | (m->r[w & 15] & 0xF8000000);
        } else if ((w & 0x0F700000) == 0x05100000 || (w & 0x0F700000) == 0x05000000) {   /* ldr/str */
            uint32_t a = m->r[rn] + ((w >> 23 & 1) ? (w & 0xFFF) : -(w & 0xFFF));
            if (w >> 20 & 1) m->r[rd] = *mem(m, a); else *mem(m, a) = m->r[rd];
        } else if ((w & 0x0FF00000) == 0x03000000 || (w & 0x0FF00000) == 0x03400000) {  /* movw/movt */
            uint32_t v = (w >> 4 & 0xF000) | (w & 0xFFF);
            m->r[rd] = (w & 0x00400000) ? (m->r[rd] & 0xFFFF) | v << 16 : v;
        } else if ((w & 0x0F000000) == 0x0A000000) {                             /* b */
            pc = pc + 1 + (unsigned)((int32_t)(w << 8) >> 8);
        } else if ((w & 0x0F000000) == 0x0F000000) {                             /* svc: stops */
            m->svc = w;
            return pc - 1;
        } else if ((w & 0x0C000000) == 0) {                                      /* data processing */
            uint32_t b = (w >> 25 & 1) ? imm : m->r[w & 15];
            if (!(w >> 25 & 1)) assert_int_equal(w & 0xFF0, 0);
            switch (op) {
            case DP_AND: res = m->r[rn] & b; break;
            case DP_EOR: case DP_TEQ: res = m->r[rn] ^ b; break;
            case DP_TST: res = m->r[rn] & b; break;
            case DP_ORR: res = m->r[rn] | b; break;
            case DP_MOV: res = b; break;
            case DP_BIC: res = m->r[rn] & ~b; break;
            case DP_MVN: res = ~b; break;
            default: fail_msg("model: opcode %u in %08x", op, w); return pc;
            }
            if (op == DP_TEQ || op == DP_TST)
                m->apsr = (m->apsr & 0x3FFFFFFF) | (res & 0x80000000) | (res ? 0 : 0x40000000);
            else
                m->r[rd] = res;
        } else {
            fail_msg("model: cannot run %08x", w);
        }
    }
    return pc;
}

static void model_init(struct model *m, uint32_t *s)
{
    memset(m, 0, sizeof(*m));
    for (int r = 0; r < 13; r++)
        m->r[r] = unit_rand(s);
    m->r[13] = M_STACK_TOP;
    m->r[14] = unit_rand(s);
    m->apsr = unit_rand(s) & 0xF80F0200;
    for (unsigned i = 0; i < PV_SRFA_WORDS; i++)
        m->srfa[i] = unit_rand(s);
}

static void test_srfa_cps(void **state)
{
    struct rw_opts o = { .srfa = true };
    uint32_t s = 0xABCD;
    (void)state;
    /* cpsid i, word by word (encodings written out from A8.8) */
    {
        struct a32 in;
        struct rw rw;
        static const uint32_t want[] = { 0xE92D0003, 0xE3E00101, 0xE5101FFF, 0xE3811080, 0xE5001FFF,
                                         0xE8BD0003 };
        a32_classify(0xF10C0080u, &in);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_TRAMP);
        CHECK_EQ(rw.branch_cond, 0xE);
        CHECK_EQ(rw.n, 6);
        for (unsigned i = 0; i < 6; i++)
            CHECK_EQ_CTX(rw.body[i], want[i], "word %u", i);
        rw_rewrite(&in, &o, false, &rw);               /* --skip-range: the PV SVC */
        CHECK_EQ(rw.kind, RW_INPLACE);
    }
    for (int k = 0; k < 500; k++) {
        uint32_t aif = 1 + rnd(&s, 7), imod = 2 + rnd(&s, 2);
        struct model m, before;
        struct a32 in;
        struct rw rw;
        model_init(&m, &s);
        before = m;
        a32_classify(0xF1000000u | imod << 18 | aif << 6, &in);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(run_body(&m, rw.body, rw.n), rw.n);
        CHECK_EQ(m.srfa[0], imod == 3 ? before.srfa[0] | aif << 6 : before.srfa[0] & ~(aif << 6));
        CHECK_EQ(memcmp(m.r, before.r, sizeof(m.r)), 0);     /* registers preserved */
        CHECK_EQ(m.apsr, before.apsr);                        /* flags untouched */
        CHECK_EQ(memcmp(m.srfa + 1, before.srfa + 1, sizeof(m.srfa) - 4), 0);
    }
}

/* MSR CPSR_c, Rn through the SRFA page: keeping the mode, the virtual I and F
 * become Rn's (CPSRWriteByInstr with the c byte at PL1, B1.3.3: M, I, F; T
 * is not written by MSR) and nothing else changes; changing the mode, the
 * original MSR as a PV SVC with every register and the flags as they were. */
static void test_srfa_msr_c(void **state)
{
    struct rw_opts o = { .srfa = true, .srfa_msr = true }, plain = { .srfa = true };
    uint32_t s = 0xC0DE;
    (void)state;
    for (int k = 0; k < 2000; k++) {
        uint32_t c = rcond(&s), rn = rnd(&s, 13);
        bool same = k & 1;
        struct model m, before;
        struct a32 in;
        struct rw rw;
        unsigned at;
        CHECK_EQ(a32_classify(c << 28 | 0x0121F000u | rn, &in), A32_MSR_REG);   /* msr cpsr_c, rn */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_TRAMP);
        CHECK_EQ(rw.branch_cond, c);
        model_init(&m, &s);
        if (same)
            m.r[rn] = (m.r[rn] & ~0x1Fu) | (m.srfa[0] & 0x1F);
        else if (((m.r[rn] ^ m.srfa[0]) & 0x1F) == 0)
            m.r[rn] ^= 0x04;
        before = m;
        at = run_body(&m, rw.body, rw.n);
        CHECK_EQ(memcmp(m.r, before.r, sizeof(m.r)), 0);         /* registers preserved */
        CHECK_EQ(m.apsr, before.apsr);                            /* flags untouched */
        CHECK_EQ(memcmp(m.srfa + 1, before.srfa + 1, sizeof(m.srfa) - 4), 0);
        if (same) {
            CHECK_EQ(at, rw.n);
            CHECK_EQ(m.svc, 0);
            CHECK_EQ(m.srfa[0], (before.srfa[0] & ~0xC0u) | (before.r[rn] & 0xC0u));
        } else {
            CHECK_EQ(m.svc, svc_word(0xE, PV_MSR_REG(0, PV_MSR_C, rn)));
            CHECK_EQ(m.srfa[0], before.srfa[0]);
        }
    }
    /* other masks, SPSR, SP: the PV SVC in place */
    {
        struct a32 in;
        struct rw rw;
        a32_classify(0xE129F001u, &in);                           /* msr cpsr_fc, r1 */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        a32_classify(0xE161F001u, &in);                           /* msr spsr_c, r1 */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        a32_classify(0xE121F00Du, &in);                           /* msr cpsr_c, sp */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        a32_classify(0xE121F001u, &in);
        rw_rewrite(&in, &o, false, &rw);                          /* --skip-range */
        CHECK_EQ(rw.kind, RW_INPLACE);
        rw_rewrite(&in, &plain, true, &rw);                       /* without --srfa-msr */
        CHECK_EQ(rw.kind, RW_INPLACE);
    }
}

/* STM Rn, {SP, LR}^ through the SRFA page: the User bank's SP and LR words
 * stored where the instruction would store them (block_start, A8.8.x). */
static void test_srfa_stm_sp_lr(void **state)
{
    struct rw_opts o = { .srfa = true, .srfa_stm = true }, plain = { .srfa = true };
    uint32_t s = 0x57AA;
    (void)state;
    for (int k = 0; k < 1000; k++) {
        uint32_t c = rcond(&s), rn = rnd(&s, 13), p = rnd(&s, 2), u = rnd(&s, 2);
        struct model m, before;
        struct a32 in;
        struct rw rw;
        CHECK_EQ(a32_classify(c << 28 | 0x08406000u | p << 24 | u << 23 | rn << 16, &in), A32_STM_USER);
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_TRAMP);
        CHECK_EQ(rw.branch_cond, c);
        model_init(&m, &s);
        m.r[rn] = u ? (p ? M_BLOCK - 4 : M_BLOCK) : (p ? M_BLOCK + 8 : M_BLOCK + 4);
        before = m;
        CHECK_EQ(run_body(&m, rw.body, rw.n), rw.n);
        CHECK_EQ(m.block[0], before.srfa[PV_SRFA_SP(PV_SRFA_BANK_USR) / 4]);
        CHECK_EQ(m.block[1], before.srfa[PV_SRFA_LR(PV_SRFA_BANK_USR) / 4]);
        CHECK_EQ(memcmp(m.r, before.r, sizeof(m.r)), 0);
        CHECK_EQ(m.apsr, before.apsr);
    }
    /* any other list, or SP as the base: the PV SVC */
    {
        struct a32 in;
        struct rw rw;
        a32_classify(0xE9406001u, &in);                           /* stmdb r0, {r0, sp, lr}^ */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        a32_classify(0xE94D6000u, &in);                           /* stmdb sp, {sp, lr}^ */
        rw_rewrite(&in, &o, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
        a32_classify(0xE9406000u, &in);                           /* without --srfa-stm */
        rw_rewrite(&in, &plain, true, &rw);
        CHECK_EQ(rw.kind, RW_INPLACE);
    }
}

/* --ret-user: Linux's restore_user_regs, both forms; any other word in it
 * and it is not touched. */
/* VMRS Rt, FPEXC / VMSR FPEXC, Rt -> FIT_FPEXC with --fit (condition and
 * direction kept; Rt in r0-r12); other VFP system registers untouched. */
static void test_fit_fpexc_rewrite(void **state)
{
    struct rw_opts fit = { .fit = true }, none = { 0 };
    struct a32 in;
    struct rw rw;
    (void)state;
    for (uint32_t l = 0; l < 2; l++)
        for (uint32_t rt = 0; rt < 16; rt++) {
            uint32_t w = 0x3EE80A10u | l << 20 | rt << 12;      /* vmrscc/vmsrcc, cond 0x3 */
            CHECK_EQ_CTX(a32_classify(w, &in), A32_FPEXC, "%08x", (unsigned)w);
            rw_rewrite(&in, &fit, true, &rw);
            if (rt <= 12) {
                CHECK_EQ(rw.kind, RW_INPLACE);
                CHECK_EQ_CTX(rw.word, svc_word(0x3, PV_FIT_FPEXC(rt, l)), "%08x", (unsigned)w);
            } else {
                CHECK_EQ(rw.kind, RW_KEEP);
            }
            rw_rewrite(&in, &none, true, &rw);
            CHECK_EQ(rw.kind, RW_KEEP);
        }
    CHECK_EQ(a32_classify(0xEEF10A10u, &in), A32_OTHER);       /* vmrs r0, fpscr */
    CHECK_EQ(a32_classify(0xEEF00A10u, &in), A32_OTHER);       /* vmrs r0, fpsid */
    CHECK_EQ(a32_classify(0xEEE10A10u, &in), A32_OTHER);       /* vmsr fpscr, r0 */
    CHECK_EQ(a32_classify(0xEE080A10u, &in), A32_OTHER);       /* vmov s16, r0 */
    CHECK_EQ(a32_classify(0xEE080E10u, &in), A32_OTHER);       /* mcr p14 (debug), same shape */
}

/* MCR TPIDRURO -> FIT_STORE with --fit (condition kept; Rt in r0-r12). */
static void test_fit_store_rewrite(void **state)
{
    struct rw_opts fit = { .fit = true }, none = { 0 };
    struct a32 in;
    struct rw rw;
    (void)state;
    for (uint32_t rt = 0; rt < 15; rt++) {
        uint32_t w = mcr(0x5, 0, 0, 13, rt, 0, 3);               /* mcrpl p15, 0, rt, c13, c0, 3 */
        CHECK_EQ(a32_classify(w, &in), A32_TPIDRURO_W);
        rw_rewrite(&in, &fit, true, &rw);
        if (rt <= 12) {
            CHECK_EQ(rw.kind, RW_INPLACE);
            CHECK_EQ(rw.word, svc_word(0x5, PV_FIT_STORE(rt)));
        } else {
            CHECK_EQ(rw.kind, RW_KEEP);
        }
        rw_rewrite(&in, &none, true, &rw);
        CHECK_EQ(rw.kind, RW_KEEP);
    }
    CHECK_EQ(a32_classify(mcr(0xE, 0, 0, 13, 1, 0, 2), &in), A32_OTHER);   /* TPIDRURW */
}

/* --ret-user --srfa: Linux's vector stub, word for word; x kept. */
static void test_stub_peephole(void **state)
{
    const uint32_t seq[PVP_STUB_WORDS] = {
        0xE14FE000, 0xE58DE008, 0xE10F0000, 0xE2200004, 0xE16FF000, 0xE20EE00F, 0xE1A0000D,
        0xE79FE10E, 0xE1B0F00E,
    };
    uint8_t b[4 * PVP_STUB_WORDS];
    uint32_t x = 0;
    (void)state;
    for (unsigned k = 0; k < PVP_STUB_WORDS; k++)
        for (unsigned j = 0; j < 4; j++)
            b[4 * k + j] = (uint8_t)(seq[k] >> (8 * j));
    CHECK_TRUE(pvp_stub_site(b, sizeof(b), &x));
    CHECK_EQ(x, 4);
    CHECK_FALSE(pvp_stub_site(b, sizeof(b) - 4, &x));
    for (unsigned k = 0; k < PVP_STUB_WORDS; k++)
        for (unsigned bit = 5; bit < 32; bit += 3) {
            b[4 * k + bit / 8] ^= (uint8_t)(1u << (bit % 8));
            CHECK_EQ_CTX(pvp_stub_site(b, sizeof(b), &x), false, "word %u bit %u", k, bit);
            b[4 * k + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    b[12] &= ~0x1Fu;                                          /* eor #0: not a mode switch */
    CHECK_FALSE(pvp_stub_site(b, sizeof(b), &x));
    b[12] |= 4;
    pvp_stub_patch(b, 4);
    CHECK_EQ(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24, 0xE3E0E101u);   /* mvn lr, #0x40000000 */
    CHECK_EQ(b[4] | b[5] << 8 | b[6] << 16 | (uint32_t)b[7] << 24,
             a32_ldr_imm(14, 14, PV_SRFA_DISP(PV_SRFA_SPSR)));
    CHECK_EQ(b[28] | b[29] << 8 | b[30] << 16 | (uint32_t)b[31] << 24, 0xE79FE10Eu);  /* table load kept */
    CHECK_EQ(b[32] | b[33] << 8 | b[34] << 16 | (uint32_t)b[35] << 24, svc_word(0xE, PV_RET_MODE(4)));
}

static void test_ret_user_peephole(void **state)
{
    (void)state;
    for (unsigned form = 0; form < 2; form++) {
        uint32_t x = form ? 8 : 0;
        const uint32_t seq[PVP_RU_WORDS] = {
            0xE1A0200D, 0xE5921000 | (x + 64), 0xE5B2E000 | (x + 60), 0xE311008F, 0x1A000005,
            0xE16FF001, 0xE1821F92, form ? 0xE9527FFEu : 0xE9527FFFu, 0xE1A00000,
            0xE28DD000 | (x + 72), 0xE1B0F00E,
        };
        uint8_t b[4 * PVP_RU_WORDS + 4];
        bool keep = !form;

        for (unsigned k = 0; k < PVP_RU_WORDS; k++)
            for (unsigned j = 0; j < 4; j++)
                b[4 * k + j] = (uint8_t)(seq[k] >> (8 * j));
        CHECK_TRUE(pvp_ret_user_site(b, sizeof(b), &keep));
        CHECK_EQ(keep, form == 1);
        CHECK_FALSE(pvp_ret_user_site(b, 4 * PVP_RU_WORDS - 4, &keep));   /* cut off */
        for (unsigned k = 0; k < PVP_RU_WORDS; k++) {
            if (k == 4)
                continue;                                         /* the bne's offset */
            for (unsigned bit = 0; bit < 32; bit += 5) {
                if (k == 7 && bit == 0)
                    continue;                                     /* r0 in the list: the other form */
                b[4 * k + bit / 8] ^= (uint8_t)(1u << (bit % 8));
                CHECK_EQ_CTX(pvp_ret_user_site(b, sizeof(b), &keep), false, "word %u bit %u", k, bit);
                b[4 * k + bit / 8] ^= (uint8_t)(1u << (bit % 8));
            }
        }
        pvp_ret_user_patch(b, form == 1);
        uint32_t w[PVP_RU_WORDS];
        for (unsigned k = 0; k < PVP_RU_WORDS; k++)
            w[k] = (uint32_t)b[4 * k] | (uint32_t)b[4 * k + 1] << 8 | (uint32_t)b[4 * k + 2] << 16 |
                   (uint32_t)b[4 * k + 3] << 24;
        for (unsigned k = 0; k < 5; k++)
            CHECK_EQ(w[k], seq[k]);
        CHECK_EQ(w[5], 0xE1821F92u);                              /* strex r1, r2, [r2] */
        CHECK_EQ(w[6], seq[9]);                                   /* add sp, sp, #X+72 */
        CHECK_EQ(w[7], svc_word(0xE, PV_RET_USER(form == 1, 2)));
        for (unsigned k = 8; k < PVP_RU_WORDS; k++)
            CHECK_EQ(w[k], seq[k]);
    }
}

static void test_srfa_mrs(void **state)
{
    struct rw_opts snap = { .srfa = true }, exact = { .srfa = true, .srfa_mrs_exact = true };
    uint32_t s = 0xBCDE;
    (void)state;
    for (int k = 0; k < 1000; k++) {
        uint32_t c = rcond(&s), rd = rnd(&s, 13), r = rnd(&s, 2);
        struct model m, before;
        struct a32 in;
        struct rw rw;
        a32_classify(c << 28 | 0x010F0000u | r << 22 | rd << 12, &in);
        rw_rewrite(&in, k & 1 ? &exact : &snap, true, &rw);
        CHECK_EQ(rw.kind, RW_TRAMP);
        CHECK_EQ(rw.branch_cond, c);
        model_init(&m, &s);
        before = m;
        CHECK_EQ(run_body(&m, rw.body, rw.n), rw.n);
        if (r)
            CHECK_EQ(m.r[rd], before.srfa[PV_SRFA_SPSR / 4]);
        else if (k & 1)
            CHECK_EQ(m.r[rd], (before.srfa[0] & ~0xF80F0200u) | (before.apsr & 0xF80F0200u));
        else
            CHECK_EQ(m.r[rd], before.srfa[0]);
        for (int i = 0; i < 16; i++)
            if (i != (int)rd)
                CHECK_EQ_CTX(m.r[i], before.r[i], "r%d", i);
        CHECK_EQ(m.apsr, before.apsr);
    }
    /* mirrored MRC: mrc p15, 0, r5, c1, c0, 0 (SCTLR) -> SRFA word */
    {
        struct model m;
        struct a32 in;
        struct rw rw;
        model_init(&m, &s);
        a32_classify(mcr(1, 1, 0, 1, 5, 0, 0), &in);
        rw_rewrite(&in, &snap, true, &rw);
        CHECK_EQ(rw.branch_cond, 1);
        run_body(&m, rw.body, rw.n);
        CHECK_EQ(m.r[5], m.srfa[PV_SRFA_CP15_OFF(23) / 4]);
    }
}

static void test_semihost_shim(void **state)
{
    struct rw_opts o = { .semihost = true };
    uint32_t s = 0xCDEF;
    struct a32 in;
    struct rw rw;
    struct pv_insn pv;
    (void)state;
    CHECK_EQ(a32_classify(0xEF123456u, &in), A32_SEMIHOST);
    rw_rewrite(&in, &o, true, &rw);
    CHECK_EQ(rw.kind, RW_TRAMP);
    for (int k = 0; k < 300; k++) {
        struct model m, before;
        unsigned at;
        model_init(&m, &s);
        m.r[1] = M_BLOCK;
        m.block[0] = 0x20026;
        m.block[1] = unit_rand(&s);
        switch (k % 4) {
        case 0: m.r[0] = 0x20; break;                           /* SYS_EXIT_EXTENDED */
        case 1: m.r[0] = 0x18; m.r[1] = 0x20026; break;         /* SYS_EXIT, ApplicationExit */
        case 2: m.r[0] = 0x18; m.r[1] = 0x20023; break;         /* SYS_EXIT, something else */
        default: m.r[0] = rnd(&s, 0x18); break;                 /* any other operation */
        }
        before = m;
        at = run_body(&m, rw.body, rw.n);
        CHECK_TRUE(at < rw.n);
        CHECK_TRUE(pv_decode(m.svc, &pv));
        if (k % 4 == 3) {
            CHECK_EQ(m.svc, 0xEF123456u);                        /* the original SVC */
            CHECK_EQ(memcmp(m.r, before.r, sizeof(m.r)), 0);
            CHECK_EQ(m.apsr, before.apsr);
            CHECK_EQ(at, rw.n - 1);
            continue;
        }
        CHECK_EQ(pv.cls, PV_C_HVC);
        CHECK_EQ(pv.hvc_nr, HC_EXIT);
        CHECK_EQ(m.r[0], k % 4 == 0 ? (before.block[1] & 0xFF) : k % 4 == 2);
    }
}

/* ---- ELF files ------------------------------------------------------------------ */

enum elf_flaw { F_GOOD, F_TRUNC, F_BAD_SHOFF, F_NO_SYMTAB, F_THUMB, F_BIG_ENDIAN, F_NOT_ARM, F_NOT_EXEC,
                F_NO_MAPSYM, F_BAD_SYMLINK, F_BAD_SHSTRTAB, F_COMPRESSED_SHSTRTAB };

#define E_TEXT_VA 0x40100000u
static const uint32_t e_code[] = {
    0xF10C0080u,    /* cpsid i */
    0xE10F0000u,    /* mrs r0, cpsr */
    0xE3A00001u,    /* mov r0, #1 */
    0x13A00002u,    /* movne r0, #2 */
    0xE25EF004u,    /* subs pc, lr, #4 */
    0xE10F0000u,    /* $d: looks like mrs r0, cpsr but is data */
    0xE320F003u,    /* wfi (data) */
    0x00000000u,
};

/* A small ARM executable: .text with $a at 0, $d (or $t) at +20. */
static size_t make_elf(uint8_t *b, enum elf_flaw flaw)
{
    static const char strtab[] = "\0$a\0$d\0_start\0$t";
    static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
    Elf32_Ehdr *eh = (Elf32_Ehdr *)b;
    Elf32_Phdr *ph = (Elf32_Phdr *)(b + 52);
    Elf32_Sym *sym = (Elf32_Sym *)(b + 0x140);
    Elf32_Shdr *sh = (Elf32_Shdr *)(b + 0x200);

    memset(b, 0, 0x400);
    memcpy(eh->e_ident, ELFMAG, 4);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = flaw == F_BIG_ENDIAN ? ELFDATA2MSB : ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = flaw == F_NOT_EXEC ? ET_REL : ET_EXEC;
    eh->e_machine = flaw == F_NOT_ARM ? EM_386 : EM_ARM;
    eh->e_version = EV_CURRENT;
    eh->e_entry = E_TEXT_VA;
    eh->e_phoff = 52;
    eh->e_shoff = 0x200;
    eh->e_flags = 0x05000200;
    eh->e_ehsize = 52;
    eh->e_phentsize = 32;
    eh->e_phnum = 1;
    eh->e_shentsize = 40;
    eh->e_shnum = flaw == F_NO_SYMTAB ? 3 : 5;
    eh->e_shstrndx = flaw == F_NO_SYMTAB ? 2 : 4;
    *ph = (Elf32_Phdr){ PT_LOAD, 0x100, E_TEXT_VA, E_TEXT_VA, sizeof(e_code), sizeof(e_code), PF_R | PF_X, 4 };
    memcpy(b + 0x100, e_code, sizeof(e_code));
    sym[1] = (Elf32_Sym){ .st_name = 1, .st_value = E_TEXT_VA, .st_shndx = 1 };
    sym[2] = (Elf32_Sym){ .st_name = flaw == F_THUMB ? 14 : 4, .st_value = E_TEXT_VA + 20, .st_shndx = 1 };
    sym[3] = (Elf32_Sym){ .st_name = 7, .st_value = E_TEXT_VA, .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC),
                          .st_shndx = 1 };
    if (flaw == F_NO_MAPSYM)
        sym[1].st_name = sym[2].st_name = 7;
    memcpy(b + 0x180, strtab, sizeof(strtab));
    memcpy(b + 0x1A0, shstr, sizeof(shstr));
    sh[1] = (Elf32_Shdr){ 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, E_TEXT_VA, 0x100, sizeof(e_code), 0, 0, 4, 0 };
    if (flaw == F_BAD_SHOFF)
        sh[1].sh_offset = 0x7FFFFFF0;
    if (flaw == F_NO_SYMTAB) {
        sh[2] = (Elf32_Shdr){ 23, SHT_STRTAB, 0, 0, 0x1A0, sizeof(shstr), 0, 0, 1, 0 };
    } else {
        sh[2] = (Elf32_Shdr){ 7, SHT_SYMTAB, 0, 0, 0x140, 4 * sizeof(Elf32_Sym),
                              flaw == F_BAD_SYMLINK ? 1 : 3, 3, 4, sizeof(Elf32_Sym) };
        sh[3] = (Elf32_Shdr){ 15, SHT_STRTAB, 0, 0, 0x180, sizeof(strtab), 0, 0, 1, 0 };
        sh[4] = (Elf32_Shdr){ 23, flaw == F_BAD_SHSTRTAB ? SHT_PROGBITS : SHT_STRTAB,
                              flaw == F_COMPRESSED_SHSTRTAB ? SHF_COMPRESSED : 0, 0, 0x1A0,
                              sizeof(shstr), 0, 0, 1, 0 };
    }
    if (flaw == F_BIG_ENDIAN) {           /* the header fields as a big-endian file has them */
        eh->e_type = (Elf32_Half)(ET_EXEC << 8);
        eh->e_machine = (Elf32_Half)(EM_ARM << 8);
    }
    return flaw == F_TRUNC ? 0x180 : 0x200 + 5 * 40;
}

static char tmp_in[64], tmp_out[64];
static FILE *null_f;

static FILE *devnull(void)
{
    if (!null_f)
        null_f = fopen("/dev/null", "w");
    return null_f;
}

static void write_tmp(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static int elf_setup(void **state)
{
    (void)state;
    snprintf(tmp_in, sizeof(tmp_in), "/tmp/pvpatch-unit-%d-in.elf", (int)getpid());
    snprintf(tmp_out, sizeof(tmp_out), "/tmp/pvpatch-unit-%d-out.elf", (int)getpid());
    return 0;
}

static int elf_teardown(void **state)
{
    unlink(tmp_in);
    unlink(tmp_out);
    return unit_ubsan_teardown(state);
}

#define TE(f) cmocka_unit_test_setup_teardown(f, elf_setup, elf_teardown)

static uint32_t word_at(const struct image *im, uint32_t va)
{
    for (unsigned i = 0; i < im->nregs; i++)
        if (va >= im->regs[i].addr && va < im->regs[i].addr + im->regs[i].size) {
            const uint8_t *p = im->regs[i].bytes + (va - im->regs[i].addr);
            return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        }
    return 0xDEADBEEF;
}

static void test_elf_patch(void **state)
{
    uint8_t b[0x400];
    struct image im, out;
    struct pvp_opts o = { 0 };
    struct tramp_area ta;
    struct pvp_stats st;
    (void)state;
    write_tmp(tmp_in, b, make_elf(b, F_GOOD));
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    CHECK_EQ(im.nregs, 2);
    CHECK_EQ(im.regs[0].kind, RK_ARM);
    CHECK_EQ(im.regs[1].kind, RK_DATA);
    assert_int_equal(image_tramp_area(&im, false, 0, &ta), 0);
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 0);
    CHECK_EQ(st.by[A32_CPS][HOW_PV], 1);
    CHECK_EQ(st.by[A32_MRS][HOW_PV], 1);
    CHECK_EQ(st.by[A32_DP_PC][HOW_PV], 1);
    CHECK_EQ(ta.used, 0);
    assert_int_equal(image_write(&im, &ta, tmp_out), 0);
    assert_int_equal(image_load_elf(&out, tmp_out, NULL), 0);
    CHECK_EQ(word_at(&out, E_TEXT_VA), svc_word(0xE, PV_CPS(3, 0, 2, 0)));
    CHECK_EQ(word_at(&out, E_TEXT_VA + 4), svc_word(0xE, PV_MRS(0, 0)));
    CHECK_EQ(word_at(&out, E_TEXT_VA + 8), 0xE3A00001u);
    CHECK_EQ(word_at(&out, E_TEXT_VA + 20), 0xE10F0000u);       /* data left alone */
    CHECK_EQ(pvp_verify(&out, &o, devnull(), &st), 0);
    CHECK_EQ(st.pv[PV_C_CPS], 1);
    CHECK_EQ(pvp_verify(&im, &o, devnull(), &st), 0);
    image_free(&out);
    image_free(&im);
    /* --verify on the unpatched input: CPS, MRS, SUBS PC found, the data not */
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    CHECK_EQ(pvp_verify(&im, &o, devnull(), &st), 3);
    CHECK_EQ(st.left[A32_CPS], 1);
    CHECK_EQ(st.left[A32_MRS], 1);
    CHECK_EQ(st.left[A32_DP_PC], 1);
    image_free(&im);
}

static void test_elf_trampolines(void **state)
{
    uint8_t b[0x400];
    struct image im, out;
    struct pvp_opts o = { .rw = { .srfa = true } };
    struct tramp_area ta;
    struct pvp_stats st;
    uint32_t site;
    (void)state;
    write_tmp(tmp_in, b, make_elf(b, F_GOOD));
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    assert_int_equal(image_tramp_area(&im, false, 0, &ta), 0);
    CHECK_EQ(ta.addr, E_TEXT_VA + 0x1000);
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 0);
    CHECK_EQ(st.tramps, 2);
    CHECK_EQ(st.by[A32_CPS][HOW_SRFA], 1);
    assert_int_equal(image_write(&im, &ta, tmp_out), 0);
    free(ta.bytes);
    assert_int_equal(image_load_elf(&out, tmp_out, NULL), 0);
    /* the branch to the first trampoline, and the branch back */
    site = word_at(&out, E_TEXT_VA);
    CHECK_EQ(site, a32_b(0xE, E_TEXT_VA, E_TEXT_VA + 0x1000));
    CHECK_EQ(word_at(&out, E_TEXT_VA + 0x1000), 0xE92D0003u);
    CHECK_EQ(word_at(&out, E_TEXT_VA + 0x1000 + 24), a32_b(0xE, E_TEXT_VA + 0x1018, E_TEXT_VA + 4));
    CHECK_EQ(pvp_verify(&out, &o, devnull(), &st), 0);
    image_free(&out);
    /* with the trampolines inside a --skip-range: PV SVCs in place, no trampoline */
    o.skip_ranges.v = &(struct range){ E_TEXT_VA, E_TEXT_VA + 8, "test" };
    o.skip_ranges.n = 1;
    image_free(&im);
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    assert_int_equal(image_tramp_area(&im, false, 0, &ta), 0);
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 0);
    CHECK_EQ(st.tramps, 0);
    CHECK_EQ(st.in_skip_range, 2);
    CHECK_EQ(word_at(&im, E_TEXT_VA), svc_word(0xE, PV_CPS(3, 0, 2, 0)));
    free(ta.bytes);
    image_free(&im);
}

/* Loading fails with a message that names the file and contains `want`. */
static void expect_load_error(enum elf_flaw flaw, size_t cut, const char *want)
{
    uint8_t b[0x400];
    char msg[512] = "";
    struct image im;
    size_t n = make_elf(b, flaw);

    write_tmp(tmp_in, b, cut ? cut : n);
    pvp_diag = tmpfile();
    assert_non_null(pvp_diag);
    CHECK_EQ_CTX(image_load_elf(&im, tmp_in, NULL), -1, "flaw %d cut %zu", flaw, cut);
    rewind(pvp_diag);
    if (!fgets(msg, sizeof(msg), pvp_diag))
        msg[0] = 0;
    fclose(pvp_diag);
    pvp_diag = NULL;
    if (getenv("PVPATCH_UNIT_SHOW"))
        printf("# %s", msg);
    CHECK_TRUE(strstr(msg, tmp_in) != NULL && strstr(msg, "error: ") != NULL);
    if (want && !strstr(msg, want))
        fail_msg("flaw %d cut %zu: message '%s' lacks '%s'", flaw, cut, msg, want);
    image_free(&im);
}

static void test_elf_malformed(void **state)
{
    struct image im;
    (void)state;
    expect_load_error(F_TRUNC, 0, "truncated?");
    expect_load_error(F_BAD_SHOFF, 0, "beyond the end of the file");
    expect_load_error(F_NO_SYMTAB, 0, "no symbol table");
    expect_load_error(F_BIG_ENDIAN, 0, "big-endian");
    expect_load_error(F_NOT_ARM, 0, "not an ARM");
    expect_load_error(F_NOT_EXEC, 0, "not an executable");
    expect_load_error(F_NO_MAPSYM, 0, "no mapping symbol");
    expect_load_error(F_BAD_SYMLINK, 0, "bad symbol table");
    /* found by tests/fuzz pvpatch: the output got a nameless .pvtramp and
     * could not be read back */
    expect_load_error(F_BAD_SHSTRTAB, 0, "section name table");
    expect_load_error(F_COMPRESSED_SHSTRTAB, 0, "plain string table");
    for (size_t cut = 1; cut < 0x200 + 5 * 40; cut += 7)
        expect_load_error(F_GOOD, cut, NULL);
    CHECK_EQ(image_load_elf(&im, "/nonexistent/pvpatch.elf", NULL), -1);
    image_free(&im);
}

static void test_elf_thumb_refused(void **state)
{
    uint8_t b[0x400];
    struct image im;
    struct pvp_opts o = { 0 };
    struct tramp_area ta;
    struct pvp_stats st;
    (void)state;
    write_tmp(tmp_in, b, make_elf(b, F_THUMB));
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    CHECK_EQ(im.regs[1].kind, RK_THUMB);
    assert_int_equal(image_tramp_area(&im, false, 0, &ta), 0);
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 1);              /* refused by default */
    image_free(&im);
    /* scanned: "mrs r0, cpsr" read as Thumb is 0xF10F 0xE000 (not sensitive), but
     * wfi's low half 0xF003 + 0xE320 ... a Thumb CPS is refused */
    write_tmp(tmp_in, b, make_elf(b, F_THUMB));
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    im.regs[1].bytes[0] = 0x72;                             /* cpsid i: 0xB672 */
    im.regs[1].bytes[1] = 0xB6;
    o.thumb = THUMB_SCAN;
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 1);
    im.regs[1].bytes[0] = 0x00;                             /* movs r0, r0 */
    im.regs[1].bytes[1] = 0x00;
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 0);
    image_free(&im);
}

/* An SVC that already is a reserved PV encoding (found by tests/fuzz
 * pvpatch): pvpatch cannot rewrite it and the monitor would stop the guest
 * on it, so patching refuses it, rather than succeed and then find it
 * "left after patching" (an "internal error" in the command line tool). */
static void test_elf_reserved_pv_svc(void **state)
{
    uint8_t b[0x400];
    struct image im;
    struct pvp_opts o = { 0 };
    struct tramp_area ta;
    struct pvp_stats st;
    (void)state;
    write_tmp(tmp_in, b, make_elf(b, F_GOOD));
    assert_int_equal(image_load_elf(&im, tmp_in, NULL), 0);
    im.regs[0].bytes[8] = 0x08;                 /* mov r0, #1 -> svc #0x3aee08 (reserved) */
    im.regs[0].bytes[9] = 0xEE;
    im.regs[0].bytes[10] = 0x3A;
    im.regs[0].bytes[11] = 0xEF;
    assert_int_equal(image_tramp_area(&im, false, 0, &ta), 0);
    pvp_diag = devnull();
    CHECK_EQ(pvp_patch(&im, &o, &ta, &st), 1);
    pvp_diag = NULL;
    CHECK_EQ(st.refused, 1);
    image_free(&im);
}

/* Random corruption of a good file: an error or a success, never a crash. */
static void test_elf_corrupt(void **state)
{
    uint32_t s = 0xEEF;
    (void)state;
    pvp_diag = fopen("/dev/null", "w");
    for (int k = 0; k < 400; k++) {
        uint8_t b[0x400];
        size_t n = make_elf(b, F_GOOD);
        struct image im;
        for (int j = 0; j < 1 + (int)rnd(&s, 4); j++)
            b[rnd(&s, (uint32_t)n)] ^= (uint8_t)(1 + rnd(&s, 255));
        write_tmp(tmp_in, b, n);
        if (image_load_elf(&im, tmp_in, NULL) == 0) {
            struct pvp_opts o = { .thumb = THUMB_SCAN };
            struct tramp_area ta;
            struct pvp_stats st;
            if (image_tramp_area(&im, false, 0, &ta) == 0) {
                pvp_patch(&im, &o, &ta, &st);
                free(ta.bytes);
            }
        }
        image_free(&im);
    }
    fclose(pvp_diag);
    pvp_diag = NULL;
}

/* Raw image + nm output (--verify RAW --symbols NM --load-addr) */
static void test_verify_raw(void **state)
{
    struct image im;
    struct pvp_opts o = { 0 };
    struct pvp_stats st;
    FILE *f;
    (void)state;
    write_tmp(tmp_in, (const uint8_t *)e_code, sizeof(e_code));
    f = fopen(tmp_out, "w");
    assert_non_null(f);
    fprintf(f, "40100000 t $a\n40100014 t $d\n40100000 T _start\n");
    fclose(f);
    assert_int_equal(image_load_raw(&im, tmp_in, tmp_out, E_TEXT_VA, NULL), 0);
    CHECK_EQ(pvp_verify(&im, &o, devnull(), &st), 3);
    CHECK_EQ(st.left[A32_CPS], 1);
    image_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_cps), T(test_mrs_msr), T(test_srs_rfe), T(test_ldm_stm), T(test_dp_pc),
        T(test_hints), T(test_refused), T(test_psci), T(test_banked_srfa), T(test_nop_tlb), T(test_fit),
        T(test_untouched), T(test_srfa_cps), T(test_srfa_mrs), T(test_semihost_shim),
        T(test_srfa_msr_c), T(test_srfa_stm_sp_lr), T(test_ret_user_peephole), T(test_fit_store_rewrite), T(test_fit_fpexc_rewrite),
        T(test_stub_peephole),
        TE(test_elf_patch), TE(test_elf_trampolines), TE(test_elf_malformed),
        TE(test_elf_thumb_refused), TE(test_elf_reserved_pv_svc), TE(test_elf_corrupt), TE(test_verify_raw),
    };
    return UNIT_RUN("pvpatch", tests);
}
