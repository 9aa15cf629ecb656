/*
 * Monitor glue of the virtio devices (core/virtio_dev.h).  Guest memory for
 * the device models: guest-physical = IPA, valid only inside the guest's
 * own RAM (the models check every buffer against it before any access, see
 * drivers/emul/virtqueue.h); writes tell the shadow MMU, as a store by the
 * guest would (a device may write into a page the guest uses as a page
 * table).  Console output goes to the guest's tagged console line, console
 * input comes from its input queue; a disk is a blank RAM image from the
 * monitor's pool, the image the VM file named (disk=), loaded with the
 * monitor right after its RAM, or a slice of the host disk (disk=host:...,
 * drivers/virtio_blk_host.h); the net devices of all guests share one switch.
 *
 * Slots: device type i sits at the board's "virtio" entry (board.c's table
 * of guest devices, struct board_vdev) + i * VIRTIO_MMIO_SIZE with its
 * interrupt + i (QEMU's virt board numbers its own
 * virtio-mmio transports the same way).
 */
#include "virtio_dev.h"
#include "guest.h"
#include "hv.h"
#include "string.h"
#include <hv/board.h>
#include "../mm/mm.h"
#include "../mm/shadow.h"
#include "../drivers/emul/virtio_console.h"
#include "../drivers/emul/virtio_blk.h"
#include "../drivers/emul/virtio_net.h"
#include "../drivers/emul/virtio_balloon.h"
#include "../drivers/virtio_blk_host.h"
#include "mcon.h"
#include <arch/arch.h>
#include <arch/memmap.h>

enum { SLOT_CONSOLE, SLOT_BLK, SLOT_NET, SLOT_BALLOON, NSLOTS };
/* Slot i is the device of the i-th GUEST_F_VIRTIO_* bit: tools/mkguests.py
 * puts each guest's virtio,mmio device-tree nodes there by that rule. */
_Static_assert(GUEST_F_VIRTIO_BLK == GUEST_F_VIRTIO_CONSOLE << SLOT_BLK &&
               GUEST_F_VIRTIO_NET == GUEST_F_VIRTIO_CONSOLE << SLOT_NET && SLOT_CONSOLE == 0 &&
               GUEST_F_VIRTIO_BALLOON > GUEST_F_VIRTIO_NET,
               "virtio slots in the order of the GUEST_F_VIRTIO_* bits");

#define VIRTIO_DISK_BYTES (256u * 1024)    /* the blank RAM disk of virtio=blk */
/* Physmap slot of the disk images: slots 0 and 1 are the guest-memory and
 * shadow-walk accessors (mm/), which a disk copy runs between. */
#define DISK_SLOT 2

/* A disk image outside the monitor's window (disk=): host physical bytes,
 * reached one 1 MiB section at a time. */
struct vblk_phys {
    uint32_t pa;
    uint64_t size;
};

struct guest_virtio {
    struct virtio_console *con;
    struct virtio_blk *blk;
    struct virtio_net *net;
    struct virtio_balloon *bal;
    uint32_t *bal_in;                   /* its page bitmap and per-MiB counts */
    uint16_t *bal_mib;
    uint32_t bal_size;                  /* the RAM size they were made for */
    struct vblk_ram disk;
    struct vblk_phys pdisk;
    struct vblk_slice hslice;
    struct vq_mem mem;
};

static struct guest_virtio gv[MAX_GUESTS];
static struct vswitch vm_switch;            /* the net devices of this VM */

static struct guest_virtio *of(const struct guest *g)
{
    unsigned i = (unsigned)(g - guests);

    return i < MAX_GUESTS ? &gv[i] : NULL;
}

