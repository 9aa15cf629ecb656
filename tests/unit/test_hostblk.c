/*
 * drivers/virtio_blk_host.c, the monitor's host-disk driver, against fake
 * devices: the monitor's own virtio-blk model (drivers/emul/virtio_blk.c
 * on a RAM backend) behind a fake bus whose "physical" memory is an arena
 * here, so every request really goes through a split virtqueue; and
 * register-level fakes for what the model never does (no device, a legacy
 * transport, NEEDS_RESET, no answer, a wrong used id).  Checks the probe
 * order, the feature negotiation, the request chains (header / data /
 * status, flags, lengths), flush sent only when negotiated, status != OK,
 * the disk as a struct vblk_backend and slices of it (vblk_slice_backend,
 * drivers/emul/virtio_blk.c) with their bounds.
 */
#include "unit.h"
#include "../../drivers/virtio_blk_host.h"
#include "../../drivers/emul/virtio_mmio.h"

#define DMA_BASE    0x80000000ull
#define ARENA_SIZE  0x20000u
#define SLOTS       4
#define SLOT0       0x0a000000u
#define DISK_SECTORS 64

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
static struct vq_flat_ram flat;
static struct vq_mem mem;

/* the fake machine: up to SLOTS transports, each a model or nothing */
static struct virtio_blk *model[SLOTS];
static struct virtio_blk blk_a, blk_b;
static struct vblk_ram ram_a, ram_b;
static struct vblk_backend be_a, be_b;
static uint8_t disk_a[DISK_SECTORS * 512], disk_b[DISK_SECTORS * 512];

/* fault injection */
static uint32_t fake_version = 2;   /* what Version reads */
static bool swallow_notify;         /* QueueNotify does nothing */
static bool break_on_notify;        /* QueueNotify sets NEEDS_RESET */
static bool bad_used_id;            /* the used entry names another chain */
static bool no_version_1;           /* DeviceFeatures word 1 reads 0 */
static bool gen_flips;              /* ConfigGeneration changes at every read */
static uint32_t gen;
static unsigned notifies;
static uint64_t clock_ns;
static char last_log[128];
static uint32_t last_val;
static unsigned logs;

static struct hblk *h;              /* in the arena: the device reaches it */
static uint8_t *buf;                /* a data buffer in the arena */

static struct virtio_blk *at(uint32_t addr, uint32_t *off)
{
    if (addr < SLOT0 || addr >= SLOT0 + SLOTS * HBLK_SLOT_SIZE)
        return NULL;
    *off = (addr - SLOT0) % HBLK_SLOT_SIZE;
    return model[(addr - SLOT0) / HBLK_SLOT_SIZE];
}

static uint32_t f_read32(void *ctx, uint32_t addr)
{
    uint32_t off;
    struct virtio_blk *m = at(addr, &off);

    if (!m)
        return 0;                   /* nothing there */
    if (off == VIRTIO_MMIO_VERSION_REG)
        return fake_version;
    if (off == VIRTIO_MMIO_DEVICE_FEATURES && no_version_1 && m->t.dev_features_sel == 1)
        return 0;
    if (off == VIRTIO_MMIO_CONFIG_GENERATION && gen_flips)
        return gen++;
    return virtio_mmio_read(&m->t, off, 4);
}

static void f_write32(void *ctx, uint32_t addr, uint32_t val)
{
    uint32_t off;
    struct virtio_blk *m = at(addr, &off);

    if (!m)
        return;
    if (off == VIRTIO_MMIO_QUEUE_NOTIFY) {
        notifies++;
        if (swallow_notify)
            return;
        if (break_on_notify) {
            virtio_set_needs_reset(&m->t, 0, VQ_ERR_REQUEST);
            return;
        }
    }
    virtio_mmio_write(&m->t, off, 4, val);
    if (off == VIRTIO_MMIO_QUEUE_NOTIFY && bad_used_id)
        h->used.ring[(uint16_t)(h->used.idx - 1) % HBLK_QSIZE].id = 2;
}

static uint64_t f_dma(void *ctx, const void *va)
{
    const uint8_t *p = va;

    assert_true(p >= arena && p < arena + ARENA_SIZE);  /* only driver memory goes to the device */
    return DMA_BASE + (uint64_t)(p - arena);
}

