/*
 * CPU services behind arch/arch.h: identification, per-guest native state,
 * fault registers, counters, idle and exit.
 */
#include <arch/arch.h>
#include <arch/cp15.h>
#include <arch/mmu-defs.h>
#include <hv/board.h>

uint32_t arch_id_read(enum arch_id_reg r)
{
    switch (r) {
    case ID_MIDR:   return read_midr();
    case ID_CTR:    return read_ctr();
    case ID_TCMTR:  return read_tcmtr();
    case ID_TLBTR:  return read_tlbtr();
    case ID_MPIDR:  return read_mpidr();
    case ID_REVIDR: return read_revidr();
    case ID_PFR0:   return read_id_pfr0();
    case ID_PFR1:   return read_id_pfr1();
    case ID_DFR0:   return read_id_dfr0();
    case ID_AFR0:   return read_id_afr0();
    case ID_MMFR0:  return read_id_mmfr0();
    case ID_MMFR1:  return read_id_mmfr1();
    case ID_MMFR2:  return read_id_mmfr2();
    case ID_MMFR3:  return read_id_mmfr3();
    case ID_ISAR0:  return read_id_isar0();
    case ID_ISAR1:  return read_id_isar1();
    case ID_ISAR2:  return read_id_isar2();
    case ID_ISAR3:  return read_id_isar3();
    case ID_ISAR4:  return read_id_isar4();
    case ID_ISAR5:  return read_id_isar5();
    case ID_CLIDR:  return read_clidr();
    case ID_AIDR:   return read_aidr();
    case ID_FPSID: case ID_MVFR0: case ID_MVFR1: {
        uint32_t v = 0, fpexc;
        if (!arch_has_vfp())
            return 0;
        /* At PL1 these are readable with FPEXC.EN clear (ARM ARM
         * B9.3.21, VMRS); no need to disturb the lazily switched VFP
         * state. */
        __asm__ volatile(".fpu vfpv3\n vmrs %0, fpexc" : "=r"(fpexc));
        if (r == ID_FPSID)
            __asm__ volatile(".fpu vfpv3\n vmrs %0, fpsid" : "=r"(v));
        else if (r == ID_MVFR0)
            __asm__ volatile(".fpu vfpv3\n vmrs %0, mvfr0" : "=r"(v));
        else
            __asm__ volatile(".fpu vfpv3\n vmrs %0, mvfr1" : "=r"(v));
        (void)fpexc;
        return v;
    }
    default:        return 0;
    }
}

uint32_t arch_ccsidr_read(uint32_t csselr)
{
    uint32_t v;

    write_csselr(csselr & 0xF);
    isb();
    v = read_ccsidr();
    return v;
}

bool arch_has_vfp(void)
{
    /* ID_PFR0 does not say; CPACR cp10 sticks at 0 without VFP (B4.1.40). */
    static int has = -1;
    if (has < 0) {
        uint32_t old = read_cpacr();
        write_cpacr(old | (0xF << 20));
        isb();
        has = (read_cpacr() & (0xF << 20)) != 0;
        write_cpacr(old | (has ? (0xF << 20) : 0));
        isb();
    }
    return has;
}

bool arch_has_generic_timer(void)
{
    return ((read_id_pfr1() >> 16) & 0xF) != 0;
}

bool arch_has_pmu(void)
{
    uint32_t perfmon = (read_id_dfr0() >> 24) & 0xF;
    return perfmon >= 1 && perfmon != 0xF;
}

/*
 * ThumbEE (A2.10): the guests are told there is none (core/cp15.c hides it in
 * ID_PFR0).  Its handler base TEEHBR is one register, writable from User
 * mode while TEECR.XED is 0, that every guest would share; XED = 1 makes
 * User-mode accesses to it UNDEFINED, so they trap and the guest gets the
 * Undefined Instruction exception a core without ThumbEE gives.
 */
void arch_thumbee_lock(void)
{
    if (((read_id_pfr0() >> 12) & 0xF) == 0)
        return;
    __asm__ volatile("mcr p14, 6, %0, c0, c0, 0" :: "r"(1u));      /* TEECR.XED */
    __asm__ volatile("isb");
}

/*
 * The guests run in User mode (PL0), so every control that lets PL0 reach
 * host state is a door between guests, or from a guest into the monitor.
 * Their reset values are UNKNOWN or IMPLEMENTATION DEFINED and a boot loader
 * may have set them (issue 15 item 4); so, at boot:
 *  - CNTKCTL (B4.1.26; generic timer B8.1.3): 0.  PL0PTEN/PL0VTEN would
 *    give PL0 the physical timer (the scheduling tick) and the virtual one
 *    (the guests' deadlines), PL0PCTEN/PL0VCTEN the counters, EVNTEN an
 *    event stream.  vtimer_privilege_changed() then opens the counter reads
 *    (bits [1:0] only) per virtual mode; the timers always trap.
 *  - PMUSERENR (chapter C12, Performance Monitors; PMUv2 adds SW, CR, ER): 0.  EN
 *    would give PL0 the real PMU (the cycle counter arch_cycles() and every
 *    guest reads); with it clear every PMU access but PMUSERENR itself is
 *    UNDEFINED at PL0 and traps to the monitor's emulation.
 *  - CPACR (B4.1.40): no access to cp0-cp9, cp12, cp13 (IMPLEMENTATION
 *    DEFINED coprocessors, an accelerator a boot loader set up); cp10/cp11
 *    are the lazy VFP switch's (core/vfp.c), ASEDIS/D32DIS are kept.
 *  - TPIDRURW, TPIDRURO (B4.1, software thread ID): 0, so no boot loader value can
 *    be read by a guest (each guest's own are loaded before it first runs).
 *  - TEECR.XED: arch_thumbee_lock().
 * NSACR and ACTLR grant nothing to PL0 (Non-secure PL1 and IMPLEMENTATION
 * DEFINED PL1 controls); the debug registers' PL0 access (DBGDSCR.UDCCdis)
 * is left as it is: see docs/security.md.
 */
