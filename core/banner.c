/*
 * The boot banner: version, board, CPU, memory map and the guests of the
 * VM configuration, printed once the console works (before any guest is
 * loaded, so a guest that fails to load is still listed).
 *
 *   monitor 0.1.0: ARMv7-A trap-and-emulate hypervisor, board qemu-virt
 *   monitor: CPU ARM Cortex-A15 r4p0 (MIDR=0x414fc0f0), booted in mode 0x13, ...
 *   monitor: CPU features: Security Extensions no, Virtualization Extensions no, ...
 *   monitor: image at PA 0x40100000, window VA 0xbf000000-0xbfffffff, RAM ...
 *   monitor: memory map:
 *   monitor:   PA 0x40100000-0x408fffff  monitor RAM -> VA 0xbf000000 (image ..., then the page pool)
 *   monitor:   VA 0xbf800000-0xbf8fffff  device slot 0 -> PA 0x09000000 (uart)
 *   ...
 *   monitor:   PA 0x40900000-0x418fffff  guest 0 (hello) RAM = its IPA 0x40000000-0x40ffffff
 *   monitor: 1 guest, time slice 20 ms:
 *   monitor:   0 hello     16 MiB  ELF 71234 bytes, DTB 1298 bytes; devices: gic@0x08000000 ...
 *
 * The first three lines keep their historical form (tests look for
 * "image at PA" and "FDT r2=").
 */
#include <arch/arch.h>
#include <arch/memmap.h>
#include <hv/board.h>
#include "guest.h"
#include "hv.h"

extern char __image_start[], __load_end[], __image_end[];

/* MIDR (ARM ARM B4.1.105): implementer [31:24], variant [23:20],
 * architecture [19:16], primary part number [15:4], revision [3:0].
 * Part numbers from each core's Technical Reference Manual (c0, MIDR). */
static const char *cpu_part_name(uint32_t midr)
{
    static const struct { uint16_t part; const char *name; } arm_parts[] = {
        { 0xC05, "Cortex-A5" }, { 0xC07, "Cortex-A7" }, { 0xC08, "Cortex-A8" },
        { 0xC09, "Cortex-A9" }, { 0xC0D, "Cortex-A12" }, { 0xC0E, "Cortex-A17" },
        { 0xC0F, "Cortex-A15" },
    };

    if ((midr >> 24) != 0x41)
        return NULL;
    for (unsigned i = 0; i < ARRAY_SIZE(arm_parts); i++)
        if (arm_parts[i].part == ((midr >> 4) & 0xFFF))
            return arm_parts[i].name;
    return NULL;
}