static unsigned to_dev, from_dev;
static void f_to(void *ctx, const void *va, size_t len) { to_dev++; }
static void f_from(void *ctx, const void *va, size_t len) { from_dev++; }
static uint64_t f_now(void *ctx) { return clock_ns += 1000000000ull; }     /* 1 s per look */
static void f_log(void *ctx, const char *what, uint32_t val)
{
    snprintf(last_log, sizeof(last_log), "%s", what);
    last_val = val;
    logs++;
}

static const struct hblk_bus bus = { f_read32, f_write32, f_dma, f_to, f_from, f_now, f_log, NULL };

static void make_model(struct virtio_blk *m, struct vblk_backend *be, struct vblk_ram *r, uint8_t *d,
                       bool ro)
{
    for (unsigned k = 0; k < DISK_SECTORS * 512; k++)
        d[k] = (uint8_t)(k / 512 * 3 + k);
    vblk_ram_backend(be, r, d, DISK_SECTORS * 512, ro);
    virtio_blk_init(m, &mem, be, "host");
}

static int setup(void **state)
{
    memset(arena, 0, sizeof(arena));
    flat = (struct vq_flat_ram){ arena, DMA_BASE, ARENA_SIZE };
    vq_flat_ram_init(&mem, &flat);
    for (unsigned k = 0; k < SLOTS; k++)
        model[k] = NULL;
    make_model(&blk_a, &be_a, &ram_a, disk_a, false);
    make_model(&blk_b, &be_b, &ram_b, disk_b, false);
    fake_version = 2;
    swallow_notify = break_on_notify = bad_used_id = no_version_1 = gen_flips = false;
    notifies = logs = to_dev = from_dev = 0;
    clock_ns = 0;
    last_log[0] = 0;
    h = (struct hblk *)arena;
    buf = arena + 0x10000;
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* A disk in slot 2, empty transports elsewhere. */
static void one_disk(void)
{
    model[2] = &blk_a;
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), 0);
    CHECK_EQ(h->state, HBLK_READY);
}

static void test_probe_finds_the_disk_and_brings_it_up(void **state)
{
    one_disk();
    CHECK_EQ(h->base, SLOT0 + 2 * HBLK_SLOT_SIZE);
    CHECK_EQ(h->sectors, DISK_SECTORS);
    CHECK_TRUE(h->flush);           /* the model offers FLUSH */
    CHECK_FALSE(h->read_only);
    /* the device accepted: FEATURES_OK and DRIVER_OK, VERSION_1 + FLUSH only */
    CHECK_EQ(virtio_mmio_read(&blk_a.t, VIRTIO_MMIO_STATUS, 4), 0xF);
    CHECK_TRUE(virtio_has_feature(&blk_a.t, VIRTIO_F_VERSION_1));
    CHECK_TRUE(virtio_has_feature(&blk_a.t, VIRTIO_BLK_F_FLUSH));
    CHECK_FALSE(virtio_has_feature(&blk_a.t, VIRTIO_F_EVENT_IDX));
    CHECK_FALSE(virtio_has_feature(&blk_a.t, VIRTIO_F_INDIRECT_DESC));
    CHECK_EQ(logs, 0);
}

static void test_probe_takes_the_highest_first(void **state)
{
    model[1] = &blk_b;
    model[3] = &blk_a;
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), 0);
    CHECK_EQ(h->base, SLOT0 + 3 * HBLK_SLOT_SIZE);     /* QEMU's first -device */
}

static void test_no_device(void **state)
{
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), -1);
    CHECK_TRUE(h->state != HBLK_READY);
    CHECK_TRUE(strstr(last_log, "no virtio-blk device") != NULL);
    CHECK_FALSE(hblk_read(h, 0, buf, 1));
    CHECK_FALSE(hblk_flush(h));
    CHECK_EQ(notifies, 0);
}

static void test_legacy_transport_refused(void **state)
{
    model[0] = &blk_a;
    fake_version = 1;
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), -1);
    CHECK_TRUE(strstr(last_log, "legacy") != NULL);
    CHECK_EQ(last_val, 1);
    CHECK_FALSE(hblk_read(h, 0, buf, 1));
}

