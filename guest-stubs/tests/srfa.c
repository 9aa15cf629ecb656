/*
 * srfa - the shadow register file and the fast instruction trap, checked from
 * inside a guest (PV only: natively there is no SRFA page).
 *
 * The SRFA page (include/hv/pv-abi.h, docs/pv-abi.md) must always agree with
 * what the trapping instructions report: the virtual CPSR and SPSR (PV MRS),
 * the banked SP/LR of other modes, every mirrored CP15 register (MRC), the
 * fault registers after an abort.  The guest may flip A/I/F in its VCPSR
 * word, and nothing else it writes there may reach the monitor's state.
 * Unmasking through the page while an interrupt is pending must deliver the
 * interrupt before the next instruction.  Virtual User mode cannot reach the
 * page at all.
 *
 * FIT: a FIT_LOAD reads the same value as the MRC it stands for; the monitor
 * rewrites a trapped MRC/DCCMVAC into its FIT op only in code its virtual
 * User mode cannot reach (guest MMU on, page PL1-only), never with the MMU
 * off or in a PL0-accessible page.
 */
#include <stdio.h>
#include <string.h>
#include "guest.h"

#define RB          ((uint32_t)RAM_BASE)
#define RAM_MB      16u                         /* the VM file gives 16 MiB */
#define W(off)      (*(volatile uint32_t *)(PV_SRFA_VA + (off)))

#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10

static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

/* ---- exception hooks ------------------------------------------------------ */
static volatile struct {
    unsigned n;
    uint32_t dfsr, dfar;                /* MRC */
    uint32_t srfa_dfsr, srfa_dfar;      /* the SRFA, inside the handler */
} ab;

static int dabt_hook(struct exc_frame *f)
{
    ab.n++;
    ab.dfsr = CP15_READ(0, c5, c0, 0);
    ab.dfar = CP15_READ(0, c6, c0, 0);
    ab.srfa_dfsr = SRFA_CP15(30);
    ab.srfa_dfar = SRFA_CP15(34);
    f->pc -= 4;                         /* LR_abt = insn + 8: skip the access */
    return 1;
}

static volatile unsigned g_irqs;
static volatile uint32_t g_irq_id;

static int irq_hook(struct exc_frame *f)
{
    f->pc -= 4;
    uint32_t iar = rd32(GICC_BASE + GICC_IAR);
    g_irq_id = iar & 0x3FF;
    g_irqs++;
    wr32(GICC_BASE + GICC_EOIR, iar);
    return 1;
}

/* ---- 1. virtual CPSR / SPSR ----------------------------------------------- */
static void test_psr(void)
{
    check_eq("magic", "SRFA magic", W(PV_SRFA_MAGIC), PV_SRFA_MAGIC_VALUE);
    check_eq("version", "SRFA version", W(PV_SRFA_VERSION), PV_SRFA_VERSION_VALUE);

    uint32_t c = read_cpsr();
    check_eq("vcpsr", "SRFA VCPSR mode/A/I/F vs MRS", W(PV_SRFA_VCPSR) & 0x1DF, c & 0x1DF);
    check_eq("vcpsr-mode", "mode", W(PV_SRFA_VCPSR) & MODE_MASK, MODE_SVC);

    SRFA_CPSID_I();
    check_eq("cpsid-srfa", "CPSR.I after an SRFA CPSID", read_cpsr() & PSR_I, PSR_I);
    check_eq("cpsid-word", "VCPSR.I", W(PV_SRFA_VCPSR) & PSR_I, PSR_I);
    SRFA_CPSIE_I();
    check_eq("cpsie-srfa", "CPSR.I after an SRFA CPSIE", read_cpsr() & PSR_I, 0);
    CPSID(i);
    check_eq("cpsid-trap", "VCPSR.I after a trapped CPSID", W(PV_SRFA_VCPSR) & PSR_I, PSR_I);

    /* A/F are the guest's too; mode bits written there are ignored */
    uint32_t old = W(PV_SRFA_VCPSR);
    W(PV_SRFA_VCPSR) = (old & ~(MODE_MASK | PSR_F)) | MODE_USR | PSR_F;
    uint32_t now = read_cpsr();
    check_eq("tamper-mode", "mode after writing USR into VCPSR", now & MODE_MASK, MODE_SVC);
    check_eq("tamper-f", "CPSR.F after setting it in VCPSR", now & PSR_F, PSR_F);
    check_eq("tamper-rewritten", "VCPSR mode after the next trap",
             W(PV_SRFA_VCPSR) & MODE_MASK, MODE_SVC);
    W(PV_SRFA_VCPSR) = old;
    check_eq("restore", "CPSR A/I/F restored", read_cpsr() & 0x1C0, old & 0x1C0);

    write_spsr(0x80000193u);
    check_eq("spsr", "SRFA SPSR vs MRS SPSR", W(PV_SRFA_SPSR), read_spsr());
    check_eq("spsr-value", "SRFA SPSR", W(PV_SRFA_SPSR), 0x80000193u);
    check_eq("spsr-svc", "SRFA SPSR_svc", W(PV_SRFA_SPSR_OF(PV_SRFA_BANK_SVC)), 0x80000193u);
}

