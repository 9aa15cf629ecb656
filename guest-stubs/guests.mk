# guest-stubs/guests.mk - build the test guests, each twice from one source:
#   $(BB)/guests/<name>-native.elf   real instructions, runs bare metal on QEMU
#   $(BB)/guests/<name>-pv.elf       -DPV=1: sensitive instructions as PV SVCs
# (+ .map and .dis next to each .elf).
#
# The guests do not depend on the monitor's fast-path switches: one build per
# board ($(BB), not the switch-keyed $(B)) serves every monitor.
# Included by the top-level Makefile, which defines BOARD, BB, CROSS_COMPILE
# and the BOARD_* variables of boards/$(BOARD)/board.mk and of board.c
# ($(BB)/board-facts.mk).
# Targets: guests (all), $(BB)/guests/<name>-{native,pv}.elf, guests-pv-only
# ($(BB)/guests/{attacker,victim,hog,srfa,attack-*}-pv.elf), guests-bench
# ($(BB)/guests/bench-{native,pv}.elf), guests-check-pv, guests-selftest.
# Native runs: tests/integration/run-native.sh $(BOARD).

GS_DIR      := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GS_REPO     := $(patsubst %/,%,$(dir $(GS_DIR)))
ifeq ($(GS_REPO),)
GS_REPO     := .
endif
GUEST_OUT   := $(BB)/guests

GUEST_NAMES := modes psr exc cp15 usrundef vfp1 vfp2 hello mmu irq sleeper mmunop
GUEST_FLAVOURS := native pv
# PV-only guests (isolation test): natively they would reach real memory and
# devices, so there is nothing to compare with.  Built by `guests-pv-only`,
# not by `guests` (tests/integration/run-all.sh builds them for "isolation"
# and "starvation").
# The attack guests (guest-stubs/attack/, docs/security.md) and their victim,
# run together by tests/integration/run-all.sh "attacks" and "isolation".
# attack-psr is built four times, each ending with another forbidden mode.
GUEST_ATTACK := attack-hc attack-psr attack-psr-hyp attack-psr-rfe attack-psr-spsr attack-gic attack-storm
$(foreach n,attacker victim $(GUEST_ATTACK),$(eval GUEST_DIR_$(n) := $$(GS_DIR)/attack))
GUEST_SRC_attack-psr-hyp    := attack-psr
GUEST_SRC_attack-psr-rfe    := attack-psr
GUEST_SRC_attack-psr-spsr   := attack-psr
GUEST_CFLAGS_attack-psr     = -DFATAL=1 $(GUEST_IRQ)
GUEST_CFLAGS_attack-psr-hyp = -DFATAL=2 $(GUEST_IRQ)
GUEST_CFLAGS_attack-psr-rfe = -DFATAL=3 $(GUEST_IRQ)
GUEST_CFLAGS_attack-psr-spsr = -DFATAL=4 $(GUEST_IRQ)
GUEST_PV_ONLY := attacker victim hog share srfa $(GUEST_ATTACK)
# Benchmark guests (`make bench`, tools/bench.sh), native and PV, sources in
# bench/ instead of tests/.  Built by `guests-bench`, not by `guests`, so
# that `make test` does not build them.
GUEST_BENCH := bench

# per-guest source (tests/<src>.c plus tests/<src>_asm.S when present) and flags
GUEST_SRC_vfp1    := vfp
GUEST_SRC_vfp2    := vfp
GUEST_CFLAGS_vfp1 := -DVFP_SEED=1
GUEST_CFLAGS_vfp2 := -DVFP_SEED=2
# LDRT/STRT cannot be virtualized by the PV ABI (docs/pv-abi.md); both builds
# skip those checks so that their output stays comparable.
GUEST_CFLAGS_mmu  := -DMMU_SKIP_LDRT
# mmunop: the mmu test with TLB/BTB maintenance replaced by NOPs in its PV
# build (ARMvisor's NOP replacement; needs coherence=wp under the monitor).
GUEST_SRC_mmunop    := mmu
GUEST_CFLAGS_mmunop := -DMMU_SKIP_LDRT -DPV_NOP_TLB
guest_src = $(or $(GUEST_SRC_$(1)),$(1))
# per-guest source directory (default tests/)
GUEST_DIR_bench   := $(GS_DIR)/bench
guest_dir = $(or $(GUEST_DIR_$(1)),$(GS_DIR)/tests)