static void test_no_version_1_refused(void **state)
{
    model[0] = &blk_a;
    no_version_1 = true;
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), -1);
    CHECK_TRUE(strstr(last_log, "VERSION_1") != NULL);
    CHECK_EQ(h->state, HBLK_BROKEN);
    /* and the device was told: FAILED */
    CHECK_TRUE(virtio_mmio_read(&blk_a.t, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_FAILED);
}

static void test_config_never_settles(void **state)
{
    model[0] = &blk_a;
    gen_flips = true;
    CHECK_EQ(hblk_probe(h, &bus, SLOT0, SLOTS), -1);
    CHECK_TRUE(strstr(last_log, "ConfigGeneration") != NULL);
    CHECK_EQ(h->state, HBLK_BROKEN);
    CHECK_TRUE(virtio_mmio_read(&blk_a.t, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_FAILED);
}

static void test_write_chain_and_data(void **state)
{
    one_disk();
    for (unsigned k = 0; k < 3 * 512; k++)
        buf[k] = (uint8_t)(k * 5 + 1);
    CHECK_TRUE(hblk_write(h, 10, buf, 3));
    CHECK_EQ(notifies, 1);
    CHECK_EQ(memcmp(disk_a + 10 * 512, buf, 3 * 512), 0);
    /* header (readable, NEXT), data (readable, NEXT), status (writable) */
    CHECK_EQ(h->desc[0].addr, f_dma(NULL, &h->hdr));
    CHECK_EQ(h->desc[0].len, 16);
    CHECK_EQ(h->desc[0].flags, 1);
    CHECK_EQ(h->desc[0].next, 1);
    CHECK_EQ(h->desc[1].addr, f_dma(NULL, buf));
    CHECK_EQ(h->desc[1].len, 3 * 512);
    CHECK_EQ(h->desc[1].flags, 1);
    CHECK_EQ(h->desc[1].next, 2);
    CHECK_EQ(h->desc[2].addr, f_dma(NULL, &h->status));
    CHECK_EQ(h->desc[2].len, 1);
    CHECK_EQ(h->desc[2].flags, 2);
    CHECK_EQ(h->hdr.type, VIRTIO_BLK_T_OUT);
    CHECK_EQ(h->hdr.sector, 10);
    CHECK_EQ(h->status, VIRTIO_BLK_S_OK);
    CHECK_EQ(h->used_idx, 1);
    CHECK_EQ(blk_a.writes, 1);
    CHECK_TRUE(to_dev > 0 && from_dev > 0);     /* cache maintenance around DMA */
}

static void test_read_chain_and_data(void **state)
{
    one_disk();
    memset(buf, 0, 4096);
    CHECK_TRUE(hblk_read(h, 60, buf, 4));
    CHECK_EQ(memcmp(buf, disk_a + 60 * 512, 4 * 512), 0);
    CHECK_EQ(h->desc[1].flags, 1 | 2);          /* data written by the device */
    CHECK_EQ(h->hdr.type, VIRTIO_BLK_T_IN);
    CHECK_EQ(blk_a.reads, 1);
}

static void test_many_requests_wrap_the_rings(void **state)
{
    one_disk();
    for (unsigned r = 0; r < 3 * HBLK_QSIZE + 1; r++) {
        buf[0] = (uint8_t)r;
        CHECK_TRUE(hblk_write(h, r % DISK_SECTORS, buf, 1));
        CHECK_TRUE(hblk_read(h, r % DISK_SECTORS, buf + 512, 1));
        CHECK_EQ(buf[512], (uint8_t)r);
    }
    CHECK_EQ(h->used_idx, 2 * (3 * HBLK_QSIZE + 1));
    CHECK_EQ(h->errors, 0);
}

static void test_flush_reaches_the_device(void **state)
{
    one_disk();
    CHECK_TRUE(hblk_flush(h));
    CHECK_EQ(blk_a.flushes, 1);
    CHECK_EQ(ram_a.flushes, 1);
    /* header and status only */
    CHECK_EQ(h->hdr.type, VIRTIO_BLK_T_FLUSH);
    CHECK_EQ(h->desc[0].next, 1);
    CHECK_EQ(h->desc[1].len, 1);
    CHECK_EQ(h->desc[1].flags, 2);
}

static void test_no_flush_without_the_feature(void **state)
{
    one_disk();
    h->flush = false;               /* as if the device had not offered it */
    CHECK_TRUE(hblk_flush(h));
    CHECK_EQ(notifies, 0);
}

static void test_read_only_device(void **state)
{
    make_model(&blk_a, &be_a, &ram_a, disk_a, true);
    one_disk();
    CHECK_TRUE(h->read_only);
    CHECK_FALSE(hblk_write(h, 0, buf, 1));
    CHECK_EQ(notifies, 0);          /* not even sent */
    CHECK_TRUE(hblk_read(h, 0, buf, 1));
}

/* A backend whose reads fail: the model answers S_IOERR. */
static bool fail_read(void *ctx, uint64_t sector, void *b, uint32_t nsec) { return false; }

static void test_status_not_ok(void **state)
{
    be_a.read = fail_read;
    virtio_blk_init(&blk_a, &mem, &be_a, "host");
    one_disk();
    CHECK_FALSE(hblk_read(h, 0, buf, 1));
    CHECK_EQ(h->errors, 1);
    CHECK_TRUE(strstr(last_log, "read failed") != NULL);
    CHECK_EQ(last_val, VIRTIO_BLK_S_IOERR);
    CHECK_EQ(h->state, HBLK_READY);             /* one failed request, the disk stays */
    CHECK_TRUE(hblk_write(h, 0, buf, 1));
}

static void test_beyond_the_capacity_not_sent(void **state)
{
    one_disk();
    CHECK_FALSE(hblk_read(h, DISK_SECTORS - 1, buf, 2));
    CHECK_FALSE(hblk_read(h, DISK_SECTORS, buf, 1));
    CHECK_FALSE(hblk_write(h, ~0ull, buf, 2));
    CHECK_FALSE(hblk_read(h, 0, buf, 0));
    CHECK_EQ(notifies, 0);
}

static void test_needs_reset(void **state)
{
    one_disk();
    break_on_notify = true;
    CHECK_FALSE(hblk_read(h, 0, buf, 1));
    CHECK_TRUE(strstr(last_log, "needs a reset") != NULL);
    CHECK_EQ(h->state, HBLK_BROKEN);
    break_on_notify = false;
    CHECK_FALSE(hblk_read(h, 0, buf, 1));       /* given up: nothing more sent */
    CHECK_EQ(notifies, 1);
}

static void test_no_answer_times_out(void **state)
{
    one_disk();
    swallow_notify = true;
    CHECK_FALSE(hblk_write(h, 0, buf, 1));
    CHECK_TRUE(strstr(last_log, "no answer") != NULL);
    CHECK_EQ(h->state, HBLK_BROKEN);
    CHECK_TRUE(clock_ns > HBLK_TIMEOUT_NS);
}

static void test_wrong_used_id(void **state)
{
    one_disk();
    bad_used_id = true;
    CHECK_FALSE(hblk_read(h, 0, buf, 1));
    CHECK_TRUE(strstr(last_log, "not given") != NULL);
    CHECK_EQ(h->state, HBLK_BROKEN);
}

/* ---- the disk as a backend, and slices of it (drivers/emul/virtio_blk.c) ---- */

static struct vblk_backend whole;

static void test_disk_backend(void **state)
{
    CHECK_FALSE(hblk_backend(&whole, h));       /* not up yet */
    one_disk();
    CHECK_TRUE(hblk_backend(&whole, h));
    CHECK_EQ(whole.sectors, DISK_SECTORS);
    CHECK_FALSE(whole.read_only);
    CHECK_TRUE(whole.read(whole.ctx, 3, buf, 2));
    CHECK_EQ(memcmp(buf, disk_a + 3 * 512, 2 * 512), 0);
    CHECK_TRUE(whole.flush(whole.ctx));
    CHECK_EQ(blk_a.flushes, 1);
}

static void test_slice_maps_and_bounds(void **state)
{
    struct vblk_backend be;
    struct vblk_slice s;

    one_disk();
    CHECK_TRUE(hblk_backend(&whole, h));
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, 16, 8, false) == NULL);
    CHECK_EQ(be.sectors, 8);
    CHECK_FALSE(be.read_only);
    CHECK_TRUE(be.read(be.ctx, 0, buf, 8));
    CHECK_EQ(memcmp(buf, disk_a + 16 * 512, 8 * 512), 0);
    memset(buf, 0xA5, 512);
    CHECK_TRUE(be.write(be.ctx, 7, buf, 1));
    CHECK_EQ(disk_a[23 * 512], 0xA5);
    CHECK_EQ(disk_a[24 * 512], (uint8_t)(24 * 3 + 24 * 512));  /* the next slice's first byte */
    unsigned sent = notifies;
    CHECK_FALSE(be.read(be.ctx, 7, buf, 2));    /* past its end, inside the disk */
    CHECK_FALSE(be.read(be.ctx, 8, buf, 1));
    CHECK_FALSE(be.write(be.ctx, ~0ull - 1, buf, 4));
    CHECK_FALSE(be.read(be.ctx, 0, buf, 0));
    CHECK_EQ(notifies, sent);
    CHECK_TRUE(be.flush(be.ctx));
    CHECK_EQ(blk_a.flushes, 1);
}

