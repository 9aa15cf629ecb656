# qemu-system-arm -M vexpress-a9: Cortex-A9 MPCore, no Virtualization Extensions,
# boots in Secure SVC. GIC, PL011, SP804, A9 private timer; no working PMU in QEMU.
# The board's PL041 audio codec gets the silent backend: left to its default,
# QEMU probes the host's sound systems and writes its complaints (missing
# qemu-system-gui modules, ALSA errors) into the output.  QEMU_AUDIO_DRV=none
# does not stop that on QEMU 7.2; an explicit -audiodev does.
BOARD_QEMU        := -M vexpress-a9 -m 256M -audiodev none,id=snd0 -global pl041.audiodev=snd0
BOARD_CPUFLAGS    := -mtune=cortex-a9
# RAM, UART, GIC, the guests' timers: board.c (generated into
# $(BB)/board-facts.mk by tools/mkguests.py --make-facts)
BOARD_LOAD_ADDR   := 0x60100000
BOARD_SRCS        := drivers/pl011.c drivers/gicv2.c drivers/sp804.c drivers/a9ptimer.c
# Its guests' device tree (tools/mkguests.py; the devices a guest may have,
# their addresses and interrupts: board.c): compatible strings of the machine,
# CPU and GIC; fixed clocks LABEL[/NODE]=HZ; after the GIC, the nodes in order:
# gtimer, clocks, uart:NODE:CLOCK, sp804:APB_CLOCK, a9timer, virtio
BOARD_DT_COMPATIBLE := arm,vexpress,v2p-ca9 arm,vexpress
BOARD_DT_CPU      := arm,cortex-a9
BOARD_DT_GIC      := arm,cortex-a9-gic
BOARD_DT_CLOCKS   := clk24mhz=24000000 timclk=1000000 periphclk=100000000
BOARD_DT_NODES    := clocks a9timer sp804:CLK=clk24mhz uart:NODE=uart:CLK=clk24mhz virtio
# Device assignment (assign= in a VM file, tools/mkguests.py): the
# motherboard's and the A9 tile's peripherals (CS7, 0x10000000-0x1FFFFFFF),
# and those that can master DMA: the two PL111 CLCDs (they fetch their frame
# buffer from memory) and QEMU's four virtio-mmio transports.
BOARD_DEVICE_SPACE := 0x10000000:0x10000000
BOARD_DMA_DEVICES  := 0x1001F000:0x1000 0x10020000:0x1000 0x10013000:0x800
# The test facts (guest-stubs/guests.mk, tests/integration/run-all.sh):
# BOARD_KIND qemu: the integration scenarios run on it.  BOARD_TEST_SPIS: two
# SPIs with no device behind them (below ID 64) for the software-pended
# interrupt tests.  BOARD_TEST_REAL_DEVICES: real devices of the board that no
# guest is given, which the attacker guest must not reach (QEMU's vexpress.c).
# (0x10000000, the system registers, is each guest's own emulated block:
# drivers/emul/sysregs.c; the SP810 system controller next to it is not
# given to guests.)
BOARD_KIND        := qemu
BOARD_TEST_SPIS   := 52 53
BOARD_TEST_REAL_DEVICES := 0x10001000,0x1000A000,0x10012000,0x10017000,0x1E000000
# the cp15 test guest's expected MIDR: Cortex-A9 r0p0 (QEMU's cortex-a9)
BOARD_MIDR        := 0x410fc090
