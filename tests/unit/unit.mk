# Host unit tests (cmocka) for the monitor's decoder and emulator.
#   make -f tests/unit/unit.mk [check]    build and run every test binary
#   make -f tests/unit/unit.mk build      build only
#   make -f tests/unit/unit.mk clean
# Run from the repository root.  Objects go to build/unit/.  The real core
# sources are compiled for the host together with a fake platform
# (tests/unit/fake_arch.c; test_shadow uses tests/unit/fake_shadow.c); the
# last line printed is
#   unit: N passed, M failed
# counting individual cmocka test cases; the exit status is nonzero if any
# test failed (or a binary died before finishing its tests).

HOSTCC   ?= gcc
UNIT_B   := build/unit
UNIT_DIR := tests/unit

UNIT_SAN    := -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -g \
	-Iinclude -Iarch/arm/include -iquote core -iquote $(UNIT_DIR) $(UNIT_SAN)
UNIT_LDLIBS := -lcmocka

# Sources under test, and the fake platform they link against.
UNIT_CORE_SRCS := core/decode.c core/vcpu.c core/exception.c core/emulate.c \
	core/cp15.c core/vfp.c core/hypercall.c core/fit.c core/srfa.c core/idregs.c core/mmio.c mm/walk.c
UNIT_FAKE_SRCS := $(UNIT_DIR)/fake_arch.c $(UNIT_DIR)/unit_support.c
UNIT_TESTS     := test_decode test_vcpu test_exception test_emulate test_srfa test_walk test_shadow \
	test_vgic test_vpl011 test_sp804 test_a9timer test_vdev test_pvpatch test_virtio test_virtio_blk test_virtio_net test_virtio_balloon test_hostblk \
	test_console test_sysregs test_gpmap test_gimage

# test_shadow links the real shadow builder against its own fake platform
# (monitor pool arena, fake physical addresses, arch recorders) instead of
# fake_arch.c and the core objects.
UNIT_SHADOW_SRCS := mm/shadow.c mm/walk.c $(UNIT_DIR)/fake_shadow.c $(UNIT_DIR)/unit_support.c
UNIT_SHADOW_OBJS := $(patsubst %.c,$(UNIT_B)/%.o,$(UNIT_SHADOW_SRCS))

# The device models are pure: each test links only its model, the test
# support and (timers) a fake clock defined in the test itself.
UNIT_DEV_SRCS := drivers/emul/vgic.c drivers/emul/pl011.c drivers/emul/sp804.c drivers/emul/a9timer.c drivers/emul/sysregs.c core/vdev.c core/confilter.c
# virtio: the transport and rings, and one device type per test binary.
UNIT_VIRTIO_OBJS := $(UNIT_B)/drivers/emul/virtqueue.o $(UNIT_B)/drivers/emul/virtio_mmio.o \
	$(UNIT_B)/$(UNIT_DIR)/unit_support.o
UNIT_DEV_SRCS += drivers/emul/virtqueue.c drivers/emul/virtio_mmio.c drivers/emul/virtio_console.c \
	drivers/emul/virtio_blk.c drivers/emul/virtio_net.c drivers/emul/vswitch.c \
	drivers/emul/virtio_balloon.c drivers/virtio_blk_host.c

# tools/pvpatch (a host program, docs/pvpatch.md): its sources with the
# sanitizers, the monitor's decoder, libelf.
UNIT_PVPATCH_SRCS := tools/pvpatch/a32.c tools/pvpatch/t32.c tools/pvpatch/rewrite.c \
	tools/pvpatch/image.c tools/pvpatch/pvpatch.c core/decode.c

UNIT_CORE_OBJS := $(patsubst %.c,$(UNIT_B)/%.o,$(UNIT_CORE_SRCS) $(UNIT_FAKE_SRCS))
UNIT_BINS      := $(addprefix $(UNIT_B)/,$(UNIT_TESTS))
UNIT_DEPS      := $(patsubst %.c,$(UNIT_B)/%.d,$(sort $(UNIT_CORE_SRCS) $(UNIT_FAKE_SRCS) \
	$(UNIT_SHADOW_SRCS) $(UNIT_GPMAP_SRCS) core/gimage.c $(UNIT_DEV_SRCS) $(UNIT_PVPATCH_SRCS) $(addprefix $(UNIT_DIR)/,$(addsuffix .c,$(UNIT_TESTS)))))

.PHONY: check build clean
.SECONDARY:
.DEFAULT_GOAL := check

