#!/usr/bin/env python3
"""Turn a VM configuration (configs/*.vm) into the monitor's guest image table.

    mkguests.py VMFILE GUEST_DIR RAM_IPA_BASE BOARD DTB_DIR HOST_RAM_SIZE LOAD_ADDR
                --layout ASM_OFFSETS_H [--board-dir DIR] [--external [--manifest FILE]]
                > guest_images.S
    mkguests.py --make-facts boards/NAME/board.c > board-facts.mk
                (the board's addresses and IRQs as make variables, for the
                Makefile: MAKE_FACTS below)

Every guest also gets a device tree describing its virtual machine, written
to DTB_DIR/guest-NAME.dts, compiled with dtc into guest-NAME.dtb next to it
and embedded next to its image.  The board's description (boards/BOARD, or
--board-dir) says what that machine holds: board.c's `board` initializer
(the UART at uart_base) and its table of guest devices (struct board_vdev:
{ "sp804", BASE, IRQ }, ..., "virtio" for the virtio slots) give the devices
a guest may have with their addresses and interrupts; each device's node is
its descriptor's template (VDEV_TYPE's dt_node, drivers/emul/*.c:
read_vdev_types() below); board.mk's BOARD_DT_* give the device tree's
compatible strings, clocks, node order and the templates' board KEYs.

VM file lines:  guest NAME IMAGE RAM_MIB [options]   ('#' starts a comment)
  NAME    a short label used on the console
  IMAGE   an ELF file: a path, or the name of a guest built into GUEST_DIR
          (GUEST_DIR/IMAGE.elf)
  RAM_MIB guest RAM in MiB (1..GUEST_RAM_MAX_MIB), seen by the guest at
          RAM_IPA_BASE
  coherence=tlb|wp  how shadow page tables follow the guest's tables:
          tlb (default) on the guest's TLB maintenance, wp by write-protecting
          them
  spaces=N  how many shadow address spaces the monitor caches for it (1 to
          SHADOW_SPACES_MAX, default SHADOW_SPACES_DEFAULT, mm/shadow.h): one
          per address space it switches among (a Linux guest: about its
          number of processes), each 16 KiB of the monitor's memory, reserved
          at boot (docs/memory-map.md)
  devices=LIST  the optional devices it gets, comma separated (default: all
          the board offers: the UART and the types its table places), or
          none; or devices=-NAME,-NAME: all but those.  NAME: a registered
          type's vm_name (uart, sp804, a9timer, ...); an unknown one is
          refused.  The GIC and the generic timer (qemu-virt) are always there
  virtio=LIST  virtio-mmio devices, comma separated: console, blk (a blank
          256 KiB RAM disk), net (on the VM's switch), balloon (memory the
          guest gives back, docs/devices.md); boards with virtio slots
          (a "virtio" entry in board.c's table)
  disk=PATH[:ro]  its virtio-blk disk is this image file (implies blk):
          embedded with the monitor, right after the monitor's HV_RAM_SIZE of
          RAM (the guests' RAM follows the disks), held in host RAM for the
          life of the monitor (it survives a guest's reset); :ro = read-only.
          Each guest gets its own copy.  At most GUEST_DISK_MAX_MIB per disk.
  disk=host:OFFSET_MIB:SIZE_MIB[:ro]  its virtio-blk disk is SIZE_MIB MiB of
          the host disk from OFFSET_MIB on (implies blk): on qemu-virt the
          monitor drives QEMU's own -device virtio-blk-device (board.c:
          hostvirtio_base), so what the guest writes survives a restart of
          the machine.  Slices of the guests of one VM must not overlap;
          the slice ends at most at GUEST_HOSTDISK_MAX_MIB; the monitor
          checks it against the disk's capacity at boot.  In a VM with a
          host disk no guest may be assigned those transports (assign=).
  mac=52:54:00:XX:XX:XX  its virtio-net MAC address (implies net; default
          52:54:00:00:00:<index+1>): unicast, unique in the VM
  assign=0xBASE:0xSIZE[:IRQ][:dma-trusted]  a host device handed to this
          guest (device assignment, docs/devices.md): its MMIO range is mapped
          into the guest at the same address (IPA == PA) as Device memory;
          BASE and SIZE hexadecimal, 4 KiB aligned, inside the board's device
          space (BOARD_DEVICE_SPACE in board.mk), clear of the board's RAM,
          of everything the monitor drives itself and of the guests' emulated
          devices (read from boards/BOARD/board.c: board_facts() below),
          and of every other guest's assignment.  IRQ (decimal): its
          interrupt, an SPI (32..VGIC_NR_IRQS-1) that neither the monitor
          nor an emulated device nor another assignment uses: routed to
          this guest's virtual GIC only (core/virq.c).
          dma-trusted: required when the range holds a device that can master
          DMA (BOARD_DMA_DEVICES in board.mk): without an IOMMU it can
          reach all memory (docs/security.md).  At most one per guest.
  backing=demand  its RAM is backed by the monitor at first touch, 1 MiB at
          a time, from the pool of host RAM no static guest holds, and goes
          back to the pool when it exits, is stopped or reset (mm/gpmap.c,
          docs/memory-map.md); RAM_MIB is its maximum.  Not with at=.
  backing=static  the default: RAM placed here, at build time.
  min=MIB  (backing=demand) RAM guaranteed to it, reserved when it is
          loaded (default 0): above it, a guest that finds the pool dry is
          stopped.  The minimums must fit beside the static guests.
  at=0xADDR  host physical address of the guest's RAM (1 MiB aligned); by
          default guests are packed, in order, after the monitor
  bootargs=WORD[,WORD...]  extra words for the kernel command line in the
          guest's device tree (/chosen/bootargs), after the default console
  cmdline=WORD[,WORD...]  the whole kernel command line instead (commas
          become spaces; cmdline= alone: an empty one); not with bootargs=
  initrd=0xSTART:0xEND  an initramfs (or initrd) that the guest's own image
          loads at IPA [START, END) (one of its ELF segments): its device
          tree's /chosen gets linux,initrd-start and linux,initrd-end, so a
          Linux kernel unpacks it beside its built-in initramfs.  Inside
          its RAM, below the device tree.
Numbers are decimal without leading zeros (a leading 0 would read as octal to
the assembler); image paths may only hold letters, digits and _./+,@=:~-
(they are written into the monitor's assembler source).
Other lines:  slice_ms N   the scheduling time slice (VM_SLICE_MS_MIN to
VM_SLICE_MS_MAX, default VM_SLICE_MS_DEFAULT)
  board_ram_mib N   the board has N MiB of RAM from its RAM base, not
          board.c's ram_size (BOARD_RAM_MIN_MIB to BOARD_RAM_MAX_MIB): QEMU
          run with -m, a board with more fitted; before the guest lines
The monitor's own memory (HV_RAM_SIZE) must hold what it reserves for the
guests at load (mm/shadow.h: shadow L1 tables, SHADOW_BYTES_PER_PAGE per
page, SHADOW_BYTES_PER_PAGE_WP more with coherence=wp, SHADOW_BYTES_PER_MIB
per MiB, the L2 pool; the demand map) beside its image and the embedded
guest images: a VM that cannot fit is refused at its guest line (the
monitor checks again, exactly, at boot).

The C facts come from the C sources, never typed here: MAX_GUESTS, the
GUEST_F_* bits (which name the virtio devices), the device types (their
VM-file names, device-tree nodes and windows: VDEV_TYPE descriptors in
drivers/emul/*.c and core/*.c; the left-out ones go into struct
guest_image's nodev), the RAM, disk
and slice limits (core/guest.h), the monitor's RAM (HV_RAM_SIZE,
arch/arm/include/arch/memmap.h), the virtual GIC's interrupts (VGIC_NR_IRQS,
drivers/emul/vgic.h), the shadow spaces per guest (SHADOW_SPACES_MAX and
_DEFAULT, mm/shadow.h), the number of virtio slots (core/virtio_dev.c's enum
SLOT_*, NSLOTS), and the field order and sizes of struct
guest_image, which the build extracts with the compiler into asm-offsets.h
(GIMG_OFF_* / GIMG_LEN_*, arch/arm/asm-offsets.c).

Memory is partitioned statically, here: every guest's host RAM range is fixed
at build time and checked against the board's RAM, the monitor and the other
guests, with a clear error (VMFILE:LINE: ...) on any overlap.  Guests with
backing=demand get no range (PA 0 in the table) but their minimum (min=,
struct guest_image's ram_min); the sum of the minimums must fit in what the
monitor (HV_RAM_SIZE), the disk images and the static guests leave.

Guest images (each ELF file once, each guest's DTB) are embedded outside the
monitor's window: in .guest_images, which linker.ld loads after the monitor's
HV_RAM_SIZE and the disk images; the static guests' RAM is packed after
them.  The monitor keeps them there and loads guests from them by physical
address (core/gimage.c), so an image may be as large as its guest's RAM
(less the GUEST_DTB_AREA_SIZE its device tree takes at the top); a bigger
one, or images beyond the board's RAM, are refused here.

--external (`make fit`): the images are not embedded.  Each guest ELF and DTB
gets a fixed host physical address above everything else (64 KiB aligned,
after the monitor and the guests' RAM), where the boot loader puts them (the
FIT image's loadables, tools/mkits.sh); the table holds those addresses
and the monitor loads the guests from there (and again at a reset).
--manifest names a file that receives one line per image, "elf|dtb NAME FILE
PA", and a last line "end - - PA" (the first free address after them).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

MIB = 0x100000
DISK_ALIGN = 0x1000     # each disk image 4 KiB aligned (core/virtio_dev.c)
# A lower bound of the monitor's own code, data and .bss without guest
# images (the default qemu-virt build: 294 KiB): with it, the check of the
# monitor's memory (monitor_memory()) refuses only VMs that cannot fit.
MONITOR_IMAGE_MIN = 256 * 1024
STAGE_ALIGN = 0x10000   # external images 64 KiB aligned (tools/mkits.sh)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class VMError(Exception):
    """A bad input; str() is the whole message, with file:line when known."""

    def __init__(self, where, msg):
        super().__init__("mkguests: %s: %s" % (where, msg) if where else "mkguests: " + msg)


def hexa(v):
    return "0x%08x" % v


# --- facts from the C headers ------------------------------------------------

_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)[ \t]+(.*?)\s*$")
_INT = re.compile(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b")


def read_defines(path):
    """The object-like #defines of a C header: {name: text of the value}."""
    defs = {}
    with open(path) as f:
        text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    for line in text.splitlines():
        m = _DEFINE.match(re.sub(r"//.*", "", line))
        if m:
            defs[m.group(1)] = m.group(2)
    return defs


