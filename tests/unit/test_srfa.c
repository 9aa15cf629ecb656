/*
 * SRFA (core/srfa.c) and FIT (core/fit.c) against the monitor's own
 * emulation: every word the page publishes must be what the trapping
 * instruction returns; FIT ops must do what the instruction they replace
 * does; self-patching only where virtual User mode cannot reach.
 */
#include "unit.h"
#include "fake.h"
#include "emulate.h"
#include "exception.h"
#include "srfa.h"
#include "fit.h"
#include <arch/mmu-defs.h>

#define INSN     (FAKE_RAM_BASE + 0x1000)
#define L1TAB    (FAKE_RAM_BASE + 0x8000)       /* 16 KiB aligned guest L1 */
#define W(off)   ((off) / 4)

static int srfa_setup(void **state)
{
    struct vcpu *v;

    unit_vcpu_setup(state);
    v = *state;
    v->cp15.vbar = FAKE_RAM_BASE + 0x10000;
    if (srfa_init(v) || !v->srfa)
        return -1;
    return 0;
}
#define TS(f) cmocka_unit_test_setup_teardown(f, srfa_setup, unit_vcpu_teardown)

static uint32_t mrc(struct vcpu *v, unsigned opc1, unsigned crn, unsigned crm, unsigned opc2)
{
    fake_put32(INSN, 0xEE100F10u | opc1 << 21 | crn << 16 | 3u << 12 | opc2 << 5 | crm);
    v->regs.pc = INSN + 4;
    v->regs.r[3] = 0xDEADBEEF;
    emulate_undef(v);
    return v->regs.r[3];
}

static void mcr(struct vcpu *v, unsigned opc1, unsigned crn, unsigned crm, unsigned opc2,
                uint32_t val)
{
    fake_put32(INSN, 0xEE000F10u | opc1 << 21 | crn << 16 | 3u << 12 | opc2 << 5 | crm);
    v->regs.pc = INSN + 4;
    v->regs.r[3] = val;
    emulate_undef(v);
}

static void check_all_cp15(struct vcpu *v, const char *when)
{
    srfa_publish(v);
#define X(name, idx, crn, o1, crm, o2) \
    CHECK_EQ_CTX(v->srfa[W(PV_SRFA_CP15_OFF(idx))], mrc(v, o1, crn, crm, o2),     \
                 "SRFA word of " #name " vs MRC (%s)", when);
    PV_SRFA_CP15_LIST(X)
#undef X
}

static void test_header(void **state)
{
    struct vcpu *v = *state;

    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_MAGIC)], PV_SRFA_MAGIC_VALUE);
    CHECK_EQ(v->srfa[W(PV_SRFA_VERSION)], PV_SRFA_VERSION_VALUE);
    CHECK_EQ(v->srfa[W(PV_SRFA_VCPSR)], vcpu_cpsr(v));
    CHECK_EQ(fake.srfa_page, v->srfa);
    /* the list and the count agree, and every index is in the page */
    unsigned n = 0;
#define X(name, idx, crn, o1, crm, o2) n++; CHECK_TRUE(PV_SRFA_CP15_OFF(idx) < 4096);
    PV_SRFA_CP15_LIST(X)
#undef X
    CHECK_EQ(n, PV_SRFA_CP15_COUNT);
}

static void test_cp15_words(void **state)
{
    struct vcpu *v = *state;

    check_all_cp15(v, "reset");
    mcr(v, 0, 13, 0, 1, 0x42);                  /* CONTEXTIDR */
    mcr(v, 0, 13, 0, 4, 0x12345678);            /* TPIDRPRW */
    mcr(v, 0, 3, 0, 0, 0x55555557);             /* DACR */
    mcr(v, 2, 0, 0, 0, 1);                      /* CSSELR */
    mcr(v, 0, 2, 0, 2, 2);                      /* TTBCR */
    mcr(v, 0, 7, 8, 0, 0x40001234);             /* ATS1CPR: PAR */
    check_all_cp15(v, "written");
    CHECK_EQ(v->srfa[W(PV_SRFA_CP15_OFF(41))], 0x42u);
    vcpu_inject_dabt(v, INSN, 0x805, 0x40008888);
    check_all_cp15(v, "after an abort");
    CHECK_EQ(v->srfa[W(PV_SRFA_CP15_OFF(34))], 0x40008888u);
}

