/*
 * The virtio devices (drivers/emul/virtio_mmio.c, virtqueue.c and the
 * console, blk and net device types) driven by a fuzzed guest: register
 * writes of any offset, queues of fuzzed size and placement, descriptor
 * tables, indirect tables and available rings built from the input inside
 * a 16 KiB fake guest RAM (addresses in it, near its ends, or anywhere in
 * 64 bits), notifications, console input, resets.
 *
 * Invariants:
 *  - no guest memory access outside the RAM: the accessor aborts if the
 *    device ever asks for one (its validation must have refused first);
 *  - NEEDS_RESET is set exactly when the device recorded a cause, and the
 *    used index never runs ahead of the available index;
 *  - console transmit: an independent reference (ref_tx below, written from
 *    the spec, replaying the device's own ring writes on a copy of RAM)
 *    predicts, chain by chain, whether it is well-formed; the device must
 *    output exactly the readable bytes of the well-formed chains and return
 *    them, and be in NEEDS_RESET iff the reference met a malformed chain;
 *  - net: a port is handed only frames whose destination is its MAC or a
 *    group address, never one from itself.
 */
#include "fuzz.h"
#include "../../drivers/emul/virtio_console.h"
#include "../../drivers/emul/virtio_blk.h"
#include "../../drivers/emul/virtio_net.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x4000u

static uint8_t ram[RAM_SIZE];
static struct vq_flat_ram flat;
static struct vq_mem flat_mem, mem;

static bool f_valid(void *ctx, uint64_t gpa, uint64_t len)
{
    return flat_mem.valid(flat_mem.ctx, gpa, len);
}

static bool f_read(void *ctx, uint64_t gpa, void *buf, uint32_t len)
{
    FUZZ_CHECK(flat_mem.read(flat_mem.ctx, gpa, buf, len), "read of %u bytes at 0x%llx outside RAM",
               len, (unsigned long long)gpa);
    return true;
}

static bool f_write(void *ctx, uint64_t gpa, const void *buf, uint32_t len)
{
    FUZZ_CHECK(flat_mem.write(flat_mem.ctx, gpa, buf, len), "write of %u bytes at 0x%llx outside RAM",
               len, (unsigned long long)gpa);
    return true;
}

/* ---- devices ------------------------------------------------------------- */

static struct virtio_console con;
static struct virtio_blk blk;
static struct vblk_backend be;
static struct vblk_ram rd;
static uint8_t disk[8 * 512];
static struct vswitch sw;
static struct virtio_net net[2];
static struct vswitch_port watch[2];    /* the real ports, behind the checking wrapper */
static const uint8_t macs[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };

static uint8_t out[1 << 16];
static size_t out_len;

static void sink(void *ctx, const char *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (out_len < sizeof(out))
            out[out_len++] = (uint8_t)b[k];
}

static bool port_check(void *ctx, const uint8_t *frame, uint32_t len)
{
    unsigned n = (unsigned)(uintptr_t)ctx;

    FUZZ_CHECK(len >= ETH_HLEN && len <= ETH_FRAME_MAX, "frame of %u bytes", len);
    FUZZ_CHECK((frame[0] & 1) || !memcmp(frame, macs[n], 6), "port %u got a unicast frame for another", n);
    FUZZ_CHECK(memcmp(frame + 6, macs[n], 6) != 0, "port %u got its own frame back", n);
    return watch[n].deliver(watch[n].ctx, frame, len);
}

/* ---- reference model of a transmit queue (console) ----------------------- */

static uint8_t rram[RAM_SIZE];      /* the reference's copy of RAM */
static uint8_t rout[1 << 16];
static size_t rout_len;

static bool r_in(uint64_t a, uint64_t len)
{
    return a >= RAM_BASE && a - RAM_BASE <= RAM_SIZE && len <= RAM_SIZE - (a - RAM_BASE);
}
static uint64_t r_get(uint64_t a, unsigned n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | rram[a - RAM_BASE + n];
    return v;
}
static void r_put(uint64_t a, uint64_t v, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        rram[a - RAM_BASE + k] = (uint8_t)(v >> (8 * k));
}

/* The readable buffers of the chain being checked. */
static struct { uint64_t addr; uint32_t len; } rseg[VQ_NUM_MAX];
static unsigned nrseg;

/* One chain from `head`: true if well-formed (its readable buffers in
 * rseg), false if the device must give up. */
