#!/bin/sh
# Turn a VM configuration (configs/*.vm) into the monitor's guest image table.
#   mkguests.sh VMFILE GUEST_DIR RAM_IPA_BASE BOARD DTB_DIR HOST_RAM_SIZE LOAD_ADDR > guest_images.S
# Every guest also gets a device tree describing its virtual machine
# (tools/mkdts.sh BOARD ...), compiled with dtc into DTB_DIR/guest-NAME.dtb
# (source: guest-NAME.dts next to it) and embedded next to its image.
# VM file lines:  guest NAME IMAGE RAM_MIB [options]   ('#' starts a comment)
#   NAME   a short label used on the console
#   IMAGE  an ELF file: a path, or the name of a guest built into GUEST_DIR
#          (GUEST_DIR/IMAGE.elf)
#   RAM_MIB guest RAM in MiB (1..64), seen by the guest at RAM_IPA_BASE
#   coherence=  how shadow page tables follow the guest's tables:
#          tlb (default) on the guest's TLB maintenance, wp by write-protecting them
#   spaces=N  how many shadow address spaces the monitor caches for it
#          (1..64, default 4): one per address space it switches among
#          (a Linux guest: about its number of processes), each 16 KiB of the
#          monitor's memory, reserved at boot (docs/memory-map.md)
#   devices=LIST  the optional devices it gets, comma separated (default: all):
#          those the board offers (BOARD_GUEST_DEVICES in its board.mk: uart,
#          sp804, a9timer), or none; the
#          GIC and the generic timer (qemu-virt) are always there
#   virtio=LIST  virtio-mmio devices, comma separated: console, blk (a blank
#          256 KiB RAM disk), net (on the VM's switch); boards with virtio
#          slots (qemu-virt, qemu-vexpress-a9)
#   disk=PATH[:ro]  its virtio-blk disk is this image file (implies blk):
#          embedded with the monitor, right after the monitor's 8 MiB of RAM
#          (the guests' RAM follows the disks), held in host RAM for the life
#          of the monitor (it survives a guest's reset); :ro = read-only.
#          Each guest gets its own copy.  At most DISK_MAX_MIB (64) MiB.
#   mac=52:54:00:XX:XX:XX  its virtio-net MAC address (implies net; default
#          52:54:00:00:00:<index+1>): unicast, unique in the VM
#   assign=0xBASE:0xSIZE[:IRQ][:dma-trusted]  a host device handed to this
#          guest (device assignment, docs/devices.md): its MMIO range is mapped
#          into the guest at the same address (IPA == PA) as Device memory;
#          BASE and SIZE hexadecimal, 4 KiB aligned, inside the board's device
#          space (BOARD_DEVICE_SPACE in board.mk), clear of the board's RAM,
#          of everything the monitor drives itself and of the guests' emulated
#          devices (tools/boardfacts.sh reads them from boards/BOARD/board.c),
#          and of every other guest's assignment.  IRQ (decimal): its
#          interrupt, an SPI (32..VGIC_NR_IRQS-1) that neither the monitor
#          nor an emulated device nor another assignment uses: routed to
#          this guest's virtual GIC only (core/virq.c).
#          dma-trusted: required when the range holds a device that can master
#          DMA (BOARD_DMA_DEVICES in board.mk): without an IOMMU it can
#          reach all memory (docs/security.md).  At most one per guest.
#   backing=demand  its RAM is backed by the monitor at first touch, 1 MiB at
#          a time, from the pool of host RAM no static guest holds, and goes
#          back to the pool when it exits, is stopped or reset (mm/gpmap.c,
#          docs/memory-map.md); RAM_MIB is its maximum.  Not with at=.
#   min=MIB  (backing=demand) RAM guaranteed to it, reserved when it is
#          loaded (default 0): above it, a guest that finds the pool dry is
#          stopped.  The minimums must fit beside the static guests.
#   at=0xADDR  host physical address of the guest's RAM (1 MiB aligned); by
#          default guests are packed, in order, after the monitor's 8 MiB
#   bootargs=WORD[,WORD...]  extra words for the kernel command line in the
#          guest's device tree (/chosen/bootargs), after "console=ttyAMA0 earlycon"
#   cmdline=WORD[,WORD...]  the whole kernel command line instead (commas
#          become spaces; cmdline= alone: an empty one); not with bootargs=
# Numbers are decimal without leading zeros (a leading 0 would read as octal
# in the shell and the assembler); image paths may only hold letters, digits
# and _./+,@=:~- (they are written into the monitor's assembler source).
# Other lines:  slice_ms N   the scheduling time slice (10..1000 ms, default 20)
#
# Memory is partitioned statically, here: every guest's host RAM range is
# fixed at build time and checked against the board's RAM, the monitor and
# the other guests, with a clear error on any overlap.  Guests with
# backing=demand get no range (PA 0 in the table) but their minimum (min=,
# struct guest_image's last field, ram_min); the sum of the minimums must fit
# in what the monitor, the disk images and the static guests leave.
#
# GUEST_IMAGES=external (environment; `make fit`): the images are not
# embedded.  Each guest ELF and DTB gets a fixed host physical address above
# everything else (64 KiB aligned, after the monitor and the guests' RAM),
# where the boot loader puts them (the FIT image's loadables,
# tools/mkits.sh); the monitor copies them into buffers in its .bss at boot
# (core/fetch.c) before it loads any guest.  GUEST_MANIFEST names a file
# that receives one line per image, "elf|dtb NAME FILE PA", and a last line
# "end PA" (the first free address after them).
set -euf        # -f: a '*' in a VM file is not a file name pattern
[ $# -eq 7 ] || { echo "usage: mkguests.sh VMFILE GUEST_DIR RAM_IPA_BASE BOARD DTB_DIR HOST_RAM_SIZE LOAD_ADDR" >&2; exit 1; }
vm=$1; dir=$2; base=$3; board=$4; dtbdir=$5
host_lo=$(( base )); host_hi=$(( base + $6 ))       # the board's RAM
mon_lo=$(( $7 )); mon_hi=$(( $7 + 0x800000 ))       # the monitor (HV_RAM_SIZE)
next_pa=$mon_hi
slice_ms=20
# spaces=: SHADOW_SPACES_MAX in mm/shadow.h
spaces_default=4; spaces_max=64
placed=""                                           # "lo hi name" per guest
hex() { printf '0x%08x' "$1"; }
tools=$(dirname "$0")
die() { echo "mkguests: $vm:$line_no: $*" >&2; exit 1; }
[ -f "$vm" ] || { echo "mkguests: VM configuration '$vm' not found" >&2; exit 1; }
command -v dtc > /dev/null ||
    { echo "mkguests: dtc not found: install device-tree-compiler (make deps)" >&2; exit 1; }
mkdir -p "$dtbdir"

n=0; line_no=0; table=""; images=""; names=" "; seen_elfs=""
min_total=0; static_total=0          # backing=demand minimums, static guests' RAM (bytes)
disk_max_mib=64; disk_off=0; disks=""; disk_deps=""; macs=" "   # disk=, mac=
external=""; [ "${GUEST_IMAGES:-embedded}" = external ] && external=1
bufs=""; fetch=""; nfetch=0; stage_list=""; top=$mon_hi   # (external images)
# The disk images (disk=) sit right after the monitor's 8 MiB, each 4 KiB
# aligned, where the monitor finds them (core/virtio_dev.c: its physical
# base + HV_RAM_SIZE + offset); the guests' RAM is placed after them.
disk_total=0; disk_lo=$mon_hi; disk_line=0

# assign=0xBASE:0xSIZE[:IRQ][:dma-trusted] of guest $name: every check,
# then assign_words (struct guest_image: assign_pa, assign_size, assign_irq)
# and GUEST_F_DMA_TRUSTED in flags.
assigned=""; assigned_irqs=" "; facts=""         # "lo hi guest" per assignment
overlaps() { [ $(( $1 )) -lt $(( $4 )) ] && [ $(( $3 )) -lt $(( $2 )) ]; }   # lo1 hi1 lo2 hi2
check_assign() {
    a=$assign; a_dma=""; a_irq=0
    case "$a" in *:dma-trusted) a_dma=1; a=${a%:dma-trusted};; esac
    a_base=${a%%:*}; a_rest=${a#"$a_base"}; a_rest=${a_rest#:}
    a_size=${a_rest%%:*}; a_irq_s=${a_rest#"$a_size"}; a_irq_s=${a_irq_s#:}
    for x in "$a_base" "$a_size"; do
        case "$x" in 0x*) case "${x#0x}" in ''|*[!0-9a-fA-F]*) false;; esac;; *) false;; esac ||
            die "guest '$name': assign=$assign: expected assign=0xBASE:0xSIZE[:IRQ][:dma-trusted] (BASE and SIZE hexadecimal)"
    done
    if [ -n "$a_irq_s" ]; then
        case "$a_irq_s" in *[!0-9]*|0*) die "guest '$name': assign=$assign: the interrupt '$a_irq_s' is not a decimal number (no leading zero)";; esac
        a_irq=$a_irq_s
    fi
    a_lo=$(( a_base )); a_hi=$(( a_base + a_size ))
    [ $(( a_size )) -gt 0 ] && [ $(( (a_lo | a_size) & 0xFFF )) -eq 0 ] ||
        die "guest '$name': assign=$assign: base and size must be multiples of 4 KiB (the shadow tables map whole pages), size not 0"
    [ $a_hi -le 4294967296 ] || die "guest '$name': assign=$assign: the range passes the end of the 32-bit address space"
    set -- ${BOARD_DEVICE_SPACE:-}
    [ $# -gt 0 ] || die "guest '$name': assign=: board $board describes no device space (BOARD_DEVICE_SPACE in boards/$board/board.mk)"
    inside=""
    for r in "$@"; do
        if [ $a_lo -ge $(( ${r%%:*} )) ] && [ $a_hi -le $(( ${r%%:*} + ${r#*:} )) ]; then inside=1; fi
    done
    [ -n "$inside" ] || die "guest '$name': assign=$assign: $(hex $a_lo)-$(hex $(( a_hi - 1 ))) is not inside the board's device space ($*; BOARD_DEVICE_SPACE)"
    ! overlaps $a_lo $a_hi $host_lo $host_hi ||
        die "guest '$name': assign=$assign: $(hex $a_lo)-$(hex $(( a_hi - 1 ))) overlaps the board's RAM $(hex $host_lo)-$(hex $(( host_hi - 1 )))"
    [ -n "$facts" ] || facts=$("$tools/boardfacts.sh" "$board") || die "cannot read the board's facts (tools/boardfacts.sh $board)"
    while read -r kind lo sz what; do
        case "$kind" in
            mon|emu) ! overlaps $a_lo $a_hi $lo $(( lo + sz )) ||
                die "guest '$name': assign=$assign: $(hex $a_lo)-$(hex $(( a_hi - 1 ))) overlaps $what at $(hex $lo)-$(hex $(( lo + sz - 1 )))" ;;
            irq) [ "$a_irq" -eq 0 ] || [ "$a_irq" -ne "$lo" ] ||
                die "guest '$name': assign=$assign: interrupt $a_irq is $sz $what" ;;
        esac
    done <<EOT
$facts
EOT
    echo "$assigned" | while read -r lo hi other; do
        [ -z "$lo" ] && continue
        ! overlaps $a_lo $a_hi $lo $hi ||
            { echo "mkguests: $vm:$line_no: guest '$name': assign=$assign: $(hex $a_lo)-$(hex $(( a_hi - 1 ))) overlaps the device assigned to guest '$other' at $(hex $lo)-$(hex $(( hi - 1 )))" >&2; exit 1; }
    done || exit 1
    if [ "$a_irq" -ne 0 ]; then
        nirq=$(sed -n 's/^#define VGIC_NR_IRQS *\([0-9]*\).*/\1/p' "$tools/../drivers/emul/vgic.h")
        [ "$a_irq" -ge 32 ] && [ "$a_irq" -lt "$nirq" ] ||
            die "guest '$name': assign=$assign: interrupt $a_irq is not a shared peripheral interrupt of the virtual GIC (32..$(( nirq - 1 )))"
        case "$assigned_irqs" in *" $a_irq "*) die "guest '$name': assign=$assign: interrupt $a_irq is already assigned to another guest";; esac
    fi
    dma=""
    for r in ${BOARD_DMA_DEVICES:-}; do
        ! overlaps $a_lo $a_hi $(( ${r%%:*} )) $(( ${r%%:*} + ${r#*:} )) || dma=$r
    done
    [ -z "$dma" ] || [ -n "$a_dma" ] ||
        die "guest '$name': assign=$assign: the range holds DMA-capable devices ($dma, BOARD_DMA_DEVICES): without an IOMMU they can read and write all memory; add :dma-trusted if this guest may (docs/security.md)"
    assigned="$assigned
$a_lo $a_hi $name"
    [ "$a_irq" -eq 0 ] || assigned_irqs="$assigned_irqs$a_irq "
    [ -z "$a_dma" ] || flags=$(( flags | 256 ))    # GUEST_F_DMA_TRUSTED
    assign_words="$(hex $a_lo), $(hex $(( a_size ))), $a_irq"
}
while IFS= read -r line || [ -n "$line" ]; do
    disk_line=$((disk_line + 1))
    for d in $(echo "${line%%#*}" | tr ' \t' '\n\n' | sed -n 's/^disk=//p'); do
        d=${d%:ro}
        [ -f "$d" ] || continue                     # reported with its guest below
        disk_total=$(( (disk_total + $(wc -c < "$d") + 0xFFF) & ~0xFFF ))
        [ $(( disk_lo + disk_total )) -le $host_hi ] || { echo "mkguests: $vm:$disk_line: disk image '$d': the disk images up to here (disk=, $disk_total bytes) do not fit in the board's RAM after the monitor: $(hex $disk_lo)-$(hex $(( disk_lo + disk_total - 1 ))), RAM ends $(hex $(( host_hi - 1 )))" >&2; exit 1; }
    done
done < "$vm"
disk_hi=$(( disk_lo + disk_total ))
if [ $disk_total -gt 0 ]; then
    next_pa=$(( (disk_hi + 0xFFFFF) & ~0xFFFFF )); top=$next_pa
fi
while IFS= read -r line || [ -n "$line" ]; do
    line_no=$((line_no + 1))
    line=${line%%#*}
    set -- $line
    [ $# -eq 0 ] && continue
    if [ "$1" = slice_ms ]; then
        [ $# -eq 2 ] && case "$2" in ''|*[!0-9]*|0*) false;; esac && [ "$2" -ge 10 ] && [ "$2" -le 1000 ] ||
            die "expected: slice_ms N with N from 10 to 1000 (decimal, no leading zero)"
        slice_ms=$2
        continue
    fi
    [ "$1" = guest ] || die "unknown keyword '$1' (expected: guest NAME IMAGE RAM_MIB [options], or slice_ms N)"
    [ $# -ge 4 ] || die "expected: guest NAME IMAGE RAM_MIB [coherence=tlb|wp] [at=0xADDR]"
    name=$2; image=$3; ram=$4; flags=0; spaces=$spaces_default; at=""; demand=""; min=0; devices=all; bootargs=""; cmdline=""; has_cmdline=""; disk=""; mac=""; assign=""
    shift 4
    for opt in "$@"; do
        case "$opt" in
            coherence=tlb) flags=0 ;;
            coherence=wp) flags=1 ;;
            spaces=*) spaces=${opt#spaces=}
                      case "$spaces" in ''|*[!0-9]*|0*) false;; esac && [ "$spaces" -le $spaces_max ] ||
                          die "guest '$name': $opt: expected spaces=N with N from 1 to $spaces_max (decimal, no leading zero): the shadow address spaces cached for it" ;;
            at=0x*) at=${opt#at=}
                    case "${at#0x}" in ''|*[!0-9a-fA-F]*) die "at=$at: expected a hexadecimal address 0xADDR";; esac ;;
            backing=demand) demand=1; flags=$(( flags | 512 )) ;;     # GUEST_F_DEMAND
            backing=static) ;;
            min=*) min=${opt#min=}
                   case "$min" in ''|*[!0-9]*|0?*) die "guest '$name': $opt: expected a number of MiB (decimal, no leading zero)";; esac ;;
            devices=*) devices=${opt#devices=} ;;
            virtio=*) case "$board" in qemu-virt|qemu-vexpress-a9) ;;
                          *) die "guest '$name': $opt needs a board with virtio slots (qemu-virt, qemu-vexpress-a9)";; esac
                      for v in $(echo "${opt#virtio=}" | tr ',' ' '); do    # GUEST_F_VIRTIO_* (core/guest.h)
                          case "$v" in console) flags=$(( flags | 16 ));; blk) flags=$(( flags | 32 ));;
                              net) flags=$(( flags | 64 ));; *) die "guest '$name': no virtio device '$v' (known: console, blk, net)";; esac
                      done ;;
            bootargs=*) bootargs=$(echo "${opt#bootargs=}" | tr ',' ' ')
                        case "$bootargs" in *[!A-Za-z0-9_.,=:/@+\ -]*)
                            die "bootargs '$bootargs': only letters, digits and _.,=:/@+- are allowed";; esac ;;
            cmdline=*) cmdline=$(echo "${opt#cmdline=}" | tr ',' ' '); has_cmdline=1
                        case "$cmdline" in *[!A-Za-z0-9_.,=:/@+\ -]*)
                            die "cmdline '$cmdline': only letters, digits and _.,=:/@+- are allowed";; esac ;;
            disk=*|mac=*) case "$board" in qemu-virt|qemu-vexpress-a9) ;;
                          *) die "guest '$name': $opt needs a board with virtio slots (qemu-virt, qemu-vexpress-a9)";; esac
                      case "$opt" in disk=*) disk=${opt#disk=}; flags=$(( flags | 32 ));;    # GUEST_F_VIRTIO_BLK
                                     *) mac=${opt#mac=}; flags=$(( flags | 64 ));; esac ;;  # GUEST_F_VIRTIO_NET
            assign=*) [ -z "$assign" ] || die "guest '$name': at most one assign= per guest"
                      assign=${opt#assign=} ;;
            *) die "unknown option '$opt' (known: coherence=tlb, coherence=wp, spaces=N, devices=LIST, virtio=LIST, disk=PATH[:ro], mac=XX:XX:XX:XX:XX:XX, assign=0xBASE:0xSIZE[:IRQ][:dma-trusted], at=0xADDR, backing=demand, min=MIB, bootargs=WORDS, cmdline=WORDS)" ;;
        esac
    done
    [ -z "$has_cmdline" ] || [ -z "$bootargs" ] ||
        die "guest '$name': cmdline= sets the whole command line, bootargs= adds to the default one: give one of them"
    # Optional devices, per board; GUEST_F_NO_* bits for those left out.
    # (BOARD_GUEST_DEVICES from board.mk, else the two original boards')
    case "$board" in
        qemu-virt) offered="uart" ;;
        *) offered="uart sp804 a9timer" ;;
    esac
    offered=${BOARD_GUEST_DEVICES:-$offered}
    if [ "$devices" != all ]; then
        [ "$devices" = none ] && devices=""
        for d in $(echo "$devices" | tr ',' ' '); do
            case " $offered " in *" $d "*) ;; *) die "guest '$name': no device '$d' on $board (offered: $offered)";; esac
        done
        bit=2
        for d in uart sp804 a9timer; do
            case ",$devices," in *",$d,"*) ;; *) flags=$(( flags | bit ));; esac
            bit=$(( bit * 2 ))
        done
        [ -n "$devices" ] || devices=none
    fi
    # disk=PATH[:ro]: checked here, placed after the monitor (below).
    disk_words="0, 0"
    if [ -n "$disk" ]; then
        case "$disk" in *:ro) disk=${disk%:ro}; flags=$(( flags | 128 ));; esac   # GUEST_F_DISK_RO
        [ -n "$disk" ] || die "guest '$name': disk= needs an image file (disk=PATH[:ro])"
        [ -f "$disk" ] || die "guest '$name': disk image '$disk' not found"
        case "$disk" in *[!A-Za-z0-9_./+-]*) die "guest '$name': disk image path '$disk': only letters, digits and _./+- are allowed";; esac
        dbytes=$(wc -c < "$disk")
        [ "$dbytes" -ge 512 ] || die "guest '$name': disk image '$disk' is $dbytes bytes: a disk holds at least one 512-byte sector"
        [ $(( dbytes % 512 )) -eq 0 ] || die "guest '$name': disk image '$disk' is $dbytes bytes, not a whole number of 512-byte sectors"
        [ "$dbytes" -le $(( disk_max_mib * 0x100000 )) ] ||
            die "guest '$name': disk image '$disk' is $dbytes bytes, more than the limit of $disk_max_mib MiB per disk"
        disk_words="$(hex $disk_off), $dbytes"
        disks="$disks
    .balign 4096
