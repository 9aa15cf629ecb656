/*
 * drivers/emul/virtio_blk.c (virtio 1.2 section 5.2) on the RAM backend:
 * config space and features, T_IN / T_OUT / T_FLUSH / T_GET_ID, the status
 * byte and used length, read-only disks, out-of-range and partial-sector
 * requests (VIRTIO_BLK_S_IOERR), unknown types (S_UNSUPP), and requests too
 * short to answer (NEEDS_RESET).  No access outside the fake guest RAM.
 */
#include "virtio_drv.h"
#include "../../drivers/emul/virtio_blk.h"

#define DISK_SECTORS 64
#define ALL_F (DRV_F_V1 | DRV_F_INDIRECT | DRV_F_EVENT_IDX | (1ull << VIRTIO_BLK_F_FLUSH) | \
               (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE))

static struct virtio_blk blk;
static struct vblk_backend be;
static struct vblk_ram ramdisk;
static uint8_t disk[DISK_SECTORS * 512], before[DISK_SECTORS * 512];
static struct drv_dev d;

static void make(bool ro)
{
    drv_ram_init();
    for (unsigned k = 0; k < sizeof(disk); k++)
        disk[k] = (uint8_t)(k * 7 + k / 512);
    memcpy(before, disk, sizeof(disk));
    vblk_ram_backend(&be, &ramdisk, disk, sizeof(disk), ro);
    virtio_blk_init(&blk, &drv_mem, &be, "armvisor-disk0");
    d = (struct drv_dev){ .t = &blk.t, .base = DRV_RAM_BASE };
}

static int setup(void **state)
{
    make(false);
    drv_setup(&d, &blk.t, 0, ALL_F, 16);
    return 0;
}

static int setup_ro(void **state)
{
    make(true);
    drv_setup(&d, &blk.t, 0, ALL_F | 1ull << VIRTIO_BLK_F_RO, 16);
    return 0;
}

static int teardown(void **state)
{
    CHECK_EQ(drv_oob, 0);
    return unit_ubsan_teardown(state);
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TRO(f) cmocka_unit_test_setup_teardown(f, setup_ro, teardown)

#define HDR     (DRV_BUF)
#define DATA    (DRV_BUF + 0x1000)
#define STATUS  (DRV_BUF + 0x800)

static void put_hdr(uint32_t type, uint64_t sector)
{
    drv_put32(HDR, type);
    drv_put32(HDR + 4, 0);
    drv_put64(HDR + 8, sector);
    *drv_ptr(STATUS) = 0xEE;
}

/* header, one data buffer (writable for `in`), status; run it. */
static void request3(uint32_t type, uint64_t sector, uint32_t data_len, bool in)
{
    put_hdr(type, sector);
    drv_put_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, 0, 1, DATA, data_len, VIRTQ_DESC_F_NEXT | (in ? VIRTQ_DESC_F_WRITE : 0), 2);
    drv_put_desc(&d, 0, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
}

static void check_done(uint8_t status, uint32_t used_len)
{
    uint16_t i = (uint16_t)(drv_used_idx(&d, 0) - 1);

    CHECK_EQ(drv_used_idx(&d, 0), d.avail_idx[0]);
    CHECK_EQ(*drv_ptr(STATUS), status);
    CHECK_EQ(drv_used_id(&d, 0, i), 0);
    CHECK_EQ(drv_used_len(&d, 0, i), used_len);
    CHECK_FALSE(blk.t.status & VIRTIO_STATUS_NEEDS_RESET);
}

static void test_identity_and_config(void **state)
{
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_DEVICE_ID, 4), 2);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 0, 4), DISK_SECTORS);   /* capacity */
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 4, 4), 0);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 12, 4), VQ_NUM_MAX - 2); /* seg_max */
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 20, 4), 512);           /* blk_size */
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 20, 2), 512);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG + 24, 4), 0);             /* past the end */
    virtio_mmio_write(&blk.t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 0);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_DEVICE_FEATURES, 4),
             (1u << VIRTIO_BLK_F_SEG_MAX) | (1u << VIRTIO_BLK_F_BLK_SIZE) | (1u << VIRTIO_BLK_F_FLUSH) |
             (1u << VIRTIO_F_INDIRECT_DESC) | (1u << VIRTIO_F_EVENT_IDX));
    /* config is read-only */
    virtio_mmio_write(&blk.t, VIRTIO_MMIO_CONFIG, 4, 5);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG, 4), DISK_SECTORS);
}

