/*
 * virtio-blk (virtio 1.2 section 5.2), device ID 2, one request queue.
 * Storage is a backend (sector read/write/flush): a RAM buffer
 * (vblk_ram_backend), or a slice of a disk backend (vblk_slice_backend;
 * the host disk, drivers/virtio_blk_host.h).  Requests: VIRTIO_BLK_T_IN, T_OUT, T_FLUSH,
 * T_GET_ID; anything else completes with VIRTIO_BLK_S_UNSUPP.  Out-of-range
 * sectors, partial sectors and writes to a read-only disk complete with
 * VIRTIO_BLK_S_IOERR.  A chain without the 16-byte header or without a
 * writable status byte cannot be answered: the device goes to NEEDS_RESET
 * (VQ_ERR_REQUEST).
 */
#ifndef EMUL_VIRTIO_BLK_H
#define EMUL_VIRTIO_BLK_H

#include "virtio_mmio.h"

#define VIRTIO_ID_BLOCK         2
#define VIRTIO_BLK_F_SIZE_MAX   1
#define VIRTIO_BLK_F_SEG_MAX    2
#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_BLK_SIZE   6
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_T_FLUSH      4
#define VIRTIO_BLK_T_GET_ID     8
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_S_IOERR      1
#define VIRTIO_BLK_S_UNSUPP     2
#define VIRTIO_BLK_SECTOR       512
#define VIRTIO_BLK_ID_BYTES     20
#define VIRTIO_BLK_HDR          16      /* le32 type, le32 reserved, le64 sector */
#define VIRTIO_BLK_SEG_MAX      (VQ_NUM_MAX - 2)    /* header and status take two */
/* Config space: le64 capacity, le32 size_max, le32 seg_max, geometry (4), le32 blk_size. */
#define VIRTIO_BLK_CONFIG_SIZE  24

/* Where the sectors live.  Calls are in range (checked by the device). */
struct vblk_backend {
    uint64_t sectors;
    bool read_only;
    bool (*read)(void *ctx, uint64_t sector, void *buf, uint32_t nsec);
    bool (*write)(void *ctx, uint64_t sector, const void *buf, uint32_t nsec);
    bool (*flush)(void *ctx);
    void *ctx;
};

/* A disk image held in (host) RAM. */
struct vblk_ram {
    uint8_t *data;
    uint64_t size;                  /* bytes; whole sectors are used */
    unsigned long flushes;
};
void vblk_ram_backend(struct vblk_backend *b, struct vblk_ram *r, uint8_t *data, uint64_t size,
                      bool read_only);

/* A window of sectors [first, first + sectors) of another backend, the
 * disk (a guest's slice of the host disk, drivers/virtio_blk_host.h; the
 * same for any other disk driver that offers a struct vblk_backend): every
 * request is checked against the window before it reaches the disk.  A
 * read-only slice, or one of a read-only disk, has no write op. */
struct vblk_slice {
    struct vblk_backend disk;
    uint64_t first, sectors;
};
/* NULL and *b set up; or why the slice cannot be served (no disk: `disk`
 * NULL; an empty slice; one ending beyond the disk): then *b is a
 * read-only disk of `sectors` whose every request fails, so the guest
 * still finds its device and gets S_IOERR. */
const char *vblk_slice_backend(struct vblk_backend *b, struct vblk_slice *s,
                               const struct vblk_backend *disk, uint64_t first, uint64_t sectors,
                               bool read_only);

#define VIRTIO_BLK_BOUNCE 4096

struct virtio_blk {
    struct virtio_mmio t;           /* first: the transport */
    struct vblk_backend be;
    char id[VIRTIO_BLK_ID_BYTES];
    struct vq_chain chain;
    uint8_t bounce[VIRTIO_BLK_BOUNCE] __attribute__((aligned(8)));   /* word copies */
    unsigned long reads, writes, flushes, errors;
};

void virtio_blk_init(struct virtio_blk *b, const struct vq_mem *mem, const struct vblk_backend *be,
                     const char *id);
#endif
