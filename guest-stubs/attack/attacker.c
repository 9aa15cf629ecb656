/*
 * attacker.c - isolation test, PV only (GUEST_PV_ONLY in guests.mk): a guest
 * that turns its MMU on and points its translation tables everywhere it may
 * not go.  Natively QEMU has real memory and devices at those addresses, so
 * there is no native build to compare with; tests/integration/run-all.sh
 * ("isolation") runs it next to guest-stubs/tests/victim.c.
 *
 * Under the monitor a guest owns only its RAM (IPA RAM_BASE .. +16 MiB here)
 * and its emulated UART page (IPA UART_BASE); everything else in its IPA
 * space is "no memory": the monitor's image and page pool and the other
 * guests' RAM (host RAM_BASE .. +256 MiB) are not reachable by any IPA.
 * What the attacker must see (ARM ARM DDI 0406C, B3.13.3, Table B3-23,
 * short-descriptor fault status):
 *   (a) a mapping of any IPA outside its RAM: synchronous external abort,
 *       FS = 0b01000 (DFSR 0x008, +WnR 0x800 for stores; domain field not
 *       valid), DFAR = the VA (B4.1.52); instruction fetch: IFSR 0x008,
 *       IFAR = the VA.  Every 1 MiB of the IPA space outside its RAM is
 *       probed once with a store and once with a load (VA = IPA; the IPAs
 *       0xBF000000-0xBFFFFFFF through the VAs SPARE-SPARE+16 MiB, because
 *       those VAs are the monitor window).  Probe offsets lie in the upper
 *       half of each MiB, away from the UART page.
 *   (b) a level 1 page-table descriptor whose level 2 table lies outside
 *       its RAM: synchronous external abort on translation table walk,
 *       second level, FS = 0b01110 (0x00E), domain field VALID (the L1
 *       descriptor's domain).
 *   (c) TTBR0 outside its RAM (TTBCR.N = 2: VAs below 0x40000000 use TTBR0;
 *       with RAM_BASE >= 0x40000000 the attacker's code, data and stacks
 *       keep running through TTBR1 = its good table): walk abort, first
 *       level, FS = 0b01100 (0x00C), domain field not valid.  With its RAM
 *       at 0 (RealView PB-A8) the roles swap: TTBR1 (VAs >= 0x40000000) is
 *       the bad one and the checks are named ttbr1-outside-N.
 * SPARE: 16 MiB of IPA/VA space that is neither its RAM nor the window:
 * 0x00000000 when its RAM is high, 0x40000000 when its RAM is at 0.
 *   HC_WRITE from a buffer outside its RAM: -EFAULT, nothing printed.
 *   (d) last: the window VA 0xBF000000-0xBFFFFFFF unmapped in its own
 *       table is its own translation fault (0x005); mapped (onto its own
 *       RAM) and touched, the monitor stops the guest ("... inside the
 *       monitor window ...", docs/memory-map.md).
 *   real-devices: the board's devices no guest is given (REAL_DEVS), at
 *       their exact addresses: external abort 0x008 like any other IPA.
 * The sweep yields (HC_YIELD) every 16 MiB so the victim interleaves.
 */
#include <stdio.h>
#include <string.h>
#include "guest.h"

#ifndef PV
#error "attacker is a PV-only guest (see guests.mk GUEST_PV_ONLY)"
#endif

uint32_t att_ldr(uint32_t va);
void     att_str(uint32_t va, uint32_t val);
uint32_t att_exec(uint32_t va);
extern char att_ldr_insn[], att_str_insn[], att_exec_ret[];

#define RB          ((uint32_t)RAM_BASE)
#define RAM_SIZE    0x1000000u                  /* the VM file gives 16 MiB */
#define IPA(off)    (RB + (uint32_t)(off))
#define OFF_L1      0x600000                    /* TTBR0 and TTBR1 */
#define OFF_L2      0x604000                    /* an L2 table in own RAM */
#define FAULT_VAL   0xDEADDEADu
#define WINDOW_MB   0xBF0u                      /* 0xBF000000-0xBFFFFFFF */
#define VA_WALK     0x30000000u                 /* (b): L1 page-table entry */
#define VA_TTBR0    0x10000040u                 /* (c): below 0x40000000 */
#define WNR         0x800u
#define SPARE       (RB >= 0x01000000u ? 0x00000000u : 0x40000000u)
#define RAM_LOW     (RB < 0x40000000u)          /* its code is below the TTBR split */
/* with RAM at 0, TTBR1 (table base = bits [31:14]) = UART_BASE & ~0x3FFF puts
 * the walk of VA 0x50000040 (L1 offset 0x1400) into the UART's own page */
