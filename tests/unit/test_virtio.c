/*
 * drivers/emul/virtio_mmio.c + virtqueue.c, through the virtio-console
 * device (virtio_console.c): the virtio-mmio registers (virtio 1.2 4.2.2),
 * feature negotiation (3.1.1), device reset, split virtqueues (2.7) with
 * direct, chained and indirect descriptors, index wrap-around, notification
 * suppression both ways (2.7.7, 2.7.10), and every malformed-queue case:
 * the device ends in DEVICE_NEEDS_RESET with the documented cause, a
 * config-change interrupt, nothing consumed after the bad chain, and no
 * access outside the fake guest RAM (drv_oob).
 */
#include "virtio_drv.h"
#include "../../drivers/emul/virtio_console.h"

#define RXQ VIRTIO_CONSOLE_RXQ
#define TXQ VIRTIO_CONSOLE_TXQ
#define ALL_F (DRV_F_V1 | DRV_F_INDIRECT | DRV_F_EVENT_IDX)

static struct virtio_console con;
static struct drv_dev d;
static char sink_buf[4096];
static unsigned sink_len, rx_ready_calls;

static void sink(void *ctx, const char *buf, unsigned len)
{
    assert_ptr_equal(ctx, &con);
    for (unsigned k = 0; k < len && sink_len < sizeof(sink_buf); k++)
        sink_buf[sink_len++] = buf[k];
}

static void rx_ready(void *ctx)
{
    rx_ready_calls++;
}

static int setup(void **state)
{
    drv_ram_init();
    sink_len = rx_ready_calls = 0;
    memset(sink_buf, 0, sizeof(sink_buf));
    virtio_console_init(&con, &drv_mem, sink, rx_ready, &con);
    d = (struct drv_dev){ .t = &con.t, .base = DRV_RAM_BASE };
    return 0;
}

static int teardown(void **state)
{
    CHECK_EQ(drv_oob, 0);          /* the device never reached outside guest RAM */
    return unit_ubsan_teardown(state);
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static uint32_t rd(uint32_t off) { return drv_rd(&d, off); }
static void wr(uint32_t off, uint32_t v) { drv_wr(&d, off, v); }

/* Data buffer n (1 KiB each) and its content. */
static uint64_t buf(unsigned n) { return DRV_BUF + 0x400ull * n; }
static void fill(unsigned n, const char *s) { memcpy(drv_ptr(buf(n)), s, strlen(s)); }

/* The device is broken with cause `why`, nothing was returned on `q`. */
static void check_broken(enum vq_err why, unsigned q, uint16_t used)
{
    CHECK_EQ_CTX(con.t.error, why, "cause: %s", vq_err_names[con.t.error]);
    CHECK_EQ(con.t.error_queue, q);
    CHECK_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_TRUE(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    CHECK_TRUE(virtio_mmio_line(&con.t));
    CHECK_EQ(drv_used_idx(&d, q), used);
}

/* ---- registers ------------------------------------------------------------ */

static void test_identity_registers(void **state)
{
    CHECK_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(rd(VIRTIO_MMIO_VERSION_REG), 2);
    CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 3);
    CHECK_EQ(rd(VIRTIO_MMIO_VENDOR_ID), VIRTIO_MMIO_VENDOR);
    CHECK_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    for (uint32_t off = VIRTIO_MMIO_SHM_LEN_LOW; off <= VIRTIO_MMIO_SHM_BASE_HIGH; off += 4)
        CHECK_EQ_CTX(rd(off), 0xFFFFFFFFu, "shm register 0x%x", off);
    /* write-only registers read 0 */
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 8);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NUM), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NOTIFY), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_DRIVER_FEATURES), 0);
    /* read-only registers ignore writes */
    wr(VIRTIO_MMIO_MAGIC_VALUE, 0);
    wr(VIRTIO_MMIO_DEVICE_ID, 7);
    wr(VIRTIO_MMIO_INTERRUPT_STATUS, 3);
    CHECK_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 3);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}

static void test_queue_num_max(void **state)
{
    wr(VIRTIO_MMIO_QUEUE_SEL, RXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), VQ_NUM_MAX);
    wr(VIRTIO_MMIO_QUEUE_SEL, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), VQ_NUM_MAX);
    wr(VIRTIO_MMIO_QUEUE_SEL, 2);          /* no such queue */
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
}