static bool ram_valid(void *ctx, uint64_t gpa, uint64_t len)
{
    const struct guest *g = ctx;

    return vq_range_in(g->ram_ipa, g->ram_size, gpa, len);
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

/* Copy between the disk at [pa, ...) and buf; to_disk says which way. */
static void phys_copy(uint32_t pa, uint8_t *buf, uint32_t len, bool to_disk)
{
    while (len) {
        uint32_t chunk = SZ_1M - (pa & (SZ_1M - 1));
        uint8_t *p;

        if (chunk > len)
            chunk = len;
        p = arch_physmap(DISK_SLOT, pa);
        /* memcpy copies words when both ends and the length allow: sectors
         * and the device's bounce buffer are aligned (a byte loop made a
         * 64 KiB read cost ~5 instructions a byte, `make bench` io rows). */
        if (to_disk)
            memcpy(p, buf, chunk);
        else
            memcpy(buf, p, chunk);
        pa += chunk;
        buf += chunk;
        len -= chunk;
    }
}

/* The device checked sector + nsec against the capacity (virtio_blk.h). */
static bool phys_read(void *ctx, uint64_t sector, void *buf, uint32_t nsec)
{
    const struct vblk_phys *d = ctx;

    phys_copy(d->pa + (uint32_t)sector * VIRTIO_BLK_SECTOR, buf, nsec * VIRTIO_BLK_SECTOR, false);
    return true;
}

static bool phys_write(void *ctx, uint64_t sector, const void *buf, uint32_t nsec)
{
    const struct vblk_phys *d = ctx;

    phys_copy(d->pa + (uint32_t)sector * VIRTIO_BLK_SECTOR, (uint8_t *)buf, nsec * VIRTIO_BLK_SECTOR,
              true);
    return true;
}

static bool phys_flush(void *ctx)
{
    return true;                    /* host RAM: written is stored */
}

/* ---- the host disk (disk=host:..., drivers/virtio_blk_host.h) ----------
 * The monitor drives one of the machine's own virtio-mmio transports
 * (board.hostvirtio_*), found at the first guest that has a slice of it.
 * Its registers are host physical addresses no guest can reach: guests see
 * only their emulated slots at those IPAs, and tools/mkguests.py refuses
 * to assign the transports to a guest of a VM that uses the host disk. */
static struct hblk host_disk;           /* in the monitor's image: linear PA */
static uint8_t *host_va;                /* board.hostvirtio_base, mapped */
static bool host_probed;

static uint32_t host_read32(void *ctx, uint32_t addr)
{
    return *(volatile uint32_t *)(host_va + (addr - board.hostvirtio_base));
}
static void host_write32(void *ctx, uint32_t addr, uint32_t val)
{
    *(volatile uint32_t *)(host_va + (addr - board.hostvirtio_base)) = val;
}
static uint64_t host_dma_addr(void *ctx, const void *va) { return arch_virt_to_phys(va); }
static void host_to_device(void *ctx, const void *va, size_t len) { arch_dcache_clean_range(va, len); }
static void host_from_device(void *ctx, const void *va, size_t len)
{
    arch_dcache_clean_inval_range(va, len);
}
static uint64_t host_now_ns(void *ctx) { return board_time_ns(); }
static void host_log(void *ctx, const char *what, uint32_t val)
{
    hv_printf("monitor: host disk (virtio-mmio 0x%08x): %s (0x%x)\n", (unsigned)host_disk.base, what,
              (unsigned)val);
}

static const struct hblk_bus host_bus = {
    host_read32, host_write32, host_dma_addr, host_to_device, host_from_device, host_now_ns, host_log,
    NULL,
};

static struct hblk *host_disk_get(void)
{
    if (host_probed || !board.hostvirtio_base)
        return &host_disk;          /* (state HBLK_ABSENT without a board transport) */
    host_probed = true;
    host_va = arch_map_device(board.hostvirtio_base);
    if (hblk_probe(&host_disk, &host_bus, board.hostvirtio_base, board.hostvirtio_count) == 0)
        hv_printf("monitor: host disk: virtio-blk at 0x%08x, %u MiB%s%s\n", (unsigned)host_disk.base,
                  (unsigned)(host_disk.sectors >> 11), host_disk.flush ? ", flush" : "",
                  host_disk.read_only ? ", read-only" : "");
    return &host_disk;
}

bool virtio_dev_hostdisk_overlaps(uint32_t lo, uint32_t size)
{
    uint64_t hi = (uint64_t)lo + size, h_lo = board.hostvirtio_base;
    bool used = false;

    for (unsigned i = 0; i < guest_image_count && i < MAX_GUESTS; i++)
        used |= (guest_images[i].flags & GUEST_F_DISK_HOST) != 0;
    return used && h_lo && lo < h_lo + (uint64_t)board.hostvirtio_count * HBLK_SLOT_SIZE && h_lo < hi;
}

/* The guest's disk: its image from the VM file, its slice of the host
 * disk, else a blank RAM disk. */
static int disk_backend(struct guest_virtio *v, const struct guest_image *im, bool ro,
                        struct vblk_backend *be)
{
    uint8_t *data = v->disk.data;

    if (im->flags & GUEST_F_DISK_HOST) {
        struct vblk_backend whole;
        bool up = hblk_backend(&whole, host_disk_get());
        const char *why = vblk_slice_backend(be, &v->hslice, up ? &whole : NULL,
                                             im->disk_off / VIRTIO_BLK_SECTOR,
                                             im->disk_size / VIRTIO_BLK_SECTOR, ro);

        if (why)
            hv_printf("monitor: guest %u (%s): host disk slice of %u MiB at %u MiB: %s; its disk fails "
                      "every request\n", (unsigned)(v - gv), im->name, (unsigned)(im->disk_size >> 20),
                      (unsigned)(im->disk_off >> 20), up ? why : "no host disk");
        return 0;
    }
    if (im->disk_size) {
        uint64_t pa = (uint64_t)hv_boot_info.phys_base + HV_RAM_SIZE + im->disk_off;

        /* mkguests.py placed it in RAM; a boot loader may have put the
         * monitor elsewhere (LOAD_ADDR). */
        if (im->disk_size > (uint32_t)GUEST_DISK_MAX_MIB << 20 ||
            pa + im->disk_size > (uint64_t)board.ram_base + board_ram_size())
            return -1;
        v->pdisk = (struct vblk_phys){ (uint32_t)pa, im->disk_size };
        *be = (struct vblk_backend){ im->disk_size / VIRTIO_BLK_SECTOR, ro, phys_read,
                                     ro ? NULL : phys_write, phys_flush, &v->pdisk };
        return 0;
    }
    if (!data && !(data = pool_alloc(VIRTIO_DISK_BYTES, 4096)))
        return -1;
    vblk_ram_backend(be, &v->disk, data, VIRTIO_DISK_BYTES, ro);
    return 0;
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

/* ---- registry entries (core/vdev.h) ------------------------------------
 * Added by virtio_dev_attach (their state and backends are set up here),
 * so they have no place hook; reset, ops and line are the transport's. */

static void vio_reset(struct vdev *d) { virtio_mmio_reset(d->state); }
static uint32_t vio_read(struct vdev *d, uint32_t off, unsigned size)
{
    return virtio_mmio_read(d->state, off, size);
}
static void vio_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    virtio_mmio_write(d->state, off, size, val);
}
static bool vio_line(struct vdev *d) { return virtio_mmio_line(d->state); }

/* A frame sent by one guest may raise another guest's line: have every
 * guest look at its devices again. */
static void net_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    virtio_mmio_write(d->state, off, size, val);
    if (off == VIRTIO_MMIO_QUEUE_NOTIFY)
        for (unsigned i = 0; i < nguests; i++)
            guests[i].virq_dirty = true;
}