void arch_pl0_access_reset(void)
{
    if (arch_has_generic_timer())
        write_cntkctl(0);
    if (arch_has_pmu())
        write_pmuserenr(0);
    write_cpacr(read_cpacr() & ((0xFu << 20) | (3u << 30)));    /* cp10, cp11, ASEDIS, D32DIS */
    write_tpidrurw(0);
    write_tpidruro(0);
    isb();
}

void arch_set_tls(uint32_t tpidrurw, uint32_t tpidruro)
{
    write_tpidrurw(tpidrurw);
    write_tpidruro(tpidruro);
}

uint32_t arch_get_tpidrurw(void)
{
    return read_tpidrurw();
}

/*
 * QEMU 7.2 checks alignment for Secure User mode against the Non-secure
 * SCTLR bank (its arm_sctlr() uses SCTLR_EL1 for EL0), while the ARM ARM
 * (B4.1.130, banked SCTLR) says the Secure bank applies.  When the monitor
 * runs Secure (vexpress-a9 boots that way) it therefore keeps SCTLR_NS.A
 * equal to SCTLR_S.A: in Monitor mode SCR.NS = 1 selects the Non-secure
 * CP15 banks without leaving Secure state (B1.5.6).  Harmless on hardware,
 * where the Non-secure bank is simply unused.
 */
static void set_ns_sctlr_a(bool on)
{
    uint32_t tmp1, tmp2, cpsr;

    __asm__ volatile(
        "mrs    %2, cpsr\n"
        "cps    #0x16\n"                           /* Monitor mode */
        "mrc    p15, 0, %0, c1, c1, 0\n"           /* SCR */
        "orr    %1, %0, #1\n"
        "mcr    p15, 0, %1, c1, c1, 0\n"           /* SCR.NS = 1 */
        "isb\n"
        "mrc    p15, 0, %1, c1, c0, 0\n"           /* SCTLR (Non-secure bank) */
        "bic    %1, %1, #2\n"
        "orr    %1, %1, %3\n"
        "mcr    p15, 0, %1, c1, c0, 0\n"
        "mcr    p15, 0, %0, c1, c1, 0\n"           /* SCR restored */
        "isb\n"
        "msr    cpsr_c, %2\n"
        : "=&r"(tmp1), "=&r"(tmp2), "=&r"(cpsr)
        : "r"(on ? SCTLR_A : 0)
        : "memory");
}

void arch_set_alignment_check(bool on)
{
    uint32_t s = read_sctlr();
    uint32_t n = on ? (s | SCTLR_A) : (s & ~SCTLR_A);
    if (n != s) {
        write_sctlr(n);
        isb();
        if (board.boots_secure && ((read_id_pfr1() >> 4) & 0xF))   /* Security Extensions */
            set_ns_sctlr_a(on);
    }
}

void arch_cache_op_va(unsigned op, uint32_t va)
{
    switch (op) {
    case CACHE_DC_CLEAN:       write_dccmvac(va); break;
    case CACHE_DC_CLEAN_INVAL: write_dccimvac(va); break;
    case CACHE_DC_CLEAN_POU:   write_dccmvau(va); break;
    case CACHE_IC_INVAL:       write_icimvau(va); break;
    }
    dsb();
}

uint32_t arch_read_dfsr(void) { return read_dfsr(); }
uint32_t arch_read_dfar(void) { return read_dfar(); }
uint32_t arch_read_ifsr(void) { return read_ifsr(); }
uint32_t arch_read_ifar(void) { return read_ifar(); }

static bool pmu_on;

uint32_t arch_cycles(void)
{
    if (!arch_has_pmu())
        return 0;
    if (!pmu_on) {
        write_pmcr(read_pmcr() | 1);            /* PMCR.E */
        write_pmcntenset(1u << 31);             /* cycle counter */
        pmu_on = true;
    }
    return read_pmccntr();
}

void arch_wait_for_interrupt(void)
{
    /* WFI wakes on a pending interrupt even while masked; unmask briefly so
     * the IRQ handler runs on this (monitor) stack, then mask again. */
    __asm__ volatile("dsb; wfi; cpsie i; nop; cpsid i" ::: "memory");
}

void arch_halt(void)
{
    for (;;)
        __asm__ volatile("cpsid aif; wfi");
}
