/*
 * drivers/emul/vgic.c: the virtual GICv2, checked against the GIC
 * Architecture Specification v2 (ARM IHI 0048B): one CPU interface, no
 * Security Extensions, 96 interrupt IDs (ITLinesNumber 2), 8 priority bits.
 * Section numbers below are that spec's.
 *
 * Register offsets are written out here from the spec (4.1.2, 4.1.3), not
 * taken from the model.  The last test drives random operation sequences
 * against a small reference model of priority arbitration and the active
 * stack written in this file.
 */
#include "unit.h"
#include "../../drivers/emul/vgic.h"

#define CHECK_TRUE_CTX(x, ...)  CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

/* Distributor (Table 4-1) */
#define D_CTLR       0x000
#define D_TYPER      0x004
#define D_IIDR       0x008
#define D_IGROUPR    0x080
#define D_ISENABLER  0x100
#define D_ICENABLER  0x180
#define D_ISPENDR    0x200
#define D_ICPENDR    0x280
#define D_ISACTIVER  0x300
#define D_ICACTIVER  0x380
#define D_IPRIORITYR 0x400
#define D_ITARGETSR  0x800
#define D_ICFGR      0xC00
#define D_SGIR       0xF00
#define D_CPENDSGIR  0xF10
#define D_SPENDSGIR  0xF20
#define D_ICPIDR2    0xFE8
/* CPU interface (Table 4-2) */
#define C_CTLR       0x00
#define C_PMR        0x04
#define C_BPR        0x08
#define C_IAR        0x0C
#define C_EOIR       0x10
#define C_RPR        0x14
#define C_HPPIR      0x18
#define C_ABPR       0x1C
#define C_AIAR       0x20
#define C_IIDR       0xFC

#define SPURIOUS     1023u
#define NIRQ         96

static struct vgic g;

static uint32_t dr(uint32_t off) { return vgic_dist_read(&g, off, 4); }
static void dw(uint32_t off, uint32_t v) { vgic_dist_write(&g, off, 4, v); }
static uint32_t dr1(uint32_t off) { return vgic_dist_read(&g, off, 1); }
static void dw1(uint32_t off, uint32_t v) { vgic_dist_write(&g, off, 1, v); }
static uint32_t cr(uint32_t off) { return vgic_cpu_read(&g, off, 4); }
static void cw(uint32_t off, uint32_t v) { vgic_cpu_write(&g, off, 4, v); }

static uint32_t bit(unsigned id) { return 1u << (id % 32); }
static uint32_t word(uint32_t base, unsigned id) { return base + id / 32 * 4; }

static void enable(unsigned id) { dw(word(D_ISENABLER, id), bit(id)); }
static void set_pend(unsigned id) { dw(word(D_ISPENDR, id), bit(id)); }
static void set_prio(unsigned id, uint8_t p) { dw1(D_IPRIORITYR + id, p); }
static bool is_pending(unsigned id) { return dr(word(D_ISPENDR, id)) & bit(id); }
static bool is_active(unsigned id) { return dr(word(D_ISACTIVER, id)) & bit(id); }

/* Both interfaces on, nothing masked by the priority mask. */
static void gic_on(void)
{
    dw(D_CTLR, 1);
    cw(C_CTLR, 1);
    cw(C_PMR, 0xFF);
}

static int setup(void **state)
{
    vgic_reset(&g);
    return 0;
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* ---- reset state and identification ------------------------------------ */

static void test_reset_values(void **state)
{
    CHECK_EQ(dr(D_CTLR), 0);
    /* 4.3.2: ITLinesNumber = 96/32 - 1 = 2, CPUNumber 0, SecurityExtn 0 */
    CHECK_EQ(dr(D_TYPER), 2);
    CHECK_EQ(dr(D_TYPER) >> 5 & 7, 0);
    CHECK_EQ(dr(D_TYPER) >> 10 & 1, 0);
    CHECK_EQ(dr(D_IIDR) & 0xFFF, 0x43B);            /* implementer ARM */
    CHECK_EQ(dr(D_ICPIDR2) >> 4 & 0xF, 2);          /* ArchRev: GICv2 */

    CHECK_EQ(dr(D_ISENABLER), 0x0000FFFF);          /* SGIs always enabled */
    CHECK_EQ(dr(D_ICENABLER), 0x0000FFFF);
    for (unsigned w = 1; w < 3; w++) {
        CHECK_EQ_CTX(dr(D_ISENABLER + 4 * w), 0, "word %u", w);
        CHECK_EQ_CTX(dr(D_ICENABLER + 4 * w), 0, "word %u", w);
    }
    for (unsigned w = 0; w < 3; w++) {
        CHECK_EQ_CTX(dr(D_ISPENDR + 4 * w), 0, "word %u", w);
        CHECK_EQ_CTX(dr(D_ICPENDR + 4 * w), 0, "word %u", w);
        CHECK_EQ_CTX(dr(D_ISACTIVER + 4 * w), 0, "word %u", w);
        CHECK_EQ_CTX(dr(D_ICACTIVER + 4 * w), 0, "word %u", w);
        CHECK_EQ_CTX(dr(D_IGROUPR + 4 * w), 0, "word %u", w);
    }
    for (unsigned i = 0; i < NIRQ; i += 4)
        CHECK_EQ_CTX(dr(D_IPRIORITYR + i), 0, "IPRIORITYR id %u", i);
    for (unsigned i = 0; i < 32; i += 4)            /* SGI/PPI targets: CPU 0 */
        CHECK_EQ_CTX(dr(D_ITARGETSR + i), 0x01010101, "ITARGETSR id %u", i);
    CHECK_EQ(dr(D_ICFGR), 0xAAAAAAAA);              /* SGIs: edge (4.3.13) */
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ_CTX(dr1(D_SPENDSGIR + i), 0, "SGI %u", i);

    CHECK_EQ(cr(C_CTLR), 0);
    CHECK_EQ(cr(C_PMR), 0);                         /* 4.4.2: resets to 0 */
    CHECK_EQ(cr(C_RPR), 0xFF);                      /* idle */
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_EQ(cr(C_IIDR) >> 16 & 0xF, 2);            /* architecture version 2 */
    CHECK_EQ(cr(C_IIDR) & 0xFFF, 0x43B);
    CHECK_FALSE(vgic_irq_signalled(&g));
}

/* ---- GICD_CTLR / GICC_CTLR --------------------------------------------- */

static void test_ctlr_gating(void **state)
{
    enable(40);
    set_prio(40, 0x80);
    set_pend(40);
    cw(C_PMR, 0xFF);

    /* distributor off: nothing forwarded (4.3.1) */
    cw(C_CTLR, 1);
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_TRUE(is_pending(40));

    /* distributor on, CPU interface off: not signalled (4.4.1) */
    cw(C_CTLR, 0);
    dw(D_CTLR, 1);
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_TRUE(is_pending(40));
    CHECK_FALSE(is_active(40));

    cw(C_CTLR, 1);
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), 40);

    /* only the enable bit is kept */
    dw(D_CTLR, 0xFFFFFFFF);
    CHECK_EQ(dr(D_CTLR), 1);
    cw(C_CTLR, 0xFFFFFFFF);
    CHECK_EQ(cr(C_CTLR) & 1, 1);
    dw(D_CTLR, 0xFFFFFFFE);
    CHECK_EQ(dr(D_CTLR), 0);
    cw(C_CTLR, 0);
    CHECK_EQ(cr(C_CTLR), 0);
}

