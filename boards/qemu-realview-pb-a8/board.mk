# qemu-system-arm -M realview-pb-a8: Cortex-A8 (ARMv7-A, no Multiprocessing,
# Security or Virtualization Extensions), RealView GIC, PL011, SP804, RAM at 0;
# no PMU in QEMU's A8 (ID_DFR0.PerfMon = 0). See boards/qemu-realview-pb-a8/board.c.
# The board's PL041 audio codec gets the silent backend: left to its default,
# QEMU probes the host's sound systems and writes its complaints (missing
# qemu-system-gui modules, ALSA errors) into the output.  QEMU_AUDIO_DRV=none
# does not stop that on QEMU 7.2; an explicit -audiodev does.
BOARD_QEMU        := -M realview-pb-a8 -m 256M -audiodev none,id=snd0 -global pl041.audiodev=snd0
BOARD_CPUFLAGS    := -mtune=cortex-a8
BOARD_RAM_BASE    := 0x00000000
BOARD_RAM_SIZE    := 0x10000000
BOARD_LOAD_ADDR   := 0x00100000
BOARD_UART_BASE   := 0x10009000
BOARD_UART_IRQ    := 44
BOARD_GICD_BASE   := 0x1E001000
BOARD_GICC_BASE   := 0x1E000000
BOARD_SRCS        := drivers/pl011.c drivers/gicv2.c drivers/sp804.c
# Its guests' device tree (tools/mkguests.py; the devices a guest may have,
# their addresses and interrupts: board.c): compatible strings of the machine,
# CPU and GIC; fixed clocks LABEL[/NODE]=HZ; after the GIC, the nodes in order:
# gtimer, clocks, uart:NODE:CLOCK, sp804:APB_CLOCK, a9timer, virtio
# (RealView PB-A8: a PL390-class GIC, its CPU interface below the distributor)
BOARD_DT_COMPATIBLE := arm,realview-pb-a8
BOARD_DT_CPU      := arm,cortex-a8
BOARD_DT_GIC      := arm,pl390
BOARD_DT_CLOCKS   := clk24mhz=24000000 timclk=1000000
BOARD_DT_NODES    := clocks sp804:clk24mhz uart:uart:clk24mhz
# the cp15 test guest's expected MIDR: Cortex-A8 r0p0 (QEMU's cortex-a8)
BOARD_MIDR        := 0x410fc080
