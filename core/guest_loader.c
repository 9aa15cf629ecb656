/*
 * Loading guests from the image table that the VM configuration produced
 * (tools/mkguests.py).  Images are ELF32 ARM executables; each PT_LOAD
 * segment must lie inside the guest's RAM.  Each guest's device tree goes
 * into the top GUEST_DTB_AREA_SIZE bytes of its RAM, and the vCPU starts as
 * the Linux boot protocol wants (docs/guest-boot.md): r0 = 0, r1 = ~0 (no
 * machine number: device tree boot), r2 = the DTB's guest-physical address.
 * A bad image stops that guest with a clear message; the others still start.
 */
#include "guest.h"
#include "srfa.h"
#include "virtio_dev.h"
#include "hv.h"
#include "string.h"
#include "sched.h"
#include "vfp.h"
#include "../mm/shadow.h"
#include <hv/board.h>
#include "../mm/mm.h"

struct elf32_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define PT_LOAD 1
#define EM_ARM 40

/* The ELF header and program header k of the image (read from host RAM:
 * images live outside the monitor's window, core/gimage.c). */
static void read_ehdr(const struct guest_image *im, struct elf32_ehdr *eh)
{
    guest_image_read(guest_image_pa(im->elf), eh, sizeof(*eh));
}

static void read_phdr(const struct guest_image *im, const struct elf32_ehdr *eh, unsigned k,
                      struct elf32_phdr *ph)
{
    guest_image_read(guest_image_pa(im->elf) + eh->phoff + k * sizeof(*ph), ph, sizeof(*ph));
}

