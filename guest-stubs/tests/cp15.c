/*
 * cp15 - read/write semantics of the CP15 registers a guest kernel uses
 * (ARM ARM B4.1 register descriptions, B4.2 maintenance operations).
 * Only bits that can be restored are written; IMPLEMENTATION DEFINED reset
 * values are never printed.
 */
#include <stdio.h>
#include "guest.h"

#define RW_CHECK(name, op1, crn, crm, op2, val) do {                          \
        uint32_t _old = CP15_READ(op1, crn, crm, op2);                        \
        CP15_WRITE(op1, crn, crm, op2, (val));                                \
        check_eq(name, "read", CP15_READ(op1, crn, crm, op2), (val));         \
        CP15_WRITE(op1, crn, crm, op2, _old);                                 \
    } while (0)

uint32_t user_read_tpidruro(uint32_t);
uint32_t user_rw_tpidrurw(uint32_t);
uint32_t user_write_tpidruro(uint32_t);
extern char user_write_tpidruro_insn[];

static volatile struct { unsigned n; uint32_t vector, mode, lr; } und;

static int und_hook(struct exc_frame *f)
{
    und.n++;
    und.vector = f->vector;
    und.mode = read_cpsr() & MODE_MASK;
    und.lr = f->pc;
    return 1;
}

static uint32_t line[16] __attribute__((aligned(64)));

#define CP14_READ(op1, crn, crm, op2) ({ uint32_t _v;                          \
    __asm__ volatile("mrc p14, " #op1 ", %0, " #crn ", " #crm ", " #op2        \
                     : "=r"(_v) :: "memory"); _v; })
#define FIELD(v, lo) (((v) >> (lo)) & 0xFu)

/*
 * Every feature the ID registers advertise works (ARM ARM B4.1.89 ff.):
 * the lines printed are the same whatever the CPU advertises, natively and
 * under the monitor; what is checked follows the advertisement.  No value
 * is printed (they differ between boards and between native and virtual).
 */
static void id_features(void)
{
    uint32_t mmfr0 = CP15_READ(0, c0, c1, 4), dfr0 = CP15_READ(0, c0, c1, 2);
    uint32_t pfr0 = CP15_READ(0, c0, c1, 0), pfr1 = CP15_READ(0, c0, c1, 1);
    exc_hook_t old = exc_set_hook(VEC_UND, und_hook);
    unsigned n0;

    /* VMSA >= 0b0101: long descriptors, TTBCR.EAE writable; else RAZ/WI */
    {
        uint32_t t = CP15_READ(0, c2, c0, 2), eae;
        n0 = und.n;
        CP15_WRITE(0, c2, c0, 2, t | 0x80000000u);
        eae = CP15_READ(0, c2, c0, 2) & 0x80000000u;
        CP15_WRITE(0, c2, c0, 2, t);
        check("id-mmfr0-lpae", und.n == n0 && (FIELD(mmfr0, 0) >= 5 ? eae != 0 : eae == 0),
              "TTBCR.EAE as ID_MMFR0.VMSA says");
    }
    /* PerfMon 0b0001/0b0010: every PMU register is there (B4.1.116 ff.) */
    n0 = und.n;
    if (FIELD(dfr0, 24) == 1 || FIELD(dfr0, 24) == 2) {
        uint32_t sel, inten;
        (void)CP15_READ(0, c9, c12, 0);                         /* PMCR */
        (void)CP15_READ(0, c9, c12, 1);                         /* PMCNTENSET */
        (void)CP15_READ(0, c9, c12, 2);                         /* PMCNTENCLR */
        (void)CP15_READ(0, c9, c12, 3);                         /* PMOVSR */
        /* (PMCEID0/1 too, but QEMU's Cortex-A15 leaves them UNDEF: the
         * unit tests check the monitor's) */
        (void)CP15_READ(0, c9, c13, 0);                         /* PMCCNTR */
        (void)CP15_READ(0, c9, c14, 0);                         /* PMUSERENR */
        CP15_WRITE(0, c9, c12, 5, 0);                           /* PMSELR */
        (void)CP15_READ(0, c9, c13, 1);                         /* PMXEVTYPER */
        (void)CP15_READ(0, c9, c13, 2);                         /* PMXEVCNTR */
        CP15_WRITE(0, c9, c12, 5, 3);
        sel = CP15_READ(0, c9, c12, 5) & 0x1F;
        CP15_WRITE(0, c9, c12, 5, 0);
        CP15_WRITE(0, c9, c14, 1, 0x80000000u);                 /* PMINTENSET C */
        inten = CP15_READ(0, c9, c14, 1) & 0x80000000u;
        CP15_WRITE(0, c9, c14, 2, 0x80000000u);                 /* PMINTENCLR C */
        inten |= (CP15_READ(0, c9, c14, 2) & 0x80000000u) >> 1;
        if (und.n == n0 && sel == 3 && inten == 0x80000000u)
            check("id-dfr0-pmu", 1, "as ID_DFR0.PerfMon says");
        else
            check("id-dfr0-pmu", 0, "%u UNDEF, PMSELR %s, PMINTENSET/CLR %s", und.n - n0,
                  sel == 3 ? "RW" : "not RW", inten == 0x80000000u ? "RW" : "not RW");
    } else {
        check("id-dfr0-pmu", 1, "as ID_DFR0.PerfMon says");
    }
    /* CopDbg: the CP14 debug registers (DBGDIDR, C11.11.15) */
    n0 = und.n;
    if (FIELD(dfr0, 0))
        (void)CP14_READ(0, c0, c0, 0);
    check("id-dfr0-debug", und.n == n0, "as ID_DFR0.CopDbg says");
    /* ThumbEE: TEECR (A2.10.4) at PL1 */
    n0 = und.n;
    if (FIELD(pfr0, 12))
        (void)CP14_READ(6, c0, c0, 0);
    check("id-pfr0-thumbee", und.n == n0, "as ID_PFR0.State3 says");
    /* Jazelle (State2): the trivial implementation's JIDR, JOSCR, JMCR */
    n0 = und.n;
    if (FIELD(pfr0, 8)) {
        (void)CP14_READ(7, c0, c0, 0);
        (void)CP14_READ(7, c1, c0, 0);
        (void)CP14_READ(7, c2, c0, 0);
    }
    check("id-pfr0-jazelle", und.n == n0, "as ID_PFR0.State2 says");
    /* Security Extensions: SCR (B4.1.129) in Secure PL1, NSACR readable */
    n0 = und.n;
    if (FIELD(pfr1, 4))
        (void)CP15_READ(0, c1, c1, 2);                          /* NSACR */
    check("id-pfr1-security", und.n == n0, "as ID_PFR1.Security says");
    /* Generic timer: CNTFRQ */
    n0 = und.n;
    if (FIELD(pfr1, 16))
        (void)CP15_READ(0, c14, c0, 0);
    check("id-pfr1-gtimer", und.n == n0, "as ID_PFR1.GenericTimer says");
    /* (FCSE is not tried: a PID relocates this code's own addresses on
     * the Cortex-A8, which has it; the unit tests check FCSEIDR RAZ/WI
     * with ID_MMFR0.FCSE = 0 under the monitor) */
    exc_set_hook(VEC_UND, old);
}

