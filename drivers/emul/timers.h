/*
 * Emulated timers for guests on vexpress-a9: the SP804 dual timer and the
 * Cortex-A9 private timer.  Models compute their state from the monitor's
 * clock (ns) when looked at; next_event tells when an interrupt is due.
 */
#ifndef EMUL_TIMERS_H
#define EMUL_TIMERS_H

#include <stdint.h>
#include <stdbool.h>

/* A down-counter described from a fixed origin: value0 at time t0, and how
 * many times it has reached zero that the model has already accounted for. */
struct dcount {
    uint32_t value0;
    uint64_t t0;
    uint64_t zeros_seen;
};

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

struct va9timer {
    uint32_t load, ctrl;
    struct dcount c;
    bool event;
    uint32_t clk_hz;
    uint64_t (*now)(void);
};

void vsp804_reset(struct vsp804 *s, uint32_t clk_hz, uint64_t (*now)(void));
uint32_t vsp804_read(void *dev, uint32_t off, unsigned size);
void vsp804_write(void *dev, uint32_t off, unsigned size, uint32_t val);
bool vsp804_line(struct vsp804 *s);             /* combined interrupt output */
uint64_t vsp804_next_event(struct vsp804 *s);   /* ns, or ~0 */

void va9timer_reset(struct va9timer *t, uint32_t clk_hz, uint64_t (*now)(void));
uint32_t va9timer_read(void *dev, uint32_t off, unsigned size);
void va9timer_write(void *dev, uint32_t off, unsigned size, uint32_t val);
bool va9timer_line(struct va9timer *t);
uint64_t va9timer_next_event(struct va9timer *t);

#endif
