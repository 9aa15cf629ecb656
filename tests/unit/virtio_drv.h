/*
 * A minimal virtio driver for the unit tests of drivers/emul/virtio*.c: a
 * fake guest RAM (DRV_RAM_SIZE bytes at guest-physical DRV_RAM_BASE) behind
 * the flat accessor, with a counter of every access the device attempted
 * outside it, and helpers that play the driver side of the transport
 * (registers) and of split virtqueues (descriptor table, available ring,
 * reading the used ring).  Queue q's areas sit at DRV_RAM_BASE + q * 0x4000
 * (descriptors), +0x1000 (available), +0x2000 (used); data buffers from
 * DRV_BUF on.  Several devices may share the RAM (one `struct drv_dev` each,
 * their queues apart by DRV_DEV_STRIDE).
 */
#ifndef UNIT_VIRTIO_DRV_H
#define UNIT_VIRTIO_DRV_H

#include "unit.h"
#include "../../drivers/emul/virtio_mmio.h"

#define DRV_RAM_BASE    0x40000000ull
#define DRV_RAM_SIZE    0x40000u
#define DRV_DEV_STRIDE  0x8000u
#define DRV_BUF         (DRV_RAM_BASE + 0x20000)

static uint8_t drv_ram[DRV_RAM_SIZE];
static struct vq_flat_ram drv_flat;
static struct vq_mem drv_flat_mem, drv_mem;
static unsigned drv_oob;            /* accesses the device attempted outside RAM */

static bool drv_valid(void *ctx, uint64_t gpa, uint64_t len)
{
    return drv_flat_mem.valid(drv_flat_mem.ctx, gpa, len);
}
static bool drv_read(void *ctx, uint64_t gpa, void *buf, uint32_t len)
{
    bool ok = drv_flat_mem.read(drv_flat_mem.ctx, gpa, buf, len);
    drv_oob += !ok;
    return ok;
}
static bool drv_write(void *ctx, uint64_t gpa, const void *buf, uint32_t len)
{
    bool ok = drv_flat_mem.write(drv_flat_mem.ctx, gpa, buf, len);
    drv_oob += !ok;
    return ok;
}

static inline void drv_ram_init(void)
{
    memset(drv_ram, 0, sizeof(drv_ram));
    drv_flat = (struct vq_flat_ram){ drv_ram, DRV_RAM_BASE, DRV_RAM_SIZE };
    vq_flat_ram_init(&drv_flat_mem, &drv_flat);
    drv_mem = (struct vq_mem){ drv_valid, drv_read, drv_write, NULL };
    drv_oob = 0;
}