static void test_ro_feature(void **state)
{
    virtio_mmio_write(&blk.t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 0);
    CHECK_TRUE(virtio_mmio_read(&blk.t, VIRTIO_MMIO_DEVICE_FEATURES, 4) & (1u << VIRTIO_BLK_F_RO));
}

static void test_read(void **state)
{
    request3(VIRTIO_BLK_T_IN, 3, 1024, true);
    check_done(VIRTIO_BLK_S_OK, 1025);
    CHECK_EQ(memcmp(drv_ptr(DATA), disk + 3 * 512, 1024), 0);
    CHECK_EQ(blk.reads, 1);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_INTERRUPT_STATUS, 4), VIRTIO_INT_USED);
}

static void test_read_large_scattered(void **state)
{
    /* 10 sectors (more than the 4 KiB bounce) over buffers of odd sizes */
    static const uint32_t lens[] = { 100, 412, 2048, 1000, 1560 };
    uint64_t a = DATA, off = 0;

    put_hdr(VIRTIO_BLK_T_IN, 50);
    drv_put_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    for (unsigned i = 0; i < 5; i++) {
        drv_put_desc(&d, 0, i + 1, a, lens[i], VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (uint16_t)(i + 2));
        a += lens[i] + 64;
    }
    drv_put_desc(&d, 0, 6, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    check_done(VIRTIO_BLK_S_OK, 5120 + 1);
    a = DATA;
    for (unsigned i = 0; i < 5; i++) {
        CHECK_EQ_CTX(memcmp(drv_ptr(a), disk + 50 * 512 + off, lens[i]), 0, "segment %u", i);
        off += lens[i];
        a += lens[i] + 64;
    }
}

static void test_write_and_read_back(void **state)
{
    for (unsigned k = 0; k < 1536; k++)
        drv_ptr(DATA)[k] = (uint8_t)(k ^ 0x5A);
    request3(VIRTIO_BLK_T_OUT, 10, 1536, false);
    check_done(VIRTIO_BLK_S_OK, 1);
    CHECK_EQ(memcmp(disk + 10 * 512, drv_ptr(DATA), 1536), 0);
    CHECK_EQ(memcmp(disk, before, 10 * 512), 0);                       /* neighbours intact */
    CHECK_EQ(memcmp(disk + 13 * 512, before + 13 * 512, sizeof(disk) - 13 * 512), 0);
    memset(drv_ptr(DATA), 0, 1536);
    request3(VIRTIO_BLK_T_IN, 10, 1536, true);
    check_done(VIRTIO_BLK_S_OK, 1537);
    for (unsigned k = 0; k < 1536; k++)
        if (drv_ptr(DATA)[k] != (uint8_t)(k ^ 0x5A))
            fail_msg("byte %u read back as 0x%x", k, drv_ptr(DATA)[k]);
    CHECK_EQ(blk.writes, 1);
}

static void test_write_last_sector(void **state)
{
    request3(VIRTIO_BLK_T_OUT, DISK_SECTORS - 1, 512, false);
    check_done(VIRTIO_BLK_S_OK, 1);
}

static void test_write_read_only(void **state)
{
    memset(drv_ptr(DATA), 0xAB, 512);
    request3(VIRTIO_BLK_T_OUT, 0, 512, false);
    check_done(VIRTIO_BLK_S_IOERR, 1);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
    CHECK_EQ(blk.errors, 1);
    /* reads still work */
    request3(VIRTIO_BLK_T_IN, 0, 512, true);
    check_done(VIRTIO_BLK_S_OK, 513);
}

static void test_out_of_range(void **state)
{
    memset(drv_ptr(DATA), 0x11, 1024);
    request3(VIRTIO_BLK_T_IN, DISK_SECTORS, 512, true);            /* just past the end */
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_IN, DISK_SECTORS - 1, 1024, true);       /* runs over the end */
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_OUT, DISK_SECTORS - 1, 1024, false);
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_OUT, ~0ull, 512, false);                 /* sector + n wraps */
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_IN, ~0ull - 1, 1024, true);
    check_done(VIRTIO_BLK_S_IOERR, 1);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
    CHECK_EQ(drv_ptr(DATA)[0], 0x11);                              /* nothing copied */
    CHECK_EQ(blk.errors, 5);
}

static void test_partial_sector(void **state)
{
    request3(VIRTIO_BLK_T_IN, 0, 100, true);
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_OUT, 0, 513, false);
    check_done(VIRTIO_BLK_S_IOERR, 1);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
}

