/*
 * drivers/emul/sp804.c: the SP804 dual timer (ARM DDI 0271) model, driven
 * by a fake nanosecond clock that the tests advance by hand.
 *
 * A counter decrements at TIMCLK / prescale (1, 16, 256); reaching zero
 * raises TimerXRIS (and TIMINTx when TimerXControl.IntEnable); periodic
 * mode reloads TimerXLoad, free-running wraps to 0xFFFF/0xFFFFFFFF,
 * one-shot halts; the period is (load + 1) ticks.  The clock rate is the
 * registry entry's (VSP804_CLK_HZ, 1 MHz) unless a test says otherwise.
 */
#include "unit.h"
#include "../../drivers/emul/sp804.h"

#define CHECK_TRUE_CTX(x, ...)  CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)
#define NEVER       (~0ull)
#define T_START     1000000007ull           /* the fake clock at reset, ns */

/* SP804 (3.1): per-timer registers at 0x00 and 0x20 */
#define SP_LOAD     0x00
#define SP_VALUE    0x04
#define SP_CTRL     0x08
#define SP_INTCLR   0x0C
#define SP_RIS      0x10
#define SP_MIS      0x14
#define SP_BGLOAD   0x18
#define SP_EN       0x80
#define SP_PERIODIC 0x40
#define SP_IE       0x20
#define SP_PRE16    0x04
#define SP_PRE256   0x08
#define SP_32BIT    0x02
#define SP_ONESHOT  0x01
#define SP_HZ       1000000u
#define SP_TICK     1000ull                 /* ns per tick at 1 MHz, prescale 1 */

static uint64_t now_ns;
static uint64_t fake_now(void) { return now_ns; }
static void advance(uint64_t ns) { now_ns += ns; }

static struct vsp804 sp;

static uint32_t spr(unsigned t, uint32_t off) { return vsp804_read(&sp, t * 0x20 + off, 4); }
static void spw(unsigned t, uint32_t off, uint32_t v) { vsp804_write(&sp, t * 0x20 + off, 4, v); }

