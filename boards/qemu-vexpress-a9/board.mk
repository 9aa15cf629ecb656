# qemu-system-arm -M vexpress-a9: Cortex-A9 MPCore, no Virtualization Extensions,
# boots in Secure SVC. GIC, PL011, SP804, A9 private timer; no working PMU in QEMU.
# The board's PL041 audio codec gets the silent backend: left to its default,
# QEMU probes the host's sound systems and writes its complaints (missing
# qemu-system-gui modules, ALSA errors) into the output.  QEMU_AUDIO_DRV=none
# does not stop that on QEMU 7.2; an explicit -audiodev does.
BOARD_QEMU        := -M vexpress-a9 -m 256M -audiodev none,id=snd0 -global pl041.audiodev=snd0
BOARD_CPUFLAGS    := -mtune=cortex-a9
BOARD_RAM_BASE    := 0x60000000
BOARD_RAM_SIZE    := 0x10000000
BOARD_LOAD_ADDR   := 0x60100000
BOARD_UART_BASE   := 0x10009000
BOARD_UART_IRQ    := 37
BOARD_GICD_BASE   := 0x1E001000
BOARD_GICC_BASE   := 0x1E000100
BOARD_SRCS        := drivers/pl011.c drivers/gicv2.c drivers/sp804.c drivers/a9ptimer.c
# the optional devices a guest may have (VM file devices=; tools/mkguests.py)
BOARD_GUEST_DEVICES := uart sp804 a9timer
# the virtio-mmio slots a guest may use (VM file virtio=, disk=, mac=; the
# slots' addresses: board.c vvirtio_base/vvirtio_irq)
BOARD_GUEST_VIRTIO := console blk net
