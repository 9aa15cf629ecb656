# ARMv7-A trap-and-emulate hypervisor ("the monitor").
#   make [BOARD=NAME of boards/NAME] [VM=configs/demo.vm]   build monitor + guests
#   make run          boot the monitor with the demo guests under QEMU
#                     (HOSTDISK=FILE: a raw image as QEMU's own virtio-blk, the
#                     host disk of disk=host slices; qemu-virt, docs/devices.md)
#   make test         host unit tests + fuzz smoke pass + QEMU integration tests on every board
#   make fuzz         libFuzzer harnesses, FUZZ_SECONDS each (tests/fuzz/)
#   make pvpatch      the binary paravirtualizer, build/host/pvpatch (docs/pvpatch.md)
#   make bench        microbenchmarks, native vs under the monitor (build/bench/table.md)
#   make qemu-gdb     like run, but QEMU waits for gdb on :1234
#   make fresh-test   `make test` in a new minimal Debian 12 root, as CI does (root)
#   make uimage / fit u-boot images: legacy uImage, FIT with the guests (docs/boot-images.md)
# Everything is built out of tree under build/$(BOARD)/; a build with a
# fast-path switch (or TRACE) away from its default goes to its own directory
# below it, named by the settings that differ: make SRFA=0 FIT=0 builds in
# build/$(BOARD)/sw-SRFA0-FIT0/ (`make -s print-B` prints it).  The guests
# and bare test guests, which do not depend on the switches, stay shared in
# build/$(BOARD)/guests/ and bare/.

BOARD         ?= qemu-virt
# Fast paths (each can be turned off to measure it): 1 on, 0 off.
FAST_SYSCALL  ?= 1
SRFA          ?= 1
FIT           ?= 1
# make TRACE=1: print every exception reflected into a guest (bring-up).
TRACE         ?= 0
LEAN_TRAP     ?= 1
# FAST_CP15: trapped MCRs without the generic decode (cache maintenance by VA
# in the vector, MMU-selecting and other CP15 writes in C); FAST_MMIO: device
# accesses through a per-vCPU translation cache (issue 16).
FAST_CP15     ?= 1
FAST_MMIO     ?= 1
# LAZY_WP: coherence=wp stops protecting a table page once nothing is built
# from it, until the next walk through it (mm/shadow.c).
LAZY_WP       ?= 1
# SPACE_INHERIT: coherence=wp starts a new shadow space with the entries of
# the last one built from the same global guest sections (kernel mappings).
SPACE_INHERIT ?= 1
# The return-to-user PV operation (docs/pv-abi.md): lean path in the monitor,
# and used by the Linux guest of `make linux`.
RET_USER      ?= 1
HV_OPTS       = FAST_SYSCALL=$(FAST_SYSCALL) SRFA=$(SRFA) FIT=$(FIT) LEAN_TRAP=$(LEAN_TRAP) TRACE=$(TRACE) \
                FAST_CP15=$(FAST_CP15) FAST_MMIO=$(FAST_MMIO) LAZY_WP=$(LAZY_WP) SPACE_INHERIT=$(SPACE_INHERIT) \
                RET_USER=$(RET_USER)
