/*
 * Split virtqueues (virtio 1.2, section 2.7): the descriptor table, the
 * available ring (driver area) and the used ring (device area) of one
 * queue, read and written in guest RAM through an abstract accessor.
 *
 * Everything here is guest-controlled input.  A descriptor chain is walked
 * and checked completely before the device sees any of it: every buffer
 * lies inside guest RAM (address + length without overflow), the chain is
 * no longer than the queue, visits no descriptor twice, indirect tables are
 * a multiple of 16 bytes, in RAM, not nested, and device-writable buffers
 * follow the device-readable ones.  A failed check is reported as a VQ_ERR_*
 * code; the transport (virtio_mmio.c) turns it into DEVICE_NEEDS_RESET.
 * No function here reads or writes guest memory outside what the accessor
 * declares valid.
 */
#ifndef EMUL_VIRTQUEUE_H
#define EMUL_VIRTQUEUE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Guest-physical memory as seen by a device.  `valid` says whether all of
 * [gpa, gpa+len) is guest RAM; `read`/`write` copy and return false (doing
 * nothing) if it is not.  The monitor backs this with the guest's RAM
 * (virtio_mmio_guest_mem in the wiring); tests back it with a buffer.
 */
struct vq_mem {
    bool (*valid)(void *ctx, uint64_t gpa, uint64_t len);
    bool (*read)(void *ctx, uint64_t gpa, void *buf, uint32_t len);
    bool (*write)(void *ctx, uint64_t gpa, const void *buf, uint32_t len);
    void *ctx;
};

/* The largest queue a device offers (QueueNumMax), and so the longest chain. */
#define VQ_NUM_MAX 128

/* Descriptor flags (2.7.5) and ring flags (2.7.6, 2.7.8). */
#define VIRTQ_DESC_F_NEXT       1
#define VIRTQ_DESC_F_WRITE      2
#define VIRTQ_DESC_F_INDIRECT   4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY  1

/* Why a queue was found malformed (0: it was not). */
enum vq_err {
    VQ_OK = 0,
    VQ_ERR_RING,            /* a ring or table is not in RAM / misaligned */
    VQ_ERR_AVAIL_IDX,       /* avail idx moved by more than the queue size */
    VQ_ERR_HEAD,            /* a head index >= queue size */
    VQ_ERR_NEXT,            /* a next index >= the table size */
    VQ_ERR_BUFFER,          /* a buffer not inside guest RAM (or it wraps) */
    VQ_ERR_LOOP,            /* a chain visits a descriptor twice */
    VQ_ERR_CHAIN_LONG,      /* more descriptors than the queue size */
    VQ_ERR_INDIRECT_FEAT,   /* INDIRECT without VIRTIO_F_INDIRECT_DESC */
    VQ_ERR_INDIRECT_SIZE,   /* table length 0, not a multiple of 16, or > queue size entries */
    VQ_ERR_INDIRECT_NESTED, /* INDIRECT inside an indirect table */
    VQ_ERR_INDIRECT_NEXT,   /* INDIRECT together with NEXT */
    VQ_ERR_ORDER,           /* a device-readable buffer after a device-writable one */
    VQ_ERR_REQUEST,         /* the device cannot make sense of the request (device-defined) */
    VQ_ERR_ACCESS,          /* the accessor refused an access the checks allowed */
    VQ_ERR_COUNT
};
extern const char *const vq_err_names[VQ_ERR_COUNT];

/* One buffer of a validated chain. */
struct vq_seg {
    uint64_t addr;
    uint32_t len;
};

/* A validated descriptor chain: device-readable segments first (nout of
 * them, `out_len` bytes), then device-writable ones (nin, `in_len`). */
struct vq_chain {
    uint16_t head;
    unsigned nout, nin;
    uint64_t out_len, in_len;
    struct vq_seg seg[VQ_NUM_MAX];
};

/* The state of one split virtqueue. */
struct virtq {
    uint16_t num;               /* QueueNum */
    bool ready;                 /* QueueReady */
    uint64_t desc, avail, used; /* QueueDesc / QueueDriver / QueueDevice */
    uint16_t last_avail;        /* the next available-ring entry to consume */
    uint16_t used_idx;          /* the next used-ring entry to fill */
    uint16_t signalled_used;    /* used_idx when the driver was last considered for an interrupt */
};

/* Byte sizes of the three areas for a queue of `num` entries (2.7). */
static inline uint64_t vq_desc_size(uint16_t num)  { return 16ull * num; }
static inline uint64_t vq_avail_size(uint16_t num) { return 6ull + 2ull * num; }
static inline uint64_t vq_used_size(uint16_t num)  { return 6ull + 8ull * num; }

/* Back to the power-on state of a queue (num = 0, not ready). */
void vq_reset(struct virtq *q);
/* The areas of an enabled queue: sizes, alignment (16/2/4), inside RAM. */
enum vq_err vq_check_rings(const struct virtq *q, const struct vq_mem *m);

/*
 * Take the next available chain.  Returns VQ_OK with *got = true and the
 * chain in *c (last_avail advanced), VQ_OK with *got = false if the ring is
 * empty, or an error (nothing consumed).  `indirect`: VIRTIO_F_INDIRECT_DESC
 * was negotiated.  With `event_idx`, avail_event is updated to the new
 * last_avail so the driver notifies for the next buffer (2.7.10).
 */
enum vq_err vq_pop(struct virtq *q, const struct vq_mem *m, bool indirect, bool event_idx,
                   struct vq_chain *c, bool *got);
/* Return chain `head` with `len` bytes written by the device (2.7.8). */
enum vq_err vq_push(struct virtq *q, const struct vq_mem *m, uint16_t head, uint32_t len);
/*
 * Whether the driver wants an interrupt for what was pushed since the last
 * call (2.7.7, 2.7.10): with event_idx, used_event crossed; else unless
 * VIRTQ_AVAIL_F_NO_INTERRUPT.  Records the point of this decision.
 */
enum vq_err vq_should_interrupt(struct virtq *q, const struct vq_mem *m, bool event_idx,
                                bool *irq);
/* The event-index test of 2.7.10: has `event` been passed going old -> new? */
static inline bool vq_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* Copy `len` bytes at offset `off` of the chain's readable part into buf
 * (false if that part is shorter). */
bool vq_chain_read(const struct vq_chain *c, const struct vq_mem *m, uint64_t off, void *buf,
                   uint32_t len);
/* Copy into the writable part at offset `off` (false if it is shorter). */
bool vq_chain_write(const struct vq_chain *c, const struct vq_mem *m, uint64_t off,
                    const void *buf, uint32_t len);

/* Is [gpa, gpa+len) inside [base, base+size)?  Without overflow for any
 * 64-bit gpa and len (the accessors' `valid`). */
static inline bool vq_range_in(uint64_t base, uint64_t size, uint64_t gpa, uint64_t len)
{
    return gpa >= base && gpa - base <= size && len <= size - (gpa - base);
}

/* A flat RAM accessor: guest-physical [base, base+size) is `ram`.  Used by
 * the unit tests and fuzzers, and by the monitor where guest RAM is mapped
 * contiguously. */
struct vq_flat_ram {
    uint8_t *ram;
    uint64_t base;
    uint64_t size;
};
void vq_flat_ram_init(struct vq_mem *m, struct vq_flat_ram *r);

#endif
