/*
 * The monitor's virtual-address window (see docs/memory-map.md).
 *
 * The monitor is mapped, global and PL1-only, at 0xBF000000-0xBFFFFFFF in
 * every address space the MMU ever walks, including every guest shadow table.
 * A Linux 6.1 guest with the 3G/1G split, CONFIG_MODULES=n and
 * CONFIG_HIGHMEM=n never maps anything there: user space ends at TASK_SIZE =
 * MODULES_VADDR = PAGE_OFFSET - 16 MiB = 0xBF000000 and the kernel starts at
 * PAGE_OFFSET = 0xC0000000 (Documentation/arm/memory.rst); the 16 MiB between
 * are the module area and, with HIGHMEM, the pkmap area.  Guest physical
 * (IPA) layouts keep clear of it too, so guests with their MMU off cannot
 * collide with it either.
 *
 * Assembly-safe: only #defines.
 */
#ifndef ARCH_MEMMAP_H
#define ARCH_MEMMAP_H

#define HV_WINDOW_BASE      0xBF000000
#define HV_WINDOW_SIZE      0x01000000      /* 16 MiB = 16 L1 entries */
#define HV_WINDOW_L1_FIRST  (HV_WINDOW_BASE >> 20)
#define HV_WINDOW_L1_COUNT  (HV_WINDOW_SIZE >> 20)

/* 8 MiB of monitor RAM: image (text, data, bss, stacks) then the page pool. */
#define HV_RAM_VBASE        0xBF000000
#define HV_RAM_SIZE         0x00800000

/* 4 x 1 MiB device sections for the host's UART, GIC and timers. */
#define HV_DEV_VBASE        0xBF800000
#define HV_DEV_SLOTS        4

/* 3 x 1 MiB temporary windows onto any physical RAM (guest memory access). */
#define HV_PHYSMAP_VBASE    0xBFC00000
#define HV_PHYSMAP_SLOTS    3

/*
 * The last MiB of the window is per guest: each guest's shadow tables map
 * there the pages the guest kernel may see (the SRFA page at PV_SRFA_VA,
 * include/hv/pv-abi.h), through an L2 table of that guest in the guest's
 * kernel-only domain.  The monitor's own table leaves it unmapped, and
 * address-space switches do not copy it (HV_WINDOW_MON_L1_COUNT).
 */
#define HV_GUESTVIS_VBASE   0xBFF00000
#define HV_GUESTVIS_L1      (HV_GUESTVIS_VBASE >> 20)
#define HV_WINDOW_MON_L1_COUNT (HV_WINDOW_L1_COUNT - 1)

#define SZ_1K   0x400
#define SZ_4K   0x1000
#define SZ_16K  0x4000
#define SZ_1M   0x100000

#define HV_STACK_SIZE       0x4000          /* monitor SVC stack (C code) */
#define HV_EXC_STACK_SIZE   0x1000          /* per exception mode (panic use only) */
#define HV_STACK_GUARDS     5               /* IRQ, ABT, UND, FIQ, SVC: linker.ld */

#endif