# irq: the board's GICv2 (distributor, CPU interface), the timers its guests
# see and their interrupt IDs (board.c, through $(BB)/board-facts.mk: the
# generic timer's virtual timer, PPI 27; the SP804 model; the A9 private
# timer model), and two SPIs with no device behind them (BOARD_TEST_SPIS in
# board.mk: IRQ_SPI_A/B, below ID 64) for software-pended tests.
ifneq ($(words $(BOARD_TEST_SPIS)),2)
$(error boards/$(BOARD)/board.mk: BOARD_TEST_SPIS must name two free SPIs for the test guests (docs/porting.md))
endif
GUEST_IRQ := -DGICD_BASE=$(BOARD_GICD_BASE) -DGICC_BASE=$(BOARD_GICC_BASE) \
             $(if $(filter 1,$(BOARD_GENERIC_TIMER)),-DIRQ_GTIMER=1 -DIRQ_ID_CNTV=27) \
             $(if $(BOARD_VSP804_BASE),-DIRQ_SP804_BASE=$(BOARD_VSP804_BASE) -DIRQ_ID_SP804=$(BOARD_VSP804_IRQ)) \
             $(if $(BOARD_VA9TIMER_BASE),-DIRQ_A9PT_BASE=$(BOARD_VA9TIMER_BASE) -DIRQ_ID_A9PT=$(BOARD_VA9TIMER_IRQ)) \
             -DIRQ_SPI_A=$(word 1,$(BOARD_TEST_SPIS)) -DIRQ_SPI_B=$(word 2,$(BOARD_TEST_SPIS))
GUEST_IRQ := $(strip $(GUEST_IRQ))
GUEST_CFLAGS_irq  := $(GUEST_IRQ)
# sleeper (timed waits) and hog (spins with IRQs masked): the same timers,
# and the guest-visible clock of tests/vclock.h
GUEST_CFLAGS_sleeper := $(GUEST_IRQ)
GUEST_CFLAGS_hog     := $(GUEST_IRQ)
# share (CPU share beside a reset loop): the same clock
GUEST_CFLAGS_share   := $(GUEST_IRQ)
# srfa: the SRFA page and FIT (PV only), a software-pended SPI
GUEST_CFLAGS_srfa    := $(GUEST_IRQ)
# attacker: real devices of the board that no guest is given
# (BOARD_TEST_REAL_DEVICES in board.mk)
GUEST_CFLAGS_attacker := -DREAL_DEVS=$(or $(BOARD_TEST_REAL_DEVICES),0)
# attack-hc (its GIC as a bad buffer), attack-gic: the board's GIC
GUEST_CFLAGS_attack-hc  := $(GUEST_IRQ)
GUEST_CFLAGS_attack-gic := $(GUEST_IRQ)
# bench: the GIC and the virtual timer for the interrupt-latency benchmark
GUEST_CFLAGS_bench   := $(GUEST_IRQ)

# the cp15 test's expected MIDR (BOARD_MIDR in board.mk)
ifeq ($(BOARD_MIDR),)
$(error boards/$(BOARD)/board.mk: no BOARD_MIDR: the cp15 test guest checks the exact MIDR (docs/porting.md))
endif
GUEST_MIDR  := $(BOARD_MIDR)

GUEST_CC      := $(CROSS_COMPILE)gcc
GUEST_OBJDUMP := $(CROSS_COMPILE)objdump
GUEST_BASE    := $(shell printf '0x%x' $$(( $(BOARD_RAM_BASE) + 0x100000 )))

GUEST_ARCH    := -marm -march=armv7-a -mfloat-abi=soft
GUEST_CFLAGS  := $(GUEST_ARCH) -O2 -g -std=gnu11 -Wall -Wextra -Werror \
                 -fno-common -mno-unaligned-access \
                 -I$(GS_DIR)/include -I$(GS_REPO)/include \
                 -DUART_BASE=$(BOARD_UART_BASE) -DRAM_BASE=$(BOARD_RAM_BASE) \
                 -DEXPECTED_MIDR=$(GUEST_MIDR) -DGUEST_BOARD=\"$(BOARD)\" \
                 -MMD -MP
GUEST_CFLAGS_native :=
GUEST_CFLAGS_pv     := -DPV=1
GUEST_LDFLAGS := $(GUEST_ARCH) -nostartfiles -specs=nano.specs \
                 -T $(GS_DIR)/lib/guest.ld -Wl,--defsym=__guest_base=$(GUEST_BASE) \
                 -Wl,--no-warn-rwx-segments
GUEST_LIBS    := -lc -lgcc

