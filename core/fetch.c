/*
 * Guest images the boot loader put in RAM (`make fit`: the FIT image's
 * loadables, docs/boot-images.md).  A monitor built with
 * `make fit` (tools/mkguests.py --external) carries no guest images; its
 * table points each guest's ELF and DTB at a buffer in .bss, and
 * guest_fetch[] says from which host physical address to fill it.  This runs
 * once at boot, before any guest RAM is touched, so nothing has overwritten
 * the staged images yet.  An image that is missing (the monitor was booted
 * without its FIT) is reported here; the loader then refuses that guest.
 */
#include <arch/arch.h>
#include <arch/memmap.h>
#include <hv/board.h>
#include "guest.h"
#include "hv.h"
#include "string.h"

struct guest_fetch {
    uint8_t *buf;           /* in the monitor's .bss */
    uint32_t pa;            /* where the boot loader put it */
    uint32_t size;          /* bytes */
};
extern const struct guest_fetch guest_fetch[];
extern const uint32_t guest_fetch_count;

/* Physmap slot 0: this runs before any guest exists, and every other user
 * of the slot asks for its mapping again on each access. */
#define FETCH_SLOT 0

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Copy [pa, pa + size) of host RAM into buf, one 1 MiB section at a time. */
static void copy_from_phys(uint8_t *buf, uint32_t pa, uint32_t size)
{
    while (size) {
        uint32_t chunk = SZ_1M - (pa & (SZ_1M - 1));
        if (chunk > size)
            chunk = size;
        memcpy(buf, arch_physmap(FETCH_SLOT, pa), chunk);
        buf += chunk;
        pa += chunk;
        size -= chunk;
    }
}

void guest_images_fetch(void)
{
    uint32_t mon_lo = hv_boot_info.phys_base, mon_hi = mon_lo + HV_RAM_SIZE, total = 0;
    unsigned missing = 0;

    for (uint32_t i = 0; i < guest_fetch_count; i++) {
        const struct guest_fetch *f = &guest_fetch[i];
        uint64_t end = (uint64_t)f->pa + f->size;

        if (f->pa < board.ram_base || end > (uint64_t)board.ram_base + board_ram_size() ||
            (f->pa < mon_hi && end > mon_lo)) {
            hv_printf("monitor: guest image %u at PA 0x%08x (%u bytes) is outside RAM or "
                      "inside the monitor: not fetched\n", (unsigned)i, (unsigned)f->pa,
                      (unsigned)f->size);
            missing++;
            continue;
        }
        copy_from_phys(f->buf, f->pa, f->size);
        total += f->size;
        /* Each guest has an ELF image, then a DTB. */
        if (f->size < 4 || (memcmp(f->buf, "\177ELF", 4) && be32(f->buf) != 0xd00dfeedu)) {
            hv_printf("monitor: guest image %u: no ELF file or device tree at PA 0x%08x\n",
                      (unsigned)i, (unsigned)f->pa);
            missing++;
        }
    }
    if (missing)
        hv_printf("monitor: %u of %u guest images missing: this monitor takes its guests from "
                  "its FIT image's loadables; boot monitor.itb with u-boot (bootm ADDR#conf-1)\n",
                  missing, (unsigned)guest_fetch_count);
    else if (guest_fetch_count)
        hv_printf("monitor: guest images: %u bytes in %u pieces copied from where the boot "
                  "loader put them (FIT loadables)\n", (unsigned)total, (unsigned)guest_fetch_count);
}