/* ---- 2. banked registers --------------------------------------------------- */
/* Swap SP_irq/LR_irq with io[0]/io[1] (CPS into IRQ mode and back: PV). */
static void __attribute__((noinline)) swap_irq_sp_lr(uint32_t *io)
{
    __asm__ volatile(
        "ldm    %0, {r2, r3}\n\t"
        "v_cps  0x12\n\t"
        "mov    r1, sp\n\t"
        "mov    r12, lr\n\t"
        "mov    sp, r2\n\t"
        "mov    lr, r3\n\t"
        "v_cps  0x13\n\t"
        "stm    %0, {r1, r12}"
        :: "r"(io) : "r1", "r2", "r3", "r12", "memory");
}

static void test_banked(void)
{
    uint32_t io[2] = { RB + 0x123450, 0xC0DE1230 };

    swap_irq_sp_lr(io);
    check_eq("sp-irq", "SRFA SP_irq", W(PV_SRFA_SP(PV_SRFA_BANK_IRQ)), RB + 0x123450);
    check_eq("lr-irq", "SRFA LR_irq", W(PV_SRFA_LR(PV_SRFA_BANK_IRQ)), 0xC0DE1230);
    uint32_t keep_sp = io[0], keep_lr = io[1];
    swap_irq_sp_lr(io);                         /* back: the runtime's IRQ stack */
    check_eq("sp-irq-back", "SRFA SP_irq restored", W(PV_SRFA_SP(PV_SRFA_BANK_IRQ)), keep_sp);
    check_eq("lr-irq-back", "SRFA LR_irq restored", W(PV_SRFA_LR(PV_SRFA_BANK_IRQ)), keep_lr);
    uint32_t usp = W(PV_SRFA_SP(PV_SRFA_BANK_USR));
    check("sp-usr", usp != 0 && (usp & 7) == 0, "SRFA SP_usr=0x%08lx (the runtime's user stack)",
          (unsigned long)usp);
}

/* ---- 3. CP15 ---------------------------------------------------------------- */
#define MRC_(o1, n, m, o2) CP15_READ(o1, c##n, c##m, o2)
static void check_cp15_all(const char *when)
{
    unsigned bad = 0, n = 0;
    char nm[48];
#define X(name, idx, crn, o1, crm, o2) do {                                       \
        uint32_t t = MRC_(o1, crn, crm, o2), s = SRFA_CP15(idx);                  \
        n++;                                                                      \
        if (t != s) {                                                             \
            bad++;                                                                \
            snprintf(nm, sizeof(nm), "cp15-%s-%s", #name, when);                  \
            check_eq(nm, "SRFA word vs MRC", s, t);                               \
        }                                                                         \
    } while (0);
    PV_SRFA_CP15_LIST(X)
#undef X
    snprintf(nm, sizeof(nm), "cp15-%s", when);
    check(nm, bad == 0 && n == PV_SRFA_CP15_COUNT, "%u mirrored CP15 registers equal their MRC, %u differ",
          n, bad);
}

