/* A guest virtual machine: one vCPU, static RAM, its own address space. */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include "vcpu.h"
#include "confilter.h"
#include "../mm/mm.h"
#include "mmio.h"
#include "vdev.h"
#include "../drivers/emul/pl011.h"
#include "../drivers/emul/vgic.h"
#include "virq.h"

#define MAX_GUESTS 8

/*
 * One entry of the image table built by tools/mkguests.py from a VM config.
 * The tool writes the fields in the order and sizes the compiler gives them
 * (GIMG_OFF_* / GIMG_LEN_* in asm-offsets.h, arch/arm/asm-offsets.c, which
 * lists every field): a field here needs a line there and a value in the
 * tool.  It writes 32-bit words and byte arrays.
 */
struct guest_image {
    const char *name;
    uint32_t elf;           /* where its ELF file is, outside the monitor's window:
                             * guest_image_pa() (core/gimage.c) */
    uint32_t elf_size;
    uint32_t dtb;           /* flattened device tree of its virtual machine, likewise */
    uint32_t dtb_size;      /* bytes; 0: none (the guest gets r2 = 0) */
    uint32_t ram_ipa;       /* guest-physical base of its RAM */
    uint32_t ram_size;      /* bytes, multiple of 1 MiB */
    uint32_t flags;         /* GUEST_F_* */
    uint32_t ram_pa;        /* host physical RAM, fixed at build time (0: allocate) */
    uint32_t disk_off;      /* its virtio-blk disk image (disk=): offset after the monitor's RAM;
                             * GUEST_F_DISK_HOST: byte offset of its slice on the host disk */
    uint32_t disk_size;     /* bytes; 0: a blank RAM disk from the pool */
    uint32_t assign_pa;     /* assign=: a host device's MMIO range, mapped at */
    uint32_t assign_size;   /* IPA == PA (0: none; 4 KiB multiples) */
    uint32_t assign_irq;    /* its interrupt (0: none), routed to this guest only */
    uint8_t mac[8];         /* its virtio-net MAC (mac=), bytes 0-5; all zero: the default */
    uint32_t ram_min;       /* GUEST_F_DEMAND (backing=demand): its guaranteed minimum (min=),
                             * bytes, multiple of 1 MiB; ram_size is its maximum */
    uint32_t spaces;        /* shadow address spaces cached (spaces=, mm/shadow.c) */
    /* devices= in its VM file: the devices it goes without, their vm_names
     * (core/vdev.h) separated by commas; NULL: every one the board places */
    const char *nodev;
};
extern const uint32_t vm_slice_ms;  /* scheduling time slice of the VM configuration */
/* The board's RAM as the VM file says (board_ram_mib, e.g. QEMU -m 1G), bytes;
 * 0: board.c's ram_size.  Read through board_ram_size() (mm/pagealloc.c). */
extern const uint32_t vm_board_ram_size;
/* The limits of a VM file (tools/mkguests.py reads them from here). */
#define GUEST_RAM_MAX_MIB   2048    /* RAM per guest (and no more than the board's RAM) */
#define BOARD_RAM_MAX_MIB   2048    /* board_ram_mib: the demand pool's bitmaps (mm/gpmap.c) */
#define BOARD_RAM_MIN_MIB   16      /* board_ram_mib: the monitor's 8 MiB and a guest */
#define GUEST_DISK_MAX_MIB  64      /* a disk= image */
#define GUEST_HOSTDISK_MAX_MIB 4095 /* where a disk=host slice may end (32-bit byte offsets) */
#define VM_SLICE_MS_MIN     10      /* slice_ms */
#define VM_SLICE_MS_MAX     1000
#define VM_SLICE_MS_DEFAULT 20
/* GUEST_F_VIRTIO_<DEV> name the devices of a VM file's virtio= (lower case),
 * in the order of their bits.  (devices= names registry types: nodev.) */
#define GUEST_F_COH_WP      1   /* shadow coherence by write protection (mode b) */
/* 2, 4, 8: free (were GUEST_F_NO_UART, _SP804, _A9TIMER) */
#define GUEST_F_VIRTIO_CONSOLE 16   /* virtio=console,blk,net,balloon (core/virtio_dev.c) */
#define GUEST_F_VIRTIO_BLK  32
#define GUEST_F_VIRTIO_NET  64
#define GUEST_F_DISK_RO     128 /* disk=PATH:ro */
#define GUEST_F_DMA_TRUSTED 256 /* assign=...:dma-trusted (docs/security.md) */
#define GUEST_F_DEMAND      512 /* backing=demand: RAM backed at first touch (mm/gpmap.c) */
#define GUEST_F_VIRTIO_BALLOON 1024 /* virtio=balloon: the 4th virtio slot (bits in slot order) */
#define GUEST_F_DISK_HOST   2048 /* disk=host:OFF:SIZE: a slice of the host disk (disk_off, disk_size) */