static void test_register_access_size(void **state)
{
    /* registers are 32-bit only (4.2.2.2): other sizes read 0, writes ignored */
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_MAGIC_VALUE, 1), 0);
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_MAGIC_VALUE, 2), 0);
    virtio_mmio_write(&con.t, VIRTIO_MMIO_STATUS, 2, VIRTIO_STATUS_ACKNOWLEDGE);
    virtio_mmio_write(&con.t, VIRTIO_MMIO_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
}

static void test_features_offered(void **state)
{
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES),
             (1u << VIRTIO_F_INDIRECT_DESC) | (1u << VIRTIO_F_EVENT_IDX) |
             (1u << VIRTIO_CONSOLE_F_EMERG_WRITE));
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1);     /* VERSION_1 */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
}

static void test_negotiation_accepts_subset_with_version1(void **state)
{
    d.t = &con.t;
    CHECK_EQ(drv_negotiate(&d, DRV_F_V1 | DRV_F_EVENT_IDX),
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    CHECK_TRUE(virtio_has_feature(&con.t, VIRTIO_F_EVENT_IDX));
    CHECK_TRUE(virtio_has_feature(&con.t, VIRTIO_F_VERSION_1));
    CHECK_FALSE(virtio_has_feature(&con.t, VIRTIO_F_INDIRECT_DESC));
    CHECK_FALSE(virtio_has_feature(&con.t, 200));
}

static void test_negotiation_requires_version1(void **state)
{
    CHECK_EQ(drv_negotiate(&d, DRV_F_EVENT_IDX), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    CHECK_FALSE(virtio_has_feature(&con.t, VIRTIO_F_EVENT_IDX));
}

static void test_negotiation_rejects_unoffered(void **state)
{
    /* bit 0 (F_SIZE) and bit 33 (ACCESS_PLATFORM) are not offered */
    CHECK_EQ(drv_negotiate(&d, DRV_F_V1 | 1), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    CHECK_EQ(drv_negotiate(&d, DRV_F_V1 | (1ull << 33)),
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    /* the driver may then retry with a subset */
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);
    wr(VIRTIO_MMIO_STATUS, 0xB);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0xB);
}

static void test_features_frozen_after_features_ok(void **state)
{
    drv_negotiate(&d, DRV_F_V1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_F_EVENT_IDX);
    CHECK_FALSE(virtio_has_feature(&con.t, VIRTIO_F_EVENT_IDX));
    CHECK_EQ(con.t.driver_features, DRV_F_V1);
}

static void test_driver_cannot_set_needs_reset(void **state)
{
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), VIRTIO_STATUS_ACKNOWLEDGE);
}

static void test_queue_registers_readback_and_frozen_when_ready(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    wr(VIRTIO_MMIO_QUEUE_SEL, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 1);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DESC_LOW), (uint32_t)drv_desc(&d, TXQ));
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DRIVER_LOW), (uint32_t)drv_avail(&d, TXQ));
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DEVICE_LOW), (uint32_t)drv_used(&d, TXQ));
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DESC_HIGH), 0);
    /* a ready queue's registers do not change */
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 1);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 2);
    CHECK_EQ(con.t.vq[TXQ].desc, drv_desc(&d, TXQ));
    CHECK_EQ(con.t.vq[TXQ].avail, drv_avail(&d, TXQ));
    CHECK_EQ(con.t.vq[TXQ].used, drv_used(&d, TXQ));
    CHECK_EQ(con.t.vq[TXQ].num, 8);
    /* QueueReady 0 stops it; then they change */
    wr(VIRTIO_MMIO_QUEUE_READY, 0);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 5);
    CHECK_EQ(con.t.vq[TXQ].desc, drv_desc(&d, TXQ) | 5ull << 32);
}