disk$n: .incbin \"$disk\""
        disk_deps="$disk_deps $disk"
        disk_off=$(( (disk_off + dbytes + 0xFFF) & ~0xFFF ))
    fi
    # mac=: six hex octets, unicast (I/G bit clear), not all zero, unique.
    mac_bytes="0, 0, 0, 0, 0, 0"
    if [ -n "$mac" ]; then
        echo "$mac" | grep -q -x -E '[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}' ||
            die "guest '$name': mac=$mac is not six hex octets XX:XX:XX:XX:XX:XX"
        mac=$(echo "$mac" | tr A-F a-f)
        [ $(( 0x${mac%%:*} & 1 )) -eq 0 ] || die "guest '$name': mac=$mac is a multicast address (bit 0 of the first octet set)"
        [ "$mac" != 00:00:00:00:00:00 ] || die "guest '$name': mac=$mac: the all-zero address is not a station address"
        case "$macs" in *" $mac "*) die "guest '$name': mac=$mac is already another guest's";; esac
        macs="$macs$mac "
        mac_bytes="0x$(echo "$mac" | sed 's/:/, 0x/g')"
    fi
    case "$name" in *[!A-Za-z0-9_.-]*|"") die "bad guest name '$name'";; esac
    assign_words="0, 0, 0"
    [ -z "$assign" ] || check_assign
    case "$names" in *" $name "*) die "guest name '$name' used twice";; esac
    names="$names$name "
    case "$ram" in ''|*[!0-9]*) die "RAM size '$ram' is not a number of MiB";; esac
    case "$ram" in 0*) die "RAM size '$ram': write the number of MiB without a leading zero (it would read as octal)";; esac
    [ "$ram" -ge 1 ] && [ "$ram" -le 64 ] || die "RAM size $ram MiB out of range 1..64"
    # backing=demand: no placement; only the minimums are summed (checked below).
    size=$(( ram * 0x100000 ))
    if [ -n "$demand" ]; then
        [ -z "$at" ] || die "guest '$name': at= places its RAM, backing=demand backs it at first touch: give one of them"
        [ "$min" -le "$ram" ] || die "guest '$name': min=$min MiB is above its RAM of $ram MiB"
        min_total=$(( min_total + min ))
    else
        [ "$min" -eq 0 ] || die "guest '$name': min= is for guests with backing=demand"
    fi
    # Static placement in host RAM, checked here rather than at boot.
    if [ -n "$demand" ]; then :; else
    if [ -n "$at" ]; then pa=$(( at )); else pa=$next_pa; fi
    [ $(( pa & 0xFFFFF )) -eq 0 ] || die "guest '$name': at=$(hex $pa) is not 1 MiB aligned"
    [ $pa -ge $host_lo ] && [ $(( pa + size )) -le $host_hi ] ||
        die "guest '$name': RAM $(hex $pa)-$(hex $(( pa + size - 1 ))) is outside the board's RAM $(hex $host_lo)-$(hex $(( host_hi - 1 )))"
    [ $(( pa + size )) -le $mon_lo ] || [ $pa -ge $mon_hi ] ||
        die "guest '$name': RAM $(hex $pa)-$(hex $(( pa + size - 1 ))) overlaps the monitor at $(hex $mon_lo)-$(hex $(( mon_hi - 1 )))"
    [ $disk_total -eq 0 ] || [ $(( pa + size )) -le $disk_lo ] || [ $pa -ge $disk_hi ] ||
        die "guest '$name': RAM $(hex $pa)-$(hex $(( pa + size - 1 ))) overlaps the virtio disk images at $(hex $disk_lo)-$(hex $(( disk_hi - 1 )))"
    echo "$placed" | while read -r lo hi other; do
        [ -z "$lo" ] && continue
        if [ $pa -lt $hi ] && [ $(( pa + size )) -gt $lo ]; then
            echo "mkguests: $vm:$line_no: guest '$name': RAM $(hex $pa)-$(hex $(( pa + size - 1 ))) overlaps guest '$other' at $(hex $lo)-$(hex $(( hi - 1 )))" >&2
            exit 1
        fi
    done || exit 1
    placed="$placed