/* ---- enable / pending / active banks ------------------------------------ */

static void test_enable_set_clear(void **state)
{
    dw(D_ISENABLER + 4, 0x00010001);
    CHECK_EQ(dr(D_ISENABLER + 4), 0x00010001);
    CHECK_EQ(dr(D_ICENABLER + 4), 0x00010001);      /* same state, both views */
    dw(D_ISENABLER + 4, 0x80000000);                /* set-only: ORs in */
    CHECK_EQ(dr(D_ISENABLER + 4), 0x80010001);
    dw(D_ISENABLER + 4, 0);                         /* 0 bits: no effect */
    CHECK_EQ(dr(D_ISENABLER + 4), 0x80010001);
    dw(D_ICENABLER + 4, 0x00000001);                /* clear-only */
    CHECK_EQ(dr(D_ISENABLER + 4), 0x80010000);
    dw(D_ICENABLER + 4, 0);
    CHECK_EQ(dr(D_ISENABLER + 4), 0x80010000);
    dw(D_ISENABLER + 8, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISENABLER + 8), 0xFFFFFFFF);
    dw(D_ICENABLER + 8, 0x0F0F0F0F);
    CHECK_EQ(dr(D_ICENABLER + 8), 0xF0F0F0F0);
    CHECK_EQ(dr(D_ISENABLER + 4), 0x80010000);      /* other words untouched */

    /* SGIs cannot be disabled (4.3.5/4.3.6: bits 0-15 RAO/WI) */
    dw(D_ICENABLER, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISENABLER), 0x0000FFFF);
    dw(D_ISENABLER, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISENABLER), 0xFFFFFFFF);
    dw(D_ICENABLER, 0x00FF00FF);
    CHECK_EQ(dr(D_ISENABLER), 0xFF00FFFF);

    /* a disabled interrupt is not forwarded; enabling it forwards it */
    gic_on();
    set_prio(33, 0x10);
    set_pend(33);
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    enable(33);
    CHECK_TRUE(vgic_irq_signalled(&g));
    dw(D_ICENABLER + 4, bit(33));
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_TRUE(is_pending(33));                     /* disabling keeps pending */
}

static void test_pending_set_clear(void **state)
{
    dw(D_ISPENDR + 4, 0x00000101);
    dw(D_ISPENDR + 8, 0x80000000);
    CHECK_EQ(dr(D_ISPENDR + 4), 0x00000101);
    CHECK_EQ(dr(D_ICPENDR + 4), 0x00000101);
    CHECK_EQ(dr(D_ISPENDR + 8), 0x80000000);
    dw(D_ICPENDR + 4, 0x00000001);
    CHECK_EQ(dr(D_ISPENDR + 4), 0x00000100);
    dw(D_ICPENDR + 8, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISPENDR + 8), 0);

    /* SGI bits of ISPENDR0/ICPENDR0 are fixed; PPI bits are writable */
    dw(D_ISPENDR, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISPENDR), 0xFFFF0000);
    dw(D_ICPENDR, 0x00FF0000);
    CHECK_EQ(dr(D_ISPENDR), 0xFF000000);

    /* SGIs through GICD_SPENDSGIR / GICD_CPENDSGIR (4.3.16, 4.3.17):
     * a byte per SGI, bit 0 = source CPU 0 */
    dw1(D_SPENDSGIR + 3, 0x01);
    CHECK_EQ(dr1(D_SPENDSGIR + 3), 1);
    CHECK_EQ(dr1(D_CPENDSGIR + 3), 1);
    CHECK_EQ(dr(D_SPENDSGIR), 0x01000000);          /* word view: SGIs 0-3 */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(3));
    dw1(D_SPENDSGIR + 5, 0xFE);                     /* other source CPUs: none */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(3));
    dw(D_SPENDSGIR + 12, 0x01000001);               /* word: SGIs 12 and 15 */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(3) | bit(12) | bit(15));
    dw(D_ICPENDR, 0xFFFF);                          /* cannot clear SGIs */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(3) | bit(12) | bit(15));
    dw1(D_CPENDSGIR + 3, 0x01);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(12) | bit(15));
    CHECK_EQ(dr1(D_SPENDSGIR + 3), 0);
    dw(D_CPENDSGIR + 12, 0x01010101);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, 0);

    /* a pending SGI is delivered (SGIs are always enabled) */
    gic_on();
    dw1(D_SPENDSGIR + 7, 1);
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), 7);
    CHECK_EQ(dr1(D_SPENDSGIR + 7), 0);
}

static void test_active_set_clear(void **state)
{
    dw(D_ISACTIVER, 0x00010002);                    /* SGI 1 and PPI 16 */
    dw(D_ISACTIVER + 8, 0x00000004);
    CHECK_EQ(dr(D_ISACTIVER), 0x00010002);
    CHECK_EQ(dr(D_ICACTIVER), 0x00010002);
    CHECK_EQ(dr(D_ISACTIVER + 8), 0x00000004);
    dw(D_ICACTIVER, 0x00000002);
    CHECK_EQ(dr(D_ISACTIVER), 0x00010000);
    dw(D_ICACTIVER + 8, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ISACTIVER + 8), 0);

    /* an active interrupt is not signalled again (active and pending) */
    gic_on();
    enable(50);
    dw(D_ISACTIVER + 4, bit(50));
    set_pend(50);
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    dw(D_ICACTIVER + 4, bit(50));
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), 50);
}