static void test_sync_in_aif_only(void **state)
{
    struct vcpu *v = *state;
    uint32_t mode = vmode(v);

    v->srfa[W(PV_SRFA_VCPSR)] = 0xFFFFFFFF;
    srfa_sync_in(v);
    CHECK_EQ(vmode(v), mode);
    CHECK_EQ(v->vcpsr & PSR_AIF, (uint32_t)PSR_AIF);
    v->srfa[W(PV_SRFA_VCPSR)] = PSR_MODE_USR;   /* tries to drop to User mode */
    srfa_sync_in(v);
    CHECK_EQ(vmode(v), mode);
    CHECK_EQ(v->vcpsr & PSR_AIF, 0u);
    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_VCPSR)] & PSR_MODE_MASK, mode);
}

static void test_banked_and_spsr(void **state)
{
    struct vcpu *v = *state;

    v->regs.sp = 0x1111;
    v->regs.lr = 0x2222;
    vcpu_set_mode(v, PSR_MODE_IRQ);
    v->regs.sp = 0x3333;
    *vcpu_spsr(v) = 0x600000D3;
    vcpu_set_mode(v, PSR_MODE_ABT);
    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_SP(PV_SRFA_BANK_SVC))], 0x1111u);
    CHECK_EQ(v->srfa[W(PV_SRFA_LR(PV_SRFA_BANK_SVC))], 0x2222u);
    CHECK_EQ(v->srfa[W(PV_SRFA_SP(PV_SRFA_BANK_IRQ))], 0x3333u);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR_OF(PV_SRFA_BANK_IRQ))], 0x600000D3u);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR)], v->spsr[BANK_ABT]);
    vcpu_set_mode(v, PSR_MODE_SYS);
    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR)], 0u);
}

/* An interrupt taken in SVC mode (LEAN_TRAP: inject_privileged()) and the
 * return to SVC: the SRFA's banked words follow without a full republish. */
static void test_banked_after_irq_injection(void **state)
{
    struct vcpu *v = *state;

    srfa_publish(v);                            /* the reset's full publish */
    v->regs.sp = 0x5150;
    v->regs.lr = 0x5151;
    v->vcpsr &= ~PSR_AIF;
    vcpu_inject(v, VEXC_IRQ, 0x40001238);
    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_SP(PV_SRFA_BANK_SVC))], 0x5150u);
    CHECK_EQ(v->srfa[W(PV_SRFA_LR(PV_SRFA_BANK_SVC))], 0x5151u);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR_OF(PV_SRFA_BANK_IRQ))], v->spsr[BANK_IRQ]);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR)], v->spsr[BANK_IRQ]);
    CHECK_EQ(v->srfa[W(PV_SRFA_VCPSR)], vcpu_cpsr(v));
    v->regs.sp = 0x1250;                        /* the handler moves its SP */
    vcpu_set_mode(v, PSR_MODE_SVC);
    srfa_publish(v);
    CHECK_EQ(v->srfa[W(PV_SRFA_SP(PV_SRFA_BANK_IRQ))], 0x1250u);
    CHECK_EQ(v->srfa[W(PV_SRFA_LR(PV_SRFA_BANK_IRQ))], 0x40001238u);
    CHECK_EQ(v->srfa[W(PV_SRFA_SPSR)], v->spsr[BANK_SVC]);
    CHECK_EQ(v->regs.sp, 0x5150u);
}

