/*
 * drivers/emul/a9timer.c: the Cortex-A9 MPCore private timer (Cortex-A9
 * MPCore TRM, 4.1/4.2) model, driven by a fake nanosecond clock that the
 * tests advance by hand.
 *
 * The counter decrements at PERIPHCLK / (prescaler + 1); reaching zero sets
 * the event flag (ISR), an interrupt if IT enable; auto-reload reloads the
 * Load value, otherwise the counter stops at zero.  The clock rate is the
 * registry entry's (VA9_PERIPHCLK_HZ, 100 MHz) unless a test says otherwise.
 */
#include "unit.h"
#include "../../drivers/emul/a9timer.h"

#define CHECK_TRUE_CTX(x, ...)  CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)
#define NEVER       (~0ull)
#define T_START     1000000007ull           /* the fake clock at reset, ns */

/* A9 private timer (4.2) */
#define PT_LOAD     0x00
#define PT_COUNTER  0x04
#define PT_CONTROL  0x08
#define PT_ISR      0x0C
#define PT_EN       1u
#define PT_AUTO     2u
#define PT_IT       4u
#define PT_HZ       100000000u
#define PT_TICK     10ull                   /* ns per tick, prescaler 0 */

static uint64_t now_ns;
static uint64_t fake_now(void) { return now_ns; }
static void advance(uint64_t ns) { now_ns += ns; }

static struct va9timer pt;

static uint32_t ptr_(uint32_t off) { return va9timer_read(&pt, off, 4); }
static void ptw(uint32_t off, uint32_t v) { va9timer_write(&pt, off, 4, v); }


