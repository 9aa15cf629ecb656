/*
 * irq - interrupts through the board's GICv2: distributor and CPU interface
 * registers, SGIs, timer interrupts, masking, priorities and preemption,
 * EOI semantics and binary point.  ARM IHI 0048B (GIC architecture v1/v2),
 * cited as "GIC" below:
 *   §1.4.2 / §3.1.2 interrupt types: SGI 0-15, PPI 16-31, SPI 32-1019; 1023 spurious
 *   §3.2.4 interrupt handling state machine (inactive, pending, active,
 *          active and pending); level-sensitive interrupts stay pending while
 *          the signal is asserted
 *   §3.3   interrupt prioritization: at least 16 levels, implemented
 *          priority bits are the most significant ones; §3.3.3 priority
 *          grouping (binary point); §3.3.2 preemption: an interrupt preempts
 *          only if its group priority is higher than the running priority
 *   §4.3.2 GICD_CTLR, §4.3.5-6 GICD_I{S,C}ENABLERn (SGI set-enable bits may
 *          be RAO/WI: IMPLEMENTATION DEFINED), §4.3.7-8 GICD_I{S,C}PENDRn,
 *          §4.3.9 GICD_ISACTIVERn, §4.3.11 GICD_IPRIORITYRn (byte accessible),
 *          §4.3.12 GICD_ITARGETSRn (RAZ/WI on a uniprocessor GIC), §4.3.13
 *          GICD_ICFGRn (Int_config[1] of an SPI: 0 level, 1 edge; GICD_ICFGR0
 *          is read-only), §4.3.15 GICD_SGIR (TargetListFilter)
 *   §4.4.1 GICC_CTLR, §4.4.2 GICC_PMR, §4.4.3 GICC_BPR, §4.4.4 GICC_IAR
 *          (1023 when the distributor or CPU interface is disabled or nothing
 *          of sufficient priority is pending; SGIs carry the source CPUID in
 *          bits [12:10]), §4.4.5 GICC_EOIR, §4.4.6 GICC_RPR (0xFF when idle),
 *          §4.4.8 GICC_HPPIR.
 * Nothing IMPLEMENTATION DEFINED is printed (GICD_TYPER, GICD_IIDR, the
 * number of priority bits, the minimum binary point, ITARGETSR of a
 * uniprocessor GIC): only pass/fail or values the specification fixes.  The
 * test priorities use bits [7:4] only, so they exist on every GIC (16
 * levels), and the binary point stays at its minimum (<= 3) except in the
 * binary point test, so group priority == priority elsewhere.
 *
 * Timers: qemu-virt the generic timer's virtual timer CNTV (PPI 27,
 * level-sensitive; ARM ARM B8); qemu-vexpress-a9 the SP804 timer 1 (SPI 34)
 * and the Cortex-A9 private timer (PPI 29).  Periodic ticks are only counted
 * as "at least N"; timeouts only detect a dead timer.
 *
 * The IRQ handler is the runtime's hook (lib/start.S): it runs in SVC mode
 * with its frame on the SVC stack and may unmask IRQs to be preempted.
 */
#include <stdio.h>
#include "guest.h"

/* ---- GIC registers ------------------------------------------------------ */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00
#define GICD_SGIR       0xF00

#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_RPR        0x14
#define GICC_HPPIR      0x18

#define SPURIOUS        1023u
#define SGIR_SELF       (2u << 24)      /* TargetListFilter 0b10: this CPU only */
#define SGIR_OTHERS     (1u << 24)      /* 0b01: all but this CPU */
#define SGIR_LIST(l)    ((uint32_t)(l) << 16)   /* 0b00, CPUTargetList */

#define IDLE_PRIO       0xFFu           /* GICC_RPR with nothing active */
#define PMR_OPEN        0xF0u           /* lets every test priority through */

static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t rd8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void wr8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

#define D(off)          ((uintptr_t)GICD_BASE + (off))
#define C(off)          ((uintptr_t)GICC_BASE + (off))