static const char *implementer_name(uint32_t midr)
{
    switch (midr >> 24) {
    case 0x41: return "ARM";
    case 0x51: return "Qualcomm";
    case 0x56: return "Marvell";
    case 0x69: return "Intel";
    default:   return "implementer";
    }
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

static void cpu_lines(void)
{
    uint32_t midr = arch_id_read(ID_MIDR), pfr1 = arch_id_read(ID_PFR1);
    uint32_t mmfr3 = arch_id_read(ID_MMFR3);
    const char *part = cpu_part_name(midr);
    unsigned mode = hv_boot_info.boot_cpsr & 0x1F;

    if (part)
        hv_printf("monitor: CPU %s %s r%up%u", implementer_name(midr), part,
                  (unsigned)((midr >> 20) & 0xF), (unsigned)(midr & 0xF));
    else
        hv_printf("monitor: CPU %s 0x%02x part 0x%03x r%up%u", implementer_name(midr),
                  (unsigned)(midr >> 24), (unsigned)((midr >> 4) & 0xFFF),
                  (unsigned)((midr >> 20) & 0xF), (unsigned)(midr & 0xF));
    hv_printf(" (MIDR=0x%08x), booted in mode 0x%02x%s, SCTLR was 0x%08x, FDT r2=0x%08x\n",
              (unsigned)midr, mode, mode == 0x13 ? " (SVC)" : "",
              (unsigned)hv_boot_info.boot_sctlr, (unsigned)hv_boot_info.fdt);
    /* ID_PFR1 (B4.1.94): Security [7:4], Virtualization [15:12], generic
     * timer [19:16]; ID_MMFR3 (B4.1.92) maintenance broadcast [15:12]: the
     * Multiprocessing Extensions' inner-shareable operations. */
    hv_printf("monitor: CPU features: Security Extensions %s%s, Virtualization Extensions %s, "
              "MP Extensions %s, generic timer %s, PMU %s, VFP %s\n",
              yes_no((pfr1 >> 4) & 0xF),
              board.boots_secure && ((pfr1 >> 4) & 0xF) ? " (running Secure)" : "",
              yes_no((pfr1 >> 12) & 0xF), yes_no((mmfr3 >> 12) & 0xF),
              yes_no(arch_has_generic_timer()), yes_no(arch_has_pmu()), yes_no(arch_has_vfp()));
}

/* What the monitor knows lives in the 1 MiB device section at `sect`. */
static void slot_contents(uint32_t sect)
{
    const char *sep = "";
#define IN(a) ((a) && ((a) & ~(SZ_1M - 1)) == sect)
    hv_printf(" (");
    if (IN(board.uart_base))     { hv_printf("%suart", sep); sep = ", "; }
    if (IN(board.gic_dist_base) || IN(board.gic_cpu_base)) { hv_printf("%sgic", sep); sep = ", "; }
    /* the models the board's table places for guests (sp804, a9timer, ...) */
    for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++) {
        uint32_t base, irq;

        if ((*t)->vm_name && vdev_board_slot(&board, (*t)->vm_name, &base, &irq) && IN(base)) {
            hv_printf("%s%s", sep, (*t)->vm_name);
            sep = ", ";
        }
    }
    hv_printf("%s)", *sep ? "" : "other devices");
#undef IN
}

static void memory_map(void)
{
    uint32_t base = hv_boot_info.phys_base;

    hv_printf("monitor: image at PA 0x%08x, window VA 0x%08x-0x%08x, RAM 0x%08x-0x%08x\n",
              (unsigned)base, HV_WINDOW_BASE, HV_WINDOW_BASE + HV_WINDOW_SIZE - 1,
              (unsigned)board.ram_base, (unsigned)(board.ram_base + board_ram_size() - 1));
    hv_printf("monitor: memory map:\n");
    hv_printf("monitor:   PA 0x%08x-0x%08x  monitor RAM -> VA 0x%08x: image 0x%08x-0x%08x "
              "(%u KiB loaded, %u KiB with bss), then the page pool\n",
              (unsigned)base, (unsigned)(base + HV_RAM_SIZE - 1), HV_RAM_VBASE, (unsigned)base,
              (unsigned)arch_virt_to_phys(__image_end) - 1,
              (unsigned)((__load_end - __image_start) >> 10),
              (unsigned)((__image_end - __image_start) >> 10));
    for (unsigned i = 0; i < HV_DEV_SLOTS; i++) {
        uint32_t pa = arch_device_slot(i);
        hv_printf("monitor:   VA 0x%08x-0x%08x  device slot %u", HV_DEV_VBASE + i * SZ_1M,
                  HV_DEV_VBASE + (i + 1) * SZ_1M - 1, i);
        if (pa) {
            hv_printf(" -> PA 0x%08x", (unsigned)pa);
            slot_contents(pa);
        } else
            hv_printf(": free");
        hv_printf("\n");
    }
    hv_printf("monitor:   VA 0x%08x-0x%08x  physmap: %u x 1 MiB temporary windows onto guest RAM\n",
              HV_PHYSMAP_VBASE, HV_PHYSMAP_VBASE + HV_PHYSMAP_SLOTS * SZ_1M - 1, HV_PHYSMAP_SLOTS);
    hv_printf("monitor:   VA 0x%08x-0x%08x  per guest: pages its kernel may see (%s)\n",
              HV_GUESTVIS_VBASE, HV_GUESTVIS_VBASE + SZ_1M - 1,
              SRFA ? "the SRFA page" : "none: built with SRFA=0");
    arch_mmu_check();                   /* W^X and stack guards, checked through the MMU */
    struct gimage_span im = guest_images_span();
    if (im.hi)
        hv_printf("monitor:   PA 0x%08x-0x%08x  guest images (%s; kept: a reset loads them again)\n",
                  (unsigned)im.lo, (unsigned)(im.hi - 1),
                  guest_images_staged ? "staged by the boot loader" : "loaded with the monitor");
    for (uint32_t i = 0; i < guest_image_count && i < MAX_GUESTS; i++) {
        const struct guest_image *im = &guest_images[i];
        if (im->ram_pa)
            hv_printf("monitor:   PA 0x%08x-0x%08x  guest %u (%s) RAM = its IPA 0x%08x-0x%08x\n",
                      (unsigned)im->ram_pa, (unsigned)(im->ram_pa + im->ram_size - 1),
                      (unsigned)i, im->name, (unsigned)im->ram_ipa,
                      (unsigned)(im->ram_ipa + im->ram_size - 1));
        else if (im->flags & GUEST_F_DEMAND)
            hv_printf("monitor:   (on demand, min %u MiB) guest %u (%s) RAM = its IPA 0x%08x-0x%08x\n",
                      (unsigned)(im->ram_min >> 20), (unsigned)i, im->name, (unsigned)im->ram_ipa,
                      (unsigned)(im->ram_ipa + im->ram_size - 1));
        else
            hv_printf("monitor:   (allocated at load) guest %u (%s) RAM = its IPA 0x%08x-0x%08x\n",
                      (unsigned)i, im->name, (unsigned)im->ram_ipa,
                      (unsigned)(im->ram_ipa + im->ram_size - 1));
    }
}