/* ---- IPRIORITYR / ITARGETSR / ICFGR ----------------------------------- */

static void test_priority_byte_and_word(void **state)
{
    dw(D_IPRIORITYR + 40, 0x44332211);
    CHECK_EQ(dr1(D_IPRIORITYR + 40), 0x11);
    CHECK_EQ(dr1(D_IPRIORITYR + 41), 0x22);
    CHECK_EQ(dr1(D_IPRIORITYR + 42), 0x33);
    CHECK_EQ(dr1(D_IPRIORITYR + 43), 0x44);
    dw1(D_IPRIORITYR + 42, 0xA5);
    CHECK_EQ(dr(D_IPRIORITYR + 40), 0x44A52211);
    CHECK_EQ(dr(D_IPRIORITYR + 36), 0);
    CHECK_EQ(dr(D_IPRIORITYR + 44), 0);
    /* all 8 bits implemented, for every ID including SGIs/PPIs */
    for (unsigned i = 0; i < NIRQ; i++)
        dw1(D_IPRIORITYR + i, 0xFF - i);
    for (unsigned i = 0; i < NIRQ; i++)
        CHECK_EQ_CTX(dr1(D_IPRIORITYR + i), 0xFF - i, "id %u", i);
    for (unsigned i = 0; i < NIRQ; i += 4) {
        uint32_t e = (0xFFu - i) | (0xFEu - i) << 8 | (0xFDu - i) << 16 | (0xFCu - i) << 24;
        CHECK_EQ_CTX(dr(D_IPRIORITYR + i), e, "id %u", i);
    }
}

static void test_targets(void **state)
{
    /* SGIs/PPIs: read-only, CPU 0 */
    for (unsigned i = 0; i < 32; i += 4)
        dw(D_ITARGETSR + i, 0);
    for (unsigned i = 0; i < 32; i++)
        dw1(D_ITARGETSR + i, 0xFE);
    for (unsigned i = 0; i < 32; i += 4)
        CHECK_EQ_CTX(dr(D_ITARGETSR + i), 0x01010101, "id %u", i);

    /* SPIs: only the bit of CPU 0 exists */
    dw(D_ITARGETSR + 32, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ITARGETSR + 32), 0x01010101);
    dw(D_ITARGETSR + 32, 0x02010003);
    CHECK_EQ(dr(D_ITARGETSR + 32), 0x00010001);
    dw1(D_ITARGETSR + 95, 0x00);
    CHECK_EQ(dr1(D_ITARGETSR + 95), 0);
    dw1(D_ITARGETSR + 95, 0x81);
    CHECK_EQ(dr1(D_ITARGETSR + 95), 1);

    /* an SPI targeting no CPU is not forwarded to this one */
    gic_on();
    enable(33);
    set_pend(33);
    CHECK_FALSE(vgic_irq_signalled(&g));            /* target byte 33 is 0 now */
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
    dw1(D_ITARGETSR + 33, 1);
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), 33);
}

static void test_icfgr(void **state)
{
    /* SGIs: edge, read-only; PPIs: fixed (level here) */
    dw(D_ICFGR, 0);
    CHECK_EQ(dr(D_ICFGR), 0xAAAAAAAA);
    dw(D_ICFGR + 4, 0xFFFFFFFF);
    CHECK_EQ(dr(D_ICFGR + 4), 0);
    /* SPIs: only Int_config[1] (odd bits) is programmable */
    for (unsigned w = 2; w < 6; w++) {
        dw(D_ICFGR + 4 * w, 0xFFFFFFFF);
        CHECK_EQ_CTX(dr(D_ICFGR + 4 * w), 0xAAAAAAAA, "ICFGR%u", w);
        dw(D_ICFGR + 4 * w, 0x55555555);
        CHECK_EQ_CTX(dr(D_ICFGR + 4 * w), 0, "ICFGR%u", w);
    }
    dw(D_ICFGR + 8, 0x00000008);                    /* ID 33 edge */
    CHECK_EQ(dr(D_ICFGR + 8), 0x00000008);
    dw(D_ICFGR + 20, 0x80000000);                   /* ID 95 edge */
    CHECK_EQ(dr(D_ICFGR + 20), 0x80000000);

    /* and it changes the behaviour of the input line */
    gic_on();
    enable(33);
    enable(32);
    vgic_set_line(&g, 33, true);
    vgic_set_line(&g, 33, false);
    CHECK_TRUE(is_pending(33));                     /* edge: latched */
    vgic_set_line(&g, 32, true);
    vgic_set_line(&g, 32, false);
    CHECK_FALSE(is_pending(32));                    /* level: followed */
}

/* ---- GICD_SGIR (4.3.15) -------------------------------------------------- */

static void test_sgir_filter(void **state)
{
    /* TargetListFilter 00: the CPUs in CPUTargetList */
    dw(D_SGIR, 0 << 24 | 0x01 << 16 | 5);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5));
    dw(D_SGIR, 0 << 24 | 0xFE << 16 | 6);           /* other CPUs only */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5));
    dw(D_SGIR, 0 << 24 | 0x00 << 16 | 6);           /* empty list */
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5));
    /* 01: all but the requester: nobody with one CPU */
    dw(D_SGIR, 1 << 24 | 0xFF << 16 | 7);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5));
    /* 10: the requester only, whatever the list */
    dw(D_SGIR, 2 << 24 | 0x00 << 16 | 9);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5) | bit(9));
    /* 11: reserved */
    dw(D_SGIR, 3u << 24 | 0xFF << 16 | 10);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5) | bit(9));
    /* SGIINTID is bits [3:0]; NSATT (bit 15) ignored without security */
    dw(D_SGIR, 2 << 24 | 1u << 15 | 0xF);
    CHECK_EQ(dr(D_ISPENDR) & 0xFFFF, bit(5) | bit(9) | bit(15));
    CHECK_EQ(dr(D_ISPENDR + 4), 0);
    CHECK_EQ(dr(D_SGIR), 0);                        /* write-only */

    /* byte write to SGIR: word-only register, ignored */
    vgic_dist_write(&g, D_SGIR, 1, 2);
    CHECK_EQ(dr(D_ISPENDR) & bit(2), 0);

    /* acknowledged with CPUID (bits [12:10]) = 0 */
    gic_on();
    set_prio(5, 0x20);
    set_prio(9, 0x20);
    set_prio(15, 0x10);
    CHECK_EQ(cr(C_IAR), 15);
    cw(C_EOIR, 15);
    CHECK_EQ(cr(C_IAR), 5);
    cw(C_EOIR, 5);
    CHECK_EQ(cr(C_IAR), 9);
}