static int setup(void **state)
{
    now_ns = T_START;
    vsp804_reset(&sp, SP_HZ, fake_now);
    return 0;
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* Value of a reloading down-counter T ticks after it held v: zero at tick
 * v, then reload to L at the next tick, period L + 1. */
static uint64_t count_at(uint64_t v, uint64_t L, uint64_t T)
{
    return T <= v ? v - T : L - (T - v - 1) % (L + 1);
}

/* Check that the SP804 line rises exactly at its predicted next event. */
static void sp_check_next_event(const char *what)
{
    uint64_t ne = vsp804_next_event(&sp), save = now_ns;

    CHECK_TRUE_CTX(ne != NEVER && ne > now_ns, "%s: next_event %llu now %llu", what,
                   (unsigned long long)ne, (unsigned long long)now_ns);
    if (ne == NEVER || ne <= now_ns)
        return;
    now_ns = ne - 1;
    CHECK_FALSE(vsp804_line(&sp));
    CHECK_EQ_CTX(vsp804_next_event(&sp), ne, "%s: prediction moved", what);
    now_ns = ne;
    CHECK_TRUE_CTX(vsp804_line(&sp), "%s: line low at next_event (now - start = %llu ns)", what,
                   (unsigned long long)(ne - save));
}

/* ==== SP804 ============================================================= */

static void test_sp804_reset_and_ids(void **state)
{
    static const uint32_t ids[8] = { 0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (unsigned t = 0; t < 2; t++) {
        CHECK_EQ_CTX(spr(t, SP_LOAD), 0, "timer %u", t);
        CHECK_EQ_CTX(spr(t, SP_BGLOAD), 0, "timer %u", t);
        CHECK_EQ_CTX(spr(t, SP_CTRL), 0x20, "timer %u", t);      /* IntEnable */
        CHECK_EQ_CTX(spr(t, SP_VALUE) & 0xFFFF, 0xFFFF, "timer %u", t);
        CHECK_EQ_CTX(spr(t, SP_RIS), 0, "timer %u", t);
        CHECK_EQ_CTX(spr(t, SP_MIS), 0, "timer %u", t);
    }
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ_CTX(vsp804_read(&sp, 0xFE0 + 4 * i, 4), ids[i], "ID 0x%03x", 0xFE0 + 4 * i);
    CHECK_FALSE(vsp804_line(&sp));
    CHECK_EQ(vsp804_next_event(&sp), NEVER);
    /* disabled at reset: time passing changes nothing */
    advance(5000000000ull);
    CHECK_EQ(spr(0, SP_VALUE) & 0xFFFF, 0xFFFF);
    CHECK_FALSE(vsp804_line(&sp));
}

static void test_sp804_periodic(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 100);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    CHECK_EQ(spr(0, SP_VALUE), 100);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 100 * SP_TICK);

    for (unsigned k = 1; k < 100; k += 7) {
        now_ns = t0 + k * SP_TICK;
        CHECK_EQ_CTX(spr(0, SP_VALUE), 100 - k, "tick %u", k);
        now_ns = t0 + k * SP_TICK + SP_TICK - 1;              /* not a tick yet */
        CHECK_EQ_CTX(spr(0, SP_VALUE), 100 - k, "tick %u + 999 ns", k);
    }
    now_ns = t0 + 100 * SP_TICK - 1;
    CHECK_EQ(spr(0, SP_VALUE), 1);
    CHECK_EQ(spr(0, SP_RIS), 0);
    CHECK_FALSE(vsp804_line(&sp));
    now_ns = t0 + 100 * SP_TICK;                            /* reaches zero */
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_EQ(spr(0, SP_RIS), 1);
    CHECK_EQ(spr(0, SP_MIS), 1);
    CHECK_TRUE(vsp804_line(&sp));
    CHECK_EQ(vsp804_next_event(&sp), NEVER);                /* already raised */
    now_ns = t0 + 101 * SP_TICK;                            /* reload */
    CHECK_EQ(spr(0, SP_VALUE), 100);
    now_ns = t0 + 150 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 51);
    CHECK_TRUE(vsp804_line(&sp));                           /* until cleared */
    spw(0, SP_INTCLR, 0);                                   /* any value clears */
    CHECK_EQ(spr(0, SP_RIS), 0);
    CHECK_FALSE(vsp804_line(&sp));
    CHECK_EQ(vsp804_next_event(&sp), t0 + 201 * SP_TICK);   /* period = load + 1 */
    sp_check_next_event("periodic second period");
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_EQ(spr(0, SP_LOAD), 100);
}

static void test_sp804_free_running(void **state)
{
    uint64_t t0 = now_ns;
    /* 32-bit: wraps to 0xFFFFFFFF, not to the load value */
    spw(0, SP_LOAD, 10);
    spw(0, SP_CTRL, SP_EN | SP_IE | SP_32BIT);
    now_ns = t0 + 10 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_TRUE(vsp804_line(&sp));
    now_ns = t0 + 11 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0xFFFFFFFF);
    now_ns = t0 + 20 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0xFFFFFFF6);
    spw(0, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), t0 + (11 + 0xFFFFFFFFull) * SP_TICK);

    /* 16-bit: wraps to 0xFFFF, period 0x10000 ticks */
    t0 = now_ns;
    spw(1, SP_LOAD, 5);
    spw(1, SP_CTRL, SP_EN | SP_IE);
    now_ns = t0 + 5 * SP_TICK;
    CHECK_EQ(spr(1, SP_VALUE), 0);
    CHECK_EQ(spr(1, SP_RIS), 1);
    now_ns = t0 + 6 * SP_TICK;
    CHECK_EQ(spr(1, SP_VALUE), 0xFFFF);
    spw(1, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), t0 + (6 + 0xFFFFull) * SP_TICK);
    sp_check_next_event("16-bit free-running wrap");
    now_ns = t0 + (6 + 0xFFFF + 1 + 0x1234) * SP_TICK;
    CHECK_EQ(spr(1, SP_VALUE), 0xFFFF - 0x1234);
}

static void test_sp804_16bit_periodic(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 0x1234);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE);
    CHECK_EQ(spr(0, SP_VALUE), 0x1234);
    now_ns = t0 + 0x1234 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_TRUE(vsp804_line(&sp));
    now_ns = t0 + (0x1234 + 1 + 0x34) * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0x1234 - 0x34);
    spw(0, SP_INTCLR, 1);
    sp_check_next_event("16-bit periodic");
    CHECK_EQ(now_ns, t0 + (2 * 0x1234 + 1) * SP_TICK);
}

