/*
 * Where the guest images are (issue 19 item 5, docs/memory-map.md).
 *
 * A guest's ELF file and device tree never sit in the monitor's 8 MiB
 * window: an image may be as large as the guest's RAM.  Either
 *  - embedded (`make`, the uImage): linked into .guest_images, which
 *    linker.ld loads with the monitor after its RAM and its disk images;
 *    the table holds link addresses, and an image is at the monitor's
 *    physical base + (link address - HV_RAM_VBASE), wherever the boot
 *    loader put the monitor; or
 *  - staged (`make fit`): the boot loader put each one at the fixed host
 *    physical address the table holds (the FIT's loadables, sized and
 *    placed by tools/mkguests.py --external).
 * The loader copies from there into guest RAM by physical address
 * (guest_copy_pa_to_ipa()), at boot and at every reset, so the images'
 * host RAM stays out of every guest's reach for the life of the monitor
 * (mm/pagealloc.c: ram_claim, guest_pool_init).
 */
#include <arch/arch.h>
#include <arch/memmap.h>
#include <hv/board.h>
#include "guest.h"
#include "hv.h"
#include "string.h"

/* Physmap slot 1 (the shadow's too, which maps again on every access): the
 * loader reads headers here between copies, never during one. */
#define READ_SLOT 1

static uint32_t pa_of(uint32_t at, uint32_t mon_pa, bool staged)
{
    return staged ? at : mon_pa + (at - HV_RAM_VBASE);
}

uint32_t guest_image_pa(uint32_t at)
{
    return pa_of(at, hv_boot_info.phys_base, guest_images_staged);
}

struct gimage_span gimage_span_of(const struct guest_image *t, unsigned n, uint32_t mon_pa, bool staged)
{
    struct gimage_span s = { 0, 0 };
    uint64_t lo = UINT64_MAX, hi = 0;

    for (unsigned i = 0; i < n; i++) {
        const uint32_t at[2] = { t[i].elf, t[i].dtb }, size[2] = { t[i].elf_size, t[i].dtb_size };
        for (unsigned k = 0; k < 2; k++) {
            uint64_t pa = pa_of(at[k], mon_pa, staged);
            if (!size[k])
                continue;
            if (pa < lo)
                lo = pa;
            if (pa + size[k] > hi)
                hi = pa + size[k];
        }
    }
    if (hi) {
        s.lo = (uint32_t)lo;
        s.hi = hi;
    }
    return s;
}

struct gimage_span guest_images_span(void)
{
    return gimage_span_of(guest_images, guest_image_count, hv_boot_info.phys_base, guest_images_staged);
}

void guest_image_read(uint32_t pa, void *buf, size_t len)
{
    uint8_t *b = buf;

    while (len) {
        size_t chunk = SZ_1M - (pa & (SZ_1M - 1));
        if (chunk > len)
            chunk = len;
        memcpy(b, arch_physmap(READ_SLOT, pa), chunk);
        b += chunk;
        pa += chunk;
        len -= chunk;
    }
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Staged images: is each one there?  A monitor from a FIT booted without
 * its loadables finds neither an ELF file nor a device tree. */
static unsigned staged_missing(void)
{
    unsigned missing = 0;

    for (uint32_t i = 0; i < guest_image_count; i++) {
        const struct guest_image *im = &guest_images[i];
        uint8_t m[4];

        guest_image_read(guest_image_pa(im->elf), m, 4);
        if (im->elf_size < 4 || memcmp(m, "\177ELF", 4)) {
            hv_printf("monitor: guest image %u: no ELF file at PA 0x%08x\n", (unsigned)(2 * i),
                      (unsigned)guest_image_pa(im->elf));
            missing++;
        }
        guest_image_read(guest_image_pa(im->dtb), m, 4);
        if (im->dtb_size && (im->dtb_size < 4 || be32(m) != 0xd00dfeedu)) {
            hv_printf("monitor: guest image %u: no device tree at PA 0x%08x\n", (unsigned)(2 * i + 1),
                      (unsigned)guest_image_pa(im->dtb));
            missing++;
        }
    }
    return missing;
}

bool gimage_span_ok(struct gimage_span s, uint32_t ram_base, uint32_t ram_size, uint32_t mon_pa)
{
    uint64_t mon_hi = (uint64_t)mon_pa + HV_RAM_SIZE;

    return s.hi == 0 || (s.lo >= ram_base && s.hi <= (uint64_t)ram_base + ram_size &&
                         (s.hi <= mon_pa || s.lo >= mon_hi));
}

bool guest_images_check(void)
{
    uint32_t mon_lo = hv_boot_info.phys_base, mon_hi = mon_lo + HV_RAM_SIZE;
    uint64_t ram_hi = (uint64_t)board.ram_base + board_ram_size();
    struct gimage_span s = guest_images_span();
    unsigned missing;

    if (s.hi == 0)
        return true;                    /* no images (no guests) */
    if (!gimage_span_ok(s, board.ram_base, board_ram_size(), mon_lo)) {
        hv_printf("monitor: the guest images at PA 0x%08x-0x%08llx (%u KiB) are not all in the "
                  "board's RAM 0x%08x-0x%08llx clear of the monitor at 0x%08x-0x%08x (images, disks "
                  "and guests beyond the board's RAM, or the monitor loaded too high: make "
                  "LOAD_ADDR=...): no guest is started\n", (unsigned)s.lo,
                  (unsigned long long)(s.hi - 1), (unsigned)((s.hi - s.lo) >> 10),
                  (unsigned)board.ram_base, (unsigned long long)(ram_hi - 1), (unsigned)mon_lo,
                  (unsigned)(mon_hi - 1));
        return false;
    }
    if (!guest_images_staged) {
        hv_printf("monitor: guest images: %u KiB at PA 0x%08x-0x%08x, loaded with the monitor "
                  "(after its RAM and disk images)\n", (unsigned)((s.hi - s.lo) >> 10),
                  (unsigned)s.lo, (unsigned)(s.hi - 1));
        return true;
    }
    missing = staged_missing();
    if (missing) {
        hv_printf("monitor: %u of %u guest images missing: this monitor takes its guests from "
                  "its FIT image's loadables; boot monitor.itb with u-boot (bootm ADDR#conf-1)\n",
                  missing, (unsigned)(2 * guest_image_count));
        return false;
    }
    hv_printf("monitor: guest images: %u KiB in %u pieces at PA 0x%08x-0x%08x where the boot "
              "loader put them (FIT loadables), loaded from there\n", (unsigned)((s.hi - s.lo) >> 10),
              (unsigned)(2 * guest_image_count), (unsigned)s.lo, (unsigned)(s.hi - 1));
    return true;
}