/* ---- acknowledge / arbitration ------------------------------------------- */

static void test_iar_highest_priority(void **state)
{
    gic_on();
    dw(D_ISENABLER + 4, 0xFFFFFFFF);
    dw(D_ISENABLER + 8, 0xFFFFFFFF);
    set_prio(40, 0x80);
    set_prio(41, 0x40);
    set_prio(60, 0x40);
    set_prio(90, 0x20);
    set_prio(35, 0xC0);
    set_pend(40);
    set_pend(41);
    set_pend(60);
    set_pend(90);
    set_pend(35);
    cw(C_BPR, 7);                                   /* no preemption: one at a time */

    CHECK_EQ(cr(C_HPPIR), 90);
    CHECK_EQ(cr(C_IAR), 90);
    CHECK_TRUE(is_active(90));
    CHECK_FALSE(is_pending(90));
    CHECK_EQ(cr(C_RPR), 0x20);
    CHECK_FALSE(vgic_irq_signalled(&g));            /* nothing preempts with BPR 7 */
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_EQ(cr(C_HPPIR), 41);                      /* still reports what is pending */
    cw(C_EOIR, 90);
    CHECK_FALSE(is_active(90));
    CHECK_EQ(cr(C_RPR), 0xFF);

    /* tie at 0x40: the lower ID first (3.3.4) */
    CHECK_EQ(cr(C_IAR), 41);
    cw(C_EOIR, 41);
    CHECK_EQ(cr(C_IAR), 60);
    cw(C_EOIR, 60);
    CHECK_EQ(cr(C_IAR), 40);
    cw(C_EOIR, 40);
    CHECK_EQ(cr(C_IAR), 35);
    cw(C_EOIR, 35);
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
    CHECK_EQ(cr(C_RPR), 0xFF);
    CHECK_FALSE(vgic_irq_signalled(&g));

    /* tie between an SGI, a PPI and an SPI */
    dw(D_ISPENDR + 8, bit(70));
    enable(20);
    dw(D_ISPENDR, bit(20));
    dw1(D_SPENDSGIR + 14, 1);
    CHECK_EQ(cr(C_IAR), 14);
    cw(C_EOIR, 14);
    CHECK_EQ(cr(C_IAR), 20);
    cw(C_EOIR, 20);
    CHECK_EQ(cr(C_IAR), 70);
}

static void test_priority_mask(void **state)
{
    gic_on();
    enable(45);
    set_prio(45, 0x80);
    set_pend(45);
    cw(C_PMR, 0x80);                                /* equal: masked (4.4.2) */
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    CHECK_TRUE(is_pending(45));
    cw(C_PMR, 0x00);
    CHECK_FALSE(vgic_irq_signalled(&g));
    cw(C_PMR, 0x81);
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_PMR), 0x81);
    cw(C_PMR, 0x12345680);                          /* 8 bits */
    CHECK_EQ(cr(C_PMR), 0x80);
    CHECK_FALSE(vgic_irq_signalled(&g));
    set_prio(45, 0x7F);
    CHECK_TRUE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), 45);
    /* priority 0xFF can never be signalled */
    enable(46);
    set_prio(46, 0xFF);
    set_pend(46);
    cw(C_EOIR, 45);
    cw(C_PMR, 0xFF);
    CHECK_FALSE(vgic_irq_signalled(&g));
}

static void test_bpr_preemption(void **state)
{
    static const struct {
        unsigned bpr, act, pend;
        bool preempts;
    } cases[] = {
        /* BPR n: group priority = bits [7:n+1] (3.3.3) */
        { 0, 0x80, 0x7E, true },  { 0, 0x80, 0x7F, true },  { 0, 0x81, 0x80, false },
        { 0, 0x82, 0x80, true },  { 2, 0x80, 0x78, true },  { 2, 0x80, 0x7C, true },
        { 2, 0x87, 0x80, false }, { 2, 0x88, 0x87, true },  { 2, 0x8F, 0x88, false },
        { 3, 0x80, 0x70, true },  { 3, 0x8F, 0x80, false }, { 4, 0xA0, 0x9F, true },
        { 4, 0xBF, 0xA0, false }, { 6, 0x80, 0x7F, true },  { 6, 0x7F, 0x00, false },
        { 6, 0xFE, 0x80, false }, { 7, 0xFE, 0x00, false }, { 1, 0x10, 0x0B, true },
        { 1, 0x0F, 0x0C, false },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        vgic_reset(&g);
        gic_on();
        cw(C_BPR, cases[k].bpr);
        CHECK_EQ(cr(C_BPR), cases[k].bpr);
        enable(40);
        enable(41);
        set_prio(40, (uint8_t)cases[k].act);
        set_prio(41, (uint8_t)cases[k].pend);
        set_pend(40);
        CHECK_EQ_CTX(cr(C_IAR), 40, "case %zu", k);
        set_pend(41);
        CHECK_EQ_CTX(vgic_irq_signalled(&g), cases[k].preempts, "case %zu: BPR %u active 0x%02x "
                     "pending 0x%02x", k, cases[k].bpr, cases[k].act, cases[k].pend);
        CHECK_EQ_CTX(cr(C_IAR), cases[k].preempts ? 41 : SPURIOUS, "case %zu", k);
        CHECK_EQ_CTX(cr(C_HPPIR), cases[k].preempts ? SPURIOUS : 41, "case %zu", k);
    }
    cw(C_BPR, 0xFFFFFFFB);
    CHECK_EQ(cr(C_BPR), 3);
}