#define VA_TTBRX    (RAM_LOW ? 0x50000040u : VA_TTBR0)

static inline uint32_t pat(uint32_t va) { return 0xA77A0000u | (va >> 20); }
static inline int own_mb(uint32_t mb) { return mb - (RB >> 20) < (RAM_SIZE >> 20); }
static inline int window_mb(uint32_t mb) { return mb - WINDOW_MB < 16; }
static inline uint32_t probe_off(uint32_t mb) { return 0x80000u + ((mb * 0x2468u) & 0x7FFFCu); }

/* ---- descriptors (B3.5.1): AP = 011, Normal WB (TEX=001 C=1 B=1) ------- */
static uint32_t sec(uint32_t ipa, unsigned dom)
{
    return (ipa & 0xFFF00000u) | (1u << 12) | (3u << 10) | ((dom & 15u) << 5) | (1u << 3) |
           (1u << 2) | 2u;
}
static uint32_t l1pt(uint32_t l2ipa, unsigned dom)
{
    return (l2ipa & 0xFFFFFC00u) | ((dom & 15u) << 5) | 1u;
}
static uint32_t spg(uint32_t ipa)
{
    return (ipa & 0xFFFFF000u) | (1u << 6) | (3u << 4) | (1u << 3) | (1u << 2) | 2u;
}