int main(void)
{
    gprintf("cp15: system control register semantics\n");

    check_eq("midr", "MIDR", CP15_READ(0, c0, c0, 0), EXPECTED_MIDR);

    /* SCTLR: A (alignment) and V (high vectors) are RW (B4.1.130) */
    /* (no printing while A = 1: newlib's string code makes unaligned accesses) */
    uint32_t sctlr = CP15_READ(0, c1, c0, 0), a_set, a_clear, v_set, restored;
    CP15_WRITE(0, c1, c0, 0, sctlr | SCTLR_A);
    a_set = CP15_READ(0, c1, c0, 0) & SCTLR_A;
    CP15_WRITE(0, c1, c0, 0, sctlr & ~SCTLR_A);
    a_clear = CP15_READ(0, c1, c0, 0) & SCTLR_A;
    CP15_WRITE(0, c1, c0, 0, sctlr | SCTLR_V);
    v_set = CP15_READ(0, c1, c0, 0) & SCTLR_V;
    CP15_WRITE(0, c1, c0, 0, sctlr);
    restored = CP15_READ(0, c1, c0, 0) & (SCTLR_V | SCTLR_A);
    check_eq("sctlr-a-set", "SCTLR.A", a_set, SCTLR_A);
    check_eq("sctlr-a-clear", "SCTLR.A", a_clear, 0);
    check_eq("sctlr-v-set", "SCTLR.V", v_set, SCTLR_V);
    check_eq("sctlr-restored", "SCTLR.V|A", restored, 0);

    RW_CHECK("dacr-55", 0, c3, c0, 0, 0x55555555);
    RW_CHECK("dacr-mix", 0, c3, c0, 0, 0xC000000D);
    /* TTBR0/1: base + IRGN/RGN/S/NOS attributes (B4.1.154/155) */
    RW_CHECK("ttbr0", 0, c2, c0, 0, RAM_BASE + 0x200000 + 0x59);
    RW_CHECK("ttbr1", 0, c2, c0, 1, RAM_BASE + 0x300000 + 0x0B);
    {
        uint32_t old = CP15_READ(0, c2, c0, 2);
        CP15_WRITE(0, c2, c0, 2, 2);
        check_eq("ttbcr-n2", "TTBCR.N", CP15_READ(0, c2, c0, 2) & 7, 2);
        CP15_WRITE(0, c2, c0, 2, 0);
        check_eq("ttbcr-n0", "TTBCR.N", CP15_READ(0, c2, c0, 2) & 7, 0);
        CP15_WRITE(0, c2, c0, 2, old);
    }
    RW_CHECK("contextidr", 0, c13, c0, 1, 0x12345642);
    RW_CHECK("tpidrurw", 0, c13, c0, 2, 0xCAFE0001);
    RW_CHECK("tpidruro", 0, c13, c0, 3, 0xCAFE0002);
    RW_CHECK("tpidrprw", 0, c13, c0, 4, 0xCAFE0003);
    RW_CHECK("dfsr", 0, c5, c0, 0, 0x0000080D);
    RW_CHECK("ifsr", 0, c5, c0, 1, 0x00000005);
    RW_CHECK("dfar", 0, c6, c0, 0, 0xDEADBEE8);
    RW_CHECK("ifar", 0, c6, c0, 2, 0x12345678);

    /* VBAR */
    check("vbar-read", CP15_READ(0, c12, c0, 0) == (uint32_t)__vectors, "VBAR %s the runtime table",
          CP15_READ(0, c12, c0, 0) == (uint32_t)__vectors ? "is" : "is NOT");
    CP15_WRITE(0, c12, c0, 0, (uint32_t)__vectors + 0x20);
    check_eq("vbar-write", "VBAR-vectors", CP15_READ(0, c12, c0, 0) - (uint32_t)__vectors, 0x20);
    CP15_WRITE(0, c12, c0, 0, __vectors);

    /* CPACR cp10/cp11 (B4.1.40); other fields not compared */
    {
        uint32_t old = CP15_READ(0, c1, c0, 2);
        CP15_WRITE(0, c1, c0, 2, 0x00F00000);
        check_eq("cpacr-full", "CPACR[23:20]", CP15_READ(0, c1, c0, 2) & 0x00F00000, 0x00F00000);
        CP15_WRITE(0, c1, c0, 2, 0x00500000);
        check_eq("cpacr-pl1", "CPACR[23:20]", CP15_READ(0, c1, c0, 2) & 0x00F00000, 0x00500000);
        CP15_WRITE(0, c1, c0, 2, 0);
        check_eq("cpacr-none", "CPACR[23:20]", CP15_READ(0, c1, c0, 2) & 0x00F00000, 0);
        CP15_WRITE(0, c1, c0, 2, old);
    }

    /* maintenance operations: must execute without an exception */
    unsigned before = g_unexpected_exceptions;
    line[0] = 0x600DF00D;
    CP15_WRITE(0, c7, c5, 0, 0);                    /* ICIALLU */
    CP15_WRITE(0, c7, c5, 6, 0);                    /* BPIALL */
    CP15_WRITE(0, c7, c10, 1, line);                /* DCCMVAC */
    CP15_WRITE(0, c7, c14, 1, line);                /* DCCIMVAC */
    CP15_WRITE(0, c7, c11, 1, line);                /* DCCMVAU */
    CP15_WRITE(0, c7, c5, 1, line);                 /* ICIMVAU */
    CP15_WRITE(0, c8, c7, 0, 0);                    /* TLBIALL */
    CP15_WRITE(0, c8, c7, 1, RAM_BASE + 0x100000);  /* TLBIMVA */
    CP15_WRITE(0, c8, c7, 2, 0);                    /* TLBIASID */
    CP15_WRITE(0, c7, c10, 4, 0);                   /* CP15DSB */
    CP15_WRITE(0, c7, c10, 5, 0);                   /* CP15DMB */
    CP15_WRITE(0, c7, c5, 4, 0);                    /* CP15ISB */
    check("maintenance-ops", g_unexpected_exceptions == before && line[0] == 0x600DF00D,
          "ICIALLU BPIALL DCCMVAC DCCIMVAC DCCMVAU ICIMVAU TLBIALL TLBIMVA TLBIASID barriers");

    id_features();

    /* thread ID registers from User mode (B4.1.148-150) */
    CP15_WRITE(0, c13, c0, 3, 0x0DDC0DE3);
    check_eq("usr-read-tpidruro", "TPIDRURO", run_user(user_read_tpidruro, 0, MODE_USR), 0x0DDC0DE3);
    CP15_WRITE(0, c13, c0, 2, 0x11110000);
    check_eq("usr-rw-tpidrurw", "old", run_user(user_rw_tpidrurw, 0x2222AAAA, MODE_USR), 0x11110000);
    check_eq("usr-rw-tpidrurw-seen", "TPIDRURW", CP15_READ(0, c13, c0, 2), 0x2222AAAA);
    exc_hook_t old = exc_set_hook(VEC_UND, und_hook);
    unsigned n0 = und.n;
    run_user(user_write_tpidruro, 0x5A5A5A5A, MODE_USR);
    check("usr-write-tpidruro-undef", und.n == n0 + 1 && und.vector == VEC_UND && und.mode == MODE_UND,
          "%u UNDEF exception(s)", und.n - n0);
    check_eq("usr-write-tpidruro-lr", "LR-insn", und.lr - (uint32_t)user_write_tpidruro_insn, 4);
    check_eq("usr-write-tpidruro-kept", "TPIDRURO", CP15_READ(0, c13, c0, 3), 0x0DDC0DE3);
    exc_set_hook(VEC_UND, old);

    return test_result("cp15");
}
