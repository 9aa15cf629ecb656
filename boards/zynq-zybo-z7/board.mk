# Digilent Zybo Z7 (Xilinx Zynq-7000): Cortex-A9 r3p0 MPCore, GIC (PL390),
# Cadence UART1 console, A9 private + global timers, DDR at 0.  Real
# hardware booted by u-boot: docs/boards/zynq-zybo-z7.md.  `make test` builds
# it (monitor + uImage + FIT) and smoke-runs it on QEMU's model of the SoC.
BOARD_QEMU        := -M xilinx-zynq-a9 -m 512M -serial null
BOARD_CPUFLAGS    := -mtune=cortex-a9
# RAM, UART, GIC, the guests' timers: board.c (generated into
# $(BB)/board-facts.mk by tools/mkguests.py --make-facts)
BOARD_LOAD_ADDR   := 0x00100000
BOARD_SRCS        := drivers/cdns-uart.c drivers/gicv2.c drivers/a9ptimer.c drivers/a9gtimer.c
# Its guests' device tree (tools/mkguests.py; the devices a guest may have,
# their addresses and interrupts: board.c): compatible strings of the machine,
# CPU and GIC; fixed clocks LABEL[/NODE]=HZ; after the GIC, the nodes in order:
# gtimer, clocks, uart:NODE:CLOCK, sp804:APB_CLOCK, a9timer, virtio
# (the emulated PL011 at the console UART's address, the SP804 model at TTC0's;
# the timer models count at 100 MHz and 1 MHz, core/virq.c, whatever the real clocks)
BOARD_DT_COMPATIBLE := xlnx,zynq-7000
BOARD_DT_CPU      := arm,cortex-a9
BOARD_DT_GIC      := arm,cortex-a9-gic
BOARD_DT_CLOCKS   := uartclk=24000000 timclk=1000000 periphclk=100000000
BOARD_DT_NODES    := clocks sp804:CLK=uartclk a9timer uart:NODE=uart:CLK=uartclk
# boot.S reports a misaligned load on the UART before anything is set up:
# the Cadence UART's TX FIFO register is at +0x30 (PL011: +0)
BOARD_CFLAGS      := -DBOARD_UART_TX_OFFSET=0x30
# the cp15 test guest's expected MIDR: Cortex-A9 r3p0 (Zynq-7000)
BOARD_MIDR        := 0x413fc090
# The test facts (guest-stubs/guests.mk, tests/integration/run-all.sh):
# BOARD_KIND real: built (monitor, uImage, FIT) and smoke-run on QEMU's model
# of the SoC (the real-board scenario), not in the integration table.
# BOARD_TEST_SPIS: IDs 86/87 are PL fabric interrupts (IRQ_F2P), idle without
# a bitstream (UG585 Table 7-4), for the software-pended interrupt tests.
# BOARD_TEST_REAL_DEVICES: real devices that no guest is given, which the
# attacker guest must not reach (UG585 Table 4-6).
BOARD_KIND        := real
BOARD_TEST_SPIS   := 86 87
BOARD_TEST_REAL_DEVICES := 0xF8000000,0xE0001000,0xF8F00000