/* ---- CP15 --------------------------------------------------------------- */
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dccmvac(const volatile void *p)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c10, 1" :: "r"(p) : "memory");
}
static inline void bpiall(void) { __asm__ volatile("mcr p15, 0, %0, c7, c5, 6" :: "r"(0) : "memory"); }
static inline void tlbiall(void) { __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory"); }
static inline void tlbimva(uint32_t va)
{
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" :: "r"(va & 0xFFFFF000u) : "memory");
}
static void tlb_sync(void) { dsb(); bpiall(); dsb(); isb(); }
static void flush_all(void) { dsb(); tlbiall(); tlb_sync(); }

static uint32_t *const l1 = (uint32_t *)IPA(OFF_L1);

/* write one descriptor, make it visible to walks, invalidate va (B3.10.1) */
static void set_desc(uint32_t *p, uint32_t desc, uint32_t va)
{
    *(volatile uint32_t *)p = desc;
    dccmvac(p);
    dsb();
    tlbimva(va);
    tlb_sync();
}

/* ---- abort hooks ------------------------------------------------------------ */
static volatile struct {
    unsigned n;
    uint32_t fsr, far;
} ab;
static uint32_t g_exec_va = 1;                  /* the VA the PABT hook accepts */

static int dabt_hook(struct exc_frame *f)
{
    uint32_t insn = f->pc - 8;
    if (insn != (uint32_t)att_ldr_insn && insn != (uint32_t)att_str_insn)
        return 0;                               /* not a probe: unexpected */
    ab.n++;
    ab.fsr = CP15_READ(0, c5, c0, 0);
    ab.far = CP15_READ(0, c6, c0, 0);
    f->r[0] = FAULT_VAL;
    f->pc -= 4;                                 /* resume after the probe */
    return 1;
}

static int pabt_hook(struct exc_frame *f)
{
    uint32_t ifar = CP15_READ(0, c6, c0, 2);
    if (ifar != g_exec_va)
        return 0;
    ab.n++;
    ab.fsr = CP15_READ(0, c5, c0, 1);
    ab.far = ifar;
    f->r[0] = FAULT_VAL;
    f->pc = (uint32_t)att_exec_ret;
    return 1;
}

/* ---- probes ----------------------------------------------------------------- */
/* A set of probes that must all abort with one fault status. */
struct tally {
    const char *name;
    unsigned n, bad;
    uint32_t fsr_mask, exp;                     /* expected (DFSR & fsr_mask), WnR added */
    uint32_t first_va, first_fsr, first_far, first_r0;
    int first_faulted, first_write;
};

static void probe(struct tally *t, uint32_t va, int write)
{
    unsigned n0 = ab.n;
    uint32_t r0 = 0;
    if (write)
        att_str(va, pat(va));
    else
        r0 = att_ldr(va);
    int faulted = ab.n == n0 + 1;
    uint32_t exp = t->exp | (write ? WNR : 0);
    t->n++;
    if (faulted && (ab.fsr & t->fsr_mask) == exp && ab.far == va)
        return;
    if (!t->bad++) {
        t->first_va = va;
        t->first_faulted = faulted;
        t->first_write = write;
        t->first_fsr = faulted ? ab.fsr : 0;
        t->first_far = faulted ? ab.far : 0;
        t->first_r0 = r0;
    }
}

static void report(struct tally *t, const char *what)
{
    if (!t->bad) {
        check(t->name, 1, "%u %s: all aborted, DFSR=0x%03lx (+WnR), DFAR=VA",
              t->n, what, (unsigned long)t->exp);
    } else if (t->first_faulted) {
        check(t->name, 0, "%u of %u wrong; first VA 0x%08lx (%s): DFSR=0x%03lx DFAR=0x%08lx "
              "expected DFSR=0x%03lx DFAR=VA", t->bad, t->n, (unsigned long)t->first_va,
              t->first_write ? "store" : "load", (unsigned long)t->first_fsr,
              (unsigned long)t->first_far, (unsigned long)(t->exp | (t->first_write ? WNR : 0)));
    } else if (t->first_write) {
        check(t->name, 0, "%u of %u wrong; first VA 0x%08lx: store did NOT abort, expected "
              "DFSR=0x%03lx", t->bad, t->n, (unsigned long)t->first_va,
              (unsigned long)(t->exp | WNR));
    } else {
        check(t->name, 0, "%u of %u wrong; first VA 0x%08lx: load did NOT abort, returned "
              "0x%08lx, expected DFSR=0x%03lx", t->bad, t->n, (unsigned long)t->first_va,
              (unsigned long)t->first_r0, (unsigned long)t->exp);
    }
}

/* ---- setup ------------------------------------------------------------------ */
static void build_table(void)
{
    for (uint32_t mb = 0; mb < 4096; mb++)
        l1[mb] = window_mb(mb) ? 0 : sec(mb << 20, 0);      /* VA = IPA everywhere else */
    memset((void *)IPA(OFF_L2), 0, 0x400);
    for (uint32_t p = IPA(OFF_L1); p < IPA(OFF_L2 + 0x400); p += 32)
        dccmvac((void *)p);
    dsb();
}

static void mmu_on(void)
{
    CP15_WRITE(0, c2, c0, 2, 0);                /* TTBCR.N = 0 */
    CP15_WRITE(0, c2, c0, 0, IPA(OFF_L1));      /* TTBR0 */
    CP15_WRITE(0, c2, c0, 1, IPA(OFF_L1));      /* TTBR1 */
    CP15_WRITE(0, c3, c0, 0, 0x55555555u);      /* DACR: all client */
    CP15_WRITE(0, c13, c0, 1, 0);               /* CONTEXTIDR */
    flush_all();
    uint32_t s = CP15_READ(0, c1, c0, 0);
    s &= ~((1u << 28) | (1u << 29) | (1u << 19) | (1u << 20) | SCTLR_A);   /* TRE AFE WXN UWXN */
    CP15_WRITE(0, c1, c0, 0, s | SCTLR_M);
    tlb_sync();
    check_eq("mmu-on", "SCTLR.M", CP15_READ(0, c1, c0, 0) & SCTLR_M, SCTLR_M);
}

/* ---- (a) every MiB outside own RAM ------------------------------------------ */
static unsigned g_expected_aborts;

static void sweep(void)
{
    struct tally st = { .name = "sweep-store", .fsr_mask = 0xC0F, .exp = 0x008 };
    struct tally ld = { .name = "sweep-load", .fsr_mask = 0xC0F, .exp = 0x008 };
    unsigned k = 0;
    for (uint32_t mb = 0; mb < 4096; mb++) {
        if (own_mb(mb) || window_mb(mb))
            continue;
        uint32_t va = (mb << 20) + probe_off(mb);
        probe(&st, va, 1);
        probe(&ld, va, 0);
        if ((++k & 15) == 0)
            hc_yield();
    }
    g_expected_aborts += st.n + ld.n;
    report(&st, "stores, one per MiB outside own RAM and window, VA=IPA");
    report(&ld, "loads of the same VAs");

    /* the window's IPAs, through the VAs SPARE..SPARE+16 MiB */
    struct tally wi = { .name = "window-ipas", .fsr_mask = 0xC0F, .exp = 0x008 };
    for (uint32_t j = 0; j < 16; j++) {
        uint32_t e = (SPARE >> 20) + j, va = (e << 20) + probe_off(WINDOW_MB + j);
        set_desc(&l1[e], sec((WINDOW_MB + j) << 20, 0), va);
        probe(&wi, va, 1);
        probe(&wi, va, 0);
        set_desc(&l1[e], sec(e << 20, 0), va);
    }
    g_expected_aborts += wi.n;
    report(&wi, SPARE ? "stores+loads to IPAs 0xbf000000-0xbfffffff via VAs 0x40000000-0x40ffffff"
                      : "stores+loads to IPAs 0xbf000000-0xbfffffff via VAs 0-0x00ffffff");

    /* instruction fetches from outside own RAM */
    static const uint32_t xva[] = { SPARE + 0x00080000u, RB + RAM_SIZE, RB + 0x0FF00000u, 0xC0000000u };
    unsigned xbad = 0;
    char bad_txt[96] = "";
    for (unsigned i = 0; i < 4; i++) {
        unsigned n0 = ab.n;
        g_exec_va = xva[i];
        uint32_t r = att_exec(xva[i]);
        g_exec_va = 1;
        int faulted = ab.n == n0 + 1;
        if (faulted)
            g_expected_aborts++;
        if (!faulted || (ab.fsr & 0x40F) != 0x008 || ab.far != xva[i] || r != FAULT_VAL) {
            if (!xbad++)
                snprintf(bad_txt, sizeof bad_txt, "VA 0x%08lx: %s IFSR=0x%03lx IFAR=0x%08lx",
                         (unsigned long)xva[i], faulted ? "abort" : "NO abort",
                         (unsigned long)ab.fsr, (unsigned long)ab.far);
        }
    }
    if (!xbad)
        check("exec-outside", 1, "4 instruction fetches outside own RAM: prefetch aborts "
              "IFSR=0x008, IFAR=VA");
    else
        check("exec-outside", 0, "%u of 4 wrong; first %s expected prefetch abort IFSR=0x008 "
              "IFAR=VA", xbad, bad_txt);

    /* the one thing outside RAM that answers: the guest's own emulated UART */
    unsigned n0 = ab.n;
    uint32_t id = att_ldr((uint32_t)UART_BASE + 0xFE0);
    if (ab.n != n0)
        check("own-uart", 0, "UARTPeriphID0 at IPA 0x%08lx: data abort DFSR=0x%03lx expected 0x11",
              (unsigned long)UART_BASE, (unsigned long)ab.fsr);
    else
        check("own-uart", id == 0x11, "IPA 0x%08lx is its own emulated PL011: "
              "UARTPeriphID0=0x%02lx%s", (unsigned long)UART_BASE, (unsigned long)id,
              id == 0x11 ? "" : " expected 0x11");
}

/* ---- the board's real devices that are not its own ---------------------------- */
/* REAL_DEVS (guests.mk, per board): physical addresses of devices the board
 * has and the monitor gives no guest (RTC, GPIO, virtio, SCU, system
 * registers, second UART, ...).  Through its own page tables (VA = IPA),
 * each is "no memory" for a guest: a synchronous external abort, never the
 * device (B3.13.3). */
static const uint32_t real_devs[] = { REAL_DEVS };

static void real_devices(void)
{
    struct tally t = { .name = "real-devices", .fsr_mask = 0xC0F, .exp = 0x008 };
    char what[64];
    for (unsigned i = 0; i < sizeof real_devs / sizeof real_devs[0]; i++) {
        probe(&t, real_devs[i], 0);
        probe(&t, real_devs[i] + 4, 1);
    }
    g_expected_aborts += t.n;
    snprintf(what, sizeof what, "loads+stores at %u real device registers of the board",
             (unsigned)(sizeof real_devs / sizeof real_devs[0]));
    report(&t, what);
}

/* no store of the sweep landed in its own RAM (outside the image, where
 * literal pools and the stack may hold pattern values legitimately) */
static void no_write_landed(void)
{
    unsigned hits = 0;
    uint32_t first = 0;
    for (uint32_t a = RB; a < RB + RAM_SIZE; a += 4) {
        if (a == IPA(0x100000)) {
            a = IPA(0x500000) - 4;              /* skip the image: +1 MiB .. +5 MiB */
            continue;
        }
        if ((*(volatile uint32_t *)a & 0xFFFFF000u) == 0xA77A0000u && !hits++)
            first = a;
    }
    if (hits)
        check("no-write-landed", 0, "%u aborts counted (expected %u); %u pattern words in own "
              "RAM, first at 0x%08lx", ab.n, g_expected_aborts, hits, (unsigned long)first);
    else
        check("no-write-landed", ab.n == g_expected_aborts, "%u aborts counted (expected %u), "
              "no load returned data, no write landed", ab.n, g_expected_aborts);
}

/* ---- (b) level 2 table outside own RAM -------------------------------------- */
static const uint32_t bad_ipa[] = {
    RB + RAM_SIZE,                  /* just past its RAM: another guest's host RAM */
    RB + 0x0FFFF000u,               /* the top of the host's RAM */
    0xBF000000u,                    /* the monitor's VA window, as an IPA */
    SPARE,
    (uint32_t)UART_BASE,            /* its emulated UART: a walk must not read devices */
};
#define N_BAD (sizeof bad_ipa / sizeof bad_ipa[0])

static void walk_l2_outside(void)
{
    uint32_t *pe = &l1[VA_WALK >> 20];
    for (unsigned i = 0; i < N_BAD; i++) {
        char nm[32];
        struct tally t = { .fsr_mask = 0xCFF, .exp = 0x00E | (5u << 4) };   /* domain 5 valid */
        snprintf(nm, sizeof nm, "l2-outside-%u", i);
        t.name = nm;
        set_desc(pe, l1pt(bad_ipa[i] + 0x400, 5), VA_WALK);
        probe(&t, VA_WALK + 0x1230, 0);
        probe(&t, VA_WALK + 0x1230, 1);
        g_expected_aborts += t.n;
        if (!t.bad)
            check(nm, 1, "L2 table at IPA 0x%08lx: load DFSR=0x%03lx, store DFSR=0x%03lx "
                  "(external abort on 2nd-level walk, domain 5), DFAR=VA",
                  (unsigned long)(bad_ipa[i] + 0x400), (unsigned long)(0x05E),
                  (unsigned long)(0x85E));
        else
            report(&t, "accesses through an L2 table outside own RAM");
    }
    /* an L2 table in own RAM whose small page lies outside it */
    struct tally pg = { .name = "page-outside", .fsr_mask = 0xC0F, .exp = 0x008 };
    uint32_t *l2 = (uint32_t *)IPA(OFF_L2);
    l2[1] = spg(RB + RAM_SIZE + 0x3000);
    dccmvac(&l2[1]);
    set_desc(pe, l1pt(IPA(OFF_L2), 5), VA_WALK);
    probe(&pg, VA_WALK + 0x1234, 0);
    probe(&pg, VA_WALK + 0x1234, 1);
    g_expected_aborts += pg.n;
    report(&pg, "accesses to a small page at IPA RAM_BASE+16M+0x3000");
    set_desc(pe, sec(VA_WALK, 0), VA_WALK);
}

/* ---- (c) TTBR0 outside own RAM ------------------------------------------------ */
static void ttbr0_outside(void)
{
    struct res { int faulted; uint32_t fsr, far, r0; } r[N_BAD][2];
    const char *ttbr = RAM_LOW ? "TTBR1" : "TTBR0";
    /* N = 2: VA < 0x40000000 -> TTBR0, the rest -> TTBR1 (B3.5.4).  The
     * one of the two that does not hold its code, data, stacks and vectors
     * gets the bad table.  Nothing is printed until both are good again. */
    CP15_WRITE(0, c2, c0, 2, 2);
    flush_all();
    for (unsigned i = 0; i < N_BAD; i++) {
        if (RAM_LOW)
            CP15_WRITE(0, c2, c0, 1, bad_ipa[i]);   /* base = bits [31:14] */
        else
            CP15_WRITE(0, c2, c0, 0, bad_ipa[i]);   /* 4 KiB aligned, as N = 2 needs */
        flush_all();
        for (int w = 0; w < 2; w++) {
            unsigned n0 = ab.n;
            uint32_t r0 = 0;
            if (w)
                att_str(VA_TTBRX, 0x5A5A5A5Au);
            else
                r0 = att_ldr(VA_TTBRX);
            r[i][w] = (struct res){ ab.n == n0 + 1, ab.fsr, ab.far, r0 };
        }
    }
    CP15_WRITE(0, c2, c0, 0, IPA(OFF_L1));
    CP15_WRITE(0, c2, c0, 1, IPA(OFF_L1));
    CP15_WRITE(0, c2, c0, 2, 0);
    flush_all();
    for (unsigned i = 0; i < N_BAD; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "ttbr%d-outside-%u", RAM_LOW ? 1 : 0, i);
        int ok = 1;
        for (int w = 0; w < 2; w++) {
            if (r[i][w].faulted)
                g_expected_aborts++;
            ok &= r[i][w].faulted && (r[i][w].fsr & 0xC0F) == (0x00Cu | (w ? WNR : 0)) &&
                  r[i][w].far == VA_TTBRX;
        }
        if (ok)
            check(nm, 1, "%s=0x%08lx: load DFSR=0x%03lx, store DFSR=0x%03lx (external abort "
                  "on 1st-level walk), DFAR=VA", ttbr, (unsigned long)bad_ipa[i],
                  (unsigned long)(r[i][0].fsr & 0xC0F), (unsigned long)(r[i][1].fsr & 0xC0F));
        else
            check(nm, 0, "%s=0x%08lx: load %s DFSR=0x%03lx DFAR=0x%08lx r0=0x%08lx, store %s "
                  "DFSR=0x%03lx DFAR=0x%08lx expected 0x00C/0x80C DFAR=0x%08lx",
                  ttbr, (unsigned long)bad_ipa[i], r[i][0].faulted ? "abort" : "NO abort",
                  (unsigned long)r[i][0].fsr, (unsigned long)r[i][0].far,
                  (unsigned long)r[i][0].r0, r[i][1].faulted ? "abort" : "NO abort",
                  (unsigned long)r[i][1].fsr, (unsigned long)r[i][1].far,
                  (unsigned long)VA_TTBRX);
    }
}

