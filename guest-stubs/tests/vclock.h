/*
 * vclock.h - the guest-visible clock of the timing guests (sleeper.c,
 * hog.c), per board (GUEST_IRQ in guests.mk, from the board's description):
 *
 *   qemu-virt         the generic timer's virtual count CNTVCT (MRRC p15, 1,
 *                     c14; ARM ARM B8.1.2), CNTFRQ ticks per second;
 *   qemu-vexpress-a9  SP804 timer 2 (ARM DDI 0271: registers at +0x20) as a
 *                     free-running 32-bit down counter of the 1 MHz timer
 *                     clock, interrupt disabled (IntEnable clear: it never
 *                     raises the shared SPI); it wraps after ~71 minutes.
 *
 * Under the monitor this is virtual time: it keeps running while the guest
 * is descheduled.  clk_start() starts it, clk_us() is the time since then
 * in microseconds.
 */
#ifndef GUEST_VCLOCK_H
#define GUEST_VCLOCK_H

#include "guest.h"

static inline uint32_t vc_rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void vc_wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

#if defined(IRQ_GTIMER)
static inline uint64_t vc_cntvct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static uint64_t vc_t0;
static uint32_t vc_per_ms;      /* counter ticks per millisecond */
static inline void clk_start(void)
{
    vc_per_ms = CP15_READ(0, c14, c0, 0) / 1000;        /* CNTFRQ */
    vc_t0 = vc_cntvct();
}
static inline uint64_t clk_us(void)
{
    return (vc_cntvct() - vc_t0) * 1000 / vc_per_ms;
}

#elif defined(IRQ_SP804_BASE)
#define VC_T2(off)      ((uintptr_t)IRQ_SP804_BASE + 0x20 + (off))
#define VC_LOAD         0x00
#define VC_VALUE        0x04
#define VC_CTRL         0x08
#define VC_INTCLR       0x0C
#define VC_EN_32BIT     0x82u   /* enable, free-running, IntEnable clear, 32-bit, wrapping */
static uint32_t vc_v0;
static inline void clk_start(void)
{
    vc_wr32(VC_T2(VC_CTRL), 0);
    vc_wr32(VC_T2(VC_INTCLR), 1);
    vc_wr32(VC_T2(VC_LOAD), 0xFFFFFFFFu);
    vc_wr32(VC_T2(VC_CTRL), VC_EN_32BIT);
    vc_v0 = vc_rd32(VC_T2(VC_VALUE));
}
static inline uint64_t clk_us(void)
{
    return (uint32_t)(vc_v0 - vc_rd32(VC_T2(VC_VALUE)));    /* counts down, 1 MHz */
}

#else
#error "vclock.h: no guest-visible clock for this board (IRQ_GTIMER or IRQ_SP804_BASE: GUEST_IRQ in guests.mk)"
#endif

#endif /* GUEST_VCLOCK_H */
