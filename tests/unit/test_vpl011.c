/*
 * drivers/emul/pl011.c: the emulated PL011 UART, checked against the
 * PrimeCell UART (PL011) Technical Reference Manual (ARM DDI 0183): register
 * map (3.2), flag register (3.3.3), interrupts (3.4, 3.3.12-3.3.15) and the
 * FIFO trigger levels (3.3.11).  The model's receive FIFO is 32 entries.
 */
#include "unit.h"
#include "../../drivers/emul/pl011.h"

#define DR      0x000
#define RSR     0x004
#define FR      0x018
#define ILPR    0x020
#define IBRD    0x024
#define FBRD    0x028
#define LCR_H   0x02C
#define CR      0x030
#define IFLS    0x034
#define IMSC    0x038
#define RIS     0x03C
#define MIS     0x040
#define ICR     0x044
#define DMACR   0x048

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define I_RX    (1u << 4)
#define I_TX    (1u << 5)
#define I_RT    (1u << 6)
#define FEN     (1u << 4)
#define DEPTH   32

static struct vpl011 u;
static char txbuf[256];
static unsigned ntx;
static void *txctx;

static void tx_cb(void *ctx, char c)
{
    txctx = ctx;
    if (ntx < sizeof(txbuf))
        txbuf[ntx] = c;
    ntx++;
}

static uint32_t rd(uint32_t off) { return vpl011_read(&u, off, 4); }
static void wr(uint32_t off, uint32_t v) { vpl011_write(&u, off, 4, v); }

