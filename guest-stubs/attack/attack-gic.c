/*
 * attack-gic.c - abuse of the guest's virtual GIC, PV only (run beside
 * victim.c by tests/integration/run-all.sh "attacks"; docs/security.md).
 * GIC Architecture Specification v2 (IHI 0048B) section numbers.
 *
 *   gic-reserved-raz   every reserved (unassigned) distributor word (past
 *                      the 96 implemented interrupts in each bank, 0xC18-
 *                      0xEFC, 0xF04-0xF0C, 0xF30-0xFCC) and CPU interface word
 *                      (0x20-0xF8; 0xFC is GICC_IIDR): reads as zero (4.1.2)
 *   gic-reserved-wi    ~0 written to all of them, as words and bytes: no
 *                      implemented register changed (snapshot before/after)
 *   gic-past-frame     a load just past the distributor's 4 KiB: external
 *                      abort, DFSR 0x008, DFAR = the address
 *   sgi-absent-*       GICD_SGIR to CPU interfaces that do not exist (target
 *                      list 0xFE), to "all but self" (there is no other),
 *                      and with the reserved filter 3: nothing pending,
 *                      no interrupt (4.3.15)
 *   sgi-self           filter "self": exactly one interrupt, ID = the SGI
 *   prio-mask          PMR 0 masks everything; an SGI with priority 0xF8
 *                      is not signalled under PMR 0xF0, is under 0xFF
 *   target-ro          ITARGETSR of SGIs is read-only; an SPI's target byte
 *                      keeps only the one CPU's bit (4.3.12)
 *   eoi-abuse          EOIR of 1023, 1022, 96, 500 and a not-active ID: ignored;
 *                      the next SGI is delivered exactly once
 *   ack-storm          16 SGIs nested (each of higher priority) with IRQs
 *                      masked, then 24 more IAR reads: 1023 each; EOIs in
 *                      reverse leave nothing active
 *   irq-storm          20000 self-SGIs taken and completed one by one
 */
#include <stdio.h>
#include "attack.h"

#ifndef PV
#error "attack-gic is a PV-only guest"
#endif

#define D(off)  ((volatile uint32_t *)((uintptr_t)GICD_BASE + (off)))
#define D8(off) ((volatile uint8_t *)((uintptr_t)GICD_BASE + (off)))
#define C(off)  ((volatile uint32_t *)((uintptr_t)GICC_BASE + (off)))
#define GICD_CTLR 0x000
#define GICD_SGIR 0xF00
#define GICD_SPENDSGIR 0xF20
#define GICD_ISACTIVER 0x300
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08
#define GICC_IAR  0x0C
#define GICC_EOIR 0x10

static const struct { uint16_t lo, hi; } dres[] = {     /* [lo, hi) word offsets */
    { 0x10C, 0x180 }, { 0x18C, 0x200 }, { 0x20C, 0x280 }, { 0x28C, 0x300 }, { 0x30C, 0x380 },
    { 0x38C, 0x400 }, { 0x460, 0x7FC }, { 0x860, 0xBFC }, { 0xC18, 0xF00 }, { 0xF04, 0xF10 },
    { 0xF30, 0xFD0 },
};

static volatile struct { unsigned n, last, spurious; } H;

static int irq_hook(struct exc_frame *f)
{
    uint32_t v = *C(GICC_IAR), id = v & 0x3FF;

    f->pc -= 4;
    if (id >= 1020) {
        H.spurious++;
        return 1;
    }
    H.n++;
    H.last = v;
    *C(GICC_EOIR) = v;
    return 1;
}

static unsigned spin(unsigned target)
{
    for (unsigned i = 0; i < 20000 && H.n < target; i++)
        __asm__ volatile("" ::: "memory");
    return H.n;
}

/* the implemented state a guest can read back */
#define NSNAP (1 + 3 * 6 + 24 + 24 + 6 + 3)
static void snapshot(uint32_t *s)
{
    unsigned k = 0;
    s[k++] = *D(GICD_CTLR);
    for (unsigned b = 0; b < 6; b++)
        for (unsigned w = 0; w < 3; w++)
            s[k++] = *D(0x100 + 0x80 * b + 4 * w);
    for (unsigned w = 0; w < 24; w++)
        s[k++] = *D(GICD_IPRIORITYR + 4 * w);
    for (unsigned w = 0; w < 24; w++)
        s[k++] = *D(GICD_ITARGETSR + 4 * w);
    for (unsigned w = 0; w < 6; w++)
        s[k++] = *D(0xC00 + 4 * w);
    s[k++] = *C(GICC_CTLR);
    s[k++] = *C(GICC_PMR);
    s[k++] = *C(GICC_BPR);
}

