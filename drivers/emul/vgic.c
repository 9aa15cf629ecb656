/*
 * Virtual GICv2 distributor and CPU interface (ARM IHI 0048B), one CPU,
 * no Security Extensions (a single interrupt group, signalled as IRQ), 96
 * interrupt IDs, 8 priority bits.  Section numbers below are that spec's.
 *
 * SGIs (0-15) are always enabled and edge-triggered; PPIs (16-31) are
 * level-sensitive (the timers drive them); SPIs (32-95) have a programmable
 * trigger (ICFGR).  Registers beyond the implemented IDs, and reserved
 * offsets, are RAZ/WI (4.1.2); accesses of the wrong size to word-only
 * registers are treated the same way.
 */
#include "vgic.h"
#include <stddef.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00
#define GICD_SGIR       0xF00
#define GICD_CPENDSGIR  0xF10
#define GICD_SPENDSGIR  0xF20
#define GICD_ICPIDR2    0xFE8

#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_BPR        0x08
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_RPR        0x14
#define GICC_HPPIR      0x18
#define GICC_IIDR       0xFC

#define IDLE_PRIO       0x100           /* running priority with nothing active */

static bool test(const uint32_t *bm, unsigned id) { return bm[id / 32] >> (id % 32) & 1; }
static void set(uint32_t *bm, unsigned id) { bm[id / 32] |= 1u << (id % 32); }
static void clr(uint32_t *bm, unsigned id) { bm[id / 32] &= ~(1u << (id % 32)); }

void vgic_reset(struct vgic *d)
{
    *d = (struct vgic){ 0 };
    d->enabled[0] = 0xFFFF;             /* SGIs: always enabled */
    d->edge[0] = 0xFFFF;                /* SGIs: edge */
    for (unsigned i = 0; i < VGIC_NR_IRQS; i++)
        d->target[i] = 1;               /* CPU 0 */
    d->bpr = 2;                         /* reset value with 8 priority bits (4.4.3) */
}

/* The highest-priority pending, enabled, inactive interrupt (lowest ID on
 * a tie, 3.3.4), or VGIC_SPURIOUS. */
static unsigned best_pending(const struct vgic *d)
{
    unsigned best = VGIC_SPURIOUS, bp = IDLE_PRIO;

    if (!(d->dctlr & 1))
        return VGIC_SPURIOUS;
    for (unsigned w = 0; w < VGIC_WORDS; w++) {
        uint32_t cand = d->enabled[w] & ~d->active[w] & (d->pending[w] | (d->level[w] & ~d->edge[w]));
        while (cand) {
            unsigned id = w * 32 + (unsigned)__builtin_ctz(cand);
            cand &= cand - 1;
            if (!(d->target[id] & 1))
                continue;
            if (d->prio[id] < bp) {
                bp = d->prio[id];
                best = id;
            }
        }
    }
    return best;
}

/* Group priority under the binary point (3.3.3): bits [7:BPR+1]. */
static unsigned group_prio(const struct vgic *d, unsigned prio)
{
    return prio & (0xFFu << (d->bpr + 1)) & 0xFF;
}

static unsigned running_prio(const struct vgic *d)
{
    unsigned rp = IDLE_PRIO;
    for (unsigned i = 0; i < d->nact; i++)
        if (d->act_prio[i] < rp)
            rp = d->act_prio[i];
    return rp;
}

bool vgic_irq_signalled(const struct vgic *d)
{
    unsigned id = best_pending(d), rp;

    if (!(d->cctlr & 1) || id == VGIC_SPURIOUS)
        return false;
    rp = running_prio(d);
    /* Priority mask (4.4.2), then preemption by group priority (3.3.3). */
    return d->prio[id] < d->pmr && (rp == IDLE_PRIO || group_prio(d, d->prio[id]) < group_prio(d, rp));
}

bool vgic_wake_pending(const struct vgic *d)
{
    return vgic_irq_signalled(d);
}

