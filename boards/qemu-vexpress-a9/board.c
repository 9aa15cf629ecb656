/*
 * qemu-system-arm -M vexpress-a9: Cortex-A9 MPCore, Secure SVC at boot.
 * Addresses and interrupt IDs: docs/qemu.md §1.
 */
#include <hv/board.h>
#include "../../drivers/emul/sysregs.h"
#include <arch/arch.h>
#include "../../drivers/pl011.h"
#include "../../drivers/sp804.h"
#include "../../drivers/a9ptimer.h"

#define A9_PERIPH_BASE  0x1E000000
#define A9_PTIMER       (A9_PERIPH_BASE + 0x600)
#define SP804_BASE      0x10011000
#define SP804_CLK_HZ    1000000         /* vexpress timer reference clock */
#define PERIPHCLK_HZ    100000000

/* The guests' devices the board places (struct board_vdev: VM-file name,
 * base, interrupt ID); tools/mkguests.py reads this table too. */
static const struct board_vdev guest_vdevs[] = {
    { "sp804", SP804_BASE, 34 },
    { "a9timer", A9_PTIMER, 29 },
    /* QEMU's own virtio-mmio transports on this board: 0x10013000 + 0x200 i,
     * SPI 40 + i (ID 72 + i); free in the motherboard's peripheral space. */
    { "virtio", 0x10013000, 72 },
    { NULL, 0, 0 },
};

const struct board_desc board = {
    .name = "qemu-vexpress-a9",
    .qemu_machine = "-M vexpress-a9",
    .ram_base = 0x60000000,
    .ram_size = 0x10000000,
    .uart_base = 0x10009000,
    .uart_irq = 37,
    .gic_dist_base = A9_PERIPH_BASE + 0x1000,
    .gic_cpu_base = A9_PERIPH_BASE + 0x100,
    .gic_cpu_size = 0x100,
    .timer_irq = 29,                /* A9 private timer PPI: the tick */
    .deadline_irq = 34,             /* SP804 timer 1: guest timer deadlines */
    .vdevs = guest_vdevs,
    /* system registers at 0x10000000 (V2M-P1 motherboard: SYS_ID (rev 1, HBI 0x190, AXI), CoreTile A9x4 SYS_PROCID0) */
    .vsysregs_base = 0x10000000, .sysregs_kind = SYSREGS_VEXPRESS,
    .sys_id = 0x1190F500, .sys_procid0 = 0x0C000191,
    .semihosting = true,
    .boots_secure = true,
};

static volatile void *uart;

void board_init(void)
{
    uart = arch_map_device(board.uart_base);
    pl011_init(uart);
    irqc_init(board.gic_dist_base, board.gic_cpu_base);
    sp804_init(arch_map_device(SP804_BASE), SP804_CLK_HZ);
    a9ptimer_init(arch_map_device(A9_PTIMER), PERIPHCLK_HZ);
}

void board_uart_putc(char c) { if (uart) pl011_putc(uart, c); }
int board_uart_getc(void) { return uart ? pl011_getc(uart) : -1; }

void board_tick_start(uint32_t hz)
{
    irqc_enable(board.timer_irq);
    irqc_enable(board.deadline_irq);
    a9ptimer_tick_start(hz);
}

void board_tick_ack(void) { a9ptimer_tick_ack(); }
uint64_t board_time_ns(void) { return sp804_time_ns(); }

void board_deadline(uint64_t ns)
{
    uint64_t now = board_time_ns();
    sp804_oneshot(ns == ~0ull ? 0 : ns > now ? ns - now : 1);
}

void board_deadline_ack(void) { sp804_oneshot_ack(); }

void board_console_rx_start(void)
{
    pl011_rx_irq_enable(uart);
    irqc_enable(board.uart_irq);
}