check: $(UNIT_BINS)
	@sh $(UNIT_DIR)/run.sh $(UNIT_BINS)

build: $(UNIT_BINS)

$(UNIT_B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

$(UNIT_B)/test_%: $(UNIT_B)/$(UNIT_DIR)/test_%.o $(UNIT_CORE_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_shadow: $(UNIT_B)/$(UNIT_DIR)/test_shadow.o $(UNIT_SHADOW_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

# test_gpmap: guest memory on demand (mm/gpmap.c) and the IPA copies over it
# (mm/guestmem.c), on a host arena standing for board RAM (fakes in the test).
UNIT_GPMAP_SRCS := mm/gpmap.c mm/guestmem.c mm/walk.c
$(UNIT_B)/test_gpmap: $(UNIT_B)/$(UNIT_DIR)/test_gpmap.o $(patsubst %.c,$(UNIT_B)/%.o,$(UNIT_GPMAP_SRCS)) \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

# test_gimage: where the guest images are (core/gimage.c), with its own fakes.
$(UNIT_B)/test_gimage: $(UNIT_B)/$(UNIT_DIR)/test_gimage.o $(UNIT_B)/core/gimage.o $(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_vgic: $(UNIT_B)/$(UNIT_DIR)/test_vgic.o $(UNIT_B)/drivers/emul/vgic.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_vpl011: $(UNIT_B)/$(UNIT_DIR)/test_vpl011.o $(UNIT_B)/drivers/emul/pl011.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_sp804: $(UNIT_B)/$(UNIT_DIR)/test_sp804.o $(UNIT_B)/drivers/emul/sp804.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_a9timer: $(UNIT_B)/$(UNIT_DIR)/test_a9timer.o $(UNIT_B)/drivers/emul/a9timer.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

# test_vdev: the device-type registry with the board-slotted models it
# instantiates, the MMIO region lookup and the vGIC its lines feed.
$(UNIT_B)/test_vdev: $(UNIT_B)/$(UNIT_DIR)/test_vdev.o $(UNIT_B)/core/vdev.o \
		$(UNIT_B)/drivers/emul/pl011.o $(UNIT_B)/drivers/emul/sp804.o \
		$(UNIT_B)/drivers/emul/a9timer.o $(UNIT_B)/drivers/emul/sysregs.o \
		$(UNIT_B)/drivers/emul/vgic.o $(UNIT_CORE_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_virtio: $(UNIT_B)/$(UNIT_DIR)/test_virtio.o $(UNIT_B)/drivers/emul/virtio_console.o \
		$(UNIT_VIRTIO_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_virtio_blk: $(UNIT_B)/$(UNIT_DIR)/test_virtio_blk.o $(UNIT_B)/drivers/emul/virtio_blk.o \
		$(UNIT_VIRTIO_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

# the host-disk driver against the virtio-blk model as its fake device
$(UNIT_B)/test_hostblk: $(UNIT_B)/$(UNIT_DIR)/test_hostblk.o $(UNIT_B)/drivers/virtio_blk_host.o \
		$(UNIT_B)/drivers/emul/virtio_blk.o $(UNIT_VIRTIO_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_virtio_net: $(UNIT_B)/$(UNIT_DIR)/test_virtio_net.o $(UNIT_B)/drivers/emul/virtio_net.o \
		$(UNIT_B)/drivers/emul/vswitch.o $(UNIT_VIRTIO_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_virtio_balloon: $(UNIT_B)/$(UNIT_DIR)/test_virtio_balloon.o $(UNIT_B)/drivers/emul/virtio_balloon.o \
		$(UNIT_VIRTIO_OBJS)
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_sysregs: $(UNIT_B)/$(UNIT_DIR)/test_sysregs.o $(UNIT_B)/drivers/emul/sysregs.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_console: $(UNIT_B)/$(UNIT_DIR)/test_console.o $(UNIT_B)/core/confilter.o \
		$(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS)

$(UNIT_B)/test_pvpatch: $(UNIT_B)/$(UNIT_DIR)/test_pvpatch.o \
		$(patsubst %.c,$(UNIT_B)/%.o,$(UNIT_PVPATCH_SRCS)) $(UNIT_B)/$(UNIT_DIR)/unit_support.o
	$(HOSTCC) $(UNIT_SAN) -o $@ $^ $(UNIT_LDLIBS) -lelf

clean:
	rm -rf $(UNIT_B)

-include $(UNIT_DEPS)
