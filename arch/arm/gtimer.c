/*
 * ARM Generic Timer (ARM ARM B8) as the host tick and time source:
 * CNTP (non-secure physical timer, PPI 30 on qemu-virt) and CNTPCT.
 */
#include <hv/board.h>
#include <arch/gtimer.h>

static uint32_t tick_ticks;
static uint32_t cntfrq;

static inline uint64_t cntpct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb; mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cntp_tval_write(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c2, 0; isb" :: "r"(v)); }
static inline void cntp_ctl_write(uint32_t v)  { __asm__ volatile("mcr p15, 0, %0, c14, c2, 1; isb" :: "r"(v)); }

void gtimer_init(void)
{
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(cntfrq));
    if (!cntfrq)
        cntfrq = 62500000;                  /* QEMU's value; firmware should set it */
    cntp_ctl_write(0);
}

void gtimer_tick_start(uint32_t hz)
{
    tick_ticks = cntfrq / hz;
    cntp_tval_write(tick_ticks);
    cntp_ctl_write(1);                      /* ENABLE, not masked */
}

void gtimer_tick_ack(void)
{
    cntp_tval_write(tick_ticks);            /* re-arm; clears ISTATUS */
}

uint64_t gtimer_time_ns(void)
{
    uint64_t t = cntpct();
    return t / cntfrq * 1000000000ull + (t % cntfrq) * 1000000000ull / cntfrq;
}

uint64_t gtimer_count(void)
{
    return cntpct();
}

uint32_t gtimer_freq(void)
{
    return cntfrq;
}

/* The host's virtual timer carries the earliest guest timer deadline (the
 * physical one is the scheduling tick).  CNTVOFF is 0: no EL2. */
void gtimer_deadline(bool on, uint64_t cval)
{
    if (on) {
        __asm__ volatile("mcrr p15, 3, %0, %1, c14" :: "r"((uint32_t)cval), "r"((uint32_t)(cval >> 32)));
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" :: "r"(1u));    /* CNTV_CTL.ENABLE */
    } else {
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" :: "r"(0u));
    }
}

void gtimer_set_pl0_access(uint32_t bits)
{
    uint32_t k;
    __asm__ volatile("mrc p15, 0, %0, c14, c1, 0" : "=r"(k));
    k = (k & ~3u) | (bits & 3u);
    __asm__ volatile("mcr p15, 0, %0, c14, c1, 0; isb" :: "r"(k));
}
