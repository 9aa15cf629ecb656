/*
 * The SP804 and Cortex-A9 private timer models (drivers/emul/sp804.c, a9timer.c) on
 * a fuzzed sequence of register accesses (any offset, any size), time
 * steps of every length (up to ~70 years of ns, wrapping counters many
 * times; the monitor's clock itself stays below 2^62 ns) and next-event
 * queries.  Checked: no UB, overflow into the sign or division by zero
 * anywhere (UBSan), and the interrupt line is a function of the state and
 * the time (asking twice at the same time gives the same answer).
 */
#include "fuzz.h"
#include "../../drivers/emul/sp804.h"
#include "../../drivers/emul/a9timer.h"

static uint64_t now_ns;
static uint64_t fake_now(void) { return now_ns; }

static unsigned sizes[3] = { 1, 2, 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct vsp804 sp;
    struct va9timer pt;

    now_ns = 1000000;
    vsp804_reset(&sp, 1000000, fake_now);
    va9timer_reset(&pt, 100000000, fake_now);
    while (fin_more(&f)) {
        uint8_t op = fin_u8(&f);
        unsigned sz = sizes[(op >> 4) % 3];
        uint32_t off = fin_u16(&f) & ~(sz - 1), val = fin_u32(&f);
        bool l1, l2;

        switch (op & 7) {
        case 0: (void)vsp804_read(&sp, off & 0xFFF, sz); break;
        case 1: vsp804_write(&sp, off & 0xFFF, sz, val); break;
        case 2: (void)va9timer_read(&pt, off & 0x1F, sz); break;
        case 3: va9timer_write(&pt, off & 0x1F, sz, val); break;
        case 4: now_ns += val; break;
        case 5:                                         /* up to 2^59 ns at once */
            if (now_ns < 1ull << 62)
                now_ns += (uint64_t)val << (op >> 5 << 2);
            break;
        case 6: (void)vsp804_next_event(&sp); (void)va9timer_next_event(&pt); break;
        default:
            l1 = vsp804_line(&sp);
            l2 = vsp804_line(&sp);
            FUZZ_CHECK(l1 == l2, "SP804 line changed between two looks at the same time");
            l1 = va9timer_line(&pt);
            l2 = va9timer_line(&pt);
            FUZZ_CHECK(l1 == l2, "A9 timer line changed between two looks at the same time");
            break;
        }
    }
    return 0;
}
