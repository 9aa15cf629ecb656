# tools/pvpatch: the binary paravirtualizer, a host program (docs/pvpatch.md).
#   make pvpatch          -> build/host/pvpatch
# Included by the top-level Makefile and by tests/unit/unit.mk (which builds
# the same sources again with the sanitizers for test_pvpatch).
HOSTCC          ?= gcc
PVPATCH_DIR     := tools/pvpatch
PVPATCH_SRCS    := $(PVPATCH_DIR)/a32.c $(PVPATCH_DIR)/t32.c $(PVPATCH_DIR)/rewrite.c \
                   $(PVPATCH_DIR)/image.c $(PVPATCH_DIR)/pvpatch.c core/decode.c
PVPATCH_HDRS    := $(wildcard $(PVPATCH_DIR)/*.h) core/decode.h include/hv/pv-abi.h
PVPATCH_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude
PVPATCH_LIBS    := -lelf
PVPATCH         := build/host/pvpatch

.PHONY: pvpatch
pvpatch: $(PVPATCH)

$(PVPATCH): $(PVPATCH_SRCS) $(PVPATCH_DIR)/main.c $(PVPATCH_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(PVPATCH_CFLAGS) -o $@ $(PVPATCH_SRCS) $(PVPATCH_DIR)/main.c $(PVPATCH_LIBS)
