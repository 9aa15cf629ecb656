/*
 * drivers/emul/virtio_balloon.c (virtio 1.2 section 5.5): device ID and
 * features, the config space (num_pages set by the host with a
 * config-change interrupt, actual written by the driver), inflate and
 * deflate of le32 page frame numbers, the per-MiB callback when a whole
 * MiB is in the balloon, idempotent repeats, malformed requests
 * (NEEDS_RESET, nothing of the bad batch applied) and reset emptying the
 * balloon.  No access outside the fake guest RAM.
 */
#include "virtio_drv.h"
#include "../../drivers/emul/virtio_balloon.h"

/* The guest RAM the balloon accounts for: 4 MiB at the fake RAM's base
 * (the device never touches those pages, it only counts them; its rings
 * and PFN arrays live in the fake RAM). */
#define B_RAM_IPA  ((uint32_t)DRV_RAM_BASE)
#define B_RAM_SIZE (4u << 20)
#define B_FIRST    (B_RAM_IPA >> 12)
#define ARR        (DRV_BUF)            /* the driver's PFN array */
#define INQ        VIRTIO_BALLOON_INFLATEQ
#define DEFQ       VIRTIO_BALLOON_DEFLATEQ

static struct virtio_balloon bal;
static uint32_t bitmap[VIRTIO_BALLOON_BITMAP_BYTES(B_RAM_SIZE) / 4];
static uint16_t counts[VIRTIO_BALLOON_COUNT_BYTES(B_RAM_SIZE) / 2];
static struct drv_dev d;
static unsigned empties, last_empty;

static void on_empty(void *ctx, uint32_t mib)
{
    CHECK_EQ(ctx, &bal);
    empties++;
    last_empty = mib;
}

static int setup(void **state)
{
    drv_ram_init();
    memset(bitmap, 0, sizeof(bitmap));
    memset(counts, 0, sizeof(counts));
    empties = last_empty = 0;
    virtio_balloon_init(&bal, &drv_mem, B_RAM_IPA, B_RAM_SIZE, bitmap, counts, on_empty, &bal);
    drv_setup(&d, &bal.t, 0, DRV_F_V1 | DRV_F_EVENT_IDX, 8);
    return 0;
}

static int teardown(void **state)
{
    CHECK_EQ(drv_oob, 0);
    return unit_ubsan_teardown(state);
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* Send `n` page frame numbers (pfn[i] = first + i * step, or the list) on q
 * as one buffer; returns the used length. */
static uint32_t send(unsigned q, const uint32_t *pfns, unsigned n)
{
    uint16_t slot = (uint16_t)(d.avail_idx[q] % 8), before = drv_used_idx(&d, q);

    for (unsigned k = 0; k < n; k++)
        drv_put32(ARR + 0x1000ull * q + 4ull * k, pfns[k]);
    drv_put_desc(&d, q, slot, ARR + 0x1000ull * q, 4 * n, 0, 0);
    drv_avail_add(&d, q, slot);
    drv_notify(&d, q);
    if (drv_used_idx(&d, q) == before)
        return ~0u;                     /* not returned */
    return drv_used_len(&d, q, before);
}

static unsigned range(uint32_t *out, uint32_t first_page, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        out[k] = B_FIRST + first_page + k;
    return n;
}

static uint32_t cfg(uint32_t off) { return drv_rd(&d, VIRTIO_MMIO_CONFIG + off); }

static void identity_and_features(void **state)
{
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BALLOON);
    drv_wr(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    /* No device feature (no stats queue, hinting, DEFLATE_ON_OOM...). */
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_DEVICE_FEATURES) & 0x00FFFFFFu, 0);
    CHECK_EQ(bal.t.status & VIRTIO_STATUS_DRIVER_OK, VIRTIO_STATUS_DRIVER_OK);
    drv_wr(&d, VIRTIO_MMIO_QUEUE_SEL, 2);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);    /* two queues only */
}

static void target_is_a_config_change(void **state)
{
    uint32_t gen = drv_rd(&d, VIRTIO_MMIO_CONFIG_GENERATION);

    CHECK_EQ(cfg(0), 0);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    virtio_balloon_set_target(&bal, 300);
    CHECK_EQ(cfg(0), 300);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    CHECK_TRUE(virtio_mmio_line(&bal.t));
    CHECK_TRUE(drv_rd(&d, VIRTIO_MMIO_CONFIG_GENERATION) != gen);
    /* The driver reports `actual`; num_pages is the host's alone. */
    drv_wr(&d, VIRTIO_MMIO_CONFIG + 4, 123);
    drv_wr(&d, VIRTIO_MMIO_CONFIG + 0, 7);
    CHECK_EQ(cfg(4), 123);
    CHECK_EQ(cfg(0), 300);
    CHECK_EQ(bal.actual, 123);
}