void vgic_set_line(struct vgic *d, unsigned id, bool level)
{
    if (id >= VGIC_NR_IRQS)
        return;
    if (test(d->edge, id) && level && !test(d->level, id))
        set(d->pending, id);            /* rising edge */
    if (level)
        set(d->level, id);
    else
        clr(d->level, id);
}

/* ---- CPU interface (4.4) --------------------------------------------- */

static uint32_t acknowledge(struct vgic *d)
{
    unsigned id;

    if (!vgic_irq_signalled(d) || d->nact == VGIC_MAX_ACTIVE)
        return VGIC_SPURIOUS;
    id = best_pending(d);
    set(d->active, id);
    clr(d->pending, id);                /* a level input keeps it pending (3.2.4) */
    d->act_id[d->nact] = (uint16_t)id;
    d->act_prio[d->nact] = d->prio[id];
    d->nact++;
    return id;                          /* SGI source CPU field [12:10] = 0 */
}

static void end_of_interrupt(struct vgic *d, uint32_t val)
{
    unsigned id = val & 0x3FF;

    if (id >= VGIC_NR_IRQS)
        return;                         /* spurious, or an ID beyond the 96: ignored */
    for (unsigned i = 0; i < d->nact; i++) {
        if (d->act_id[i] != id)
            continue;
        for (unsigned j = i + 1; j < d->nact; j++) {
            d->act_id[j - 1] = d->act_id[j];
            d->act_prio[j - 1] = d->act_prio[j];
        }
        d->nact--;
        clr(d->active, id);
        return;
    }
    /* EOI of an interrupt that is not active: UNPREDICTABLE (4.4.5); ignored. */
}

uint32_t vgic_cpu_read(void *dev, uint32_t off, unsigned size)
{
    struct vgic *d = dev;
    unsigned rp, id;

    if (size != 4)
        return 0;
    switch (off) {
    case GICC_CTLR:  return d->cctlr;
    case GICC_PMR:   return d->pmr;
    case GICC_BPR:   return d->bpr;
    case GICC_IAR:   return acknowledge(d);
    case GICC_RPR:
        rp = running_prio(d);
        return rp == IDLE_PRIO ? 0xFF : rp;
    case GICC_HPPIR:
        id = best_pending(d);
        return id;
    case GICC_IIDR:  return 0x0202043B; /* GICv2, ARM */
    default:         return 0;
    }
}

void vgic_cpu_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vgic *d = dev;

    if (size != 4)
        return;
    switch (off) {
    case GICC_CTLR: d->cctlr = val & 1; break;
    case GICC_PMR:  d->pmr = val & VGIC_PRIO_MASK; break;
    case GICC_BPR:  d->bpr = val & 7; break;        /* minimum 0 with 8 bits */
    case GICC_EOIR: end_of_interrupt(d, val); break;
    default: break;
    }
}

/* ---- distributor (4.3) ------------------------------------------------ */

/* Bitmap register banks: SGIs cannot be disabled; SGI pending bits are
 * controlled by SPENDSGIR/CPENDSGIR only (4.3.7). */
static uint32_t *bank(struct vgic *d, uint32_t base, uint32_t off)
{
    unsigned w = (off - base) / 4;
    if (w >= VGIC_WORDS)
        return NULL;
    switch (base) {
    case GICD_ISENABLER: case GICD_ICENABLER: return &d->enabled[w];
    case GICD_ISPENDR: case GICD_ICPENDR:     return &d->pending[w];
    case GICD_ISACTIVER: case GICD_ICACTIVER: return &d->active[w];
    }
    return NULL;
}

static uint32_t read_bank(struct vgic *d, uint32_t base, uint32_t off)
{
    uint32_t *p = bank(d, base, off), w = (off - base) / 4, v;

    if (!p)
        return 0;
    v = *p;
    if (base == GICD_ISPENDR || base == GICD_ICPENDR)
        v |= d->level[w] & ~d->edge[w];
    return v;
}