VDEV_TYPE(vdev_virtio_console) = {
    .name = "virtio-console", .mmio_size = VIRTIO_MMIO_SIZE,
    .reset = vio_reset, .read = vio_read, .write = vio_write, .line = vio_line,
};
VDEV_TYPE(vdev_virtio_blk) = {
    .name = "virtio-blk", .mmio_size = VIRTIO_MMIO_SIZE,
    .reset = vio_reset, .read = vio_read, .write = vio_write, .line = vio_line,
};
VDEV_TYPE(vdev_virtio_balloon) = {
    .name = "virtio-balloon", .mmio_size = VIRTIO_MMIO_SIZE,
    .reset = vio_reset, .read = vio_read, .write = vio_write, .line = vio_line,
};
VDEV_TYPE(vdev_virtio_net) = {
    .name = "virtio-net", .mmio_size = VIRTIO_MMIO_SIZE,
    .reset = vio_reset, .read = vio_read, .write = net_write, .line = vio_line,
};

/*
 * A whole MiB of the guest's RAM is in its balloon.  A demand guest's chunk
 * goes back to the pool; first every shadow entry goes (every space, with
 * its TLB entries), so the guest cannot reach the chunk once another guest
 * holds it: a later touch of that MiB backs a new, zeroed chunk (the guest
 * may deflate and reuse a page without telling us, 5.5.6.1).  A static
 * guest's RAM is its own for good: nothing to return.
 */
static void balloon_mib_empty(void *ctx, uint32_t mib)
{
    struct guest *g = ctx;
    uint32_t ipa = g->ram_ipa + (mib << 20);

    if (!gpmap_backed(g, ipa))
        return;                         /* never touched, or static */
    shadow_flush_guest(g);
    gpmap_unback(g, ipa);
}

static int balloon_attach(struct guest *g, struct guest_virtio *v)
{
    if (!v->bal && !(v->bal = pool_alloc(sizeof(*v->bal), 8)))
        return -1;
    if (v->bal_size != g->ram_size) {   /* once: the pool is not given back */
        if (v->bal_size ||
            !(v->bal_in = pool_alloc(VIRTIO_BALLOON_BITMAP_BYTES(g->ram_size), 4)) ||
            !(v->bal_mib = pool_alloc(VIRTIO_BALLOON_COUNT_BYTES(g->ram_size), 4)))
            return -1;
        v->bal_size = g->ram_size;
    }
    virtio_balloon_init(v->bal, &v->mem, g->ram_ipa, g->ram_size, v->bal_in, v->bal_mib,
                        balloon_mib_empty, g);
    return 0;
}