static inline uint8_t *drv_ptr(uint64_t gpa)
{
    assert_true(gpa >= DRV_RAM_BASE && gpa < DRV_RAM_BASE + DRV_RAM_SIZE);
    return drv_ram + (gpa - DRV_RAM_BASE);
}
static inline void drv_put16(uint64_t gpa, uint16_t v) { uint8_t *p = drv_ptr(gpa); p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void drv_put32(uint64_t gpa, uint32_t v) { drv_put16(gpa, (uint16_t)v); drv_put16(gpa + 2, (uint16_t)(v >> 16)); }
static inline void drv_put64(uint64_t gpa, uint64_t v) { drv_put32(gpa, (uint32_t)v); drv_put32(gpa + 4, (uint32_t)(v >> 32)); }
static inline uint16_t drv_get16(uint64_t gpa) { uint8_t *p = drv_ptr(gpa); return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t drv_get32(uint64_t gpa) { return drv_get16(gpa) | (uint32_t)drv_get16(gpa + 2) << 16; }

/* The driver's view of one device. */
struct drv_dev {
    struct virtio_mmio *t;
    uint64_t base;                  /* its queue areas */
    uint16_t num[VIRTIO_MAX_QUEUES];
    uint16_t avail_idx[VIRTIO_MAX_QUEUES];
};

static inline uint32_t drv_rd(struct drv_dev *d, uint32_t off) { return virtio_mmio_read(d->t, off, 4); }
static inline void drv_wr(struct drv_dev *d, uint32_t off, uint32_t v) { virtio_mmio_write(d->t, off, 4, v); }

static inline uint64_t drv_desc(struct drv_dev *d, unsigned q)  { return d->base + q * 0x4000ull; }
static inline uint64_t drv_avail(struct drv_dev *d, unsigned q) { return drv_desc(d, q) + 0x1000; }
static inline uint64_t drv_used(struct drv_dev *d, unsigned q)  { return drv_desc(d, q) + 0x2000; }

/* Feature negotiation (3.1.1 steps 1-6); returns the Status read back. */
static inline uint32_t drv_negotiate(struct drv_dev *d, uint64_t features)
{
    drv_wr(d, VIRTIO_MMIO_STATUS, 0);
    drv_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    drv_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    drv_wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    drv_wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    drv_wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    drv_wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    drv_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                  VIRTIO_STATUS_FEATURES_OK);
    return drv_rd(d, VIRTIO_MMIO_STATUS);
}

/* Queue setup (4.2.3.2): size, areas, ready.  Rings zeroed. */
static inline void drv_queue(struct drv_dev *d, unsigned q, uint16_t num)
{
    memset(drv_ptr(drv_desc(d, q)), 0, 0x3000);
    d->num[q] = num;
    d->avail_idx[q] = 0;
    drv_wr(d, VIRTIO_MMIO_QUEUE_SEL, q);
    drv_wr(d, VIRTIO_MMIO_QUEUE_NUM, num);
    drv_wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)drv_desc(d, q));
    drv_wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    drv_wr(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)drv_avail(d, q));
    drv_wr(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
    drv_wr(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)drv_used(d, q));
    drv_wr(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
    drv_wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

/* The whole initialisation: features, every queue of size num, DRIVER_OK. */
static inline void drv_setup(struct drv_dev *d, struct virtio_mmio *t, unsigned dev_index,
                             uint64_t features, uint16_t num)
{
    d->t = t;
    d->base = DRV_RAM_BASE + dev_index * (uint64_t)DRV_DEV_STRIDE;
    assert_true(drv_negotiate(d, features) & VIRTIO_STATUS_FEATURES_OK);
    for (unsigned q = 0; q < t->ops->nqueues; q++)
        drv_queue(d, q, num);
    drv_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* Descriptor i of queue q (or of a table at `table` when nonzero). */
static inline void drv_put_desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                                   uint16_t flags, uint16_t next)
{
    uint64_t a = table + 16ull * i;
    drv_put64(a, addr);
    drv_put32(a + 8, len);
    drv_put16(a + 12, flags);
    drv_put16(a + 14, next);
}
static inline void drv_put_desc(struct drv_dev *d, unsigned q, unsigned i, uint64_t addr,
                                uint32_t len, uint16_t flags, uint16_t next)
{
    drv_put_desc_at(drv_desc(d, q), i, addr, len, flags, next);
}

/* Make chain `head` available (without notifying). */
static inline void drv_avail_add(struct drv_dev *d, unsigned q, uint16_t head)
{
    uint16_t i = d->avail_idx[q]++;
    drv_put16(drv_avail(d, q) + 4 + 2u * (i % d->num[q]), head);
    drv_put16(drv_avail(d, q) + 2, d->avail_idx[q]);
}
static inline void drv_notify(struct drv_dev *d, unsigned q)
{
    drv_wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}
static inline uint16_t drv_used_idx(struct drv_dev *d, unsigned q) { return drv_get16(drv_used(d, q) + 2); }
static inline uint32_t drv_used_id(struct drv_dev *d, unsigned q, uint16_t i)
{
    return drv_get32(drv_used(d, q) + 4 + 8u * (i % d->num[q]));
}
static inline uint32_t drv_used_len(struct drv_dev *d, unsigned q, uint16_t i)
{
    return drv_get32(drv_used(d, q) + 8 + 8u * (i % d->num[q]));
}
static inline void drv_set_used_event(struct drv_dev *d, unsigned q, uint16_t v)
{
    drv_put16(drv_avail(d, q) + 4 + 2u * d->num[q], v);
}
static inline uint16_t drv_avail_event(struct drv_dev *d, unsigned q)
{
    return drv_get16(drv_used(d, q) + 4 + 8u * d->num[q]);
}

#define DRV_F_V1        (1ull << VIRTIO_F_VERSION_1)
#define DRV_F_INDIRECT  (1ull << VIRTIO_F_INDIRECT_DESC)
#define DRV_F_EVENT_IDX (1ull << VIRTIO_F_EVENT_IDX)
#endif
