# qemu-system-arm -M realview-pb-a8: Cortex-A8 (ARMv7-A, no Multiprocessing,
# Security or Virtualization Extensions), RealView GIC, PL011, SP804, RAM at 0;
# no PMU in QEMU's A8 (ID_DFR0.PerfMon = 0). See boards/qemu-realview-pb-a8/board.c.
# The board's PL041 audio codec gets the silent backend: left to its default,
# QEMU probes the host's sound systems and writes its complaints (missing
# qemu-system-gui modules, ALSA errors) into the output.  QEMU_AUDIO_DRV=none
# does not stop that on QEMU 7.2; an explicit -audiodev does.
BOARD_QEMU        := -M realview-pb-a8 -m 256M -audiodev none,id=snd0 -global pl041.audiodev=snd0
BOARD_CPUFLAGS    := -mtune=cortex-a8
# RAM, UART, GIC, the guests' timers: board.c (generated into
# $(BB)/board-facts.mk by tools/mkguests.py --make-facts)
BOARD_LOAD_ADDR   := 0x00100000
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
BOARD_DT_NODES    := clocks sp804:CLK=clk24mhz uart:NODE=uart:CLK=clk24mhz
# the cp15 test guest's expected MIDR: Cortex-A8 r0p0 (QEMU's cortex-a8)
BOARD_MIDR        := 0x410fc080
# The test facts (guest-stubs/guests.mk, tests/integration/run-all.sh):
# BOARD_KIND qemu: the integration scenarios run on it.  BOARD_TEST_SPIS:
# IDs 62/63 (pic[30], pic[31]) have nothing wired in QEMU's realview model:
# the software-pended interrupt tests use them.  BOARD_TEST_REAL_DEVICES:
# real devices of the board that no guest is given, which the attacker guest
# must not reach (QEMU's realview.c).  (0x10000000, the system registers, is
# each guest's own emulated block: drivers/emul/sysregs.c.)
BOARD_KIND        := qemu
BOARD_TEST_SPIS   := 62 63
BOARD_TEST_REAL_DEVICES := 0x10001000,0x1000A000,0x10012000,0x10017000