static void test_nested_rpr(void **state)
{
    gic_on();
    cw(C_BPR, 0);
    for (unsigned id = 32; id < 36; id++)
        enable(id);
    set_prio(32, 0xA0);
    set_prio(33, 0x40);
    set_prio(34, 0x60);
    set_prio(35, 0x20);

    set_pend(32);
    CHECK_EQ(cr(C_IAR), 32);
    CHECK_EQ(cr(C_RPR), 0xA0);
    set_pend(33);
    CHECK_EQ(cr(C_IAR), 33);                        /* preempts 0xA0 */
    CHECK_EQ(cr(C_RPR), 0x40);
    set_pend(34);                                   /* 0x60: lower than running */
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);
    set_pend(35);
    CHECK_EQ(cr(C_IAR), 35);                        /* 0x20 preempts 0x40 */
    CHECK_EQ(cr(C_RPR), 0x20);
    CHECK_EQ(dr(D_ISACTIVER + 4), bit(32) | bit(33) | bit(35));

    cw(C_EOIR, 35);
    CHECK_EQ(cr(C_RPR), 0x40);                      /* back to the outer one */
    CHECK_FALSE(vgic_irq_signalled(&g));            /* 0x60 still can't preempt 0x40 */
    cw(C_EOIR, 33);
    CHECK_EQ(cr(C_RPR), 0xA0);
    CHECK_TRUE(vgic_irq_signalled(&g));             /* 0x60 preempts 0xA0 */
    CHECK_EQ(cr(C_IAR), 34);
    CHECK_EQ(cr(C_RPR), 0x60);
    cw(C_EOIR, 34);
    CHECK_EQ(cr(C_RPR), 0xA0);
    cw(C_EOIR, 32);
    CHECK_EQ(cr(C_RPR), 0xFF);
    CHECK_EQ(dr(D_ISACTIVER + 4), 0);

    /* the running priority is the one at acknowledge time */
    set_pend(32);
    CHECK_EQ(cr(C_IAR), 32);
    set_prio(32, 0x10);
    CHECK_EQ(cr(C_RPR), 0xA0);
    cw(C_EOIR, 32);
    CHECK_EQ(cr(C_RPR), 0xFF);
}

static void test_eoir_ignored(void **state)
{
    gic_on();
    enable(40);
    set_prio(40, 0x50);
    set_pend(40);
    CHECK_EQ(cr(C_IAR), 40);
    cw(C_EOIR, 41);                                 /* not active: ignored */
    cw(C_EOIR, SPURIOUS);
    cw(C_EOIR, 1022);
    CHECK_TRUE(is_active(40));
    CHECK_EQ(cr(C_RPR), 0x50);
    vgic_cpu_write(&g, C_EOIR, 1, 40);              /* not a word access */
    CHECK_TRUE(is_active(40));
    cw(C_EOIR, 40 | 0x1C00);    /* CPUID field [12:10] ignored */
    CHECK_FALSE(is_active(40));
    CHECK_EQ(cr(C_RPR), 0xFF);
}

/* ---- input lines (3.2.4, 3.2.5) ------------------------------------------ */

static void test_level_line(void **state)
{
    gic_on();
    enable(27);                                     /* a PPI: level-sensitive */
    set_prio(27, 0x30);
    vgic_set_line(&g, 27, true);
    CHECK_TRUE(is_pending(27));
    CHECK_TRUE(vgic_irq_signalled(&g));
    vgic_set_line(&g, 27, false);                   /* dropped before acknowledge */
    CHECK_FALSE(is_pending(27));
    CHECK_FALSE(vgic_irq_signalled(&g));

    vgic_set_line(&g, 27, true);
    dw(D_ICPENDR, bit(27));                         /* can't clear while asserted */
    CHECK_TRUE(is_pending(27));
    CHECK_EQ(cr(C_IAR), 27);
    CHECK_TRUE(is_active(27));
    CHECK_TRUE(is_pending(27));                     /* active and pending */
    CHECK_FALSE(vgic_irq_signalled(&g));
    cw(C_EOIR, 27);
    CHECK_TRUE(vgic_irq_signalled(&g));             /* still high: pending again */
    CHECK_EQ(cr(C_IAR), 27);
    vgic_set_line(&g, 27, false);                   /* the device is serviced */
    CHECK_FALSE(is_pending(27));
    cw(C_EOIR, 27);
    CHECK_FALSE(vgic_irq_signalled(&g));
    CHECK_EQ(cr(C_IAR), SPURIOUS);

    /* a level SPI set pending by software stays pending until acknowledged */
    enable(64);
    set_prio(64, 0x30);
    set_pend(64);
    vgic_set_line(&g, 64, true);
    vgic_set_line(&g, 64, false);
    CHECK_TRUE(is_pending(64));
    CHECK_EQ(cr(C_IAR), 64);
    cw(C_EOIR, 64);
    CHECK_FALSE(is_pending(64));
    CHECK_EQ(cr(C_IAR), SPURIOUS);

    /* out-of-range IDs are ignored */
    vgic_set_line(&g, NIRQ, true);
    vgic_set_line(&g, 1000, true);
    CHECK_EQ(cr(C_IAR), SPURIOUS);
}

static void test_edge_line(void **state)
{
    gic_on();
    dw(D_ICFGR + 12, 2u << 2 * (50 - 48));          /* ID 50 edge */
    enable(50);
    set_prio(50, 0x30);
    vgic_set_line(&g, 50, true);                    /* rising edge: latched */
    CHECK_TRUE(is_pending(50));
    vgic_set_line(&g, 50, true);                    /* no new edge */
    CHECK_EQ(cr(C_IAR), 50);
    CHECK_FALSE(is_pending(50));                    /* acknowledge clears it */
    cw(C_EOIR, 50);
    CHECK_FALSE(vgic_irq_signalled(&g));            /* high, but no new edge */
    vgic_set_line(&g, 50, true);
    CHECK_FALSE(is_pending(50));
    vgic_set_line(&g, 50, false);                   /* falling edge: nothing */
    CHECK_FALSE(is_pending(50));
    vgic_set_line(&g, 50, true);
    CHECK_TRUE(is_pending(50));
    vgic_set_line(&g, 50, false);
    CHECK_TRUE(is_pending(50));                     /* stays latched */
    dw(D_ICPENDR + 4, bit(50));                     /* software can clear it */
    CHECK_FALSE(is_pending(50));

    /* an edge while active: active and pending, delivered after EOI */
    vgic_set_line(&g, 50, true);
    CHECK_EQ(cr(C_IAR), 50);
    vgic_set_line(&g, 50, false);
    vgic_set_line(&g, 50, true);
    CHECK_TRUE(is_pending(50));
    CHECK_TRUE(is_active(50));
    CHECK_FALSE(vgic_irq_signalled(&g));
    cw(C_EOIR, 50);
    CHECK_EQ(cr(C_IAR), 50);
    cw(C_EOIR, 50);
    CHECK_EQ(cr(C_IAR), SPURIOUS);

    /* an edge on a disabled interrupt is remembered */
    dw(D_ICENABLER + 4, bit(50));
    vgic_set_line(&g, 50, false);
    vgic_set_line(&g, 50, true);
    CHECK_FALSE(vgic_irq_signalled(&g));
    enable(50);
    CHECK_EQ(cr(C_IAR), 50);
}

