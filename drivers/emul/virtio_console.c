/*
 * virtio-console, one port (virtio 1.2 section 5.3).  Transmit: every chain
 * on transmitq0 is read (its device-readable part; writable buffers are
 * ignored) and returned with length 0.  Receive: input fills posted buffers
 * of receiveq0 in order, each returned with the bytes written.
 */
#include "virtio_console.h"

#define CFG_MAX_NR_PORTS 4
#define CFG_EMERG_WR     8

static struct virtio_console *to_con(struct virtio_mmio *t)
{
    return (struct virtio_console *)t;      /* the transport is the first member */
}

static uint64_t con_features(struct virtio_mmio *t)
{
    return 1ull << VIRTIO_CONSOLE_F_EMERG_WRITE;
}

static void con_reset(struct virtio_mmio *t)
{
}

static uint8_t con_config_read(struct virtio_mmio *t, uint32_t off)
{
    /* cols = rows = 0 (no F_SIZE), max_nr_ports = 1, emerg_wr reads 0. */
    return off == CFG_MAX_NR_PORTS ? 1 : 0;
}

static void con_config_write(struct virtio_mmio *t, uint32_t off, uint8_t val)
{
    struct virtio_console *c = to_con(t);
    char ch = (char)val;

    /* emerg_wr (5.3.4): the low byte of a write is the character. */
    if (off == CFG_EMERG_WR && virtio_has_feature(t, VIRTIO_CONSOLE_F_EMERG_WRITE)) {
        c->sink(c->ctx, &ch, 1);
        c->tx_bytes++;
    }
}

static void transmit(struct virtio_console *c)
{
    struct virtio_mmio *t = &c->t;
    bool any = false;

    while (virtio_pop(t, VIRTIO_CONSOLE_TXQ, &c->chain)) {
        for (uint64_t off = 0; off < c->chain.out_len;) {
            uint64_t left = c->chain.out_len - off;
            uint32_t n = left < sizeof(c->buf) ? (uint32_t)left : sizeof(c->buf);

            if (!vq_chain_read(&c->chain, &t->mem, off, c->buf, n)) {
                virtio_set_needs_reset(t, VIRTIO_CONSOLE_TXQ, VQ_ERR_ACCESS);
                return;
            }
            c->sink(c->ctx, (const char *)c->buf, n);
            c->tx_bytes += n;
            off += n;
        }
        if (!virtio_push(t, VIRTIO_CONSOLE_TXQ, c->chain.head, 0))
            return;
        any = true;
    }
    if (any)
        virtio_notify_used(t, VIRTIO_CONSOLE_TXQ);
}

static void con_notify(struct virtio_mmio *t, unsigned q)
{
    struct virtio_console *c = to_con(t);

    if (q == VIRTIO_CONSOLE_TXQ)
        transmit(c);
    else if (c->rx_ready)
        c->rx_ready(c->ctx);
}

static const struct virtio_dev_ops console_ops = {
    .name = "virtio-console",
    .device_id = VIRTIO_ID_CONSOLE,
    .nqueues = 2,
    .config_size = VIRTIO_CONSOLE_CONFIG_SIZE,
    .features = con_features,
    .reset = con_reset,
    .config_read = con_config_read,
    .config_write = con_config_write,
    .notify = con_notify,
};

void virtio_console_init(struct virtio_console *c, const struct vq_mem *mem,
                         void (*sink)(void *, const char *, unsigned),
                         void (*rx_ready)(void *), void *ctx)
{
    c->sink = sink;
    c->rx_ready = rx_ready;
    c->ctx = ctx;
    c->tx_bytes = c->rx_bytes = 0;
    virtio_mmio_init(&c->t, &console_ops, mem);
}

unsigned virtio_console_input(struct virtio_console *c, const uint8_t *buf, unsigned len)
{
    struct virtio_mmio *t = &c->t;
    unsigned done = 0;
    bool any = false;

    while (done < len && virtio_pop(t, VIRTIO_CONSOLE_RXQ, &c->chain)) {
        uint64_t room = c->chain.in_len;
        uint32_t n = room < len - done ? (uint32_t)room : len - done;

        if (!vq_chain_write(&c->chain, &t->mem, 0, buf + done, n)) {
            virtio_set_needs_reset(t, VIRTIO_CONSOLE_RXQ, VQ_ERR_ACCESS);
            break;
        }
        if (!virtio_push(t, VIRTIO_CONSOLE_RXQ, c->chain.head, n))
            break;
        done += n;
        any = true;
    }
    c->rx_bytes += done;
    if (any)
        virtio_notify_used(t, VIRTIO_CONSOLE_RXQ);
    return done;
}
