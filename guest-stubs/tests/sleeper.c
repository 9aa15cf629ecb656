/*
 * sleeper - timed waits through the board's timer interrupt (native + PV).
 *
 * N_WAITS times: arm the board's timer for WAIT_MS (one shot), wait for its
 * interrupt with WFI, count it in the IRQ handler.  The wait is race-free
 * (as irq.c): CPSR.I is set while the condition is tested, WFI wakes on a
 * pending interrupt whatever CPSR.I says, then a brief unmask lets it be
 * taken.  Then it checks, on the guest-visible clock (vclock.h):
 *   - every interrupt arrived, exactly one per wait, with the timer's ID;
 *   - the total time is at least N_WAITS * WAIT_MS (a timer never fires
 *     early), and at most LATE_MS: natively it runs alone; under the monitor
 *     (integration test "starvation") three sleepers share the CPU with a
 *     guest that spins with interrupts masked (hog.c), and the monitor's
 *     time slice must still give each sleeper the CPU within a few slices
 *     of its interrupt.
 * Only pass/fail is printed, never the measured times, so the native and
 * PV outputs are identical.
 *
 * Timers (ids and addresses from GUEST_IRQ_<board>, guests.mk):
 *   qemu-virt         CNTV (ARM ARM B8.2; PPI 27): CNTV_TVAL = 50 ms of
 *                     CNTFRQ, CNTV_CTL = ENABLE; the handler writes
 *                     CNTV_CTL = 0, which drops the level-sensitive output.
 *   qemu-vexpress-a9  SP804 timer 1 (DDI 0271; SPI 34, level): Load = 50000
 *                     ticks of 1 MHz, Control = enable | IntEnable | 32-bit |
 *                     one-shot; the handler writes Timer1IntClr.
 * GIC: ARM IHI 0048B (GICD/GICC as in irq.c).
 */
#include "guest.h"
#include "vclock.h"

#define N_WAITS     10
#define WAIT_MS     50
#define LATE_MS     1500
#define GIVE_UP_MS  2000        /* one wait: the timer is dead */

/* ---- GIC -------------------------------------------------------------- */
#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10

#define D(off)  ((uintptr_t)GICD_BASE + (off))
#define C(off)  ((uintptr_t)GICC_BASE + (off))

