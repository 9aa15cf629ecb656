/*
 * virtio-balloon, the traditional memory balloon (virtio 1.2 section 5.5),
 * device ID 5: the monitor sets a target (num_pages, in 4 KiB pages), the
 * guest's driver gives that many of its pages to the device (inflateq,
 * queue 0: arrays of le32 page frame numbers, guest-physical address >> 12)
 * and takes them back when the target falls (deflateq, queue 1).  No
 * feature bits are offered: no statistics queue, no free-page hinting or
 * reporting, no DEFLATE_ON_OOM; without VIRTIO_BALLOON_F_MUST_TELL_HOST the
 * driver may reuse a page before it tells us (5.5.6.1), which costs nothing
 * here: guest memory is backed again at first touch (mm/gpmap.c).
 *
 * The model keeps which pages of the guest's RAM are in the balloon (one
 * bit each) and, per MiB, how many: when all 256 pages of a MiB are in,
 * it calls `mib_empty` so the owner can hand that MiB's host memory back
 * to the pool.  Deflating only clears bits (the owner backs memory again
 * when the guest touches it).  A page inflated twice or deflated while not
 * in the balloon is ignored (a driver retrying after a reset may do that);
 * a page frame outside the guest's RAM, or a buffer that is not a whole
 * number of le32 entries, is malformed: the device goes to NEEDS_RESET
 * (VQ_ERR_REQUEST) like every device here.  A device reset empties the
 * balloon (5.5.6: after a reset the driver starts again from actual = 0);
 * the target stays, it is the host's.
 */
#ifndef EMUL_VIRTIO_BALLOON_H
#define EMUL_VIRTIO_BALLOON_H

#include "virtio_mmio.h"

#define VIRTIO_ID_BALLOON           5
#define VIRTIO_BALLOON_INFLATEQ     0
#define VIRTIO_BALLOON_DEFLATEQ     1
#define VIRTIO_BALLOON_PFN_SHIFT    12      /* the balloon's page: 4096 bytes */
#define VIRTIO_BALLOON_PAGES_PER_MIB 256
/* Config space: le32 num_pages (device), le32 actual (driver). */
#define VIRTIO_BALLOON_CONFIG_SIZE  8

struct virtio_balloon {
    struct virtio_mmio t;           /* first: the transport */
    uint32_t ram_ipa, npages;       /* the guest's RAM, in balloon pages */
    uint32_t *in;                   /* bit per page: in the balloon */
    uint16_t *mib_in;               /* per MiB of RAM: its pages in the balloon */
    uint32_t num_pages, actual;     /* config: host's target, driver's report */
    uint32_t inflated;              /* pages in the balloon (the bitmap's count) */
    unsigned long mibs_emptied;     /* mib_empty calls */
    void (*mib_empty)(void *ctx, uint32_t mib);
    void *ctx;
    struct vq_chain chain;          /* scratch for the chain being handled */
    uint32_t pfn[64];
};

/* Bytes of storage the bitmap and the per-MiB counts need for ram_size. */
#define VIRTIO_BALLOON_BITMAP_BYTES(ram_size) ((ram_size) >> (VIRTIO_BALLOON_PFN_SHIFT + 3))
#define VIRTIO_BALLOON_COUNT_BYTES(ram_size)  (((ram_size) >> 20) * 2)

/* ram_ipa and ram_size whole MiBs; `in` and `mib_in` zeroed storage of the
 * sizes above.  mib_empty(ctx, k): MiB k of the guest's RAM (counted from
 * ram_ipa) is wholly in the balloon. */
void virtio_balloon_init(struct virtio_balloon *b, const struct vq_mem *mem, uint32_t ram_ipa,
                         uint32_t ram_size, uint32_t *in, uint16_t *mib_in,
                         void (*mib_empty)(void *, uint32_t), void *ctx);
/* The host's target in pages: a config change the driver is told of. */
void virtio_balloon_set_target(struct virtio_balloon *b, uint32_t pages);
#endif
