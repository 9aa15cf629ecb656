/*
 * GICv2 host driver: distributor + CPU interface (ARM IHI 0048B).
 * All interrupts go to CPU 0 as Group 0 (IRQ), level priority 0xA0.
 */
#include <hv/board.h>
#include <arch/arch.h>

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00

#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_BPR        0x008
#define GICC_IAR        0x00C
#define GICC_EOIR       0x010

static volatile uint8_t *gicd, *gicc;

static inline volatile uint32_t *d32(unsigned off) { return (volatile uint32_t *)(gicd + off); }
static inline volatile uint32_t *c32(unsigned off) { return (volatile uint32_t *)(gicc + off); }

void irqc_init(uint32_t dist_pa, uint32_t cpu_pa)
{
    unsigned nlines;

    gicd = (volatile uint8_t *)arch_map_device(dist_pa);
    gicc = (volatile uint8_t *)arch_map_device(cpu_pa);
    nlines = ((*d32(GICD_TYPER) & 0x1F) + 1) * 32;

    *d32(GICD_CTLR) = 0;
    for (unsigned i = 0; i < nlines; i += 32) {
        *d32(GICD_ICENABLER + i / 8) = 0xFFFFFFFF;
        *d32(GICD_ICPENDR + i / 8) = 0xFFFFFFFF;
    }
    for (unsigned i = 0; i < nlines; i += 4)
        *d32(GICD_IPRIORITYR + i) = 0xA0A0A0A0;
    for (unsigned i = 32; i < nlines; i += 4)
        *d32(GICD_ITARGETSR + i) = 0x01010101;
    *d32(GICD_CTLR) = 1;

    *c32(GICC_PMR) = 0xF0;
    *c32(GICC_BPR) = 0;
    *c32(GICC_CTLR) = 1;
}

void irqc_enable(unsigned id)
{
    *d32(GICD_ISENABLER + (id / 32) * 4) = 1u << (id % 32);
}

void irqc_disable(unsigned id)
{
    *d32(GICD_ICENABLER + (id / 32) * 4) = 1u << (id % 32);
}

unsigned irqc_ack(void)
{
    return *c32(GICC_IAR);
}

void irqc_eoi(unsigned iar)
{
    *c32(GICC_EOIR) = iar;
}
