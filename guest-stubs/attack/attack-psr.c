/*
 * attack-psr.c - crafted CPSR/SPSR values, exception returns and SRFA
 * tampering, PV only (run beside victim.c by tests/integration/run-all.sh
 * "attacks"; docs/security.md).  The guest always runs in the CPU's User
 * mode; nothing here may change that, nor put the virtual CPU in a mode it
 * does not have.  "Real mode" is read with an unpatched MRS CPSR, which in
 * User mode returns the real CPSR (B9.3.8); "monitor reachable" is probed
 * with a load from the monitor window VA 0xBF000000, which a privileged
 * real mode could read and User mode gets as an external abort
 * (DFSR 0x008, B3.13.3).
 *
 *   raw-<insn>-svc   raw sensitive instructions in virtual SVC mode (what an
 *                    unpatched kernel runs): CPS #MON, CPSID aif #HYP,
 *                    MSR CPSR_c #MON: no effect on the real mode (they are
 *                    User-mode no-ops: B9.3.2, B9.3.10); the virtual mode
 *                    stays SVC
 *   raw-<insn>-und   MRS/MSR SPSR, MOVS PC,LR, LDM ^, RFE, SRS executed
 *                    for real in User mode: an Undefined Instruction
 *                    exception for the guest at that address (LR = insn +
 *                    4, SPSR mode = SVC), real mode still User
 *   user-<insn>      the same from virtual User mode (run_user): CPS and
 *                    MSR CPSR_c cannot leave User mode
 *   spsr-user-j      exception returns to User with SPSR.J (and A/I/F) set:
 *                    the code runs in real User mode with J clear (ARM state)
 *   every-vmode      in each virtual privileged mode the real mode is User
 *   window-load      after all that: the window VA still aborts (0x008)
 *   srfa-*           (SRFA monitors) every word of the page overwritten with
 *                    junk (mode MON in VCPSR): trapped MRS still reads SVC,
 *                    hypercalls work, the page's VCPSR is republished; from
 *                    virtual User mode the page is not readable (0x008);
 *                    while read-only (interrupt pending and masked) a store
 *                    to it is emulated, and an STRD spilling past its end
 *                    gets the abort of the address beyond (0x808)
 *   last, by variant (FATAL): 1 (attack-psr) PV CPS #0x16 (Monitor),
 *   2 (attack-psr-hyp) PV MSR CPSR_c to 0x1A (Hyp), 3 (attack-psr-rfe) PV
 *   RFE loading a CPSR with the reserved mode 0x15, 4 (attack-psr-spsr) PV
 *   MSR SPSR with mode 0x1A, so that no exception return could ever use
 *   it: the monitor stops the guest ("attempt to enter absent or reserved
 *   mode 0xNN").
 */
#include <stdio.h>
#include "attack.h"

#ifndef PV
#error "attack-psr is a PV-only guest"
#endif
#ifndef FATAL
#define FATAL 1
#endif

static volatile struct { unsigned n; uint32_t lr, spsr, fsr, far; } und, dab;

/* An exception at run_word()'s instruction: record it, resume after it. */
static int und_hook(struct exc_frame *f)
{
    if (f->pc - 4 != ATT_WORD_VA)
        return 0;
    und.n++;
    und.lr = f->pc;
    und.spsr = f->spsr;
    return 1;
}

static int dabt_hook(struct exc_frame *f)
{
    if (f->pc - 8 != ATT_WORD_VA)
        return 0;
    dab.n++;
    dab.fsr = CP15_READ(0, c5, c0, 0);
    dab.far = CP15_READ(0, c6, c0, 0);
    f->r[0] = 0xDEADDEADu;
    f->pc -= 4;
    return 1;
}

static uint32_t vmode(void)
{
    uint32_t c;
    __asm__ volatile("v_mrs %0, cpsr" : "=r"(c));
    return c & MODE_MASK;
}

#define LDR_R0_R0 0xE5900000u

/* a load from the monitor window must abort like any IPA outside its RAM */
static void window_load(const char *nm)
{
    unsigned n0 = dab.n;
    uint32_t r = run_word(LDR_R0_R0, WINDOW_VA + 0x40, 0, 0, 0);
    int ok = dab.n == n0 + 1 && (dab.fsr & 0x40F) == 0x008 && dab.far == WINDOW_VA + 0x40;
    check(nm, ok, "load from VA 0x%08lx: %s DFSR=0x%03lx DFAR=0x%08lx r0=0x%08lx (expected an "
          "external abort 0x008)", (unsigned long)(WINDOW_VA + 0x40),
          dab.n == n0 + 1 ? "abort" : "NO abort", (unsigned long)dab.fsr, (unsigned long)dab.far,
          (unsigned long)r);
}