$pa $(( pa + size )) $name"
    [ -n "$at" ] || next_pa=$(( pa + size ))
    [ $(( pa + size )) -le $top ] || top=$(( pa + size ))
    static_total=$(( static_total + size ))
    fi
    [ -z "$demand" ] || pa=0
    # The path goes into an assembler string (.incbin "..."): no quote,
    # backslash or anything else that could end or bend it.
    case "$image" in *[!A-Za-z0-9_./+,@=:~-]*)
        die "guest '$name': image path '$image': only letters, digits and _./+,@=:~- are allowed (it is written into the monitor's assembler source)";; esac
    if [ -f "$image" ]; then elf=$image; else elf=$dir/$image.elf; fi
    [ -f "$elf" ] || die "guest image '$image' not found (looked for $image and $elf)"
    head -c 4 "$elf" | od -An -c | grep -q 'E   L   F' || die "'$elf' is not an ELF file"
    dts=$dtbdir/guest-$name.dts; dtb=$dtbdir/guest-$name.dtb
    vlist=""                                        # its virtio devices, for its device tree
    [ $(( flags & 16 )) -eq 0 ] || vlist="$vlist,console"
    [ $(( flags & 32 )) -eq 0 ] || vlist="$vlist,blk"
    [ $(( flags & 64 )) -eq 0 ] || vlist="$vlist,net"
    GUEST_VIRTIO="${vlist#,}" GUEST_BOOTARGS="$bootargs" GUEST_CMDLINE="$cmdline" GUEST_HAS_CMDLINE="$has_cmdline" "$tools/mkdts.sh" "$board" "$base" "$ram" "$name" "$devices" > "$dts" || die "no device tree for guest '$name'"
    dtc -I dts -O dtb -o "$dtb" "$dts" || die "dtc failed on $dts"
    # Guests running the same image share one embedded copy (two Linux
    # guests would not fit twice into the monitor's 8 MiB).
    el=$n
    if [ -z "$external" ]; then
        prev=$(printf '%s\n' "$seen_elfs" | awk -v p="$elf" '$2 == p { print $1; exit }')
        if [ -n "$prev" ]; then el=$prev; else seen_elfs="$seen_elfs