static void write_bank(struct vgic *d, uint32_t base, uint32_t off, uint32_t val)
{
    uint32_t *p = bank(d, base, off), w = (off - base) / 4;

    if (!p)
        return;
    if (w == 0 && base != GICD_ISACTIVER && base != GICD_ICACTIVER)
        val &= ~0xFFFFu;                /* SGI enables and pending bits: fixed here */
    switch (base) {
    case GICD_ISENABLER: case GICD_ISPENDR: case GICD_ISACTIVER: *p |= val; break;
    default: *p &= ~val; break;
    }
}

static void send_sgi(struct vgic *d, uint32_t val)
{
    unsigned filter = (val >> 24) & 3, list = (val >> 16) & 0xFF;

    /* 4.3.15: 00 = the list, 01 = all but self, 10 = self; CPU 0 only. */
    if ((filter == 0 && (list & 1)) || filter == 2)
        set(d->pending, val & 0xF);
}

uint32_t vgic_dist_read(void *dev, uint32_t off, unsigned size)
{
    struct vgic *d = dev;
    uint32_t v = 0;

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
        for (unsigned i = 0; i < size; i++)
            v |= (uint32_t)d->prio[off - GICD_IPRIORITYR + i] << (8 * i);
        return v;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
        for (unsigned i = 0; i < size; i++)
            v |= (uint32_t)d->target[off - GICD_ITARGETSR + i] << (8 * i);
        return v;
    }
    if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 16) {
        for (unsigned i = 0; i < size; i++)
            v |= (uint32_t)test(d->pending, off - GICD_SPENDSGIR + i) << (8 * i);
        return v;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 16) {
        for (unsigned i = 0; i < size; i++)
            v |= (uint32_t)test(d->pending, off - GICD_CPENDSGIR + i) << (8 * i);
        return v;
    }
    if (size != 4)
        return 0;
    if (off == GICD_CTLR)
        return d->dctlr;
    if (off == GICD_TYPER)
        return VGIC_NR_IRQS / 32 - 1;   /* ITLinesNumber; one CPU; no security */
    if (off == GICD_IIDR)
        return 0x0000043B;
    if (off == GICD_ICPIDR2)
        return 0x2B;                    /* ArchRev 2 */
    if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR)
        return read_bank(d, off & ~0x7Fu, off);
    if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_NR_IRQS / 4) {
        unsigned first = (off - GICD_ICFGR) * 4;
        for (unsigned i = 0; i < 16; i++)
            if (test(d->edge, first + i))
                v |= 2u << (2 * i);
        return v;
    }
    return 0;                           /* IGROUPR (no groups), reserved: RAZ */
}

void vgic_dist_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vgic *d = dev;

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
        for (unsigned i = 0; i < size; i++)
            d->prio[off - GICD_IPRIORITYR + i] = (val >> (8 * i)) & VGIC_PRIO_MASK;
        return;
    }
    if (off >= GICD_ITARGETSR + 32 && off < GICD_ITARGETSR + VGIC_NR_IRQS) {
        for (unsigned i = 0; i < size; i++)     /* SPIs only; bit 0 = the one CPU */
            d->target[off - GICD_ITARGETSR + i] = (val >> (8 * i)) & 1;
        return;
    }
    if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 16) {
        for (unsigned i = 0; i < size; i++)
            if ((val >> (8 * i)) & 1)
                set(d->pending, off - GICD_SPENDSGIR + i);
        return;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 16) {
        for (unsigned i = 0; i < size; i++)
            if ((val >> (8 * i)) & 1)
                clr(d->pending, off - GICD_CPENDSGIR + i);
        return;
    }
    if (size != 4)
        return;
    if (off == GICD_CTLR) {
        d->dctlr = val & 1;
    } else if (off == GICD_SGIR) {
        send_sgi(d, val);
    } else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
        write_bank(d, off & ~0x7Fu, off, val);
    } else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + VGIC_NR_IRQS / 4) {
        /* SPIs: Int_config[1] per interrupt (4.3.13); SGIs/PPIs fixed. */
        unsigned first = (off - GICD_ICFGR) * 4;
        for (unsigned i = 0; i < 16; i++) {
            if ((val >> (2 * i + 1)) & 1)
                set(d->edge, first + i);
            else
                clr(d->edge, first + i);
        }
    }
}