static inline void barrier(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

/* ---- the board's one-shot timer ----------------------------------------- */
#if defined(IRQ_GTIMER)
#define TIMER_ID        IRQ_ID_CNTV
#define TIMER_SPI       0
#define CNTV_CTL_W(v)   CP15_WRITE(0, c14, c3, 1, v)
#define CNTV_TVAL_W(v)  CP15_WRITE(0, c14, c3, 0, v)
static void timer_arm(void)
{
    CNTV_CTL_W(0);
    CNTV_TVAL_W(CP15_READ(0, c14, c0, 0) / 1000 * WAIT_MS);
    CNTV_CTL_W(1);
}
static void timer_ack(void) { CNTV_CTL_W(0); }
static void timer_stop(void) { CNTV_CTL_W(0); }

#elif defined(IRQ_SP804_BASE)
#define TIMER_ID        IRQ_ID_SP804
#define TIMER_SPI       1
#define T1(off)         ((uintptr_t)IRQ_SP804_BASE + (off))
static void timer_arm(void)
{
    vc_wr32(T1(0x08), 0);
    vc_wr32(T1(0x0C), 1);
    vc_wr32(T1(0x00), 1000 * WAIT_MS);
    vc_wr32(T1(0x08), 0xA3);   /* enable, IntEnable, 32-bit, one-shot */
}
static void timer_ack(void) { vc_wr32(T1(0x0C), 1); }
static void timer_stop(void) { vc_wr32(T1(0x08), 0); vc_wr32(T1(0x0C), 1); }
#endif

/* ---- IRQ handler ------------------------------------------------------- */
static volatile unsigned g_ticks, g_other, g_spurious;

static int irq_hook(struct exc_frame *f)
{
    f->pc -= 4;                 /* LR_irq = return address + 4 */
    uint32_t v = vc_rd32(C(GICC_IAR)) & 0x1FFF;
    uint32_t id = v & 0x3FF;
    if (id >= 1020) {
        g_spurious++;
        return 1;
    }
    if (id == TIMER_ID) {
        timer_ack();
        g_ticks++;
    } else {
        g_other++;
    }
    barrier();
    vc_wr32(C(GICC_EOIR), v);
    barrier();
    return 1;
}

static void gic_init(void)
{
    vc_wr32(D(GICD_CTLR), 0);
    vc_wr32(C(GICC_CTLR), 0);
    barrier();
    vc_wr32(D(GICD_ICENABLER + 4 * (TIMER_ID / 32)), 1u << (TIMER_ID % 32));
    vc_wr32(D(GICD_ICPENDR + 4 * (TIMER_ID / 32)), 1u << (TIMER_ID % 32));
    *(volatile uint8_t *)D(GICD_IPRIORITYR + TIMER_ID) = 0x80;
    if (TIMER_SPI) {
        uintptr_t cfg = D(GICD_ICFGR + 4 * (TIMER_ID / 16));
        vc_wr32(cfg, vc_rd32(cfg) & ~(2u << (2 * (TIMER_ID % 16))));   /* level */
        *(volatile uint8_t *)D(GICD_ITARGETSR + TIMER_ID) = 0x01;        /* CPU0 */
    }
    vc_wr32(D(GICD_ISENABLER + 4 * (TIMER_ID / 32)), 1u << (TIMER_ID % 32));
    vc_wr32(C(GICC_PMR), 0xF0);
    vc_wr32(D(GICD_CTLR), 1);
    vc_wr32(C(GICC_CTLR), 1);
    barrier();
}

static void gic_off(void)
{
    vc_wr32(D(GICD_ICENABLER + 4 * (TIMER_ID / 32)), 1u << (TIMER_ID % 32));
    vc_wr32(D(GICD_CTLR), 0);
    vc_wr32(C(GICC_CTLR), 0);
    barrier();
}

int main(void)
{
    gprintf("sleeper: %d timed waits of %d ms through the timer interrupt and WFI (%s)\n",
            N_WAITS, WAIT_MS, GUEST_BOARD);
    exc_set_hook(VEC_IRQ, irq_hook);
    CPSID(i);
    timer_stop();
    gic_init();
    clk_start();

    unsigned lost = 0, extra = 0;
    for (unsigned k = 0; k < N_WAITS; k++) {
        unsigned n0 = g_ticks;
        uint64_t t0 = clk_us();
        timer_arm();
        CPSID(i);
        while (g_ticks == n0 && clk_us() - t0 < GIVE_UP_MS * 1000ull) {
            WFI();              /* wakes on a pending IRQ, CPSR.I set or not */
            CPSIE(i);
            __asm__ volatile("isb" ::: "memory");
            CPSID(i);
        }
        if (g_ticks == n0) {
            lost++;
            timer_stop();
        } else if (g_ticks != n0 + 1) {
            extra++;
        }
    }
    uint64_t total_ms = clk_us() / 1000;
    timer_stop();
    gic_off();

    check("ticks", lost == 0 && extra == 0 && g_ticks == N_WAITS,
          "all %d timer interrupts arrived, one per wait%s", N_WAITS,
          lost ? " (SOME LOST)" : (extra || g_ticks != N_WAITS) ? " (EXTRA TICKS)" : "");
    check("no-other-irq", g_other == 0 && g_spurious == 0,
          "no other interrupt and no spurious acknowledge: %s",
          (g_other == 0 && g_spurious == 0) ? "yes" : "no");
    check("not-early", total_ms >= N_WAITS * WAIT_MS,
          "total elapsed guest time >= %d ms (no timer fired early): %s",
          N_WAITS * WAIT_MS, total_ms >= N_WAITS * WAIT_MS ? "yes" : "no");
    check("on-time", total_ms <= LATE_MS,
          "total elapsed guest time <= %d ms: %s", LATE_MS, total_ms <= LATE_MS ? "yes" : "no");
    check_eq("no-unexpected", "count", g_unexpected_exceptions, 0);
    return test_result("sleeper");
}
