/*
 * The monitor as a virtio *driver*: a host disk on a virtio-mmio transport
 * of the machine (QEMU virt's own `-device virtio-blk-device`), the
 * persistent storage behind the guests' `disk=host:...` slices (issue 18
 * item 3b, docs/devices.md "Host disk").
 *
 * Two parts, both pure C so that the unit tests drive them against a fake
 * device (tests/unit/test_hostblk.c):
 *  - the transport driver side (virtio 1.2 section 4.2.3): probe
 *    (MagicValue, Version 2, DeviceID), reset, feature negotiation, one
 *    split virtqueue of HBLK_QSIZE descriptors (section 2.7), and one
 *    synchronous request at a time: build the chain, publish it in the
 *    available ring, notify, poll the used ring (no interrupt);
 *  - virtio-blk requests (section 5.2.6: header, data, status byte), and
 *    the disk as one more `struct vblk_backend` (drivers/emul/virtio_blk.h),
 *    as the RAM image is; a guest's disk is a slice of it (struct
 *    vblk_slice there: sectors [first, first + sectors), checked).
 *
 * Registers and DMA go through `struct hblk_bus` (the monitor's glue in
 * core/virtio_dev.c maps the transport and gives physical addresses and
 * cache maintenance).  Nothing here can panic: a missing device, a legacy
 * transport, a refused feature set, NEEDS_RESET, a status other than OK or
 * no answer in time is a logged message and a failed request, which the
 * guest sees as VIRTIO_BLK_S_IOERR.
 */
#ifndef DRIVERS_VIRTIO_BLK_HOST_H
#define DRIVERS_VIRTIO_BLK_HOST_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "emul/virtio_blk.h"

/* How the driver reaches its device. */
struct hblk_bus {
    uint32_t (*read32)(void *ctx, uint32_t addr);
    void (*write32)(void *ctx, uint32_t addr, uint32_t val);
    /* The bus (physical) address of driver memory the device reads or writes. */
    uint64_t (*dma_addr)(void *ctx, const void *va);
    /* Caches: before the device reads [va, +len) / after it wrote there. */
    void (*to_device)(void *ctx, const void *va, size_t len);
    void (*from_device)(void *ctx, const void *va, size_t len);
    uint64_t (*now_ns)(void *ctx);
    void (*log)(void *ctx, const char *what, uint32_t val);
    void *ctx;
};

#define HBLK_QSIZE      4           /* a request takes 3 descriptors */
/* How long a request may take before the disk is given up (monitor time;
 * under QEMU's -icount this is counted in instructions, generously). */
#define HBLK_TIMEOUT_NS 10000000000ull
#define HBLK_SLOT_SIZE  0x200       /* one virtio-mmio transport (QEMU virt) */

enum hblk_state { HBLK_ABSENT, HBLK_READY, HBLK_BROKEN };

struct hblk_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

struct hblk {
    /* the queue's three areas (alignment: section 2.7, 16 / 2 / 4) */
    struct hblk_desc desc[HBLK_QSIZE] __attribute__((aligned(16)));
    struct { uint16_t flags, idx, ring[HBLK_QSIZE], used_event; } avail __attribute__((aligned(16)));
    struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[HBLK_QSIZE]; uint16_t avail_event; }
        used __attribute__((aligned(16)));
    struct { uint32_t type, reserved; uint64_t sector; } hdr __attribute__((aligned(16)));
    uint8_t status __attribute__((aligned(16)));

    const struct hblk_bus *bus;
    uint32_t base;                  /* its transport */
    enum hblk_state state;
    uint16_t avail_idx, used_idx;   /* the driver's copies */
    uint64_t sectors;               /* capacity (512-byte sectors) */
    bool read_only, flush;          /* VIRTIO_BLK_F_RO, F_FLUSH negotiated */
    unsigned long requests, errors;
};

/* Probe `count` transports of HBLK_SLOT_SIZE from `base` upwards, highest
 * first (where QEMU virt puts the first -device), for a virtio-blk device
 * and bring the first one up.  0, or -1 (h->state stays HBLK_ABSENT or is
 * HBLK_BROKEN; the reason was logged). */
int hblk_probe(struct hblk *h, const struct hblk_bus *bus, uint32_t base, unsigned count);
/* Bring up the device at `base` (a probed transport). */
int hblk_init(struct hblk *h, const struct hblk_bus *bus, uint32_t base);

/* One request each; buf is driver memory (bus->dma_addr), nsec >= 1 and
 * sector + nsec inside the capacity.  False: failed (logged). */
bool hblk_read(struct hblk *h, uint64_t sector, void *buf, uint32_t nsec);
bool hblk_write(struct hblk *h, uint64_t sector, const void *buf, uint32_t nsec);
bool hblk_flush(struct hblk *h);

/* The whole disk as a virtio-blk backend (drivers/emul/virtio_blk.h), which
 * the guests' slices (struct vblk_slice) cut up; false if it is not up. */
bool hblk_backend(struct vblk_backend *be, struct hblk *h);
#endif
