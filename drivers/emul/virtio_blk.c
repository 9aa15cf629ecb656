/*
 * virtio-blk request handling (virtio 1.2 section 5.2.6).  A request is one
 * chain: the device-readable header { le32 type; le32 reserved; le64
 * sector; }, then data (readable for T_OUT, writable for T_IN / T_GET_ID),
 * and a last writable byte for the status.  The used length is the number
 * of bytes written: data read from disk plus the status byte.
 */
#include "virtio_blk.h"

#define SECTORS_PER_BOUNCE (VIRTIO_BLK_BOUNCE / VIRTIO_BLK_SECTOR)

static struct virtio_blk *to_blk(struct virtio_mmio *t)
{
    return (struct virtio_blk *)t;          /* the transport is the first member */
}

static uint64_t blk_features(struct virtio_mmio *t)
{
    struct virtio_blk *b = to_blk(t);

    return (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |
           (1ull << VIRTIO_BLK_F_FLUSH) | (b->be.read_only ? 1ull << VIRTIO_BLK_F_RO : 0);
}

static void blk_reset(struct virtio_mmio *t)
{
}

static uint8_t blk_config_read(struct virtio_mmio *t, uint32_t off)
{
    struct virtio_blk *b = to_blk(t);

    if (off < 8)
        return (uint8_t)(b->be.sectors >> (8 * off));                   /* capacity */
    if (off >= 12 && off < 16)
        return (uint8_t)((uint32_t)VIRTIO_BLK_SEG_MAX >> (8 * (off - 12)));  /* seg_max */
    if (off >= 20 && off < 24)
        return (uint8_t)((uint32_t)VIRTIO_BLK_SECTOR >> (8 * (off - 20)));   /* blk_size */
    return 0;                       /* size_max (not offered), geometry */
}

/* Data length in whole sectors inside the disk, or false. */
static bool in_range(const struct virtio_blk *b, uint64_t sector, uint64_t bytes, uint64_t *nsec)
{
    if (bytes % VIRTIO_BLK_SECTOR)
        return false;
    *nsec = bytes / VIRTIO_BLK_SECTOR;
    return sector <= b->be.sectors && *nsec <= b->be.sectors - sector;
}

/* T_IN: disk -> guest.  Returns the status; *written: data bytes copied. */
static uint8_t do_read(struct virtio_blk *b, uint64_t sector, uint64_t bytes, uint64_t *written,
                       bool *broken)
{
    uint64_t nsec, done = 0;

    if (!in_range(b, sector, bytes, &nsec))
        return VIRTIO_BLK_S_IOERR;
    while (done < nsec) {
        uint32_t n = nsec - done < SECTORS_PER_BOUNCE ? (uint32_t)(nsec - done) : SECTORS_PER_BOUNCE;

        if (!b->be.read(b->be.ctx, sector + done, b->bounce, n))
            return VIRTIO_BLK_S_IOERR;
        if (!vq_chain_write(&b->chain, &b->t.mem, done * VIRTIO_BLK_SECTOR, b->bounce,
                            n * VIRTIO_BLK_SECTOR)) {
            *broken = true;
            return VIRTIO_BLK_S_IOERR;
        }
        done += n;
        *written = done * VIRTIO_BLK_SECTOR;
    }
    b->reads++;
    return VIRTIO_BLK_S_OK;
}

/* T_OUT: guest -> disk. */
static uint8_t do_write(struct virtio_blk *b, uint64_t sector, uint64_t bytes, bool *broken)
{
    uint64_t nsec, done = 0;

    if (b->be.read_only || !in_range(b, sector, bytes, &nsec))
        return VIRTIO_BLK_S_IOERR;
    while (done < nsec) {
        uint32_t n = nsec - done < SECTORS_PER_BOUNCE ? (uint32_t)(nsec - done) : SECTORS_PER_BOUNCE;

        if (!vq_chain_read(&b->chain, &b->t.mem, VIRTIO_BLK_HDR + done * VIRTIO_BLK_SECTOR,
                           b->bounce, n * VIRTIO_BLK_SECTOR)) {
            *broken = true;
            return VIRTIO_BLK_S_IOERR;
        }
        if (!b->be.write(b->be.ctx, sector + done, b->bounce, n))
            return VIRTIO_BLK_S_IOERR;
        done += n;
    }
    b->writes++;
    return VIRTIO_BLK_S_OK;
}

static uint8_t do_get_id(struct virtio_blk *b, uint64_t room, uint64_t *written, bool *broken)
{
    uint32_t n = room < VIRTIO_BLK_ID_BYTES ? (uint32_t)room : VIRTIO_BLK_ID_BYTES;

    if (!vq_chain_write(&b->chain, &b->t.mem, 0, b->id, n)) {
        *broken = true;
        return VIRTIO_BLK_S_IOERR;
    }
    *written = n;
    return VIRTIO_BLK_S_OK;
}

/* One request; false if the device went to NEEDS_RESET. */
static bool request(struct virtio_blk *b)
{
    struct vq_chain *c = &b->chain;
    uint8_t hdr[VIRTIO_BLK_HDR], status;
    uint64_t sector, data_in, written = 0;
    uint32_t type;
    bool broken = false;

    if (c->out_len < VIRTIO_BLK_HDR || c->in_len < 1) {
        virtio_set_needs_reset(&b->t, 0, VQ_ERR_REQUEST);
        return false;
    }
    if (!vq_chain_read(c, &b->t.mem, 0, hdr, sizeof(hdr))) {
        virtio_set_needs_reset(&b->t, 0, VQ_ERR_ACCESS);
        return false;
    }
    type = hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    sector = 0;
    for (int k = 7; k >= 0; k--)
        sector = sector << 8 | hdr[8 + k];
    data_in = c->in_len - 1;        /* writable bytes before the status byte */
    switch (type) {
    case VIRTIO_BLK_T_IN:
        status = do_read(b, sector, data_in, &written, &broken);
        break;
    case VIRTIO_BLK_T_OUT:
        status = do_write(b, sector, c->out_len - VIRTIO_BLK_HDR, &broken);
        break;
    case VIRTIO_BLK_T_FLUSH:
        status = b->be.flush(b->be.ctx) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        b->flushes++;
        break;
    case VIRTIO_BLK_T_GET_ID:
        status = do_get_id(b, data_in, &written, &broken);
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    if (broken || !vq_chain_write(c, &b->t.mem, data_in, &status, 1)) {
        virtio_set_needs_reset(&b->t, 0, VQ_ERR_ACCESS);
        return false;
    }
    if (status != VIRTIO_BLK_S_OK)
        b->errors++;
    return virtio_push(&b->t, 0, c->head, (uint32_t)written + 1);
}

static void blk_notify(struct virtio_mmio *t, unsigned q)
{
    struct virtio_blk *b = to_blk(t);
    bool any = false;

    while (virtio_pop(t, 0, &b->chain)) {
        if (!request(b))
            return;
        any = true;
    }
    if (any)
        virtio_notify_used(t, 0);
}

static const struct virtio_dev_ops blk_ops = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .nqueues = 1,
    .config_size = VIRTIO_BLK_CONFIG_SIZE,
    .features = blk_features,
    .reset = blk_reset,
    .config_read = blk_config_read,
    .config_write = NULL,
    .notify = blk_notify,
};

void virtio_blk_init(struct virtio_blk *b, const struct vq_mem *mem, const struct vblk_backend *be,
                     const char *id)
{
    unsigned k;

    b->be = *be;
    for (k = 0; k < VIRTIO_BLK_ID_BYTES && id && id[k]; k++)
        b->id[k] = id[k];
    for (; k < VIRTIO_BLK_ID_BYTES; k++)
        b->id[k] = 0;
    b->reads = b->writes = b->flushes = b->errors = 0;
    virtio_mmio_init(&b->t, &blk_ops, mem);
}

/* ---- RAM backend ------------------------------------------------------- */

static bool ram_read(void *ctx, uint64_t sector, void *buf, uint32_t nsec)
{
    struct vblk_ram *r = ctx;
    const uint8_t *p = r->data + sector * VIRTIO_BLK_SECTOR;

    for (uint64_t k = 0; k < (uint64_t)nsec * VIRTIO_BLK_SECTOR; k++)
        ((uint8_t *)buf)[k] = p[k];
    return true;
}

static bool ram_write(void *ctx, uint64_t sector, const void *buf, uint32_t nsec)
{
    struct vblk_ram *r = ctx;
    uint8_t *p = r->data + sector * VIRTIO_BLK_SECTOR;

    for (uint64_t k = 0; k < (uint64_t)nsec * VIRTIO_BLK_SECTOR; k++)
        p[k] = ((const uint8_t *)buf)[k];
    return true;
}

static bool ram_flush(void *ctx)
{
    struct vblk_ram *r = ctx;

    r->flushes++;                   /* RAM is always "on disk" */
    return true;
}

void vblk_ram_backend(struct vblk_backend *b, struct vblk_ram *r, uint8_t *data, uint64_t size,
                      bool read_only)
{
    *r = (struct vblk_ram){ data, size, 0 };
    *b = (struct vblk_backend){ size / VIRTIO_BLK_SECTOR, read_only, ram_read,
                                read_only ? NULL : ram_write, ram_flush, r };
}

/* ---- a slice of another backend ------------------------------------------ */

static bool inside(const struct vblk_slice *s, uint64_t sector, uint32_t nsec)
{
    return nsec && sector < s->sectors && nsec <= s->sectors - sector;
}

static bool slice_read(void *ctx, uint64_t sector, void *buf, uint32_t nsec)
{
    struct vblk_slice *s = ctx;

    return inside(s, sector, nsec) && s->disk.read(s->disk.ctx, s->first + sector, buf, nsec);
}

static bool slice_write(void *ctx, uint64_t sector, const void *buf, uint32_t nsec)
{
    struct vblk_slice *s = ctx;

    return inside(s, sector, nsec) && s->disk.write &&
           s->disk.write(s->disk.ctx, s->first + sector, buf, nsec);
}

static bool slice_flush(void *ctx)
{
    struct vblk_slice *s = ctx;

    return s->disk.flush(s->disk.ctx);
}

/* A slice that cannot be served: every request fails (S_IOERR). */
static bool dead_read(void *ctx, uint64_t sector, void *buf, uint32_t nsec)
{
    return false;
}

static bool dead_flush(void *ctx)
{
    return false;
}

const char *vblk_slice_backend(struct vblk_backend *b, struct vblk_slice *s,
                               const struct vblk_backend *disk, uint64_t first, uint64_t sectors,
                               bool read_only)
{
    const char *why = NULL;

    if (!disk)
        why = "no disk";
    else if (!sectors)
        why = "an empty slice";
    else if (first > disk->sectors || sectors > disk->sectors - first)
        why = "the slice ends beyond the disk";
    *s = (struct vblk_slice){ .first = first, .sectors = sectors };
    if (why) {
        *b = (struct vblk_backend){ sectors, true, dead_read, NULL, dead_flush, s };
        return why;
    }
    s->disk = *disk;
    read_only |= disk->read_only || !disk->write;
    *b = (struct vblk_backend){ sectors, read_only, slice_read, read_only ? NULL : slice_write,
                                slice_flush, s };
    return NULL;
}
