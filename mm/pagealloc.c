/*
 * Two allocators:
 *  - the monitor pool: what is left of monitor RAM after the image, for
 *    translation tables and monitor data structures (bump allocator; the
 *    shadow-table pool of the memory issue will manage its own free list);
 *  - host RAM for guests: 1 MiB aligned regions of the board's RAM outside
 *    the monitor's 8 MiB (and, ram_claim, the guest images).
 */
#include "mm.h"
#include <arch/arch.h>
#include <arch/memmap.h>
#include <hv/board.h>
#include "../core/hv.h"
#include "../core/string.h"
#include "../core/guest.h"

extern char __image_end[];

static uintptr_t pool_next, pool_end;
static uint32_t ram_next, ram_limit, ram_low_next, ram_low_limit;

/* The VM file's board_ram_mib, if any, is the RAM this board really has
 * (QEMU -m, more fitted than board.c says); tools/mkguests.py checked it. */
uint32_t board_ram_size(void)
{
    return vm_board_ram_size ? vm_board_ram_size : board.ram_size;
}

void mm_init(void)
{
    uint32_t mon_lo = hv_boot_info.phys_base, mon_hi = mon_lo + HV_RAM_SIZE;

    pool_next = ALIGN_UP((uintptr_t)__image_end, SZ_4K);
    pool_end = HV_RAM_VBASE + HV_RAM_SIZE;

    /* Guest RAM: first above the monitor, then below it. */
    ram_next = mon_hi;
    ram_limit = board.ram_base + board_ram_size();
    ram_low_next = ALIGN_UP(board.ram_base, SZ_1M);
    ram_low_limit = mon_lo;
    if (mon_lo < board.ram_base || mon_hi > ram_limit)
        hv_panic("monitor at 0x%08x is outside the board's RAM 0x%08x-0x%08x",
                 (unsigned)mon_lo, (unsigned)board.ram_base, (unsigned)ram_limit);
}

void *pool_alloc(size_t bytes, size_t align)
{
    uintptr_t p = ALIGN_UP(pool_next, align);

    if (p + bytes > pool_end || p + bytes < p)
        return NULL;
    pool_next = p + bytes;
    memset((void *)p, 0, bytes);
    return (void *)p;
}

size_t pool_free_bytes(void)
{
    return pool_end - pool_next;
}

uint32_t ram_alloc(uint32_t size)
{
    uint32_t p;

    size = ALIGN_UP(size, SZ_1M);
    if (size && ram_limit - ram_next >= size) {
        p = ram_next;
        ram_next += size;
        return p;
    }
    if (size && ram_low_limit - ram_low_next >= size) {
        p = ram_low_next;
        ram_low_next += size;
        return p;
    }
    return 0;
}

bool ram_claim(uint32_t pa, uint32_t size)
{
    uint32_t mon_lo = hv_boot_info.phys_base, mon_hi = mon_lo + HV_RAM_SIZE;
    uint64_t end = (uint64_t)pa + size;
    struct gimage_span im = guest_images_span();

    /* ...and of the guest images, which a reset loads again */
    return pa >= board.ram_base && end <= (uint64_t)board.ram_base + board_ram_size() &&
           (end <= mon_lo || pa >= mon_hi) && (end <= im.lo || pa >= im.hi);
}

/*
 * The demand guests' host page pool (mm/gpmap.c): the board's RAM less the
 * monitor's 8 MiB, the virtio disk images after it (disk=), the guest
 * images (after the disks, or the FIT's staging slots: core/gimage.c) —
 * all three kept for the life of the monitor, a reset reloads an image —
 * and every statically placed guest's RAM.  Runs before any guest is loaded.
 */
void guest_pool_init(void)
{
    uint32_t mon_lo = hv_boot_info.phys_base, disks = 0;

    gpool_init(board.ram_base, board_ram_size());
    for (uint32_t i = 0; i < guest_image_count && i < MAX_GUESTS; i++) {
        const struct guest_image *im = &guest_images[i];
        if (im->disk_size && im->disk_off + im->disk_size > disks)
            disks = im->disk_off + im->disk_size;
        if (im->ram_pa && !(im->flags & GUEST_F_DEMAND))
            gpool_take(im->ram_pa, im->ram_size);
    }
    gpool_take(mon_lo, HV_RAM_SIZE + disks);
    struct gimage_span im = guest_images_span();
    gpool_take(im.lo, (uint32_t)(im.hi - im.lo));
}
