# qemu-system-arm -M virt -cpu cortex-a15, WITHOUT virtualization=on:
# GICv2, PL011, generic timer, working PMU (docs/qemu.md).
# -nic none: without it QEMU adds a virtio network card whose boot ROM
# (efi-virtio.rom) is in ipxe-qemu, a package nothing here needs; no guest and
# no test uses a host network card.
BOARD_QEMU        := -M virt -cpu cortex-a15 -m 256M -nic none
# make run HOSTDISK=FILE (and the host-disk tests): the raw image FILE as
# QEMU's own virtio-blk-device, which the monitor drives as the host disk of
# the VM's disk=host slices (board.c hostvirtio_*; drivers/virtio_blk_host.c).
# Modern virtio-mmio (Version 2): the driver has no legacy interface.
BOARD_QEMU_HOSTDISK = -global virtio-mmio.force-legacy=false \
	-drive file=$(HOSTDISK),if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0
BOARD_CPUFLAGS    := -mtune=cortex-a15
# RAM, UART, GIC, the guests' timers: board.c (generated into
# $(BB)/board-facts.mk by tools/mkguests.py --make-facts).
# Where QEMU -kernel puts the monitor ELF (any 1 MiB aligned RAM address works:
# the monitor finds its physical address at run time).
BOARD_LOAD_ADDR   := 0x40100000
BOARD_SRCS        := drivers/pl011.c drivers/gicv2.c
# Its guests' device tree (tools/mkguests.py; the devices a guest may have,
# their addresses and interrupts: board.c): compatible strings of the machine,
# CPU and GIC; fixed clocks LABEL[/NODE]=HZ; after the GIC, the nodes in order:
# gtimer, clocks, uart:NODE:CLOCK, sp804:APB_CLOCK, a9timer, virtio
BOARD_DT_COMPATIBLE := linux,dummy-virt
BOARD_DT_CPU      := arm,cortex-a15
BOARD_DT_GIC      := arm,cortex-a15-gic
BOARD_DT_CLOCKS   := apb_pclk/apb-pclk=24000000
BOARD_DT_NODES    := gtimer clocks uart:NODE=pl011:CLK=apb_pclk virtio
# Device assignment (assign= in a VM file, tools/mkguests.py): where the
# machine's devices are (BASE:SIZE ...: everything between the flash and RAM,
# docs/qemu.md), and which of them can master DMA: fw_cfg (its DMA
# interface), the 32 virtio-mmio transports, the platform bus and PCIe.
BOARD_DEVICE_SPACE := 0x08000000:0x38000000
BOARD_DMA_DEVICES  := 0x09020000:0x1000 0x0a000000:0x4000 0x0c000000:0x2000000 0x10000000:0x30000000
# The test facts (guest-stubs/guests.mk, tests/integration/run-all.sh):
# BOARD_KIND qemu: the integration scenarios run on it (real: built, then a
# smoke run on QEMU's model of the SoC).  BOARD_TEST_SPIS: two SPIs with no
# device behind them (below ID 64) for the software-pended interrupt tests.
# BOARD_TEST_REAL_DEVICES: real devices of the board that no guest is given,
# which the attacker guest must not reach (QEMU's hw/arm/virt.c memmap: PL031,
# fw_cfg, GPIO, the virtio-mmio transports: the first and the last, where the
# host disk of disk=host sits, GICv2m).
BOARD_KIND        := qemu
BOARD_TEST_SPIS   := 44 45
BOARD_TEST_REAL_DEVICES := 0x09010000,0x09020000,0x09030000,0x0A000000,0x0A003E00,0x08020000
# the cp15 test guest's expected MIDR: Cortex-A15 r4p0 (QEMU's cortex-a15)
BOARD_MIDR        := 0x414fc0f0
