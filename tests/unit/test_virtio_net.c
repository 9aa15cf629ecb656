/*
 * drivers/emul/virtio_net.c + vswitch.c: three guests' virtio-net devices
 * on one switch (virtio 1.2 section 5.1).  Unicast reaches only the port
 * with the destination MAC (a third port sees nothing), broadcast and
 * multicast reach every other port, frames are dropped and counted when no
 * receive buffer is posted, the buffer is too small, the frame is too
 * short/long, the source MAC is spoofed or no port has the destination.
 * The 12-byte virtio_net_hdr is skipped on transmit and written (zero,
 * num_buffers = 1) on receive.
 */
#include "virtio_drv.h"
#include "../../drivers/emul/virtio_net.h"

#define RXQ VIRTIO_NET_RXQ
#define TXQ VIRTIO_NET_TXQ
#define NET_F (DRV_F_V1 | DRV_F_EVENT_IDX | (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS))
#define NDEV 3

static struct vswitch sw;
static struct virtio_net net[NDEV];
static struct drv_dev d[NDEV];
static const uint8_t mac[NDEV][6] = {
    { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
    { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 },
    { 0x52, 0x54, 0x00, 0x00, 0x00, 0x03 },
};
static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
static const uint8_t mcast[6] = { 0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB };

/* Buffers: device n's receive buffers at rxbuf(n, i), its frames to send at txbuf(n). */
static uint64_t rxbuf(unsigned n, unsigned i) { return DRV_BUF + 0x8000ull * n + 0x800ull * i; }
static uint64_t txbuf(unsigned n) { return DRV_BUF + 0x8000ull * n + 0x6000; }

static int setup(void **state)
{
    drv_ram_init();
    memset(&sw, 0, sizeof(sw));
    for (unsigned n = 0; n < NDEV; n++) {
        assert_int_equal(virtio_net_init(&net[n], &drv_mem, mac[n], &sw), 0);
        drv_setup(&d[n], &net[n].t, n, NET_F, 8);
    }
    return 0;
}

static int teardown(void **state)
{
    CHECK_EQ(drv_oob, 0);
    return unit_ubsan_teardown(state);
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* Post `count` receive buffers of `len` bytes on device n. */
static void post_rx(unsigned n, unsigned count, uint32_t len)
{
    for (unsigned i = 0; i < count; i++) {
        uint16_t slot = (uint16_t)(d[n].avail_idx[RXQ] % 8);
        drv_put_desc(&d[n], RXQ, slot, rxbuf(n, slot), len, VIRTQ_DESC_F_WRITE, 0);
        drv_avail_add(&d[n], RXQ, slot);
    }
    drv_notify(&d[n], RXQ);
}

/* Device n sends a frame dst|src|type|payload of `len` bytes (header in a
 * separate descriptor, as Linux does without any_layout). */
static void send(unsigned n, const uint8_t *dst, const uint8_t *src, uint32_t len)
{
    uint8_t *f = drv_ptr(txbuf(n));
    uint16_t slot = (uint16_t)(d[n].avail_idx[TXQ] % 4) * 2;

    memset(f, 0, 12);
    memcpy(f + 12, dst, 6);
    memcpy(f + 18, src, 6);
    f[24] = 0x08;
    f[25] = 0x00;
    for (uint32_t k = 14; k < len; k++)
        f[12 + k] = (uint8_t)(k + n);
    drv_put_desc(&d[n], TXQ, slot, txbuf(n), 12, VIRTQ_DESC_F_NEXT, (uint16_t)(slot + 1));
    drv_put_desc(&d[n], TXQ, slot + 1, txbuf(n) + 12, len, 0, 0);
    drv_avail_add(&d[n], TXQ, slot);
    drv_notify(&d[n], TXQ);
}

/* Device n's receive entry i holds the frame device `from` sent (len bytes). */
static void check_received(unsigned n, uint16_t i, unsigned from, uint32_t len)
{
    uint16_t slot = (uint16_t)drv_used_id(&d[n], RXQ, i);
    uint8_t *p = drv_ptr(rxbuf(n, slot));

    CHECK_EQ(drv_used_len(&d[n], RXQ, i), 12 + len);
    for (unsigned k = 0; k < 10; k++)
        CHECK_EQ_CTX(p[k], 0, "header byte %u", k);
    CHECK_EQ(p[10] | p[11] << 8, 1);                      /* num_buffers */
    CHECK_EQ(memcmp(p + 12, drv_ptr(txbuf(from)) + 12, len), 0);
}

static void test_config_and_features(void **state)
{
    uint8_t m[6];

    for (unsigned k = 0; k < 6; k++)
        m[k] = (uint8_t)virtio_mmio_read(&net[1].t, VIRTIO_MMIO_CONFIG + k, 1);
    CHECK_EQ(memcmp(m, mac[1], 6), 0);
    CHECK_EQ(virtio_mmio_read(&net[1].t, VIRTIO_MMIO_CONFIG + 6, 2), VIRTIO_NET_S_LINK_UP);
    CHECK_EQ(virtio_mmio_read(&net[1].t, VIRTIO_MMIO_CONFIG + 4, 4), 0x00010200);  /* mac[4..5], status */
    CHECK_EQ(virtio_mmio_read(&net[1].t, VIRTIO_MMIO_DEVICE_ID, 4), 1);
    virtio_mmio_write(&net[1].t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 0);
    CHECK_EQ(virtio_mmio_read(&net[1].t, VIRTIO_MMIO_DEVICE_FEATURES, 4),
             (1u << VIRTIO_NET_F_MAC) | (1u << VIRTIO_NET_F_STATUS) |
             (1u << VIRTIO_F_INDIRECT_DESC) | (1u << VIRTIO_F_EVENT_IDX));
    virtio_mmio_write(&net[1].t, VIRTIO_MMIO_CONFIG, 1, 0x77);  /* read-only */
    CHECK_EQ(virtio_mmio_read(&net[1].t, VIRTIO_MMIO_CONFIG, 1), 0x52);
}

static void test_unicast_reaches_only_its_port(void **state)
{
    for (unsigned n = 0; n < NDEV; n++)
        post_rx(n, 4, 1600);
    send(0, mac[1], mac[0], 60);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 1);
    check_received(1, 0, 0, 60);
    CHECK_EQ(drv_used_idx(&d[2], RXQ), 0);               /* the third port sees nothing */
    CHECK_EQ(drv_used_idx(&d[0], RXQ), 0);               /* nor the sender */
    CHECK_EQ(drv_used_idx(&d[0], TXQ), 1);
    CHECK_EQ(drv_used_len(&d[0], TXQ, 0), 0);
    CHECK_EQ(net[0].port.tx_frames, 1);
    CHECK_EQ(net[1].port.rx_frames, 1);
    CHECK_EQ(net[2].port.rx_frames + net[2].port.rx_dropped, 0);
    CHECK_TRUE(virtio_mmio_line(&net[1].t));
    CHECK_FALSE(virtio_mmio_line(&net[2].t));
}

static void test_unicast_isolation_many(void **state)
{
    /* a conversation of 1514-byte frames both ways: port 2 sees none */
    post_rx(2, 8, 1600);
    for (unsigned r = 0; r < 20; r++) {
        post_rx(0, 1, 1600);
        post_rx(1, 1, 1600);
        send(0, mac[1], mac[0], 1514);
        send(1, mac[0], mac[1], 1514);
    }
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 20);
    CHECK_EQ(drv_used_idx(&d[0], RXQ), 20);
    check_received(0, 19, 1, 1514);
    check_received(1, 19, 0, 1514);
    CHECK_EQ(drv_used_idx(&d[2], RXQ), 0);
    CHECK_EQ(net[2].port.rx_frames + net[2].port.rx_dropped, 0);
    for (unsigned k = 0; k < 8; k++)
        CHECK_EQ_CTX(*drv_ptr(rxbuf(2, k) + 12), 0, "port 2 buffer %u written", k);
}