GUEST_LIB_SRCS := start.S console.c hcall.c exc.c syscalls.c
GUEST_DEPS_HDR := $(wildcard $(GS_DIR)/include/*.h) $(GS_DIR)/include/sensitive.S \
                  $(GS_REPO)/include/hv/pv-abi.h

guest_srcs    = $(notdir $(wildcard $(call guest_dir,$(1))/$(call guest_src,$(1)).c \
                                    $(call guest_dir,$(1))/$(call guest_src,$(1))_asm.S))
guest_objs    = $(addprefix $(GUEST_OUT)/obj/$(2)/$(1)/,$(addsuffix .o,$(basename $(call guest_srcs,$(1)))))
guest_libobjs = $(addprefix $(GUEST_OUT)/obj/$(1)/lib/,$(addsuffix .o,$(basename $(GUEST_LIB_SRCS))))

GUEST_ELFS := $(foreach n,$(GUEST_NAMES),$(foreach f,$(GUEST_FLAVOURS),$(GUEST_OUT)/$(n)-$(f).elf))
GUEST_PV_ONLY_ELFS := $(foreach n,$(GUEST_PV_ONLY),$(GUEST_OUT)/$(n)-pv.elf)
GUEST_BENCH_ELFS := $(foreach n,$(GUEST_BENCH),$(foreach f,$(GUEST_FLAVOURS),$(GUEST_OUT)/$(n)-$(f).elf))

.PHONY: guests guests-pv-only guests-bench guests-check-pv guests-selftest
guests: $(GUEST_ELFS)
guests-pv-only: $(GUEST_PV_ONLY_ELFS)
guests-bench: $(GUEST_BENCH_ELFS)

# no real non-trapping sensitive instruction left in the PV builds
guests-check-pv: guests
	$(GS_DIR)/check-pv.sh $(GUEST_OUT)

# native macro encodings == the assembler's own; PV flavour all SVC
guests-selftest:
	$(GS_DIR)/selftest/check-enc.sh $(CROSS_COMPILE)

# ---- per flavour: the preprocessed macro file for C, and the library ------
define GUEST_FLAVOUR_template
$(GUEST_OUT)/inc/$(1)/sensitive.inc: $(GS_DIR)/include/sensitive.S $(GS_REPO)/include/hv/pv-abi.h
	@mkdir -p $$(@D)
	$(GUEST_CC) -E -P -x assembler-with-cpp $(GUEST_CFLAGS_$(1)) -I$(GS_DIR)/include -I$(GS_REPO)/include $$< -o $$@

$(GUEST_OUT)/obj/$(1)/lib/%.o: $(GS_DIR)/lib/%.c $(GUEST_OUT)/inc/$(1)/sensitive.inc
	@mkdir -p $$(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) -Wa,-I$(GUEST_OUT)/inc/$(1) -c $$< -o $$@

$(GUEST_OUT)/obj/$(1)/lib/%.o: $(GS_DIR)/lib/%.S
	@mkdir -p $$(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(1)) -c $$< -o $$@
endef

# ---- per guest and flavour ---------------------------------------------------
# (the objects depend on this file: it holds their per-guest flags)
define GUEST_template
$(GUEST_OUT)/obj/$(2)/$(1)/%.o: $(call guest_dir,$(1))/%.c $(GUEST_OUT)/inc/$(2)/sensitive.inc $(GS_DIR)/guests.mk
	@mkdir -p $$(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(2)) $(GUEST_CFLAGS_$(1)) -Wa,-I$(GUEST_OUT)/inc/$(2) -c $$< -o $$@

$(GUEST_OUT)/obj/$(2)/$(1)/%.o: $(call guest_dir,$(1))/%.S $(GS_DIR)/guests.mk
	@mkdir -p $$(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(2)) $(GUEST_CFLAGS_$(1)) -c $$< -o $$@

$(GUEST_OUT)/$(1)-$(2).elf: $(call guest_objs,$(1),$(2)) $(call guest_libobjs,$(2)) $(GS_DIR)/lib/guest.ld
	$(GUEST_CC) $(GUEST_LDFLAGS) -Wl,-Map=$(GUEST_OUT)/$(1)-$(2).map \
		$(call guest_objs,$(1),$(2)) $(call guest_libobjs,$(2)) $(GUEST_LIBS) -o $$@
	$(GUEST_OBJDUMP) -d $$@ > $(GUEST_OUT)/$(1)-$(2).dis

$(GUEST_OUT)/$(1)-$(2).map $(GUEST_OUT)/$(1)-$(2).dis: $(GUEST_OUT)/$(1)-$(2).elf
endef

$(foreach f,$(GUEST_FLAVOURS),$(eval $(call GUEST_FLAVOUR_template,$(f))))
$(foreach n,$(GUEST_NAMES),$(foreach f,$(GUEST_FLAVOURS),$(eval $(call GUEST_template,$(n),$(f)))))
$(foreach n,$(filter-out $(GUEST_NAMES),$(GUEST_PV_ONLY)),$(eval $(call GUEST_template,$(n),pv)))
$(foreach n,$(filter-out $(GUEST_NAMES),$(GUEST_BENCH)),$(foreach f,$(GUEST_FLAVOURS),$(eval $(call GUEST_template,$(n),$(f)))))

-include $(shell find $(GUEST_OUT)/obj -name '*.d' 2>/dev/null)
