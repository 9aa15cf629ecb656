/*
 * Emulated Cortex-A9 private timer for guests (vexpress-a9).  The model
 * computes its state from the monitor's clock (ns) when looked at;
 * next_event tells when an interrupt is due.
 */
#ifndef EMUL_A9TIMER_H
#define EMUL_A9TIMER_H

#include "dcount.h"

struct va9timer {
    uint32_t load, ctrl;
    struct dcount c;
    bool event;
    uint32_t clk_hz;
    uint64_t (*now)(void);
};

#define VA9_PERIPHCLK_HZ 100000000       /* as QEMU's vexpress-a9 */

void va9timer_reset(struct va9timer *t, uint32_t clk_hz, uint64_t (*now)(void));
uint32_t va9timer_read(void *dev, uint32_t off, unsigned size);
void va9timer_write(void *dev, uint32_t off, unsigned size, uint32_t val);
bool va9timer_line(struct va9timer *t);
uint64_t va9timer_next_event(struct va9timer *t);

extern const struct vdev_type vdev_a9timer;     /* its registry entry */

#endif
