/*
 * Digilent Zybo Z7 (Xilinx Zynq-7000 XC7Z010/XC7Z020): dual Cortex-A9 r3p0
 * MPCore at 667 MHz with the Security Extensions and no Virtualization
 * Extensions; the monitor runs on CPU 0 (CPU 1 stays parked by the BootROM).
 * Booted by u-boot (docs/boards/zynq-zybo-z7.md), which enters it in Secure
 * SVC mode with the MMU and caches off.  The same SoC addresses hold on the
 * ZedBoard, PYNQ-Z1/Z2 and Cora Z7 (console UART1, DDR at 0).
 *
 * Addresses: Zynq-7000 SoC Technical Reference Manual (Xilinx UG585),
 *   Table 4-1 system address map: DDR at 0x00000000 (1 GiB on the Zybo Z7;
 *     the monitor uses the first 512 MiB, which every Zynq board has);
 *   Table 4-6 / chapter 5 "APU" private bus: SCU 0xF8F00000, GIC CPU
 *     interface 0xF8F00100, global timer 0xF8F00200, private timer
 *     0xF8F00600, GIC distributor 0xF8F01000 (also Cortex-A9 MPCore TRM,
 *     ARM DDI 0407, Table 1-3 "peripheral base" offsets);
 *   chapter 19 / B.33: UART1 at 0xE0001000 (the board's USB-UART console);
 *   Table 7-3/7-4 interrupt IDs: global timer PPI 27, private timer PPI 29,
 *     UART1 SPI 82 (level, high).
 * PERIPHCLK of the A9 timers = CPU_3x2x = CPU clock / 2 = 333.33 MHz with
 * the Zybo Z7's standard PS configuration (666.67 MHz ARM PLL); change
 * PERIPHCLK_HZ for another clock setup.
 *
 * Host use: UART1 the console (drivers/cdns-uart.c), the private timer the
 * scheduling tick (PPI 29), the global timer the monitor's clock and guest
 * timer deadlines (PPI 27).  Guests get the usual emulated devices, each
 * where the board has the nearest real thing: a virtual GIC at the GIC's
 * addresses, a PL011 model at the console UART's address and interrupt
 * (0xE0001000, ID 82), a Cortex-A9 private timer model at 0xF8F00600
 * (PPI 29) and an SP804 model at triple timer counter 0's address and first
 * interrupt (TTC0, 0xF8001000, ID 42; UG585 chapter 8).
 * The PL310 L2 cache (0xF8F02000) is left as u-boot leaves it (disabled by
 * bootm's cleanup); the monitor does not use it.
 */
#include <hv/board.h>
#include <arch/arch.h>
#include "../../drivers/cdns-uart.h"
#include "../../drivers/a9ptimer.h"
#include "../../drivers/a9gtimer.h"

#define MPCORE_BASE     0xF8F00000
#define GLOBAL_TIMER    (MPCORE_BASE + 0x200)
#define PRIVATE_TIMER   (MPCORE_BASE + 0x600)
#define PERIPHCLK_HZ    333333333

/* The guests' devices the board places (struct board_vdev: VM-file name,
 * base, interrupt ID); tools/mkguests.py reads this table too. */
static const struct board_vdev guest_vdevs[] = {
    { "sp804", 0xF8001000, 42 },    /* model at TTC0's place */
    { "a9timer", PRIVATE_TIMER, 29 },
    { NULL, 0, 0 },
};

const struct board_desc board = {
    .name = "zynq-zybo-z7",
    .qemu_machine = "real hardware (QEMU's model of the SoC: -M xilinx-zynq-a9)",
    .ram_base = 0x00000000,
    .ram_size = 0x20000000,
    .uart_base = 0xE0001000,
    .uart_irq = 82,
    .gic_dist_base = MPCORE_BASE + 0x1000,
    .gic_cpu_base = MPCORE_BASE + 0x100,
    .gic_cpu_size = 0x100,
    .timer_irq = 29,                /* private timer: the tick */
    .deadline_irq = 27,             /* global timer comparator: guest timer deadlines */
    .vdevs = guest_vdevs,
    .semihosting = false,           /* no debugger to catch it: the monitor halts at the end */
    .boots_secure = true,
};

static volatile void *uart;

void board_init(void)
{
    uart = arch_map_device(board.uart_base);
    cdns_uart_init(uart);
    irqc_init(board.gic_dist_base, board.gic_cpu_base);
    a9ptimer_init(arch_map_device(PRIVATE_TIMER), PERIPHCLK_HZ);
    a9gtimer_init(arch_map_device(GLOBAL_TIMER), PERIPHCLK_HZ);
}

void board_uart_putc(char c) { if (uart) cdns_uart_putc(uart, c); }
int board_uart_getc(void) { return uart ? cdns_uart_getc(uart) : -1; }

void board_tick_start(uint32_t hz)
{
    irqc_enable(board.timer_irq);
    irqc_enable(board.deadline_irq);
    a9ptimer_tick_start(hz);
}

void board_tick_ack(void) { a9ptimer_tick_ack(); }
uint64_t board_time_ns(void) { return a9gtimer_time_ns(); }
void board_deadline(uint64_t ns) { a9gtimer_deadline(ns); }
void board_deadline_ack(void) { a9gtimer_deadline_ack(); }

void board_console_rx_start(void)
{
    cdns_uart_rx_irq_enable(uart);
    irqc_enable(board.uart_irq);
}