static void whole_mib_is_reported_once(void **state)
{
    uint32_t p[256];

    /* MiB 2 in four buffers of 64; the callback comes with the last page. */
    for (unsigned b = 0; b < 4; b++) {
        CHECK_EQ(send(INQ, p, range(p, 512 + 64 * b, 64)), 0);
        CHECK_EQ(empties, b == 3);
    }
    CHECK_EQ(last_empty, 2);
    CHECK_EQ(bal.inflated, 256);
    CHECK_EQ(counts[2], 256);
    /* The same pages again: nothing changes, no second callback. */
    CHECK_EQ(send(INQ, p, range(p, 512, 256)), 0);
    CHECK_EQ(empties, 1);
    CHECK_EQ(bal.inflated, 256);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void partial_mibs_and_deflate(void **state)
{
    uint32_t p[256];

    /* 255 pages of MiB 0 and 255 of MiB 1 (one buffer across the two). */
    CHECK_EQ(send(INQ, p, range(p, 1, 255)), 0);
    CHECK_EQ(send(INQ, p, range(p, 256, 255)), 0);
    CHECK_EQ(empties, 0);
    CHECK_EQ(bal.inflated, 510);
    CHECK_EQ(counts[0], 255);
    CHECK_EQ(counts[1], 255);
    /* Deflate 10 of MiB 0 and a page never inflated (ignored). */
    p[0] = B_FIRST + 0;
    for (unsigned k = 1; k <= 10; k++)
        p[k] = B_FIRST + k;
    CHECK_EQ(send(DEFQ, p, 11), 0);
    CHECK_EQ(bal.inflated, 500);
    CHECK_EQ(counts[0], 245);
    CHECK_EQ(bitmap[0] & 0x7FF, 0);
    /* Fill MiB 0 completely: now it is reported. */
    CHECK_EQ(send(INQ, p, range(p, 0, 256)), 0);
    CHECK_EQ(empties, 1);
    CHECK_EQ(last_empty, 0);
    /* Out and in again: reported a second time. */
    CHECK_EQ(send(DEFQ, p, range(p, 100, 1)), 0);
    CHECK_EQ(send(INQ, p, range(p, 100, 1)), 0);
    CHECK_EQ(empties, 2);
    CHECK_EQ(bal.inflated, 511);
}

/* A bad page frame anywhere in a batch: NEEDS_RESET, that batch not applied. */
static void check_refused(uint32_t bad, unsigned q)
{
    uint32_t p[8];

    range(p, 40, 8);
    p[5] = bad;
    CHECK_EQ(send(q, p, 8), ~0u);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(bal.inflated, 0);
    CHECK_EQ(counts[0], 0);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG, VIRTIO_INT_CONFIG);
}

static void pfn_below_ram(void **state) { check_refused(B_FIRST - 1, INQ); }
static void pfn_above_ram(void **state) { check_refused(B_FIRST + (B_RAM_SIZE >> 12), INQ); }
static void pfn_wraps(void **state) { check_refused(0xFFFFFFFFu, INQ); }
static void pfn_zero(void **state) { check_refused(0, DEFQ); }

static void partial_entry(void **state)
{
    uint32_t p[2];

    range(p, 3, 2);
    drv_put32(ARR, p[0]);
    drv_put32(ARR + 4, p[1]);
    drv_put_desc(&d, INQ, 0, ARR, 6, 0, 0);     /* one and a half entries */
    drv_avail_add(&d, INQ, 0);
    drv_notify(&d, INQ);
    CHECK_EQ(drv_used_idx(&d, INQ), 0);
    CHECK_EQ(drv_rd(&d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(bal.inflated, 0);
}

/* A write-only buffer has no readable PFNs: an empty request, answered. */
static void writable_buffer_is_empty(void **state)
{
    drv_put_desc(&d, INQ, 0, ARR, 64, VIRTQ_DESC_F_WRITE, 0);
    drv_avail_add(&d, INQ, 0);
    drv_notify(&d, INQ);
    CHECK_EQ(drv_used_idx(&d, INQ), 1);
    CHECK_EQ(drv_used_len(&d, INQ, 0), 0);
    CHECK_EQ(bal.inflated, 0);
}

static void reset_empties_keeps_target(void **state)
{
    uint32_t p[256];

    virtio_balloon_set_target(&bal, 1000);
    CHECK_EQ(send(INQ, p, range(p, 768, 256)), 0);
    drv_wr(&d, VIRTIO_MMIO_CONFIG + 4, 256);
    CHECK_EQ(bal.inflated, 256);
    drv_wr(&d, VIRTIO_MMIO_STATUS, 0);          /* device reset */
    CHECK_EQ(bal.inflated, 0);
    CHECK_EQ(counts[3], 0);
    CHECK_EQ(bitmap[768 / 32], 0);
    CHECK_EQ(cfg(4), 0);
    CHECK_EQ(cfg(0), 1000);
    /* After the reset the same MiB can be given again and is reported. */
    drv_setup(&d, &bal.t, 0, DRV_F_V1 | DRV_F_EVENT_IDX, 8);
    CHECK_EQ(send(INQ, p, range(p, 768, 256)), 0);
    CHECK_EQ(empties, 2);
}

static void last_page_of_ram(void **state)
{
    uint32_t p[1] = { B_FIRST + (B_RAM_SIZE >> 12) - 1 };

    CHECK_EQ(send(INQ, p, 1), 0);
    CHECK_EQ(counts[3], 1);
    CHECK_EQ(bitmap[1023 / 32], 1u << 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(identity_and_features),
        T(target_is_a_config_change),
        T(whole_mib_is_reported_once),
        T(partial_mibs_and_deflate),
        T(pfn_below_ram),
        T(pfn_above_ram),
        T(pfn_wraps),
        T(pfn_zero),
        T(partial_entry),
        T(writable_buffer_is_empty),
        T(reset_empties_keeps_target),
        T(last_page_of_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