def eval_define(defs, name, seen=()):
    """The integer value of a #define made of numbers, other such #defines
    and + - * / << >> | & ( )."""
    if name not in defs:
        raise KeyError(name)
    if name in seen:
        raise ValueError("#define %s refers to itself" % name)
    def number(m):                      # C literals: 0x.., 0.. octal, decimal
        t = m.group(1)
        return str(int(t, 16) if t[:2] in ("0x", "0X") else int(t, 8) if t[0] == "0" else int(t))
    expr = _INT.sub(number, defs[name])

    def ref(m):
        if m.group(0) not in defs:
            raise ValueError("#define %s %s: '%s' is not a #define here" % (name, defs[name], m.group(0)))
        return str(eval_define(defs, m.group(0), seen + (name,)))
    expr = re.sub(r"[A-Za-z_]\w*", ref, expr)
    if not expr.strip() or not re.fullmatch(r"[\d\s+\-*/<>|&()~]*", expr):
        raise ValueError("#define %s %s is not a constant expression" % (name, defs[name]))
    return int(eval(expr.replace("/", "//"), {"__builtins__": {}}))


class CFacts:
    """The constants the monitor's C code fixes and this tool must obey."""

    def __init__(self, src=ROOT):
        guest_h = os.path.join(src, "core", "guest.h")
        headers = (guest_h, os.path.join(src, "arch", "arm", "include", "arch", "memmap.h"),
                   os.path.join(src, "drivers", "emul", "virtio_mmio.h"),
                   os.path.join(src, "drivers", "emul", "virtio_blk.h"),
                   os.path.join(src, "drivers", "emul", "vgic.h"),
                   os.path.join(src, "mm", "shadow.h"))
        defs = {}
        for h in headers:
            defs.update(read_defines(h))
        self.defs = defs

        def get(name):
            try:
                return eval_define(defs, name)
            except KeyError:
                raise VMError(None, "no #define %s in %s" % (name, ", ".join(headers)))
        self.max_guests = get("MAX_GUESTS")
        self.hv_ram_size = get("HV_RAM_SIZE")
        self.ram_max_mib = get("GUEST_RAM_MAX_MIB")
        self.board_ram_max_mib = get("BOARD_RAM_MAX_MIB")
        self.board_ram_min_mib = get("BOARD_RAM_MIN_MIB")
        self.window_base = get("HV_WINDOW_BASE")
        self.window_size = get("HV_WINDOW_SIZE")
        self.shadow_per_page = get("SHADOW_BYTES_PER_PAGE")
        self.shadow_per_page_wp = get("SHADOW_BYTES_PER_PAGE_WP")
        self.shadow_per_mib = get("SHADOW_BYTES_PER_MIB")
        self.shadow_l1 = get("SHADOW_L1_BYTES")
        self.shadow_l2_pool = get("SHADOW_L2_TABLES") * 1024
        self.disk_max_mib = get("GUEST_DISK_MAX_MIB")
        self.slice_min = get("VM_SLICE_MS_MIN")
        self.slice_max = get("VM_SLICE_MS_MAX")
        self.slice_default = get("VM_SLICE_MS_DEFAULT")
        self.f_coh_wp = get("GUEST_F_COH_WP")
        self.f_disk_ro = get("GUEST_F_DISK_RO")
        self.f_dma_trusted = get("GUEST_F_DMA_TRUSTED")
        self.f_demand = get("GUEST_F_DEMAND")
        self.f_disk_host = get("GUEST_F_DISK_HOST")
        self.hostdisk_max_mib = get("GUEST_HOSTDISK_MAX_MIB")
        self.dtb_area = get("GUEST_DTB_AREA_SIZE")
        self.spaces_max = get("SHADOW_SPACES_MAX")
        self.spaces_default = get("SHADOW_SPACES_DEFAULT")
        self.vgic_nr_irqs = get("VGIC_NR_IRQS")
        self.nslots = self._virtio_slots(os.path.join(src, "core", "virtio_dev.c"))
        self.virtio_mmio_size = get("VIRTIO_MMIO_SIZE")
        self.sector = get("VIRTIO_BLK_SECTOR")
        # GUEST_F_VIRTIO_<DEV>: the virtio devices, named by the suffix, in
        # the order of their bits.
        self.virtio = self._bits(defs, "GUEST_F_VIRTIO_")
        # The registered device types (VDEV_TYPE descriptors, core/vdev.h):
        # their VM-file names and device-tree nodes.
        self.types = read_vdev_types(src, defs)
        for need in ("blk", "net"):
            if need not in self.virtio:
                raise VMError(None, "no #define GUEST_F_VIRTIO_%s in %s" % (need.upper(), guest_h))

    @staticmethod
    def _virtio_slots(path):
        """How many virtio slots core/virtio_dev.c places: the members of its
        `enum { SLOT_..., NSLOTS };` before NSLOTS."""
        with open(path) as f:
            m = re.search(r"^enum\s*\{\s*((?:SLOT_\w+\s*,\s*)+)NSLOTS\s*\};", f.read(), re.M)
        if not m:
            raise VMError(None, "%s: no `enum { SLOT_..., NSLOTS };`" % path)
        return m.group(1).count(",")

    @staticmethod
    def _bits(defs, prefix):
        bits = {n[len(prefix):].lower(): eval_define(defs, n) for n in defs if n.startswith(prefix)}
        return dict(sorted(bits.items(), key=lambda kv: kv[1]))


# --- device-type descriptors (VDEV_TYPE, core/vdev.h) ------------------------
# Each device model registers itself with `VDEV_TYPE(sym) = { .field = value,
# ... };`.  This tool reads from that initializer what a VM file and a
# device tree need (nothing is typed here):
#   .name = "..."       its console name
#   .vm_name = "..."    its devices= name, and its key in the board's table
#   .dt_node = "..." "..."  its device-tree node template (core/vdev.h)
#   .mmio_size = EXPR   its window (the template's %SIZE%)
#   .place = fn         the type places itself (only the console's rule,
#                       OWN_PLACE below, is known here)
# Values are string literals (adjacent ones joined, escapes \n \t \" \\) or
# constant expressions of numbers and #defines; anything else in these fields
# is refused with FILE:LINE.  Files: drivers/emul/*.c then core/*.c, each in
# name order (the Makefile links drivers/emul/ in name order: the registry
# order).

class VdevType:
    def __init__(self, sym, where):
        self.sym, self.where = sym, where
        self.name = self.vm_name = self.dt_node = None
        self.mmio_size = None
        self.has_place = False


_C_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def _strip_comments_keep_lines(text):
    """C text with comments blanked (newlines kept, so offsets keep their
    line) and string literals left alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _split_top(body):
    """(offset, item) of each comma-separated item of an initializer body,
    commas inside strings, parentheses and braces not splitting."""
    items, depth, start, i = [], 0, 0, 0
    while i < len(body):
        c = body[i]
        if c == '"':
            i += 1
            while i < len(body) and body[i] != '"':
                i += 2 if body[i] == "\\" else 1
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            items.append((start, body[start:i]))
            start = i + 1
        i += 1
    items.append((start, body[start:]))
    return [(o + len(t) - len(t.lstrip()), t.strip()) for o, t in items if t.strip()]


def c_string(text):
    """The value of one or more adjacent C string literals; None if TEXT is
    anything else."""
    out, i, text = [], 0, text.strip()
    if not text.startswith('"'):
        return None
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text[i] != '"':
            return None
        i += 1
        while i < len(text) and text[i] != '"':
            if text[i] == "\\":
                if i + 1 >= len(text) or text[i + 1] not in _C_ESCAPES:
                    return None
                out.append(_C_ESCAPES[text[i + 1]])
                i += 2
            else:
                out.append(text[i])
                i += 1
        if i >= len(text):
            return None
        i += 1
    return "".join(out)


def read_vdev_file(path, defs, name=None):
    """The VDEV_TYPE descriptors of one C file: [VdevType]; messages name
    the file `name` (default: path)."""
    with open(path) as f:
        raw = f.read()
    text = _strip_comments_keep_lines(raw)
    fdefs = dict(defs, **read_defines(path))
    path = name or path
    types = []
    for m in re.finditer(r"\bVDEV_TYPE\s*\(\s*(\w*)\s*\)", text):
        if re.match(r"\s*#\s*define", text[text.rfind("\n", 0, m.start()) + 1:m.start()] or ""):
            continue
        line = text.count("\n", 0, m.start()) + 1
        where = "%s:%d" % (path, line)
        t = VdevType(m.group(1), where)
        head = re.compile(r"\s*=\s*\{").match(text, m.end())
        end = text.find("\n};", m.end())
        if not m.group(1) or not head or end < 0:
            raise VMError(where, "VDEV_TYPE(%s): expected `VDEV_TYPE(sym) = { .field = value, ... };` "
                          "(core/vdev.h)" % m.group(1))
        body_at = head.end()
        for off, item in _split_top(text[body_at:end]):
            at = "%s:%d" % (path, text.count("\n", 0, body_at + off) + 1)
            fm = re.fullmatch(r"\.(\w+)\s*=\s*(.+)", item, re.S)
            if not fm:
                raise VMError(at, "VDEV_TYPE(%s): '%s' is not `.field = value`" % (t.sym, item.split("\n")[0]))
            field, value = fm.group(1), fm.group(2).strip()
            if field in ("name", "vm_name", "dt_node"):
                s = c_string(value)
                if s is None:
                    raise VMError(at, "VDEV_TYPE(%s): .%s must be string literals, not '%s'"
                                  % (t.sym, field, value.split("\n")[0]))
                setattr(t, field, s)
            elif field == "mmio_size":
                try:
                    t.mmio_size = eval_define(dict(fdefs, _mmio_size=value), "_mmio_size")
                except ValueError:
                    t.mmio_size = value           # refused below if its template needs it
            elif field == "place":
                t.has_place = True
        if t.vm_name is not None and not re.fullmatch(r"[a-z][a-z0-9]*", t.vm_name):
            raise VMError(t.where, "VDEV_TYPE(%s): .vm_name \"%s\": lower-case letters and digits "
                          "(a devices= word)" % (t.sym, t.vm_name))
        if t.dt_node is not None:
            if t.vm_name is None:
                raise VMError(t.where, "VDEV_TYPE(%s): a .dt_node needs a .vm_name (the board places "
                              "the node by it)" % t.sym)
            if not isinstance(t.mmio_size, int):
                raise VMError(t.where, "VDEV_TYPE(%s): .mmio_size %s: not a constant expression (the "
                              "device tree's %%SIZE%%)" % (t.sym, t.mmio_size))
            if not t.dt_node.endswith("\n"):
                raise VMError(t.where, "VDEV_TYPE(%s): .dt_node must end with \\n" % t.sym)
        types.append(t)
    return types


def read_vdev_types(src, defs):
    """Every VDEV_TYPE of the monitor's sources, in registry order; a
    vm_name given twice is refused."""
    types, seen = [], {}
    for d in ("drivers/emul", "core"):
        full = os.path.join(src, d)
        if not os.path.isdir(full):
            continue
        for f in sorted(os.listdir(full)):
            if f.endswith(".c"):
                # named from the source tree's top, as the Makefile names it
                for t in read_vdev_file(os.path.join(full, f), defs, d + "/" + f):
                    if t.vm_name in seen:
                        raise VMError(t.where, "VDEV_TYPE(%s): .vm_name \"%s\" is already %s's (%s)"
                                      % (t.sym, t.vm_name, seen[t.vm_name].sym, seen[t.vm_name].where))
                    if t.vm_name:
                        seen[t.vm_name] = t
                    types.append(t)
    return types


def read_layout(path):
    """struct guest_image from asm-offsets.h: [(field, offset, bytes)] in
    memory order, checked to be gapless and to fill GIMG_SIZE."""
    defs = read_defines(path)
    fields = []
    for name in defs:
        if name.startswith("GIMG_OFF_"):
            f = name[len("GIMG_OFF_"):]
            if "GIMG_LEN_" + f not in defs:
                raise VMError(None, "%s: GIMG_OFF_%s without GIMG_LEN_%s" % (path, f, f))
            fields.append((f.lower(), eval_define(defs, name), eval_define(defs, "GIMG_LEN_" + f)))
    if "GIMG_SIZE" not in defs or not fields:
        raise VMError(None, "%s: no struct guest_image layout (GIMG_SIZE, GIMG_OFF_*, GIMG_LEN_*; "
                      "arch/arm/asm-offsets.c)" % path)
    fields.sort(key=lambda t: t[1])
    at = 0
    for f, off, n in fields:
        if off != at:
            raise VMError(None, "%s: struct guest_image has a gap before '%s' (offset %d, expected %d)"
                          % (path, f, off, at))
        at += n
    if at != eval_define(defs, "GIMG_SIZE"):
        raise VMError(None, "%s: struct guest_image fields cover %d bytes of GIMG_SIZE %d"
                      % (path, at, eval_define(defs, "GIMG_SIZE")))
    return fields


def table_entry(layout, values):
    """Assembly for one struct guest_image: runs of 32-bit fields as one
    .word line, byte arrays as a .byte line (padded with zeros)."""
    lines, words = [], []
    for f, _, n in layout:
        if f not in values:
            raise VMError(None, "struct guest_image has a field '%s' that mkguests.py does not fill" % f)
        v = values[f]
        if isinstance(v, list):
            if len(v) > n:
                raise VMError(None, "struct guest_image field '%s' holds %d bytes, not %d" % (f, n, len(v)))
            if words:
                lines.append("    .word " + ", ".join(words))
                words = []
            lines.append("    .byte " + ", ".join(v + ["0"] * (n - len(v))))
        elif n == 4:
            words.append(v)
        else:
            raise VMError(None, "struct guest_image field '%s' is %d bytes: mkguests.py writes "
                          "32-bit words and byte arrays" % (f, n))
    if words:
        lines.append("    .word " + ", ".join(words))
    return "\n" + "\n".join(lines)


# --- reading the VM file ------------------------------------------------------

IMAGE_CHARS = re.compile(r"[A-Za-z0-9_./+,@=:~-]*")
DISK_CHARS = re.compile(r"[A-Za-z0-9_./+-]*")
NAME_CHARS = re.compile(r"[A-Za-z0-9_.-]+")
ARGS_CHARS = re.compile(r"[A-Za-z0-9_.,=:/@+ -]*")
MAC_RE = re.compile(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")
KNOWN_OPTIONS = ("coherence=tlb, coherence=wp, spaces=N, devices=LIST, virtio=LIST, disk=PATH[:ro], "
                 "disk=host:OFFSET_MIB:SIZE_MIB[:ro], "
                 "mac=XX:XX:XX:XX:XX:XX, assign=0xBASE:0xSIZE[:IRQ][:dma-trusted], at=0xADDR, "
                 "backing=demand, min=MIB, bootargs=WORDS, cmdline=WORDS, initrd=0xSTART:0xEND")
ASSIGN_SYNTAX = "assign=0xBASE:0xSIZE[:IRQ][:dma-trusted]"
PAGE = 0x1000           # assignment granularity: the shadow tables map pages


def vm_lines(text):
    """(line number, words) of each line, comments stripped; words are
    separated by blanks and tabs only (anything else is part of a word, and
    refused there)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [(i, [w for w in re.split(r"[ \t]+", line.split("#", 1)[0]) if w])
            for i, line in enumerate(lines, 1)]