static void test_flush(void **state)
{
    put_hdr(VIRTIO_BLK_T_FLUSH, 0);
    drv_put_desc(&d, 0, 4, HDR, 16, VIRTQ_DESC_F_NEXT, 5);
    drv_put_desc(&d, 0, 5, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 4);
    drv_notify(&d, 0);
    CHECK_EQ(*drv_ptr(STATUS), VIRTIO_BLK_S_OK);
    CHECK_EQ(drv_used_id(&d, 0, 0), 4);
    CHECK_EQ(drv_used_len(&d, 0, 0), 1);
    CHECK_EQ(ramdisk.flushes, 1);
}

static void test_get_id(void **state)
{
    memset(drv_ptr(DATA), 0xFF, 32);
    request3(VIRTIO_BLK_T_GET_ID, 0, 20, true);
    check_done(VIRTIO_BLK_S_OK, 21);
    CHECK_EQ(memcmp(drv_ptr(DATA), "armvisor-disk0\0\0\0\0\0\0", 20), 0);
    CHECK_EQ(drv_ptr(DATA)[20], 0xFF);
    request3(VIRTIO_BLK_T_GET_ID, 0, 8, true);                     /* a shorter buffer */
    check_done(VIRTIO_BLK_S_OK, 9);
}

static void test_unsupported(void **state)
{
    request3(11, 0, 512, false);                                   /* T_DISCARD: not offered */
    check_done(VIRTIO_BLK_S_UNSUPP, 1);
    request3(0x80000000u, 0, 512, true);
    check_done(VIRTIO_BLK_S_UNSUPP, 1);
}