VM            ?= configs/demo.vm
# The boards: every folder boards/NAME with a board.mk, by its BOARD_KIND:
# qemu (the integration scenarios run on it: BOARDS) or real (built, then a
# smoke run on QEMU's model of the SoC: REAL_BOARDS).  `make -s print-BOARDS`
# is what tests/run-tests.sh and tests/integration/run-all.sh default to.
boards_of_kind = $(patsubst boards/%/board.mk,%,$(shell grep -lE \
                 '^BOARD_KIND[[:space:]]*:?=[[:space:]]*$(1)[[:space:]]*(\#.*)?$$' boards/*/board.mk))
BOARDS        = $(call boards_of_kind,qemu)
REAL_BOARDS   = $(call boards_of_kind,real)
CROSS_COMPILE ?= arm-none-eabi-
# The build directory: BB for the board, B for the board and switch settings.
# The key lists every setting of HV_OPTS that is not its default (a fast path
# on: 1, in HV_OPTS order, then TRACE off: 0); none for the default build.
BB            := build/$(BOARD)
SW_KEY        := $(strip $(subst =,,$(filter-out %=1,$(filter-out TRACE=%,$(HV_OPTS))) \
                 $(filter-out TRACE=0,$(filter TRACE=%,$(HV_OPTS)))))
empty         :=
space         := $(empty) $(empty)
B             := $(BB)$(if $(SW_KEY),/sw-$(subst $(space),-,$(SW_KEY)))
VMNAME        := $(basename $(notdir $(VM)))
# Where the monitor will sit in RAM: guests are placed around it at build time.
# QEMU -kernel uses the board's address; for a boot loader that puts the image
# elsewhere (u-boot bootm/bootz), say so: make LOAD_ADDR=0x40400000 ...
LOAD_ADDR     ?=
VB            := $(B)/vm-$(VMNAME)

ifeq ($(wildcard boards/$(BOARD)/board.mk),)
$(error unknown BOARD '$(BOARD)': choose one of $(notdir $(wildcard boards/*)))
endif
include boards/$(BOARD)/board.mk
ifeq ($(filter qemu real,$(BOARD_KIND)),)
$(error boards/$(BOARD)/board.mk: BOARD_KIND must be qemu or real (docs/porting.md))
endif
# The board's addresses and IRQs (RAM, UART, GIC, the guests' timers and
# virtio slots) are board.c's, as make variables (BOARD_RAM_BASE, ...):
# tools/mkguests.py --make-facts writes them, make re-reads them when
# board.c changes (a remade included makefile).
# (its rule is the first in this file: the default goal stays `all`)
.DEFAULT_GOAL := all
include $(BB)/board-facts.mk
$(BB)/board-facts.mk: boards/$(BOARD)/board.c tools/mkguests.py
	@mkdir -p $(dir $@)
	@tools/mkguests.py --make-facts $< > $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

CC      := $(CROSS_COMPILE)gcc
OBJDUMP := $(CROSS_COMPILE)objdump
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm

# The monitor: ARM state, no FP registers (guest VFP state must stay untouched),
# no unaligned accesses (it runs with the guest's SCTLR.A), freestanding.
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fno-common -fno-strict-aliasing \
	-marm -march=armv7-a $(BOARD_CPUFLAGS) -mfloat-abi=soft -mgeneral-regs-only \
	-mno-unaligned-access -fno-pic -fno-stack-protector \
	-Iinclude -Iarch/arm/include -I$(B)/gen -Iboards/$(BOARD) \
	-DBOARD_NAME='"$(BOARD)"' -DBOARD_UART_PHYS=$(BOARD_UART_BASE) $(addprefix -D,$(HV_OPTS)) \
	$(BOARD_CFLAGS)
HV_ASFLAGS := $(HV_CFLAGS) -D__ASSEMBLY__
HV_LDFLAGS := -nostdlib -static -Wl,--gc-sections -Wl,-Map,$(B)/monitor.map \
	-Wl,--no-warn-rwx-segments

# The guests' device models: every file of drivers/emul/ (each device type
# registers itself, core/vdev.h), so adding one touches no list.
EMUL_SRCS := $(sort $(wildcard drivers/emul/*.c))

HV_SRCS := \
	arch/arm/boot.S arch/arm/vectors.S arch/arm/cpu.c arch/arm/mmu.c arch/arm/cache.S \
	arch/arm/semihost.c arch/arm/vfp.c arch/arm/gtimer.c arch/arm/uaccess.S \
	core/main.c core/banner.c core/gimage.c core/vcpu.c core/exception.c core/emulate.c core/cp15.c core/vfp.c \
	core/hypercall.c core/sched.c core/stats.c core/guest_loader.c core/console.c \
	core/printf.c core/panic.c core/string.c core/decode.c core/trap.c core/mmio.c core/srfa.c core/fit.c core/idregs.c core/confilter.c \
	core/vdev.c core/vtimer.c core/virq.c core/mcon.c core/virtio_dev.c drivers/virtio_blk_host.c \
	$(EMUL_SRCS) \
	mm/pagealloc.c mm/guestmem.c mm/gpmap.c mm/walk.c mm/shadow.c \
	$(BOARD_SRCS) \
	boards/$(BOARD)/board.c \
	$(VB)/guest_images.S

HV_OBJS := $(patsubst %,$(B)/obj/%.o,$(basename $(filter-out $(VB)/%,$(HV_SRCS)))) $(VB)/guest_images.o
HV_DEPS := $(HV_OBJS:.o=.d)

MONITOR := $(VB)/monitor.elf

.PHONY: all monitor guests run qemu-gdb test unit integration fuzz bench clean distclean help deps fresh-test
all: monitor

monitor: $(MONITOR) $(VB)/monitor.bin $(VB)/monitor.dis

include guest-stubs/guests.mk
include tools/pvpatch/pvpatch.mk
include guest-stubs/linux/linux.mk

# --- generated headers ---------------------------------------------------
# asm-offsets: structure offsets the assembly needs, generated from C.
# The optimization switches: rewritten only when they change, so that
# changing one rebuilds every object (each depends on this file; with the
# keyed build directory that only happens when B= is given).
$(B)/gen/flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(HV_OPTS)' | cmp -s - $@ || echo '$(HV_OPTS)' > $@

.PHONY: FORCE
FORCE:

# asm-offsets.h is rewritten only when its text changes (tools/update-if-changed.sh):
# the stamp records that it was regenerated, so a header edit that moves no
# offset rebuilds only the objects that include the edited header.  The
# objects that include asm-offsets.h depend on it through their .d files.
$(B)/gen/asm-offsets.h: $(B)/gen/asm-offsets.stamp ;
$(B)/gen/asm-offsets.stamp: arch/arm/asm-offsets.c $(B)/gen/flags tools/gen-asm-offsets.sh
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -I$(B)/gen,$(HV_CFLAGS)) -MMD -MP -MT $@ -MF $(B)/gen/asm-offsets.d -S -o $(B)/gen/asm-offsets.s $<
	tools/gen-asm-offsets.sh $(B)/gen/asm-offsets.s > $(B)/gen/asm-offsets.h.tmp
	tools/update-if-changed.sh $(B)/gen/asm-offsets.h.tmp $(B)/gen/asm-offsets.h
	@touch $@
-include $(B)/gen/asm-offsets.d

$(B)/obj/%.o: %.c $(B)/gen/flags | $(B)/gen/asm-offsets.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.S $(B)/gen/flags | $(B)/gen/asm-offsets.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_ASFLAGS) -MMD -MP -c -o $@ $<

# --- guest images: the VM configuration, kept apart from the board ----------
# tools/mkguests.py reads the VM file and the board's description
# (boards/$(BOARD)/board.c, board.mk); the C facts it obeys come from the
# headers and, for struct guest_image's layout, from asm-offsets.h.  Each
# guest's device tree is compiled into $(VB)/guest-NAME.dtb.
MKGUESTS = tools/mkguests.py $(VM) $(GUEST_OUT) $(BOARD_RAM_BASE) $(BOARD) $(1) $(BOARD_RAM_SIZE) $(2) \
	--layout $(B)/gen/asm-offsets.h
MKGUESTS_DEPS = $(VM) tools/mkguests.py boards/$(BOARD)/board.c boards/$(BOARD)/board.mk $(EMUL_SRCS) $(wildcard core/*.c) \
	core/guest.h arch/arm/include/arch/memmap.h drivers/emul/virtio_mmio.h drivers/emul/virtio_blk.h drivers/emul/vgic.h mm/shadow.h \
	core/virtio_dev.c $(B)/gen/asm-offsets.h $(GUEST_ELFS) $(GUEST_OUT)/echo-pv.elf
$(VB)/guest_images.S: $(MKGUESTS_DEPS)
	@mkdir -p $(dir $@)
	$(call MKGUESTS,$(VB),$(or $(LOAD_ADDR),$(BOARD_LOAD_ADDR))) > $@.tmp && mv $@.tmp $@

$(VB)/guest_images.o: $(VB)/guest_images.S
	$(CC) $(HV_ASFLAGS) -c -o $@ $<
# the disk images it embeds (disk= in the VM file), written by mkguests.py
-include $(VB)/guest_images.d

# --- standalone guests (tests/integration/guests/: one file, no runtime) -----
# Linked at the guest's RAM + 1 MiB, with the board's device addresses.
# $(BB)/bare/NAME-native.elf and NAME-pv.elf from NAME.c; $(BB)/bare/NAME.elf from NAME.S
# (shared by every switch setting: they do not depend on the switches).
BARE_DIR   := tests/integration/guests
BARE_FLAGS := -marm -march=armv7-a -mfloat-abi=soft -O1 -ffreestanding -nostdlib -static \
	-Wall -Wextra -Werror -Iinclude -DUART=$(BOARD_UART_BASE) -DUART_IRQ=$(BOARD_UART_IRQ) \
	-DGICD=$(BOARD_GICD_BASE) -DGICC=$(BOARD_GICC_BASE) \
	-Wl,-Ttext=$(shell printf '0x%x' $$(( $(BOARD_RAM_BASE) + 0x100000 ))) -Wl,--no-warn-rwx-segments

$(BB)/bare/%-native.elf: $(BARE_DIR)/%.c $(BARE_DIR)/bare.h include/hv/pv-abi.h
	@mkdir -p $(dir $@)
	$(CC) $(BARE_FLAGS) -o $@ $<

$(BB)/bare/%-pv.elf: $(BARE_DIR)/%.c $(BARE_DIR)/bare.h include/hv/pv-abi.h
	@mkdir -p $(dir $@)
	$(CC) $(BARE_FLAGS) -DPV -o $@ $<

$(BB)/bare/%.elf: $(BARE_DIR)/%.S include/hv/pv-abi.h
	@mkdir -p $(dir $@)
	$(CC) $(BARE_FLAGS) -o $@ $<

# The interactive demo guest of `make run` (configs/demo.vm).
$(GUEST_OUT)/echo-pv.elf: $(BARE_DIR)/uartrx.c $(BARE_DIR)/bare.h include/hv/pv-abi.h
	@mkdir -p $(dir $@)
	$(CC) $(BARE_FLAGS) -DPV -DDEMO -o $@ $<

# --- link -------------------------------------------------------------------
$(B)/linker.ld: linker.ld boards/$(BOARD)/board.mk
	@mkdir -p $(dir $@)
	$(CC) -E -P -x c -DLOAD_ADDR=$(BOARD_LOAD_ADDR) -Iarch/arm/include -Iinclude $< -o $@

$(MONITOR): $(HV_OBJS) $(B)/linker.ld
	$(CC) $(HV_CFLAGS) $(HV_LDFLAGS) -Wl,-Map,$(VB)/monitor.map -T $(B)/linker.ld -o $@ $(HV_OBJS) -lgcc

$(VB)/monitor.bin: $(MONITOR)
	$(OBJCOPY) -O binary $< $@

$(VB)/monitor.dis: $(MONITOR)
	$(OBJDUMP) -d $< > $@

-include $(HV_DEPS)

# u-boot images: make uimage, make fit
include tools/images.mk

# --- running ----------------------------------------------------------------
QEMU       := qemu-system-arm
# The serial port straight on stdio, without QEMU's -nographic multiplexer,
# so that Ctrl-A reaches the monitor (Ctrl-A x3 switches the console focus);
# Ctrl-C ends QEMU.
QEMU_FLAGS := $(BOARD_QEMU) -display none -serial stdio -monitor none -semihosting -kernel $(MONITOR)
# HOSTDISK=FILE: the board's host disk on that raw image file
# (BOARD_QEMU_HOSTDISK in board.mk; the tests take it from there too).
ifneq ($(HOSTDISK),)
ifeq ($(BOARD_QEMU_HOSTDISK),)
$(error HOSTDISK: board $(BOARD) has no host disk (only qemu-virt's monitor drives one: BOARD_QEMU_HOSTDISK))
endif
QEMU_FLAGS += $(BOARD_QEMU_HOSTDISK)
endif

run: deps
	$(MAKE) monitor
	@echo "== $(BOARD): monitor with guests from $(VM); Ctrl-A three times switches the console, Ctrl-C quits =="
	$(QEMU) $(QEMU_FLAGS)

# Debian 12 has no arm-none-eabi-gdb: gdb-multiarch debugs ARM (install-deps).
GDB_PORT ?= 1234
qemu-gdb: monitor
	@echo "== QEMU waits for gdb: gdb-multiarch $(MONITOR) -ex 'target remote 127.0.0.1:$(GDB_PORT)' =="
	$(QEMU) $(QEMU_FLAGS) -S -gdb tcp::$(GDB_PORT)

# --- tests ------------------------------------------------------------------
unit: deps
	$(MAKE) -f tests/unit/unit.mk

integration:
	tests/integration/run-all.sh $(BOARDS)

test: deps
	tests/run-tests.sh $(BOARDS)

# The README's commands in a new minimal Debian 12 root with a clean clone of
# HEAD (tools/fresh-test.sh; needs root): what CI runs (.ci/run).
#   make fresh-test [FRESH_CMD='tools/install-deps.sh && make run-smoke']
FRESH_CMD ?= tools/install-deps.sh && make test
fresh-test:
	tools/fresh-test.sh '$(FRESH_CMD)'

# libFuzzer harnesses (tests/fuzz/): each target for FUZZ_SECONDS (`make test`
# runs only a short smoke pass over the kept corpus).
FUZZ_SECONDS ?= 60
fuzz: deps
	$(MAKE) -f tests/fuzz/fuzz.mk fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

# --- benchmarks (not part of `make test`) -----------------------------------
# guest-stubs/bench native and under the monitor on qemu-virt (the board with a
# PMU), instruction counts under -icount: build/bench/{results.csv,table.md,chart.png}.
# Extra monitor builds become extra columns:
#   make bench BENCH_VARIANTS="NAME:VAR=VAL[,VAR=VAL...] ..."
# By default, one column per optimization switched off.
BENCH_VARIANTS ?= fast-syscall-off:FAST_SYSCALL=0 fit-off:FIT=0 srfa-off:SRFA=0 lean-trap-off:LEAN_TRAP=0 \
	fast-cp15-off:FAST_CP15=0 fast-mmio-off:FAST_MMIO=0 lazy-wp-off:LAZY_WP=0 \
	inherit-off:SPACE_INHERIT=0 ret-user-off:RET_USER=0
# Then the Linux guest: boot and in-guest workloads, native vs virtualized vs
# fast paths off (tools/bench-linux.sh; BENCH_LINUX=0 skips it).  Then the
# paravirtual I/O under load: block, guest-to-guest TCP, console bursts
# (tools/bench-io.sh: build/bench/io.md; BENCH_IO=0 skips it).
BENCH_LINUX ?= 1
BENCH_IO ?= 1
bench: deps
	BENCH_VARIANTS="$(BENCH_VARIANTS)" tools/bench.sh
	@if [ "$(BENCH_LINUX)" != 0 ]; then tools/bench-linux.sh; fi
	@if [ "$(BENCH_IO)" != 0 ]; then tools/bench-io.sh; fi

# Install the Debian packages the build and the tests need.
deps:
	tools/install-deps.sh

# (the default build's clean removes the board's switch-keyed builds too)
clean:
	rm -rf $(B)

distclean:
	rm -rf build

help:
	@sed -n '1,13p' Makefile

# Print a make variable (used by the test scripts): make -s print-QEMU_FLAGS
print-%:
	@echo '$($*)'