static void test_hppir(void **state)
{
    gic_on();
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
    enable(40);
    enable(41);
    set_prio(40, 0x60);
    set_prio(41, 0x50);
    set_pend(40);
    CHECK_EQ(cr(C_HPPIR), 40);
    CHECK_EQ(cr(C_HPPIR), 40);                      /* no side effect */
    CHECK_TRUE(is_pending(40));
    CHECK_FALSE(is_active(40));
    set_pend(41);
    CHECK_EQ(cr(C_HPPIR), 41);
    set_pend(42);                                   /* disabled: not considered */
    set_prio(42, 0x00);
    CHECK_EQ(cr(C_HPPIR), 41);
    CHECK_EQ(cr(C_IAR), 41);
    CHECK_EQ(cr(C_HPPIR), 40);
    CHECK_FALSE(vgic_irq_signalled(&g));            /* 0x60 doesn't preempt 0x50 */
    cw(C_EOIR, 41);
    vgic_cpu_read(&g, C_IAR, 1);                    /* a byte read doesn't acknowledge */
    CHECK_TRUE(is_pending(40));
    CHECK_EQ(cr(C_IAR), 40);
    CHECK_EQ(cr(C_HPPIR), SPURIOUS);
}

/* ---- RAZ/WI and access sizes --------------------------------------------- */

/* No write of any size to these offsets changes anything; they read 0. */
static void check_raz_wi(bool dist, uint32_t off)
{
    struct vgic before;
    static const uint32_t vals[] = { 0xFFFFFFFFu, 0x01010101u, 0x02000001u };

    for (unsigned s = 1; s <= 4; s *= 2) {
        if (off % s)
            continue;
        for (size_t k = 0; k < 3; k++) {
            before = g;
            if (dist)
                vgic_dist_write(&g, off, s, vals[k]);
            else
                vgic_cpu_write(&g, off, s, vals[k]);
            CHECK_TRUE_CTX(memcmp(&before, &g, sizeof(g)) == 0, "%s write 0x%03x size %u",
                           dist ? "GICD" : "GICC", off, s);
            g = before;
        }
        CHECK_EQ_CTX(dist ? vgic_dist_read(&g, off, s) : vgic_cpu_read(&g, off, s), 0,
                     "%s read 0x%03x size %u", dist ? "GICD" : "GICC", off, s);
    }
}

static void test_raz_wi(void **state)
{
    /* give the state something to lose */
    gic_on();
    dw(D_ISENABLER + 4, 0xFFFFFFFF);
    dw(D_ISENABLER + 8, 0xFFFFFFFF);
    dw(D_ISPENDR + 4, 0x0F0F0F0F);
    vgic_set_line(&g, 20, true);
    for (unsigned i = 0; i < NIRQ; i++)
        dw1(D_IPRIORITYR + i, 0x80 | i);
    cw(C_BPR, 3);
    cw(C_PMR, 0xF0);
    dw(D_ICFGR + 12, 0xAAAA0000);
    CHECK_EQ(cr(C_IAR), 32);                        /* one active */

    /* reserved distributor offsets (Table 4-1) */
    for (uint32_t off = 0x00C; off < 0x080; off += 4)
        check_raz_wi(true, off);
    for (uint32_t off = 0xD00; off < 0xF00; off += 4)
        check_raz_wi(true, off);
    for (uint32_t off = 0xF04; off < 0xF10; off += 4)
        check_raz_wi(true, off);
    for (uint32_t off = 0xF30; off < 0xFD0; off += 4)
        check_raz_wi(true, off);
    /* IGROUPR: no groups without the Security Extensions here */
    for (uint32_t off = D_IGROUPR; off < D_ISENABLER; off += 4)
        check_raz_wi(true, off);
    /* banks past ID 95 */
    for (uint32_t base = D_ISENABLER; base < D_IPRIORITYR; base += 0x80)
        for (uint32_t off = base + 12; off < base + 0x80; off += 4)
            check_raz_wi(true, off);
    for (uint32_t off = D_IPRIORITYR + NIRQ; off < D_IPRIORITYR + 0x400; off += 4)
        check_raz_wi(true, off);
    for (uint32_t off = D_ITARGETSR + NIRQ; off < D_ITARGETSR + 0x400; off += 4)
        check_raz_wi(true, off);
    for (uint32_t off = D_ICFGR + NIRQ / 4; off < D_ICFGR + 0x100; off += 4)
        check_raz_wi(true, off);
    /* reserved CPU interface offsets; GICC_ABPR/AIAR/... absent */
    for (uint32_t off = 0x1C; off < 0xFC; off += 4)
        check_raz_wi(false, off);

    /* read-only registers: WI */
    static const uint32_t ro_d[] = { D_TYPER, D_IIDR, D_ICPIDR2 };
    static const uint32_t ro_c[] = { C_IAR, C_RPR, C_HPPIR, C_IIDR };
    struct vgic before = g;
    for (size_t k = 0; k < 3; k++)
        dw(ro_d[k], 0xFFFFFFFF);
    for (size_t k = 0; k < 4; k++)
        cw(ro_c[k], 0xFFFFFFFF);
    CHECK_TRUE(memcmp(&before, &g, sizeof(g)) == 0);
    CHECK_EQ(dr(D_TYPER), 2);
}