static void test_protect_when_pending_masked(void **state)
{
    struct vcpu *v = *state;
    struct guest *g = v->guest;

    g->virq_signalled = true;
    v->vcpsr |= PSR_I;
    srfa_publish(v);
    CHECK_TRUE(g->mm.srfa_ro);
    CHECK_EQ(v->srfa[W(PV_SRFA_PENDING)], 1u);
    v->vcpsr &= ~PSR_I;
    srfa_publish(v);
    CHECK_FALSE(g->mm.srfa_ro);
    g->virq_signalled = false;
    v->vcpsr |= PSR_I;
    srfa_publish(v);
    CHECK_FALSE(g->mm.srfa_ro);
    CHECK_EQ(v->srfa[W(PV_SRFA_PENDING)], 0u);
}

/* The store that faults on the read-only page is completed by the monitor;
 * only stores into the page by the virtual kernel qualify. */
static void test_store_fault(void **state)
{
    struct vcpu *v = *state;
    struct guest *g = v->guest;

    g->virq_signalled = true;
    v->vcpsr |= PSR_I;
    srfa_publish(v);
    CHECK_TRUE(g->mm.srfa_ro);
    /* str r1, [r0, #-0xFFF] with r0 = 0xBFFFFFFF: the VCPSR word */
    fake_put32(INSN, 0xE5001FFFu);
    v->regs.pc = INSN;
    v->regs.r[0] = PV_SRFA_BASE;
    v->regs.r[1] = vcpu_cpsr(v) & ~PSR_I;
    CHECK_TRUE(srfa_store_fault(v, PV_SRFA_VA));
    CHECK_EQ(v->regs.pc, INSN + 4);
    CHECK_EQ(v->vcpsr & PSR_I, 0u);             /* unmasked: delivery is next */
    /* not the page, not read-only, or from virtual User mode: not ours */
    v->regs.pc = INSN;
    CHECK_FALSE(srfa_store_fault(v, PV_SRFA_VA - 4));
    g->mm.srfa_ro = false;
    CHECK_FALSE(srfa_store_fault(v, PV_SRFA_VA));
    g->mm.srfa_ro = true;
    vcpu_set_mode(v, PSR_MODE_USR);
    CHECK_FALSE(srfa_store_fault(v, PV_SRFA_VA));
}

/* An STRD at the end of the read-only page: its second word, past the page,
 * is an ordinary guest store.  With the MMU off VA 0xC0000000 is no memory:
 * an external abort (DFSR 0x808 with WnR), not the translation fault the
 * monitor used to report, which no MMU-off access can give (B3.13.3). */
static void test_store_fault_spill(void **state)
{
    struct vcpu *v = *state;
    struct guest *g = v->guest;

    g->virq_signalled = true;
    v->vcpsr |= PSR_I;
    srfa_publish(v);
    CHECK_TRUE(g->mm.srfa_ro);
    fake_put32(INSN, 0xE1C200F0u);              /* strd r0, r1, [r2] */
    v->regs.pc = INSN;
    v->regs.r[0] = 0x11111111u;
    v->regs.r[1] = 0x22222222u;
    v->regs.r[2] = PV_SRFA_VA + 0xFFC;
    CHECK_TRUE(srfa_store_fault(v, PV_SRFA_VA + 0xFFC));
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->cp15.dfsr, 0x808u);
    CHECK_EQ(v->cp15.dfar, 0xC0000000u);
    CHECK_EQ(fake.stop_count, 0);
}

/* ---- FIT ------------------------------------------------------------------- */

static void run_svc(struct vcpu *v, uint32_t imm24)
{
    fake_put32(INSN, svc_word(0xE, imm24));
    v->regs.pc = INSN + 4;
    emulate_svc(v);
}

static void test_fit_load_slow_path(void **state)
{
    struct vcpu *v = *state;

    mcr(v, 0, 13, 0, 1, 0x77);
    srfa_publish(v);
    for (unsigned rt = 0; rt < 13; rt++) {
        v->regs.r[rt] = 0;
        run_svc(v, PV_FIT_LOAD(rt, PV_SRFA_CP15 / 4 + 41));
        CHECK_EQ_CTX(vcpu_reg(v, rt, 0), 0x77u, "FIT_LOAD into r%u", rt);
        CHECK_EQ(v->regs.pc, INSN + 4);
    }
    run_svc(v, PV_FIT_LOAD(4, W(PV_SRFA_MAGIC)));
    CHECK_EQ(v->regs.r[4], PV_SRFA_MAGIC_VALUE);
}

