/*
 * virtio-mmio transport, virtio 1.x "modern" register layout (virtio 1.2
 * section 4.2.2, Version 2).  A pure model: handlers see an offset into the
 * 4 KiB register page (like every device of drivers/emul), guest memory is
 * reached through a struct vq_mem, and the interrupt is a level line the
 * caller samples (virtio_mmio_line) and feeds to the vGIC.
 *
 * A device type (console, blk, net) supplies a struct virtio_dev_ops: its
 * device ID, queue count, feature bits, config space and handlers; its state
 * embeds a struct virtio_mmio (the transport) as its first member.  That
 * pair is what a device-type registry needs per instance: name, MMIO size
 * (VIRTIO_MMIO_SIZE), reset (virtio_mmio_reset), ops (virtio_mmio_read/
 * write), interrupt line (virtio_mmio_line).
 */
#ifndef EMUL_VIRTIO_MMIO_H
#define EMUL_VIRTIO_MMIO_H

#include "virtqueue.h"

#define VIRTIO_MMIO_SIZE    0x200       /* registers 0x000-0x0FF, config from 0x100 */
#define VIRTIO_MMIO_MAGIC   0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION 2
#define VIRTIO_MMIO_VENDOR  0x554D4551u /* "QEMU": what Linux drivers expect no quirk for */
#define VIRTIO_MAX_QUEUES   2

/* Register offsets (4.2.2, Table "MMIO Device Register Layout"). */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION_REG         0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00C
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0A0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0A4
#define VIRTIO_MMIO_SHM_SEL             0x0AC
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0B0
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0B4
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0B8
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0BC
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0FC
#define VIRTIO_MMIO_CONFIG              0x100

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE   1
#define VIRTIO_STATUS_DRIVER        2
#define VIRTIO_STATUS_DRIVER_OK     4
#define VIRTIO_STATUS_FEATURES_OK   8
#define VIRTIO_STATUS_NEEDS_RESET   0x40
#define VIRTIO_STATUS_FAILED        0x80

/* InterruptStatus bits (4.2.2). */
#define VIRTIO_INT_USED     1
#define VIRTIO_INT_CONFIG   2

/* Reserved feature bits (6) the transport offers itself. */
#define VIRTIO_F_INDIRECT_DESC  28
#define VIRTIO_F_EVENT_IDX      29
#define VIRTIO_F_VERSION_1      32
#define VIRTIO_TRANSPORT_FEATURES \
    ((1ull << VIRTIO_F_INDIRECT_DESC) | (1ull << VIRTIO_F_EVENT_IDX) | (1ull << VIRTIO_F_VERSION_1))

struct virtio_mmio;

struct virtio_dev_ops {
    const char *name;
    uint32_t device_id;
    unsigned nqueues;               /* <= VIRTIO_MAX_QUEUES */
    uint32_t config_size;           /* bytes of config space at 0x100 */
    /* Device-specific feature bits offered (the transport adds its own). */
    uint64_t (*features)(struct virtio_mmio *t);
    /* Device state back to power-on (the transport has reset itself). */
    void (*reset)(struct virtio_mmio *t);
    /* Config space byte `off` (< config_size).  Multi-byte accesses are
     * assembled little-endian from bytes by the transport. */
    uint8_t (*config_read)(struct virtio_mmio *t, uint32_t off);
    void (*config_write)(struct virtio_mmio *t, uint32_t off, uint8_t val);   /* may be NULL */
    /* The driver notified queue q (ready, device live). */
    void (*notify)(struct virtio_mmio *t, unsigned q);
};

struct virtio_mmio {
    const struct virtio_dev_ops *ops;
    struct vq_mem mem;
    uint32_t status;
    uint32_t isr;                   /* InterruptStatus */
    uint32_t dev_features_sel, drv_features_sel, queue_sel, shm_sel;
    uint64_t driver_features;
    uint32_t config_generation;
    struct virtq vq[VIRTIO_MAX_QUEUES];
    enum vq_err error;              /* why NEEDS_RESET was set (first cause) */
    unsigned error_queue;
    unsigned errors;                /* times a device was found broken (stats) */
};

/* Power-on: bind the ops and the guest memory accessor, then reset. */
void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_dev_ops *ops,
                      const struct vq_mem *mem);
/* Device reset (Status written 0, or the guest reset). */
void virtio_mmio_reset(struct virtio_mmio *t);
uint32_t virtio_mmio_read(void *dev, uint32_t off, unsigned size);
void virtio_mmio_write(void *dev, uint32_t off, unsigned size, uint32_t val);
/* The interrupt output: a level, high while InterruptStatus != 0. */
bool virtio_mmio_line(const struct virtio_mmio *t);

/* ---- for device types ----------------------------------------------- */

/* Feature negotiated (FEATURES_OK accepted). */
bool virtio_has_feature(const struct virtio_mmio *t, unsigned bit);
/* DRIVER_OK set and not NEEDS_RESET: the device may use its queues. */
bool virtio_live(const struct virtio_mmio *t);
/* The queue's next chain, as vq_pop; an error puts the device in NEEDS_RESET
 * and returns false, as does an empty or unusable queue. */
bool virtio_pop(struct virtio_mmio *t, unsigned q, struct vq_chain *c);
/* Return a chain (see vq_push); false: the device is now NEEDS_RESET. */
bool virtio_push(struct virtio_mmio *t, unsigned q, uint16_t head, uint32_t len);
/* After a batch of pushes: raise the used-buffer interrupt if the driver
 * asked for one (event index / NO_INTERRUPT). */
void virtio_notify_used(struct virtio_mmio *t, unsigned q);
/* The device config changed: new generation, config-change interrupt. */
void virtio_config_changed(struct virtio_mmio *t);
/* The device found queue q (or a request on it) malformed: DEVICE_NEEDS_RESET
 * plus a config-change interrupt (2.1.2), queues stop until a reset. */
void virtio_set_needs_reset(struct virtio_mmio *t, unsigned q, enum vq_err why);

#endif
