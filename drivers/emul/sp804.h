/*
 * Emulated SP804 dual timer for guests (vexpress-a9, realview).  The model
 * computes its state from the monitor's clock (ns) when looked at;
 * next_event tells when an interrupt is due.
 */
#ifndef EMUL_SP804_H
#define EMUL_SP804_H

#include "dcount.h"

struct sp804_timer {
    uint32_t load, ctrl;
    struct dcount c;
    bool ris;
};

struct vsp804 {
    struct sp804_timer t[2];
    uint32_t clk_hz;
    uint64_t (*now)(void);      /* monitor clock, ns */
};

#define VSP804_CLK_HZ 1000000    /* TIMCLK of the boards' SP804s, as in QEMU */

void vsp804_reset(struct vsp804 *s, uint32_t clk_hz, uint64_t (*now)(void));
uint32_t vsp804_read(void *dev, uint32_t off, unsigned size);
void vsp804_write(void *dev, uint32_t off, unsigned size, uint32_t val);
bool vsp804_line(struct vsp804 *s);             /* combined interrupt output */
uint64_t vsp804_next_event(struct vsp804 *s);   /* ns, or ~0 */

extern const struct vdev_type vdev_sp804;       /* its registry entry */

#endif
