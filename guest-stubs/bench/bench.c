/*
 * bench - microbenchmarks of the monitor's trap paths (`make bench`,
 * tools/bench.sh).  One source, built native and PV like the test guests.
 *
 * The unit is the PMU cycle counter PMCCNTR, which on QEMU -M virt -cpu
 * cortex-a15 with `-icount shift=0,sleep=off` advances exactly once per
 * executed instruction (docs/qemu.md §3): every number is
 * an instruction count, the same on every run.  Under the monitor the
 * guest's PMCCNTR is emulated as the real counter minus an offset, so a
 * delta includes every instruction the monitor executes for the guest.
 *
 * Method (bench_asm.S): each operation runs n times in a loop between two
 * counter reads; the same loop without the operation (k_empty) is
 * subtracted, which removes the loop and the counter-read overhead; the
 * result is divided by n.  Each measurement is repeated REPS times and the
 * minimum taken (the first run warms up the shadow page tables; a host
 * timer tick of the monitor may land in any one run).  The counter-read
 * overhead itself (two back-to-back reads) is reported separately.
 *
 * Everything runs with the guest's MMU on (as a real kernel would): the
 * guest RAM and the devices are identity mapped with 1 MiB sections, plus
 * 4 KiB-page regions for the page-fault and context-switch benchmarks.
 *
 * Output, one line per operation:
 *     BENCH <name> <instructions per operation, one decimal>
 *     BENCH <name> n/a            (impossible in this build, e.g. hypercalls natively)
 * and `RESULT bench: ...`; the exit status counts failed sanity checks.
 *
 * Memory (offsets from RAM_BASE, 16 MiB of guest RAM):
 *   0x000000-0x5FFFFF  image, stacks (identity sections)
 *   0x600000 L1 table A (ASID 1), 0x604000 L1 table B (ASID 2)
 *   0x610000 L2 tables of the fill region (4 x 1 KiB), 0x611000 L2 of the
 *   context-switch page in A, 0x611400 in B, 0x611800 the TLBIMVA page
 *   0x700000 the context-switch pages (A, B), 0x702000 the TLBIMVA page
 *   0x800000-0xBE7FFF the N_FILL pages of the fill region
 *   0xC00000-0xEFFFFF  untouched until first-touch-mib loads from each MiB once
 */
#include <stdio.h>
#include <string.h>
#include "guest.h"

#define N_OPS       1000u       /* iterations per measurement */
#define N_FILL      1000u       /* fresh pages per fill measurement */
#define REPS        3u