static void reserved(void)
{
    unsigned nz = 0, words = 0;
    uint32_t first = 0, before[NSNAP], after[NSNAP];

    for (unsigned r = 0; r < sizeof dres / sizeof dres[0]; r++)
        for (uint32_t o = dres[r].lo; o < dres[r].hi; o += 4, words++)
            if (*D(o) && !nz++)
                first = o;
    for (uint32_t o = 0x20; o < 0xFC; o += 4, words++)
        if (*C(o) && !nz++)
            first = 0x10000 | o;
    check("gic-reserved-raz", nz == 0, "%u reserved distributor and CPU interface words read: "
          "%u not zero%s0x%lx", words, nz, nz ? ", first at " : " ", (unsigned long)first);

    snapshot(before);
    for (unsigned r = 0; r < sizeof dres / sizeof dres[0]; r++)
        for (uint32_t o = dres[r].lo; o < dres[r].hi; o += 4) {
            *D(o) = 0xFFFFFFFFu;
            *D8(o + 1) = 0xFF;
        }
    for (uint32_t o = 0x20; o < 0xFC; o += 4)
        *C(o) = 0xFFFFFFFFu;
    snapshot(after);
    unsigned diff = 0, at = 0;
    for (unsigned k = 0; k < NSNAP; k++)
        if (before[k] != after[k] && !diff++)
            at = k;
    check("gic-reserved-wi", diff == 0, "~0 written to every reserved word and byte: %u of "
          "%u implemented registers changed (first: snapshot word %u)", diff, NSNAP, at);
}

static volatile struct { unsigned n; uint32_t fsr, far; } ab;
static int dabt_hook(struct exc_frame *f)
{
    if (f->pc - 8 != ATT_WORD_VA)
        return 0;
    ab.n++;
    ab.fsr = CP15_READ(0, c5, c0, 0);
    ab.far = CP15_READ(0, c6, c0, 0);
    f->pc -= 4;
    return 1;
}

static void past_frame(void)
{
    uint32_t a = (uint32_t)GICD_BASE + 0x1000;
    exc_hook_t old = exc_set_hook(VEC_DABT, dabt_hook);
    run_word(0xE5900000u, a, 0, 0, 0);          /* LDR r0, [r0] */
    exc_set_hook(VEC_DABT, old);
    check("gic-past-frame", ab.n == 1 && (ab.fsr & 0x40F) == 0x008 && ab.far == a,
          "load from 0x%08lx: %u abort(s) DFSR=0x%03lx DFAR=0x%08lx (expected 1, 0x008, the address)",
          (unsigned long)a, ab.n, (unsigned long)ab.fsr, (unsigned long)ab.far);
}

static void sgis(void)
{
    static const struct { uint32_t v; const char *nm, *what; } t[] = {
        { (0u << 24) | (0xFEu << 16) | 3, "sgi-absent-list", "target list 0xFE (CPUs 1-7)" },
        { (1u << 24) | (0xFFu << 16) | 3, "sgi-absent-others", "filter 1 (all but self)" },
        { (3u << 24) | (0xFFu << 16) | 3, "sgi-absent-reserved", "filter 3 (reserved)" },
        { (0u << 24) | (0x00u << 16) | 3, "sgi-absent-empty", "empty target list" },
    };
    CPSIE(i);
    for (unsigned i = 0; i < 4; i++) {
        unsigned n0 = H.n;
        *D(GICD_SGIR) = t[i].v;
        unsigned got = spin(n0 + 1) - n0;
        uint32_t pend = *D8(GICD_SPENDSGIR + 3);
        check(t[i].nm, got == 0 && pend == 0, "GICD_SGIR=0x%08lx, %s: %u interrupt(s), "
              "SPENDSGIR[3]=0x%02lx (expected none)", (unsigned long)t[i].v, t[i].what, got,
              (unsigned long)pend);
    }
    unsigned n0 = H.n;
    *D(GICD_SGIR) = (2u << 24) | 5;
    unsigned got = spin(n0 + 2) - n0;
    check("sgi-self", got == 1 && (H.last & 0x1FFF) == 5, "filter 2 (self), SGI 5: %u interrupt(s), "
          "IAR 0x%lx (expected 1, 5)", got, (unsigned long)H.last);
    CPSID(i);
}

static void prio(void)
{
    CPSIE(i);
    unsigned n0 = H.n;
    *C(GICC_PMR) = 0;
    *D(GICD_SGIR) = (2u << 24) | 6;
    unsigned a = spin(n0 + 1) - n0;
    *C(GICC_PMR) = 0xF0;
    unsigned b = spin(n0 + 1) - n0;
    *D8(GICD_IPRIORITYR + 7) = 0xF8;
    *D(GICD_SGIR) = (2u << 24) | 7;
    unsigned c = spin(n0 + 2) - n0;
    *C(GICC_PMR) = 0xFF;
    unsigned d = spin(n0 + 2) - n0;
    *C(GICC_PMR) = 0xF0;
    *D8(GICD_IPRIORITYR + 7) = 0;
    CPSID(i);
    check("prio-mask", a == 0 && b == 1 && c == 1 && d == 2, "PMR 0: %u, PMR 0xF0: %u; SGI prio "
          "0xF8 under PMR 0xF0: %u, under 0xFF: %u (expected 0 1 1 2)", a, b, c, d);
}