static const char *load_elf(struct guest *g, const struct guest_image *im, uint32_t *entry)
{
    struct elf32_ehdr eh;
    uint32_t end = g->ram_ipa + g->ram_size;

    if (im->elf_size < sizeof(eh))
        return "image too small for an ELF header";
    read_ehdr(im, &eh);
    if (memcmp(eh.ident, "\177ELF", 4) || eh.ident[4] != 1 || eh.ident[5] != 1)
        return "not a 32-bit little-endian ELF file";
    if (eh.machine != EM_ARM || eh.type != 2)
        return "not an ARM executable (ET_EXEC, EM_ARM)";
    if (eh.phentsize != sizeof(struct elf32_phdr) || eh.phnum == 0 ||
        eh.phoff > im->elf_size || (uint64_t)eh.phnum * sizeof(struct elf32_phdr) > im->elf_size - eh.phoff)
        return "program headers missing or outside the file";
    for (unsigned k = 0; k < eh.phnum; k++) {
        struct elf32_phdr ph;
        read_phdr(im, &eh, k, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz || ph.offset > im->elf_size || ph.filesz > im->elf_size - ph.offset)
            return "a segment lies outside the file";
        if (ph.paddr < g->ram_ipa || ph.paddr >= end || ph.memsz > end - ph.paddr)
            return "a segment lies outside the guest's RAM";
        if (!guest_copy_pa_to_ipa(g, ph.paddr, guest_image_pa(im->elf) + ph.offset, ph.filesz) ||
            !guest_zero_ipa(g, ph.paddr + ph.filesz, ph.memsz - ph.filesz))
            return "no guest memory for a segment (guest memory pool dry)";
    }
    if (eh.entry < g->ram_ipa || eh.entry >= end || (eh.entry & 3))
        return "entry point outside the guest's RAM or not ARM-aligned";
    *entry = eh.entry;
    return NULL;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#define FDT_MAGIC 0xd00dfeedu

/*
 * Copy the guest's device tree into the top of its RAM; *dtb_ipa = where
 * (0 if the image has none).  Runs after load_elf(), which checked the
 * program headers.
 */
static const char *load_dtb(struct guest *g, const struct guest_image *im, uint32_t *dtb_ipa)
{
    struct elf32_ehdr eh;
    uint32_t area, area_end = g->ram_ipa + g->ram_size;

    uint8_t hdr[8];

    *dtb_ipa = 0;
    if (im->dtb_size == 0)
        return NULL;
    if (im->dtb_size >= 40)
        guest_image_read(guest_image_pa(im->dtb), hdr, sizeof(hdr));
    if (im->dtb_size < 40 || be32(hdr) != FDT_MAGIC || be32(hdr + 4) != im->dtb_size)
        return "its device tree blob is not a flattened device tree";
    if (im->dtb_size > GUEST_DTB_AREA_SIZE || g->ram_size < 2 * GUEST_DTB_AREA_SIZE)
        return "its device tree does not fit in the top 64 KiB of its RAM";
    area = area_end - GUEST_DTB_AREA_SIZE;
    read_ehdr(im, &eh);
    for (unsigned k = 0; k < eh.phnum; k++) {
        struct elf32_phdr ph;
        read_phdr(im, &eh, k, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0 || ph.paddr + ph.memsz <= area)
            continue;
        hv_printf("monitor: guest %d (%s): segment IPA 0x%08x-0x%08x reaches into the device "
                  "tree area IPA 0x%08x-0x%08x (the top 64 KiB of its RAM)\n",
                  g->id, g->name, (unsigned)ph.paddr, (unsigned)(ph.paddr + ph.memsz - 1),
                  (unsigned)area, (unsigned)(area_end - 1));
        return "a loaded segment overlaps the device tree area: link it lower or give it more RAM";
    }
    if (!guest_copy_pa_to_ipa(g, area, guest_image_pa(im->dtb), im->dtb_size))
        return "cannot write its device tree";
    *dtb_ipa = area;
    return NULL;
}

/* Power-on vCPU state for the Linux boot protocol (Documentation/arm/booting). */
static void boot_vcpu(struct guest *g, uint32_t entry)
{
    vcpu_reset(&g->vcpu, entry);
    g->vcpu.regs.r[0] = 0;
    g->vcpu.regs.r[1] = ~0u;            /* no machine number: device tree boot */
    g->vcpu.regs.r[2] = g->dtb_ipa;
}

/*
 * assign= (device assignment, docs/devices.md): tools/mkguests.py checked
 * the range against the board, the monitor and the other guests.  Checked
 * again here against what this guest already has at those addresses (its
 * RAM, its emulated devices), so that a table built some other way cannot
 * hide one of them behind a direct mapping; a clash leaves it unassigned.
 */
static void assign_device(struct guest *g, const struct guest_image *im)
{
    uint32_t lo = im->assign_pa, size = im->assign_size;

    g->assign_pa = g->assign_size = 0;
    if (!size)
        return;
    if (((lo | size) & 0xFFFu) || (uint64_t)lo + size > 0x100000000ull ||
        (lo < g->ram_ipa + g->ram_size && lo + size > g->ram_ipa)) {
        hv_printf("monitor: guest %d (%s): assigned range 0x%08x+0x%x is not whole pages "
                  "clear of its RAM: not assigned\n", g->id, g->name, (unsigned)lo, (unsigned)size);
        return;
    }
    if (virtio_dev_hostdisk_overlaps(lo, size)) {
        hv_printf("monitor: guest %d (%s): assigned range 0x%08x+0x%x reaches the host disk's "
                  "transports: not assigned\n", g->id, g->name, (unsigned)lo, (unsigned)size);
        return;
    }
    for (unsigned i = 0; i < g->nmmio; i++)
        if (lo < g->mmio[i].base + g->mmio[i].size && lo + size > g->mmio[i].base) {
            hv_printf("monitor: guest %d (%s): assigned range 0x%08x+0x%x overlaps its %s: "
                      "not assigned\n", g->id, g->name, (unsigned)lo, (unsigned)size, g->mmio[i].name);
            return;
        }
    g->assign_pa = lo;
    g->assign_size = size;
    /* Its interrupt: an SPI the vGIC has (mkguests.py checked it against
     * the monitor's own and the other guests'). */
    g->assign_irq = im->assign_irq;
    if (g->assign_irq < 32 || g->assign_irq >= VGIC_NR_IRQS || g->assign_irq == board.timer_irq ||
        g->assign_irq == board.deadline_irq || g->assign_irq == board.uart_irq)
        g->assign_irq = 0;      /* (none, or one the build would have refused) */
    hv_printf("monitor: guest %d (%s): assigned device 0x%08x-0x%08x%s", g->id, g->name,
              (unsigned)lo, (unsigned)(lo + size - 1),
              (g->flags & GUEST_F_DMA_TRUSTED) ? " (dma-trusted)" : "");
    if (g->assign_irq)
        hv_printf(", interrupt %u", (unsigned)g->assign_irq);
    hv_printf("\n");
    virq_assign_irq_start(g);
}

/* guest_images_check() passed at boot: the images may be read. */
static bool images_ok;

int guests_load_all(void)
{
    int started = 0;

    unsigned n = guest_image_count < MAX_GUESTS ? guest_image_count : MAX_GUESTS, spaces = 0;

    for (unsigned i = 0; i < n; i++)
        spaces += guest_images[i].spaces;
    shadow_init(n, spaces);
    images_ok = guest_images_check();
    guest_pool_init();
    for (uint32_t i = 0; i < guest_image_count && i < MAX_GUESTS; i++) {
        const struct guest_image *im = &guest_images[i];
        struct guest *g = &guests[nguests];
        const char *err = NULL;
        uint32_t entry = 0;

        g->id = (int)nguests++;
        g->name = im->name;
        g->ram_ipa = im->ram_ipa;
        g->ram_size = im->ram_size;
        g->flags = im->flags;
        g->spaces = im->spaces;
        g->nodev = im->nodev;
        g->vcpu.guest = g;
        if (!images_ok)
            err = "its image is not where the monitor expects it (see above)";
        else if (guest_mem_init(g, im->flags & GUEST_F_COH_WP, im->ram_pa, im->ram_min))
            err = "no memory";          /* (it said what it needs) */
        else if (srfa_init(&g->vcpu))
            err = "no room left in the monitor's memory for its SRFA page (4 KiB and a 1 KiB table)";
        else {
            err = load_elf(g, im, &entry);
            if (!err)
                err = load_dtb(g, im, &g->dtb_ipa);
        }
        if (g->flags & GUEST_F_DEMAND)
            gpmap_loaded(g);
        if (err) {
            hv_printf("monitor: guest %d (%s): bad image: %s; not started\n", g->id, g->name, err);
            guest_mem_release(g);
            g->vcpu.state = VCPU_STOPPED;
            g->exit_status = -1;
            continue;
        }
        /* The virtual machine mirrors the board: its UART where the board's
         * is.  A guest whose devices do not all fit is not started: its
         * device tree describes them all (one consistent machine). */
        if (virq_attach(g)) {
            hv_printf("monitor: guest %d (%s): no room for its devices (at most %u device windows, "
                      "%u device instances); not started\n", g->id, g->name, (unsigned)MAX_MMIO_REGIONS,
                      (unsigned)MAX_VDEVS);
            guest_mem_release(g);
            g->vcpu.state = VCPU_STOPPED;
            g->exit_status = -1;
            continue;
        }
        assign_device(g, im);
        boot_vcpu(g, entry);
        g->vcpu.state = VCPU_READY;
        started++;
        if (g->flags & GUEST_F_DEMAND)
            hv_printf("monitor: guest %d (%s): RAM IPA 0x%08x-0x%08x on demand (minimum %u MiB), ",
                      g->id, g->name, (unsigned)g->ram_ipa, (unsigned)(g->ram_ipa + g->ram_size - 1),
                      (unsigned)(im->ram_min >> 20));
        else
            hv_printf("monitor: guest %d (%s): RAM IPA 0x%08x-0x%08x at PA 0x%08x, ",
                      g->id, g->name, (unsigned)g->ram_ipa, (unsigned)(g->ram_ipa + g->ram_size - 1),
                      (unsigned)g->ram_pa);
        hv_printf("entry 0x%08x, "
                  "DTB at 0x%08x (%u bytes), shadow coherence by %s\n", (unsigned)entry, (unsigned)g->dtb_ipa, (unsigned)im->dtb_size,
                  g->mm.coh == COH_WP ? "write protection" : "TLB maintenance");
    }
    if (guest_image_count > MAX_GUESTS)
        hv_printf("monitor: only the first %d of %u guests were started\n", MAX_GUESTS,
                  (unsigned)guest_image_count);
    /* What a VM file could still give its guests (spaces=, docs/memory-map.md). */
    hv_printf("monitor: %u KiB of the monitor's memory left after the guests' shadow tables "
              "and devices (a shadow space takes 16 KiB)\n", (unsigned)(pool_free_bytes() / 1024));
    /* Guest code was written through the monitor's data side. */
    arch_dcache_clean_inval_all();
    arch_icache_inval_all();
    return started;
}

/* Restart a guest from its image, with its devices at power-on state. */
int guest_reset(struct guest *g)
{
    const struct guest_image *im = &guest_images[g->id];
    const char *err;
    uint32_t entry = 0;

    vfp_guest_gone(&g->vcpu);
    guest_console_flush(g);
    guest_mem_reset(g);
    err = images_ok ? load_elf(g, im, &entry) : "its image is not where the monitor expects it";
    if (!err)
        err = load_dtb(g, im, &g->dtb_ipa);
    if (g->flags & GUEST_F_DEMAND)
        gpmap_loaded(g);
    arch_dcache_clean_inval_all();
    arch_icache_inval_all();
    if (err) {
        hv_printf("monitor: guest %d (%s): bad image: %s\n", g->id, g->name, err);
        g->vcpu.state = VCPU_STOPPED;
        guest_mem_release(g);           /* what the reload backed goes back */
        return -1;
    }
    virq_reset(g);
    memset(g->vcpu.stats, 0, sizeof(g->vcpu.stats));
    srfa_reset(&g->vcpu);
    boot_vcpu(g, entry);
    shadow_guest_reset(g);
    g->exit_status = 0;
    g->vcpu.state = VCPU_READY;
    if (current == &g->vcpu)
        shadow_activate(&g->vcpu);      /* the MMU is walking its old space */
    return 0;
}