static void test_reset_by_status_zero(void **state)
{
    drv_setup(&d, &con.t, 0, ALL_F, 8);
    fill(0, "x");
    drv_put_desc(&d, TXQ, 0, buf(0), 1, 0, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_STATUS, 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK_FALSE(virtio_mmio_line(&con.t));
    CHECK_EQ(con.t.driver_features, 0);
    CHECK_EQ(con.t.queue_sel, 0);
    CHECK_EQ(con.t.dev_features_sel, 0);
    for (unsigned q = 0; q < 2; q++) {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
        CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DESC_LOW), 0);
        CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DRIVER_LOW), 0);
        CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_DEVICE_LOW), 0);
        CHECK_EQ(con.t.vq[q].num, 0);
        CHECK_EQ(con.t.vq[q].last_avail, 0);
        CHECK_EQ(con.t.vq[q].used_idx, 0);
    }
    /* and it works again from scratch */
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    drv_put_desc(&d, TXQ, 0, buf(0), 1, 0, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 2);
    CHECK_EQ(drv_used_idx(&d, TXQ), 1);
}

static void test_notify_ignored_unless_live(void **state)
{
    d.base = DRV_RAM_BASE;
    drv_negotiate(&d, DRV_F_V1);
    drv_queue(&d, TXQ, 8);
    fill(0, "abc");
    drv_put_desc(&d, TXQ, 0, buf(0), 3, 0, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);                   /* no DRIVER_OK yet */
    CHECK_EQ(sink_len, 0);
    wr(VIRTIO_MMIO_STATUS, 0xF);
    drv_notify(&d, 7);                     /* no such queue */
    drv_notify(&d, RXQ);                   /* not ready */
    CHECK_EQ(sink_len, 0);
    CHECK_EQ(rx_ready_calls, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 3);
    CHECK_EQ(memcmp(sink_buf, "abc", 3), 0);
}

static void test_interrupt_ack(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    con.t.isr = VIRTIO_INT_USED | VIRTIO_INT_CONFIG;
    CHECK_TRUE(virtio_mmio_line(&con.t));
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    CHECK_TRUE(virtio_mmio_line(&con.t));
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_CONFIG);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    CHECK_FALSE(virtio_mmio_line(&con.t));
}

static void test_config_space(void **state)
{
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 4, 4), 1);   /* max_nr_ports */
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 4, 1), 1);
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 4, 2), 1);
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 0, 4), 0);   /* cols, rows */
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 10, 4), 0);  /* crosses the end */
    CHECK_EQ(virtio_mmio_read(&con.t, VIRTIO_MMIO_CONFIG + 0xF0, 4), 0);
    /* emerg_wr works only once negotiated */
    virtio_mmio_write(&con.t, VIRTIO_MMIO_CONFIG + 8, 4, 'A');
    CHECK_EQ(sink_len, 0);
    drv_negotiate(&d, DRV_F_V1 | (1u << VIRTIO_CONSOLE_F_EMERG_WRITE));
    virtio_mmio_write(&con.t, VIRTIO_MMIO_CONFIG + 8, 4, 'A');
    virtio_mmio_write(&con.t, VIRTIO_MMIO_CONFIG + 8, 1, 'B');
    CHECK_EQ(sink_len, 2);
    CHECK_EQ(memcmp(sink_buf, "AB", 2), 0);
    virtio_config_changed(&con.t);
    CHECK_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 1);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
}

/* ---- queue enable checks ------------------------------------------------- */

