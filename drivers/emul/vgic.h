/*
 * Virtual GICv2 (ARM IHI 0048B) for a single-vCPU guest: distributor and
 * CPU interface as two MMIO regions.  Pure model: time and delivery are the
 * caller's (core/virq.c); host-testable.
 */
#ifndef EMUL_VGIC_H
#define EMUL_VGIC_H

#include <stdint.h>
#include <stdbool.h>

#define VGIC_NR_IRQS    96              /* GICD_TYPER.ITLinesNumber = 2 */
#define VGIC_WORDS      (VGIC_NR_IRQS / 32)
#define VGIC_SPURIOUS   1023
#define VGIC_PRIO_MASK  0xFF            /* 8 implemented priority bits */
#define VGIC_MAX_ACTIVE 32

struct vgic {
    /* distributor */
    uint32_t dctlr;
    uint32_t enabled[VGIC_WORDS];
    uint32_t pending[VGIC_WORDS];       /* latched (edge, or set by software) */
    uint32_t level[VGIC_WORDS];         /* input line levels (level-sensitive) */
    uint32_t active[VGIC_WORDS];
    uint32_t edge[VGIC_WORDS];          /* ICFGR: 1 = edge-triggered */
    uint8_t prio[VGIC_NR_IRQS];
    uint8_t target[VGIC_NR_IRQS];
    /* CPU interface */
    uint32_t cctlr, pmr, bpr;
    /* interrupts acknowledged and not yet EOIed, in acknowledge order */
    uint16_t act_id[VGIC_MAX_ACTIVE];
    uint8_t act_prio[VGIC_MAX_ACTIVE];
    unsigned nact;
};

void vgic_reset(struct vgic *d);
uint32_t vgic_dist_read(void *dev, uint32_t off, unsigned size);
void vgic_dist_write(void *dev, uint32_t off, unsigned size, uint32_t val);
uint32_t vgic_cpu_read(void *dev, uint32_t off, unsigned size);
void vgic_cpu_write(void *dev, uint32_t off, unsigned size, uint32_t val);

/* A device drives an interrupt line (level-sensitive: follows the level;
 * edge-triggered: a rising edge latches pending). */
void vgic_set_line(struct vgic *d, unsigned id, bool level);
/* Whether the CPU interface signals an interrupt to the vCPU now (the IRQ
 * exception is taken if the vCPU's CPSR.I is clear). */
bool vgic_irq_signalled(const struct vgic *d);
/* Whether anything is pending and enabled, whatever the priorities (WFI
 * wake-up, ARM ARM B1.8.14: wakes even if masked). */
bool vgic_wake_pending(const struct vgic *d);

#endif
