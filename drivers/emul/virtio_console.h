/*
 * virtio-console (virtio 1.2 section 5.3), device ID 3: one port, no
 * multiport.  Queue 0 (receiveq0) carries input to the guest, queue 1
 * (transmitq0) its output.  Output goes to a sink callback (the guest's
 * console line in the monitor), input is offered with virtio_console_input;
 * when the driver posts receive buffers, `rx_ready` lets the owner push
 * what it has queued.  Feature offered: VIRTIO_CONSOLE_F_EMERG_WRITE (a
 * byte written to the emerg_wr config field goes to the sink).
 */
#ifndef EMUL_VIRTIO_CONSOLE_H
#define EMUL_VIRTIO_CONSOLE_H

#include "virtio_mmio.h"

#define VIRTIO_ID_CONSOLE           3
#define VIRTIO_CONSOLE_F_SIZE       0
#define VIRTIO_CONSOLE_F_MULTIPORT  1
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2
#define VIRTIO_CONSOLE_RXQ 0
#define VIRTIO_CONSOLE_TXQ 1
/* Config space: le16 cols, le16 rows, le32 max_nr_ports, le32 emerg_wr. */
#define VIRTIO_CONSOLE_CONFIG_SIZE  12

struct virtio_console {
    struct virtio_mmio t;           /* first: the transport */
    void (*sink)(void *ctx, const char *buf, unsigned len);
    void (*rx_ready)(void *ctx);    /* may be NULL */
    void *ctx;
    struct vq_chain chain;          /* scratch for the chain being handled */
    uint8_t buf[256];
    unsigned long tx_bytes, rx_bytes;
};

void virtio_console_init(struct virtio_console *c, const struct vq_mem *mem,
                         void (*sink)(void *, const char *, unsigned),
                         void (*rx_ready)(void *), void *ctx);
/* Offer input to the guest: returns the bytes placed in its posted receive
 * buffers (0 when none are posted or the device is not live). */
unsigned virtio_console_input(struct virtio_console *c, const uint8_t *buf, unsigned len);
#endif