/* Enable TXQ with the given parameters: the device must refuse. */
static void check_bad_queue(uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
    drv_negotiate(&d, DRV_F_V1);
    wr(VIRTIO_MMIO_QUEUE_SEL, TXQ);
    wr(VIRTIO_MMIO_QUEUE_NUM, num);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0x3 | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(con.t.error, VQ_ERR_RING);
    CHECK_EQ(con.t.error_queue, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    /* a reset clears it */
    wr(VIRTIO_MMIO_STATUS, 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(con.t.error, VQ_OK);
}

static void test_queue_enable_checks(void **state)
{
    uint64_t D = DRV_RAM_BASE, A = D + 0x1000, U = D + 0x2000, END = DRV_RAM_BASE + DRV_RAM_SIZE;

    check_bad_queue(0, D, A, U);                   /* size 0 */
    check_bad_queue(6, D, A, U);                   /* not a power of 2 */
    check_bad_queue(VQ_NUM_MAX * 2, D, A, U);      /* above QueueNumMax */
    check_bad_queue(8, D + 8, A, U);               /* descriptor table not 16-aligned */
    check_bad_queue(8, D, A + 1, U);               /* available ring not 2-aligned */
    check_bad_queue(8, D, A, U + 2);               /* used ring not 4-aligned */
    check_bad_queue(8, D - 0x1000, A, U);          /* below RAM */
    check_bad_queue(8, D, END - 8, U);             /* available ring crosses the end (6 + 2*8 bytes) */
    check_bad_queue(8, D, A, END - 64);            /* used ring crosses the end (6 + 8*8) */
    check_bad_queue(8, D | 1ull << 32, A, U);      /* high half set */
    check_bad_queue(8, D, A, 0xFFFFFFFFFFFFFFF0ull);   /* would wrap */
    check_bad_queue(8, END, A, U);                 /* just past RAM */
}

/* ---- rings ---------------------------------------------------------------- */

static void test_tx_single(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    fill(0, "hello");
    drv_put_desc(&d, TXQ, 3, buf(0), 5, 0, 0);
    drv_avail_add(&d, TXQ, 3);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 5);
    CHECK_EQ(memcmp(sink_buf, "hello", 5), 0);
    CHECK_EQ(drv_used_idx(&d, TXQ), 1);
    CHECK_EQ(drv_used_id(&d, TXQ, 0), 3);
    CHECK_EQ(drv_used_len(&d, TXQ, 0), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
    CHECK_EQ(con.tx_bytes, 5);
}

static void test_tx_chain_and_zero_length(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    fill(0, "ab");
    fill(1, "cde");
    fill(2, "f");
    drv_put_desc(&d, TXQ, 5, buf(0), 2, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, buf(1), 3, VIRTQ_DESC_F_NEXT, 7);
    drv_put_desc(&d, TXQ, 7, 0, 0, VIRTQ_DESC_F_NEXT, 2);     /* empty buffer: no access */
    drv_put_desc(&d, TXQ, 2, buf(2), 1, 0, 0);
    drv_avail_add(&d, TXQ, 5);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 6);
    CHECK_EQ(memcmp(sink_buf, "abcdef", 6), 0);
    CHECK_EQ(drv_used_id(&d, TXQ, 0), 5);
}

static void test_tx_full_length_chain(void **state)
{
    /* a chain of exactly the queue size is allowed */
    drv_setup(&d, &con.t, 0, DRV_F_V1, 4);
    fill(0, "wxyz");
    for (unsigned i = 0; i < 4; i++)
        drv_put_desc(&d, TXQ, i, buf(0) + i, 1, i < 3 ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    CHECK_EQ(memcmp(sink_buf, "wxyz", 4), 0);
}

static void test_tx_indirect(void **state)
{
    uint64_t table = buf(10);

    drv_setup(&d, &con.t, 0, DRV_F_V1 | DRV_F_INDIRECT, 8);
    fill(0, "12");
    fill(1, "345");
    drv_put_desc_at(table, 0, buf(0), 2, VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc_at(table, 2, buf(1), 3, 0, 0);
    /* the write flag of the descriptor naming the table is ignored */
    drv_put_desc(&d, TXQ, 0, table, 3 * 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 5);
    CHECK_EQ(memcmp(sink_buf, "12345", 5), 0);
    CHECK_EQ(drv_used_idx(&d, TXQ), 1);
}

static void test_tx_direct_then_indirect(void **state)
{
    uint64_t table = buf(10);

    drv_setup(&d, &con.t, 0, DRV_F_V1 | DRV_F_INDIRECT, 8);
    fill(0, "ab");
    fill(1, "cd");
    drv_put_desc_at(table, 0, buf(1), 2, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(0), 2, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, table, 16, VIRTQ_DESC_F_INDIRECT, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    CHECK_EQ(memcmp(sink_buf, "abcd", 4), 0);
}

static void test_tx_many_and_index_wrap(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 4);
    /* start both indices just below the 16-bit wrap */
    con.t.vq[TXQ].last_avail = con.t.vq[TXQ].used_idx = con.t.vq[TXQ].signalled_used = 0xFFFE;
    d.avail_idx[TXQ] = 0xFFFE;
    fill(0, "0123456789");
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < 4; i++) {
            drv_put_desc(&d, TXQ, i, buf(0) + round * 4 + i - (round == 2 ? 2 : 0), 1, 0, 0);
            drv_avail_add(&d, TXQ, (uint16_t)i);
        }
        drv_notify(&d, TXQ);
    }
    CHECK_EQ(sink_len, 12);
    CHECK_EQ(memcmp(sink_buf, "012345676789", 12), 0);
    CHECK_EQ(drv_used_idx(&d, TXQ), (uint16_t)(0xFFFE + 12));
    CHECK_EQ(con.t.vq[TXQ].last_avail, (uint16_t)(0xFFFE + 12));
    for (uint16_t k = 0; k < 12; k++)
        CHECK_EQ_CTX(drv_used_id(&d, TXQ, (uint16_t)(0xFFFE + k)), k % 4, "used entry %u", k);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void test_rx_input(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    CHECK_EQ(virtio_console_input(&con, (const uint8_t *)"zz", 2), 0);   /* nothing posted */
    drv_put_desc(&d, RXQ, 0, buf(0), 4, VIRTQ_DESC_F_WRITE, 0);
    drv_put_desc(&d, RXQ, 1, buf(1), 2, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc(&d, RXQ, 2, buf(2), 8, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, RXQ, 0);
    drv_avail_add(&d, RXQ, 1);
    drv_notify(&d, RXQ);
    CHECK_EQ(rx_ready_calls, 1);
    CHECK_EQ(virtio_console_input(&con, (const uint8_t *)"hello, world", 9), 9);
    CHECK_EQ(memcmp(drv_ptr(buf(0)), "hell", 4), 0);
    CHECK_EQ(memcmp(drv_ptr(buf(1)), "o,", 2), 0);
    CHECK_EQ(memcmp(drv_ptr(buf(2)), " wo", 3), 0);
    CHECK_EQ(drv_ptr(buf(2))[3], 0);
    CHECK_EQ(drv_used_idx(&d, RXQ), 2);
    CHECK_EQ(drv_used_id(&d, RXQ, 0), 0);
    CHECK_EQ(drv_used_len(&d, RXQ, 0), 4);
    CHECK_EQ(drv_used_id(&d, RXQ, 1), 1);
    CHECK_EQ(drv_used_len(&d, RXQ, 1), 5);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    CHECK_EQ(virtio_console_input(&con, (const uint8_t *)"!", 1), 0);    /* used up */
}

static void test_rx_readable_buffer_rejected(void **state)
{
    /* on the receive queue a device-readable buffer then a writable one is
     * fine, a writable then a readable one is malformed */
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    drv_put_desc(&d, RXQ, 0, buf(0), 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, RXQ, 1, buf(1), 4, 0, 0);
    drv_avail_add(&d, RXQ, 0);
    CHECK_EQ(virtio_console_input(&con, (const uint8_t *)"q", 1), 0);
    check_broken(VQ_ERR_ORDER, RXQ, 0);
    CHECK_EQ(drv_ptr(buf(0))[0], 0);
}

/* ---- notification suppression ---------------------------------------------- */

static void tx_one(uint16_t i)
{
    drv_put_desc(&d, TXQ, i, buf(0), 1, 0, 0);
    drv_avail_add(&d, TXQ, i);
}

static void test_no_interrupt_flag(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1, 8);
    fill(0, "n");
    drv_put16(drv_avail(&d, TXQ), VIRTQ_AVAIL_F_NO_INTERRUPT);
    tx_one(0);
    drv_notify(&d, TXQ);
    CHECK_EQ(drv_used_idx(&d, TXQ), 1);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    drv_put16(drv_avail(&d, TXQ), 0);
    tx_one(1);
    drv_notify(&d, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    /* without EVENT_IDX the device asks for every notification */
    CHECK_EQ(drv_get16(drv_used(&d, TXQ)), 0);
    CHECK_EQ(drv_avail_event(&d, TXQ), 0);
}

static void test_event_idx_used_event(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1 | DRV_F_EVENT_IDX, 8);
    fill(0, "e");
    /* the flag is ignored with EVENT_IDX (2.7.10) */
    drv_put16(drv_avail(&d, TXQ), VIRTQ_AVAIL_F_NO_INTERRUPT);
    drv_set_used_event(&d, TXQ, 0);        /* interrupt when entry 0 is used */
    tx_one(0);
    drv_notify(&d, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
    drv_set_used_event(&d, TXQ, 2);        /* not before entry 2 */
    tx_one(1);
    drv_notify(&d, TXQ);                   /* used 1 -> 2: entry 1 */
    CHECK_EQ(drv_used_idx(&d, TXQ), 2);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    tx_one(2);
    tx_one(3);
    drv_notify(&d, TXQ);                   /* used 2 -> 4 crosses entry 2 */
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
    tx_one(4);                             /* used_event stays 2: passed, no more */
    drv_notify(&d, TXQ);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}

static void test_event_idx_avail_event(void **state)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1 | DRV_F_EVENT_IDX, 8);
    fill(0, "a");
    tx_one(0);
    tx_one(1);
    tx_one(2);
    drv_notify(&d, TXQ);
    /* the device asks to be notified when entry 3 is made available */
    CHECK_EQ(drv_avail_event(&d, TXQ), 3);
    CHECK_EQ(drv_get16(drv_used(&d, TXQ)), 0);   /* used flags stay 0 */
}

static void test_range_in(void **state)
{
    /* the RAM check every accessor uses (flat RAM here, guest RAM in the monitor) */
    CHECK_TRUE(vq_range_in(0x1000, 0x100, 0x1000, 0x100));
    CHECK_TRUE(vq_range_in(0x1000, 0x100, 0x10FF, 1));
    CHECK_TRUE(vq_range_in(0x1000, 0x100, 0x1100, 0));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, 0x1100, 1));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, 0x0FFF, 2));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, 0x1001, 0x100));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, 0x1080, ~0ull));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, ~0ull, 2));
    CHECK_FALSE(vq_range_in(0x1000, 0x100, 0x1000 + (1ull << 32), 1));
}