static bool ref_chain(const struct virtq *q, bool indirect_ok, unsigned head)
{
    bool visited[VQ_NUM_MAX] = { false }, writing = false;
    uint64_t table = q->desc;
    unsigned size = q->num, idx = head, buffers = 0;
    bool inside = false;

    nrseg = 0;

    if (head >= q->num)
        return false;
    for (;;) {
        uint64_t d = table + 16ull * idx, addr = r_get(d, 8);
        uint32_t len = (uint32_t)r_get(d + 8, 4);
        unsigned flags = (unsigned)r_get(d + 12, 2), next = (unsigned)r_get(d + 14, 2);

        if (visited[idx])
            return false;
        visited[idx] = true;
        if (flags & VIRTQ_DESC_F_INDIRECT) {
            if (inside || !indirect_ok || (flags & VIRTQ_DESC_F_NEXT) || len == 0 || len % 16 ||
                len / 16 > q->num || !r_in(addr, len))
                return false;
            inside = true;
            table = addr;
            size = len / 16;
            idx = 0;
            memset(visited, 0, sizeof(visited));
            continue;
        }
        if (++buffers > q->num || (len && !r_in(addr, len)))
            return false;
        if (flags & VIRTQ_DESC_F_WRITE)
            writing = true;
        else if (writing)
            return false;
        else {
            rseg[nrseg].addr = addr;
            rseg[nrseg++].len = len;
        }
        if (!(flags & VIRTQ_DESC_F_NEXT))
            return true;
        if (next >= size)
            return false;
        idx = next;
    }
}

/* What a notification of the console's transmit queue must do, replayed on
 * rram: returns whether the device must end broken; *used: the used index after. */
static bool ref_tx(const struct virtq *q0, bool indirect, bool event_idx, uint16_t *used)
{
    struct virtq q = *q0;

    for (;;) {
        uint16_t avail = (uint16_t)r_get(q.avail + 2, 2), head;

        if ((uint16_t)(avail - q.last_avail) > q.num)
            return *used = q.used_idx, true;
        if (avail == q.last_avail)
            return *used = q.used_idx, false;
        head = (uint16_t)r_get(q.avail + 4 + 2ull * (q.last_avail % q.num), 2);
        if (!ref_chain(&q, indirect, head))
            return *used = q.used_idx, true;
        q.last_avail++;
        if (event_idx)
            r_put(q.used + 4 + 8ull * q.num, q.last_avail, 2);
        /* the device reads the buffers after writing avail_event */
        for (unsigned s = 0; s < nrseg; s++)
            for (uint32_t k = 0; k < rseg[s].len; k++)
                if (rout_len < sizeof(rout))
                    rout[rout_len++] = rram[rseg[s].addr - RAM_BASE + k];
        r_put(q.used + 4 + 8ull * (q.used_idx % q.num), head, 4);
        r_put(q.used + 8 + 8ull * (q.used_idx % q.num), 0, 4);
        q.used_idx++;
        r_put(q.used + 2, q.used_idx, 2);
    }
}

/* ---- building queues from the input -------------------------------------- */

/* An address: mostly inside RAM, sometimes near or past its ends, or raw. */
static uint64_t gen_addr(struct fin *f)
{
    uint8_t m = fin_u8(f);
    switch (m & 7) {
    case 0:  return (uint64_t)fin_u32(f) | (uint64_t)fin_u32(f) << 32;
    case 1:  return RAM_BASE + RAM_SIZE - (fin_u8(f) & 0x3F);
    case 2:  return RAM_BASE - (fin_u8(f) & 0x3F);
    default: return RAM_BASE + fin_u16(f) % RAM_SIZE;
    }
}

static uint32_t gen_len(struct fin *f)
{
    uint8_t m = fin_u8(f);
    return (m & 3) == 0 ? fin_u32(f) : (m & 3) == 1 ? (uint32_t)(fin_u8(f) & 7) * 16 : fin_u8(f);
}

static void gen_desc(struct fin *f, uint64_t at, unsigned num)
{
    uint8_t fl = fin_u8(f);
    uint64_t addr = gen_addr(f);
    uint32_t len = gen_len(f);
    uint16_t flags = (fl & 0x80) ? fin_u16(f) : (uint16_t)(fl & 7);
    uint16_t next = (fl & 0x40) ? fin_u16(f) : (uint16_t)(fin_u8(f) % (num + 1));
    uint8_t b[16];

    if (!r_in(at, 16))
        return;
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(addr >> (8 * k));
    for (int k = 0; k < 4; k++)
        b[8 + k] = (uint8_t)(len >> (8 * k));
    b[12] = (uint8_t)flags; b[13] = (uint8_t)(flags >> 8);
    b[14] = (uint8_t)next;  b[15] = (uint8_t)(next >> 8);
    memcpy(ram + (at - RAM_BASE), b, 16);
}

