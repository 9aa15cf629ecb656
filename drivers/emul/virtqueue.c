/*
 * Split virtqueues (virtio 1.2 section 2.7), device side.  Layout of the
 * three areas of a queue of N entries (all little-endian):
 *   descriptor table (16-byte aligned): N x { le64 addr; le32 len; le16 flags; le16 next; }
 *   available ring   (2-byte aligned):  le16 flags; le16 idx; le16 ring[N]; le16 used_event;
 *   used ring        (4-byte aligned):  le16 flags; le16 idx; N x { le32 id; le32 len; }; le16 avail_event;
 * Indices are free-running 16-bit counters; ring slots are taken modulo N.
 * All multi-byte fields are assembled byte by byte, so the code is the same
 * on any host.
 */
#include "virtqueue.h"

const char *const vq_err_names[VQ_ERR_COUNT] = {
    [VQ_OK] = "ok",
    [VQ_ERR_RING] = "ring not in RAM or misaligned",
    [VQ_ERR_AVAIL_IDX] = "available index jumped by more than the queue size",
    [VQ_ERR_HEAD] = "chain head index out of range",
    [VQ_ERR_NEXT] = "next index out of range",
    [VQ_ERR_BUFFER] = "buffer outside guest RAM",
    [VQ_ERR_LOOP] = "descriptor loop",
    [VQ_ERR_CHAIN_LONG] = "chain longer than the queue",
    [VQ_ERR_INDIRECT_FEAT] = "indirect descriptor not negotiated",
    [VQ_ERR_INDIRECT_SIZE] = "bad indirect table length",
    [VQ_ERR_INDIRECT_NESTED] = "nested indirect table",
    [VQ_ERR_INDIRECT_NEXT] = "indirect descriptor with NEXT",
    [VQ_ERR_ORDER] = "readable buffer after a writable one",
    [VQ_ERR_REQUEST] = "malformed request",
    [VQ_ERR_ACCESS] = "guest memory access refused",
};

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static bool rd16(const struct vq_mem *m, uint64_t gpa, uint16_t *v)
{
    uint8_t b[2];

    if (!m->read(m->ctx, gpa, b, 2))
        return false;
    *v = le16(b);
    return true;
}

static bool wr16(const struct vq_mem *m, uint64_t gpa, uint16_t v)
{
    uint8_t b[2];

    put16(b, v);
    return m->write(m->ctx, gpa, b, 2);
}

/* Offsets inside the rings (2.7.6, 2.7.8). */
static uint64_t avail_idx_at(const struct virtq *q)   { return q->avail + 2; }
static uint64_t avail_ring_at(const struct virtq *q, uint16_t i) { return q->avail + 4 + 2ull * (i % q->num); }
static uint64_t used_event_at(const struct virtq *q)  { return q->avail + 4 + 2ull * q->num; }
static uint64_t used_idx_at(const struct virtq *q)    { return q->used + 2; }
static uint64_t used_ring_at(const struct virtq *q, uint16_t i) { return q->used + 4 + 8ull * (i % q->num); }
static uint64_t avail_event_at(const struct virtq *q) { return q->used + 4 + 8ull * q->num; }

void vq_reset(struct virtq *q)
{
    *q = (struct virtq){ 0 };
}

/* [gpa, gpa+len) without 64-bit wrap-around, and inside RAM. */
static bool in_ram(const struct vq_mem *m, uint64_t gpa, uint64_t len)
{
    return gpa + len >= gpa && m->valid(m->ctx, gpa, len);
}

enum vq_err vq_check_rings(const struct virtq *q, const struct vq_mem *m)
{
    if (!q->num || q->num > VQ_NUM_MAX || (q->desc & 15) || (q->avail & 1) || (q->used & 3))
        return VQ_ERR_RING;
    if (!in_ram(m, q->desc, vq_desc_size(q->num)) || !in_ram(m, q->avail, vq_avail_size(q->num)) ||
        !in_ram(m, q->used, vq_used_size(q->num)))
        return VQ_ERR_RING;
    return VQ_OK;
}

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