static int setup(void **state)
{
    now_ns = T_START;
    va9timer_reset(&pt, PT_HZ, fake_now);
    return 0;
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* Value of a reloading down-counter T ticks after it held v: zero at tick
 * v, then reload to L at the next tick, period L + 1. */
static uint64_t count_at(uint64_t v, uint64_t L, uint64_t T)
{
    return T <= v ? v - T : L - (T - v - 1) % (L + 1);
}

static void pt_check_next_event(const char *what)
{
    uint64_t ne = va9timer_next_event(&pt), save = now_ns;

    CHECK_TRUE_CTX(ne != NEVER && ne > now_ns, "%s: next_event %llu now %llu", what,
                   (unsigned long long)ne, (unsigned long long)now_ns);
    if (ne == NEVER || ne <= now_ns)
        return;
    now_ns = ne - 1;
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ_CTX(va9timer_next_event(&pt), ne, "%s: prediction moved", what);
    now_ns = ne;
    CHECK_TRUE_CTX(va9timer_line(&pt), "%s: line low at next_event (now - start = %llu ns)", what,
                   (unsigned long long)(ne - save));
}

static void test_a9_reset(void **state)
{
    CHECK_EQ(ptr_(PT_LOAD), 0);
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    CHECK_EQ(ptr_(PT_CONTROL), 0);
    CHECK_EQ(ptr_(PT_ISR), 0);
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ(va9timer_next_event(&pt), NEVER);
    advance(1000000000ull);
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    CHECK_EQ(ptr_(PT_ISR), 0);
    /* registers past ISR, non-word accesses: RAZ/WI */
    ptw(0x10, 5);
    CHECK_EQ(ptr_(0x10), 0);
    va9timer_write(&pt, PT_LOAD, 2, 5);
    CHECK_EQ(ptr_(PT_LOAD), 0);
    ptw(PT_LOAD, 5);
    CHECK_EQ(va9timer_read(&pt, PT_LOAD, 1), 0);
    /* Control: prescaler [15:8], IT/auto/enable [2:0] */
    ptw(PT_CONTROL, 0xFFFFFFFA);
    CHECK_EQ(ptr_(PT_CONTROL), 0xFF02);
}

static void test_a9_single_shot(void **state)
{
    uint64_t t0 = now_ns;
    ptw(PT_LOAD, 500);                              /* writes the counter too */
    CHECK_EQ(ptr_(PT_COUNTER), 500);
    ptw(PT_CONTROL, PT_EN | PT_IT);
    CHECK_EQ(va9timer_next_event(&pt), t0 + 500 * PT_TICK);
    now_ns = t0 + 123 * PT_TICK + 9;
    CHECK_EQ(ptr_(PT_COUNTER), 377);
    pt_check_next_event("single shot");
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    CHECK_EQ(ptr_(PT_ISR), 1);
    CHECK_TRUE(va9timer_line(&pt));
    /* stops at zero: no reload, no new event */
    ptw(PT_ISR, 0);                                 /* writing 0: no effect */
    CHECK_EQ(ptr_(PT_ISR), 1);
    ptw(PT_ISR, 1);
    CHECK_EQ(ptr_(PT_ISR), 0);
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ(va9timer_next_event(&pt), NEVER);
    advance(1000000 * PT_TICK);
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    CHECK_EQ(ptr_(PT_ISR), 0);
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ(ptr_(PT_CONTROL), PT_EN | PT_IT);
    /* a new Load starts another shot */
    t0 = now_ns;
    ptw(PT_LOAD, 40);
    CHECK_EQ(va9timer_next_event(&pt), t0 + 40 * PT_TICK);
    pt_check_next_event("second shot");
}

static void test_a9_auto_reload(void **state)
{
    uint64_t t0 = now_ns;
    ptw(PT_LOAD, 99);
    ptw(PT_CONTROL, PT_EN | PT_AUTO | PT_IT);
    pt_check_next_event("auto first");
    CHECK_EQ(now_ns, t0 + 99 * PT_TICK);
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    now_ns = t0 + 100 * PT_TICK;
    CHECK_EQ(ptr_(PT_COUNTER), 99);                 /* reloaded */
    now_ns = t0 + 150 * PT_TICK;
    CHECK_EQ(ptr_(PT_COUNTER), 49);
    ptw(PT_ISR, 1);
    CHECK_EQ(va9timer_next_event(&pt), t0 + 199 * PT_TICK);   /* period 100 */
    pt_check_next_event("auto second");
    /* IT disabled: the flag still sets, the line doesn't rise */
    ptw(PT_ISR, 1);
    ptw(PT_CONTROL, PT_EN | PT_AUTO);
    CHECK_EQ(va9timer_next_event(&pt), NEVER);
    advance(250 * PT_TICK);
    CHECK_EQ(ptr_(PT_ISR), 1);
    CHECK_FALSE(va9timer_line(&pt));
    ptw(PT_CONTROL, PT_EN | PT_AUTO | PT_IT);
    CHECK_TRUE(va9timer_line(&pt));
}

static void test_a9_prescaler(void **state)
{
    static const unsigned pre[] = { 0, 4, 9, 99, 249 };     /* whole ns per tick */
    for (size_t k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
        setup(NULL);
        uint64_t t0 = now_ns, tick = PT_TICK * (pre[k] + 1);
        ptw(PT_LOAD, 1000);
        ptw(PT_CONTROL, pre[k] << 8 | PT_EN | PT_AUTO | PT_IT);
        CHECK_EQ_CTX(ptr_(PT_CONTROL) >> 8, pre[k], "prescaler %u", pre[k]);
        now_ns = t0 + 300 * tick - 1;
        CHECK_EQ_CTX(ptr_(PT_COUNTER), 701, "prescaler %u", pre[k]);
        now_ns = t0 + 300 * tick;
        CHECK_EQ_CTX(ptr_(PT_COUNTER), 700, "prescaler %u", pre[k]);
        CHECK_EQ_CTX(va9timer_next_event(&pt), t0 + 1000 * tick, "prescaler %u", pre[k]);
        pt_check_next_event("prescaler");
        now_ns = t0 + (1000 + 1001 * 7 + 1 + 10) * tick;    /* 7 more periods */
        CHECK_EQ_CTX(ptr_(PT_COUNTER), 990, "prescaler %u", pre[k]);
    }
}

static void test_a9_counter_write_and_disable(void **state)
{
    uint64_t t0 = now_ns;
    ptw(PT_LOAD, 1000);
    ptw(PT_CONTROL, PT_EN | PT_AUTO | PT_IT);
    now_ns = t0 + 100 * PT_TICK;
    ptw(PT_COUNTER, 50);                            /* counter only */
    CHECK_EQ(ptr_(PT_LOAD), 1000);
    CHECK_EQ(ptr_(PT_COUNTER), 50);
    CHECK_EQ(va9timer_next_event(&pt), t0 + 150 * PT_TICK);
    pt_check_next_event("counter write");
    now_ns = t0 + 151 * PT_TICK;
    CHECK_EQ(ptr_(PT_COUNTER), 1000);               /* reloads the Load value */
    /* disabled: frozen */
    now_ns = t0 + 451 * PT_TICK;
    ptw(PT_CONTROL, PT_AUTO | PT_IT);
    CHECK_EQ(ptr_(PT_COUNTER), 700);
    advance(1000000);
    CHECK_EQ(ptr_(PT_COUNTER), 700);
    CHECK_EQ(va9timer_next_event(&pt), NEVER);
    ptw(PT_ISR, 1);
    ptw(PT_CONTROL, PT_EN | PT_AUTO | PT_IT);
    CHECK_EQ(va9timer_next_event(&pt), now_ns + 700 * PT_TICK);
}

static void test_a9_big_jumps(void **state)
{
    uint32_t seed = 0x0A9A9A9Au;
    static const uint32_t loads[] = { 1, 2, 99, 65535, 1000003 };

    for (size_t c = 0; c < sizeof(loads) / sizeof(loads[0]); c++) {
        setup(NULL);
        uint64_t t0 = now_ns, L = loads[c], cleared_at = 0;
        bool flag = false;
        ptw(PT_LOAD, loads[c]);
        ptw(PT_CONTROL, PT_EN | PT_AUTO | PT_IT);
        for (unsigned step = 0; step < 400; step++) {
            uint32_t x = unit_rand(&seed);
            uint64_t jump = (x % 3 == 0) ? x % 50 :
                            (x % 3 == 1) ? (uint64_t)(x >> 2) % (PT_TICK * (L + 1) * 50) :
                            (uint64_t)(x >> 2) % (PT_TICK * 3);
            advance(jump);
            uint64_t T = (now_ns - t0) / PT_TICK;
            uint64_t zeros = T < L ? 0 : (T - L) / (L + 1) + 1;   /* zero ticks so far */
            uint64_t exp = count_at(L, L, T);
            if (zeros > cleared_at)
                flag = true;
            if (x & (1u << 29)) {
                CHECK_EQ_CTX(ptr_(PT_COUNTER), exp, "load %u step %u T %llu", loads[c], step,
                             (unsigned long long)T);
                CHECK_EQ_CTX(ptr_(PT_ISR), flag, "load %u step %u T %llu", loads[c], step,
                             (unsigned long long)T);
                CHECK_EQ_CTX(va9timer_line(&pt), flag, "load %u step %u", loads[c], step);
            }
            /* clear, but not on a zero tick (see test_a9_clear_on_zero_tick) */
            if ((x & (1u << 28)) && exp != 0) {
                ptw(PT_ISR, 1);
                flag = false;
                cleared_at = zeros;
                uint64_t nz = T < L ? L : L + (zeros) * (L + 1);  /* next zero tick */
                CHECK_EQ_CTX(va9timer_next_event(&pt), t0 + nz * PT_TICK,
                             "load %u step %u T %llu", loads[c], step, (unsigned long long)T);
            }
        }
    }
}

/* ---- A9 bugs ------------------------------------------------------------- */

/* As test_sp804_clear_on_zero_tick: clear on the zero tick, no second event
 * at the reload. */
static void test_a9_clear_on_zero_tick(void **state)
{
    uint64_t t0 = now_ns;
    ptw(PT_LOAD, 9);
    ptw(PT_CONTROL, 255u << 8 | PT_EN | PT_AUTO | PT_IT);  /* 2.56 us per tick */
    uint64_t tick = 256 * PT_TICK;
    now_ns = t0 + 9 * tick;
    CHECK_TRUE(va9timer_line(&pt));
    CHECK_EQ(ptr_(PT_COUNTER), 0);
    ptw(PT_ISR, 1);
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ(va9timer_next_event(&pt), t0 + 19 * tick);
    now_ns = t0 + 10 * tick;
    CHECK_EQ(ptr_(PT_COUNTER), 9);
    CHECK_EQ(ptr_(PT_ISR), 0);                      /* no event on the reload */
    CHECK_FALSE(va9timer_line(&pt));
    CHECK_EQ(va9timer_next_event(&pt), t0 + 19 * tick);
}

/* A guest paused for a few minutes (monitor console "pause") with its
 * private timer running: the count is still right afterwards. */
static void test_a9_long_pause(void **state)
{
    uint64_t t0 = now_ns, L = 0xFFFFFFFFu, T;
    ptw(PT_LOAD, (uint32_t)L);
    ptw(PT_CONTROL, PT_EN | PT_AUTO);
    now_ns = t0 + 200000000000ull;                  /* 200 s: 2e10 ticks */
    T = (now_ns - t0) / PT_TICK;
    CHECK_EQ(ptr_(PT_COUNTER), count_at(L, L, T));
    CHECK_EQ(ptr_(PT_ISR), 1);
}

/* PERIPHCLK / 3 = 33.33 MHz: 30 ns per tick exactly; next_event exact. */
static void test_a9_next_event_rounding(void **state)
{
    uint64_t t0 = now_ns;
    ptw(PT_LOAD, 1000);
    ptw(PT_CONTROL, 2u << 8 | PT_EN | PT_AUTO | PT_IT);
    CHECK_EQ(va9timer_next_event(&pt), t0 + 1000 * 30);
    pt_check_next_event("prescaler 2");
    ptw(PT_ISR, 1);
    now_ns = t0 + 1000 * 30 + 1001 * 30 - 1;        /* one tick before the next zero */
    CHECK_EQ(ptr_(PT_COUNTER), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a9_reset), T(test_a9_single_shot), T(test_a9_auto_reload), T(test_a9_prescaler),
        T(test_a9_counter_write_and_disable), T(test_a9_big_jumps), T(test_a9_clear_on_zero_tick),
        T(test_a9_long_pause), T(test_a9_next_event_rounding),
    };
    return UNIT_RUN("a9timer", tests);
}