/* srfa_word() is the page: every word, in every mode, equal to what
 * srfa_publish() stored; and FIT_LOAD on a vCPU without a page (a monitor
 * built SRFA=0: issue 15 item 1) loads the same value as with it. */
static void test_srfa_word_is_the_page(void **state)
{
    struct vcpu *v = *state;
    static const uint32_t modes[] = { PSR_MODE_SVC, PSR_MODE_IRQ, PSR_MODE_ABT, PSR_MODE_UND,
                                      PSR_MODE_FIQ, PSR_MODE_SYS };

    mcr(v, 0, 13, 0, 1, 0x77);                  /* CONTEXTIDR */
    mcr(v, 0, 5, 0, 0, 0x80F);                  /* DFSR */
    for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        vcpu_set_mode(v, modes[m]);
        v->regs.sp = 0x1000 + m;
        v->regs.lr = 0x2000 + m;
        if (modes[m] != PSR_MODE_SYS)
            *vcpu_spsr(v) = 0x60000010u | m;
        v->guest->virq_signalled = m & 1;
        srfa_publish(v);
        enum vbank cur = vcpu_bank_of(modes[m]);
        for (unsigned w = 0; w < PV_SRFA_WORDS; w++) {
            /* the current mode's SP/LR words: the ABI gives the live
             * registers there (docs/pv-abi.md), which srfa_word() returns */
            if (w == W(PV_SRFA_SP(cur)) || w == W(PV_SRFA_LR(cur)))
                CHECK_EQ_CTX(srfa_word(v, w), w == W(PV_SRFA_SP(cur)) ? v->regs.sp : v->regs.lr,
                             "word %u: live SP/LR of mode 0x%02x", w, (unsigned)modes[m]);
            else
                CHECK_EQ_CTX(srfa_word(v, w), v->srfa[w], "word %u (offset 0x%03x) in mode 0x%02x",
                             w, 4 * w, (unsigned)modes[m]);
        }
        uint32_t *page = v->srfa;
        for (unsigned w = 0; w < W(PV_SRFA_CP15_OFF(PV_SRFA_CP15_COUNT)); w++) {
            uint32_t with, without;
            if (w == W(PV_SRFA_SP(cur)) || w == W(PV_SRFA_LR(cur)))
                continue;                       /* as above */
            v->regs.r[5] = 0xDEADBEEF;
            run_svc(v, PV_FIT_LOAD(5, w));
            with = v->regs.r[5];
            v->srfa = NULL;
            v->regs.r[5] = 0xDEADBEEF;
            run_svc(v, PV_FIT_LOAD(5, w));
            without = v->regs.r[5];
            v->srfa = page;
            CHECK_EQ_CTX(without, with, "FIT_LOAD of word %u without a page, mode 0x%02x", w,
                         (unsigned)modes[m]);
        }
    }
    CHECK_EQ(fake.stop_count, 0);
}

static void test_fit_cache_slow_path(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[6] = FAKE_RAM_BASE + 0x4000;
    fake.cache_va_count = 0;
    run_svc(v, PV_FIT_CACHE(6, PV_FIT_DCCMVAC));
    CHECK_EQ(fake.cache_va_count, 1);
    CHECK_EQ(fake.cache_va, FAKE_RAM_BASE + 0x4000);
    CHECK_EQ(v->regs.pc, INSN + 4);
    for (unsigned op = 0; op < PV_FIT_NCACHE; op++)
        CHECK_TRUE(fit_cache_op_of(op == 0 ? 10 : op == 1 ? 11 : op == 2 ? 14 : op == 3 ? 6 : 5, 1)
                   == (int)op);
    CHECK_EQ(fit_cache_op_of(10, 2), -1);       /* DCCSW: not by VA */
}

