/*
 * virtio-balloon, traditional balloon (virtio 1.2 section 5.5): see
 * virtio_balloon.h for what is modelled and why.
 */
#include "virtio_balloon.h"

#define CFG_NUM_PAGES 0
#define CFG_ACTUAL    4

static struct virtio_balloon *to_balloon(struct virtio_mmio *t)
{
    return (struct virtio_balloon *)t;      /* the transport is the first member */
}

static uint64_t balloon_features(struct virtio_mmio *t)
{
    return 0;
}

/* Empty the balloon: the driver starts again from nothing (5.5.6). */
static void balloon_reset(struct virtio_mmio *t)
{
    struct virtio_balloon *b = to_balloon(t);

    for (uint32_t w = 0; w < b->npages / 32; w++)
        b->in[w] = 0;
    for (uint32_t m = 0; m < b->npages / VIRTIO_BALLOON_PAGES_PER_MIB; m++)
        b->mib_in[m] = 0;
    b->inflated = 0;
    b->actual = 0;
}

static uint8_t balloon_config_read(struct virtio_mmio *t, uint32_t off)
{
    struct virtio_balloon *b = to_balloon(t);
    uint32_t v = off < CFG_ACTUAL ? b->num_pages : b->actual;

    return (uint8_t)(v >> (8 * (off & 3)));
}

/* Only `actual` is the driver's (5.5.4); num_pages is read-only to it. */
static void balloon_config_write(struct virtio_mmio *t, uint32_t off, uint8_t val)
{
    struct virtio_balloon *b = to_balloon(t);
    unsigned sh = 8 * (off & 3);

    if (off >= CFG_ACTUAL)
        b->actual = (b->actual & ~(0xFFu << sh)) | (uint32_t)val << sh;
}

/* Page `p` (index into the guest's RAM) goes in or out of the balloon. */
static void page_in(struct virtio_balloon *b, uint32_t p)
{
    uint32_t bit = 1u << (p % 32), mib = p / VIRTIO_BALLOON_PAGES_PER_MIB;

    if (b->in[p / 32] & bit)
        return;
    b->in[p / 32] |= bit;
    b->inflated++;
    if (++b->mib_in[mib] == VIRTIO_BALLOON_PAGES_PER_MIB) {
        b->mibs_emptied++;
        if (b->mib_empty)
            b->mib_empty(b->ctx, mib);
    }
}

static void page_out(struct virtio_balloon *b, uint32_t p)
{
    uint32_t bit = 1u << (p % 32);

    if (!(b->in[p / 32] & bit))
        return;
    b->in[p / 32] &= ~bit;
    b->inflated--;
    b->mib_in[p / VIRTIO_BALLOON_PAGES_PER_MIB]--;
}

/* One chain of le32 page frame numbers; false: malformed. */
static bool handle(struct virtio_balloon *b, bool inflate)
{
    const struct vq_chain *c = &b->chain;
    uint32_t first = b->ram_ipa >> VIRTIO_BALLOON_PFN_SHIFT;

    if (c->out_len % 4)
        return false;
    for (uint64_t off = 0; off < c->out_len;) {
        uint64_t left = (c->out_len - off) / 4;
        uint32_t n = left < 64 ? (uint32_t)left : 64;

        if (!vq_chain_read(c, &b->t.mem, off, b->pfn, n * 4))
            return false;
        /* Check the whole batch first: a malformed buffer changes nothing
         * of what its batch holds (earlier batches of the chain stand). */
        for (uint32_t k = 0; k < n; k++)
            if (b->pfn[k] - first >= b->npages)     /* wraps below first */
                return false;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t p = b->pfn[k] - first;
            if (inflate)
                page_in(b, p);
            else
                page_out(b, p);
        }
        off += 4ull * n;
    }
    return true;
}

static void balloon_notify(struct virtio_mmio *t, unsigned q)
{
    struct virtio_balloon *b = to_balloon(t);
    bool any = false;

    while (virtio_pop(t, q, &b->chain)) {
        if (!handle(b, q == VIRTIO_BALLOON_INFLATEQ)) {
            virtio_set_needs_reset(t, q, VQ_ERR_REQUEST);
            return;
        }
        if (!virtio_push(t, q, b->chain.head, 0))
            return;
        any = true;
    }
    if (any)
        virtio_notify_used(t, q);
}

static const struct virtio_dev_ops balloon_ops = {
    .name = "virtio-balloon",
    .device_id = VIRTIO_ID_BALLOON,
    .nqueues = 2,
    .config_size = VIRTIO_BALLOON_CONFIG_SIZE,
    .features = balloon_features,
    .reset = balloon_reset,
    .config_read = balloon_config_read,
    .config_write = balloon_config_write,
    .notify = balloon_notify,
};

void virtio_balloon_init(struct virtio_balloon *b, const struct vq_mem *mem, uint32_t ram_ipa,
                         uint32_t ram_size, uint32_t *in, uint16_t *mib_in,
                         void (*mib_empty)(void *, uint32_t), void *ctx)
{
    b->ram_ipa = ram_ipa;
    b->npages = ram_size >> VIRTIO_BALLOON_PFN_SHIFT;
    b->in = in;
    b->mib_in = mib_in;
    b->num_pages = 0;
    b->mibs_emptied = 0;
    b->mib_empty = mib_empty;
    b->ctx = ctx;
    virtio_mmio_init(&b->t, &balloon_ops, mem);
}

void virtio_balloon_set_target(struct virtio_balloon *b, uint32_t pages)
{
    b->num_pages = pages;
    virtio_config_changed(&b->t);
}