static void test_slice_read_only(void **state)
{
    struct vblk_backend be;
    struct vblk_slice s;

    one_disk();
    CHECK_TRUE(hblk_backend(&whole, h));
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, 0, DISK_SECTORS, true) == NULL);
    CHECK_TRUE(be.read_only);
    CHECK_TRUE(be.write == NULL);
    CHECK_TRUE(be.read(be.ctx, DISK_SECTORS - 1, buf, 1));
}

static void test_slice_of_a_read_only_disk(void **state)
{
    struct vblk_backend be;
    struct vblk_slice s;

    make_model(&blk_a, &be_a, &ram_a, disk_a, true);
    one_disk();
    CHECK_TRUE(hblk_backend(&whole, h));
    CHECK_TRUE(whole.read_only && whole.write == NULL);
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, 0, 8, false) == NULL);
    CHECK_TRUE(be.read_only && be.write == NULL);
}

static void test_slice_refused(void **state)
{
    struct vblk_backend be;
    struct vblk_slice s;

    one_disk();
    CHECK_TRUE(hblk_backend(&whole, h));
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, 60, 8, false) != NULL);     /* ends beyond the disk */
    CHECK_EQ(be.sectors, 8);                    /* the guest still sees its disk ... */
    CHECK_TRUE(be.read_only && be.write == NULL);
    CHECK_FALSE(be.read(be.ctx, 0, buf, 1));    /* ... and every request fails */
    CHECK_FALSE(be.flush(be.ctx));
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, ~0ull, 2, false) != NULL);
    CHECK_TRUE(vblk_slice_backend(&be, &s, &whole, 0, 0, false) != NULL);
    CHECK_EQ(notifies, 0);
    CHECK_TRUE(strcmp(vblk_slice_backend(&be, &s, NULL, 0, 8, false), "no disk") == 0);
    CHECK_FALSE(be.read(be.ctx, 0, buf, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_probe_finds_the_disk_and_brings_it_up), T(test_probe_takes_the_highest_first),
        T(test_no_device), T(test_legacy_transport_refused), T(test_no_version_1_refused), T(test_config_never_settles),
        T(test_write_chain_and_data), T(test_read_chain_and_data), T(test_many_requests_wrap_the_rings),
        T(test_flush_reaches_the_device), T(test_no_flush_without_the_feature), T(test_read_only_device),
        T(test_status_not_ok), T(test_beyond_the_capacity_not_sent), T(test_needs_reset),
        T(test_no_answer_times_out), T(test_wrong_used_id), T(test_disk_backend),
        T(test_slice_maps_and_bounds), T(test_slice_read_only), T(test_slice_of_a_read_only_disk),
        T(test_slice_refused),
    };
    return UNIT_RUN("virtio_blk_host", tests);
}
