/*
 * The board's system-register block at 0x10000000, as guests see it:
 * Versatile Express V2M-P1 motherboard (ARM DUI 0447, 4.3 "Register
 * summary") and RealView Platform Baseboard (ARM DUI 0417, 4.3).  Identity,
 * counters, flags and LEDs, and the controls a guest kernel uses to power
 * off or restart the machine; everything else reads as zero
 * (docs/devices.md).  Pure: the time source is a callback, and a power-off
 * or restart is left in `request` for the monitor to act on.
 */
#ifndef EMUL_SYSREGS_H
#define EMUL_SYSREGS_H

#include <stdint.h>
#include <stdbool.h>

enum sysregs_kind { SYSREGS_REALVIEW, SYSREGS_VEXPRESS };
enum sysregs_request { SYSREQ_NONE, SYSREQ_POWER_OFF, SYSREQ_RESTART };

struct vsysregs {
    enum sysregs_kind kind;
    uint32_t id, procid0, procid1;          /* the board's values */
    uint32_t led, flags, nvflags, lock, resetctl;
    uint32_t cfgdata, cfgctrl, cfgstat;     /* vexpress configuration bus */
    uint64_t (*now)(void);                  /* monitor clock, ns */
    enum sysregs_request request;
};

void vsysregs_reset(struct vsysregs *s, enum sysregs_kind kind, uint32_t id, uint32_t procid0,
                    uint64_t (*now)(void));
uint32_t vsysregs_read(void *dev, uint32_t off, unsigned size);
void vsysregs_write(void *dev, uint32_t off, unsigned size, uint32_t val);
extern const struct vdev_type vdev_sysregs;   /* its registry entry */

#endif