static bool read_desc(const struct vq_mem *m, uint64_t table, uint16_t i, struct desc *d)
{
    uint8_t b[16];

    if (!m->read(m->ctx, table + 16ull * i, b, 16))
        return false;
    d->addr = le32(b) | (uint64_t)le32(b + 4) << 32;
    d->len = le32(b + 8);
    d->flags = le16(b + 12);
    d->next = le16(b + 14);
    return true;
}

/*
 * Walk the chain starting at `head` and check all of it (2.7.5, 2.7.5.3):
 * the `seen` bitmap of the table being walked catches loops exactly, the
 * count of buffers bounds the chain by the queue size, and an indirect
 * table (at most one, as the last element) restarts both.
 */
static enum vq_err walk(const struct virtq *q, const struct vq_mem *m, bool indirect_ok,
                        uint16_t head, struct vq_chain *c)
{
    uint8_t seen[VQ_NUM_MAX / 8] = { 0 };
    uint64_t table = q->desc;
    unsigned tsize = q->num, count = 0;
    bool in_indirect = false;
    uint16_t i = head;
    struct desc d;

    c->head = head;
    c->nout = c->nin = 0;
    c->out_len = c->in_len = 0;
    if (head >= q->num)
        return VQ_ERR_HEAD;
    for (;;) {
        if (seen[i / 8] & (1u << (i % 8)))
            return VQ_ERR_LOOP;
        seen[i / 8] |= (uint8_t)(1u << (i % 8));
        if (!read_desc(m, table, i, &d))
            return VQ_ERR_ACCESS;
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (in_indirect)
                return VQ_ERR_INDIRECT_NESTED;
            if (!indirect_ok)
                return VQ_ERR_INDIRECT_FEAT;
            if (d.flags & VIRTQ_DESC_F_NEXT)
                return VQ_ERR_INDIRECT_NEXT;
            if (!d.len || d.len % 16 || d.len / 16 > q->num)
                return VQ_ERR_INDIRECT_SIZE;
            if (!in_ram(m, d.addr, d.len))
                return VQ_ERR_BUFFER;
            /* The write flag of the descriptor naming the table is ignored (2.7.5.3.2). */
            table = d.addr;
            tsize = d.len / 16;
            in_indirect = true;
            i = 0;
            for (unsigned k = 0; k < sizeof(seen); k++)
                seen[k] = 0;
            continue;
        }
        if (++count > q->num)
            return VQ_ERR_CHAIN_LONG;
        if (d.len && !in_ram(m, d.addr, d.len))
            return VQ_ERR_BUFFER;
        if (d.flags & VIRTQ_DESC_F_WRITE) {
            c->nin++;
            c->in_len += d.len;
        } else {
            if (c->nin)
                return VQ_ERR_ORDER;
            c->nout++;
            c->out_len += d.len;
        }
        c->seg[count - 1] = (struct vq_seg){ d.addr, d.len };
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            return VQ_OK;
        if (d.next >= tsize)
            return VQ_ERR_NEXT;
        i = d.next;
    }
}

enum vq_err vq_pop(struct virtq *q, const struct vq_mem *m, bool indirect, bool event_idx,
                   struct vq_chain *c, bool *got)
{
    uint16_t idx, head;
    enum vq_err e;

    *got = false;
    if (!q->ready)
        return VQ_OK;
    if (!rd16(m, avail_idx_at(q), &idx))
        return VQ_ERR_ACCESS;
    if ((uint16_t)(idx - q->last_avail) > q->num)
        return VQ_ERR_AVAIL_IDX;
    if (idx == q->last_avail)
        return VQ_OK;
    if (!rd16(m, avail_ring_at(q, q->last_avail), &head))
        return VQ_ERR_ACCESS;
    e = walk(q, m, indirect, head, c);
    if (e)
        return e;
    q->last_avail++;
    if (event_idx && !wr16(m, avail_event_at(q), q->last_avail))
        return VQ_ERR_ACCESS;
    *got = true;
    return VQ_OK;
}

