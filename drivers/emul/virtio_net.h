/*
 * virtio-net (virtio 1.2 section 5.1), device ID 1, one queue pair:
 * queue 0 receiveq1, queue 1 transmitq1.  Features offered: VIRTIO_NET_F_MAC
 * (the MAC from the VM file, in config) and VIRTIO_NET_F_STATUS (link up).
 * No checksum offload, no GSO, no mergeable buffers: every packet carries a
 * 12-byte struct virtio_net_hdr (VERSION_1 layout) that is ignored on
 * transmit and zero (num_buffers = 1) on receive.  Frames go to and come
 * from a vswitch port.
 */
#ifndef EMUL_VIRTIO_NET_H
#define EMUL_VIRTIO_NET_H

#include "virtio_mmio.h"
#include "vswitch.h"

#define VIRTIO_ID_NET           1
#define VIRTIO_NET_F_MAC        5
#define VIRTIO_NET_F_STATUS     16
#define VIRTIO_NET_S_LINK_UP    1
#define VIRTIO_NET_HDR_LEN      12
#define VIRTIO_NET_RXQ          0
#define VIRTIO_NET_TXQ          1
/* Config space: u8 mac[6], le16 status. */
#define VIRTIO_NET_CONFIG_SIZE  8

struct virtio_net {
    struct virtio_mmio t;           /* first: the transport */
    struct vswitch *sw;
    struct vswitch_port port;
    struct vq_chain tx_chain, rx_chain;
    uint8_t frame[ETH_FRAME_MAX];
    unsigned long tx_bad;           /* transmit chains too short or too long for a frame */
    unsigned long rx_small;         /* posted receive buffer too small for the frame */
};

/* Set up the device with its MAC and connect it to the switch (-1: the
 * switch refused the port). */
int virtio_net_init(struct virtio_net *n, const struct vq_mem *mem, const uint8_t mac[ETH_ALEN],
                    struct vswitch *sw);
#endif