static void test_need_event_formula(void **state)
{
    CHECK_TRUE(vq_need_event(0, 1, 0));
    CHECK_FALSE(vq_need_event(1, 1, 0));
    CHECK_TRUE(vq_need_event(1, 2, 0));
    CHECK_FALSE(vq_need_event(5, 3, 1));
    CHECK_TRUE(vq_need_event(0xFFFF, 1, 0xFFFE));    /* across the wrap */
    CHECK_FALSE(vq_need_event(2, 1, 0xFFFE));
    CHECK_FALSE(vq_need_event(0, 0, 0));             /* nothing new */
}

/* ---- malformed queues ---------------------------------------------------- */

static void bad_setup(uint64_t features)
{
    drv_setup(&d, &con.t, 0, DRV_F_V1 | features, 4);
    fill(0, "good");
}

/* One good chain first (head 3 -> "good"), then the bad chain at `head`:
 * the good one is processed, the bad one is not, the device is broken. */
static void run_bad(uint16_t head, enum vq_err why)
{
    drv_put_desc(&d, TXQ, 3, buf(0), 4, 0, 0);
    drv_avail_add(&d, TXQ, 3);
    drv_avail_add(&d, TXQ, head);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    CHECK_EQ(memcmp(sink_buf, "good", 4), 0);
    check_broken(why, TXQ, 1);
    CHECK_EQ(con.t.vq[TXQ].last_avail, 1);
    /* a broken device ignores further notifications; only a reset helps */
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    wr(VIRTIO_MMIO_STATUS, 0xF);
    CHECK_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_FALSE(virtio_live(&con.t));
    CHECK_EQ(con.t.errors, 1);
}