static void test_non_word_access(void **state)
{
    static const uint32_t word_only_d[] = { D_CTLR, D_TYPER, D_IIDR, D_ISENABLER + 4,
        D_ICENABLER + 4, D_ISPENDR + 4, D_ICPENDR + 4, D_ISACTIVER + 4, D_ICACTIVER + 4,
        D_ICFGR + 8, D_SGIR };
    static const uint32_t word_only_c[] = { C_CTLR, C_PMR, C_BPR, C_IAR, C_EOIR, C_RPR,
        C_HPPIR, C_IIDR };

    gic_on();
    dw(D_ISENABLER + 4, 0x0000FFFF);
    dw(D_ISPENDR + 4, 0x000000F0);
    dw(D_ISACTIVER + 4, 0x00000100);
    dw(D_ICFGR + 8, 0x0000AAAA);
    set_prio(36, 0x10);
    set_prio(37, 0x20);
    set_prio(38, 0x30);
    set_prio(39, 0x40);
    cw(C_BPR, 3);
    CHECK_EQ(cr(C_IAR), 36);

    for (size_t k = 0; k < sizeof(word_only_d) / 4; k++) {
        for (unsigned s = 1; s <= 2; s++) {
            for (unsigned b = 0; b < 4; b += s) {
                uint32_t off = word_only_d[k] + b;
                struct vgic before = g;
                CHECK_EQ_CTX(vgic_dist_read(&g, off, s), 0, "GICD 0x%03x size %u", off, s);
                vgic_dist_write(&g, off, s, 0xFFFF);
                vgic_dist_write(&g, off, s, 0x0000);
                CHECK_TRUE_CTX(memcmp(&before, &g, sizeof(g)) == 0, "GICD 0x%03x size %u",
                               off, s);
                g = before;
            }
        }
    }
    for (size_t k = 0; k < sizeof(word_only_c) / 4; k++) {
        for (unsigned s = 1; s <= 2; s++) {
            for (unsigned b = 0; b < 4; b += s) {
                uint32_t off = word_only_c[k] + b;
                struct vgic before = g;
                CHECK_EQ_CTX(vgic_cpu_read(&g, off, s), 0, "GICC 0x%02x size %u", off, s);
                vgic_cpu_write(&g, off, s, 0xFFFF);
                vgic_cpu_write(&g, off, s, 36);
                vgic_cpu_write(&g, off, s, 0);
                CHECK_TRUE_CTX(memcmp(&before, &g, sizeof(g)) == 0, "GICC 0x%02x size %u",
                               off, s);
                g = before;
            }
        }
    }
    /* the byte-accessible ones do work with bytes (checked above), and the
     * state is intact */
    CHECK_EQ(dr(D_ISPENDR + 4), 0x000000E0);
    CHECK_EQ(cr(C_RPR), 0x10);
}

/* ---- property test against a reference model ----------------------------- */

struct ref {
    bool dctlr, cctlr;
    unsigned pmr, bpr;
    bool en[NIRQ], latch[NIRQ], level[NIRQ], edge[NIRQ], act[NIRQ], tgt[NIRQ];
    uint8_t prio[NIRQ];
    unsigned stk_id[64], stk_prio[64], nstk;
};

static void ref_reset(struct ref *r)
{
    memset(r, 0, sizeof(*r));
    for (unsigned i = 0; i < NIRQ; i++) {
        r->en[i] = i < 16;
        r->edge[i] = i < 16;
        r->tgt[i] = true;
    }
    r->bpr = 2;                                     /* the model's reset value */
}

static bool ref_pend(const struct ref *r, unsigned id)
{
    return r->latch[id] || (r->level[id] && !r->edge[id]);
}

static unsigned ref_best(const struct ref *r)
{
    unsigned best = SPURIOUS;
    if (!r->dctlr)
        return SPURIOUS;
    for (unsigned i = 0; i < NIRQ; i++)
        if (r->en[i] && !r->act[i] && ref_pend(r, i) && r->tgt[i] &&
            (best == SPURIOUS || r->prio[i] < r->prio[best]))
            best = i;
    return best;
}

static unsigned ref_rpr(const struct ref *r)
{
    unsigned rp = 0x100;
    for (unsigned k = 0; k < r->nstk; k++)
        if (r->stk_prio[k] < rp)
            rp = r->stk_prio[k];
    return rp;
}

static bool ref_signalled(const struct ref *r)
{
    unsigned id = ref_best(r), rp = ref_rpr(r), mask = (0xFFu << (r->bpr + 1)) & 0xFF;
    if (!r->cctlr || id == SPURIOUS || r->prio[id] >= r->pmr)
        return false;
    return rp == 0x100 || (r->prio[id] & mask) < (rp & mask);
}

static unsigned ref_iar(struct ref *r)
{
    unsigned id;
    if (!ref_signalled(r))
        return SPURIOUS;
    id = ref_best(r);
    r->act[id] = true;
    r->latch[id] = false;
    r->stk_id[r->nstk] = id;
    r->stk_prio[r->nstk++] = r->prio[id];
    return id;
}

static void ref_eoi(struct ref *r, unsigned id)
{
    for (unsigned k = 0; k < r->nstk; k++) {
        if (r->stk_id[k] != id)
            continue;
        memmove(&r->stk_id[k], &r->stk_id[k + 1], (r->nstk - k - 1) * sizeof(unsigned));
        memmove(&r->stk_prio[k], &r->stk_prio[k + 1], (r->nstk - k - 1) * sizeof(unsigned));
        r->nstk--;
        r->act[id] = false;
        return;
    }
}

static void compare(const struct ref *r, unsigned step, unsigned op)
{
    CHECK_EQ_CTX(vgic_irq_signalled(&g), ref_signalled(r), "step %u op %u", step, op);
    CHECK_EQ_CTX(cr(C_HPPIR), ref_best(r), "step %u op %u", step, op);
    CHECK_EQ_CTX(cr(C_RPR), ref_rpr(r) == 0x100 ? 0xFF : ref_rpr(r), "step %u op %u", step, op);
    for (unsigned w = 0; w < 3; w++) {
        uint32_t pend = 0, act = 0, en = 0;
        for (unsigned b = 0; b < 32; b++) {
            pend |= (uint32_t)ref_pend(r, w * 32 + b) << b;
            act |= (uint32_t)r->act[w * 32 + b] << b;
            en |= (uint32_t)r->en[w * 32 + b] << b;
        }
        CHECK_EQ_CTX(dr(D_ISPENDR + 4 * w), pend, "step %u op %u word %u", step, op, w);
        CHECK_EQ_CTX(dr(D_ISACTIVER + 4 * w), act, "step %u op %u word %u", step, op, w);
        CHECK_EQ_CTX(dr(D_ISENABLER + 4 * w), en, "step %u op %u word %u", step, op, w);
    }
}