/* ---- raw sensitive instructions in virtual SVC mode -------------------- */
static void raw_nops(void)
{
    static const struct { uint32_t w; const char *nm; } t[] = {
        { A_CPS_MODE(0x16), "raw-cps-mon-svc" },
        { A_CPSID_AIF_MODE(0x1A), "raw-cpsid-hyp-svc" },
        { A_MSR_CPSR_C(0xD6), "raw-msr-mon-svc" },
        { A_MSR_CPSR_C(0xDF), "raw-msr-sys-svc" },
    };
    for (unsigned i = 0; i < 4; i++) {
        unsigned n0 = und.n;
        run_word(t[i].w, 0, 0, 0, 0);
        uint32_t rc = real_cpsr();
        check(t[i].nm, und.n == n0 && (rc & MODE_MASK) == MODE_USR && vmode() == MODE_SVC,
              "%08lx: real mode 0x%02lx, virtual 0x%02lx, %u UND (expected 0x10, 0x13, 0)",
              (unsigned long)t[i].w, (unsigned long)(rc & MODE_MASK), (unsigned long)vmode(),
              und.n - n0);
    }
}

static void raw_undefs(void)
{
    static uint32_t frame[2] __attribute__((aligned(8)));
    static const struct { uint32_t w; const char *nm; } t[] = {
        { A_MRS_SPSR(0), "raw-mrs-spsr-und" },
        { A_MSR_SPSR_FSXC(0), "raw-msr-spsr-und" },
        { A_MOVS_PC_LR, "raw-movs-pc-lr-und" },
        { A_LDM_SP_PC_HAT, "raw-ldm-hat-und" },
        { A_RFEIA(0), "raw-rfe-und" },
        { A_SRSDB_SP(0x13), "raw-srs-und" },
    };
    frame[0] = (uint32_t)&frame[0];     /* RFE: PC, CPSR = SVC: must not be used */
    frame[1] = 0x1D3;
    for (unsigned i = 0; i < 6; i++) {
        unsigned n0 = und.n;
        run_word(t[i].w, (uint32_t)frame, 0x1D6, 0, 0);
        uint32_t rc = real_cpsr();
        check(t[i].nm, und.n == n0 + 1 && und.lr == ATT_WORD_VA + 4 &&
              (und.spsr & MODE_MASK) == MODE_SVC && (rc & MODE_MASK) == MODE_USR &&
              vmode() == MODE_SVC,
              "%08lx run for real: %u UND, LR=insn+%ld, SPSR mode 0x%02lx, real mode 0x%02lx, "
              "virtual 0x%02lx (expected 1, +4, 0x13, 0x10, 0x13)", (unsigned long)t[i].w,
              und.n - n0, (long)(und.lr - ATT_WORD_VA), (unsigned long)(und.spsr & MODE_MASK),
              (unsigned long)(rc & MODE_MASK), (unsigned long)vmode());
    }
}

/* ---- from virtual User mode ------------------------------------------------ */
/* r0 = the real CPSR after trying to leave User mode with CPS and MSR */
USER_CODE static uint32_t user_escape(uint32_t arg __attribute__((unused)))
{
    uint32_t c;
    __asm__ volatile(".inst 0xF1020013\n\t"     /* CPS #SVC */
                     ".inst 0xF10E01D3\n\t"     /* CPSID aif, #SVC */
                     ".inst 0xE321F0D3\n\t"     /* MSR CPSR_c, #0xD3 */
                     ".inst 0xE321F0D6\n\t"     /* MSR CPSR_c, #0xD6 (MON) */
                     "mrs %0, cpsr" : "=r"(c) :: "memory");
    return c;
}

USER_CODE static uint32_t user_cpsr(uint32_t arg __attribute__((unused)))
{
    uint32_t c;
    __asm__ volatile("mrs %0, cpsr" : "=r"(c));
    return c;
}

static void from_user(void)
{
    uint32_t c = run_user(user_escape, 0, MODE_USR);
    check("user-cps-msr", (c & (MODE_MASK | PSR_A | PSR_I | PSR_F)) == MODE_USR,
          "CPS #SVC, CPSID aif #SVC, MSR CPSR_c #SVC/#MON from virtual User mode: real CPSR "
          "0x%08lx (expected mode 0x10, A I F clear)", (unsigned long)c);

    /* exception returns to User mode with J (Jazelle), A, F and I set */
    unsigned bad = 0;
    char txt[96] = "";
    for (unsigned i = 0; i < 4; i++) {
        uint32_t spsr = MODE_USR | PSR_J | (i & 1 ? PSR_I : 0) | (i & 2 ? PSR_A | PSR_F : 0);
        uint32_t r = run_user(user_cpsr, 0, spsr);
        if (((r & MODE_MASK) != MODE_USR || (r & (PSR_J | PSR_T))) && !bad++)
            snprintf(txt, sizeof txt, "; SPSR 0x%08lx gave 0x%08lx", (unsigned long)spsr,
                     (unsigned long)r);
    }
    check("spsr-user-j", bad == 0, "4 exception returns to User with SPSR.J (+A F I): %u ran "
          "with J/T set or not in User mode%s", bad, txt);
}