static int place(struct guest *g, unsigned slot, const struct vdev_type *t, struct virtio_mmio *m)
{
    uint32_t base, irq;

    if (!vdev_board_slot(&board, "virtio", &base, &irq))
        return -1;
    return vdev_add(g, t, base + slot * VIRTIO_MMIO_SIZE, irq + slot, m, &vdev_monitor);
}

int virtio_dev_attach(struct guest *g)
{
    struct guest_virtio *v = of(g);
    unsigned idx = (unsigned)(g - guests);

    if (!(g->flags & (GUEST_F_VIRTIO_CONSOLE | GUEST_F_VIRTIO_BLK | GUEST_F_VIRTIO_NET |
                      GUEST_F_VIRTIO_BALLOON)))
        return 0;
    uint32_t base, irq;

    if (!v || !vdev_board_slot(&board, "virtio", &base, &irq))
        return -1;                  /* no place for them on this board */
    v->mem = (struct vq_mem){ ram_valid, ram_read, ram_write, g };
    if (g->flags & GUEST_F_VIRTIO_CONSOLE) {
        if (!v->con && !(v->con = pool_alloc(sizeof(*v->con), 8)))
            return -1;
        virtio_console_init(v->con, &v->mem, console_sink, console_rx_ready, g);
        if (place(g, SLOT_CONSOLE, &vdev_virtio_console, &v->con->t))
            return -1;
    }
    if (g->flags & GUEST_F_VIRTIO_BLK) {
        struct vblk_backend be;
        char id[VIRTIO_BLK_ID_BYTES] = "armvisor-gN-disk";

        if (!v->blk && !(v->blk = pool_alloc(sizeof(*v->blk), 8)))
            return -1;
        if (disk_backend(v, &guest_images[idx], g->flags & GUEST_F_DISK_RO, &be))
            return -1;
        id[10] = (char)('0' + idx);
        virtio_blk_init(v->blk, &v->mem, &be, id);
        if (place(g, SLOT_BLK, &vdev_virtio_blk, &v->blk->t))
            return -1;
    }
    if (g->flags & GUEST_F_VIRTIO_BALLOON) {
        if (balloon_attach(g, v) || place(g, SLOT_BALLOON, &vdev_virtio_balloon, &v->bal->t))
            return -1;
    }
    if (g->flags & GUEST_F_VIRTIO_NET) {
        /* The VM file's mac=, checked at build time (unicast, unique), else
         * a locally administered one per guest: 52:54:00:00:00:<id+1>. */
        uint8_t mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x00, 0x00, (uint8_t)(idx + 1) };
        const uint8_t *want = guest_images[idx].mac;

        if (want[0] | want[1] | want[2] | want[3] | want[4] | want[5])
            for (unsigned k = 0; k < ETH_ALEN; k++)
                mac[k] = want[k];

        if (v->net)
            return 0;               /* attached once: it keeps its switch port */
        if (!(v->net = pool_alloc(sizeof(*v->net), 8)) ||
            virtio_net_init(v->net, &v->mem, mac, &vm_switch) ||
            place(g, SLOT_NET, &vdev_virtio_net, &v->net->t))
            return -1;
    }
    return 0;
}

bool virtio_dev_console_pump(struct guest *g)
{
    struct guest_virtio *v = of(g);
    struct virtio_console *c = v ? v->con : NULL;

    if (!c)
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

int virtio_dev_balloon_target(struct guest *g, uint32_t mib)
{
    struct guest_virtio *v = of(g);

    if (!v || !v->bal || !(g->flags & GUEST_F_VIRTIO_BALLOON) || mib > g->ram_size >> 20)
        return -1;
    virtio_balloon_set_target(v->bal, mib * VIRTIO_BALLOON_PAGES_PER_MIB);
    g->virq_dirty = true;               /* the config-change interrupt */
    return 0;
}

bool virtio_dev_balloon_info(const struct guest *g, struct balloon_info *i)
{
    const struct guest_virtio *v = of(g);

    if (!v || !v->bal || !(g->flags & GUEST_F_VIRTIO_BALLOON))
        return false;
    i->target_pages = v->bal->num_pages;
    i->actual_pages = v->bal->actual;
    i->inflated_pages = v->bal->inflated;
    i->whole_mibs = v->bal->mibs_emptied;
    return true;
}
