/*
 * Emulated system registers (see sysregs.h).  One table entry per register
 * offset; a register not in the table reads as zero and ignores writes, as
 * do the ones marked RAZ (switches, oscillators, MCI, flash, CLCD, DMA,
 * boot select, PCI control...: nothing behind them in a virtual machine).
 */
#include "sysregs.h"
#include <stddef.h>
#include "../../core/vdev.h"
#include <hv/board.h>

#define SYS_ID          0x000
#define SYS_SW          0x004
#define SYS_LED         0x008
#define SYS_LOCK        0x020   /* RealView */
#define SYS_100HZ       0x024
#define SYS_FLAGS       0x030   /* read; write: SYS_FLAGSSET */
#define SYS_FLAGSCLR    0x034
#define SYS_NVFLAGS     0x038   /* read; write: SYS_NVFLAGSSET */
#define SYS_NVFLAGSCLR  0x03C
#define SYS_RESETCTL    0x040   /* RealView */
#define SYS_24MHZ       0x05C
#define SYS_PROCID0     0x084
#define SYS_PROCID1     0x088
#define SYS_CFGDATA     0x0A0   /* Versatile Express */
#define SYS_CFGCTRL     0x0A4
#define SYS_CFGSTAT     0x0A8

#define LOCK_KEY        0xA05Fu /* SYS_LOCK: the unlock value */
#define LOCK_LOCKED     (1u << 16)
#define RESETCTL_RESET  (1u << 8)   /* what QEMU's and Linux's RealView reset use */

/* SYS_CFGCTRL (V2M-P1 4.3.19): start [31], write [30], DCC [29:26],
 * function [25:20], site [17:16], position [15:12], device [11:0]. */
#define CFG_START       (1u << 31)
#define CFG_WRITE       (1u << 30)
#define CFG_FUNC(v)     (((v) >> 20) & 0x3F)
#define CFG_SITE(v)     (((v) >> 16) & 3)
#define CFG_DEVICE(v)   ((v) & 0xFFF)
#define CFG_F_SHUTDOWN  8
#define CFG_F_REBOOT    9
#define CFG_SITE_MB     0
#define CFGSTAT_COMPLETE 1u

static uint32_t counter(const struct vsysregs *s, uint64_t hz)
{
    uint64_t ns = s->now();
    return (uint32_t)((ns / 1000000000u) * hz + (ns % 1000000000u) * hz / 1000000000u);
}

static void cfg_transfer(struct vsysregs *s, uint32_t ctrl)
{
    s->cfgctrl = ctrl & ~CFG_START;
    s->cfgstat = CFGSTAT_COMPLETE;
    if (CFG_SITE(ctrl) != CFG_SITE_MB || CFG_DEVICE(ctrl) != 0 || !(ctrl & CFG_WRITE)) {
        if (!(ctrl & CFG_WRITE))
            s->cfgdata = 0;                     /* oscillators, voltages...: 0 */
        return;
    }
    if (CFG_FUNC(ctrl) == CFG_F_SHUTDOWN)
        s->request = SYSREQ_POWER_OFF;
    else if (CFG_FUNC(ctrl) == CFG_F_REBOOT)
        s->request = SYSREQ_RESTART;
}

void vsysregs_reset(struct vsysregs *s, enum sysregs_kind kind, uint32_t id, uint32_t procid0,
                    uint64_t (*now)(void))
{
    *s = (struct vsysregs){ .kind = kind, .id = id, .procid0 = procid0, .now = now,
                            .lock = LOCK_LOCKED };
}