static void test_header_split(void **state)
{
    /* the header may be split over descriptors */
    put_hdr(VIRTIO_BLK_T_IN, 1);
    drv_put_desc(&d, 0, 0, HDR, 5, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, 0, 1, HDR + 5, 11, VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc(&d, 0, 2, DATA, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
    drv_put_desc(&d, 0, 3, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    check_done(VIRTIO_BLK_S_OK, 513);
    CHECK_EQ(memcmp(drv_ptr(DATA), disk + 512, 512), 0);
}

static void test_indirect_request(void **state)
{
    uint64_t table = DRV_BUF + 0x3000;

    put_hdr(VIRTIO_BLK_T_IN, 2);
    drv_put_desc_at(table, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc_at(table, 1, DATA, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc_at(table, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_put_desc(&d, 0, 0, table, 48, VIRTQ_DESC_F_INDIRECT, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    check_done(VIRTIO_BLK_S_OK, 513);
    CHECK_EQ(memcmp(drv_ptr(DATA), disk + 1024, 512), 0);
}

static void test_short_header_needs_reset(void **state)
{
    put_hdr(VIRTIO_BLK_T_IN, 0);
    drv_put_desc(&d, 0, 0, HDR, 15, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, 0, 1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    CHECK_EQ(blk.t.error, VQ_ERR_REQUEST);
    CHECK_TRUE(blk.t.status & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(drv_used_idx(&d, 0), 0);
    CHECK_EQ(*drv_ptr(STATUS), 0xEE);
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_INTERRUPT_STATUS, 4), VIRTIO_INT_CONFIG);
}

static void test_no_status_byte_needs_reset(void **state)
{
    put_hdr(VIRTIO_BLK_T_OUT, 0);
    drv_put_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, 0, 1, DATA, 512, 0, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    CHECK_EQ(blk.t.error, VQ_ERR_REQUEST);
    CHECK_TRUE(blk.t.status & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(drv_used_idx(&d, 0), 0);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
}

static void test_bad_buffer_no_disk_access(void **state)
{
    /* a write whose data buffer is outside RAM: nothing reaches the disk */
    put_hdr(VIRTIO_BLK_T_OUT, 0);
    drv_put_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    drv_put_desc(&d, 0, 1, DRV_RAM_BASE + DRV_RAM_SIZE - 256, 512, VIRTQ_DESC_F_NEXT, 2);
    drv_put_desc(&d, 0, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, 0, 0);
    drv_notify(&d, 0);
    CHECK_EQ(blk.t.error, VQ_ERR_BUFFER);
    CHECK_EQ(drv_used_idx(&d, 0), 0);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
    CHECK_EQ(*drv_ptr(STATUS), 0xEE);
}

static void test_many_requests_one_notify(void **state)
{
    for (uint16_t r = 0; r < 5; r++) {
        uint64_t h = DRV_BUF + 0x100 * r, data = DRV_BUF + 0x4000 + 0x200 * r;
        drv_put32(h, VIRTIO_BLK_T_IN);
        drv_put64(h + 8, r * 3);
        drv_put_desc(&d, 0, 3 * r, h, 16, VIRTQ_DESC_F_NEXT, (uint16_t)(3 * r + 1));
        drv_put_desc(&d, 0, 3 * r + 1, data, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (uint16_t)(3 * r + 2));
        drv_put_desc(&d, 0, 3 * r + 2, h + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
        drv_avail_add(&d, 0, (uint16_t)(3 * r));
    }
    drv_notify(&d, 0);
    CHECK_EQ(drv_used_idx(&d, 0), 5);
    for (uint16_t r = 0; r < 5; r++) {
        CHECK_EQ(drv_used_id(&d, 0, r), 3 * r);
        CHECK_EQ(*drv_ptr(DRV_BUF + 0x100 * r + 0x80), 0);
        CHECK_EQ_CTX(memcmp(drv_ptr(DRV_BUF + 0x4000 + 0x200 * r), disk + r * 3 * 512, 512), 0, "req %u", r);
    }
}

/* The device on a slice (sectors 8..23) of the RAM disk: the slice's
 * capacity, its sector 0 is the disk's 8, nothing outside it moves. */
static struct vblk_slice slice;
static struct vblk_backend slice_be;

static int setup_slice(void **state)
{
    make(false);
    assert_null(vblk_slice_backend(&slice_be, &slice, &be, 8, 16, false));
    virtio_blk_init(&blk, &drv_mem, &slice_be, "armvisor-disk0");
    drv_setup(&d, &blk.t, 0, ALL_F, 16);
    return 0;
}

static void test_slice_of_the_ram_disk(void **state)
{
    CHECK_EQ(virtio_mmio_read(&blk.t, VIRTIO_MMIO_CONFIG, 4), 16);
    for (unsigned k = 0; k < 1024; k++)
        drv_ptr(DATA)[k] = (uint8_t)(k ^ 0x3C);
    request3(VIRTIO_BLK_T_OUT, 14, 1024, false);           /* its last two sectors */
    check_done(VIRTIO_BLK_S_OK, 1);
    CHECK_EQ(memcmp(disk + 22 * 512, drv_ptr(DATA), 1024), 0);
    request3(VIRTIO_BLK_T_OUT, 15, 1024, false);           /* over its end, inside the disk */
    check_done(VIRTIO_BLK_S_IOERR, 1);
    request3(VIRTIO_BLK_T_IN, 0, 512, true);
    check_done(VIRTIO_BLK_S_OK, 513);
    CHECK_EQ(memcmp(drv_ptr(DATA), before + 8 * 512, 512), 0);
    CHECK_EQ(memcmp(disk, before, 22 * 512), 0);
    CHECK_EQ(memcmp(disk + 24 * 512, before + 24 * 512, sizeof(disk) - 24 * 512), 0);
    request3(VIRTIO_BLK_T_FLUSH, 0, 0, false);
    check_done(VIRTIO_BLK_S_OK, 1);
    CHECK_EQ(ramdisk.flushes, 1);                           /* the flush reaches the disk */
}

static void test_slice_refusals(void **state)
{
    struct vblk_slice s;
    struct vblk_backend b;

    CHECK_TRUE(vblk_slice_backend(&b, &s, &be, DISK_SECTORS - 1, 2, false) != NULL);
    CHECK_TRUE(b.read_only && !b.write && b.sectors == 2);
    CHECK_FALSE(b.read(b.ctx, 0, disk, 1));
    CHECK_TRUE(vblk_slice_backend(&b, &s, &be, 0, 0, false) != NULL);
    CHECK_TRUE(vblk_slice_backend(&b, &s, NULL, 0, 4, false) != NULL);
    CHECK_TRUE(vblk_slice_backend(&b, &s, &be, 0, DISK_SECTORS, true) == NULL);
    CHECK_TRUE(b.read_only && !b.write);
    CHECK_EQ(memcmp(disk, before, sizeof(disk)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity_and_config), TRO(test_ro_feature), T(test_read), T(test_read_large_scattered),
        T(test_write_and_read_back), T(test_write_last_sector), TRO(test_write_read_only),
        T(test_out_of_range), T(test_partial_sector), T(test_flush), T(test_get_id),
        T(test_unsupported), T(test_header_split), T(test_indirect_request),
        T(test_short_header_needs_reset), T(test_no_status_byte_needs_reset),
        T(test_bad_buffer_no_disk_access), T(test_many_requests_one_notify),
        cmocka_unit_test_setup_teardown(test_slice_of_the_ram_disk, setup_slice, teardown),
        T(test_slice_refusals),
    };
    return UNIT_RUN("virtio_blk", tests);
}
