/*
 * virtio-mmio transport, modern layout (virtio 1.2 section 4.2.2, Version 2).
 *
 * Registers are 32-bit: the driver must access them so (4.2.2.2), other
 * sizes read 0 and are ignored on write.  The config space (0x100 on) takes
 * 8/16/32-bit accesses.  Write-only registers read 0; read-only ones
 * ignore writes.  The driver's feature set is checked when it sets
 * FEATURES_OK (3.1.1): a subset of what is offered, VERSION_1 included, or
 * FEATURES_OK does not stick.  Queue registers only change while the queue
 * is not ready; enabling a queue checks its size and the placement of its
 * three areas.  Anything the device finds malformed sets DEVICE_NEEDS_RESET
 * (2.1.2) for this device only, raises a config-change interrupt and stops
 * all its queues until the driver resets it by writing 0 to Status.
 */
#include "virtio_mmio.h"

static bool features_ok(const struct virtio_mmio *t)
{
    return (t->status & VIRTIO_STATUS_FEATURES_OK) != 0;
}

static uint64_t offered(struct virtio_mmio *t)
{
    return t->ops->features(t) | VIRTIO_TRANSPORT_FEATURES;
}

bool virtio_has_feature(const struct virtio_mmio *t, unsigned bit)
{
    return features_ok(t) && bit < 64 && (t->driver_features >> bit & 1);
}

bool virtio_live(const struct virtio_mmio *t)
{
    return (t->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK |
                         VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) ==
           (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK);
}

void virtio_mmio_reset(struct virtio_mmio *t)
{
    t->status = 0;
    t->isr = 0;
    t->dev_features_sel = t->drv_features_sel = t->queue_sel = t->shm_sel = 0;
    t->driver_features = 0;
    t->error = VQ_OK;
    t->error_queue = 0;
    for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
        vq_reset(&t->vq[q]);
    t->ops->reset(t);
}

void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_dev_ops *ops,
                      const struct vq_mem *mem)
{
    t->ops = ops;
    t->mem = *mem;
    t->config_generation = 0;
    t->errors = 0;
    virtio_mmio_reset(t);
}

bool virtio_mmio_line(const struct virtio_mmio *t)
{
    return t->isr != 0;
}

void virtio_set_needs_reset(struct virtio_mmio *t, unsigned q, enum vq_err why)
{
    if (t->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    t->status |= VIRTIO_STATUS_NEEDS_RESET;
    t->error = why;
    t->error_queue = q;
    t->errors++;
    t->isr |= VIRTIO_INT_CONFIG;
}

void virtio_config_changed(struct virtio_mmio *t)
{
    t->config_generation++;
    t->isr |= VIRTIO_INT_CONFIG;
}

static struct virtq *usable_queue(struct virtio_mmio *t, unsigned q)
{
    if (!virtio_live(t) || q >= t->ops->nqueues || !t->vq[q].ready)
        return NULL;
    return &t->vq[q];
}

bool virtio_pop(struct virtio_mmio *t, unsigned q, struct vq_chain *c)
{
    struct virtq *vq = usable_queue(t, q);
    bool got;
    enum vq_err e;

    if (!vq)
        return false;
    e = vq_pop(vq, &t->mem, virtio_has_feature(t, VIRTIO_F_INDIRECT_DESC),
               virtio_has_feature(t, VIRTIO_F_EVENT_IDX), c, &got);
    if (e) {
        virtio_set_needs_reset(t, q, e);
        return false;
    }
    return got;
}

bool virtio_push(struct virtio_mmio *t, unsigned q, uint16_t head, uint32_t len)
{
    struct virtq *vq = usable_queue(t, q);
    enum vq_err e;

    if (!vq)
        return false;
    e = vq_push(vq, &t->mem, head, len);
    if (e) {
        virtio_set_needs_reset(t, q, e);
        return false;
    }
    return true;
}

void virtio_notify_used(struct virtio_mmio *t, unsigned q)
{
    struct virtq *vq = usable_queue(t, q);
    bool irq;
    enum vq_err e;

    if (!vq)
        return;
    e = vq_should_interrupt(vq, &t->mem, virtio_has_feature(t, VIRTIO_F_EVENT_IDX), &irq);
    if (e)
        virtio_set_needs_reset(t, q, e);
    else if (irq)
        t->isr |= VIRTIO_INT_USED;
}

/* ---- registers ---------------------------------------------------------- */

static struct virtq *selected(struct virtio_mmio *t)
{
    return t->queue_sel < t->ops->nqueues ? &t->vq[t->queue_sel] : NULL;
}

static uint32_t config_read(struct virtio_mmio *t, uint32_t off, unsigned size)
{
    uint32_t v = 0;

    if (off > t->ops->config_size || size > t->ops->config_size - off)
        return 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint32_t)t->ops->config_read(t, off + k) << (8 * k);
    return v;
}

