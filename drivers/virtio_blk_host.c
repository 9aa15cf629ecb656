/*
 * Host disk driver: the monitor drives a virtio-blk device on a virtio-mmio
 * transport (virtio_blk_host.h).  Virtio 1.2 sections cited: 4.2.2
 * (MMIO registers), 4.2.3.1 / 3.1.1 (initialization), 2.7 (split
 * virtqueues), 5.2 (block device).  Rings are little-endian, as the CPU.
 */
#include "virtio_blk_host.h"
#include "emul/virtio_mmio.h"

#define VQ_DESC_F_NEXT  1
#define VQ_DESC_F_WRITE 2

static uint32_t rd(const struct hblk *h, uint32_t off)
{
    return h->bus->read32(h->bus->ctx, h->base + off);
}

static void wr(const struct hblk *h, uint32_t off, uint32_t val)
{
    h->bus->write32(h->bus->ctx, h->base + off, val);
}

static void say(const struct hblk *h, const char *what, uint32_t val)
{
    if (h->bus->log)
        h->bus->log(h->bus->ctx, what, val);
}

/* Device status (4.2.3.1): write and read back; false if it did not stick. */
static bool set_status(struct hblk *h, uint32_t s)
{
    wr(h, VIRTIO_MMIO_STATUS, s);
    return (rd(h, VIRTIO_MMIO_STATUS) & s) == s;
}