static void test_broadcast_reaches_all_others(void **state)
{
    for (unsigned n = 0; n < NDEV; n++)
        post_rx(n, 2, 1600);
    send(2, bcast, mac[2], 42);
    CHECK_EQ(drv_used_idx(&d[0], RXQ), 1);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 1);
    CHECK_EQ(drv_used_idx(&d[2], RXQ), 0);
    check_received(0, 0, 2, 42);
    check_received(1, 0, 2, 42);
    send(0, mcast, mac[0], 100);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 2);
    CHECK_EQ(drv_used_idx(&d[2], RXQ), 1);
    CHECK_EQ(drv_used_idx(&d[0], RXQ), 1);
    check_received(2, 0, 0, 100);
}

static void test_no_rx_buffer_drops(void **state)
{
    send(0, mac[1], mac[0], 60);
    CHECK_EQ(net[1].port.rx_dropped, 1);
    CHECK_EQ(net[1].port.rx_frames, 0);
    CHECK_EQ(drv_used_idx(&d[0], TXQ), 1);               /* the sender's buffer still returns */
    post_rx(1, 1, 1600);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 0);               /* the dropped frame is gone */
    send(0, mac[1], mac[0], 61);
    check_received(1, 0, 0, 61);
}

static void test_rx_buffer_too_small(void **state)
{
    post_rx(1, 1, 12 + 59);
    send(0, mac[1], mac[0], 60);
    CHECK_EQ(net[1].rx_small, 1);
    CHECK_EQ(net[1].port.rx_dropped, 1);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 1);
    CHECK_EQ(drv_used_len(&d[1], RXQ, 0), 0);
    CHECK_EQ(*drv_ptr(rxbuf(1, 0)), 0);
    CHECK_FALSE(net[1].t.status & VIRTIO_STATUS_NEEDS_RESET);
}