static void wr(struct virtio_mmio *t, uint32_t off, uint32_t v) { virtio_mmio_write(t, off, 4, v); }

/* Driver setup of every queue of t: size and placement from the input. */
static void setup_device(struct fin *f, struct virtio_mmio *t, unsigned slot, uint64_t features)
{
    uint8_t numsel = fin_u8(f);
    uint16_t num = (numsel & 0x80) ? (numsel & 0x1F) : (uint16_t)(1u << (numsel % 5));

    wr(t, VIRTIO_MMIO_STATUS, 3);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    wr(t, VIRTIO_MMIO_STATUS, 0xB);
    for (unsigned q = 0; q < t->ops->nqueues; q++) {
        uint64_t base = RAM_BASE + 0x1000ull * (slot * 2 + q), d = base, a = base + 0x200, u = base + 0x300;
        uint8_t place = fin_u8(f);

        if ((place & 7) == 0) {           /* anywhere: overlapping rings, bad alignment, outside */
            d = gen_addr(f);
            a = gen_addr(f);
            u = gen_addr(f);
        }
        wr(t, VIRTIO_MMIO_QUEUE_SEL, q);
        wr(t, VIRTIO_MMIO_QUEUE_NUM, num);
        wr(t, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)d);
        wr(t, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(d >> 32));
        wr(t, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)a);
        wr(t, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(a >> 32));
        wr(t, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)u);
        wr(t, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(u >> 32));
        wr(t, VIRTIO_MMIO_QUEUE_READY, 1);
        for (unsigned i = 0; i < num && i < VQ_NUM_MAX; i++)
            gen_desc(f, d + 16ull * i, num);
    }
    wr(t, VIRTIO_MMIO_STATUS, 0xF);
}

static void check_transport(const struct virtio_mmio *t)
{
    FUZZ_CHECK(!(t->status & VIRTIO_STATUS_NEEDS_RESET) == (t->error == VQ_OK),
               "NEEDS_RESET %u but cause %d", t->status & VIRTIO_STATUS_NEEDS_RESET, t->error);
    for (unsigned q = 0; q < t->ops->nqueues; q++)
        FUZZ_CHECK((uint16_t)(t->vq[q].last_avail - t->vq[q].used_idx) <= t->vq[q].num,
                   "queue %u: %u taken, %u returned", q, t->vq[q].last_avail, t->vq[q].used_idx);
}

static void avail_add(struct virtio_mmio *t, unsigned q, uint16_t head)
{
    const struct virtq *vq = &t->vq[q];
    uint16_t idx;

    if (!vq->num || !r_in(vq->avail, vq_avail_size(vq->num)))
        return;
    idx = (uint16_t)(ram[vq->avail + 2 - RAM_BASE] | ram[vq->avail + 3 - RAM_BASE] << 8);
    ram[vq->avail + 4 + 2 * (idx % vq->num) - RAM_BASE] = (uint8_t)head;
    ram[vq->avail + 5 + 2 * (idx % vq->num) - RAM_BASE] = (uint8_t)(head >> 8);
    idx++;
    ram[vq->avail + 2 - RAM_BASE] = (uint8_t)idx;
    ram[vq->avail + 3 - RAM_BASE] = (uint8_t)(idx >> 8);
}

