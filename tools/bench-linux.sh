#!/usr/bin/env bash
# `make bench`, Linux part (issue 7): the guest kernel of `make linux` booted
#   native        unpatched Image straight on QEMU (uImage at RAM + 0x8000)
#   virtualized   pvpatched (SRFA, FIT, NOP'd TLB maintenance) under the monitor
#   fast-paths-off  plain PV rewrites, monitor built with SRFA=0 FIT=0 LEAN_TRAP=0
#                 FAST_SYSCALL=0 FAST_CP15=0 FAST_MMIO=0 LAZY_WP=0 SPACE_INHERIT=0,
#                 shadow coherence by TLB maintenance
# on qemu-virt under -icount shift=0,sleep=off, where one nanosecond of virtual
# time is one instruction.  The guest's init runs guest-stubs/linux/hvbench.sh
# (bootargs hvbench hvpoweroff) and powers off; numbers come from lbench:
#   boot      the virtual counter when init starts: instructions from reset
#             (monitor included) to user space; idle time the kernel spends
#             waiting for timers is included (sleep=off warps it), equally
#             in every column
#   syscall / pipe / fork   ns (= instructions) per operation
# Writes build/bench/linux.csv and build/bench/linux.md; prints the table.
set -u
cd "$(dirname "$0")/.."
BOARD=qemu-virt
OUT=build/bench
RAW=$OUT/out
TIMEOUT=${TIMEOUT:-600}
mkdir -p "$RAW"
die() { echo "bench-linux: $*" >&2; exit 1; }
QEMU="qemu-system-arm $(make -s BOARD=$BOARD print-BOARD_QEMU) -display none -serial stdio -monitor none -icount shift=0,sleep=off"

echo "== bench-linux: building the Linux guest (make linux)"
make -s BOARD=$BOARD linux > "$RAW/linux-build.log" 2>&1 || { tail -20 "$RAW/linux-build.log"; die "make linux failed"; }
mkimage -A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000 -n linux-native \
    -d build/linux/Image "$RAW/uImage-native" > /dev/null || die "mkimage failed"

vm() {  # vm NAME IMAGE COHERENCE: a VM file running the benchmark
    printf '# make bench: one Linux guest running its workloads (tools/bench-linux.sh)\nguest linux %s 64 coherence=%s bootargs=hvbench,hvpoweroff\n' "$2" "$3" > "$OUT/$1.vm"
}
vm bench-linux linux-pv wp
vm bench-linux-plain linux-pv-plain tlb
echo "== bench-linux: building the monitors"
make -s BOARD=$BOARD VM=$OUT/bench-linux.vm monitor > "$RAW/linux-mon.log" 2>&1 || die "monitor build failed ($RAW/linux-mon.log)"
make -s BOARD=$BOARD B=$OUT/variants/linux-off SRFA=0 FIT=0 FAST_SYSCALL=0 LEAN_TRAP=0 \
    FAST_CP15=0 FAST_MMIO=0 LAZY_WP=0 SPACE_INHERIT=0 VM=$OUT/bench-linux-plain.vm \
    monitor > "$RAW/linux-mon-off.log" 2>&1 || die "monitor build failed ($RAW/linux-mon-off.log)"

run() {  # run NAME QEMU-ARGS...
    local name=$1; shift
    echo "== bench-linux: $name"
    timeout "$TIMEOUT" $QEMU "$@" < /dev/null > "$RAW/linux-$name.txt" 2> "$RAW/linux-$name.err"
    grep -q 'hvbench: done' "$RAW/linux-$name.txt" ||
        { cat "$RAW/linux-$name.err" >&2; die "$name: the workloads did not finish ($RAW/linux-$name.txt)"; }
}
run native -kernel "$RAW/uImage-native" -append "console=ttyAMA0 hvbench hvpoweroff"
run virtualized -semihosting -kernel build/$BOARD/vm-bench-linux/monitor.elf
run fast-paths-off -semihosting -kernel $OUT/variants/linux-off/vm-bench-linux-plain/monitor.elf

val() {  # val NAME ROW
    tr -d '\r' < "$RAW/linux-$1.txt" | sed -E 's/^\[g0\] //' | awk -v r="$2" '$1 == "lbench" && $2 == r { print $3 }' | tail -1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
    echo "op,native,virtualized,fast_paths_off"
    for r in boot syscall pipe fork; do
        echo "$r,$(val native $r),$(val virtualized $r),$(val fast-paths-off $r)"
    done
} > "$OUT/linux.csv"
{
    echo "| Linux guest (instructions) | native | virtualized | ratio | fast paths off | ratio | target |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    while IFS=, read -r op n v o; do
        [ "$op" = op ] && continue
        case $op in
            boot) label="boot to init (reset → user space)"; target=1.3 ;;
            syscall) label="null syscall (getppid)"; target=1.5 ;;
            pipe) label="pipe ping-pong round trip (2 switches)"; target=1.5 ;;
            fork) label="fork + exit + wait"; target=1.5 ;;
        esac
        r1=$(ratio "$v" "$n"); r2=$(ratio "$o" "$n")
        mark=$(awk -v r="$r1" -v t="$target" 'BEGIN { print (r + 0 <= t) ? "≤ " t "x ✔" : "≤ " t "x ✘" }')
        echo "| $label | $n | $v | ${r1}x | $o | ${r2}x | $mark |"
    done < "$OUT/linux.csv"
} > "$OUT/linux.md"
cat "$OUT/linux.md"
# Trap counts per class for one boot + workload run (the monitor prints them
# when the guest powers off).
echo
echo "Trap statistics of the virtualized run (boot, workloads, poweroff):"
tr -d '\r' < "$RAW/linux-virtualized.txt" | sed -n '/trap statistics:/,/total/p' | tee "$OUT/linux-traps.txt"
