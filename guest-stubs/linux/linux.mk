# guest-stubs/linux/linux.mk - the paravirtualized Linux guest (issue 7,
# docs/linux-guest.md). Included by the top-level Makefile.
#   make linux     build (or reuse from the cache) the guest kernel, pvpatch it,
#                  and wrap its raw image for $(BOARD): $(GUEST_OUT)/linux-pv.elf
# A VM file names it as image `linux-pv` (configs/linux.vm), and its ext4
# image as a disk: disk=build/linux/rootfs.ext4 (configs/linux-virtio.vm).
LINUX_OUT    := build/linux
LINUX_PV_ELF := $(GUEST_OUT)/linux-pv.elf
# Linux's zImage/Image protocol: the image at RAM + TEXT_OFFSET (0x8000),
# entered with the MMU off at its first byte (Documentation/arm/booting.rst).
LINUX_LOAD   := $(shell printf '0x%x' $$(( $(BOARD_RAM_BASE) + 0x8000 )))

.PHONY: linux linux-kernel
linux: $(LINUX_PV_ELF) $(GUEST_OUT)/linux-pv-plain.elf $(LINUX_OUT)/rootfs.ext4

# Always asks build.sh, which returns at once when its cache is current.
linux-kernel: $(PVPATCH)
	guest-stubs/linux/build.sh $(LINUX_OUT) $(PVPATCH)

$(LINUX_OUT)/Image-pv $(LINUX_OUT)/Image-pv-plain $(LINUX_OUT)/Image-pv-noret $(LINUX_OUT)/Image $(LINUX_OUT)/rootfs.ext4: linux-kernel

# The raw image as an ELF the monitor's loader takes (one PT_LOAD at the
# guest-physical load address, entry at its first byte).
#   linux-pv.elf        fast paths on (SRFA, FIT, NOP'd TLB maintenance, and the
#                       return-to-user operation unless RET_USER=0)
#   linux-pv-plain.elf  plain PV rewrites only (make bench, fast paths off)
$(GUEST_OUT)/linux-pv-plain.elf: $(LINUX_OUT)/Image-pv-plain
# (and on RET_USER, which says which image it is: the one guest that depends
# on a switch; it sits with the shared guests, where the VM files find it, so
# RET_USER=0 and back rewrites it)
$(LINUX_PV_ELF): $(LINUX_OUT)/Image-pv$(if $(filter 0,$(RET_USER)),-noret) $(GUEST_OUT)/linux-ret-user
$(GUEST_OUT)/linux-ret-user: FORCE
	@mkdir -p $(dir $@)
	@echo 'RET_USER=$(RET_USER)' | cmp -s - $@ || echo 'RET_USER=$(RET_USER)' > $@
$(LINUX_PV_ELF) $(GUEST_OUT)/linux-pv-plain.elf:
	@mkdir -p $(dir $@)
	$(OBJCOPY) -I binary -O elf32-littlearm -B arm \
		--rename-section .data=.image,alloc,load,contents,code $< $@.o
	$(CROSS_COMPILE)ld -nostdlib -static -e $(LINUX_LOAD) --section-start=.image=$(LINUX_LOAD) \
		--no-warn-rwx-segments -o $@ $@.o
	@rm -f $@.o

# A VM file that names linux-pv makes the monitor depend on it.
ifneq ($(shell grep -s -E '^[^#]*guest[[:space:]]+[^[:space:]]+[[:space:]]+linux-pv[[:space:]]' $(VM)),)
$(VB)/guest_images.S: $(LINUX_PV_ELF)
endif
ifneq ($(shell grep -s -E '^[^#]*guest[[:space:]]+[^[:space:]]+[[:space:]]+linux-pv-plain' $(VM)),)
$(VB)/guest_images.S: $(GUEST_OUT)/linux-pv-plain.elf
endif