static void test_rx_scattered_buffer(void **state)
{
    /* header and frame in separate writable descriptors */
    drv_put_desc(&d[1], RXQ, 0, rxbuf(1, 0), 12, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d[1], RXQ, 1, rxbuf(1, 1), 1514, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d[1], RXQ, 0);
    send(0, mac[1], mac[0], 200);
    CHECK_EQ(drv_used_len(&d[1], RXQ, 0), 212);
    CHECK_EQ(*drv_ptr(rxbuf(1, 0) + 10), 1);
    CHECK_EQ(memcmp(drv_ptr(rxbuf(1, 1)), drv_ptr(txbuf(0)) + 12, 200), 0);
}

static void test_bad_frames_dropped(void **state)
{
    post_rx(1, 4, 1600);
    send(0, mac[1], mac[0], 13);                         /* shorter than an Ethernet header */
    send(0, mac[1], mac[0], ETH_FRAME_MAX + 1);          /* too long */
    CHECK_EQ(net[0].tx_bad, 2);
    send(0, mac[1], mac[2], 60);                         /* spoofed source */
    send(0, (const uint8_t[]){ 0x52, 0x54, 0, 0, 0, 9 }, mac[0], 60);   /* no such port */
    CHECK_EQ(net[0].port.tx_dropped, 4);
    CHECK_EQ(net[0].port.tx_frames, 0);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 0);
    CHECK_EQ(drv_used_idx(&d[0], TXQ), 4);               /* all returned */
    CHECK_FALSE(net[0].t.status & VIRTIO_STATUS_NEEDS_RESET);
    send(0, mac[1], mac[0], ETH_FRAME_MAX);              /* the largest allowed */
    check_received(1, 0, 0, ETH_FRAME_MAX);
}

static void test_receiver_not_live(void **state)
{
    post_rx(1, 2, 1600);
    virtio_mmio_write(&net[1].t, VIRTIO_MMIO_STATUS, 4, 0);   /* guest 1 resets its device */
    send(0, mac[1], mac[0], 60);
    CHECK_EQ(net[1].port.rx_dropped, 1);
    CHECK_EQ(drv_used_idx(&d[1], RXQ), 0);
}

static void test_broken_receiver_does_not_hurt_sender(void **state)
{
    post_rx(2, 1, 1600);
    /* port 1's receive ring holds a chain with a buffer outside RAM */
    drv_put_desc(&d[1], RXQ, 0, 0x1000, 1600, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d[1], RXQ, 0);
    send(0, bcast, mac[0], 60);
    CHECK_TRUE(net[1].t.status & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(net[1].t.error, VQ_ERR_BUFFER);
    CHECK_EQ(net[1].t.error_queue, RXQ);
    CHECK_FALSE(net[0].t.status & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_FALSE(net[2].t.status & VIRTIO_STATUS_NEEDS_RESET);
    check_received(2, 0, 0, 60);
    CHECK_EQ(drv_used_idx(&d[0], TXQ), 1);
}

static void test_tx_malformed_queue(void **state)
{
    drv_put_desc(&d[0], TXQ, 0, txbuf(0), 12, VIRTQ_DESC_F_NEXT, 0);     /* loop */
    drv_avail_add(&d[0], TXQ, 0);
    drv_notify(&d[0], TXQ);
    CHECK_EQ(net[0].t.error, VQ_ERR_LOOP);
    CHECK_EQ(drv_used_idx(&d[0], TXQ), 0);
    CHECK_EQ(net[0].port.tx_frames + net[0].port.tx_dropped, 0);
}

static void test_switch_attach_rules(void **state)
{
    static struct virtio_net extra;
    struct vswitch_port p = { .mac = { 0x01, 2, 3, 4, 5, 6 } };

    CHECK_EQ(virtio_net_init(&extra, &drv_mem, mac[1], &sw), -1);    /* duplicate MAC */
    CHECK_EQ(vswitch_attach(&sw, &p), -1);                          /* multicast MAC */
    CHECK_EQ(sw.nports, NDEV);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_config_and_features), T(test_unicast_reaches_only_its_port),
        T(test_unicast_isolation_many), T(test_broadcast_reaches_all_others),
        T(test_no_rx_buffer_drops), T(test_rx_buffer_too_small), T(test_rx_scattered_buffer),
        T(test_bad_frames_dropped), T(test_receiver_not_live),
        T(test_broken_receiver_does_not_hurt_sender), T(test_tx_malformed_queue),
        T(test_switch_attach_rules),
    };
    return UNIT_RUN("virtio_net", tests);
}