def decimal(s):
    return s.isdigit() and s.isascii()


class Board:
    """The board as the VM file sees it: its RAM, where the monitor sits,
    the optional devices and virtio slots its guests may have, and (dt) what
    their device trees say."""

    def __init__(self, name, ram_base, ram_size, load_addr, devices, virtio, dt=None,
                 device_space="", dma_devices="", facts=None, hostvirtio=(0, 0)):
        self.name = name
        # disk=host: the machine's virtio-mmio transports where the monitor
        # finds its host disk (board.c hostvirtio_base, hostvirtio_count)
        self.hostvirtio = hostvirtio
        # assign=: BOARD_DEVICE_SPACE and BOARD_DMA_DEVICES (board.mk), as
        # written ("BASE:SIZE ..."), and what the monitor keeps (a callable
        # giving board_facts(), read when a guest first assigns a device).
        self.device_space = device_space.split()
        self.dma_devices = dma_devices.split()
        self.facts = facts or (lambda: [])
        self.ram_base_text = ram_base            # written as given into the table
        self.ram_lo = int(ram_base, 0)
        self.ram_hi = self.ram_lo + int(ram_size, 0)
        self.load = int(load_addr, 0)
        self.devices = devices.split() if isinstance(devices, str) else list(devices)
        self.virtio = virtio.split() if isinstance(virtio, str) else list(virtio)
        self.dt = dt


# --- the board description: boards/NAME/board.c and board.mk ------------------

def read_board_c(path):
    """The numbers of board.c's `const struct board_desc board = {...}`
    initializer ({field: int}; true/false as 1/0; strings left out)."""
    return read_board_c_full(path)[0]


