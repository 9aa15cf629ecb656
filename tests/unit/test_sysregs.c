/*
 * drivers/emul/sysregs.c: the board's system registers (V2M-P1, ARM DUI
 * 0447 4.3; RealView PB-A8, ARM DUI 0417 4.3) as guests see them.
 */
#include "unit.h"
#include "../../drivers/emul/sysregs.h"

static uint64_t now_ns;
static uint64_t clock_ns(void) { return now_ns; }

static struct vsysregs S;
static uint32_t rd(uint32_t off) { return vsysregs_read(&S, off, 4); }
static void wr(uint32_t off, uint32_t v) { vsysregs_write(&S, off, 4, v); }

static void test_identity_and_counters(void **state)
{
    now_ns = 0;
    vsysregs_reset(&S, SYSREGS_VEXPRESS, 0x1190F500, 0x0C000191, clock_ns);
    CHECK_EQ(rd(0x000), 0x1190F500);                    /* SYS_ID */
    CHECK_EQ(rd(0x084), 0x0C000191);                    /* SYS_PROCID0 */
    CHECK_EQ(vsysregs_read(&S, 0x001, 1), 0xF5);        /* byte of SYS_ID */
    CHECK_EQ(vsysregs_read(&S, 0x002, 2), 0x1190);
    wr(0x000, 0);                                       /* read-only */
    CHECK_EQ(rd(0x000), 0x1190F500);
    now_ns = 1000000000ull;                             /* 1 s */
    CHECK_EQ(rd(0x05C), 24000000);                      /* SYS_24MHZ */
    CHECK_EQ(rd(0x024), 100);                           /* SYS_100HZ */
    now_ns = 1000ull * 1000000000ull + 500;             /* wraps at 2^32 */
    CHECK_EQ(rd(0x05C), (uint32_t)(24000000000ull + 12));
}

static void test_flags_leds_raz(void **state)
{
    vsysregs_reset(&S, SYSREGS_REALVIEW, 0x01780500, 0x0E000000, clock_ns);
    wr(0x030, 0x00A0000F);
    wr(0x034, 0x00000005);
    CHECK_EQ(rd(0x030), 0x00A0000A);
    wr(0x038, 0x3);
    wr(0x03C, 0x1);
    CHECK_EQ(rd(0x038), 0x2);
    wr(0x008, 0x1A5);
    CHECK_EQ(rd(0x008), 0xA5);
    /* everything not modelled reads as zero and ignores writes */
    static const uint32_t raz[] = { 0x004, 0x00C, 0x028, 0x044, 0x048, 0x04C, 0x050, 0x058,
                                    0x060, 0x064, 0x0A0, 0x0A4, 0x0FC, 0xFFC };
    for (size_t k = 0; k < sizeof(raz) / sizeof(raz[0]); k++) {
        wr(raz[k], 0xFFFFFFFF);
        CHECK_EQ_CTX(rd(raz[k]), 0, "offset 0x%03x", (unsigned)raz[k]);
    }
    CHECK_EQ(S.request, SYSREQ_NONE);
}

static void test_realview_reset(void **state)
{
    vsysregs_reset(&S, SYSREGS_REALVIEW, 0x01780500, 0x0E000000, clock_ns);
    CHECK_EQ(rd(0x020) & (1u << 16), 1u << 16);         /* locked */
    wr(0x040, 0x100);                                   /* ignored while locked */
    CHECK_EQ(S.request, SYSREQ_NONE);
    wr(0x020, 0xA05F);                                  /* unlock */
    CHECK_EQ(rd(0x020), 0xA05F);
    wr(0x040, 0x004);                                   /* no reset bit */
    CHECK_EQ(S.request, SYSREQ_NONE);
    wr(0x040, 0x104);
    CHECK_EQ(S.request, SYSREQ_RESTART);
    wr(0x020, 0);
    CHECK_EQ(rd(0x020) & (1u << 16), 1u << 16);
}

static void test_vexpress_power(void **state)
{
    vsysregs_reset(&S, SYSREGS_VEXPRESS, 0x1190F500, 0x0C000191, clock_ns);
    /* a read of an oscillator: completes, data 0, nothing requested */
    wr(0x0A0, 0x1234);
    wr(0x0A4, (1u << 31) | (1u << 20) | 1);
    CHECK_EQ(rd(0x0A8) & 1, 1);
    CHECK_EQ(rd(0x0A0), 0);
    CHECK_EQ(rd(0x0A4) >> 31, 0);                       /* start clears */
    CHECK_EQ(S.request, SYSREQ_NONE);
    /* shutdown / reboot on another site or device: not the machine's */
    wr(0x0A4, (1u << 31) | (1u << 30) | (8u << 20) | (1u << 16));
    wr(0x0A4, (1u << 31) | (1u << 30) | (8u << 20) | 1);
    CHECK_EQ(S.request, SYSREQ_NONE);
    wr(0x0A8, 0);
    wr(0x0A4, (1u << 31) | (1u << 30) | (9u << 20));    /* reboot */
    CHECK_EQ(S.request, SYSREQ_RESTART);
    CHECK_EQ(rd(0x0A8) & 1, 1);
    S.request = SYSREQ_NONE;
    wr(0x0A4, (1u << 31) | (1u << 30) | (8u << 20));    /* shutdown */
    CHECK_EQ(S.request, SYSREQ_POWER_OFF);
    /* RealView's lock and reset control are not there */
    S.request = SYSREQ_NONE;
    wr(0x020, 0xA05F);
    wr(0x040, 0x104);
    CHECK_EQ(rd(0x020), 0);
    CHECK_EQ(S.request, SYSREQ_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_identity_and_counters, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_flags_leds_raz, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_realview_reset, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_vexpress_power, unit_ubsan_teardown),
    };
    return UNIT_RUN("sysregs", tests);
}