static void test_cp15(void)
{
    check_cp15_all("boot");
    CP15_WRITE(0, c13, c0, 1, 0x42);            /* CONTEXTIDR */
    CP15_WRITE(0, c13, c0, 4, 0x12345678);      /* TPIDRPRW */
    CP15_WRITE(0, c3, c0, 0, 0x55555557);       /* DACR (MMU off) */
    CP15_WRITE(0, c10, c2, 0, 0x000A81A4);      /* PRRR */
    CP15_WRITE(0, c10, c2, 1, 0x44E048E0);      /* NMRR */
    CP15_WRITE(2, c0, c0, 0, 1);                /* CSSELR: L1 I-cache (CCSIDR follows) */
    check_cp15_all("written");
    check_eq("contextidr", "SRFA CONTEXTIDR", SRFA_CP15(41), 0x42);
    check_eq("tpidrprw", "SRFA TPIDRPRW", SRFA_CP15(42), 0x12345678);
    check_eq("csselr", "SRFA CSSELR", SRFA_CP15(22), 1);
    CP15_WRITE(2, c0, c0, 0, 0);
    CP15_WRITE(0, c3, c0, 0, 0x55555555);
}

/* ---- 4. fault registers ------------------------------------------------------ */
static void test_fault(void)
{
    volatile uint32_t *nowhere = (volatile uint32_t *)(RB + 0x20000000u);   /* outside its RAM */
    unsigned n0 = ab.n;
    (void)*nowhere;
    check_eq("abort", "data aborts", ab.n - n0, 1);
    check_eq("dfsr", "SRFA DFSR in the handler vs MRC", ab.srfa_dfsr, ab.dfsr);
    check_eq("dfar", "SRFA DFAR in the handler vs MRC", ab.srfa_dfar, ab.dfar);
    check_eq("dfar-value", "DFAR", ab.dfar, RB + 0x20000000u);
}

/* ---- 5. pending interrupt, unmask through the page -------------------------- */
static void test_pending(void)
{
    const unsigned id = IRQ_SPI_A;

    wr32(GICD_BASE + GICD_ICENABLER + 4 * (id / 32), 1u << (id % 32));
    wr32(GICD_BASE + GICD_IPRIORITYR + (id & ~3u), 0xA0A0A0A0);
    wr32(GICC_BASE + GICC_PMR, 0xF0);
    wr32(GICD_BASE, 1);
    wr32(GICC_BASE + GICC_CTLR, 1);
    wr32(GICD_BASE + GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
    dsb();

    SRFA_CPSID_I();
    unsigned n0 = g_irqs;
    check_eq("pending-none", "SRFA PENDING before", W(PV_SRFA_PENDING), 0);
    wr32(GICD_BASE + GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32));     /* a trap */
    dsb();
    check_eq("pending-set", "SRFA PENDING with the SPI pending and masked", W(PV_SRFA_PENDING), 1);
    check_eq("pending-masked", "interrupts taken while masked", g_irqs - n0, 0);
    SRFA_CPSID_I();                             /* a store while pending: stays masked */
    check_eq("pending-cpsid", "interrupts taken after a masking store", g_irqs - n0, 0);
    SRFA_CPSIE_I();
    unsigned taken = g_irqs - n0;               /* the very next instruction */
    check_eq("unmask-delivers", "interrupts taken right after the unmasking store", taken, 1);
    check_eq("unmask-id", "interrupt ID", g_irq_id, id);
    check_eq("pending-clear", "SRFA PENDING after", W(PV_SRFA_PENDING), 0);
    /* and the trapped path still works with the SRFA in use */
    CPSID(i);
    wr32(GICD_BASE + GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32));
    dsb();
    check_eq("trap-masked", "interrupts while masked (CPSID)", g_irqs - n0, 1);
    CPSIE(i);
    check_eq("trap-unmask", "interrupts after CPSIE", g_irqs - n0, 2);
    wr32(GICD_BASE + GICD_ICENABLER + 4 * (id / 32), 1u << (id % 32));
}

