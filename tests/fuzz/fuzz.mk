# libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined) for the
# monitor code that parses what a guest controls, and for tools/pvpatch.
#   make -f tests/fuzz/fuzz.mk [build]                 build every harness
#   make -f tests/fuzz/fuzz.mk smoke                   `make test`: the kept corpus + a few s each
#   make -f tests/fuzz/fuzz.mk fuzz FUZZ_SECONDS=120   `make fuzz`: each target for FUZZ_SECONDS
#   make -f tests/fuzz/fuzz.mk FUZZ_TARGETS="walk shadow" fuzz
# Run from the repository root.  Objects and binaries go to build/fuzz/; the
# kept corpus (regression inputs included) is tests/fuzz/corpus/<target>/,
# never written by these runs (new inputs go to build/fuzz/corpus/<target>/,
# crashes to build/fuzz/crashes/<target>/).  tests/fuzz/README.md says how
# to keep a crash as a regression input.
# The monitor sources are compiled for the host as for the unit tests, and
# the core ones link the unit tests' fake platform (tests/unit/fake*.c).

FUZZ_CC      ?= clang
FUZZ_B       := build/fuzz
FUZZ_DIR     := tests/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_TARGETS ?= decode emulate pvabi mmio vgic vpl011 timers walk shadow guestmem pvpatch virtio

FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iarch/arm/include -iquote core -iquote tests/unit -iquote $(FUZZ_DIR) \
	-fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LDFLAGS := -fsanitize=fuzzer $(FUZZ_SAN)

# the core sources of the unit tests, with their fake platform
FUZZ_CORE := core/decode.c core/vcpu.c core/exception.c core/emulate.c core/cp15.c core/vfp.c \
	core/hypercall.c core/fit.c core/srfa.c core/idregs.c mm/walk.c tests/unit/fake_arch.c \
	$(FUZZ_DIR)/fuzz_support.c
FUZZ_SRCS_decode  := core/decode.c
FUZZ_SRCS_emulate := $(FUZZ_CORE)
FUZZ_SRCS_pvabi   := $(FUZZ_CORE)
FUZZ_SRCS_mmio    := $(FUZZ_CORE) core/mmio.c
FUZZ_SRCS_vgic    := drivers/emul/vgic.c
FUZZ_SRCS_vpl011  := drivers/emul/pl011.c
FUZZ_SRCS_timers  := drivers/emul/timers.c
FUZZ_SRCS_virtio  := drivers/emul/virtqueue.c drivers/emul/virtio_mmio.c drivers/emul/virtio_console.c \
	drivers/emul/virtio_blk.c drivers/emul/virtio_net.c drivers/emul/vswitch.c
FUZZ_SRCS_walk    := mm/walk.c
FUZZ_SRCS_shadow  := mm/shadow.c mm/walk.c tests/unit/fake_shadow.c $(FUZZ_DIR)/fuzz_support.c
FUZZ_SRCS_guestmem := mm/guestmem.c mm/gpmap.c mm/walk.c
FUZZ_SRCS_pvpatch := tools/pvpatch/a32.c tools/pvpatch/t32.c tools/pvpatch/rewrite.c \
	tools/pvpatch/image.c tools/pvpatch/pvpatch.c core/decode.c
FUZZ_LIBS_pvpatch := -lelf

FUZZ_BINS := $(addprefix $(FUZZ_B)/fuzz_,$(FUZZ_TARGETS))

.PHONY: build smoke fuzz clean
.SECONDARY:
.DEFAULT_GOAL := build
build: $(FUZZ_BINS)

smoke: $(FUZZ_BINS)
	@sh $(FUZZ_DIR)/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: $(FUZZ_BINS)
	@sh $(FUZZ_DIR)/run.sh fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_pvabi.o: $(FUZZ_DIR)/fuzz_emulate.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_SVC -MMD -MP -c -o $@ $<

define FUZZ_template
$(FUZZ_B)/fuzz_$(1): $(FUZZ_B)/obj/$(FUZZ_DIR)/fuzz_$(1).o $(patsubst %.c,$(FUZZ_B)/obj/%.o,$(FUZZ_SRCS_$(1)))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $$@ $$^ $(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_template,$(t))))

clean:
	rm -rf $(FUZZ_B)

-include $(shell find $(FUZZ_B)/obj -name '*.d' 2>/dev/null)