$n $elf"; fi
    fi
    # The order of these fields is struct guest_image's (core/guest.h).
    table="$table
    .word name$n, elf$el, elf${el}_end - elf$el, dtb$n, dtb${n}_end - dtb$n, $base, $ram * 0x100000, $flags, $(hex $pa), $disk_words, $assign_words
    .byte $mac_bytes, 0, 0
    .word $min * 0x100000, $spaces"
    if [ -n "$external" ]; then
        images="$images
name$n: .asciz \"$name\""
        bufs="$bufs
    .balign 8
elf$n: .space $(wc -c < "$elf")
elf${n}_end:
    .balign 8
dtb$n: .space $(wc -c < "$dtb")
dtb${n}_end:"
        stage_list="$stage_list
elf $n $name $elf
dtb $n $name $dtb"
        n=$((n + 1))
        continue
    fi
    images="$images
name$n: .asciz \"$name\""
    [ "$el" = "$n" ] && images="$images
    .balign 8
elf$n: .incbin \"$elf\"
elf${n}_end:"
    images="$images
    .balign 8
dtb$n: .incbin \"$dtb\"
dtb${n}_end:
    .balign 4"
    n=$((n + 1))
done < "$vm"
[ $n -gt 0 ] || { echo "mkguests: $vm: no guests configured" >&2; exit 1; }
[ $n -le 8 ] || { echo "mkguests: $vm: $n guests configured, at most 8 supported" >&2; exit 1; }
# The demand guests' minimums come from the board's RAM that the monitor, the
# disk images and the static guests leave (the monitor checks again at boot).
pool_mib=$(( (host_hi - host_lo - 0x800000 - ((disk_total + 0xFFFFF) & ~0xFFFFF) - static_total) / 0x100000 ))
[ $min_total -le $pool_mib ] || { echo "mkguests: $vm: the guaranteed minimums of the guests with backing=demand (min=) add up to $min_total MiB, more than the $pool_mib MiB of board RAM the monitor, its disk images and the static guests leave" >&2; exit 1; }