static inline void barrier(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

static uint32_t dbit(unsigned reg, unsigned id)
{
    return (rd32(D(reg + 4 * (id / 32))) >> (id % 32)) & 1;
}
static void dset(unsigned reg, unsigned id)
{
    wr32(D(reg + 4 * (id / 32)), 1u << (id % 32));
    barrier();
}
static void set_prio(unsigned id, uint8_t p) { wr8(D(GICD_IPRIORITYR + id), p); barrier(); }
static uint8_t get_prio(unsigned id) { return rd8(D(GICD_IPRIORITYR + id)); }
/* Int_config[1]: 1 edge, 0 level (GIC §4.3.13) */
static void set_edge(unsigned id, int edge)
{
    uintptr_t a = D(GICD_ICFGR + 4 * (id / 16));
    uint32_t bit = 2u << (2 * (id % 16));
    wr32(a, edge ? (rd32(a) | bit) : (rd32(a) & ~bit));
    barrier();
}
static uint32_t get_edge(unsigned id)
{
    return (rd32(D(GICD_ICFGR + 4 * (id / 16))) >> (2 * (id % 16) + 1)) & 1;
}
static uint32_t iar(void) { return rd32(C(GICC_IAR)) & 0x1FFF; }
static uint32_t hppir(void) { return rd32(C(GICC_HPPIR)) & 0x1FFF; }
static uint32_t rpr(void) { return rd32(C(GICC_RPR)) & 0xFF; }
static void eoi(uint32_t v) { wr32(C(GICC_EOIR), v); barrier(); }
static void sgi(uint32_t v) { wr32(D(GICD_SGIR), v); barrier(); }

/* ---- IRQ handler ------------------------------------------------------- */
#define MAXLOG 64
struct irqlog {
    uint32_t iar, rpr, depth, seq, active;
};
static volatile struct {
    unsigned n;                 /* interrupts acknowledged (IAR < 1020) */
    unsigned spurious;
    unsigned depth;
    unsigned nlog;
    struct irqlog log[MAXLOG];
} H;
volatile uint32_t g_seq;        /* unmask-point sequence (irq_asm.S) */
static void (*volatile g_on_irq)(uint32_t id);  /* between IAR and EOIR */

void unmask_cpsie(volatile uint32_t *seq);
void unmask_msr(volatile uint32_t *seq);

static int irq_hook(struct exc_frame *f)
{
    f->pc -= 4;                 /* LR_irq = return address + 4 */
    uint32_t v = rd32(C(GICC_IAR)) & 0x1FFF;
    uint32_t id = v & 0x3FF;
    if (id >= 1020) {
        H.spurious++;
        return 1;
    }
    unsigned d = ++H.depth;
    unsigned k = H.nlog;
    if (k < MAXLOG) {
        H.log[k].iar = v;
        H.log[k].rpr = rpr();
        H.log[k].depth = d;
        H.log[k].seq = g_seq;
        H.log[k].active = dbit(GICD_ISACTIVER, id);
        H.nlog = k + 1;
    }
    H.n++;
    void (*fn)(uint32_t) = g_on_irq;
    if (fn)
        fn(id);
    eoi(v);
    H.depth--;
    return 1;
}

static void log_reset(void)
{
    H.n = 0;
    H.nlog = 0;
    H.spurious = 0;
    g_seq = 0;
}

/* spin (IRQs as they are) until H.n >= target; no timing meaning, it only
 * gives a signalled interrupt time to reach the core */
static int spin_until(unsigned target, unsigned loops)
{
    for (unsigned i = 0; i < loops && H.n < target; i++)
        __asm__ volatile("isb" ::: "memory");
    return H.n >= target;
}
#define SPIN_TAKEN   100000u
#define SPIN_NOT     200u

/* ---- board timers ------------------------------------------------------ */
struct timer {
    const char *name;
    unsigned id;
    int spi;                    /* SPI: set level-sensitive, target CPU0 */
    void (*oneshot)(void);      /* fire once, soon */
    void (*periodic)(void);     /* fire every period */
    void (*ack)(void);          /* handler: clear the source (periodic: rearm) */
    void (*stop)(void);         /* stop and clear */
    int (*deadline)(void);      /* nonzero once a generous time limit passed */
    void (*deadline_start)(void);
    uint64_t (*elapsed)(void);  /* counter ticks since periodic(); 0 if none */
    uint64_t period;            /* in the elapsed() unit */
};

static unsigned g_loops;
static void loops_start(void) { g_loops = 0; }
static int loops_deadline(void) { return ++g_loops > 2000000u; }

#ifdef IRQ_GTIMER
/* ARM ARM B8.2: CNTV_CTL bit0 ENABLE, bit1 IMASK, bit2 ISTATUS; the timer
 * condition is CNTVCT - CNTV_CVAL >= 0; CNTV_TVAL writes CVAL = CNTVCT + TVAL */
static inline uint64_t cntvct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t cntv_cval(void)
{
    uint32_t lo, hi;
    __asm__ volatile("mrrc p15, 3, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline void cntv_set_cval(uint64_t v)
{
    __asm__ volatile("mcrr p15, 3, %0, %1, c14\n\tisb"
                     :: "r"((uint32_t)v), "r"((uint32_t)(v >> 32)) : "memory");
}
#define CNTV_CTL_W(v)   CP15_WRITE(0, c14, c3, 1, v)
#define CNTV_CTL_R()    CP15_READ(0, c14, c3, 1)
#define CNTV_TVAL_W(v)  CP15_WRITE(0, c14, c3, 0, v)
#define CNTFRQ_R()      CP15_READ(0, c14, c0, 0)

static uint32_t g_frq_ms;       /* counter ticks per ms */
static uint64_t g_t0, g_dl0;

static void cntv_oneshot(void) { CNTV_CTL_W(0); CNTV_TVAL_W(g_frq_ms); CNTV_CTL_W(1); }
static void cntv_periodic(void)
{
    CNTV_CTL_W(0);
    g_t0 = cntvct();
    cntv_set_cval(g_t0 + g_frq_ms);
    CNTV_CTL_W(1);
}
static volatile int g_cntv_periodic;
static void cntv_ack(void)
{
    if (g_cntv_periodic)
        cntv_set_cval(cntv_cval() + g_frq_ms);
    else
        CNTV_CTL_W(0);
}
static void cntv_stop(void) { CNTV_CTL_W(0); }
static void cntv_dl_start(void) { g_dl0 = cntvct(); loops_start(); }
static int cntv_deadline(void)
{
    return cntvct() - g_dl0 > 2ull * 1000 * g_frq_ms || loops_deadline();
}
static uint64_t cntv_elapsed(void) { return cntvct() - g_t0; }

static struct timer g_timers[] = {
    { "cntv", IRQ_ID_CNTV, 0, cntv_oneshot, cntv_periodic, cntv_ack, cntv_stop,
      cntv_deadline, cntv_dl_start, cntv_elapsed, 0 },
};
/* the level-sensitive timer of the EOI test */
#define LEVEL_TIMER (&g_timers[0])
static void timers_init(void)
{
    g_frq_ms = CNTFRQ_R() / 1000;
    g_timers[0].period = g_frq_ms;
    CNTV_CTL_W(0);
}
static void timer_mode(struct timer *t, int periodic) { (void)t; g_cntv_periodic = periodic; }
#endif

#ifdef IRQ_SP804_BASE
/* SP804 (ARM DDI 0271): Timer1Load 0x00, Control 0x08 (bit7 enable, bit6
 * periodic, bit5 IntEnable, bit1 32-bit, bit0 one-shot), IntClr 0x0C;
 * 1 MHz timer clock on this board. */
#define SP804(off)      ((uintptr_t)IRQ_SP804_BASE + (off))
static void sp804_oneshot(void)
{
    wr32(SP804(0x08), 0);
    wr32(SP804(0x0C), 1);
    wr32(SP804(0x00), 1000);
    wr32(SP804(0x08), 0xA3);
}
static void sp804_periodic(void)
{
    wr32(SP804(0x08), 0);
    wr32(SP804(0x0C), 1);
    wr32(SP804(0x00), 1000);
    wr32(SP804(0x08), 0xE2);
}
static void sp804_ack(void) { wr32(SP804(0x0C), 1); }
static void sp804_stop(void) { wr32(SP804(0x08), 0); wr32(SP804(0x0C), 1); }
#endif

#ifdef IRQ_A9PT_BASE
/* Cortex-A9 private timer (DDI 0407 4.2): Load 0x00, Control 0x08 (bit0
 * enable, bit1 auto-reload, bit2 IRQ enable), Interrupt Status 0x0C (bit0
 * event flag, write 1 to clear). */
#define A9PT(off)       ((uintptr_t)IRQ_A9PT_BASE + (off))
static void a9pt_oneshot(void)
{
    wr32(A9PT(0x08), 0);
    wr32(A9PT(0x0C), 1);
    wr32(A9PT(0x00), 100000);
    wr32(A9PT(0x08), 0x5);
}
static void a9pt_periodic(void)
{
    wr32(A9PT(0x08), 0);
    wr32(A9PT(0x0C), 1);
    wr32(A9PT(0x00), 100000);
    wr32(A9PT(0x08), 0x7);
}
static void a9pt_ack(void) { wr32(A9PT(0x0C), 1); }
static void a9pt_stop(void) { wr32(A9PT(0x08), 0); wr32(A9PT(0x0C), 1); }
#endif

#ifndef IRQ_GTIMER
static uint64_t no_elapsed(void) { return 0; }
static struct timer g_timers[] = {
#ifdef IRQ_SP804_BASE
    { "sp804", IRQ_ID_SP804, 1, sp804_oneshot, sp804_periodic, sp804_ack, sp804_stop,
      loops_deadline, loops_start, no_elapsed, 0 },
#endif
#ifdef IRQ_A9PT_BASE
    { "a9pt", IRQ_ID_A9PT, 0, a9pt_oneshot, a9pt_periodic, a9pt_ack, a9pt_stop,
      loops_deadline, loops_start, no_elapsed, 0 },
#endif
};
#define LEVEL_TIMER (&g_timers[0])
static void timers_init(void)
{
    for (unsigned i = 0; i < sizeof g_timers / sizeof g_timers[0]; i++)
        g_timers[i].stop();
}
static void timer_mode(struct timer *t, int periodic) { (void)t; (void)periodic; }
#endif

#define NTIMERS (sizeof g_timers / sizeof g_timers[0])

static struct timer *g_cur_timer;
static void timer_on_irq(uint32_t id)
{
    if (g_cur_timer && id == g_cur_timer->id)
        g_cur_timer->ack();
}

/* ---- setup --------------------------------------------------------------- */
static unsigned g_nwords;       /* 32-interrupt words of the distributor */

static void gic_init(void)
{
    wr32(D(GICD_CTLR), 0);
    wr32(C(GICC_CTLR), 0);
    barrier();
    g_nwords = (rd32(D(GICD_TYPER)) & 0x1F) + 1;       /* ITLinesNumber + 1 */
    for (unsigned i = 0; i < g_nwords; i++) {
        wr32(D(GICD_ICENABLER + 4 * i), 0xFFFFFFFF);
        wr32(D(GICD_ICPENDR + 4 * i), 0xFFFFFFFF);
    }
    for (unsigned i = 0; i < 8 * g_nwords; i++)
        wr32(D(GICD_IPRIORITYR + 4 * i), 0xA0A0A0A0);
    wr32(C(GICC_PMR), PMR_OPEN);
    wr32(C(GICC_BPR), 0);       /* reads back as the minimum (§4.4.3) */
    wr32(D(GICD_CTLR), 1);      /* enable (Group 0) forwarding */
    wr32(C(GICC_CTLR), 1);      /* enable Group 0 signalling, as IRQ */
    barrier();
}

/* ---- 1. distributor registers -------------------------------------------- */
static unsigned g_prio_mask;    /* implemented priority bits */

static void test_distributor(void)
{
    const unsigned a = IRQ_SPI_A, b = IRQ_SPI_B;

    /* Int_config[1] of an SPI is programmable (§4.3.13) */
    set_edge(a, 1);
    uint32_t e1 = get_edge(a);
    set_edge(a, 0);
    uint32_t e0 = get_edge(a);
    check("icfgr-spi-edge", e1 == 1, "Int_config[1]=%lu after writing edge", (unsigned long)e1);
    check("icfgr-spi-level", e0 == 0, "Int_config[1]=%lu after writing level", (unsigned long)e0);
    set_edge(a, 1);
    set_edge(b, 1);

    /* GICD_ICFGR0 (SGIs) is read-only */
    uint32_t c0 = rd32(D(GICD_ICFGR));
    wr32(D(GICD_ICFGR), ~c0);
    barrier();
    check("icfgr0-sgi-ro", rd32(D(GICD_ICFGR)) == c0, "GICD_ICFGR0 %s",
          rd32(D(GICD_ICFGR)) == c0 ? "unchanged by a write" : "changed");

    /* enable: ISENABLER and ICENABLER both read the enable state */
    dset(GICD_ISENABLER, a);
    uint32_t s1 = dbit(GICD_ISENABLER, a), c1 = dbit(GICD_ICENABLER, a);
    dset(GICD_ICENABLER, a);
    uint32_t s0 = dbit(GICD_ISENABLER, a), cz = dbit(GICD_ICENABLER, a);
    check("enable-set", s1 == 1 && c1 == 1, "ISENABLER=%lu ICENABLER=%lu after set-enable",
          (unsigned long)s1, (unsigned long)c1);
    check("enable-clear", s0 == 0 && cz == 0, "ISENABLER=%lu ICENABLER=%lu after clear-enable",
          (unsigned long)s0, (unsigned long)cz);

    /* pending (interrupt disabled: pending state is independent of enable) */
    dset(GICD_ISPENDR, a);
    uint32_t p1 = dbit(GICD_ISPENDR, a), q1 = dbit(GICD_ICPENDR, a);
    dset(GICD_ICPENDR, a);
    uint32_t p0 = dbit(GICD_ISPENDR, a), q0 = dbit(GICD_ICPENDR, a);
    check("pending-set", p1 == 1 && q1 == 1, "ISPENDR=%lu ICPENDR=%lu after set-pending",
          (unsigned long)p1, (unsigned long)q1);
    check("pending-clear", p0 == 0 && q0 == 0, "ISPENDR=%lu ICPENDR=%lu after clear-pending",
          (unsigned long)p0, (unsigned long)q0);

    /* priority: probe the implemented bits by writing 0xFF */
    set_prio(a, 0xFF);
    unsigned m = get_prio(a);
    g_prio_mask = m;
    unsigned bits = 0;
    while (bits < 8 && (m & (0x80u >> bits)))
        bits++;
    int msb_aligned = m == ((0xFF00u >> bits) & 0xFF);
    check("prio-bits", msb_aligned && bits >= 4,
          "implemented priority bits are the most significant ones, at least 16 levels%s",
          msb_aligned ? (bits >= 4 ? "" : " (FEWER)") : " (NOT MSB-ALIGNED)");
    unsigned bad = 0;
    for (unsigned v = 0; v < 256; v++) {
        set_prio(a, (uint8_t)v);
        if (get_prio(a) != (v & m))
            bad++;
    }
    check("prio-readback", bad == 0, "%u of 256 byte values read back wrong (value & implemented bits)",
          bad);
    /* byte accesses leave the neighbouring fields alone; the word view agrees */
    set_prio(a, 0x40);
    set_prio(b, 0x90);
    set_prio(a, 0xC0);
    uint32_t w = rd32(D(GICD_IPRIORITYR + (a & ~3u)));
    uint32_t wa = (w >> (8 * (a & 3))) & 0xFF, wb = (w >> (8 * (b & 3))) & 0xFF;
    check("prio-byte-lanes", get_prio(b) == 0x90 && wa == 0xC0 && wb == 0x90,
          "byte writes independent, word read agrees: %s",
          (get_prio(b) == 0x90 && wa == 0xC0 && wb == 0x90) ? "yes" : "no");
    set_prio(a, 0xA0);
    set_prio(b, 0xA0);

    /* ITARGETSR: CPU0, or RAZ/WI on a uniprocessor GIC (§4.3.12) */
    wr8(D(GICD_ITARGETSR + a), 0x01);
    barrier();
    uint8_t t = rd8(D(GICD_ITARGETSR + a));
    check("itargets-spi", t == 0x01 || t == 0x00, "SPI targets CPU0 (or RAZ/WI: uniprocessor): %s",
          (t == 0x01 || t == 0x00) ? "yes" : "no");
    wr8(D(GICD_ITARGETSR + b), 0x01);

    /* SGIs: after set-enable all 16 read as enabled (whether or not they
     * are RAO/WI is IMPLEMENTATION DEFINED, §4.3.5) */
    wr32(D(GICD_ISENABLER), 0x0000FFFF);
    barrier();
    check_eq("sgi-enabled", "ISENABLER0[15:0]", rd32(D(GICD_ISENABLER)) & 0xFFFF, 0xFFFF);
}

/* ---- 2. spurious ---------------------------------------------------------- */
static void test_spurious(void)
{
    const unsigned a = IRQ_SPI_A;
    log_reset();
    check_eq("iar-idle", "IAR", iar(), SPURIOUS);
    check_eq("hppir-idle", "HPPIR", hppir(), SPURIOUS);
    check_eq("rpr-idle", "RPR", rpr(), IDLE_PRIO);

    static const struct { const char *name; unsigned off; uintptr_t base; } off[] = {
        { "gicd-off", GICD_CTLR, GICD_BASE },
        { "gicc-off", GICC_CTLR, GICC_BASE },
    };
    char name[48];
    for (unsigned i = 0; i < 2; i++) {
#define N(s) (snprintf(name, sizeof name, "%s-%s", off[i].name, s), name)
        set_prio(a, 0x80);
        dset(GICD_ISENABLER, a);
        wr32(off[i].base + off[i].off, 0);
        barrier();
        dset(GICD_ISPENDR, a);
        check_eq(N("iar"), "IAR", iar(), SPURIOUS);
        unsigned n0 = H.n;
        CPSIE(i);
        spin_until(n0 + 1, SPIN_NOT);
        CPSID(i);
        check(N("not-signalled"), H.n == n0, "%u interrupt(s) taken with CPSR.I clear", H.n - n0);
        check_eq(N("still-pending"), "ISPENDR bit", dbit(GICD_ISPENDR, a), 1);
        wr32(off[i].base + off[i].off, 1);
        barrier();
        check_eq(N("hppir-on"), "HPPIR-SPI_A", hppir() - a, 0);
        uint32_t v = iar();
        check_eq(N("iar-on"), "IAR-SPI_A", v - a, 0);
        if (v < 1020)
            eoi(v);
        dset(GICD_ICENABLER, a);
        dset(GICD_ICPENDR, a);
#undef N
    }
    check_eq("spurious-none-taken", "handler runs", H.n, 0);
}

/* ---- 3. SGIs ------------------------------------------------------------- */
static void test_sgi(void)
{
    for (unsigned i = 0; i < 16; i++)
        set_prio(i, 0x80);
    log_reset();
    g_on_irq = 0;

    sgi(SGIR_SELF | 1);
    check_eq("sgi-pending", "HPPIR", hppir(), 1);   /* ID 1, source CPU 0 */
    CPSIE(i);
    spin_until(1, SPIN_TAKEN);
    CPSID(i);
    if (check("sgi-taken", H.n == 1 && H.nlog == 1, "%u interrupt(s) taken", H.n)) {
        check_eq("sgi-iar", "IAR", H.log[0].iar, 1);
        check_eq("sgi-rpr", "RPR in handler", H.log[0].rpr, 0x80);
        check_eq("sgi-active", "ISACTIVER bit in handler", H.log[0].active, 1);
    }
    check_eq("sgi-inactive", "ISACTIVER bit after EOI", dbit(GICD_ISACTIVER, 1), 0);
    check_eq("sgi-rpr-after", "RPR after EOI", rpr(), IDLE_PRIO);
    check_eq("sgi-iar-after", "IAR after EOI", iar(), SPURIOUS);

    /* every SGI ID, one at a time, taken with CPSR.I clear */
    log_reset();
    unsigned bad = 0;
    for (unsigned i = 0; i < 16; i++) {
        unsigned n0 = H.n, k = H.nlog;
        CPSIE(i);
        sgi(SGIR_SELF | i);
        spin_until(n0 + 1, SPIN_TAKEN);
        CPSID(i);
        if (H.n != n0 + 1 || H.nlog != k + 1 || H.log[k].iar != i)
            bad++;
    }
    check("sgi-all-ids", bad == 0, "%u of 16 SGIs not taken once with their ID", bad);

    /* TargetListFilter 0b00 with CPU0 in the list, and 0b01 (others only) */
    log_reset();
    sgi(SGIR_LIST(1) | 5);
    check_eq("sgi-list-cpu0", "HPPIR", hppir(), 5);
    uint32_t v = iar();
    check_eq("sgi-list-iar", "IAR", v, 5);
    if (v < 1020)
        eoi(v);
    sgi(SGIR_OTHERS | 6);
    check_eq("sgi-others-not-self", "HPPIR", hppir(), SPURIOUS);
    check_eq("sgi-others-iar", "IAR", iar(), SPURIOUS);
}

/* ---- 4. timers ----------------------------------------------------------- */
static void timer_enable(struct timer *t)
{
    set_prio(t->id, 0x80);
    if (t->spi) {
        set_edge(t->id, 0);
        wr8(D(GICD_ITARGETSR + t->id), 0x01);
    }
    dset(GICD_ICPENDR, t->id);
    dset(GICD_ISENABLER, t->id);
}
static void timer_disable(struct timer *t)
{
    t->stop();
    dset(GICD_ICENABLER, t->id);
    dset(GICD_ICPENDR, t->id);
}

/* race-free wait: CPSR.I set while testing the condition, WFI (wakes on a
 * pending IRQ whatever CPSR.I), then unmask so that it is taken */
static int wait_masked(struct timer *t, unsigned target)
{
    t->deadline_start();
    CPSID(i);
    while (H.n < target) {
        if (t->deadline())
            break;
        WFI();
        CPSIE(i);
        __asm__ volatile("isb" ::: "memory");
        CPSID(i);
    }
    return H.n >= target;
}

static void test_timers(void)
{
    char name[48];
    for (unsigned i = 0; i < NTIMERS; i++) {
        struct timer *t = &g_timers[i];
#define N(s) (snprintf(name, sizeof name, "%s-%s", t->name, s), name)
        timer_enable(t);
        g_cur_timer = t;
        g_on_irq = timer_on_irq;

        /* one shot */
        log_reset();
        timer_mode(t, 0);
        t->oneshot();
        int ok = wait_masked(t, 1);
        check(N("oneshot-taken"), ok, "%s", ok ? "handler ran" : "no interrupt");
        if (ok) {
            check_eq(N("oneshot-id"), "IAR-timer", H.log[0].iar - t->id, 0);
            check_eq(N("oneshot-active"), "ISACTIVER bit in handler", H.log[0].active, 1);
            check_eq(N("oneshot-rpr"), "RPR in handler", H.log[0].rpr, 0x80);
        }
        check_eq(N("oneshot-acked"), "ISPENDR bit after ack+EOI", dbit(GICD_ISPENDR, t->id), 0);
        check_eq(N("oneshot-inactive"), "ISACTIVER bit after EOI", dbit(GICD_ISACTIVER, t->id), 0);
        check_eq(N("oneshot-once"), "interrupts", H.n, 1);

        /* one shot while spinning with CPSR.I clear: no WFI and no access to
         * a device, so nothing but the timer firing makes it reach the core */
        log_reset();
        timer_mode(t, 0);
        t->oneshot();
        t->deadline_start();
        CPSIE(i);
        while (H.n < 1 && !t->deadline())
            __asm__ volatile("isb" ::: "memory");
        CPSID(i);
        check(N("oneshot-spin-taken"), H.n >= 1, "%s",
              H.n >= 1 ? "handler ran" : "no interrupt before the time limit");

        /* periodic: at least 5 ticks, WFI with CPSR.I clear */
        log_reset();
        timer_mode(t, 1);
        t->periodic();
        t->deadline_start();
        CPSIE(i);
        while (H.n < 5 && !t->deadline())
            WFI();
        CPSID(i);
        uint64_t el = t->elapsed();
        t->stop();
        unsigned n = H.n, bad = 0;
        for (unsigned k = 0; k < H.nlog; k++)
            if (H.log[k].iar != t->id)
                bad++;
        check(N("periodic-ticks"), n >= 5, "at least 5 ticks: %s", n >= 5 ? "yes" : "no");
        check(N("periodic-ids"), bad == 0, "%u tick(s) with a wrong IAR", bad);
        if (t->period)          /* tick k needs counter >= start + k * period */
            check(N("periodic-not-early"), el >= 5 * t->period,
                  "5 ticks took at least 5 periods of the counter: %s",
                  el >= 5 * t->period ? "yes" : "no");
        timer_disable(t);
        g_on_irq = 0;
        g_cur_timer = 0;
#undef N
    }
}

/* ---- 5. masking ------------------------------------------------------------ */
static void test_masking(void)
{
    const unsigned a = IRQ_SPI_A;
    g_on_irq = 0;
    set_prio(2, 0x80);

    /* CPSR.I set: pending, not taken; cleared: taken at once */
    static const struct { const char *name; void (*fn)(volatile uint32_t *); } forms[] = {
        { "unmask-cpsie", unmask_cpsie },
        { "unmask-msr", unmask_msr },
    };
    char name[48];
    for (unsigned i = 0; i < 2; i++) {
#define N(s) (snprintf(name, sizeof name, "%s-%s", forms[i].name, s), name)
        log_reset();
        CPSID(i);
        sgi(SGIR_SELF | 2);
        spin_until(1, SPIN_NOT);
        check(N("masked"), H.n == 0, "%u interrupt(s) taken with CPSR.I set", H.n);
        check_eq(N("pending"), "HPPIR", hppir(), 2);
        forms[i].fn(&g_seq);
        if (check(N("taken"), H.n == 1, "%u interrupt(s) taken after the unmask", H.n))
            check(N("at-once"), H.log[0].seq >= 1 && H.log[0].seq <= 3,
                  "taken within 3 instructions of the unmask%s",
                  H.log[0].seq >= 1 && H.log[0].seq <= 3 ? "" : " (LATER)");
#undef N
    }

    /* disabled in the distributor: not taken; set-enable: taken */
    log_reset();
    set_prio(a, 0x80);
    dset(GICD_ICENABLER, a);
    dset(GICD_ISPENDR, a);
    CPSIE(i);
    spin_until(1, SPIN_NOT);
    unsigned n_dis = H.n;
    dset(GICD_ISENABLER, a);
    spin_until(1, SPIN_TAKEN);
    CPSID(i);
    check("disabled-not-taken", n_dis == 0, "%u interrupt(s) taken while disabled", n_dis);
    check("enable-taken", H.n == 1 && H.nlog == 1 && H.log[0].iar == a,
          "taken once with its ID after set-enable: %s",
          (H.n == 1 && H.nlog == 1 && H.log[0].iar == a) ? "yes" : "no");

    /* GICC_PMR: priority not higher than the mask is not signalled */
    log_reset();
    wr32(C(GICC_PMR), 0x80);
    barrier();
    check_eq("pmr-readback", "PMR", rd32(C(GICC_PMR)) & 0xFF, 0x80);
    dset(GICD_ISPENDR, a);
    CPSIE(i);
    spin_until(1, SPIN_NOT);
    unsigned n_pmr = H.n;
    CPSID(i);
    check_eq("pmr-masked-iar", "IAR", iar(), SPURIOUS);
    CPSIE(i);
    wr32(C(GICC_PMR), 0x90);
    barrier();
    spin_until(1, SPIN_TAKEN);
    CPSID(i);
    check("pmr-equal-not-taken", n_pmr == 0, "%u interrupt(s) taken with priority == PMR", n_pmr);
    check("pmr-raised-taken", H.n == 1 && H.nlog == 1 && H.log[0].iar == a,
          "taken once after raising PMR above its priority: %s",
          (H.n == 1 && H.nlog == 1 && H.log[0].iar == a) ? "yes" : "no");
    wr32(C(GICC_PMR), PMR_OPEN);
    dset(GICD_ICENABLER, a);
    barrier();
}

/* ---- 6. priorities and preemption ---------------------------------------- */
/* SGI 3 (0xA0) handler: unmask, make SGI 5 (0xA0) and SGI 6 (0xC0)
 * pending: no preemption; then SGI 4 (0x80): preempts. */
static volatile struct {
    uint32_t hppir_same, taken_same, taken_high, rpr_after, act_after, act_nested, rpr_nested;
} P;

static void prio_on_irq(uint32_t id)
{
    if (id == 4) {
        P.rpr_nested = rpr();
        P.act_nested = rd32(D(GICD_ISACTIVER)) & 0x78;
        return;
    }
    if (id != 3)
        return;
    sgi(SGIR_SELF | 5);
    sgi(SGIR_SELF | 6);
    P.hppir_same = hppir();
    unsigned n0 = H.n;
    CPSIE(i);                   /* nested interrupts allowed from here */
    spin_until(n0 + 1, SPIN_NOT);
    P.taken_same = H.n - n0;
    sgi(SGIR_SELF | 4);
    spin_until(n0 + 1, SPIN_TAKEN);
    P.taken_high = H.n - n0;
    CPSID(i);
    P.rpr_after = rpr();
    P.act_after = rd32(D(GICD_ISACTIVER)) & 0x78;
}

static void test_priority(void)
{
    set_prio(3, 0xA0);
    set_prio(4, 0x80);
    set_prio(5, 0xA0);
    set_prio(6, 0xC0);
    log_reset();
    g_on_irq = prio_on_irq;
    CPSIE(i);
    sgi(SGIR_SELF | 3);
    spin_until(4, SPIN_TAKEN);
    CPSID(i);
    g_on_irq = 0;

    check_eq("prio-hppir-in-handler", "HPPIR", P.hppir_same, 5);
    check("prio-same-no-preempt", P.taken_same == 0,
          "%lu of SGI 5 (same priority) / SGI 6 (lower) preempted", (unsigned long)P.taken_same);
    check("prio-higher-preempts", P.taken_high == 1, "SGI 4 (higher) preempted %lu time(s)",
          (unsigned long)P.taken_high);
    check_eq("prio-rpr-nested", "RPR in nested handler", P.rpr_nested, 0x80);
    check_eq("prio-active-nested", "ISACTIVER0 & 0x78 in nested handler", P.act_nested, 0x18);
    check_eq("prio-rpr-restored", "RPR after nested EOI", P.rpr_after, 0xA0);
    check_eq("prio-active-restored", "ISACTIVER0 & 0x78 after nested EOI", P.act_after, 0x08);

    /* order and context of all four: 3 (depth 1), 4 (depth 2), then 5, 6 */
    static const uint32_t exp_iar[4] = { 3, 4, 5, 6 };
    static const uint32_t exp_depth[4] = { 1, 2, 1, 1 };
    static const uint32_t exp_rpr[4] = { 0xA0, 0x80, 0xA0, 0xC0 };
    unsigned bad = 0;
    for (unsigned k = 0; k < 4; k++)
        if (k >= H.nlog || H.log[k].iar != exp_iar[k] || H.log[k].depth != exp_depth[k] ||
            H.log[k].rpr != exp_rpr[k] || H.log[k].active != 1)
            bad++;
    check("prio-order", H.nlog == 4 && bad == 0,
          "SGI 3, 4 (nested), 5, 6 in this order, each active at RPR = its priority: %s",
          (H.nlog == 4 && bad == 0) ? "yes" : "no");
    if (H.nlog != 4 || bad)
        for (unsigned k = 0; k < H.nlog && k < 8; k++)
            gprintf("     [%u] IAR=%lu depth=%lu RPR=0x%02lx active=%lu\n", k,
                    (unsigned long)H.log[k].iar, (unsigned long)H.log[k].depth,
                    (unsigned long)H.log[k].rpr, (unsigned long)H.log[k].active);
    check_eq("prio-all-inactive", "ISACTIVER0 & 0x78", rd32(D(GICD_ISACTIVER)) & 0x78, 0);
    check_eq("prio-rpr-idle", "RPR", rpr(), IDLE_PRIO);
}

/* ---- 7. acknowledge / end of interrupt ----------------------------------- */
static void test_eoi(void)
{
    const unsigned a = IRQ_SPI_A;
    g_on_irq = 0;
    CPSID(i);

    /* SGI: IAR makes it active and not pending, EOIR inactive */
    set_prio(7, 0x80);
    sgi(SGIR_SELF | 7);
    check_eq("eoi-sgi-pending", "HPPIR", hppir(), 7);
    uint32_t v = iar();
    check_eq("eoi-sgi-iar", "IAR", v, 7);
    check_eq("eoi-sgi-active", "ISACTIVER bit", dbit(GICD_ISACTIVER, 7), 1);
    check_eq("eoi-sgi-not-pending", "HPPIR", hppir(), SPURIOUS);
    check_eq("eoi-sgi-rpr", "RPR", rpr(), 0x80);
    if (v < 1020)
        eoi(v);
    check_eq("eoi-sgi-inactive", "ISACTIVER bit", dbit(GICD_ISACTIVER, 7), 0);
    check_eq("eoi-sgi-rpr-idle", "RPR", rpr(), IDLE_PRIO);

    /* edge SPI: pending -> active -> active and pending -> pending */
    set_prio(a, 0x80);
    set_edge(a, 1);
    dset(GICD_ISENABLER, a);
    dset(GICD_ISPENDR, a);
    v = iar();
    check_eq("eoi-edge-iar", "IAR-SPI_A", v - a, 0);
    check("eoi-edge-active", dbit(GICD_ISACTIVER, a) == 1 && dbit(GICD_ISPENDR, a) == 0,
          "active=%lu pending=%lu after IAR", (unsigned long)dbit(GICD_ISACTIVER, a),
          (unsigned long)dbit(GICD_ISPENDR, a));
    dset(GICD_ISPENDR, a);
    check("eoi-edge-active-pending", dbit(GICD_ISACTIVER, a) == 1 && dbit(GICD_ISPENDR, a) == 1,
          "active=%lu pending=%lu after set-pending", (unsigned long)dbit(GICD_ISACTIVER, a),
          (unsigned long)dbit(GICD_ISPENDR, a));
    check_eq("eoi-edge-not-reacked", "IAR", iar(), SPURIOUS);
    if (v < 1020)
        eoi(v);
    check("eoi-edge-pending", dbit(GICD_ISACTIVER, a) == 0 && dbit(GICD_ISPENDR, a) == 1,
          "active=%lu pending=%lu after EOI", (unsigned long)dbit(GICD_ISACTIVER, a),
          (unsigned long)dbit(GICD_ISPENDR, a));
    v = iar();
    check_eq("eoi-edge-iar2", "IAR-SPI_A", v - a, 0);
    if (v < 1020)
        eoi(v);
    check("eoi-edge-idle", dbit(GICD_ISACTIVER, a) == 0 && dbit(GICD_ISPENDR, a) == 0,
          "active=%lu pending=%lu after the second EOI", (unsigned long)dbit(GICD_ISACTIVER, a),
          (unsigned long)dbit(GICD_ISPENDR, a));
    dset(GICD_ICENABLER, a);

    /* level-sensitive timer: stays pending while its output is asserted */
    struct timer *t = LEVEL_TIMER;
    char name[48];
#define N(s) (snprintf(name, sizeof name, "eoi-level-%s-%s", t->name, s), name)
    timer_enable(t);
    timer_mode(t, 0);
    t->oneshot();
    t->deadline_start();
    while (!dbit(GICD_ISPENDR, t->id) && !t->deadline())
        WFI();                  /* CPSR.I set: wakes, not taken */
    check_eq(N("pending"), "ISPENDR bit", dbit(GICD_ISPENDR, t->id), 1);
    v = iar();
    check_eq(N("iar"), "IAR-timer", v - t->id, 0);
    check("eoi-level-active-pending", dbit(GICD_ISACTIVER, t->id) == 1 && dbit(GICD_ISPENDR, t->id) == 1,
          "active=%lu pending=%lu after IAR, output still asserted",
          (unsigned long)dbit(GICD_ISACTIVER, t->id), (unsigned long)dbit(GICD_ISPENDR, t->id));
    if (v < 1020)
        eoi(v);
    check("eoi-level-repending", dbit(GICD_ISACTIVER, t->id) == 0 && dbit(GICD_ISPENDR, t->id) == 1,
          "active=%lu pending=%lu after EOI without clearing the source",
          (unsigned long)dbit(GICD_ISACTIVER, t->id), (unsigned long)dbit(GICD_ISPENDR, t->id));
    check_eq(N("hppir"), "HPPIR-timer", hppir() - t->id, 0);
    v = iar();
    check_eq(N("iar2"), "IAR-timer", v - t->id, 0);
    t->stop();                  /* clear the source */
    barrier();
    check("eoi-level-cleared", dbit(GICD_ISACTIVER, t->id) == 1 && dbit(GICD_ISPENDR, t->id) == 0,
          "active=%lu pending=%lu after clearing the source",
          (unsigned long)dbit(GICD_ISACTIVER, t->id), (unsigned long)dbit(GICD_ISPENDR, t->id));
    if (v < 1020)
        eoi(v);
    check_eq(N("inactive"), "ISACTIVER bit", dbit(GICD_ISACTIVER, t->id), 0);
    check_eq(N("iar-idle"), "IAR", iar(), SPURIOUS);
    timer_disable(t);
#undef N
}

/* ---- 8. binary point --------------------------------------------------- */
static volatile uint32_t g_bp_taken;
static void bp_on_irq(uint32_t id)
{
    if (id != 8)
        return;
    unsigned n0 = H.n;
    CPSIE(i);
    sgi(SGIR_SELF | 9);
    spin_until(n0 + 1, SPIN_TAKEN / 10);
    g_bp_taken = H.n - n0;
    CPSID(i);
}

static void test_bpr(void)
{
    wr32(C(GICC_BPR), 0);
    barrier();
    uint32_t min = rd32(C(GICC_BPR)) & 7;
    wr32(C(GICC_BPR), min);
    barrier();
    uint32_t again = rd32(C(GICC_BPR)) & 7;
    check("bpr-min", min <= 3 && again == min,
          "writing 0 gives the minimum binary point (<= 3), which reads back: %s",
          (min <= 3 && again == min) ? "yes" : "no");
    wr32(C(GICC_BPR), 4);
    barrier();
    check_eq("bpr-4", "BPR", rd32(C(GICC_BPR)) & 7, 4);
    wr32(C(GICC_BPR), 7);
    barrier();
    check_eq("bpr-7", "BPR", rd32(C(GICC_BPR)) & 7, 7);

    /* SGI 8 = 0x90 active, SGI 9 = 0x80 pending: same group priority 0x80
     * with BPR 4 (group = bits [7:5]): no preemption; BPR 3 (bits [7:4]):
     * 0x80 > 0x90 preempts. */
    set_prio(8, 0x90);
    set_prio(9, 0x80);
    static const uint32_t bprs[2] = { 4, 3 };
    static const uint32_t exp[2] = { 0, 1 };
    char name[32];
    g_on_irq = bp_on_irq;
    for (unsigned i = 0; i < 2; i++) {
        if (bprs[i] < min)
            continue;
        wr32(C(GICC_BPR), bprs[i]);
        barrier();
        log_reset();
        g_bp_taken = 0xFF;
        CPSIE(i);
        sgi(SGIR_SELF | 8);
        spin_until(2, SPIN_TAKEN);
        CPSID(i);
        snprintf(name, sizeof name, "bpr%lu-preempt", (unsigned long)bprs[i]);
        check(name, g_bp_taken == exp[i] && H.n == 2,
              "0x80 while 0x90 is active: %s (expected %s)",
              g_bp_taken == 1 ? "preempts" : g_bp_taken == 0 ? "waits" : "?",
              exp[i] ? "preempts" : "waits");
    }
    g_on_irq = 0;
    wr32(C(GICC_BPR), min);
    barrier();
}

int main(void)
{
    gprintf("irq: GICv2 distributor/CPU interface, SGIs, timers, priorities (%s)\n",
            GUEST_BOARD);
    exc_set_hook(VEC_IRQ, irq_hook);
    timers_init();
    gic_init();

    test_distributor();
    test_spurious();
    test_sgi();
    test_timers();
    test_masking();
    test_priority();
    test_eoi();
    test_bpr();

    /* leave nothing enabled or active */
    wr32(D(GICD_CTLR), 0);
    wr32(C(GICC_CTLR), 0);
    check_eq("no-unexpected", "count", g_unexpected_exceptions, 0);
    return test_result("irq");
}
