# qemu-system-arm -M virt -cpu cortex-a15, WITHOUT virtualization=on:
# GICv2, PL011, generic timer, working PMU (docs/qemu.md).
# -nic none: without it QEMU adds a virtio network card whose boot ROM
# (efi-virtio.rom) is in ipxe-qemu, a package nothing here needs; no guest and
# no test uses a host network card.
BOARD_QEMU        := -M virt -cpu cortex-a15 -m 256M -nic none
BOARD_CPUFLAGS    := -mtune=cortex-a15
BOARD_RAM_BASE    := 0x40000000
BOARD_RAM_SIZE    := 0x10000000
# Where QEMU -kernel puts the monitor ELF (any 1 MiB aligned RAM address works:
# the monitor finds its physical address at run time).
BOARD_LOAD_ADDR   := 0x40100000
BOARD_UART_BASE   := 0x09000000
BOARD_UART_IRQ    := 33
BOARD_GICD_BASE   := 0x08000000
BOARD_GICC_BASE   := 0x08010000
BOARD_SRCS        := drivers/pl011.c drivers/gicv2.c
# the optional devices a guest may have (VM file devices=; tools/mkguests.py)
BOARD_GUEST_DEVICES := uart
# the virtio-mmio slots a guest may use (VM file virtio=, disk=, mac=; the
# slots' addresses: board.c vvirtio_base/vvirtio_irq)
BOARD_GUEST_VIRTIO := console blk net
