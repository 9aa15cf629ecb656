/*
 * Monitor glue of the virtio devices (core/virtio_dev.h).  Guest memory for
 * the device models: guest-physical = IPA, valid only inside the guest's
 * own RAM (the models check every buffer against it before any access, see
 * drivers/emul/virtqueue.h); writes tell the shadow MMU, as a store by the
 * guest would (a device may write into a page the guest uses as a page
 * table).  Console output goes to the guest's tagged console line.
 */
#include "virtio_dev.h"
#include "guest.h"
#include <hv/board.h>
#include "../mm/mm.h"
#include "../mm/shadow.h"
#include "../drivers/emul/virtio_console.h"
#include "mcon.h"

static struct virtio_console vcon[MAX_GUESTS];

static bool ram_valid(void *ctx, uint64_t gpa, uint64_t len)
{
    const struct guest *g = ctx;

    return gpa >= g->ram_ipa && gpa - g->ram_ipa <= g->ram_size &&
           len <= g->ram_size - (gpa - g->ram_ipa);
}

static bool ram_read(void *ctx, uint64_t gpa, void *buf, uint32_t len)
{
    return ram_valid(ctx, gpa, len) && guest_copy_from_ipa(ctx, (uint32_t)gpa, buf, len);
}

static bool ram_write(void *ctx, uint64_t gpa, const void *buf, uint32_t len)
{
    if (!ram_valid(ctx, gpa, len) || !guest_copy_to_ipa(ctx, (uint32_t)gpa, buf, len))
        return false;
    shadow_guest_wrote(ctx, (uint32_t)gpa, len);
    return true;
}

static void console_sink(void *ctx, const char *buf, unsigned len)
{
    for (unsigned k = 0; k < len; k++)
        guest_console_putc(ctx, buf[k]);
}

/* The guest posted receive buffers: hand it what the console queued. */
static void console_rx_ready(void *ctx)
{
    console_pump(ctx);
}

static const struct mmio_ops virtio_ops = { virtio_mmio_read, virtio_mmio_write };

static struct virtio_console *console_of(struct guest *g)
{
    unsigned i = (unsigned)(g - guests);

    return i < MAX_GUESTS && (g->flags & GUEST_F_VIRTIO_CONSOLE) && board.vvirtio_base ? &vcon[i] : NULL;
}

int virtio_dev_attach(struct guest *g)
{
    struct virtio_console *c = console_of(g);
    struct vq_mem mem = { ram_valid, ram_read, ram_write, g };

    if (!(g->flags & GUEST_F_VIRTIO_CONSOLE))
        return 0;
    if (!c)
        return -1;                  /* no place for it on this board */
    virtio_console_init(c, &mem, console_sink, console_rx_ready, g);
    return mmio_register(g, "virtio-console", board.vvirtio_base, VIRTIO_MMIO_SIZE, &virtio_ops, &c->t);
}

void virtio_dev_reset(struct guest *g)
{
    struct virtio_console *c = console_of(g);

    if (c && c->t.ops)
        virtio_mmio_reset(&c->t);
}

void virtio_dev_update_lines(struct guest *g)
{
    struct virtio_console *c = console_of(g);

    if (c && c->t.ops)
        vgic_set_line(&g->gic, board.vvirtio_irq, virtio_mmio_line(&c->t));
}

bool virtio_dev_console_pump(struct guest *g)
{
    struct virtio_console *c = console_of(g);

    if (!c || !c->t.ops)
        return false;
    /* Bytes stay queued until the receive queue has buffers. */
    while (g->inq_count) {
        unsigned n = sizeof(g->inq) - g->inq_head, took;

        if (n > g->inq_count)
            n = g->inq_count;
        took = virtio_console_input(c, (const uint8_t *)&g->inq[g->inq_head], n);
        g->inq_head = (g->inq_head + took) % sizeof(g->inq);
        g->inq_count -= took;
        if (took < n)
            break;
    }
    return true;
}