/*
 * Where the guest's device tree goes (docs/guest-boot.md): the top 64 KiB
 * of its RAM are reserved for it; the DTB starts at their base (8-byte
 * aligned) and must fit in them.  No loaded segment may reach into them.
 */
#define GUEST_DTB_AREA_SIZE 0x10000u
extern const struct guest_image guest_images[];
extern const uint32_t guest_image_count;
/* 0: the images were linked into .guest_images (linker.ld), loaded with the
 * monitor after its RAM and disk images; 1: they were staged at fixed host
 * physical addresses by the boot loader (make fit, the FIT's loadables). */
extern const uint32_t guest_images_staged;

/* Guest images in host RAM (core/gimage.c, docs/memory-map.md). */
struct gimage_span {
    uint32_t lo;            /* host physical [lo, hi); hi == 0: none */
    uint64_t hi;
};
/* The host physical address of an image field (elf, dtb) of the table. */
uint32_t guest_image_pa(uint32_t at);
/* The host RAM [lo, hi) that the n images of table t occupy, given where
 * the monitor was loaded and whether they were staged (pure arithmetic). */
struct gimage_span gimage_span_of(const struct guest_image *t, unsigned n, uint32_t mon_pa, bool staged);
/* The span lies in the board's RAM [ram_base, +ram_size) clear of the
 * monitor's HV_RAM_SIZE at mon_pa (an empty span does). */
bool gimage_span_ok(struct gimage_span s, uint32_t ram_base, uint32_t ram_size, uint32_t mon_pa);
/* ...and for this monitor's table. */
struct gimage_span guest_images_span(void);
/* Read len bytes of a guest image at host physical pa. */
void guest_image_read(uint32_t pa, void *buf, size_t len);
/* At boot, before any guest RAM is touched: the images lie in the board's
 * RAM clear of the monitor, and (staged) are there at all; says what is
 * wrong on the console.  False: no image may be read. */
bool guest_images_check(void);

struct guest {
    int id;
    const char *name;
    uint32_t ram_ipa, ram_size, ram_pa;
    uint32_t flags;                 /* GUEST_F_* from its VM file entry */
    uint32_t spaces;                /* shadow address spaces it caches (spaces=) */
    const char *nodev;              /* the devices its VM file left out (guest_image) */
    uint32_t dtb_ipa;               /* its device tree (r2 at entry), 0 if none */
    /* Its assigned host device (assign=, docs/devices.md): the shadow
     * tables map [assign_pa, +assign_size) at the same IPA as Device
     * memory; nothing else outside its RAM is ever mapped for it. */
    uint32_t assign_pa, assign_size;
    uint32_t assign_irq;            /* its interrupt (SPI ID; 0: none) */
    uint8_t assign_irq_state;       /* HWIRQ_* (core/virq.c) */
    struct guest_mm mm;
    struct mmio_region mmio[MAX_MMIO_REGIONS];
    unsigned nmmio;
    /* Its emulated devices (core/vdev.h), created at load from the board
     * and its VM file; the board-slotted ones keep their state in the arena. */
    struct vdev vdev[MAX_VDEVS];
    unsigned nvdev;
    _Alignas(8) uint8_t vdev_arena[VDEV_ARENA_BYTES];
    uint32_t vdev_arena_used;
    struct vgic gic;
    bool virq_dirty;                /* device/interrupt state may have changed */
    bool virq_signalled;            /* the vGIC's output, as of the last look */
    struct vtimer vtimer[2];        /* generic timer: [0] CNTP, [1] CNTV */
    uint32_t cntkctl;
    struct vcpu vcpu;
    int exit_status;
    unsigned resets;            /* PSCI SYSTEM_RESETs so far (reported) */
    unsigned hc_unknown_reported;   /* unknown hypercalls reported (core/hypercall.c) */
    char line[160];
    unsigned line_len;
    struct confilter con_filter;        /* an unfinished UTF-8 character */
    char inq[256];                  /* console input waiting for its UART FIFO */
    unsigned inq_head, inq_count;
};

extern struct guest guests[MAX_GUESTS];
extern unsigned nguests;

static inline struct guest *vcpu_guest(struct vcpu *v) { return v->guest; }

/* The guest asked to exit. */
void guest_exit(struct guest *g, int status);
/* The guest misbehaved in a way no CPU exception describes: stop it, say why
 * (guest, PC, instruction, reason); the monitor and other guests go on. */
void guest_stop(struct guest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void guest_console_putc(struct guest *g, char c);
void guest_console_flush(struct guest *g);

int guests_load_all(void);
int guest_reset(struct guest *g);
/* Power-off (ends with status 0) or restart, asked by the guest through
 * `how` (core/hypercall.c). */
void guest_power_request(struct guest *g, bool restart, const char *how);
void guest_print_stats(struct guest *g);

#endif
