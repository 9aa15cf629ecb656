/*
 * virtio-net on the virtual switch (virtio 1.2 section 5.1.6).  Transmit:
 * each chain's readable part is the 12-byte header followed by one frame;
 * the frame is copied out and handed to the switch, the chain returned with
 * length 0.  Receive: the switch hands a frame; the next posted receive
 * chain gets the header and the frame (returned with their length), or the
 * frame is dropped (counted at the port) if none is posted.
 */
#include "virtio_net.h"

static struct virtio_net *to_net(struct virtio_mmio *t)
{
    return (struct virtio_net *)t;          /* the transport is the first member */
}

static uint64_t net_features(struct virtio_mmio *t)
{
    return (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS);
}

static void net_reset(struct virtio_mmio *t)
{
}

static uint8_t net_config_read(struct virtio_mmio *t, uint32_t off)
{
    struct virtio_net *n = to_net(t);

    if (off < ETH_ALEN)
        return n->port.mac[off];
    return off == ETH_ALEN ? VIRTIO_NET_S_LINK_UP : 0;
}

static void transmit(struct virtio_net *n)
{
    struct virtio_mmio *t = &n->t;
    struct vq_chain *c = &n->tx_chain;
    bool any = false;

    while (virtio_pop(t, VIRTIO_NET_TXQ, c)) {
        uint64_t flen = c->out_len - (c->out_len < VIRTIO_NET_HDR_LEN ? c->out_len : VIRTIO_NET_HDR_LEN);

        if (c->out_len < VIRTIO_NET_HDR_LEN + ETH_HLEN || flen > ETH_FRAME_MAX) {
            n->tx_bad++;
            n->port.tx_dropped++;
        } else if (!vq_chain_read(c, &t->mem, VIRTIO_NET_HDR_LEN, n->frame, (uint32_t)flen)) {
            virtio_set_needs_reset(t, VIRTIO_NET_TXQ, VQ_ERR_ACCESS);
            return;
        } else {
            vswitch_send(n->sw, &n->port, n->frame, (uint32_t)flen);
        }
        /* The switch may have delivered to this very device's peers only;
         * our own queue state is untouched by that. */
        if (!virtio_push(t, VIRTIO_NET_TXQ, c->head, 0))
            return;
        any = true;
    }
    if (any)
        virtio_notify_used(t, VIRTIO_NET_TXQ);
}

static void net_notify(struct virtio_mmio *t, unsigned q)
{
    if (q == VIRTIO_NET_TXQ)
        transmit(to_net(t));
    /* receiveq: buffers are taken when a frame arrives */
}

/* The switch hands us a frame. */
static bool net_deliver(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct virtio_net *n = ctx;
    struct virtio_mmio *t = &n->t;
    struct vq_chain *c = &n->rx_chain;
    uint8_t hdr[VIRTIO_NET_HDR_LEN] = { 0 };

    if (!virtio_pop(t, VIRTIO_NET_RXQ, c))
        return false;
    if (c->in_len < VIRTIO_NET_HDR_LEN + (uint64_t)len) {
        n->rx_small++;
        if (virtio_push(t, VIRTIO_NET_RXQ, c->head, 0))
            virtio_notify_used(t, VIRTIO_NET_RXQ);
        return false;
    }
    hdr[10] = 1;                    /* num_buffers = 1 without MRG_RXBUF (5.1.6.4) */
    if (!vq_chain_write(c, &t->mem, 0, hdr, sizeof(hdr)) ||
        !vq_chain_write(c, &t->mem, VIRTIO_NET_HDR_LEN, frame, len)) {
        virtio_set_needs_reset(t, VIRTIO_NET_RXQ, VQ_ERR_ACCESS);
        return false;
    }
    if (!virtio_push(t, VIRTIO_NET_RXQ, c->head, VIRTIO_NET_HDR_LEN + len))
        return false;
    virtio_notify_used(t, VIRTIO_NET_RXQ);
    return true;
}

static const struct virtio_dev_ops net_ops = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .nqueues = 2,
    .config_size = VIRTIO_NET_CONFIG_SIZE,
    .features = net_features,
    .reset = net_reset,
    .config_read = net_config_read,
    .config_write = NULL,
    .notify = net_notify,
};

int virtio_net_init(struct virtio_net *n, const struct vq_mem *mem, const uint8_t mac[ETH_ALEN],
                    struct vswitch *sw)
{
    n->port = (struct vswitch_port){ .deliver = net_deliver, .ctx = n };
    for (unsigned k = 0; k < ETH_ALEN; k++)
        n->port.mac[k] = mac[k];
    n->sw = sw;
    n->tx_bad = n->rx_small = 0;
    virtio_mmio_init(&n->t, &net_ops, mem);
    return vswitch_attach(sw, &n->port);
}