enum vq_err vq_push(struct virtq *q, const struct vq_mem *m, uint16_t head, uint32_t len)
{
    uint8_t b[8];

    put32(b, head);
    put32(b + 4, len);
    if (!m->write(m->ctx, used_ring_at(q, q->used_idx), b, 8))
        return VQ_ERR_ACCESS;
    q->used_idx++;
    if (!wr16(m, used_idx_at(q), q->used_idx))
        return VQ_ERR_ACCESS;
    return VQ_OK;
}

enum vq_err vq_should_interrupt(struct virtq *q, const struct vq_mem *m, bool event_idx, bool *irq)
{
    uint16_t v, old = q->signalled_used;

    *irq = false;
    q->signalled_used = q->used_idx;
    if (event_idx) {
        if (!rd16(m, used_event_at(q), &v))
            return VQ_ERR_ACCESS;
        *irq = vq_need_event(v, q->used_idx, old);
    } else {
        if (!rd16(m, q->avail, &v))
            return VQ_ERR_ACCESS;
        *irq = q->used_idx != old && !(v & VIRTQ_AVAIL_F_NO_INTERRUPT);
    }
    return VQ_OK;
}

/* Copy between buf and the segments [first, first+n) from byte `off` on. */
static bool chain_copy(const struct vq_seg *seg, unsigned n, uint64_t total, const struct vq_mem *m,
                       uint64_t off, void *rbuf, const void *wbuf, uint32_t len)
{
    if (off > total || len > total - off)
        return false;
    for (unsigned s = 0; s < n && len; s++) {
        uint32_t chunk;

        if (off >= seg[s].len) {
            off -= seg[s].len;
            continue;
        }
        chunk = seg[s].len - (uint32_t)off;
        if (chunk > len)
            chunk = len;
        if (rbuf ? !m->read(m->ctx, seg[s].addr + off, rbuf, chunk)
                 : !m->write(m->ctx, seg[s].addr + off, wbuf, chunk))
            return false;
        if (rbuf)
            rbuf = (uint8_t *)rbuf + chunk;
        else
            wbuf = (const uint8_t *)wbuf + chunk;
        len -= chunk;
        off = 0;
    }
    return len == 0;
}

bool vq_chain_read(const struct vq_chain *c, const struct vq_mem *m, uint64_t off, void *buf,
                   uint32_t len)
{
    return chain_copy(c->seg, c->nout, c->out_len, m, off, buf, NULL, len);
}

bool vq_chain_write(const struct vq_chain *c, const struct vq_mem *m, uint64_t off,
                    const void *buf, uint32_t len)
{
    return chain_copy(c->seg + c->nout, c->nin, c->in_len, m, off, NULL, buf, len);
}

/* ---- a flat RAM accessor ------------------------------------------------ */

static bool flat_valid(void *ctx, uint64_t gpa, uint64_t len)
{
    const struct vq_flat_ram *r = ctx;

    return vq_range_in(r->base, r->size, gpa, len);
}

static bool flat_read(void *ctx, uint64_t gpa, void *buf, uint32_t len)
{
    const struct vq_flat_ram *r = ctx;
    const uint8_t *p;

    if (!flat_valid(ctx, gpa, len))
        return false;
    p = r->ram + (gpa - r->base);
    for (uint32_t k = 0; k < len; k++)
        ((uint8_t *)buf)[k] = p[k];
    return true;
}

static bool flat_write(void *ctx, uint64_t gpa, const void *buf, uint32_t len)
{
    const struct vq_flat_ram *r = ctx;
    uint8_t *p;

    if (!flat_valid(ctx, gpa, len))
        return false;
    p = r->ram + (gpa - r->base);
    for (uint32_t k = 0; k < len; k++)
        p[k] = ((const uint8_t *)buf)[k];
    return true;
}

void vq_flat_ram_init(struct vq_mem *m, struct vq_flat_ram *r)
{
    *m = (struct vq_mem){ flat_valid, flat_read, flat_write, r };
}
