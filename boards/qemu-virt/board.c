/*
 * qemu-system-arm -M virt -cpu cortex-a15 (no virtualization=on).
 * Addresses and interrupt IDs: docs/qemu.md §1.
 */
#include <hv/board.h>
#include <arch/arch.h>
#include <arch/gtimer.h>
#include "../../drivers/pl011.h"

/* The guests' devices the board places (struct board_vdev: VM-file name,
 * base, interrupt ID); tools/mkguests.py reads this table too. */
static const struct board_vdev guest_vdevs[] = {
    /* QEMU's first virtio-mmio slot and its SPI 16 */
    { "virtio", 0x0a000000, 48 },
    { NULL, 0, 0 },
};

const struct board_desc board = {
    .name = "qemu-virt",
    .qemu_machine = "-M virt -cpu cortex-a15",
    .ram_base = 0x40000000,
    .ram_size = 0x10000000,
    .uart_base = 0x09000000,
    .uart_irq = 33,
    .gic_dist_base = 0x08000000,
    .gic_cpu_base = 0x08010000,
    .gic_cpu_size = 0x2000,
    .timer_irq = 30,                /* CNTP, non-secure physical timer PPI: the tick */
    .deadline_irq = 27,             /* CNTV: guest timer deadlines */
    .generic_timer = true,
    .vdevs = guest_vdevs,
    /* QEMU's 32 virtio-mmio transports (hw/arm/virt.c memmap), in host
     * physical space: a -device virtio-blk-device there is the host disk
     * (disk=host:..., core/virtio_dev.c); the guests' virtio slots are IPAs */
    .hostvirtio_base = 0x0a000000,
    .hostvirtio_count = 32,
    .semihosting = true,
};

static volatile void *uart;

void board_init(void)
{
    uart = arch_map_device(board.uart_base);
    pl011_init(uart);
    irqc_init(board.gic_dist_base, board.gic_cpu_base);
    gtimer_init();
}

void board_uart_putc(char c) { if (uart) pl011_putc(uart, c); }
int board_uart_getc(void) { return uart ? pl011_getc(uart) : -1; }

void board_tick_start(uint32_t hz)
{
    irqc_enable(board.timer_irq);
    irqc_enable(board.deadline_irq);
    gtimer_tick_start(hz);
}

void board_tick_ack(void) { gtimer_tick_ack(); }
uint64_t board_time_ns(void) { return gtimer_time_ns(); }

/* Guest timer deadlines use the host's virtual timer (core/virq.c). */
void board_deadline(uint64_t ns) { (void)ns; }
void board_deadline_ack(void) { }

void board_console_rx_start(void)
{
    pl011_rx_irq_enable(uart);
    irqc_enable(board.uart_irq);
}