def read_board_c_full(path):
    """read_board_c(), and board.c's #defines and text (comments removed)."""
    with open(path) as f:
        text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", f.read(), flags=re.S)
    m = re.search(r"struct\s+board_desc\s+board\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        raise VMError(None, "%s: no `const struct board_desc board = { ... };`" % path)
    defs = read_defines(path)
    fields = {}
    for name, value in re.findall(r"\.(\w+)\s*=\s*([^,\"]+?)\s*(?:,|$)", m.group(1)):
        defs["board." + name] = {"true": "1", "false": "0"}.get(value, value)
        try:
            fields[name] = eval_define(defs, "board." + name)
        except ValueError:
            pass
    return fields, defs, text


def read_board_vdevs(path):
    """board.c's table of the guests' devices (struct board_vdev, include/
    hv/board.h), the one the initializer's .vdevs names: {name: (base, irq,
    line)} in table order ({} without .vdevs).  Each entry is
    { "NAME", BASE, IRQ } with constant expressions, the last { NULL, 0, 0 };
    anything else is refused with board.c:LINE."""
    with open(path) as f:
        raw = f.read()
    text = _strip_comments_keep_lines(raw)
    m = re.search(r"struct\s+board_desc\s+board\s*=\s*\{(.*?)\n\};", text, re.S)
    ref = re.search(r"\.vdevs\s*=\s*(\w+)\s*,", m.group(1)) if m else None
    if not ref:
        return {}
    name = ref.group(1)
    t = re.search(r"struct\s+board_vdev\s+%s\s*\[\s*\]\s*=\s*\{" % name, text)
    if not t:
        raise VMError("%s:%d" % (path, text.count("\n", 0, m.start(1) + ref.start()) + 1),
                      ".vdevs = %s: no `static const struct board_vdev %s[] = { ... };` before it" % (name, name))
    end = text.find("\n};", t.end())
    defs = read_defines(path)
    out, ended = {}, False
    for off, item in _split_top(text[t.end():end if end >= 0 else len(text)]):
        where = "%s:%d" % (path, text.count("\n", 0, t.end() + off) + 1)
        e = re.fullmatch(r"\{\s*(\"[^\"]*\"|NULL|0)\s*,\s*([^,{}]+?)\s*,\s*([^,{}]+?)\s*,?\s*\}", item, re.S)
        if not e or ended:
            raise VMError(where, "%s[]: '%s': expected { \"NAME\", BASE, IRQ } entries ending with { NULL, 0, 0 }"
                          % (name, " ".join(item.split())))
        if e.group(1) in ("NULL", "0"):
            ended = True
            continue
        dev = e.group(1)[1:-1]
        vals = []
        for v in (e.group(2), e.group(3)):
            try:
                vals.append(eval_define(dict(defs, _entry=v), "_entry"))
            except ValueError:
                raise VMError(where, "%s[]: { \"%s\", ... }: %s is not a constant expression" % (name, dev, v))
        if dev in out:
            raise VMError(where, "%s[]: \"%s\" is in the table twice" % (name, dev))
        out[dev] = (vals[0], vals[1], where)
    if not ended:
        raise VMError("%s:%d" % (path, text.count("\n", 0, t.start()) + 1),
                      "%s[]: the table must end with { NULL, 0, 0 }" % name)
    return out


def map_device_args(text):
    """The argument of every arch_map_device(...) call in C text."""
    args = []
    for m in re.finditer(r"\barch_map_device\s*\(", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        args.append(text[m.end():i - 1].strip())
    return args


def board_facts(name, c, defs, text, nslots, vdevs=None):
    """What the board's monitor keeps for itself, from board.c: [(kind, lo,
    size, what)] with kind 'mon' (a range the monitor itself drives: its UART,
    the GIC, every device board.c maps with arch_map_device), 'emu' (where
    each guest finds an emulated device: core/virq.c, core/virtio_dev.c) or
    'irq' (lo: an interrupt ID the monitor takes or gives guests; size 0).
    Ranges are rounded out to whole 4 KiB pages (assignment granularity)."""
    facts = []

    def page(kind, lo, size, what):
        hi = (lo + size + PAGE - 1) & ~(PAGE - 1)
        lo &= ~(PAGE - 1)
        facts.append((kind, lo, hi - lo, what))

    def field(f):
        return c.get(f, 0)
    uart, gicd, gicc = field("uart_base"), field("gic_dist_base"), field("gic_cpu_base")
    gicc_size = field("gic_cpu_size") or PAGE
    page("mon", uart, PAGE, "the monitor's UART")
    page("mon", gicd, PAGE, "the GIC distributor")
    page("mon", gicc, gicc_size, "the GIC CPU interface")
    # Every other device the board code maps for the monitor (its timers).
    for arg in map_device_args(text):
        if arg.startswith("board."):
            v = field(arg[len("board."):])
        else:
            defs = dict(defs, map_device_arg=arg)
            try:
                v = eval_define(defs, "map_device_arg")
            except ValueError as e:
                raise VMError(None, "boards/%s/board.c: arch_map_device(%s): not a constant expression (%s)"
                              % (name, arg, e))
        page("mon", v, 1, "a device of the monitor (boards/%s/board.c: arch_map_device)" % name)
    # Each guest's emulated devices sit at the board's addresses.
    page("emu", uart, PAGE, "the guests' emulated UART")
    page("emu", gicd, PAGE, "the guests' virtual GIC distributor")
    page("emu", gicc, gicc_size, "the guests' virtual GIC CPU interface")
    vdevs = vdevs or {}
    for dev, (base, _, _) in vdevs.items():         # board.c's table of guest devices
        if dev != "virtio":
            page("emu", base, 1, "the guests' emulated %s window" % dev)
    if field("vsysregs_base"):
        page("emu", field("vsysregs_base"), 1, "the guests' emulated sysregs window")
    irqs = []
    if "virtio" in vdevs:
        # as many 0x200-byte slots as core/virtio_dev.c places
        vbase, virq, _ = vdevs["virtio"]
        page("emu", vbase, nslots * 0x200, "the guests' virtio slots")
        irqs += [(virq + i, "the guests' virtio slot %d" % i) for i in range(nslots)]
    irqs.append((field("timer_irq"), "the monitor's scheduling tick"))
    if field("deadline_irq"):
        irqs.append((field("deadline_irq"), "the monitor's deadline timer"))
    irqs.append((field("uart_irq"), "the monitor's UART"))
    for dev, (_, irq, _) in vdevs.items():
        if dev != "virtio" and irq:
            irqs.append((irq, "the guests' emulated %s" % dev))
    return facts + [("irq", n, 0, what) for n, what in irqs]


# --- make-level facts (tools/mkguests.py --make-facts BOARD_C) ----------------
# The make variables the build and the tests take from board.c (the Makefile
# includes the file this writes: $(BB)/board-facts.mk).  Each: (variable,
# board.c field, required, format); a field "NAME.base" / "NAME.irq" is the
# entry NAME of board.c's table of guest devices (read_board_vdevs).
# Addresses are written 0x%08X, numbers in decimal; an optional field board.c
# leaves out gives an empty value.
MAKE_FACTS = [
    ("BOARD_RAM_BASE", "ram_base", True, "addr"),
    ("BOARD_RAM_SIZE", "ram_size", True, "addr"),
    ("BOARD_UART_BASE", "uart_base", True, "addr"),
    ("BOARD_UART_IRQ", "uart_irq", True, "dec"),
    ("BOARD_GICD_BASE", "gic_dist_base", True, "addr"),
    ("BOARD_GICC_BASE", "gic_cpu_base", True, "addr"),
    # the timers the guests see (core/virq.c): the SP804 model, the A9
    # private timer model, the generic timer (1 or 0)
    ("BOARD_VSP804_BASE", "sp804.base", False, "addr"),
    ("BOARD_VSP804_IRQ", "sp804.irq", False, "dec"),
    ("BOARD_VA9TIMER_BASE", "a9timer.base", False, "addr"),
    ("BOARD_VA9TIMER_IRQ", "a9timer.irq", False, "dec"),
    ("BOARD_GENERIC_TIMER", "generic_timer", False, "bool"),
    # the guests' virtio-mmio slots (core/virtio_dev.c): first slot, its ID
    ("BOARD_VIRTIO_BASE", "virtio.base", False, "addr"),
    ("BOARD_VIRTIO_IRQ", "virtio.irq", False, "dec"),
]


def board_init_line(path, field=None):
    """The line of board.c where `struct board_desc board = {` starts (1 if
    absent), or where its .FIELD is set."""
    with open(path) as f:
        raw = f.read()
    m = re.search(r"struct\s+board_desc\s+board\s*=\s*\{", raw)
    if not m:
        return 1
    at = m.start()
    if field:
        f = re.compile(r"\.%s\s*=" % field).search(raw, m.end())
        at = f.start() if f else at
    return raw.count("\n", 0, at) + 1


def make_facts(path):
    """The text of board-facts.mk for the board.c at PATH; VMError with
    PATH:LINE when a required field is missing or not a constant."""
    try:
        fields, defs, _ = read_board_c_full(path)
    except VMError:
        raise VMError(None, "%s:1: no `const struct board_desc board = { ... };`" % path)
    where = "%s:%d" % (path, board_init_line(path))
    for dev, (base, irq, _) in read_board_vdevs(path).items():
        fields[dev + ".base"], fields[dev + ".irq"] = base, irq
    out = ["# Generated by tools/mkguests.py --make-facts from %s: do not edit." % path,
           "# (edit board.c: the one description of the board's addresses and IRQs)"]
    for var, field, required, fmt in MAKE_FACTS:
        if "board." + field in defs and field not in fields:
            raise VMError(None, "%s:%d: .%s = %s: not a constant expression (%s)"
                          % (path, board_init_line(path, field), field, defs["board." + field], var))
        if field not in fields:
            if required:
                raise VMError(None, "%s: the board initializer has no .%s (%s)" % (where, field, var))
            value = "0" if fmt == "bool" else ""
        else:
            v = fields[field]
            value = ("0x%08X" % v if fmt == "addr" else str(1 if v else 0) if fmt == "bool"
                     else str(v)) if (v or fmt == "bool" or required) else ""
        out.append(("%s := %s" % (var, value)).rstrip())
    return "\n".join(out) + "\n"


def read_board_mk(path):
    """The `BOARD_X := value` lines of board.mk."""
    mk = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(BOARD_\w+)\s*:?=\s*(.*?)\s*$", line.split("#", 1)[0])
            if m:
                mk[m.group(1)] = m.group(2)
    return mk


# The one device type that places itself, by a rule rather than the board's
# table: the guests' UART sits where the board's is (drivers/emul/pl011.c,
# uart_place).  Any other type with a .place hook is unknown here.
OWN_PLACE = {"uart": lambda c: (c.get("uart_base", 0) & ~0xFFF, c.get("uart_irq", 0))}


def offered_devices(types, vdevs, where="board.c"):
    """The devices= names a board offers: the self-placed console, then its
    table's entries in table order.  An entry no type claims, or a named
    type that places itself by a rule this tool does not know, is refused."""
    by_name = {t.vm_name: t for t in types if t.vm_name}
    for dev, (_, _, at) in vdevs.items():
        if dev != "virtio" and dev not in by_name:
            raise VMError(at, "{ \"%s\", ... }: no device type has .vm_name \"%s\" (known: %s)"
                          % (dev, dev, ", ".join(["virtio"] + list(by_name))))
    own = []
    for t in types:
        if t.vm_name and t.has_place:
            if t.vm_name not in OWN_PLACE:
                raise VMError(t.where, "VDEV_TYPE(%s): .vm_name \"%s\" with a .place hook: tools/mkguests.py "
                              "cannot place it; leave .place out and list it in the board's table "
                              "(struct board_vdev)" % (t.sym, t.vm_name))
            own.append(t.vm_name)
    return own + [d for d in vdevs if d in by_name and d not in own]


def board_from_dir(bdir, name, ram_base, ram_size, load_addr, facts):
    bc = os.path.join(bdir, "board.c")
    c, defs, text = read_board_c_full(bc)
    vdevs = read_board_vdevs(bc)
    mk = read_board_mk(os.path.join(bdir, "board.mk"))
    devices = offered_devices(facts.types, vdevs)
    virtio = list(facts.virtio) if "virtio" in vdevs else []
    return Board(name, ram_base, ram_size, load_addr, devices, virtio,
                 BoardDT(name, c, mk, bdir, vdevs, facts.types),
                 mk.get("BOARD_DEVICE_SPACE", ""), mk.get("BOARD_DMA_DEVICES", ""),
                 lambda: board_facts(name, c, defs, text, facts.nslots, vdevs),
                 (c.get("hostvirtio_base", 0), c.get("hostvirtio_count", 0)))


# Placeholders every device-tree template may use (core/vdev.h, dt_node);
# any other %KEY% comes from BOARD_DT_NODES (NAME:KEY=VALUE).
DT_BUILTIN = ("ADDR", "BASE", "SIZE", "IRQ", "SPI", "PPI")
DT_OWN_NODES = ("gtimer", "clocks", "virtio")     # written by guest_dts() itself


class BoardDT:
    """What a guest's device tree says on this board: compatible strings,
    clocks and node order from board.mk (BOARD_DT_*), addresses and
    interrupts from board.c, each device's node from its descriptor."""

    def __init__(self, name, c, mk, where="board", vdevs=None, types=None):
        self.name, self.c = name, c
        self.vdevs = vdevs or {}
        self.types = {t.vm_name: t for t in (types if types is not None else CFacts().types) if t.dt_node}

        def need(var):
            if var not in mk:
                raise VMError(None, "%s/board.mk: no %s (the guests' device tree)" % (where, var))
            return mk[var]
        self.compatible = need("BOARD_DT_COMPATIBLE").split()
        self.cpu = need("BOARD_DT_CPU")
        self.gic = need("BOARD_DT_GIC")
        self.clocks = []                    # (label, node name, Hz)
        for spec in need("BOARD_DT_CLOCKS").split():
            label, _, hz = spec.partition("=")
            label, _, node = label.partition("/")
            self.clocks.append((label, node or label, int(hz)))
        # (kind, {KEY: VALUE}) in BOARD_DT_NODES order, then every other
        # device with a node that the board places, in registry order.
        self.nodes = []
        have = {"gtimer": c.get("generic_timer"), "clocks": True, "virtio": "virtio" in self.vdevs}
        for spec in need("BOARD_DT_NODES").split():
            kind, *args = spec.split(":")
            if kind not in have and kind not in self.types:
                raise VMError(None, "%s/board.mk: BOARD_DT_NODES: unknown node '%s' (known: %s)"
                              % (where, kind, ", ".join(list(have) + list(self.types))))
            if not (have[kind] if kind in have else self.place(kind)):
                raise VMError(None, "%s/board.mk: BOARD_DT_NODES has '%s', which board.c does not give guests"
                              % (where, kind))
            kv = {}
            for a in args:
                k, eq, v = a.partition("=")
                if not eq or not re.fullmatch(r"[A-Z_]+", k):
                    raise VMError(None, "%s/board.mk: BOARD_DT_NODES: %s: '%s' is not KEY=VALUE" % (where, spec, a))
                kv[k] = v
            self.nodes.append((kind, kv))
        listed = [n[0] for n in self.nodes]
        self.nodes += [(k, {}) for k in self.types if k not in listed and self.place(k)]
        for kind, kv in self.nodes:
            if kind in self.types:
                t = self.types[kind]
                want = [k for k in dict.fromkeys(re.findall(r"%([A-Z_]+)%", t.dt_node)) if k not in DT_BUILTIN]
                for k in want:
                    if k not in kv:
                        raise VMError(None, "%s/board.mk: BOARD_DT_NODES: '%s' needs %s=VALUE (its node, %s, "
                                      "uses %%%s%%)" % (where, kind, k, t.where, k))
                for k in kv:
                    if k not in want:
                        raise VMError(None, "%s/board.mk: BOARD_DT_NODES: '%s': %s= is not in its node (%s)"
                                      % (where, kind, k, t.where))

    def place(self, dev):
        """(base, irq) of the guests' device `dev` on this board, or None."""
        if dev in OWN_PLACE:
            return OWN_PLACE[dev](self.c)
        return self.vdevs[dev][:2] if dev in self.vdevs else None

    def render(self, kind, kv):
        """The device's node: its descriptor's template, one tab deeper, after
        an empty line."""
        base, irq = self.place(kind)
        subs = dict(kv, ADDR="%x" % base, BASE=hexa(base), SIZE="0x%x" % self.types[kind].mmio_size,
                    IRQ=str(irq), SPI=str(irq - 32), PPI=str(irq - 16))
        text = re.sub(r"%([A-Z_]+)%", lambda m: subs[m.group(1)], self.types[kind].dt_node)
        return "\n" + "".join("\t%s\n" % line for line in text[:-1].split("\n"))


class Guest:
    def __init__(self, line, name, image, ram):
        self.line, self.name, self.image, self.ram = line, name, image, ram
        self.flags = 0
        self.at = None
        self.devices = "all"
        self.nodev = []         # devices= left these out (vm_names, board order)
        self.bootargs = ""
        self.cmdline = ""
        self.has_cmdline = False
        self.disk = ""
        self.mac = ""
        self.assign = ""
        self.assign_words = ("0", "0", "0")     # assign_pa, assign_size, assign_irq
        self.demand = False
        self.min = "0"
        self.spaces = None      # spaces=N; None: SHADOW_SPACES_DEFAULT
        self.initrd = None      # initrd=: (start, end) IPA


class VMBuilder:
    """Reads one VM file line by line, checking and placing each guest as it
    goes (so the first bad line is the one reported)."""

    def __init__(self, vm, facts, board, guest_dir, embed=True):
        self.vm, self.facts, self.board, self.guest_dir = vm, facts, board, guest_dir
        self.embed = embed          # False: --external, the images are staged
        self.mon_lo = board.load
        self.mon_hi = board.load + facts.hv_ram_size
        self.next_pa = self.mon_hi
        self.top = self.mon_hi
        self.slice_ms = facts.slice_default
        self.guests = []
        self.placed = []            # (lo, hi, name)
        self.assigned = []          # (lo, hi, name): assign=
        self.assigned_irqs = set()
        self.board_facts = None     # board_facts(), read at the first assign=
        self.min_total = 0          # MiB: backing=demand minimums
        self.static_total = 0       # bytes: the static guests' RAM
        self.demand_line = 0        # the last backing=demand guest's line
        self.names = set()
        self.macs = set()
        self.disk_off = 0
        self.disk_lo = self.disk_hi = self.mon_hi
        self.slices = []            # (first MiB, end MiB, guest name): disk=host
        self.uses_host_disk = False # any disk=host in the file (size_disks)
        self.img_lo = self.img_hi = self.mon_hi
        self.line = 0
        self.board_ram = 0          # board_ram_mib, bytes (0: board.c's)
        self.mon_need = facts.shadow_l2_pool + MONITOR_IMAGE_MIN   # bytes (monitor_memory())
        self.mon_images = set()     # image files counted in mon_need

    def die(self, msg, line=None):
        raise VMError("%s:%d" % (self.vm, self.line if line is None else line), msg)

    # Disk images (disk=) sit right after the monitor, each 4 KiB aligned,
    # where the monitor finds them (core/virtio_dev.c: its physical base +
    # HV_RAM_SIZE + offset); the guests' RAM is placed after them.  Sized
    # first, over the whole file, so that guests are placed around them.
    def size_disks(self, lines):
        total = 0
        for no, words in lines:
            for w in words:
                if w.startswith("disk=host:"):
                    self.uses_host_disk = True
                if not w.startswith("disk="):
                    continue
                d = w[len("disk="):]
                d = d[:-3] if d.endswith(":ro") else d
                if not os.path.isfile(d):
                    continue                    # reported with its guest
                total = (total + os.path.getsize(d) + DISK_ALIGN - 1) & ~(DISK_ALIGN - 1)
                if self.disk_lo + total > self.board.ram_hi:
                    self.die("disk image '%s': the disk images up to here (disk=, %d bytes) do not fit in "
                             "the board's RAM after the monitor: %s-%s, RAM ends %s"
                             % (d, total, hexa(self.disk_lo), hexa(self.disk_lo + total - 1),
                                hexa(self.board.ram_hi - 1)), no)
        self.disk_hi = self.disk_lo + total
        if total:
            self.next_pa = self.top = (self.disk_hi + MIB - 1) & ~(MIB - 1)

    # Guest images (ELF files and device trees) are embedded after the disk
    # images, 4 KiB aligned (linker.ld: .guest_images), outside the monitor's
    # window, and stay there (a reset loads them again); the guests' RAM is
    # placed after them.  Sized first, like the disks: each ELF file once
    # (guests running the same file share it), 8-byte aligned, and each
    # guest's device tree at its largest, GUEST_DTB_AREA_SIZE (make_dtb()
    # refuses a larger one).  --external: nothing here, they are staged.
    def size_images(self, lines):
        self.img_lo = self.img_hi = (self.disk_hi + PAGE - 1) & ~(PAGE - 1)
        if not self.embed:
            return
        total, seen = 0, set()
        for no, words in lines:
            if len(words) < 3 or words[0] != "guest":
                continue
            elf = self.elf_path(words[2])
            if os.path.isfile(elf) and elf not in seen:
                seen.add(elf)
                total = ((total + 7) & ~7) + os.path.getsize(elf)
            total = ((total + 7) & ~7) + self.facts.dtb_area
            if self.img_lo + total > self.board.ram_hi:
                self.die("guest '%s': the guest images up to here (%d bytes, ELF files and device trees, "
                         "embedded after the monitor and its disk images at %s) do not fit in the board's "
                         "RAM, which ends at %s" % (words[1], total, hexa(self.img_lo),
                                                      hexa(self.board.ram_hi - 1)), no)
        self.img_hi = self.img_lo + total
        if total:
            self.next_pa = self.top = (self.img_hi + MIB - 1) & ~(MIB - 1)

    def board_ram_line(self, words):
        """board_ram_mib N: the board has N MiB of RAM from its RAM base (a
        QEMU -m, a board with more fitted than board.c says)."""
        f = self.facts
        if len(words) != 2 or not decimal(words[1]) or words[1].startswith("0") \
                or not f.board_ram_min_mib <= int(words[1]) <= f.board_ram_max_mib:
            self.die("expected: board_ram_mib N with N from %d to %d (decimal, no leading zero)"
                     % (f.board_ram_min_mib, f.board_ram_max_mib))
        if self.board_ram:
            self.die("board_ram_mib given twice")
        size = int(words[1]) * MIB
        if self.board.ram_lo + size > 1 << 32:
            self.die("board_ram_mib %s: RAM from %s would pass the end of the 32-bit address space"
                     % (words[1], hexa(self.board.ram_lo)))
        self.board_ram = size
        self.board.ram_hi = self.board.ram_lo + size

    # The monitor's own memory (HV_RAM_SIZE) holds its image (the guest
    # images are outside it, size_images) and everything it reserves for its guests at
    # load: the shadow L2 pool, per guest its L1 tables (spaces=), per page
    # and per MiB of its RAM the shadow's records and, on demand, its chunk
    # map (mm/shadow.h SHADOW_BYTES_*, mm/gpmap.c).  A VM that cannot fit
    # is refused here; the monitor checks exactly at boot.
    def monitor_memory(self, g):
        f = self.facts
        mib = int(g.ram)
        per_page = f.shadow_per_page + (f.shadow_per_page_wp if g.flags & f.f_coh_wp else 0)
        need = mib * (MIB // PAGE) * per_page + mib * f.shadow_per_mib + \
            int(g.spaces or f.spaces_default) * f.shadow_l1 + (mib * 4 if g.demand else 0)
        images = 0              # guest images live outside the window (size_images)
        self.mon_need += need
        if self.mon_need > f.hv_ram_size:
            self.die("guest '%s': the monitor's own memory (%d KiB, HV_RAM_SIZE) cannot hold what the guests up "
                     "to here need of it: %d KiB (this guest: %d KiB for its shadow tables and records of %d MiB "
                     "of RAM, spaces=%s, and %d KiB of image), with the shadow L2 pool (%d KiB) and at least "
                     "%d KiB of the monitor's own code and data: give it less RAM, fewer spaces= or fewer guests"
                     % (g.name, f.hv_ram_size // 1024, self.mon_need // 1024, need // 1024, mib,
                        g.spaces or f.spaces_default, images // 1024, f.shadow_l2_pool // 1024,
                        MONITOR_IMAGE_MIN // 1024))

    def slice_line(self, words):
        f = self.facts
        if len(words) != 2 or not decimal(words[1]) or words[1].startswith("0") \
                or not f.slice_min <= int(words[1]) <= f.slice_max:
            self.die("expected: slice_ms N with N from %d to %d (decimal, no leading zero)"
                     % (f.slice_min, f.slice_max))
        self.slice_ms = int(words[1])

    def needs_virtio(self, g, opt):
        if not self.board.virtio:
            self.die("guest '%s': %s needs a board with virtio slots (board.c: a \"virtio\" entry in its table of guest devices): %s has none"
                     % (g.name, opt, self.board.name))

    def options(self, g, opts):
        f = self.facts
        for opt in opts:
            key, eq, val = opt.partition("=")
            if opt == "coherence=tlb":
                g.flags = 0
            elif opt == "coherence=wp":
                g.flags = f.f_coh_wp
            elif key == "spaces" and eq:
                g.spaces = val
                if not decimal(val) or val.startswith("0") or int(val) > f.spaces_max:
                    self.die("guest '%s': %s: expected spaces=N with N from 1 to %d (decimal, no leading zero): "
                             "the shadow address spaces cached for it" % (g.name, opt, f.spaces_max))
            elif opt.startswith("at=0x"):
                g.at = val
                if not re.fullmatch(r"0x[0-9a-fA-F]+", val):
                    self.die("at=%s: expected a hexadecimal address 0xADDR" % val)
            elif opt == "backing=demand":
                g.demand = True
            elif opt == "backing=static":
                pass
            elif key == "min" and eq:
                g.min = val
                if not decimal(val) or (val.startswith("0") and val != "0"):
                    self.die("guest '%s': %s: expected a number of MiB (decimal, no leading zero)" % (g.name, opt))
            elif key == "assign" and eq:
                if g.assign:
                    self.die("guest '%s': at most one assign= per guest" % g.name)
                g.assign = val
            elif key == "devices" and eq:
                g.devices = val
            elif key == "virtio" and eq:
                self.needs_virtio(g, opt)
                known = [v for v in f.virtio if v in self.board.virtio]
                for v in filter(None, val.split(",")):
                    if v not in known:
                        self.die("guest '%s': no virtio device '%s' (known: %s)"
                                 % (g.name, v, ", ".join(known)))
                    g.flags |= f.virtio[v]
            elif key == "initrd" and eq:
                m = re.fullmatch(r"(0x[0-9a-fA-F]+):(0x[0-9a-fA-F]+)", val)
                if not m:
                    self.die("guest '%s': %s: expected initrd=0xSTART:0xEND (hexadecimal IPAs)" % (g.name, opt))
                g.initrd = (int(m.group(1), 16), int(m.group(2), 16))
            elif key in ("bootargs", "cmdline") and eq:
                words = val.replace(",", " ")
                if not ARGS_CHARS.fullmatch(words):
                    self.die("%s '%s': only letters, digits and _.,=:/@+- are allowed" % (key, words))
                if key == "bootargs":
                    g.bootargs = words
                else:
                    g.cmdline, g.has_cmdline = words, True
            elif key in ("disk", "mac") and eq:
                self.needs_virtio(g, opt)
                if key == "disk":
                    g.disk = val
                    g.flags |= f.virtio["blk"]
                else:
                    g.mac = val
                    g.flags |= f.virtio["net"]
            else:
                self.die("unknown option '%s' (known: %s)" % (opt, KNOWN_OPTIONS))
        if g.demand:
            # after the loop: coherence= cannot clear it
            g.flags |= f.f_demand
        if g.has_cmdline and g.bootargs:
            self.die("guest '%s': cmdline= sets the whole command line, bootargs= adds to the "
                     "default one: give one of them" % g.name)

    # devices=: the registered types (vm_name) the board offers that the
    # guest keeps (devices=uart,sp804 / none) or goes without (-sp804,...).
    def devices(self, g):
        if g.devices == "all":
            return
        known = [t.vm_name for t in self.facts.types if t.vm_name]
        offered = self.board.devices
        words = [] if g.devices == "none" else [d for d in g.devices.split(",") if d]
        minus = [d[1:] for d in words if d.startswith("-")]
        if minus and len(minus) != len(words):
            self.die("guest '%s': devices=%s: list the devices it gets (devices=uart,sp804) or those it goes "
                     "without (devices=-sp804,-a9timer), not both" % (g.name, g.devices))
        for d in minus or words:
            if d not in known:
                self.die("unknown device '%s' (known: %s)" % (d, ", ".join(known)))
            if not minus and d not in offered:
                self.die("guest '%s': no device '%s' on %s (offered: %s)"
                         % (g.name, d, self.board.name, " ".join(offered)))
        g.nodev = [d for d in offered if (d in minus if minus else d not in words)]
        g.devices = g.devices or "none"

    def host_slice(self, g):
        """disk=host:OFFSET_MIB:SIZE_MIB[:ro]: a slice of the host disk (the
        machine's own virtio-blk, driven by the monitor); table words: byte
        offset and bytes (GUEST_F_DISK_HOST)."""
        f, b = self.facts, self.board
        spec = g.disk[len("host:"):]
        if spec.endswith(":ro"):
            spec = spec[:-3]
            g.flags |= f.f_disk_ro
        where = "guest '%s': disk=%s: " % (g.name, g.disk)
        if not b.hostvirtio[0]:
            self.die(where + "board %s has no host disk (board.c: hostvirtio_base; only qemu-virt's "
                     "monitor drives one)" % b.name)
        parts = spec.split(":")
        if len(parts) != 2 or not all(decimal(x) and (x == "0" or not x.startswith("0")) for x in parts):
            self.die(where + "expected disk=host:OFFSET_MIB:SIZE_MIB[:ro] (decimal MiB, no leading zero)")
        off, size = int(parts[0]), int(parts[1])
        if not size:
            self.die(where + "the slice is empty (SIZE_MIB 0)")
        if off + size > f.hostdisk_max_mib:
            self.die(where + "the slice ends at %d MiB, beyond the limit of %d MiB (GUEST_HOSTDISK_MAX_MIB)"
                     % (off + size, f.hostdisk_max_mib))
        for o_lo, o_hi, other in self.slices:
            if off < o_hi and o_lo < off + size:
                self.die(where + "MiB %d-%d of the host disk overlap guest '%s''s slice (MiB %d-%d)"
                         % (off, off + size - 1, other, o_lo, o_hi - 1))
        self.slices.append((off, off + size, g.name))
        g.flags |= f.f_disk_host
        g.disk = ""                 # nothing to embed
        return hexa(off * MIB), str(size * MIB), ""

    def disk(self, g):
        """disk=PATH[:ro]: checked here, placed after the monitor.
        Returns its table words (offset, bytes) and assembly."""
        if not g.disk:
            return "0", "0", ""
        if g.disk.startswith("host:"):
            return self.host_slice(g)
        d = g.disk
        if d.endswith(":ro"):
            d = d[:-3]
            g.flags |= self.facts.f_disk_ro
        if not d:
            self.die("guest '%s': disk= needs an image file (disk=PATH[:ro])" % g.name)
        if not os.path.isfile(d):
            self.die("guest '%s': disk image '%s' not found" % (g.name, d))
        if not DISK_CHARS.fullmatch(d):
            self.die("guest '%s': disk image path '%s': only letters, digits and _./+- are allowed"
                     % (g.name, d))
        n, sector = os.path.getsize(d), self.facts.sector
        if n < sector:
            self.die("guest '%s': disk image '%s' is %d bytes: a disk holds at least one %d-byte sector"
                     % (g.name, d, n, sector))
        if n % sector:
            self.die("guest '%s': disk image '%s' is %d bytes, not a whole number of %d-byte sectors"
                     % (g.name, d, n, sector))
        if n > self.facts.disk_max_mib * MIB:
            self.die("guest '%s': disk image '%s' is %d bytes, more than the limit of %d MiB per disk"
                     % (g.name, d, n, self.facts.disk_max_mib))
        g.disk = d
        off = self.disk_off
        self.disk_off = (self.disk_off + n + DISK_ALIGN - 1) & ~(DISK_ALIGN - 1)
        return hexa(off), str(n), '\n    .balign %d\ndisk%d: .incbin "%s"' % (DISK_ALIGN, len(self.guests), d)

    def mac(self, g):
        """mac=: six hex octets, unicast (I/G bit clear), not all zero, unique."""
        if not g.mac:
            return ["0"] * 6
        if not MAC_RE.fullmatch(g.mac):
            self.die("guest '%s': mac=%s is not six hex octets XX:XX:XX:XX:XX:XX" % (g.name, g.mac))
        mac = g.mac.lower()
        if int(mac[:2], 16) & 1:
            self.die("guest '%s': mac=%s is a multicast address (bit 0 of the first octet set)" % (g.name, mac))
        if mac == "00:00:00:00:00:00":
            self.die("guest '%s': mac=%s: the all-zero address is not a station address" % (g.name, mac))
        if mac in self.macs:
            self.die("guest '%s': mac=%s is already another guest's" % (g.name, mac))
        self.macs.add(mac)
        return ["0x" + o for o in mac.split(":")]

    def name_and_ram(self, g):
        if not NAME_CHARS.fullmatch(g.name):
            self.die("bad guest name '%s'" % g.name)
        if g.assign:
            g.assign_words = self.assign(g)
        if g.name in self.names:
            self.die("guest name '%s' used twice" % g.name)
        self.names.add(g.name)
        if not decimal(g.ram):
            self.die("RAM size '%s' is not a number of MiB" % g.ram)
        if g.ram.startswith("0"):
            self.die("RAM size '%s': write the number of MiB without a leading zero (it would read as octal)"
                     % g.ram)
        if not 1 <= int(g.ram) <= self.facts.ram_max_mib:
            self.die("RAM size %s MiB out of range 1..%d" % (g.ram, self.facts.ram_max_mib))
        b, f = self.board, self.facts
        if int(g.ram) * MIB > b.ram_hi - b.ram_lo:
            self.die("guest '%s': RAM size %s MiB is more than the board's %d MiB of RAM (board_ram_mib N "
                     "if the board has more)" % (g.name, g.ram, (b.ram_hi - b.ram_lo) // MIB))
        ipa_hi = b.ram_lo + int(g.ram) * MIB
        if ipa_hi > 1 << 32 or (b.ram_lo < f.window_base + f.window_size and ipa_hi > f.window_base):
            self.die("guest '%s': its RAM at IPA %s-%s would reach the monitor's window %s-%s (or the end of "
                     "the address space)" % (g.name, hexa(b.ram_lo), hexa(ipa_hi - 1), hexa(f.window_base),
                                             hexa(f.window_base + f.window_size - 1)))
        # backing=demand: no placement; only the minimums are summed (pool()).
        if g.demand:
            if g.at is not None:
                self.die("guest '%s': at= places its RAM, backing=demand backs it at first touch: "
                         "give one of them" % g.name)
            if int(g.min) > int(g.ram):
                self.die("guest '%s': min=%s MiB is above its RAM of %s MiB" % (g.name, g.min, g.ram))
            self.min_total += int(g.min)
            self.demand_line = g.line
        elif int(g.min):
            self.die("guest '%s': min= is for guests with backing=demand" % g.name)
        if g.initrd:
            lo, hi = g.initrd
            top = self.board.ram_lo + int(g.ram) * MIB - self.facts.dtb_area
            if not self.board.ram_lo <= lo < hi <= top:
                self.die("guest '%s': initrd=%s-%s is not a range inside its RAM below its device tree "
                         "(IPA %s-%s)" % (g.name, hexa(lo), hexa(hi), hexa(self.board.ram_lo), hexa(top - 1)))

    def assign(self, g):
        """assign=0xBASE:0xSIZE[:IRQ][:dma-trusted]: every check; returns the
        table words (assign_pa, assign_size, assign_irq) and sets
        GUEST_F_DMA_TRUSTED."""
        a, dma_trusted, irq = g.assign, False, 0
        if a.endswith(":dma-trusted"):
            a, dma_trusted = a[:-len(":dma-trusted")], True
        base, _, rest = a.partition(":")
        size, _, irq_s = rest.partition(":")
        where = "guest '%s': assign=%s: " % (g.name, g.assign)

        def die(msg):
            self.die(where + msg)
        for x in (base, size):
            if not re.fullmatch(r"0x[0-9a-fA-F]+", x):
                die("expected %s (BASE and SIZE hexadecimal)" % ASSIGN_SYNTAX)
        if irq_s:
            if not decimal(irq_s) or irq_s.startswith("0"):
                die("the interrupt '%s' is not a decimal number (no leading zero)" % irq_s)
            irq = int(irq_s)
        lo, size = int(base, 16), int(size, 16)
        hi = lo + size

        def span(lo, hi):
            return "%s-%s" % (hexa(lo), hexa(hi - 1))
        if not size or (lo | size) & (PAGE - 1):
            die("base and size must be multiples of 4 KiB (the shadow tables map whole pages), size not 0")
        if hi > 1 << 32:
            die("the range passes the end of the 32-bit address space")
        b = self.board
        if not b.device_space:
            self.die("guest '%s': assign=: board %s describes no device space (BOARD_DEVICE_SPACE in "
                     "boards/%s/board.mk)" % (g.name, b.name, b.name))
        if not any(lo >= r_lo and hi <= r_lo + r_size for r_lo, r_size in map(self.range, b.device_space)):
            die("%s is not inside the board's device space (%s; BOARD_DEVICE_SPACE)"
                % (span(lo, hi), " ".join(b.device_space)))
        if lo < b.ram_hi and b.ram_lo < hi:
            die("%s overlaps the board's RAM %s" % (span(lo, hi), span(b.ram_lo, b.ram_hi)))
        if self.board_facts is None:
            self.board_facts = b.facts()
        for kind, f_lo, f_size, what in self.board_facts:
            if kind == "irq":
                if irq and irq == f_lo:
                    die("interrupt %d is %s" % (irq, what))
            elif lo < f_lo + f_size and f_lo < hi:
                die("%s overlaps %s at %s" % (span(lo, hi), what, span(f_lo, f_lo + f_size)))
        h_lo, h_n = b.hostvirtio
        if self.uses_host_disk and h_lo and lo < h_lo + h_n * 0x200 and h_lo < hi:
            die("%s overlaps the virtio-mmio transports %s where the monitor drives the host disk of this "
                "VM (disk=host)" % (span(lo, hi), span(h_lo, h_lo + h_n * 0x200)))
        for o_lo, o_hi, other in self.assigned:
            if lo < o_hi and o_lo < hi:
                die("%s overlaps the device assigned to guest '%s' at %s" % (span(lo, hi), other, span(o_lo, o_hi)))
        if irq:
            n = self.facts.vgic_nr_irqs
            if not 32 <= irq < n:
                die("interrupt %d is not a shared peripheral interrupt of the virtual GIC (32..%d)" % (irq, n - 1))
            if irq in self.assigned_irqs:
                die("interrupt %d is already assigned to another guest" % irq)
        dma = [r for r in b.dma_devices if lo < sum(self.range(r)) and self.range(r)[0] < hi]
        if dma and not dma_trusted:
            die("the range holds DMA-capable devices (%s, BOARD_DMA_DEVICES): without an IOMMU they can read "
                "and write all memory; add :dma-trusted if this guest may (docs/security.md)" % dma[-1])
        self.assigned.append((lo, hi, g.name))
        if irq:
            self.assigned_irqs.add(irq)
        if dma_trusted:
            g.flags |= self.facts.f_dma_trusted
        return hexa(lo), hexa(size), str(irq)

    def range(self, r):
        """BASE:SIZE of board.mk, as (base, size)."""
        base, _, size = r.partition(":")
        try:
            return int(base, 0), int(size, 0)
        except ValueError:
            raise VMError(None, "boards/%s/board.mk: '%s' is not BASE:SIZE" % (self.board.name, r))

    def pool(self):
        """The demand guests' minimums come from the board's RAM that the
        monitor, the disk images and the static guests leave (the monitor
        checks again at boot)."""
        held = (max(self.disk_hi, self.img_hi) - self.disk_lo + MIB - 1) & ~(MIB - 1)
        pool_mib = (self.board.ram_hi - self.board.ram_lo - self.facts.hv_ram_size - held
                    - self.static_total) // MIB
        if self.min_total > pool_mib:
            self.die("the guaranteed minimums of the guests with backing=demand (min=) add up to %d MiB, "
                     "more than the %d MiB of board RAM the monitor, its disk images, the guest images and "
                     "the static guests leave" % (self.min_total, pool_mib), self.demand_line)

    def place(self, g):
        """Static placement in host RAM, checked here rather than at boot
        (none for backing=demand: PA 0)."""
        if g.demand:
            return 0
        size = int(g.ram) * MIB
        pa = int(g.at, 16) if g.at is not None else self.next_pa
        end = pa + size
        ram = "RAM %s-%s" % (hexa(pa), hexa(end - 1))
        if pa & (MIB - 1):
            self.die("guest '%s': at=%s is not 1 MiB aligned" % (g.name, hexa(pa)))
        if pa < self.board.ram_lo or end > self.board.ram_hi:
            self.die("guest '%s': %s is outside the board's RAM %s-%s"
                     % (g.name, ram, hexa(self.board.ram_lo), hexa(self.board.ram_hi - 1)))
        if end > self.mon_lo and pa < self.mon_hi:
            self.die("guest '%s': %s overlaps the monitor at %s-%s"
                     % (g.name, ram, hexa(self.mon_lo), hexa(self.mon_hi - 1)))
        if self.disk_hi > self.disk_lo and end > self.disk_lo and pa < self.disk_hi:
            self.die("guest '%s': %s overlaps the virtio disk images at %s-%s"
                     % (g.name, ram, hexa(self.disk_lo), hexa(self.disk_hi - 1)))
        if self.img_hi > self.img_lo and end > self.img_lo and pa < self.img_hi:
            self.die("guest '%s': %s overlaps the guest images at %s-%s (embedded after the monitor "
                     "and its disk images)" % (g.name, ram, hexa(self.img_lo), hexa(self.img_hi - 1)))
        for lo, hi, other in self.placed:
            if pa < hi and end > lo:
                self.die("guest '%s': %s overlaps guest '%s' at %s-%s"
                         % (g.name, ram, other, hexa(lo), hexa(hi - 1)))
        self.placed.append((pa, end, g.name))
        self.static_total += size
        if g.at is None:
            self.next_pa = end
        self.top = max(self.top, end)
        return pa

    def elf(self, g):
        # The path goes into an assembler string (.incbin "..."): no quote,
        # backslash or anything else that could end or bend it.
        if not IMAGE_CHARS.fullmatch(g.image):
            self.die("guest '%s': image path '%s': only letters, digits and _./+,@=:~- are allowed "
                     "(it is written into the monitor's assembler source)" % (g.name, g.image))
        elf = self.elf_path(g.image)
        if not os.path.isfile(elf):
            self.die("guest image '%s' not found (looked for %s and %s)" % (g.image, g.image, elf))
        with open(elf, "rb") as f:
            if f.read(4) != b"\x7fELF":
                self.die("'%s' is not an ELF file" % elf)
        # The loader copies it into the guest's RAM, below the device tree
        # (core/guest_loader.c: where each segment goes is checked there).
        size, room = os.path.getsize(elf), int(g.ram) * MIB - self.facts.dtb_area
        if size > room:
            self.die("guest '%s': image '%s' is %d bytes, larger than its RAM of %s MiB less the %d KiB "
                     "its device tree takes at the top (%d bytes)"
                     % (g.name, elf, size, g.ram, self.facts.dtb_area >> 10, room))
        return elf

    def elf_path(self, image):
        """IMAGE of a guest line: a path, or the name of a guest built into GUEST_DIR."""
        return image if os.path.isfile(image) else os.path.join(self.guest_dir, image + ".elf")

    def guest(self, words):
        if len(words) < 4:
            self.die("expected: guest NAME IMAGE RAM_MIB [coherence=tlb|wp] [at=0xADDR]")
        g = Guest(self.line, words[1], words[2], words[3])
        self.options(g, words[4:])
        self.devices(g)
        g.disk_words = self.disk(g)
        g.mac_bytes = self.mac(g)
        self.name_and_ram(g)
        g.pa = self.place(g)
        g.elf = self.elf(g)
        self.monitor_memory(g)
        if len(self.guests) == self.facts.max_guests:
            self.die("guest '%s': more than %d guests configured, at most %d supported"
                     % (g.name, self.facts.max_guests, self.facts.max_guests))
        self.guests.append(g)
        return g

    def read(self, text, on_guest=None):
        lines = vm_lines(text)
        # board_ram_mib first: every placement depends on it
        first_guest = min([no for no, words in lines if words[:1] == ["guest"]] or [0])
        for self.line, words in lines:
            if words[:1] == ["board_ram_mib"]:
                if first_guest and self.line > first_guest:
                    self.die("board_ram_mib must come before the guests")
                self.board_ram_line(words)
        self.size_disks(lines)
        self.size_images(lines)
        for self.line, words in lines:
            if not words or words[0] == "board_ram_mib":
                continue
            if words[0] == "slice_ms":
                self.slice_line(words)
            elif words[0] == "guest":
                g = self.guest(words)
                if on_guest:
                    on_guest(g)
            else:
                self.die("unknown keyword '%s' (expected: guest NAME IMAGE RAM_MIB [options], slice_ms N "
                         "or board_ram_mib N)"
                         % words[0])
        if not self.guests:
            raise VMError("%s:%d" % (self.vm, max(len(lines), 1)), "no guests configured")
        self.pool()


# --- device trees and output -----------------------------------------------

def guest_dts(dt, facts, g, ram_base_text):
    """The device tree source of guest g's virtual machine: its RAM, one CPU,
    and the devices the monitor emulates for it (core/virq.c) at the board's
    addresses, with the interrupt specifiers QEMU's own device tree for that
    machine uses.  Root #address-cells and #size-cells are 1."""
    c, out = dt.c, []
    base, size = int(ram_base_text, 0), int(g.ram) * MIB
    if base + size > 1 << 32:
        raise ValueError("RAM %s + %s MiB does not fit in 4 GiB" % (hexa(base), g.ram))

    def has(dev):
        return dev not in g.nodev and dt.place(dev) is not None
    virtio = [v for v, bit in facts.virtio.items() if g.flags & bit]
    w = out.append
    # initrd=: where its image put an initramfs (Linux: chosen.yaml of the
    # devicetree schema, linux,initrd-start/-end)
    initrd = ("\t\tlinux,initrd-start = <%s>;\n\t\tlinux,initrd-end = <%s>;\n" % (hexa(g.initrd[0]), hexa(g.initrd[1]))
              if g.initrd else "")
    w("/*\n * Generated by tools/mkguests.py for guest \"%s\" on %s; do not edit.\n"
      " * The virtual machine the monitor gives this guest: %s MiB of RAM at\n"
      " * %s, one CPU, and the devices it emulates.\n */\n/dts-v1/;\n\n/ {\n"
      "\tmodel = \"armv7-hv virtual machine (%s), guest %s\";\n\tcompatible = %s;\n"
      "\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tinterrupt-parent = <&gic>;\n"
      % (g.name, dt.name, g.ram, hexa(base), dt.name, g.name, ", ".join('"%s"' % x for x in dt.compatible)))
    if has("uart") and "uart" in dt.types:
        # The kernel's console: the PL011, or the virtio console when the
        # guest has one (the monitor then routes its console input there);
        # earlycon keeps the PL011 for the messages before that is up.  Its
        # path: the first line of its node ("uart0: NAME@ADDR {").
        node = [n for n in dt.nodes if n[0] == "uart"][0]
        path = dt.render(*node).split("\n")[1].strip().split(" ")[-2]
        if g.has_cmdline:
            args = g.cmdline
        else:
            args = "console=%s earlycon%s" % ("hvc0" if "console" in virtio else "ttyAMA0",
                                              " " + g.bootargs if g.bootargs else "")
        w("\n\taliases {\n\t\tserial0 = &uart0;\n\t};\n\n\tchosen {\n\t\tstdout-path = \"/%s\";\n"
          "\t\tbootargs = \"%s\";\n%s\t};\n" % (path, args, initrd))
    else:
        w("\n\tchosen {\n%s\t};\n" % initrd)
    w("\n\t/* PSCI 0.2 through the PV hypercall HC_PSCI: the guest kernel's HVC #0\n"
      "\t * must be paravirtualized (pvpatch --psci; docs/pv-abi.md). */\n"
      "\tpsci {\n\t\tcompatible = \"arm,psci-0.2\";\n\t\tmethod = \"hvc\";\n\t};\n"
      "\n\tcpus {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n\n\t\tcpu@0 {\n"
      "\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"%s\";\n\t\t\treg = <0>;\n\t\t};\n\t};\n"
      "\n\tmemory@%x {\n\t\tdevice_type = \"memory\";\n\t\treg = <%s %s>;\n\t};\n"
      % (dt.cpu, base, hexa(base), hexa(size)))
    w("\n\tgic: interrupt-controller@%x {\n\t\tcompatible = \"%s\";\n\t\t#interrupt-cells = <3>;\n"
      "\t\t#address-cells = <0>;\n\t\tinterrupt-controller;\n"
      "\t\treg = <%s 0x1000>,\t/* distributor */\n\t\t      <%s 0x%x>;\t/* CPU interface */\n\t};\n"
      % (c["gic_dist_base"], dt.gic, hexa(c["gic_dist_base"]), hexa(c["gic_cpu_base"]), c["gic_cpu_size"]))
    for node in dt.nodes:
        kind = node[0]
        if kind == "gtimer":
            w("\n\t/* Generic timer: secure physical, non-secure physical (PPI 30),\n"
              "\t * virtual (PPI 27) and hypervisor timer PPIs; CNTFRQ is set. */\n"
              "\ttimer {\n\t\tcompatible = \"arm,armv7-timer\";\n"
              "\t\tinterrupts = <1 13 0x104>, <1 14 0x104>, <1 11 0x104>, <1 10 0x104>;\n\t};\n")
        elif kind == "clocks":
            for label, name, hz in dt.clocks:
                w("\n\t%s: %s {\n\t\tcompatible = \"fixed-clock\";\n\t\t#clock-cells = <0>;\n"
                  "\t\tclock-frequency = <%d>;\n\t\tclock-output-names = \"%s\";\n\t};\n"
                  % (label, name, hz, name))
        elif kind in dt.types:
            if has(kind):
                w(dt.render(kind, node[1]))
        elif kind == "virtio":
            # Device type i sits in slot i (the i-th GUEST_F_VIRTIO_ bit), at
            # board.c's "virtio" entry + i VIRTIO_MMIO_SIZE with its interrupt
            # + i, as core/virtio_dev.c places them.  The line is a level (it
            # follows InterruptStatus); dma-coherent because the "device" is
            # the monitor reading and writing through the CPU's caches.
            for slot, dev in enumerate(facts.virtio):
                if dev not in virtio:
                    continue
                vbase, virq = dt.place("virtio")
                at = vbase + slot * facts.virtio_mmio_size
                spi = virq - 32 + slot
                w("\n\t/* virtio-%s (slot %d) */\n\tvirtio@%x {\n\t\tcompatible = \"virtio,mmio\";\n"
                  "\t\treg = <%s 0x%x>;\n\t\tinterrupts = <0 %d 4>;\t\t/* SPI %d */\n"
                  "\t\tdma-coherent;\n\t};\n"
                  % (dev, slot, at, hexa(at), facts.virtio_mmio_size, spi, spi + 32))
    w("};\n")
    return "".join(out)


def make_dtb(b, g, board, dtb_dir, ram_base_text):
    """guest-NAME.dts, compiled by dtc into guest-NAME.dtb."""
    dts = os.path.join(dtb_dir, "guest-%s.dts" % g.name)
    dtb = os.path.join(dtb_dir, "guest-%s.dtb" % g.name)
    try:
        text = guest_dts(board.dt, b.facts, g, ram_base_text)
    except ValueError as e:
        raise VMError("%s:%d" % (b.vm, g.line), "no device tree for guest '%s': %s" % (g.name, e))
    with open(dts, "w") as out:
        out.write(text)
    if subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", dtb, dts]).returncode:
        raise VMError("%s:%d" % (b.vm, g.line), "dtc failed on %s" % dts)
    if os.path.getsize(dtb) > b.facts.dtb_area:
        # (the loader puts it in the top GUEST_DTB_AREA_SIZE of the guest's
        # RAM; size_images() counted that much for it)
        raise VMError("%s:%d" % (b.vm, g.line), "the device tree of guest '%s' is %d bytes, more than the "
                      "%d bytes at the top of its RAM that hold it" % (g.name, os.path.getsize(dtb), b.facts.dtb_area))
    return dtb


def generate(args, facts, layout):
    board = board_from_dir(args.board_dir or os.path.join(args.src, "boards", args.board), args.board,
                           args.ram_base, args.ram_size, args.load_addr, facts)
    b = VMBuilder(args.vm, facts, board, args.guest_dir, embed=not args.external)
    entries, names, images, disks, disk_deps, stage = [], [], [], [], [], []
    seen_elfs = {}

    def emit(g):
        n = len(b.guests) - 1
        dtb = make_dtb(b, g, board, args.dtb_dir, args.ram_base)
        # Guests running the same image share one embedded copy.
        el = n if args.external else seen_elfs.setdefault(g.elf, n)
        disk_off, disk_size, disk_asm = g.disk_words
        entries.append((n, el, g, {
            "name": "name%d" % n, "elf": "elf%d" % el, "elf_size": "elf%d_end - elf%d" % (el, el),
            "dtb": "dtb%d" % n, "dtb_size": "dtb%d_end - dtb%d" % (n, n),
            "ram_ipa": args.ram_base, "ram_size": "%s * 0x%x" % (g.ram, MIB), "flags": str(g.flags),
            "ram_pa": hexa(g.pa), "disk_off": disk_off, "disk_size": disk_size,
            "assign_pa": g.assign_words[0], "assign_size": g.assign_words[1], "assign_irq": g.assign_words[2],
            "mac": g.mac_bytes, "ram_min": "%s * 0x%x" % (g.min, MIB),
            "spaces": g.spaces or str(facts.spaces_default),
            "nodev": "nodev%d" % n if g.nodev else "0"}))
        if disk_asm:
            disks.append(disk_asm)
            disk_deps.append(" " + g.disk)
        names.append('\nname%d: .asciz "%s"' % (n, g.name))
        if g.nodev:                 # devices= left these out (core/vdev.c)
            names.append('\nnodev%d: .asciz "%s"' % (n, ",".join(g.nodev)))
        if args.external:
            stage.append(("elf", n, g, g.elf))
            stage.append(("dtb", n, g, dtb))
            return
        if el == n:
            images.append('\n    .balign 8\nelf%d: .incbin "%s"\nelf%d_end:' % (n, g.elf, n))
        images.append('\n    .balign 8\ndtb%d: .incbin "%s"\ndtb%d_end:' % (n, dtb, n))

    with open(args.vm, encoding="utf-8", errors="surrogateescape") as f:
        b.read(f.read(), emit)

    # External images: staged above the monitor and every guest's RAM; the
    # table holds their physical addresses and sizes.
    if args.external:
        first = pa = (b.top + STAGE_ALIGN - 1) & ~(STAGE_ALIGN - 1)
        manifest = []
        for kind, k, g, path in stage:
            size = os.path.getsize(path)
            entries[k][3][kind] = hexa(pa)
            entries[k][3][kind + "_size"] = str(size)
            manifest.append("%s %s %s %s\n" % (kind, g.name, path, hexa(pa)))
            pa = (pa + size + STAGE_ALIGN - 1) & ~(STAGE_ALIGN - 1)
        if pa > board.ram_hi:
            raise VMError("%s:%d" % (b.vm, b.guests[-1].line),
                          "the guest images staged at %s-%s (after the monitor and the guests' RAM) "
                          "do not fit in the board's RAM (ends %s)"
                          % (hexa(first), hexa(pa - 1), hexa(board.ram_hi - 1)))
        if args.manifest:
            with open(args.manifest, "w") as m:
                m.write("".join(manifest) + "end - - %s\n" % hexa(pa))
    table = [table_entry(layout, values) for _, _, _, values in entries]

    out = """/* Generated by tools/mkguests.py from {vm}; do not edit. */
    .section .guest_table, "a"
    .balign 4
    .global guest_image_count
guest_image_count: .word {n}
    .global vm_slice_ms
vm_slice_ms: .word {slice_ms}
    /* 0: elf and dtb below are link addresses in .guest_images (loaded with
     * the monitor after its RAM and disk images, linker.ld); 1: host physical
     * addresses where the boot loader staged them (FIT loadables) */
    .global guest_images_staged
guest_images_staged: .word {staged}
    .global vm_board_ram_size
vm_board_ram_size: .word {board_ram}
    .global guest_images
guest_images:{table}
{names}
    .balign 4
    /* the guest images: linker.ld puts .guest_images after .vdisks, outside
     * the monitor's window (core/gimage.c) */
    .section .guest_images, "a"{images}
    /* virtio disk images (disk=): linker.ld puts .vdisks at the monitor's
     * load address + HV_RAM_SIZE */
    .section .vdisks, "aw"{disks}
""".format(vm=args.vm, n=len(b.guests), slice_ms=b.slice_ms, board_ram=hexa(b.board_ram), table="".join(table),
           staged=1 if args.external else 0, names="".join(names), images="".join(images),
           disks="".join(disks))
    # make rebuilds the monitor when a disk image changes.
    with open(os.path.join(args.dtb_dir, "guest_images.d"), "w") as d:
        d.write("%s/guest_images.o:%s\n" % (args.dtb_dir, "".join(disk_deps)))
    return out


def parse_args(argv):
    p = argparse.ArgumentParser(prog="mkguests.py", description=__doc__.split("\n")[0])
    for a in ("vm", "guest_dir", "ram_base", "board", "dtb_dir", "ram_size", "load_addr"):
        p.add_argument(a)
    p.add_argument("--layout", required=True, help="asm-offsets.h with GIMG_* (struct guest_image)")
    p.add_argument("--board-dir", help="the board's description (default: boards/BOARD)")
    p.add_argument("--external", action="store_true", help="images loaded by the boot loader (make fit)")
    p.add_argument("--manifest", help="with --external: where the staged images go")
    p.add_argument("--src", default=ROOT, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--make-facts"]:
        # mkguests.py --make-facts BOARD_C: the make variables of board.c
        if len(argv) != 2:
            print("usage: mkguests.py --make-facts boards/NAME/board.c", file=sys.stderr)
            return 2
        try:
            sys.stdout.write(make_facts(argv[1]))
        except (VMError, OSError) as e:
            print(e if isinstance(e, VMError) else "mkguests: %s" % e, file=sys.stderr)
            return 1
        return 0
    args = parse_args(argv)
    try:
        if not os.path.isfile(args.vm):
            raise VMError(None, "VM configuration '%s' not found" % args.vm)
        if not shutil.which("dtc"):
            raise VMError(None, "dtc not found: install device-tree-compiler (make deps)")
        facts = CFacts(args.src)
        layout = read_layout(args.layout)
        os.makedirs(args.dtb_dir, exist_ok=True)
        out = generate(args, facts, layout)
    except VMError as e:
        print(e, file=sys.stderr)
        return 1
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
