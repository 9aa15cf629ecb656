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
# no virtio-mmio slots for guests (VM file virtio=, disk=, mac=)
BOARD_GUEST_VIRTIO :=
# the optional devices a guest may have (VM file devices=; tools/mkguests.py)
BOARD_GUEST_DEVICES := uart sp804
# the cp15 test guest's expected MIDR: Cortex-A8 r0p0 (QEMU's cortex-a8)
BOARD_MIDR        := 0x410fc080