/* ---- 6. virtual User mode cannot see the page -------------------------------- */
static uint32_t USER_CODE user_reads_srfa(uint32_t arg)
{
    return *(volatile uint32_t *)(PV_SRFA_VA + arg);
}

static void test_user(void)
{
    unsigned n0 = ab.n;
    run_user(user_reads_srfa, PV_SRFA_MAGIC, MODE_USR);
    check_eq("user-abort", "data aborts from a User-mode load of the SRFA", ab.n - n0, 1);
    /* MMU off: VA = IPA, and nothing of the guest's is there: external abort */
    check_eq("user-dfsr", "DFSR", ab.dfsr, 0x008);
    check_eq("user-dfar", "DFAR", ab.dfar, PV_SRFA_VA + PV_SRFA_MAGIC);
}

/* ---- 7. FIT ----------------------------------------------------------------- */
extern uint32_t fit_probe_mrc(void);           /* mrc p15, 0, r0, c13, c0, 1; bx lr */
extern void fit_probe_dccmvac(const void *p);  /* mcr p15, 0, r0, c7, c10, 1; bx lr */
__asm__(".text\n.arm\n.align 2\n"
        ".global fit_probe_mrc\nfit_probe_mrc:\n\tmrc p15, 0, r0, c13, c0, 1\n\tbx lr\n"
        ".global fit_probe_dccmvac\nfit_probe_dccmvac:\n\tmcr p15, 0, r0, c7, c10, 1\n\tbx lr\n");

#define FIT_MRC_WORD    PV_ENCODE(PV_COND_AL, PV_FIT_LOAD(0, PV_SRFA_CP15 / 4 + 41))
#define FIT_DCC_WORD    PV_ENCODE(PV_COND_AL, PV_FIT_CACHE(0, PV_FIT_DCCMVAC))
#define MRC_WORD        0xEE1D0F30u             /* mrc p15, 0, r0, c13, c0, 1 */
#define DCC_WORD        0xEE070F3Au             /* mcr p15, 0, r0, c7, c10, 1 */

static uint32_t l1[4096] __attribute__((aligned(16384)));

static void build_table(uint32_t ap)
{
    memset(l1, 0, sizeof(l1));
    for (uint32_t mb = 0; mb < RAM_MB; mb++)
        l1[(RB >> 20) + mb] = (RB + (mb << 20)) | (1u << 12) | (ap << 10) | (1u << 3) |
                              (1u << 2) | 2u;
    /* the UART (and the GIC on qemu-virt) as Device, PL1 only, XN */
    l1[UART_BASE >> 20] = (UART_BASE & 0xFFF00000u) | (1u << 10) | (1u << 4) | (1u << 2) | 2u;
    for (uint32_t p = (uint32_t)l1; p < (uint32_t)l1 + sizeof(l1); p += 32)
        __asm__ volatile("mcr p15, 0, %0, c7, c10, 1" :: "r"(p) : "memory");
    dsb();
    CP15_WRITE(0, c8, c7, 0, 0);                /* TLBIALL */
    dsb();
    isb();
}

static void mmu(int on)
{
    uint32_t s = CP15_READ(0, c1, c0, 0);
    if (on) {
        CP15_WRITE(0, c2, c0, 2, 0);
        CP15_WRITE(0, c2, c0, 0, (uint32_t)l1);
        CP15_WRITE(0, c3, c0, 0, 1);            /* domain 0: client */
        s = (s & ~((1u << 28) | (1u << 29))) | SCTLR_M;
    } else
        s &= ~SCTLR_M;
    CP15_WRITE(0, c1, c0, 0, s);
}