static void targets(void)
{
    uint32_t s0 = *D(GICD_ITARGETSR), s3 = *D(GICD_ITARGETSR + 12);
    *D(GICD_ITARGETSR) = 0xFFFFFFFFu;
    *D(GICD_ITARGETSR + 12) = 0xFFFFFFFFu;
    uint32_t spi = IRQ_SPI_A;
    *D8(GICD_ITARGETSR + spi) = 0xFE;
    uint32_t t = *D8(GICD_ITARGETSR + spi);
    *D8(GICD_ITARGETSR + spi) = 0x01;
    check("target-ro", *D(GICD_ITARGETSR) == s0 && *D(GICD_ITARGETSR + 12) == s3 && (t & 0xFE) == 0,
          "SGI target words unchanged by ~0 (0x%08lx 0x%08lx); SPI %lu target 0xFE reads back 0x%02lx "
          "(absent CPUs' bits RAZ)", (unsigned long)*D(GICD_ITARGETSR),
          (unsigned long)*D(GICD_ITARGETSR + 12), (unsigned long)spi, (unsigned long)t);
}

static void eoi_abuse(void)
{
    static const uint32_t ids[] = { 1023, 1022, 96, 500, 0x1C07, 7 };
    for (unsigned i = 0; i < 6; i++)
        *C(GICC_EOIR) = ids[i];
    CPSIE(i);
    unsigned n0 = H.n;
    *D(GICD_SGIR) = (2u << 24) | 8;
    unsigned got = spin(n0 + 2) - n0;
    CPSID(i);
    check("eoi-abuse", got == 1 && (H.last & 0x3FF) == 8, "EOIR of 1023, 1022, 96, 500, 0x1C07 and "
          "inactive 7 ignored; next SGI 8: %u interrupt(s), IAR 0x%lx (expected 1, 8)", got,
          (unsigned long)H.last);
}

/* With IRQs masked, nest all 16 SGIs (each one higher priority than the
 * last, so each can be acknowledged over the others: 3.3), then keep
 * reading IAR: nothing more is acknowledged (1023) */
static void ack_storm(void)
{
    uint32_t seen = 0, acked[16];
    unsigned n = 0, spur = 0, bad = 0;

    for (unsigned id = 0; id < 16; id++)
        *D8(GICD_IPRIORITYR + id) = (uint8_t)(0xE0 - 8 * id);
    for (unsigned id = 0; id < 16; id++) {
        *D8(GICD_SPENDSGIR + id) = 1;
        uint32_t v = *C(GICC_IAR);
        if ((v & 0x3FF) != id)
            bad++;
        seen |= 1u << (v & 31);
        acked[n++] = v;
    }
    for (unsigned i = 0; i < 24; i++)
        if ((*C(GICC_IAR) & 0x3FF) == 1023)
            spur++;
    uint32_t act = *D(GICD_ISACTIVER);
    while (n)
        *C(GICC_EOIR) = acked[--n];
    uint32_t act2 = *D(GICD_ISACTIVER);
    for (unsigned id = 0; id < 16; id++)
        *D8(GICD_IPRIORITYR + id) = 0;
    check("ack-storm", seen == 0xFFFF && bad == 0 && spur == 24 && (act & 0xFFFF) == 0xFFFF &&
          act2 == 0, "16 nested SGIs: %u out of order, IDs 0x%04lx; 24 more IARs: %u x 1023; "
          "active 0x%lx, after EOIs 0x%lx", bad, (unsigned long)seen, spur, (unsigned long)act,
          (unsigned long)act2);
}

static void storm(void)
{
    unsigned n0 = H.n, lost = 0;
    CPSIE(i);
    for (unsigned i = 0; i < 20000; i++) {
        unsigned want = n0 + i + 1;
        *D(GICD_SGIR) = (2u << 24) | (i & 15);
        if (spin(want) != want)
            lost++;
    }
    CPSID(i);
    check("irq-storm", lost == 0 && H.n == n0 + 20000, "20000 self-SGIs: %u taken, %u not "
          "delivered in time, %u spurious", H.n - n0, lost, H.spurious);
}

int main(void)
{
    gprintf("attack-gic: reserved registers, SGIs to absent CPUs, priorities, targets, storms\n");
    exc_set_hook(VEC_IRQ, irq_hook);
    *C(GICC_PMR) = 0xF0;
    *C(GICC_CTLR) = 1;
    *D(GICD_CTLR) = 1;
    reserved();
    past_frame();
    sgis();
    prio();
    targets();
    eoi_abuse();
    ack_storm();
    storm();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    return test_result("attack-gic");
}