static void test_bad_head(void **state)
{
    bad_setup(0);
    run_bad(4, VQ_ERR_HEAD);
}

static void test_bad_next(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 4);
    run_bad(0, VQ_ERR_NEXT);
}

static void test_bad_buffer_outside_ram(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, DRV_RAM_BASE - 1, 1, 0, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_buffer_crosses_end(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, DRV_RAM_BASE + DRV_RAM_SIZE - 4, 5, 0, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_buffer_wraps(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, 0xFFFFFFFFFFFFFFF0ull, 0x20, 0, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_buffer_high_address(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1) | 1ull << 32, 4, 0, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_writable_buffer_outside_ram(void **state)
{
    /* a writable buffer the transmit side never writes is still checked */
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, 0x1000, 16, VIRTQ_DESC_F_WRITE, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_self_loop(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 0);
    run_bad(0, VQ_ERR_LOOP);
}

static void test_bad_loop(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, buf(1), 1, VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc(&d, TXQ, 2, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    run_bad(0, VQ_ERR_LOOP);
}

static void test_bad_chain_too_long(void **state)
{
    /* 2 direct + an indirect table of 3: 5 buffers in a queue of 4 */
    uint64_t table = buf(10);

    bad_setup(DRV_F_INDIRECT);
    for (unsigned i = 0; i < 3; i++)
        drv_put_desc_at(table, i, buf(1), 1, i < 2 ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, buf(1), 1, VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc(&d, TXQ, 2, table, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_CHAIN_LONG);
}

static void test_bad_indirect_not_negotiated(void **state)
{
    bad_setup(0);
    drv_put_desc_at(buf(10), 0, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 16, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_INDIRECT_FEAT);
}

static void test_bad_indirect_len_zero(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc(&d, TXQ, 0, buf(10), 0, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_INDIRECT_SIZE);
}

static void test_bad_indirect_len_not_multiple(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 17, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_INDIRECT_SIZE);
}

static void test_bad_indirect_too_big(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 5 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_INDIRECT_SIZE);
}

static void test_bad_indirect_outside_ram(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc(&d, TXQ, 0, DRV_RAM_BASE + DRV_RAM_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_BUFFER);
}

static void test_bad_indirect_nested(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc_at(buf(10), 1, buf(11), 16, VIRTQ_DESC_F_INDIRECT, 0);
    drv_put_desc_at(buf(11), 0, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 32, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_INDIRECT_NESTED);
}

static void test_bad_indirect_with_next(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, buf(1), 1, 0, 0);
    run_bad(0, VQ_ERR_INDIRECT_NEXT);
}

static void test_bad_indirect_next_out_of_table(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 2);    /* table has 2 */
    drv_put_desc_at(buf(10), 1, buf(1), 1, 0, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 32, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_NEXT);
}

static void test_bad_indirect_loop(void **state)
{
    bad_setup(DRV_F_INDIRECT);
    drv_put_desc_at(buf(10), 0, buf(1), 1, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc_at(buf(10), 1, buf(1), 1, VIRTQ_DESC_F_NEXT, 0);
    drv_put_desc(&d, TXQ, 0, buf(10), 32, VIRTQ_DESC_F_INDIRECT, 0);
    run_bad(0, VQ_ERR_LOOP);
}

static void test_bad_order(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 0, buf(1), 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, TXQ, 1, buf(1), 1, 0, 0);
    run_bad(0, VQ_ERR_ORDER);
}

static void test_bad_avail_idx_jump(void **state)
{
    bad_setup(0);
    drv_put_desc(&d, TXQ, 3, buf(0), 4, 0, 0);
    drv_avail_add(&d, TXQ, 3);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    drv_put16(drv_avail(&d, TXQ) + 2, 1 + 5);  /* 5 new entries in a queue of 4 */
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 4);
    check_broken(VQ_ERR_AVAIL_IDX, TXQ, 1);
}

