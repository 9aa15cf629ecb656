/*
 * Device-type registry and per-guest instances (core/vdev.h).  Instances
 * are MMIO regions whose device is the instance itself: core/mmio.c finds
 * the region (and FAST_MMIO caches it) exactly as before, and the three
 * functions below hand the access to the type with the instance.
 */
#include "vdev.h"
#include "guest.h"
#include "mmio.h"
#include "string.h"
#include "../drivers/emul/vgic.h"
#include <hv/board.h>

static uint32_t vdev_mmio_read(void *dev, uint32_t off, unsigned size)
{
    struct vdev *d = dev;

    return d->type->read(d, off, size);
}

static void vdev_mmio_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vdev *d = dev;

    d->type->write(d, off, size, val);
    /* A guest reprogramming a timer moves the host deadline. */
    if (d->type->next_event)
        d->svc->deadline_changed();
}

static void vdev_mmio_after(struct vcpu *v, void *dev)
{
    struct vdev *d = dev;

    d->type->after(v, d);
}

/* A type without `after` gets no after call: core/mmio.c skips a NULL one. */
static const struct mmio_ops vdev_mmio_ops = { vdev_mmio_read, vdev_mmio_write, NULL };
static const struct mmio_ops vdev_mmio_ops_after = { vdev_mmio_read, vdev_mmio_write, vdev_mmio_after };

static int add(struct guest *g, const struct vdev_type *t, const struct board_desc *b, uint32_t base,
               uint32_t irq, void *state, const struct vdev_services *svc)
{
    struct vdev *d;

    if (g->nvdev == MAX_VDEVS)
        return -1;
    d = &g->vdev[g->nvdev];
    *d = (struct vdev){ t, g, svc, b, base, irq, state };
    if (mmio_register(g, t->name, base, t->mmio_size, t->after ? &vdev_mmio_ops_after : &vdev_mmio_ops,
                      d))
        return -1;
    g->nvdev++;
    if (t->reset)
        t->reset(d);
    return 0;
}

int vdev_add(struct guest *g, const struct vdev_type *t, uint32_t base, uint32_t irq, void *state,
             const struct vdev_services *svc)
{
    return add(g, t, NULL, base, irq, state, svc);
}

/* Per-guest state of a board-slotted type, from the guest's arena. */
static void *arena_alloc(struct guest *g, uint32_t size)
{
    uint32_t at = (g->vdev_arena_used + 7u) & ~7u;
    void *p;

    if (size > VDEV_ARENA_BYTES || at > VDEV_ARENA_BYTES - size)
        return NULL;
    p = &g->vdev_arena[at];
    g->vdev_arena_used = at + size;
    return p;
}

bool vdev_board_slot(const struct board_desc *b, const char *name, uint32_t *base, uint32_t *irq)
{
    for (const struct board_vdev *s = b->vdevs; s && s->name; s++)
        if (!strcmp(s->name, name)) {
            *base = s->base;
            *irq = s->irq;
            return true;
        }
    return false;
}

/* Is `name` one of the comma-separated words of `list`? */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *w = list; w && *w; ) {
        const char *end = w;

        while (*end && *end != ',')
            end++;
        if ((size_t)(end - w) == n && !memcmp(w, name, n))
            return true;
        w = *end ? end + 1 : end;
    }
    return false;
}

bool vdev_placement(const struct vdev_type *t, const struct board_desc *b, const char *nodev,
                    uint32_t *base, uint32_t *irq)
{
    if (t->vm_name && listed(nodev, t->vm_name))
        return false;
    if (t->place)
        return t->place(b, base, irq);
    return t->vm_name && vdev_board_slot(b, t->vm_name, base, irq);
}

int vdev_attach_board(struct guest *g, const struct board_desc *b, const struct vdev_services *svc)
{
    for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++) {
        uint32_t base, irq;
        void *state;

        if (!vdev_placement(*t, b, g->nodev, &base, &irq))
            continue;
        if (!(state = arena_alloc(g, (*t)->state_size)) || add(g, *t, b, base, irq, state, svc))
            return -1;
    }
    return 0;
}

void vdev_reset_all(struct guest *g)
{
    for (unsigned i = 0; i < g->nvdev; i++)
        if (g->vdev[i].type->reset)
            g->vdev[i].type->reset(&g->vdev[i]);
}

void vdev_update_lines(struct guest *g)
{
    for (unsigned i = 0; i < g->nvdev; i++) {
        struct vdev *d = &g->vdev[i];

        if (d->type->line && d->irq)
            vgic_set_line(&g->gic, d->irq, d->type->line(d));
    }
}

uint64_t vdev_next_event(struct guest *g)
{
    uint64_t best = ~0ull, t;

    for (unsigned i = 0; i < g->nvdev; i++) {
        struct vdev *d = &g->vdev[i];

        if (d->type->next_event && (t = d->type->next_event(d)) < best)
            best = t;
    }
    return best;
}

struct vdev *vdev_of(struct guest *g, const struct vdev_type *t)
{
    for (unsigned i = 0; i < g->nvdev; i++)
        if (g->vdev[i].type == t)
            return &g->vdev[i];
    return NULL;
}