static void test_sp804_one_shot(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 50);
    spw(0, SP_CTRL, SP_EN | SP_ONESHOT | SP_IE | SP_32BIT | SP_PERIODIC);
    sp_check_next_event("one-shot");
    CHECK_EQ(now_ns, t0 + 50 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_EQ(spr(0, SP_RIS), 1);
    /* halts at zero: no reload, no further interrupt */
    advance(1000 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 0);
    spw(0, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), NEVER);
    advance(1000000 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_EQ(spr(0, SP_RIS), 0);
    CHECK_FALSE(vsp804_line(&sp));

    /* a big jump straight past the expiry of a new shot */
    t0 = now_ns;
    spw(0, SP_LOAD, 20);
    spw(0, SP_CTRL, SP_EN | SP_ONESHOT | SP_IE | SP_32BIT);
    advance(1000000 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_TRUE(vsp804_line(&sp));
}

static void test_sp804_prescale(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 1000);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT | SP_PRE16);
    now_ns = t0 + 16 * SP_TICK - 1;
    CHECK_EQ(spr(0, SP_VALUE), 1000);
    now_ns = t0 + 16 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 999);
    now_ns = t0 + 16 * 600 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 400);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 16 * 1000 * SP_TICK);
    sp_check_next_event("prescale 16");
}

/* IntEnable gates TIMINTx and TimerXMIS, not TimerXRIS. */
static void test_sp804_int_enable(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 10);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_32BIT);
    CHECK_EQ(vsp804_next_event(&sp), NEVER);                /* can't interrupt */
    now_ns = t0 + 10 * SP_TICK;
    CHECK_EQ(spr(0, SP_RIS), 1);
    CHECK_EQ(spr(0, SP_MIS), 0);
    CHECK_FALSE(vsp804_line(&sp));
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_32BIT | SP_IE);
    CHECK_EQ(spr(0, SP_MIS), 1);
    CHECK_TRUE(vsp804_line(&sp));
    CHECK_EQ(spr(0, SP_CTRL), SP_EN | SP_PERIODIC | SP_32BIT | SP_IE);
    /* changing the control register while running doesn't restart */
    now_ns = t0 + 16 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 5);
}

static void test_sp804_disable_freezes(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 1000);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    now_ns = t0 + 300 * SP_TICK;
    spw(0, SP_CTRL, SP_PERIODIC | SP_IE | SP_32BIT);
    CHECK_EQ(spr(0, SP_VALUE), 700);
    advance(5000 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 700);
    CHECK_EQ(vsp804_next_event(&sp), NEVER);
    CHECK_FALSE(vsp804_line(&sp));
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    t0 = now_ns;
    CHECK_EQ(vsp804_next_event(&sp), t0 + 700 * SP_TICK);
    advance(200 * SP_TICK);
    CHECK_EQ(spr(0, SP_VALUE), 500);
}

static void test_sp804_load_and_bgload(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 100);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    now_ns = t0 + 40 * SP_TICK;
    /* BGLOAD: the next reload value, the count goes on */
    spw(0, SP_BGLOAD, 9);
    CHECK_EQ(spr(0, SP_LOAD), 9);
    CHECK_EQ(spr(0, SP_BGLOAD), 9);
    CHECK_EQ(spr(0, SP_VALUE), 60);
    now_ns = t0 + 100 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0);
    now_ns = t0 + 101 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 9);
    now_ns = t0 + 110 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 0);
    /* LOAD: restarts the count immediately */
    now_ns = t0 + 113 * SP_TICK;
    spw(0, SP_LOAD, 500);
    CHECK_EQ(spr(0, SP_VALUE), 500);
    spw(0, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 613 * SP_TICK);
    sp_check_next_event("after LOAD");
}

