#!/bin/sh
# What a board's monitor keeps for itself, read from the board description
# (boards/BOARD/board.c) so that nothing is typed twice:
#   boardfacts.sh BOARD
# prints one line per fact:
#   mon LO SIZE WHAT    a physical range the monitor itself drives (its UART,
#                       the GIC, every device board.c maps with arch_map_device)
#   emu LO SIZE WHAT    a window where each guest finds an emulated device
#                       (core/virq.c, core/virtio_dev.c)
#   irq N WHAT          an interrupt ID the monitor takes or gives guests
# Ranges are rounded out to whole 4 KiB pages (assignment granularity).
# The board.c is run through the C preprocessor (BOARD_CPP, default
# arm-none-eabi-gcc -E), which expands its macros; the `board` initializer
# then holds plain arithmetic the shell evaluates.  Used by tools/mkguests.sh
# to check `assign=` (docs/devices.md, device assignment).
set -eu
[ $# -eq 1 ] || { echo "usage: boardfacts.sh BOARD" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/boards/$1/board.c
[ -f "$src" ] || { echo "boardfacts: no $src" >&2; exit 1; }
pp=$(${BOARD_CPP:-arm-none-eabi-gcc -E} -P -I"$top/include" -I"$top/arch/arm/include" "$src")
init=$(printf '%s\n' "$pp" | awk '/^const struct board_desc board = \{/,/^\};/' | tr '\n' ' ')
# field NAME: its value (0 if board.c leaves it out)
field() {
    v=$(printf '%s\n' "$init" | tr ',' '\n' | sed -n "s/^ *\.$1 *= *\(.*[^ ]\) *\$/\1/p")
    case "$v" in '') echo 0;; *[!0-9a-fA-FxX+\ \(\)-]*) echo "boardfacts: $1 = '$v' is not a number" >&2; exit 1;;
        *) echo $(( $v ));; esac
}
page() {            # LO SIZE WHAT -> the pages covering it
    lo=$(( $2 & ~0xFFF )); hi=$(( ($2 + $3 + 0xFFF) & ~0xFFF ))
    printf '%s 0x%08x 0x%x %s\n' "$1" $lo $(( hi - lo )) "$4"
}
uart=$(field uart_base); gicd=$(field gic_dist_base); gicc=$(field gic_cpu_base)
gicc_size=$(field gic_cpu_size); [ "$gicc_size" -ne 0 ] || gicc_size=0x1000
page mon "$uart" 0x1000 "the monitor's UART"
page mon "$gicd" 0x1000 "the GIC distributor"
page mon "$gicc" "$gicc_size" "the GIC CPU interface"
# Every other device the board code maps for the monitor (its timers).
printf '%s\n' "$pp" | grep -o 'arch_map_device([^;]*' | sed 's/^arch_map_device(//' |
while read -r arg; do
    arg=${arg%%,*}; arg=${arg%)}
    case "$arg" in uint32_t*) continue;; board.*) arg=$(field "${arg#board.}");; esac
    page mon $(( $arg )) 1 "a device of the monitor (boards/$1/board.c: arch_map_device)"
done
# Each guest's emulated devices sit at the board's addresses.
page emu "$uart" 0x1000 "the guests' emulated UART"
page emu "$gicd" 0x1000 "the guests' virtual GIC distributor"
page emu "$gicc" "$gicc_size" "the guests' virtual GIC CPU interface"
for f in vsp804 va9timer vsysregs; do
    b=$(field ${f}_base); [ "$b" -eq 0 ] || page emu "$b" 1 "the guests' emulated ${f#v} window"
done
vb=$(field vvirtio_base)
if [ "$vb" -ne 0 ]; then
    # as many 0x200-byte slots as core/virtio_dev.c places (enum SLOT_*, NSLOTS)
    nslots=$(sed -n 's/^enum { *\(SLOT_[A-Z_, ]*\)NSLOTS *};.*/\1/p' "$top/core/virtio_dev.c" | tr -cd ',' | wc -c)
    [ "$nslots" -gt 0 ] || { echo "boardfacts: no NSLOTS in core/virtio_dev.c" >&2; exit 1; }
    page emu "$vb" $(( nslots * 0x200 )) "the guests' virtio slots"
    i=0; while [ $i -lt "$nslots" ]; do echo "irq $(( $(field vvirtio_irq) + i )) the guests' virtio slot $i"; i=$((i + 1)); done
fi
echo "irq $(field timer_irq) the monitor's scheduling tick"
d=$(field deadline_irq); [ "$d" -eq 0 ] || echo "irq $d the monitor's deadline timer"
echo "irq $(field uart_irq) the monitor's UART"
for f in vsp804 va9timer; do
    i=$(field ${f}_irq); [ "$i" -eq 0 ] || echo "irq $i the guests' emulated ${f#v}"
done