/* The devices a guest gets: the vGIC, each registered board-slotted type
 * the board places and its VM file keeps (core/vdev.h: vdev_placement(), as
 * vdev_attach_board() decides), the generic timer; and the devices= names
 * of those it left out. */
static void guest_devices(const struct guest_image *im)
{
    const char *sep = "; left out (devices=): ";

    hv_printf("gic@0x%08x", (unsigned)board.gic_dist_base);
    for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++) {
        uint32_t base, irq;

        if (!vdev_placement(*t, &board, im->nodev, &base, &irq))
            continue;
        hv_printf(" %s@0x%08x", (*t)->name, (unsigned)base);
        if (irq)
            hv_printf("/irq%u", (unsigned)irq);
    }
    if (board.generic_timer)
        hv_printf(" generic-timer");
    for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++) {
        uint32_t base, irq;

        if ((*t)->vm_name && vdev_placement(*t, &board, NULL, &base, &irq) &&
            !vdev_placement(*t, &board, im->nodev, &base, &irq)) {
            hv_printf("%s%s", sep, (*t)->vm_name);
            sep = ",";
        }
    }
}

static void guest_list(void)
{
    hv_printf("monitor: %u guest%s, time slice %u ms:\n", (unsigned)guest_image_count,
              guest_image_count == 1 ? "" : "s", (unsigned)vm_slice_ms);
    for (uint32_t i = 0; i < guest_image_count && i < MAX_GUESTS; i++) {
        const struct guest_image *im = &guest_images[i];
        hv_printf("monitor:   %u %-10s %2u MiB  ELF %u bytes, DTB %u bytes, coherence=%s, spaces=%u; "
                  "devices: ", (unsigned)i, im->name, (unsigned)(im->ram_size >> 20),
                  (unsigned)im->elf_size, (unsigned)im->dtb_size,
                  (im->flags & GUEST_F_COH_WP) ? "wp" : "tlb", (unsigned)im->spaces);
        guest_devices(im);
        if (im->assign_size)        /* assign= (docs/devices.md) */
            hv_printf(" assigned@0x%08x+0x%x/irq%u%s", (unsigned)im->assign_pa,
                      (unsigned)im->assign_size, (unsigned)im->assign_irq,
                      (im->flags & GUEST_F_DMA_TRUSTED) ? "/dma-trusted" : "");
        hv_printf("\n");
    }
}

void hv_banner(void)
{
    hv_printf("\nmonitor %s: ARMv7-A trap-and-emulate hypervisor, board %s\n",
              HV_VERSION, board.name);
    cpu_lines();
    memory_map();
    guest_list();
}