/* Each virtual privileged mode in turn (PV CPS, then the real MRS, then PV
 * CPS back to SVC, with no stack use in between): the real mode stays User */
static void every_vmode(void)
{
    static const uint32_t modes[] = { MODE_FIQ, MODE_IRQ, 0x17, 0x1B, MODE_SYS };
    unsigned bad = 0;
    char txt[64] = "";
    for (unsigned i = 0; i < 5; i++) {
        const uint32_t w[3] = { PV_ENCODE(0xE, PV_CPS(0, 1, 0, modes[i])), A_MRS_CPSR(0),
                                PV_ENCODE(0xE, PV_CPS(0, 1, 0, MODE_SVC)) };
        uint32_t r = run_seq(w, 3, 0, 0);
        if ((r & MODE_MASK) != MODE_USR && !bad++)
            snprintf(txt, sizeof txt, ": in mode 0x%02lx real CPSR 0x%08lx",
                     (unsigned long)modes[i], (unsigned long)r);
    }
    check("every-vmode", bad == 0 && vmode() == MODE_SVC, "virtual FIQ, IRQ, ABT, UND, SYS: real "
          "mode User in each (%u not)%s", bad, txt);
}

/* ---- SRFA tampering --------------------------------------------------------- */
static void srfa_tamper(void)
{
    if (!(hc_features() & PV_FEAT_SRFA)) {
        gprintf("attack-psr: no SRFA page (SRFA=0): srfa checks skipped\n");
        return;
    }
    volatile uint32_t *p = (volatile uint32_t *)PV_SRFA_VA;
    uint32_t cpsr0;
    __asm__ volatile("v_mrs %0, cpsr" : "=r"(cpsr0));
    for (unsigned i = 0; i < 1024; i++)
        p[i] = i == 0 ? 0xFFFFFE16u & ~(PSR_A | PSR_I | PSR_F) : 0xA5A5A5A5u ^ i;
    long id = hc_guest_id();                    /* a full trap: the monitor syncs in */
    uint32_t m = vmode(), rc = real_cpsr(), vw = p[0];
    check("srfa-junk", m == MODE_SVC && (rc & MODE_MASK) == MODE_USR && id == hc_guest_id() &&
          (vw & MODE_MASK) == MODE_SVC,
          "all SRFA words junk (VCPSR mode 0x16): vmode 0x%02lx real 0x%02lx id %ld, VCPSR "
          "republished 0x%08lx",
          (unsigned long)m, (unsigned long)(rc & MODE_MASK), id, (unsigned long)vw);
    window_load("srfa-window-load");
    p[0] = cpsr0;
    (void)hc_guest_id();
}

USER_CODE static uint32_t user_read_srfa(uint32_t arg)
{
    return *(volatile uint32_t *)arg;
}

static volatile unsigned seen;
static volatile uint32_t seen_fsr, seen_far;

/* the abort of user_read_srfa's load (an abort from virtual User mode) */
static int user_dabt_hook(struct exc_frame *f)
{
    if ((f->spsr & MODE_MASK) != MODE_USR)
        return 0;
    seen++;
    seen_fsr = CP15_READ(0, c5, c0, 0);
    seen_far = CP15_READ(0, c6, c0, 0);
    f->r[0] = 0xDEADDEADu;
    f->pc -= 4;
    return 1;
}

static void srfa_from_user(void)
{
    if (!(hc_features() & PV_FEAT_SRFA))
        return;
    exc_hook_t old = exc_set_hook(VEC_DABT, user_dabt_hook);
    uint32_t r = run_user(user_read_srfa, PV_SRFA_VA, MODE_USR);
    uint32_t fsr = seen_fsr, far = seen_far;
    exc_set_hook(VEC_DABT, old);
    check("srfa-user", seen == 1 && (fsr & 0x40F) == 0x008 && far == PV_SRFA_VA && r == 0xDEADDEADu,
          "virtual User mode reading the SRFA page: %u abort(s), DFSR=0x%03lx DFAR=0x%08lx "
          "(expected 1, 0x008, 0x%08lx)", seen, (unsigned long)fsr, (unsigned long)far,
          (unsigned long)PV_SRFA_VA);
}