static int setup(void **state)
{
    ntx = 0;
    txctx = NULL;
    memset(txbuf, 0, sizeof(txbuf));
    vpl011_reset(&u, tx_cb, &ntx);
    return 0;
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* RX trigger level for IFLS.RXIFLSEL (3.3.11) with a 32-deep FIFO. */
static unsigned trigger(unsigned sel)
{
    static const unsigned lvl[5] = { DEPTH / 8, DEPTH / 4, DEPTH / 2, DEPTH * 3 / 4,
                                     DEPTH * 7 / 8 };
    return lvl[sel];
}

static void test_id_registers(void **state)
{
    static const uint32_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (unsigned i = 0; i < 8; i++) {
        CHECK_EQ_CTX(rd(0xFE0 + 4 * i), ids[i], "offset 0x%03x", 0xFE0 + 4 * i);
        wr(0xFE0 + 4 * i, 0);                       /* read-only */
        CHECK_EQ_CTX(rd(0xFE0 + 4 * i), ids[i], "offset 0x%03x", 0xFE0 + 4 * i);
    }
    /* UARTPeriphID: part number 0x011, designer ARM (0x41), revision 1 */
    CHECK_EQ((rd(0xFE4) & 0xF) << 8 | rd(0xFE0), 0x011);
    CHECK_EQ((rd(0xFE8) & 0xF) << 4 | rd(0xFE4) >> 4, 0x41);
    /* UARTPCellID = 0xB105F00D */
    CHECK_EQ(rd(0xFFC) << 24 | rd(0xFF8) << 16 | rd(0xFF4) << 8 | rd(0xFF0), 0xB105F00D);
}

static void test_reset_values(void **state)
{
    CHECK_EQ(rd(CR), 0x300);                        /* TXE, RXE (3.3.8) */
    CHECK_EQ(rd(IFLS), 0x12);                       /* both half full (3.3.11) */
    CHECK_EQ(rd(LCR_H), 0);
    CHECK_EQ(rd(IBRD), 0);
    CHECK_EQ(rd(FBRD), 0);
    CHECK_EQ(rd(ILPR), 0);
    CHECK_EQ(rd(IMSC), 0);
    CHECK_EQ(rd(RIS), 0);
    CHECK_EQ(rd(MIS), 0);
    CHECK_EQ(rd(DMACR), 0);
    CHECK_EQ(rd(RSR), 0);
    CHECK_EQ(rd(FR), FR_TXFE | FR_RXFE);
    CHECK_FALSE(vpl011_line(&u));
    CHECK_EQ(ntx, 0);
}

static void test_register_masks(void **state)
{
    wr(IBRD, 0xFFFFFFFF);
    CHECK_EQ(rd(IBRD), 0xFFFF);
    wr(FBRD, 0xFFFFFFFF);
    CHECK_EQ(rd(FBRD), 0x3F);
    wr(LCR_H, 0xFFFFFFFF);
    CHECK_EQ(rd(LCR_H), 0xFF);
    wr(ILPR, 0x1234);
    CHECK_EQ(rd(ILPR), 0x34);
    wr(IFLS, 0xFFFFFFFF);
    CHECK_EQ(rd(IFLS), 0x3F);
    wr(IMSC, 0xFFFFFFFF);
    CHECK_EQ(rd(IMSC), 0x7FF);
    wr(DMACR, 0xFFFFFFFF);
    CHECK_EQ(rd(DMACR), 7);
    wr(CR, 0x301);
    CHECK_EQ(rd(CR), 0x301);
    /* read-only / write-only registers */
    wr(FR, 0);
    CHECK_EQ(rd(FR), FR_TXFE | FR_RXFE);
    wr(RIS, 0xFFFFFFFF);
    wr(MIS, 0xFFFFFFFF);
    CHECK_EQ(rd(RIS), 0);
    CHECK_EQ(rd(ICR), 0);
    CHECK_EQ(ntx, 0);
}

static void test_transmit(void **state)
{
    wr(DR, 'h');
    wr(DR, 0x169);                                  /* only the data byte */
    CHECK_EQ(ntx, 2);
    CHECK_EQ(txbuf[0], 'h');
    CHECK_EQ(txbuf[1], 'i');
    CHECK_TRUE(txctx == &ntx);                      /* the reset's context */
    CHECK_EQ(rd(RIS) & I_TX, I_TX);
    CHECK_EQ(rd(MIS), 0);                           /* masked */
    CHECK_FALSE(vpl011_line(&u));
    wr(IMSC, I_TX);
    CHECK_EQ(rd(MIS), I_TX);
    CHECK_TRUE(vpl011_line(&u));
    wr(ICR, I_TX);
    CHECK_EQ(rd(RIS), 0);
    CHECK_FALSE(vpl011_line(&u));
    /* the transmit FIFO never fills: TXFE always, TXFF and BUSY never */
    for (unsigned i = 0; i < 100; i++) {
        wr(DR, 'a' + i % 26);
        CHECK_EQ_CTX(rd(FR) & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE, "byte %u", i);
    }
    CHECK_EQ(ntx, 102);
    CHECK_TRUE(vpl011_line(&u));
}

static void test_receive_fifo_disabled(void **state)
{
    /* FIFOs off (LCR_H.FEN = 0): a one-character holding register */
    CHECK_TRUE(vpl011_receive(&u, 'x'));
    CHECK_EQ(rd(FR) & (FR_RXFE | FR_RXFF), FR_RXFF);
    CHECK_FALSE(vpl011_receive(&u, 'y'));           /* full */
    CHECK_EQ(rd(RIS) & (I_RX | I_RT), I_RX);        /* filled: RX asserted (3.4) */
    CHECK_EQ(rd(DR), 'x');
    CHECK_EQ(rd(FR) & (FR_RXFE | FR_RXFF), FR_RXFE);
    CHECK_EQ(rd(RIS) & (I_RX | I_RT), 0);
    CHECK_EQ(rd(DR), 0);                            /* empty: nothing to pop */
    CHECK_TRUE(vpl011_receive(&u, 'z'));
    CHECK_EQ(rd(DR), 'z');
}

static void test_receive_fifo_order(void **state)
{
    wr(LCR_H, FEN | 0x60);                          /* 8 bits, FIFOs on */
    CHECK_EQ(rd(FR) & (FR_RXFE | FR_RXFF), FR_RXFE);
    for (unsigned i = 0; i < DEPTH; i++) {
        CHECK_EQ_CTX(vpl011_receive(&u, (uint8_t)(0x80 + i)), true, "byte %u", i);
        CHECK_EQ_CTX(rd(FR) & FR_RXFE, 0, "byte %u", i);
        CHECK_EQ_CTX(!!(rd(FR) & FR_RXFF), i == DEPTH - 1, "byte %u", i);
    }
    CHECK_FALSE(vpl011_receive(&u, 0xEE));          /* full: dropped */
    for (unsigned i = 0; i < DEPTH / 2; i++)
        CHECK_EQ_CTX(rd(DR), 0x80 + i, "pop %u", i);
    CHECK_EQ(rd(FR) & (FR_RXFE | FR_RXFF), 0);
    /* refill across the wrap of the circular buffer */
    for (unsigned i = 0; i < DEPTH / 2; i++)
        CHECK_TRUE(vpl011_receive(&u, (uint8_t)(0xC0 + i)));
    CHECK_FALSE(vpl011_receive(&u, 0xEE));
    for (unsigned i = DEPTH / 2; i < DEPTH; i++)
        CHECK_EQ_CTX(rd(DR), 0x80 + i, "pop %u", i);
    for (unsigned i = 0; i < DEPTH / 2; i++)
        CHECK_EQ_CTX(rd(DR), 0xC0 + i, "pop wrapped %u", i);
    CHECK_EQ(rd(FR) & (FR_RXFE | FR_RXFF), FR_RXFE);
    CHECK_EQ(rd(DR), 0);
    /* all 8 data bits come through */
    CHECK_TRUE(vpl011_receive(&u, 0xFF));
    CHECK_TRUE(vpl011_receive(&u, 0x00));
    CHECK_EQ(rd(DR), 0xFF);
    CHECK_EQ(rd(DR), 0x00);
}

static void test_rx_trigger_levels(void **state)
{
    for (unsigned sel = 0; sel < 5; sel++) {
        setup(NULL);
        wr(LCR_H, FEN);
        wr(IFLS, sel << 3 | 2);                     /* TX level unchanged */
        unsigned trig = trigger(sel);
        for (unsigned n = 1; n <= DEPTH; n++) {
            CHECK_TRUE(vpl011_receive(&u, (uint8_t)n));
            uint32_t ris = rd(RIS) & (I_RX | I_RT);
            /* RX once the level reaches the trigger; timeout below it */
            CHECK_EQ_CTX(ris, n >= trig ? I_RX : I_RT, "RXIFLSEL %u level %u", sel, n);
        }
        /* reading drops the level: RX deasserts below the trigger */
        for (unsigned n = DEPTH; n > 0; n--) {
            CHECK_EQ_CTX(rd(DR), DEPTH - n + 1, "RXIFLSEL %u", sel);
            uint32_t ris = rd(RIS) & (I_RX | I_RT);
            unsigned left = n - 1;
            CHECK_EQ_CTX(ris, left >= trig ? I_RX : left ? I_RT : 0, "RXIFLSEL %u level %u",
                         sel, left);
        }
    }
}

static void test_ifls_and_fen_changes(void **state)
{
    wr(LCR_H, FEN);
    for (unsigned i = 0; i < 8; i++)
        vpl011_receive(&u, 'a');
    CHECK_EQ(rd(RIS) & (I_RX | I_RT), I_RT);        /* 8 < 16 */
    wr(IFLS, 1 << 3);                               /* 1/4: 8 */
    CHECK_EQ(rd(RIS) & (I_RX | I_RT), I_RX);
    wr(IFLS, 4 << 3);                               /* 7/8: 28 */
    CHECK_EQ(rd(RIS) & (I_RX | I_RT), I_RT);
    CHECK_EQ(rd(IFLS), 4 << 3);
}

static void test_interrupt_mask_and_clear(void **state)
{
    wr(LCR_H, FEN);
    wr(IFLS, 0);                                    /* RX at 4 */
    vpl011_receive(&u, '1');
    CHECK_EQ(rd(RIS), I_RT);
    CHECK_EQ(rd(MIS), 0);
    CHECK_FALSE(vpl011_line(&u));
    wr(IMSC, I_RX);
    CHECK_EQ(rd(MIS), 0);                           /* RT not enabled */
    CHECK_FALSE(vpl011_line(&u));
    wr(IMSC, I_RX | I_RT);
    CHECK_EQ(rd(MIS), I_RT);
    CHECK_TRUE(vpl011_line(&u));
    for (unsigned i = 0; i < 3; i++)
        vpl011_receive(&u, '2');
    CHECK_EQ(rd(RIS), I_RX);
    CHECK_EQ(rd(MIS), I_RX);

    /* MIS = RIS & IMSC for every combination */
    wr(DR, 'o');
    for (uint32_t m = 0; m < 0x800; m += 0x10) {
        wr(IMSC, m);
        CHECK_EQ_CTX(rd(MIS), rd(RIS) & m, "IMSC 0x%03x", m);
        CHECK_EQ_CTX(vpl011_line(&u), (rd(RIS) & m) != 0, "IMSC 0x%03x", m);
    }
    wr(IMSC, I_RX | I_RT | I_TX);

    /* ICR: write-1-to-clear; RX stays asserted while the data remains */
    wr(ICR, 0);
    CHECK_EQ(rd(RIS), I_RX | I_TX);
    wr(ICR, I_TX);
    CHECK_EQ(rd(RIS), I_RX);
    wr(ICR, 0x7FF);
    CHECK_EQ(rd(RIS), I_RX);
    CHECK_TRUE(vpl011_line(&u));
    while (!(rd(FR) & FR_RXFE))
        rd(DR);
    CHECK_EQ(rd(RIS), 0);
    CHECK_FALSE(vpl011_line(&u));
    wr(ICR, 0x7FF);
    CHECK_EQ(rd(RIS), 0);
}

static void test_line_tracks_mis(void **state)
{
    uint32_t seed = 0xC0FFEEu;

    wr(LCR_H, FEN);
    for (unsigned step = 0; step < 5000; step++) {
        uint32_t x = unit_rand(&seed);
        switch (x % 6) {
        case 0: vpl011_receive(&u, (uint8_t)(x >> 8)); break;
        case 1: rd(DR); break;
        case 2: wr(DR, x >> 8); break;
        case 3: wr(ICR, x >> 8); break;
        case 4: wr(IMSC, x >> 8); break;
        case 5: wr(IFLS, x >> 8); break;
        }
        uint32_t ris = rd(RIS);
        CHECK_EQ_CTX(rd(MIS), ris & rd(IMSC), "step %u", step);
        CHECK_EQ_CTX(vpl011_line(&u), (ris & rd(IMSC)) != 0, "step %u", step);
        /* RX/RT: exactly one while data is held, none when empty */
        bool empty = rd(FR) & FR_RXFE;
        CHECK_EQ_CTX(__builtin_popcount(ris & (I_RX | I_RT)), empty ? 0 : 1, "step %u", step);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_id_registers), T(test_reset_values), T(test_register_masks),
        T(test_transmit), T(test_receive_fifo_disabled), T(test_receive_fifo_order),
        T(test_rx_trigger_levels), T(test_ifls_and_fen_changes),
        T(test_interrupt_mask_and_clear), T(test_line_tracks_mis),
    };
    return UNIT_RUN("vpl011", tests);
}