static void test_sp804_two_timers(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 300);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    spw(1, SP_LOAD, 200);
    spw(1, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 200 * SP_TICK);   /* the earlier one */
    sp_check_next_event("timer 2");
    CHECK_EQ(spr(1, SP_RIS), 1);
    CHECK_EQ(spr(0, SP_RIS), 0);
    CHECK_EQ(spr(0, SP_VALUE), 100);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 300 * SP_TICK);   /* timer 2 already raised */
    now_ns = t0 + 250 * SP_TICK;
    spw(1, SP_INTCLR, 1);
    CHECK_FALSE(vsp804_line(&sp));
    CHECK_EQ(vsp804_next_event(&sp), t0 + 300 * SP_TICK);
    sp_check_next_event("timer 1");
    CHECK_EQ(spr(0, SP_RIS), 1);
    CHECK_EQ(spr(1, SP_RIS), 0);
    now_ns = t0 + 350 * SP_TICK;            /* (clearing on the zero tick: see below) */
    spw(0, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 401 * SP_TICK);   /* timer 2: 200 + 201 */
    /* non-word accesses and offsets past the two timers: RAZ/WI */
    CHECK_EQ(vsp804_read(&sp, SP_LOAD, 2), 0);
    vsp804_write(&sp, SP_LOAD, 1, 7);
    CHECK_EQ(spr(0, SP_LOAD), 300);
    vsp804_write(&sp, 0x40, 4, 7);
    CHECK_EQ(vsp804_read(&sp, 0x40, 4), 0);
}

static void test_sp804_big_jumps(void **state)
{
    static const struct { uint32_t load, ctrl; uint64_t tick; } cfg[] = {
        { 999, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT, SP_TICK },
        { 7, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT, SP_TICK },
        { 0x8000, SP_EN | SP_PERIODIC | SP_IE, SP_TICK },
        { 12345, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT | SP_PRE16, 16 * SP_TICK },
        { 3, SP_EN | SP_IE, SP_TICK },                      /* free-running 16-bit */
    };
    uint32_t seed = 0x5EED5EEDu;

    for (size_t c = 0; c < sizeof(cfg) / sizeof(cfg[0]); c++) {
        setup(NULL);
        uint64_t t0 = now_ns, L = (cfg[c].ctrl & SP_PERIODIC) ? cfg[c].load : 0xFFFF;
        spw(0, SP_LOAD, cfg[c].load);
        spw(0, SP_CTRL, cfg[c].ctrl);
        for (unsigned step = 0; step < 300; step++) {
            uint32_t x = unit_rand(&seed);
            /* jumps from a few ns to hundreds of periods */
            uint64_t jump = (x % 4 == 0) ? x % 5000 :
                            (x % 4 == 1) ? (uint64_t)(x >> 4) % (cfg[c].tick * (L + 1) * 300) :
                            (uint64_t)(x >> 4) % (cfg[c].tick * 3);
            advance(jump);
            uint64_t T = (now_ns - t0) / cfg[c].tick;
            uint64_t exp = count_at(cfg[c].load, L, T);
            if (x & (1u << 30)) {                           /* look, or not */
                CHECK_EQ_CTX(spr(0, SP_VALUE), exp, "cfg %zu step %u T %llu", c, step,
                             (unsigned long long)T);
                CHECK_EQ_CTX(spr(0, SP_RIS), T >= cfg[c].load, "cfg %zu step %u", c, step);
            }
        }
    }
}