static int give_up(struct hblk *h, const char *why, uint32_t val)
{
    say(h, why, val);
    if (h->state != HBLK_ABSENT)
        wr(h, VIRTIO_MMIO_STATUS, rd(h, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
    h->state = HBLK_BROKEN;
    return -1;
}

static void set_addr(struct hblk *h, uint32_t low_reg, const void *va)
{
    uint64_t a = h->bus->dma_addr(h->bus->ctx, va);

    wr(h, low_reg, (uint32_t)a);
    wr(h, low_reg + 4, (uint32_t)(a >> 32));
}

/* Feature bits (section 6): VERSION_1 is required (a modern device);
 * FLUSH and RO are taken if offered; nothing else (no event index, no
 * indirect descriptors: one request at a time needs neither). */
static int negotiate(struct hblk *h)
{
    uint32_t lo, hi;

    wr(h, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    lo = rd(h, VIRTIO_MMIO_DEVICE_FEATURES);
    wr(h, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    hi = rd(h, VIRTIO_MMIO_DEVICE_FEATURES);
    if (!(hi & 1u << (VIRTIO_F_VERSION_1 - 32)))
        return give_up(h, "the device does not offer VIRTIO_F_VERSION_1", hi);
    lo &= 1u << VIRTIO_BLK_F_FLUSH | 1u << VIRTIO_BLK_F_RO;
    wr(h, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(h, VIRTIO_MMIO_DRIVER_FEATURES, lo);
    wr(h, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(h, VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
    if (!set_status(h, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK))
        return give_up(h, "the device refused the features (FEATURES_OK did not stick)", lo);
    h->flush = lo >> VIRTIO_BLK_F_FLUSH & 1;
    h->read_only = lo >> VIRTIO_BLK_F_RO & 1;
    return 0;
}

/* Bytes of the three ring areas at the start of struct hblk. */
static size_t rings_size(const struct hblk *h)
{
    return (size_t)((const uint8_t *)&h->hdr - (const uint8_t *)h);
}

/* Queue 0, the request queue (4.2.3.2). */
static int setup_queue(struct hblk *h)
{
    uint32_t max;

    wr(h, VIRTIO_MMIO_QUEUE_SEL, 0);
    if (rd(h, VIRTIO_MMIO_QUEUE_READY))
        return give_up(h, "queue 0 is already in use after a reset", 1);
    max = rd(h, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max < HBLK_QSIZE)
        return give_up(h, "queue 0 is too small (QueueNumMax)", max);
    for (unsigned k = 0; k < HBLK_QSIZE; k++)
        h->desc[k] = (struct hblk_desc){ 0, 0, 0, 0 };
    h->avail.flags = 1;             /* VIRTQ_AVAIL_F_NO_INTERRUPT: we poll */
    h->avail.idx = h->used.idx = h->used.flags = 0;
    h->avail_idx = h->used_idx = 0;
    h->bus->to_device(h->bus->ctx, h, rings_size(h));
    wr(h, VIRTIO_MMIO_QUEUE_NUM, HBLK_QSIZE);
    set_addr(h, VIRTIO_MMIO_QUEUE_DESC_LOW, h->desc);
    set_addr(h, VIRTIO_MMIO_QUEUE_DRIVER_LOW, &h->avail);
    set_addr(h, VIRTIO_MMIO_QUEUE_DEVICE_LOW, &h->used);
    wr(h, VIRTIO_MMIO_QUEUE_READY, 1);
    if (rd(h, VIRTIO_MMIO_QUEUE_READY) != 1)
        return give_up(h, "the device did not take queue 0", 0);
    return 0;
}

/* Config space (5.2.4): capacity, read between two equal ConfigGeneration
 * values (4.2.2); a device whose config never settles has none. */
static int capacity(struct hblk *h)
{
    uint32_t gen, lo, hi;

    for (unsigned k = 0; k < 100; k++) {
        gen = rd(h, VIRTIO_MMIO_CONFIG_GENERATION);
        lo = rd(h, VIRTIO_MMIO_CONFIG);
        hi = rd(h, VIRTIO_MMIO_CONFIG + 4);
        if (gen == rd(h, VIRTIO_MMIO_CONFIG_GENERATION)) {
            h->sectors = (uint64_t)hi << 32 | lo;
            return 0;
        }
    }
    return give_up(h, "the device's configuration keeps changing (ConfigGeneration)", gen);
}

int hblk_init(struct hblk *h, const struct hblk_bus *bus, uint32_t base)
{
    h->bus = bus;
    h->base = base;
    h->state = HBLK_ABSENT;
    h->requests = h->errors = 0;
    h->sectors = 0;
    if (rd(h, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
        return give_up(h, "no virtio-mmio transport (MagicValue)", rd(h, VIRTIO_MMIO_MAGIC_VALUE));
    if (rd(h, VIRTIO_MMIO_VERSION_REG) != VIRTIO_MMIO_VERSION)
        return give_up(h, "a legacy virtio-mmio transport (Version != 2; QEMU: "
                       "-global virtio-mmio.force-legacy=false)", rd(h, VIRTIO_MMIO_VERSION_REG));
    if (rd(h, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK)
        return give_up(h, "not a block device (DeviceID)", rd(h, VIRTIO_MMIO_DEVICE_ID));
    h->state = HBLK_READY;          /* from here a failure sets FAILED */
    wr(h, VIRTIO_MMIO_STATUS, 0);   /* reset, and wait for it (4.2.3.1) */
    for (unsigned k = 0; rd(h, VIRTIO_MMIO_STATUS); k++)
        if (k == 1000)
            return give_up(h, "the device does not reset", rd(h, VIRTIO_MMIO_STATUS));
    if (!set_status(h, VIRTIO_STATUS_ACKNOWLEDGE) ||
        !set_status(h, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER))
        return give_up(h, "the device does not take ACKNOWLEDGE/DRIVER", rd(h, VIRTIO_MMIO_STATUS));
    if (negotiate(h) || setup_queue(h) || capacity(h))
        return -1;
    if (!set_status(h, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
                       VIRTIO_STATUS_DRIVER_OK))
        return give_up(h, "the device did not take DRIVER_OK", rd(h, VIRTIO_MMIO_STATUS));
    return 0;
}

int hblk_probe(struct hblk *h, const struct hblk_bus *bus, uint32_t base, unsigned count)
{
    h->bus = bus;
    h->state = HBLK_ABSENT;
    for (unsigned k = count; k-- > 0;) {
        h->base = base + k * HBLK_SLOT_SIZE;
        if (rd(h, VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC &&
            rd(h, VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK)
            return hblk_init(h, bus, h->base);
    }
    say(h, "no virtio-blk device on the virtio-mmio transports", count);
    return -1;
}

static void put_desc(struct hblk *h, unsigned i, const void *va, uint32_t len, uint16_t flags)
{
    h->desc[i] = (struct hblk_desc){ h->bus->dma_addr(h->bus->ctx, va), len, flags,
                                     (uint16_t)(i + 1) };
}

/* Publish the chain at descriptor 0, notify, poll the used ring (2.7.13,
 * 2.7.14).  The status byte and data are the device's once it is there. */
static bool submit(struct hblk *h, void *data, uint32_t len, bool data_in)
{
    const struct hblk_bus *b = h->bus;
    uint64_t start;
    unsigned d = 0;

    h->status = 0xFF;               /* no status: not OK */
    put_desc(h, d++, &h->hdr, sizeof(h->hdr), VQ_DESC_F_NEXT);
    if (len)
        put_desc(h, d++, data, len, (uint16_t)(VQ_DESC_F_NEXT | (data_in ? VQ_DESC_F_WRITE : 0)));
    put_desc(h, d, &h->status, 1, VQ_DESC_F_WRITE);
    h->desc[d].next = 0;
    h->avail.ring[h->avail_idx % HBLK_QSIZE] = 0;
    b->to_device(b->ctx, h, rings_size(h));
    b->to_device(b->ctx, &h->hdr, sizeof(h->hdr));
    b->to_device(b->ctx, &h->status, 1);    /* and no dirty line over it later */
    if (len)
        b->to_device(b->ctx, data, len);
    /* the ring entry before the index that publishes it (2.7.13) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    h->avail.idx = ++h->avail_idx;
    b->to_device(b->ctx, &h->avail, sizeof(h->avail));
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr(h, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    h->requests++;
    start = b->now_ns(b->ctx);
    for (;;) {
        b->from_device(b->ctx, &h->used, sizeof(h->used));
        if (*(volatile uint16_t *)&h->used.idx != h->used_idx)
            break;
        if (rd(h, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) {
            give_up(h, "the device needs a reset (DEVICE_NEEDS_RESET)", rd(h, VIRTIO_MMIO_STATUS));
            return false;
        }
        if (b->now_ns(b->ctx) - start > HBLK_TIMEOUT_NS) {
            give_up(h, "no answer to a request in time", h->avail_idx);
            return false;
        }
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (h->used.ring[h->used_idx % HBLK_QSIZE].id != 0) {
        give_up(h, "the device returned a chain it was not given", h->used.ring[h->used_idx % HBLK_QSIZE].id);
        return false;
    }
    h->used_idx++;
    b->from_device(b->ctx, &h->status, 1);
    if (len && data_in)
        b->from_device(b->ctx, data, len);
    /* a chain that never completes leaves nothing in flight to go stale:
     * one request at a time */
    return true;
}

static bool request(struct hblk *h, uint32_t type, uint64_t sector, void *data, uint32_t nsec, bool in)
{
    if (h->state != HBLK_READY)
        return false;               /* said when it broke */
    h->hdr.type = type;
    h->hdr.reserved = 0;
    h->hdr.sector = sector;
    if (!submit(h, data, nsec * VIRTIO_BLK_SECTOR, in))
        return false;
    if (h->status != VIRTIO_BLK_S_OK) {
        h->errors++;
        say(h, type == VIRTIO_BLK_T_IN ? "read failed, status" : type == VIRTIO_BLK_T_OUT ?
            "write failed, status" : "flush failed, status", h->status);
        return false;
    }
    return true;
}

/* In range and not empty (the caller, the guest's device, checked it
 * against its slice; this is the disk's own bound). */
static bool fits(const struct hblk *h, uint64_t sector, uint32_t nsec)
{
    return nsec && sector <= h->sectors && nsec <= h->sectors - sector &&
           nsec <= 0xFFFFFFFFu / VIRTIO_BLK_SECTOR;
}

bool hblk_read(struct hblk *h, uint64_t sector, void *buf, uint32_t nsec)
{
    return fits(h, sector, nsec) && request(h, VIRTIO_BLK_T_IN, sector, buf, nsec, true);
}

bool hblk_write(struct hblk *h, uint64_t sector, const void *buf, uint32_t nsec)
{
    if (h->read_only)
        return false;
    return fits(h, sector, nsec) && request(h, VIRTIO_BLK_T_OUT, sector, (void *)buf, nsec, false);
}

/* Without VIRTIO_BLK_F_FLUSH the device writes through (5.2.6.2): nothing
 * to send. */
bool hblk_flush(struct hblk *h)
{
    if (h->state != HBLK_READY)
        return false;
    return !h->flush || request(h, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false);
}

/* ---- the disk as a virtio-blk backend ------------------------------------ */

static bool be_read(void *ctx, uint64_t sector, void *buf, uint32_t nsec)
{
    return hblk_read(ctx, sector, buf, nsec);
}

static bool be_write(void *ctx, uint64_t sector, const void *buf, uint32_t nsec)
{
    return hblk_write(ctx, sector, buf, nsec);
}

static bool be_flush(void *ctx)
{
    return hblk_flush(ctx);
}

bool hblk_backend(struct vblk_backend *be, struct hblk *h)
{
    if (h->state != HBLK_READY)
        return false;
    *be = (struct vblk_backend){ h->sectors, h->read_only, be_read, h->read_only ? NULL : be_write,
                                 be_flush, h };
    return true;
}