static void test_property_vs_reference(void **state)
{
    struct ref r;
    uint32_t seed = 0x6D2B79F5u;
    unsigned acks = 0, preempts = 0, spurious = 0, maxdepth = 0;

    for (unsigned run = 0; run < 40; run++) {
        vgic_reset(&g);
        ref_reset(&r);
        /* start from a random configuration, both interfaces on */
        for (unsigned i = 0; i < NIRQ; i++) {
            uint32_t x = unit_rand(&seed);
            r.prio[i] = (uint8_t)(x % 12 * 0x14 + (x >> 8) % 4);
            dw1(D_IPRIORITYR + i, r.prio[i]);
            if (i >= 16 && (x >> 12) % 2) {
                r.en[i] = true;
                enable(i);
            }
        }
        r.dctlr = r.cctlr = true;
        r.pmr = 0xFF;
        gic_on();
        for (unsigned step = 0; step < 1500; step++) {
            uint32_t x = unit_rand(&seed), y = unit_rand(&seed);
            unsigned op = x % 20, id = y % NIRQ, spi = 32 + y % 64;
            bool b = (x >> 8) & 1;

            switch (op) {
            case 0: case 1:                         /* device line */
                id = 16 + y % 80;
                vgic_set_line(&g, id, b);
                if (r.edge[id] && b && !r.level[id])
                    r.latch[id] = true;
                r.level[id] = b;
                break;
            case 2:                                 /* enable */
                dw(word(D_ISENABLER, id), bit(id));
                r.en[id] = true;
                break;
            case 3:                                 /* disable */
                dw(word(D_ICENABLER, id), bit(id));
                if (id >= 16)
                    r.en[id] = false;
                break;
            case 4:                                 /* software pend */
                if (id < 16) {
                    dw1(D_SPENDSGIR + id, 1);
                } else {
                    dw(word(D_ISPENDR, id), bit(id));
                }
                r.latch[id] = true;
                break;
            case 5:                                 /* software clear */
                if (id < 16)
                    dw1(D_CPENDSGIR + id, 1);
                else
                    dw(word(D_ICPENDR, id), bit(id));
                r.latch[id] = false;
                break;
            case 6:                                 /* priority (few group levels) */
                r.prio[id] = (uint8_t)((y >> 8) % 12 * 0x14 + (x >> 12) % 4);
                dw1(D_IPRIORITYR + id, r.prio[id]);
                break;
            case 7:                                 /* SPI trigger */
                vgic_dist_write(&g, word(D_ICFGR, spi * 2), 4,
                                (dr(word(D_ICFGR, spi * 2)) & ~(3u << (spi % 16 * 2))) |
                                (uint32_t)b << (spi % 16 * 2 + 1));
                r.edge[spi] = b;
                break;
            case 8:                                 /* SGIR, self */
                dw(D_SGIR, ((x >> 12) & 1 ? 2u << 24 : 1u << 16) | (y & 15));
                r.latch[y & 15] = true;
                break;
            case 9: case 10: case 11: {             /* acknowledge */
                uint32_t got = cr(C_IAR), exp = ref_iar(&r);
                CHECK_EQ_CTX(got, exp, "run %u step %u: IAR", run, step);
                if (exp == SPURIOUS)
                    spurious++;
                else
                    acks++;
                if (r.nstk > 1 && exp != SPURIOUS)
                    preempts++;
                if (r.nstk > maxdepth)
                    maxdepth = r.nstk;
                break;
            }
            case 12:                                /* EOI: innermost, or junk */
                if (r.nstk && (x >> 16) % 8) {
                    unsigned e = r.stk_id[r.nstk - 1];
                    cw(C_EOIR, e);
                    ref_eoi(&r, e);
                } else {
                    unsigned e = (x >> 16) % 1024;
                    if (e < NIRQ && r.act[e])
                        break;                      /* out of order: not tested here */
                    cw(C_EOIR, e);
                    ref_eoi(&r, e);
                }
                break;
            case 13: case 14: case 15:              /* another pend, on an enabled SPI */
                dw(word(D_ISENABLER, spi), bit(spi));
                r.en[spi] = true;
                dw(word(D_ISPENDR, spi), bit(spi));
                r.latch[spi] = true;
                break;
            case 16:                                /* PMR */
                r.pmr = (x >> 4) & 0xFF;
                if (r.pmr < 0x40)
                    r.pmr = 0xFF;
                cw(C_PMR, r.pmr);
                break;
            case 17:                                /* BPR */
                r.bpr = (x >> 4) & 7;
                cw(C_BPR, r.bpr);
                break;
            case 18:                                /* interface enables (mostly on) */
                r.dctlr = (x >> 4) % 8 != 0;
                r.cctlr = (x >> 7) % 8 != 0;
                dw(D_CTLR, r.dctlr);
                cw(C_CTLR, r.cctlr);
                break;
            case 19:                                /* SPI target */
                r.tgt[spi] = b || (x >> 12) % 4;    /* mostly targeted */
                dw1(D_ITARGETSR + spi, r.tgt[spi]);
                break;
            }
            compare(&r, step, op);
        }
    }
    print_message("# vgic property: %u acknowledges (%u nested), %u spurious, max depth %u\n",
                  acks, preempts, spurious, maxdepth);
    CHECK_TRUE(acks > 1000);
    CHECK_TRUE(preempts > 100);
    CHECK_TRUE(spurious > 2000);
    CHECK_TRUE(maxdepth >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values), T(test_ctlr_gating), T(test_enable_set_clear),
        T(test_pending_set_clear), T(test_active_set_clear), T(test_priority_byte_and_word),
        T(test_targets), T(test_icfgr), T(test_sgir_filter), T(test_iar_highest_priority),
        T(test_priority_mask), T(test_bpr_preemption), T(test_nested_rpr),
        T(test_eoir_ignored), T(test_level_line), T(test_edge_line), T(test_hppir),
        T(test_raz_wi), T(test_non_word_access), T(test_property_vs_reference),
    };
    return UNIT_RUN("vgic", tests);
}