/* A one-section guest MMU over the fake RAM, AP = ap (B3.5.1). */
static void mmu_on(struct vcpu *v, unsigned ap)
{
    uint32_t mb = FAKE_RAM_BASE >> 20;

    for (unsigned i = 0; i < 4096; i += 4)
        fake_put32(L1TAB + i, 0);
    fake_put32(L1TAB + 4 * mb, (mb << 20) | (ap & 3u) << 10 | ((ap >> 2) & 1u) << 15 | 2u);
    v->cp15.ttbr0 = L1TAB;
    v->cp15.ttbcr = 0;
    v->cp15.dacr = 1;                           /* domain 0: client */
    v->cp15.sctlr |= SCTLR_M;
}

static void test_self_patch(void **state)
{
    struct vcpu *v = *state;
    uint32_t want = svc_word(0xE, PV_FIT_LOAD(3, PV_SRFA_CP15 / 4 + 41));

    /* MMU off: reachable from virtual User mode, not patched */
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake_get32(INSN), 0xEE1D3F30u);
    CHECK_EQ(fake.sync_code_count, 0);
    /* MMU on, PL0 read-write (AP=011): not patched */
    mmu_on(v, 3);
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake_get32(INSN), 0xEE1D3F30u);
    /* PL0 read-only (AP=010): reachable from PL0: not patched */
    fit_forget(v);
    mmu_on(v, 2);
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake_get32(INSN), 0xEE1D3F30u);
    /* PL1 only (AP=001), virtual User mode: UNDEF, not patched */
    fit_forget(v);
    mmu_on(v, 1);
    vcpu_set_mode(v, PSR_MODE_USR);
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake_get32(INSN), 0xEE1D3F30u);
    vcpu_set_mode(v, PSR_MODE_SVC);
    /* PL1 only, privileged, but the shadow says the CPU fetched another
     * page or a User-executable alias exists: not patched */
    v->vcpsr = PSR_MODE_SVC;
    fake.patch_refused = true;
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake_get32(INSN), 0xEE1D3F30u);
    CHECK_EQ(fake.patch_asked, 1);
    fake.patch_refused = false;
    fit_forget(v);
    /* PL1 only, privileged: patched, with the instruction caches synced,
     * the original recorded */
    mrc(v, 0, 13, 0, 1);
    CHECK_EQ(fake.patch_orig, 0xEE1D3F30u);
    CHECK_EQ(fake_get32(INSN), want);
    CHECK_EQ(fake.sync_code_count, 1);
    CHECK_EQ(fake.sync_code_pa, FAKE_PA_BASE + (INSN - FAKE_RAM_BASE));
    CHECK_EQ(v->stats[TS_FIT_PATCH], 1u);
    /* a register the SRFA does not mirror (PMCCNTR) is never patched */
    fake_put32(INSN, 0);
    mrc(v, 0, 9, 13, 0);
    CHECK_EQ(fake_get32(INSN), 0xEE193F1Du);
    /* a conditional MRC keeps its condition */
    fake_put32(INSN, 0x0E1D3F30u);              /* mrceq */
    v->regs.pc = INSN + 4;
    v->regs.cpsr |= PSR_Z;
    emulate_undef(v);
    CHECK_EQ(fake_get32(INSN), svc_word(0x0, PV_FIT_LOAD(3, PV_SRFA_CP15 / 4 + 41)));
    /* DCCMVAC by VA: FIT_CACHE */
    mcr(v, 0, 7, 10, 1, FAKE_RAM_BASE + 0x4000);
    CHECK_EQ(fake_get32(INSN), svc_word(0xE, PV_FIT_CACHE(3, PV_FIT_DCCMVAC)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS(test_header), TS(test_cp15_words), TS(test_sync_in_aif_only), TS(test_banked_and_spsr),
        TS(test_banked_after_irq_injection),
        TS(test_protect_when_pending_masked), TS(test_store_fault), TS(test_store_fault_spill),
        TS(test_fit_load_slow_path), TS(test_srfa_word_is_the_page), TS(test_fit_cache_slow_path),
        TS(test_self_patch),
    };
    return cmocka_run_group_tests_name("srfa", tests, NULL, NULL);
}