uint32_t vsysregs_read(void *dev, uint32_t off, unsigned size)
{
    struct vsysregs *s = dev;
    uint32_t v;

    switch (off & ~3u) {
    case SYS_ID:        v = s->id; break;
    case SYS_LED:       v = s->led; break;
    case SYS_100HZ:     v = counter(s, 100); break;
    case SYS_FLAGS:     v = s->flags; break;
    case SYS_NVFLAGS:   v = s->nvflags; break;
    case SYS_24MHZ:     v = counter(s, 24000000); break;
    case SYS_PROCID0:   v = s->procid0; break;
    case SYS_PROCID1:   v = s->procid1; break;
    case SYS_LOCK:      v = s->kind == SYSREGS_REALVIEW ? s->lock : 0; break;
    case SYS_RESETCTL:  v = s->kind == SYSREGS_REALVIEW ? s->resetctl : 0; break;
    case SYS_CFGDATA:   v = s->kind == SYSREGS_VEXPRESS ? s->cfgdata : 0; break;
    case SYS_CFGCTRL:   v = s->kind == SYSREGS_VEXPRESS ? s->cfgctrl : 0; break;
    case SYS_CFGSTAT:   v = s->kind == SYSREGS_VEXPRESS ? s->cfgstat : 0; break;
    default:            v = 0; break;           /* SYS_SW and the rest: RAZ */
    }
    /* byte and halfword reads see the addressed part of the word */
    v >>= 8 * (off & 3);
    return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

void vsysregs_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vsysregs *s = dev;

    if (size != 4)
        return;                                 /* the block takes word writes only */
    switch (off) {
    case SYS_LED:       s->led = val & 0xFF; break;
    case SYS_FLAGS:     s->flags |= val; break;
    case SYS_FLAGSCLR:  s->flags &= ~val; break;
    case SYS_NVFLAGS:   s->nvflags |= val; break;
    case SYS_NVFLAGSCLR: s->nvflags &= ~val; break;
    case SYS_LOCK:
        if (s->kind == SYSREGS_REALVIEW)
            s->lock = (val & 0xFFFF) == LOCK_KEY ? LOCK_KEY : (val & 0x7FFF) | LOCK_LOCKED;
        break;
    case SYS_RESETCTL:
        if (s->kind == SYSREGS_REALVIEW && !(s->lock & LOCK_LOCKED)) {
            s->resetctl = val;
            if (val & RESETCTL_RESET)
                s->request = SYSREQ_RESTART;
        }
        break;
    case SYS_CFGDATA:
        if (s->kind == SYSREGS_VEXPRESS)
            s->cfgdata = val;
        break;
    case SYS_CFGCTRL:
        if (s->kind == SYSREGS_VEXPRESS) {
            if (val & CFG_START)
                cfg_transfer(s, val);
            else
                s->cfgctrl = val;
        }
        break;
    case SYS_CFGSTAT:
        if (s->kind == SYSREGS_VEXPRESS)
            s->cfgstat = val & 3;
        break;
    default:
        break;                                  /* read-only or RAZ/WI */
    }
}

/* ---- registry entry (core/vdev.h) -------------------------------------- */

static bool sr_place(const struct board_desc *b, uint32_t *base, uint32_t *irq)
{
    *base = b->vsysregs_base;
    *irq = 0;
    return b->vsysregs_base != 0;
}

static void sr_reset(struct vdev *d)
{
    const struct board_desc *b = d->board;

    vsysregs_reset(d->state, (enum sysregs_kind)b->sysregs_kind, b->sys_id, b->sys_procid0,
                   d->svc->now_ns);
}

static uint32_t sr_read(struct vdev *d, uint32_t off, unsigned size)
{
    return vsysregs_read(d->state, off, size);
}

static void sr_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    vsysregs_write(d->state, off, size, val);
}

/* What a guest asked of the machine through its system registers. */
static void sr_after(struct vcpu *v, struct vdev *d)
{
    struct vsysregs *s = d->state;
    enum sysregs_request r = s->request;

    (void)v;
    s->request = SYSREQ_NONE;
    if (r != SYSREQ_NONE)
        d->svc->power(d->guest, r == SYSREQ_RESTART, "board system registers");
}

VDEV_TYPE(vdev_sysregs) = {
    .name = "sysregs", .mmio_size = 0x1000, .state_size = sizeof(struct vsysregs),
    .place = sr_place, .reset = sr_reset, .read = sr_read, .write = sr_write, .after = sr_after,
};