# External images: staged above the monitor and every guest's RAM.
if [ -n "$external" ]; then
    stage=$(( (top + 0xFFFF) & ~0xFFFF ))
    [ -z "${GUEST_MANIFEST:-}" ] || : > "$GUEST_MANIFEST"
    while read -r kind k gname file; do
        [ -n "$kind" ] || continue
        bytes=$(wc -c < "$file")
        fetch="$fetch
    .word $kind$k, $(hex $stage), $bytes"
        nfetch=$((nfetch + 1))
        [ -z "${GUEST_MANIFEST:-}" ] || echo "$kind $gname $file $(hex $stage)" >> "$GUEST_MANIFEST"
        stage=$(( (stage + bytes + 0xFFFF) & ~0xFFFF ))
    done <<EOL
$stage_list
EOL
    [ $stage -le $host_hi ] || { echo "mkguests: $vm: the guest images staged at $(hex $(( (top + 0xFFFF) & ~0xFFFF )))-$(hex $(( stage - 1 ))) (after the monitor and the guests' RAM) do not fit in the board's RAM (ends $(hex $(( host_hi - 1 ))))" >&2; exit 1; }
    [ -z "${GUEST_MANIFEST:-}" ] || echo "end - - $(hex $stage)" >> "$GUEST_MANIFEST"
fi

cat <<EOT
/* Generated by tools/mkguests.sh from $vm; do not edit. */
    .section .guest_table, "a"
    .balign 4
    .global guest_image_count
guest_image_count: .word $n
    .global vm_slice_ms
vm_slice_ms: .word $slice_ms
    .global guest_images
guest_images:$table
    /* images the boot loader put in RAM, copied in by core/fetch.c:
     * (buffer, physical address, bytes) */
    .balign 4
    .global guest_fetch_count
guest_fetch_count: .word $nfetch
    .global guest_fetch
guest_fetch:$fetch
    .section .guest_images, "a"$images
    .section .bss.guest_images, "aw", %nobits$bufs
    /* virtio disk images (disk=): linker.ld puts .vdisks at the monitor's
     * load address + HV_RAM_SIZE */
    .section .vdisks, "aw"$disks
EOT
# make rebuilds the monitor when a disk image changes.
echo "$dtbdir/guest_images.o:$disk_deps" > "$dtbdir/guest_images.d"