/* The count is the same whether or not the guest looks in between. */
static void test_sp804_reads_do_not_perturb(void **state)
{
    struct vsp804 a, b;
    uint32_t seed = 0xABCDEF01u;
    uint64_t ta;

    vsp804_reset(&a, SP_HZ, fake_now);
    vsp804_write(&a, SP_LOAD, 4, 777);
    vsp804_write(&a, SP_CTRL, 4, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    b = a;
    ta = now_ns;
    for (unsigned step = 0; step < 2000; step++) {
        advance(unit_rand(&seed) % 200000);
        vsp804_read(&a, SP_VALUE, 4);
        if (step % 97 == 0) {
            CHECK_EQ_CTX(vsp804_read(&b, SP_VALUE, 4), vsp804_read(&a, SP_VALUE, 4),
                         "step %u, %llu ns", step, (unsigned long long)(now_ns - ta));
        }
    }
}

/* ---- SP804 bugs ---------------------------------------------------------- */

/*
 * A periodic timer looked at exactly on its zero tick, its interrupt cleared
 * by the guest before the next tick: the reload one tick later must not
 * raise the interrupt again, and the next event is a full period (load + 1
 * ticks) after the zero.  (At 1 MHz / 256 the zero tick lasts 256 us, and
 * the monitor looks at the timer at exactly next_event.)
 */
static void test_sp804_clear_on_zero_tick(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 100);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    now_ns = t0 + 100 * SP_TICK;
    CHECK_TRUE(vsp804_line(&sp));
    CHECK_EQ(spr(0, SP_VALUE), 0);
    spw(0, SP_INTCLR, 1);                                   /* same tick */
    CHECK_FALSE(vsp804_line(&sp));
    now_ns = t0 + 101 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 100);                        /* reloaded */
    CHECK_EQ(spr(0, SP_RIS), 0);                            /* and no new interrupt */
    CHECK_FALSE(vsp804_line(&sp));

    /* and the prediction right after such a clear is the next zero */
    setup(NULL);
    t0 = now_ns;
    spw(0, SP_LOAD, 100);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    now_ns = t0 + 100 * SP_TICK;
    CHECK_TRUE(vsp804_line(&sp));
    spw(0, SP_INTCLR, 1);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 201 * SP_TICK);
}

/* Prescale 256 of the 1 MHz reference: 3906.25 Hz, 256 us per tick; 1000
 * ticks in 256 ms.  (The board's real SP804 clock with the largest
 * prescale.) */
static void test_sp804_prescale_256_rate(void **state)
{
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 100000);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT | SP_PRE256);
    now_ns = t0 + 256 * SP_TICK;
    CHECK_EQ(spr(0, SP_VALUE), 99999);
    now_ns = t0 + 256000000ull;                             /* 256 ms */
    CHECK_EQ(spr(0, SP_VALUE), 99000);
    now_ns = t0 + 25600000000ull;                           /* 25.6 s: zero */
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_EQ(spr(0, SP_RIS), 1);

    setup(NULL);
    t0 = now_ns;
    spw(0, SP_LOAD, 10);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT | SP_PRE256);
    CHECK_EQ(vsp804_next_event(&sp), t0 + 10 * 256 * SP_TICK);
    sp_check_next_event("prescale 256");
}

/* next_event with a tick that isn't a whole number of ns must round up: the
 * line is raised at the predicted time.  A 3 MHz reference, no prescale:
 * 333.33 ns per tick (the rate itself is an exact integer here). */
static void test_sp804_next_event_rounding(void **state)
{
    vsp804_reset(&sp, 3000000, fake_now);
    uint64_t t0 = now_ns;
    spw(0, SP_LOAD, 1000);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    now_ns = t0 + 333333;                           /* 999.999 ticks */
    CHECK_EQ(spr(0, SP_VALUE), 1);
    now_ns = t0 + 333334;                           /* 1000.002 ticks */
    CHECK_EQ(spr(0, SP_VALUE), 0);
    CHECK_TRUE(vsp804_line(&sp));

    vsp804_reset(&sp, 3000000, fake_now);
    t0 = now_ns;
    spw(0, SP_LOAD, 1000);
    spw(0, SP_CTRL, SP_EN | SP_PERIODIC | SP_IE | SP_32BIT);
    sp_check_next_event("3 MHz");
    CHECK_EQ(now_ns, t0 + 333334);                          /* ceil(1000 / 3 MHz) */
}

/* ==== Cortex-A9 private timer ============================================ */

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_sp804_reset_and_ids), T(test_sp804_periodic), T(test_sp804_free_running),
        T(test_sp804_16bit_periodic), T(test_sp804_one_shot), T(test_sp804_prescale),
        T(test_sp804_int_enable), T(test_sp804_disable_freezes), T(test_sp804_load_and_bgload),
        T(test_sp804_two_timers), T(test_sp804_big_jumps), T(test_sp804_reads_do_not_perturb),
        T(test_sp804_clear_on_zero_tick), T(test_sp804_prescale_256_rate),
        T(test_sp804_next_event_rounding),
    };
    return UNIT_RUN("sp804", tests);
}