/* ---- hypercalls with buffers outside own RAM -------------------------------- */
static void hc_outside(void)
{
    static const struct { uint32_t va, len; const char *what; } b[] = {
        { RB + RAM_SIZE, 16, "past its RAM" },
        { RB + RAM_SIZE - 8, 16, "straddling the end of its RAM" },
        { SPARE + 0x80000u, 16, "outside its RAM, below 0x41000000" },
        { (uint32_t)UART_BASE, 4, "its emulated UART" },
    };
    for (unsigned i = 0; i < 4; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "hc-write-outside-%u", i);
        long r = hc_write((const void *)b[i].va, b[i].len);
        check(nm, r == PV_EFAULT, "HC_WRITE from VA 0x%08lx (%s): %ld%s",
              (unsigned long)b[i].va, b[i].what, r, r == PV_EFAULT ? " (-EFAULT)" : " expected -14");
    }
}

/* ---- (d) the monitor window ----------------------------------------------------- */
static void window_unmapped(void)
{
    struct tally t = { .name = "window-unmapped", .fsr_mask = 0xC0F, .exp = 0x005 };
    probe(&t, 0xBF000100u, 0);
    /* the last MiB holds the SRFA page at 0xBFFFF000 (pv-abi.h), which its
     * kernel view may use; the rest of that MiB is as unmapped as the window */
    probe(&t, 0xBFFFEF00u, 1);
    g_expected_aborts += t.n;
    report(&t, "accesses to window VAs unmapped in its own table (its own fault)");
}

int main(void)
{
    gprintf("attacker: RAM IPA 0x%08lx-0x%08lx; probing every other IPA with its MMU on\n",
            (unsigned long)RB, (unsigned long)(RB + RAM_SIZE - 1));
    exc_set_hook(VEC_DABT, dabt_hook);
    exc_set_hook(VEC_PABT, pabt_hook);
    build_table();
    mmu_on();
    sweep();
    real_devices();
    walk_l2_outside();
    ttbr0_outside();
    hc_outside();
    window_unmapped();
    no_write_landed();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    test_result("attacker");

    /* last: a VA inside the monitor window, mapped onto its own RAM */
    gprintf("attacker: mapping VA 0xbf000000 (monitor window) onto its own RAM and storing: "
            "the monitor must stop this guest\n");
    set_desc(&l1[WINDOW_MB], sec(IPA(0xF00000), 0), 0xBF000000u);
    unsigned n0 = ab.n;
    att_str(0xBF000040u, 0x0BADC0DEu);
    check("window-stop", 0, "still running after storing to VA 0xbf000040 (%s)",
          ab.n != n0 ? "got a data abort" : "the store went through");
    return 1;
}
