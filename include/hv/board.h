/*
 * What the monitor needs from a board (docs/porting.md).  One board = one
 * boards/NAME/board.c defining `board` and these functions, plus a
 * boards/NAME/board.mk make fragment.
 */
#ifndef HV_BOARD_H
#define HV_BOARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * Where a device type goes for the guests of this board (core/vdev.h): the
 * type's VM-file name (struct vdev_type vm_name; "virtio": the first
 * virtio-mmio slot, core/virtio_dev.c), the base of its MMIO window and its
 * interrupt ID (0: none).  board.c lists them in a table ending with a
 * { NULL } entry; tools/mkguests.py reads the same table for the guests'
 * device trees, the board's make facts and the assign= checks.
 */
struct board_vdev {
    const char *name;
    uint32_t base, irq;
};

struct board_desc {
    const char *name;
    const char *qemu_machine;   /* informational */
    uint32_t ram_base, ram_size;
    uint32_t uart_base, uart_irq;
    uint32_t gic_dist_base, gic_cpu_base, gic_cpu_size;
    uint32_t timer_irq;         /* scheduling tick */
    uint32_t deadline_irq;      /* host timer for guest timer deadlines (0: none) */
    bool generic_timer;         /* guests get a virtual generic timer */
    /* the guests' emulated devices placed by the board (NULL: none); the
     * guests' UART sits at uart_base, its system registers at vsysregs_base */
    const struct board_vdev *vdevs;
    /* the machine's own virtio-mmio transports (0x200 bytes each) where the
     * monitor looks for its host disk (base 0: none; drivers/virtio_blk_host.c) */
    uint32_t hostvirtio_base, hostvirtio_count;
    /* the board's system registers for guests (base 0: none; sysregs_kind:
     * enum sysregs_kind of drivers/emul/sysregs.h), with its SYS_ID and
     * SYS_PROCID0 */
    uint32_t vsysregs_base, sysregs_kind, sys_id, sys_procid0;
    bool semihosting;           /* may exit QEMU through semihosting */
    bool boots_secure;          /* the monitor runs in Secure state */
};
extern const struct board_desc board;
/* The RAM the monitor uses from ram_base on: board.ram_size, unless the VM
 * configuration says the board has another amount (board_ram_mib: a QEMU
 * -m, a board with more fitted; mm/pagealloc.c). */
uint32_t board_ram_size(void);

void board_init(void);              /* console, interrupt controller, timers */
void board_uart_putc(char c);
int board_uart_getc(void);          /* -1 if nothing received */
void board_console_rx_start(void);  /* UART receive interrupts on uart_irq */
void board_tick_start(uint32_t hz); /* periodic scheduling tick on timer_irq */
void board_tick_ack(void);
uint64_t board_time_ns(void);       /* monotonic */
/* One-shot host interrupt (deadline_irq) at monitor time `ns`; ~0: none.
 * Boards with a generic timer use arch/gtimer.h instead. */
void board_deadline(uint64_t ns);
void board_deadline_ack(void);

/* Interrupt controller, implemented by the board's driver (drivers/gicv2.c). */
void irqc_init(uint32_t dist_pa, uint32_t cpu_pa);
void irqc_enable(unsigned id);
void irqc_disable(unsigned id);     /* masked at the distributor (GICD_ICENABLER) */
unsigned irqc_ack(void);            /* raw GICC_IAR: ID in [9:0], 1023 = spurious */
void irqc_eoi(unsigned iar);        /* the value irqc_ack returned */
#define IRQ_ID(iar)  ((iar) & 0x3FF)
#define IRQ_SPURIOUS 1023

#endif