static void test_fit(void)
{
    volatile uint32_t *mrc = (volatile uint32_t *)(uintptr_t)fit_probe_mrc;
    volatile uint32_t *dcc = (volatile uint32_t *)(uintptr_t)fit_probe_dccmvac;
    static volatile uint32_t line[8] __attribute__((aligned(32)));

    CP15_WRITE(0, c13, c0, 1, 0x77);
    check_eq("fit-load", "FIT_LOAD of CONTEXTIDR", FIT_LOAD_R0(PV_SRFA_CP15 / 4 + 41), 0x77);
    check_eq("fit-load-midr", "FIT_LOAD of MIDR vs MRC", FIT_LOAD_R0(PV_SRFA_CP15 / 4 + 0),
             CP15_READ(0, c0, c0, 0));

    /* MMU off: every page is reachable from virtual User mode: no patching */
    check_eq("probe-off", "CONTEXTIDR by the probe (MMU off)", fit_probe_mrc(), 0x77);
    fit_probe_dccmvac((const void *)line);
    check_eq("nopatch-off", "probe instruction, MMU off", *mrc, MRC_WORD);
    check_eq("nopatch-off-dc", "DCCMVAC probe, MMU off", *dcc, DCC_WORD);

    /* MMU on, pages PL0-accessible (AP=011): no patching either */
    build_table(3);
    mmu(1);
    check_eq("probe-user", "CONTEXTIDR by the probe (PL0-accessible page)", fit_probe_mrc(), 0x77);
    fit_probe_dccmvac((const void *)line);
    check_eq("nopatch-user", "probe instruction, PL0-accessible page", *mrc, MRC_WORD);
    check_eq("nopatch-user-dc", "DCCMVAC probe, PL0-accessible page", *dcc, DCC_WORD);
    mmu(0);

    /* MMU on, pages PL1-only (AP=001): the first trap patches (unless the
     * monitor was built with FIT=0: then never) */
    int fit = (hc_features() & PV_FEAT_FIT) != 0;
    build_table(1);
    mmu(1);
    check_eq("probe-kernel", "CONTEXTIDR by the probe (PL1-only page)", fit_probe_mrc(), 0x77);
    check_eq(fit ? "patched" : "not-patched-fit-off", "probe instruction after one trap", *mrc,
             fit ? FIT_MRC_WORD : MRC_WORD);
    unsigned bad = 0;
    for (unsigned k = 0; k < 200; k++)
        bad += fit_probe_mrc() != 0x77;
    check_eq("fit-loop", "patched reads that differ from CONTEXTIDR (200)", bad, 0);
    CP15_WRITE(0, c13, c0, 1, 0x99);
    check_eq("fit-follows", "patched read after a CONTEXTIDR write", fit_probe_mrc(), 0x99);
    line[0] = 0x5A5A5A5A;
    fit_probe_dccmvac((const void *)line);
    check_eq(fit ? "patched-dc" : "not-patched-dc-fit-off", "DCCMVAC probe after one trap", *dcc,
             fit ? FIT_DCC_WORD : DCC_WORD);
    for (unsigned k = 0; k < 50; k++)
        fit_probe_dccmvac((const void *)line);
    check_eq("fit-dc", "data after FIT cache cleans", line[0], 0x5A5A5A5A);
    mmu(0);
    CP15_WRITE(0, c13, c0, 1, 0);
}

int main(void)
{
    gprintf("srfa: shadow register file at 0x%08x and the fast instruction trap\n", PV_SRFA_VA);
    if (!(hc_features() & PV_FEAT_SRFA)) {
        gprintf("srfa: SKIP: this monitor maps no SRFA page (built with SRFA=0)\n");
        return test_result("srfa");
    }
    exc_set_hook(VEC_DABT, dabt_hook);
    exc_set_hook(VEC_IRQ, irq_hook);
    test_psr();
    test_banked();
    test_cp15();
    test_fault();
    test_pending();
    test_user();
    test_fit();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    return test_result("srfa");
}