/* ---- kernels (bench_asm.S) ---------------------------------------------- */
typedef uint32_t (*kernel_t)(uint32_t n, uint32_t a1, uint32_t a2, uint32_t a3);
uint32_t k_empty(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_hvc(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_cp15rd(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_sctlrrd(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_cps(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_cp15srfa(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_fitrd(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_cpssrfa(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_tlbnop(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_tlbimva(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_fill(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_ctxsw(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_mmio(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_mmiord(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_cp15wr(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_dccmvac(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_uarttx(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_uarttx0(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_excret(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_svcpl1(uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t k_b2b(void);
uint32_t k_touch1(uint32_t addr);
uint32_t k_virq(uint32_t n);
void u_empty(void);
void u_usvc(void);
void u_b2b(void);
extern char bench_vectors[];
extern volatile uint32_t bench_irq_t1, bench_irq_count;

/* ---- memory layout ------------------------------------------------------ */
#define RB          ((uint32_t)RAM_BASE)
#define IPA(off)    (RB + (uint32_t)(off))
#define OFF_L1A     0x600000
#define OFF_L1B     0x604000
#define OFF_L2FILL(k) (0x610000 + (k) * 0x400)
#define OFF_L2CA    0x611000
#define OFF_L2CB    0x611400
#define OFF_L2TLB   0x611800
#define OFF_PGCA    0x700000
#define OFF_PGCB    0x701000
#define OFF_PGTLB   0x702000
#define OFF_FILL    0x800000

#define VA_FILL     0x20000000u
#define VA_CTX      0x30000000u
#define VA_TLB      0x31000000u
#define ASID_A      1u
#define ASID_B      2u

#define UARTDR      0x00
#define UARTIBRD    0x24

/* ---- descriptors (ARM ARM B3.5.1), as in tests/mmu.c ------------------- */
static uint32_t sec_normal(uint32_t pa)        /* RW at PL0/PL1, domain 0, WBWA */
{
    return (pa & 0xFFF00000u) | (1u << 12) | (3u << 10) | (1u << 3) | (1u << 2) | 2u;
}
static uint32_t sec_device(uint32_t pa)        /* Device, XN */
{
    return (pa & 0xFFF00000u) | (3u << 10) | (1u << 4) | (1u << 2) | 2u;
}
static uint32_t l1pt(uint32_t l2) { return (l2 & 0xFFFFFC00u) | 1u; }
static uint32_t spg(uint32_t pa, int ng)
{
    return (pa & 0xFFFFF000u) | ((uint32_t)ng << 11) | (3u << 4) | (1u << 6) |
           (1u << 3) | (1u << 2) | 2u;
}

static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void tlbiall(void) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory"); }
static inline void tlbimva(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" :: "r"(v) : "memory"); }
static inline void bpiall(void) { __asm__ volatile("mcr p15, 0, %0, c7, c5, 6" :: "r"(0) : "memory"); }
static inline void dccmvac(const volatile void *p)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c10, 1" :: "r"(p) : "memory");
}
static void tlb_sync(void) { dsb(); bpiall(); dsb(); isb(); }
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

#define L1(off)     ((uint32_t *)IPA(off))

static void identity(uint32_t *t)
{
    for (unsigned i = 0; i < 4096; i++)
        t[i] = 0;
    for (uint32_t a = RB; a < RB + 0x1000000u; a += 0x100000u)
        t[a >> 20] = sec_normal(a);
    /* the PL011 and the GIC (the same MiB on both boards' GICD/GICC pairs)
     * are used by the benchmarks in both builds: under the monitor these
     * accesses are emulated MMIO */
    t[(uint32_t)UART_BASE >> 20] = sec_device(UART_BASE);
#ifdef GICD_BASE
    t[(uint32_t)GICD_BASE >> 20] = sec_device(GICD_BASE);
    t[(uint32_t)GICC_BASE >> 20] = sec_device(GICC_BASE);
#endif
}

static void build_tables(void)
{
    uint32_t *a = L1(OFF_L1A), *b = L1(OFF_L1B);
    identity(a);
    /* fill region: N_FILL global small pages onto distinct RAM pages */
    for (unsigned k = 0; k < 4; k++) {
        uint32_t *t = (uint32_t *)IPA(OFF_L2FILL(k));
        memset(t, 0, 0x400);
        a[(VA_FILL >> 20) + k] = l1pt(IPA(OFF_L2FILL(k)));
    }
    for (unsigned i = 0; i < N_FILL; i++)
        ((uint32_t *)IPA(OFF_L2FILL(0)))[i] = spg(IPA(OFF_FILL) + i * 0x1000u, 0);
    /* TLBIMVA page: global */
    memset((void *)IPA(OFF_L2TLB), 0, 0x400);
    a[VA_TLB >> 20] = l1pt(IPA(OFF_L2TLB));
    ((uint32_t *)IPA(OFF_L2TLB))[0] = spg(IPA(OFF_PGTLB), 0);
    /* table B = A, except VA_CTX: non-global pages, different in A and B */
    memcpy(b, a, 0x4000);
    memset((void *)IPA(OFF_L2CA), 0, 0x400);
    memset((void *)IPA(OFF_L2CB), 0, 0x400);
    a[VA_CTX >> 20] = l1pt(IPA(OFF_L2CA));
    b[VA_CTX >> 20] = l1pt(IPA(OFF_L2CB));
    ((uint32_t *)IPA(OFF_L2CA))[0] = spg(IPA(OFF_PGCA), 1);
    ((uint32_t *)IPA(OFF_L2CB))[0] = spg(IPA(OFF_PGCB), 1);
    wr32(IPA(OFF_PGCA), 0xAAAA0001u);
    wr32(IPA(OFF_PGCB), 0xBBBB0002u);
    wr32(IPA(OFF_PGTLB), 0x7777u);
    for (unsigned i = 0; i < N_FILL; i++)
        wr32(IPA(OFF_FILL) + i * 0x1000u, i);
    for (uint32_t p = IPA(OFF_L1A); p < IPA(OFF_L2TLB + 0x400); p += 32)
        dccmvac((void *)p);
    dsb();
}

static void mmu_on(void)
{
    CP15_WRITE(0, c2, c0, 2, 0);                /* TTBCR: TTBR0 only */
    CP15_WRITE(0, c2, c0, 0, IPA(OFF_L1A));     /* TTBR0 (walks non-cacheable) */
    CP15_WRITE(0, c3, c0, 0, 0x55555555u);      /* DACR: all client */
    CP15_WRITE(0, c13, c0, 1, ASID_A);          /* CONTEXTIDR */
    dsb();
    tlbiall();
    tlb_sync();
    uint32_t s = CP15_READ(0, c1, c0, 0);
    s &= ~((1u << 28) | (1u << 29) | (1u << 19) | (1u << 20) | SCTLR_A); /* TRE AFE WXN UWXN A */
    CP15_WRITE(0, c1, c0, 0, s | SCTLR_M);
    bpiall();
    dsb();
    isb();
}

/* invalidate every page of the fill region: the next touch of each is a
 * TLB miss natively and a shadow fill under the monitor */
static void flush_fill(void)
{
    dsb();
    for (unsigned i = 0; i < N_FILL; i++)
        tlbimva((VA_FILL + i * 0x1000u) | ASID_A);
    tlb_sync();
}

/* ---- measuring ------------------------------------------------------------ */
static unsigned g_bad;

static void sanity(const char *what, int ok)
{
    if (!ok) {
        g_bad++;
        gprintf("BENCH-CHECK FAIL %s\n", what);
    }
}

static uint32_t best(kernel_t k, uint32_t n, uint32_t a1, uint32_t a2, uint32_t a3,
                     void (*prep)(void))
{
    uint32_t m = 0xFFFFFFFFu;
    for (unsigned r = 0; r < REPS; r++) {
        if (prep)
            prep();
        uint32_t d = k(n, a1, a2, a3);
        if (d < m)
            m = d;
    }
    return m;
}

static uint32_t best_user(void (*fn)(void), uint32_t n)
{
    uint32_t m = 0xFFFFFFFFu;
    for (unsigned r = 0; r < REPS; r++) {
        uint32_t d = run_user_raw(fn, n, MODE_USR | PSR_I | PSR_F);
        if (d < m)
            m = d;
    }
    return m;
}

/* BENCH name X.Y with X.Y = (total - base) / n, rounded to one decimal */
static void report(const char *name, uint32_t total, uint32_t base, uint32_t n)
{
    int32_t d = (int32_t)(total - base);
    int64_t t = ((int64_t)d * 20 + (d >= 0 ? (int64_t)n : -(int64_t)n)) / (2 * (int64_t)n);
    int neg = t < 0;
    if (neg)
        t = -t;
    gprintf("BENCH %s %s%lu.%lu\n", name, neg ? "-" : "", (unsigned long)(t / 10),
            (unsigned long)(t % 10));
}

static void __attribute__((unused)) na(const char *name) { gprintf("BENCH %s n/a\n", name); }

static void set_vbar(const void *v) { CP15_WRITE(0, c12, c0, 0, (uint32_t)v); }

/* ---- GIC and virtual timer for the IRQ latency benchmark ------------------ */
#ifdef IRQ_GTIMER
static void gic_setup(void)
{
    wr32(GICD_BASE + 0x000, 1);                         /* GICD_CTLR */
    *(volatile uint8_t *)(GICD_BASE + 0x400 + IRQ_ID_CNTV) = 0xA0;  /* priority */
    wr32(GICD_BASE + 0x100, 1u << IRQ_ID_CNTV);         /* GICD_ISENABLER0 */
    wr32(GICC_BASE + 0x04, 0xF0);                       /* GICC_PMR */
    wr32(GICC_BASE + 0x00, 1);                          /* GICC_CTLR */
    dsb();
    isb();
}
static void gic_teardown(void)
{
    CP15_WRITE(0, c14, c3, 1, 0);                       /* CNTV_CTL = 0 */
    wr32(GICD_BASE + 0x180, 1u << IRQ_ID_CNTV);         /* GICD_ICENABLER0 */
    wr32(GICC_BASE + 0x00, 0);
    wr32(GICD_BASE + 0x000, 0);
    dsb();
    isb();
}
#endif

int main(void)
{
    gprintf("bench: %s build, %u iterations per measurement, minimum of %u runs\n",
            GUEST_FLAVOUR, N_OPS, REPS);

    /* the cycle counter (B4.1.117 PMCR, B4.1.114 PMCNTENSET, B4.1.121 PMUSERENR) */
    CP15_WRITE(0, c9, c12, 0, 1);                       /* PMCR.E */
    CP15_WRITE(0, c9, c12, 1, 1u << 31);                /* PMCNTENSET.C */
    CP15_WRITE(0, c9, c14, 0, 1);                       /* PMUSERENR.EN: User mode reads */

    /* trapped cache maintenance with the MMU off (VA = IPA), as firmware
     * cleaning its buffers does: one line of the image's data */
    {
        static uint32_t line[16] __attribute__((aligned(64)));
        uint32_t e_off = best(k_empty, N_OPS, 0, 0, 0, NULL);
        report("cache-clean-mmu-off", best(k_dccmvac, N_OPS, (uint32_t)line, 0, 0, NULL), e_off,
               N_OPS);
    }

    build_tables();
    mmu_on();
    sanity("mmu-on", (CP15_READ(0, c1, c0, 0) & SCTLR_M) != 0);
    sanity("ctx-page-a", rd32(VA_CTX) == 0xAAAA0001u);
    sanity("fill-page", rd32(VA_FILL + 7 * 0x1000u) == 7);
    sanity("tlb-page", rd32(VA_TLB) == 0x7777u);

    /* warm up */
    (void)best(k_empty, N_OPS, 0, 0, 0, NULL);

    uint32_t b2b = 0xFFFFFFFFu;
    for (unsigned r = 0; r < REPS; r++) {
        uint32_t d = k_b2b();
        if (d < b2b)
            b2b = d;
    }
    gprintf("BENCH read-overhead %lu.0\n", (unsigned long)b2b);

    /* The first touch of a MiB of guest RAM nothing used before (MiBs
     * 12-14, once each, the cheapest): natively a TLB miss; under the
     * monitor a shadow fill of a section, and with backing=demand also
     * backing it with a chunk from the pool, zeroed (issue 19). */
    {
        uint32_t ft = 0xFFFFFFFFu;
        for (uint32_t m = 12; m < 15; m++) {
            uint32_t d = k_touch1(IPA(m << 20));
            if (d < ft)
                ft = d;
        }
        report("first-touch-mib", ft, b2b, 1);
    }
    uint32_t empty = best(k_empty, N_OPS, 0, 0, 0, NULL);
    report("loop-overhead", empty, b2b, N_OPS);

    /* null hypercall */
#ifdef PV
    report("hypercall", best(k_hvc, N_OPS, 0, 0, 0, NULL), empty, N_OPS);
#else
    na("hypercall");
#endif

    /* trapped CP15 reads: CONTEXTIDR, SCTLR */
    report("cp15-read", best(k_cp15rd, N_OPS, 0, 0, 0, NULL), empty, N_OPS);
    report("cp15-read-sctlr", best(k_sctlrrd, N_OPS, 0, 0, 0, NULL), empty, N_OPS);

    /* CPSIE i + CPSID i */
    report("irq-enable-disable", best(k_cps, N_OPS, 0, 0, 0, NULL), empty, N_OPS);

    /* the same through the SRFA page, and the FIT op for the CP15 read (PV
     * guests with a monitor that maps the page; natively: the instructions
     * they replace) */
    long feat = hc_features();
#ifdef PV
    int srfa = (feat & PV_FEAT_SRFA) != 0;
#else
    int srfa = 1;
#endif
    if (srfa) {
        report("cp15-read-srfa", best(k_cp15srfa, N_OPS, 0, 0, 0, NULL), empty, N_OPS);
        report("irq-enable-disable-srfa", best(k_cpssrfa, N_OPS, 0, 0, 0, NULL), empty, N_OPS);
        report("cp15-read-fit", best(k_fitrd, N_OPS, 0, 0, 0, NULL), empty, N_OPS);
    } else {
        na("cp15-read-srfa");
        na("irq-enable-disable-srfa");
        na("cp15-read-fit");
    }
    gprintf("bench: monitor features 0x%lx\n", (unsigned long)feat);

    /* TLBIMVA of a mapped (and used) page */
    (void)rd32(VA_TLB);
    report("tlbimva", best(k_tlbimva, N_OPS, VA_TLB | ASID_A, 0, 0, NULL), empty, N_OPS);
    sanity("tlb-page-after", rd32(VA_TLB) == 0x7777u);
    report("tlbimva-nop", best(k_tlbnop, N_OPS, VA_TLB | ASID_A, 0, 0, NULL), empty, N_OPS);

    /* page fault with shadow fill: a fresh page per iteration */
    uint32_t e_fill = best(k_empty, N_FILL, 0, 0, 0, NULL);
    report("page-fault-fill", best(k_fill, N_FILL, VA_FILL, 0x1000, 0, flush_fill), e_fill, N_FILL);
    sanity("fill-page-last", rd32(VA_FILL + (N_FILL - 1) * 0x1000u) == N_FILL - 1);

    /* trapped CP15 write that changes nothing: CONTEXTIDR rewritten */
    report("cp15-write", best(k_cp15wr, N_OPS, CP15_READ(0, c13, c0, 1), 0, 0, NULL), empty, N_OPS);

    /* context switch A -> B -> A */
    report("context-switch", best(k_ctxsw, N_OPS, IPA(OFF_L1A), IPA(OFF_L1B), VA_CTX, NULL),
           empty, N_OPS);
    sanity("ctx-back-in-a", rd32(VA_CTX) == 0xAAAA0001u &&
           (CP15_READ(0, c13, c0, 1) & 0xFF) == ASID_A);

    /* MMIO: UARTIBRD rewritten with its own value */
    uint32_t ibrd = rd32(UART_BASE + UARTIBRD);
    report("mmio-write", best(k_mmio, N_OPS, ibrd, UART_BASE + UARTIBRD, 0, NULL), empty, N_OPS);
    sanity("ibrd-unchanged", rd32(UART_BASE + UARTIBRD) == ibrd);

    report("mmio-read", best(k_mmiord, N_OPS, 0, UART_BASE + UARTIBRD, 0, NULL), empty, N_OPS);

    /* trapped cache maintenance with the MMU on: a line of guest RAM */
    report("cache-clean", best(k_dccmvac, N_OPS, VA_CTX, 0, 0, NULL), empty, N_OPS);

    /* UART TX: one character, counted over a line (printed REPS times) */
    {
        static const char line[] = "bench: uart-tx line 0123456789\n";
        uint32_t n = sizeof line - 1;
        uint32_t base = best(k_uarttx0, n, (uint32_t)line, UART_BASE + UARTDR, 0, NULL);
        uint32_t tx = best(k_uarttx, n, (uint32_t)line, UART_BASE + UARTDR, 0, NULL);
        report("uart-tx-char", tx, base, n);
    }

    /* exception return: MOVS PC, LR at PL1 back to PL1 */
    report("exception-return", best(k_excret, N_OPS, 0, 0, 0, NULL), empty, N_OPS);

    /* with the benchmark vectors: SVC at PL1, system call from User mode,
     * virtual IRQ delivery */
    set_vbar(bench_vectors);
    report("svc-pl1", best(k_svcpl1, N_OPS, 0, 0, 0, NULL), empty, N_OPS);

    uint32_t ub2b = 0xFFFFFFFFu;
    for (unsigned r = 0; r < REPS; r++) {
        uint32_t d = run_user_raw(u_b2b, 0, MODE_USR | PSR_I | PSR_F);
        if (d < ub2b)
            ub2b = d;
    }
    gprintf("BENCH read-overhead-user %lu.0\n", (unsigned long)ub2b);
    uint32_t uempty = best_user(u_empty, N_OPS);
    report("syscall", best_user(u_usvc, N_OPS), uempty, N_OPS);

#ifdef IRQ_GTIMER
    gic_setup();
    bench_irq_count = 0;
    uint32_t lat = 0xFFFFFFFFu;
    for (unsigned r = 0; r < REPS; r++) {
        uint32_t d = k_virq(N_OPS);
        if (d < lat)
            lat = d;
    }
    gic_teardown();
    sanity("virq-count", bench_irq_count == REPS * N_OPS);
    report("virq-latency", lat, b2b * N_OPS, N_OPS);
#else
    na("virq-latency");
#endif
    set_vbar(__vectors);

    gprintf("RESULT bench: %u sanity checks failed\n", g_bad);
    return (int)g_bad;
}
