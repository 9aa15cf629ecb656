/*
 * qemu-system-arm -M realview-pb-a8: ARM RealView Platform Baseboard for
 * Cortex-A8 (ARMvisor's development board).  A uniprocessor Cortex-A8
 * r0p0-class core: no Multiprocessing Extensions, no Security Extensions
 * (ID_PFR1 = 0x00000001, boots in SVC), no generic timer, and in QEMU no PMU.
 *
 * Addresses and interrupt IDs: docs/qemu.md §1 (QEMU's
 * `info mtree -f` and interrupt wiring, pic[n] -> ID 32 + n), which follow
 * the RealView PB-A8 User Guide memory map (ARM DUI 0417):
 *   RAM        0x00000000 (QEMU: up to 256 MiB low, aliased at 0x70000000)
 *   UART0      0x10009000, PL011 (ARM DDI 0183), ID 44
 *   Timer 0/1  0x10011000, SP804 (ARM DDI 0271), ID 36, 1 MHz TIMCLK
 *   Timer 2/3  0x10012000, SP804, ID 37
 *   GIC        CPU interface 0x1E000000 (256 bytes), distributor 0x1E001000.
 * QEMU models the RealView GIC as its arm_gic with the default revision 1
 * (a GICv1 / PL390 programmer's model: GICD_TYPER = 0x2, 96 IDs, no
 * Security Extensions), so drivers/gicv2.c drives it unchanged.
 *
 * Host use of the timers: SP804 0x10011000 timer 2 runs free (monitor time),
 * its timer 1 is the one-shot for guest timer deadlines (ID 36); timer 2 of
 * the board (0x10012000, timer 1 of that module) is the scheduling tick
 * (ID 37).  Guests see an emulated SP804 at 0x10011000 (ID 36), the PL011
 * and the GIC at the board's addresses; no A9 private timer, no generic
 * timer.
 */
#include <hv/board.h>
#include "../../drivers/emul/sysregs.h"
#include <arch/arch.h>
#include "../../drivers/pl011.h"
#include "../../drivers/sp804.h"

#define SP804_0_BASE    0x10011000      /* timers 0/1: time + deadlines */
#define SP804_1_BASE    0x10012000      /* timers 2/3: the tick */
#define SP804_CLK_HZ    1000000         /* TIMCLK, 1 MHz */

/* The guests' devices the board places (struct board_vdev: VM-file name,
 * base, interrupt ID); tools/mkguests.py reads this table too. */
static const struct board_vdev guest_vdevs[] = {
    { "sp804", SP804_0_BASE, 36 },
    { NULL, 0, 0 },
};

const struct board_desc board = {
    .name = "qemu-realview-pb-a8",
    .qemu_machine = "-M realview-pb-a8",
    .ram_base = 0x00000000,
    .ram_size = 0x10000000,
    .uart_base = 0x10009000,
    .uart_irq = 44,
    .gic_dist_base = 0x1E001000,
    .gic_cpu_base = 0x1E000000,
    .gic_cpu_size = 0x100,
    .timer_irq = 37,                /* SP804 0x10012000: the tick */
    .deadline_irq = 36,             /* SP804 0x10011000 timer 1: guest timer deadlines */
    .vdevs = guest_vdevs,
    /* system registers at 0x10000000 (PB-A8: SYS_ID (HBI 0x178), SYS_PROCID0 of the Cortex-A8 tile) */
    .vsysregs_base = 0x10000000, .sysregs_kind = SYSREGS_REALVIEW,
    .sys_id = 0x01780500, .sys_procid0 = 0x0E000000,
    .semihosting = true,
};

static volatile void *uart, *tick;

void board_init(void)
{
    uart = arch_map_device(board.uart_base);
    pl011_init(uart);
    irqc_init(board.gic_dist_base, board.gic_cpu_base);
    sp804_init(arch_map_device(SP804_0_BASE), SP804_CLK_HZ);
    tick = arch_map_device(SP804_1_BASE);
}

void board_uart_putc(char c) { if (uart) pl011_putc(uart, c); }
int board_uart_getc(void) { return uart ? pl011_getc(uart) : -1; }

void board_tick_start(uint32_t hz)
{
    irqc_enable(board.timer_irq);
    irqc_enable(board.deadline_irq);
    sp804_periodic_start(tick, SP804_CLK_HZ, hz);
}

void board_tick_ack(void) { sp804_periodic_ack(tick); }
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