static void config_write(struct virtio_mmio *t, uint32_t off, unsigned size, uint32_t val)
{
    if (off > t->ops->config_size || size > t->ops->config_size - off || !t->ops->config_write)
        return;
    for (unsigned k = 0; k < size; k++)
        t->ops->config_write(t, off + k, (uint8_t)(val >> (8 * k)));
}

uint32_t virtio_mmio_read(void *dev, uint32_t off, unsigned size)
{
    struct virtio_mmio *t = dev;
    struct virtq *q = selected(t);

    if (off >= VIRTIO_MMIO_CONFIG)
        return config_read(t, off - VIRTIO_MMIO_CONFIG, size);
    if (size != 4)
        return 0;
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE:       return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION_REG:       return VIRTIO_MMIO_VERSION;
    case VIRTIO_MMIO_DEVICE_ID:         return t->ops->device_id;
    case VIRTIO_MMIO_VENDOR_ID:         return VIRTIO_MMIO_VENDOR;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return t->dev_features_sel < 2 ? (uint32_t)(offered(t) >> (32 * t->dev_features_sel)) : 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX:     return q ? VQ_NUM_MAX : 0;
    case VIRTIO_MMIO_QUEUE_READY:       return q ? q->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:  return t->isr;
    case VIRTIO_MMIO_STATUS:            return t->status;
    /* Readable in the modern layout (4.2.2): the queue's addresses. */
    case VIRTIO_MMIO_QUEUE_DESC_LOW:    return q ? (uint32_t)q->desc : 0;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:   return q ? (uint32_t)(q->desc >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:  return q ? (uint32_t)q->avail : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: return q ? (uint32_t)(q->avail >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:  return q ? (uint32_t)q->used : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: return q ? (uint32_t)(q->used >> 32) : 0;
    /* No shared memory regions: length and base all ones (4.2.2.1). */
    case VIRTIO_MMIO_SHM_LEN_LOW: case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW: case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xFFFFFFFFu;
    case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
    default:                            return 0;
    }
}

/* Setting FEATURES_OK: accepted only for a subset of the offer with VERSION_1. */
static bool negotiation_ok(struct virtio_mmio *t)
{
    return !(t->driver_features & ~offered(t)) &&
           (t->driver_features >> VIRTIO_F_VERSION_1 & 1);
}

static void write_status(struct virtio_mmio *t, uint32_t val)
{
    uint32_t s = val & 0xFF & ~VIRTIO_STATUS_NEEDS_RESET;

    if (!val) {
        virtio_mmio_reset(t);
        return;
    }
    if ((s & VIRTIO_STATUS_FEATURES_OK) && !features_ok(t) && !negotiation_ok(t))
        s &= ~VIRTIO_STATUS_FEATURES_OK;
    t->status = s | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
    *v = high ? (*v & 0xFFFFFFFFull) | (uint64_t)val << 32 : (*v & ~0xFFFFFFFFull) | val;
}

static void write_ready(struct virtio_mmio *t, struct virtq *q, uint32_t val)
{
    enum vq_err e;

    if (!(val & 1)) {
        q->ready = false;
        return;
    }
    if (q->ready)
        return;
    e = vq_check_rings(q, &t->mem);
    if (!e && (q->num & (q->num - 1)))
        e = VQ_ERR_RING;            /* split queue sizes are powers of 2 (2.7) */
    if (e) {
        virtio_set_needs_reset(t, t->queue_sel, e);
        return;
    }
    q->last_avail = q->used_idx = q->signalled_used = 0;
    q->ready = true;
}

void virtio_mmio_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct virtio_mmio *t = dev;
    struct virtq *q = selected(t);
    bool idle = q && !q->ready;

    if (off >= VIRTIO_MMIO_CONFIG) {
        config_write(t, off - VIRTIO_MMIO_CONFIG, size, val);
        return;
    }
    if (size != 4)
        return;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->dev_features_sel = val; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        /* Fixed once FEATURES_OK is accepted (2.2.1). */
        if (!features_ok(t) && t->drv_features_sel < 2)
            set_half(&t->driver_features, t->drv_features_sel, val);
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->drv_features_sel = val; break;
    case VIRTIO_MMIO_QUEUE_SEL:     t->queue_sel = val; break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (idle)
            q->num = val <= VQ_NUM_MAX ? (uint16_t)val : 0;
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (q)
            write_ready(t, q, val);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (usable_queue(t, val))
            t->ops->notify(t, val);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK: t->isr &= ~val; break;
    case VIRTIO_MMIO_STATUS:        write_status(t, val); break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        if (idle)
            set_half(&q->desc, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW: case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        if (idle)
            set_half(&q->avail, off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, val);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW: case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        if (idle)
            set_half(&q->used, off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, val);
        break;
    case VIRTIO_MMIO_SHM_SEL:       t->shm_sel = val; break;
    default:                        break;      /* read-only or reserved: WI */
    }
}