/* ---- stores to the SRFA page while it is read-only ------------------------
 * With an interrupt pending and masked the monitor makes the page read-only,
 * so that the store unmasking it traps and the interrupt is taken at once
 * (core/srfa.c srfa_store_fault emulates the store).  Attack that emulation:
 * a store to the VCPSR word still works (and keeps I set); an STRD whose
 * second word lies past the end of the page (VA 0xC0000000, nothing there
 * with the MMU off) must give the guest the abort that address gives: an
 * external abort, DFSR 0x808 (B3.13.3), DFAR in the access. */
#define GICD(off) ((volatile uint32_t *)((uintptr_t)GICD_BASE + (off)))
#define GICC(off) ((volatile uint32_t *)((uintptr_t)GICC_BASE + (off)))
#define STRD_R0_R2 0xE1C200F0u                  /* STRD r0, r1, [r2] (A8.8.210) */

static void srfa_ro_stores(void)
{
    if (!(hc_features() & PV_FEAT_SRFA))
        return;
    volatile uint32_t *p = (volatile uint32_t *)PV_SRFA_VA;
    CPSID(i);
    *GICC(0x04) = 0xF0;                         /* GICC_PMR */
    *GICC(0x00) = 1;
    *GICD(0x000) = 1;
    *(volatile uint8_t *)((uintptr_t)GICD_BASE + 0xF20 + 9) = 1;  /* SGI 9 pending */
    (void)hc_guest_id();                        /* a trap: the page is published read-only */
    uint32_t keep = p[0];
    p[0] = keep;                                /* emulated: still masked */
    uint32_t after = p[0];
    unsigned n0 = dab.n;
    run_word(STRD_R0_R2, 0x11111111u, 0x22222222u, PV_SRFA_VA + 0xFFC, 0);
    int faulted = dab.n == n0 + 1;
    check("srfa-ro-store", after == keep && (after & PSR_I), "store of VCPSR 0x%08lx to the "
          "read-only page: reads back 0x%08lx, I still set", (unsigned long)keep,
          (unsigned long)after);
    check("srfa-ro-spill", faulted && (dab.fsr & 0xC0F) == 0x808 &&
          (dab.far == 0xC0000000u || dab.far == PV_SRFA_VA + 0xFFC),
          "STRD to 0x%08lx (2nd word past the page): %s DFSR=0x%03lx DFAR=0x%08lx (expected "
          "0x808, DFAR 0xc0000000 or 0x%08lx)", (unsigned long)(PV_SRFA_VA + 0xFFC),
          faulted ? "abort" : "NO abort", (unsigned long)dab.fsr, (unsigned long)dab.far,
          (unsigned long)(PV_SRFA_VA + 0xFFC));
    *(volatile uint8_t *)((uintptr_t)GICD_BASE + 0xF10 + 9) = 1;  /* SGI 9 no longer pending */
    (void)hc_guest_id();
}

/* ---- the fatal one -------------------------------------------------------- */
static void fatal(void)
{
#if FATAL == 1
    gprintf("attack-psr: PV CPS #0x16 (Monitor mode): the monitor must stop this guest\n");
    run_word(PV_ENCODE(0xE, PV_CPS(0, 1, 0, 0x16)), 0, 0, 0, 0);
#elif FATAL == 2
    gprintf("attack-psr: PV MSR CPSR_c, #0xDA (Hyp mode): the monitor must stop this guest\n");
    run_word(PV_ENCODE(0xE, PV_MSR_REG(0, 1, 0)), 0xDA, 0, 0, 0);
#elif FATAL == 4
    gprintf("attack-psr: PV MSR SPSR_fsxc with mode 0x1A (Hyp): the monitor must stop this guest\n");
    run_word(PV_ENCODE(0xE, PV_MSR_REG(1, 0xF, 0)), 0x1DA, 0, 0, 0);
#else
    static uint32_t frame[2] __attribute__((aligned(8)));
    gprintf("attack-psr: PV RFE of CPSR mode 0x15 (reserved): the monitor must stop this guest\n");
    frame[0] = (uint32_t)&frame[0];
    frame[1] = 0x1D5;
    run_word(PV_ENCODE(0xE, PV_RFE(0, 1, 0, 0)), (uint32_t)frame, 0, 0, 0);
#endif
    check("fatal-stop", 0, "still running after entering a forbidden mode (virtual mode 0x%02lx)",
          (unsigned long)vmode());
}

int main(void)
{
    gprintf("attack-psr: crafted PSR values and exception returns (variant %d)\n", FATAL);
    exc_set_hook(VEC_UND, und_hook);
    exc_set_hook(VEC_DABT, dabt_hook);
    raw_nops();
    raw_undefs();
    from_user();
    every_vmode();
    window_load("window-load");
    srfa_tamper();
    srfa_from_user();
    exc_set_hook(VEC_DABT, dabt_hook);
    srfa_ro_stores();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    test_result("attack-psr");
    fatal();
    return 1;
}