static void test_bad_avail_idx_backwards(void **state)
{
    /* going back is a jump of almost 2^16 */
    bad_setup(0);
    drv_put16(drv_avail(&d, TXQ) + 2, 0xFFFF);
    drv_notify(&d, TXQ);
    check_broken(VQ_ERR_AVAIL_IDX, TXQ, 0);
}

static void test_bad_queue_leaves_other_device_alone(void **state)
{
    static struct virtio_console other;
    struct drv_dev d2;

    virtio_console_init(&other, &drv_mem, sink, NULL, &con);
    bad_setup(0);
    drv_setup(&d2, &other.t, 1, DRV_F_V1, 4);
    run_bad(9, VQ_ERR_HEAD);
    CHECK_EQ(virtio_mmio_read(&other.t, VIRTIO_MMIO_STATUS, 4), 0xF);
    memcpy(drv_ptr(buf(5)), "ok", 2);
    drv_put_desc(&d2, TXQ, 0, buf(5), 2, 0, 0);
    drv_avail_add(&d2, TXQ, 0);
    drv_notify(&d2, TXQ);
    CHECK_EQ(sink_len, 6);
    CHECK_EQ(memcmp(sink_buf + 4, "ok", 2), 0);
}

static void test_bad_then_reset_recovers(void **state)
{
    bad_setup(0);
    run_bad(7, VQ_ERR_HEAD);
    wr(VIRTIO_MMIO_STATUS, 0);
    CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    drv_setup(&d, &con.t, 0, DRV_F_V1, 4);
    drv_put_desc(&d, TXQ, 0, buf(0), 4, 0, 0);
    drv_avail_add(&d, TXQ, 0);
    drv_notify(&d, TXQ);
    CHECK_EQ(sink_len, 8);
    CHECK_EQ(drv_used_idx(&d, TXQ), 1);
    CHECK_FALSE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

/* A random soup of descriptors: never an access outside RAM, and either
 * all chains returned or the device broken (the fuzzer does this at scale). */
static void test_random_descriptors(void **state)
{
    uint32_t seed = 0x1234567;

    for (unsigned iter = 0; iter < 300; iter++) {
        setup(state);
        drv_setup(&d, &con.t, 0, DRV_F_V1 | DRV_F_INDIRECT | DRV_F_EVENT_IDX, 8);
        for (unsigned i = 0; i < 8; i++) {
            uint32_t r = unit_rand(&seed);
            uint64_t addr = (r & 1) ? buf(r >> 8 & 31) : (uint64_t)unit_rand(&seed) << (r >> 1 & 7);
            drv_put_desc(&d, TXQ, i, addr, unit_rand(&seed) & 0x7F, (uint16_t)(r >> 4 & 7),
                         (uint16_t)(r >> 12 & 7 ? r >> 16 & 7 : r >> 16 & 15));
        }
        for (unsigned i = 0; i < 5; i++)
            drv_avail_add(&d, TXQ, (uint16_t)(unit_rand(&seed) & 9));
        drv_notify(&d, TXQ);
        CHECK_EQ_CTX(drv_oob, 0, "iteration %u", iter);
        if (!(con.t.status & VIRTIO_STATUS_NEEDS_RESET))
            CHECK_EQ_CTX(drv_used_idx(&d, TXQ), 5, "iteration %u", iter);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity_registers), T(test_queue_num_max), T(test_register_access_size),
        T(test_features_offered), T(test_negotiation_accepts_subset_with_version1),
        T(test_negotiation_requires_version1), T(test_negotiation_rejects_unoffered),
        T(test_features_frozen_after_features_ok), T(test_driver_cannot_set_needs_reset),
        T(test_queue_registers_readback_and_frozen_when_ready), T(test_reset_by_status_zero),
        T(test_notify_ignored_unless_live), T(test_interrupt_ack), T(test_config_space),
        T(test_queue_enable_checks),
        T(test_tx_single), T(test_tx_chain_and_zero_length), T(test_tx_full_length_chain),
        T(test_tx_indirect), T(test_tx_direct_then_indirect), T(test_tx_many_and_index_wrap),
        T(test_rx_input), T(test_rx_readable_buffer_rejected),
        T(test_no_interrupt_flag), T(test_event_idx_used_event), T(test_event_idx_avail_event),
        T(test_need_event_formula), T(test_range_in),
        T(test_bad_head), T(test_bad_next), T(test_bad_buffer_outside_ram),
        T(test_bad_buffer_crosses_end), T(test_bad_buffer_wraps), T(test_bad_buffer_high_address),
        T(test_bad_writable_buffer_outside_ram), T(test_bad_self_loop), T(test_bad_loop),
        T(test_bad_chain_too_long), T(test_bad_indirect_not_negotiated),
        T(test_bad_indirect_len_zero), T(test_bad_indirect_len_not_multiple),
        T(test_bad_indirect_too_big), T(test_bad_indirect_outside_ram),
        T(test_bad_indirect_nested), T(test_bad_indirect_with_next),
        T(test_bad_indirect_next_out_of_table), T(test_bad_indirect_loop), T(test_bad_order),
        T(test_bad_avail_idx_jump), T(test_bad_avail_idx_backwards),
        T(test_bad_queue_leaves_other_device_alone), T(test_bad_then_reset_recovers),
        T(test_random_descriptors),
    };
    return UNIT_RUN("virtio", tests);
}