/* Notify the console's transmit queue and compare with the reference. */
static void console_tx_checked(void)
{
    struct virtio_mmio *t = &con.t;
    struct virtq *q = &t->vq[VIRTIO_CONSOLE_TXQ];
    bool checkable = virtio_live(t) && q->ready, broken = false;
    uint16_t used = 0;

    if (checkable) {
        memcpy(rram, ram, sizeof(ram));
        rout_len = 0;
        broken = ref_tx(q, virtio_has_feature(t, VIRTIO_F_INDIRECT_DESC),
                        virtio_has_feature(t, VIRTIO_F_EVENT_IDX), &used);
    }
    out_len = 0;
    wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_CONSOLE_TXQ);
    if (!checkable)
        return;
    FUZZ_CHECK(!!(t->status & VIRTIO_STATUS_NEEDS_RESET) == broken,
               "device broken %d (%s), reference says %d", !!(t->status & VIRTIO_STATUS_NEEDS_RESET),
               vq_err_names[t->error], broken);
    FUZZ_CHECK(q->used_idx == used, "used index %u, reference %u", q->used_idx, used);
    FUZZ_CHECK(out_len == rout_len && !memcmp(out, rout, out_len),
               "output %zu bytes, reference %zu", out_len, rout_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    uint8_t cfg = fin_u8(&f);
    unsigned kind = cfg & 3;
    uint64_t features = (cfg & 0x40) ? fin_u32(&f) | (uint64_t)fin_u32(&f) << 32 :
        (1ull << VIRTIO_F_VERSION_1) | ((cfg & 4) ? 1ull << VIRTIO_F_INDIRECT_DESC : 0) |
        ((cfg & 8) ? 1ull << VIRTIO_F_EVENT_IDX : 0);
    struct virtio_mmio *t;

    memset(ram, 0, sizeof(ram));
    flat = (struct vq_flat_ram){ ram, RAM_BASE, RAM_SIZE };
    vq_flat_ram_init(&flat_mem, &flat);
    mem = (struct vq_mem){ f_valid, f_read, f_write, NULL };
    out_len = 0;

    switch (kind) {
    case 1:
        memset(disk, 0xA5, sizeof(disk));
        vblk_ram_backend(&be, &rd, disk, sizeof(disk), cfg & 0x10);
        virtio_blk_init(&blk, &mem, &be, "fuzz");
        t = &blk.t;
        features |= (1ull << VIRTIO_BLK_F_FLUSH) | ((cfg & 0x10) ? 1ull << VIRTIO_BLK_F_RO : 0);
        break;
    case 2:
        memset(&sw, 0, sizeof(sw));
        for (unsigned n = 0; n < 2; n++) {
            FUZZ_CHECK(virtio_net_init(&net[n], &mem, macs[n], &sw) == 0, "attach %u", n);
            watch[n] = net[n].port;
            net[n].port.deliver = port_check;
            net[n].port.ctx = (void *)(uintptr_t)n;
        }
        setup_device(&f, &net[1].t, 1, features);
        t = &net[0].t;
        break;
    default:
        virtio_console_init(&con, &mem, sink, NULL, NULL);
        t = &con.t;
        break;
    }
    setup_device(&f, t, 0, features);
    /* buffer contents */
    for (unsigned k = 0; k < 64 && fin_more(&f); k++)
        ram[0x2000 + (fin_u16(&f) % 0x2000)] = fin_u8(&f);

    while (fin_more(&f)) {
        uint8_t op = fin_u8(&f);
        unsigned q = (op >> 3) & 1;

        switch (op & 7) {
        case 0: case 1:                 /* make a chain available and notify */
            avail_add(t, q, (uint16_t)(fin_u8(&f) % 20));
            __attribute__((fallthrough));
        case 2:
            if (kind == 0 && q == VIRTIO_CONSOLE_TXQ)
                console_tx_checked();
            else
                wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, q);
            break;
        case 3:                         /* rewrite a descriptor or a ring word */
            if (t->vq[q].num)
                gen_desc(&f, t->vq[q].desc + 16ull * (fin_u8(&f) % t->vq[q].num), t->vq[q].num);
            break;
        case 4: {                       /* any register */
            uint32_t off = fin_u16(&f) % VIRTIO_MMIO_SIZE, v = fin_u32(&f);
            unsigned sz = 1u << (fin_u8(&f) % 3);
            off &= ~(sz - 1);
            if (off == VIRTIO_MMIO_QUEUE_NOTIFY && kind == 0 && (v == VIRTIO_CONSOLE_TXQ))
                console_tx_checked();
            else if (fin_u8(&f) & 1)
                virtio_mmio_write(t, off, sz, v);
            else
                (void)virtio_mmio_read(t, off, sz);
            break;
        }
        case 5:                         /* input, or the peer sends */
            if (kind == 0) {
                uint8_t in[32];
                unsigned n = fin_u8(&f) % sizeof(in);
                for (unsigned k = 0; k < n; k++)
                    in[k] = fin_u8(&f);
                (void)virtio_console_input(&con, in, n);
            } else if (kind == 2) {
                avail_add(&net[1].t, VIRTIO_NET_TXQ, (uint16_t)(fin_u8(&f) % 20));
                wr(&net[1].t, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_TXQ);
            }
            break;
        case 6: {                       /* poke RAM */
            uint16_t at = fin_u16(&f) % RAM_SIZE;
            ram[at] = fin_u8(&f);
            break;
        }
        default:                        /* reset and set up again */
            wr(t, VIRTIO_MMIO_STATUS, 0);
            FUZZ_CHECK(t->status == 0 && t->isr == 0 && !t->vq[0].ready, "reset left state");
            setup_device(&f, t, 0, features);
            break;
        }
        check_transport(t);
        if (kind == 2)
            check_transport(&net[1].t);
    }
    return 0;
}
