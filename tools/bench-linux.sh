#!/usr/bin/env bash
# `make bench`, Linux part (issues 7 and 16): an lmbench-class suite in the
# guest (guest-stubs/linux/userland/lbench.c, hvbench.sh), the guest kernel of
# `make linux` booted
#   native          unpatched Image straight on QEMU (uImage at RAM + 0x8000)
#   virtualized     pvpatched (SRFA, FIT, NOP'd TLB maintenance, return-to-user
#                   operation) under the monitor with every fast path on
#   ret-user off    make RET_USER=0: the kernel without the return-to-user
#                   operation (docs/pv-abi.md), the monitor's generic path
#   fast-paths-off  plain PV rewrites, monitor built with SRFA=0 FIT=0 LEAN_TRAP=0
#                   FAST_SYSCALL=0 FAST_CP15=0 FAST_MMIO=0 LAZY_WP=0 SPACE_INHERIT=0
#                   RET_USER=0, shadow coherence by TLB maintenance
#   demand          as virtualized, the guest's RAM backed on demand (VM file
#                   backing=demand, issue 19): first touches pay for chunks
# BENCH_LINUX_RUNS="virtualized demand" runs (and builds) only those columns
# (the others print empty).
# on qemu-virt under -icount shift=0,sleep=off, where one nanosecond of virtual
# time is one instruction.  The guest's init runs hvbench.sh (bootargs hvbench
# hvpoweroff) and powers off; numbers come from lbench:
#   boot      the virtual counter when init starts: instructions from reset
#             (monitor included) to user space; idle time the kernel spends
#             waiting for timers is included (sleep=off warps it), equally
#             in every column
#   the rest  ns (= instructions) per operation (lbench.c says what each is)
# Then the trap census per workload (BENCH_CENSUS=0 skips it): the virtualized
# guest booted once per workload (bootarg hvbench=NAME) and once with none;
# the difference of the monitor's trap counts at power-off is the workload's.
# The guest caches 32 shadow address spaces (spaces=32; BENCH_SPACES=N for
# another count, 4 for the monitor's default).
# Writes build/bench/linux.csv, linux.md, linux-census.md; prints the tables.
set -u
cd "$(dirname "$0")/.."
BOARD=qemu-virt
OUT=build/bench
RAW=$OUT/out
TIMEOUT=${TIMEOUT:-900}
mkdir -p "$RAW"
die() { echo "bench-linux: $*" >&2; exit 1; }
QEMU="qemu-system-arm $(make -s BOARD=$BOARD print-BOARD_QEMU) -display none -serial stdio -monitor none -icount shift=0,sleep=off"
# Workloads (hvbench.sh names) and the rows they print (lbench names).
WORKLOADS="syscall read write stat signal pipe unix ctx2 ctx8 ctx16 fork exec pagefault mmap shell compute timerlat"
ROWS="boot syscall read write stat siginst sigdeliv pipe unix ctx2 ctx8 ctx16 fork exec pagefault mmap shell compute timerlat"

# Shadow spaces cached for the guest (spaces=, as in configs/linux.vm): more
# than the 16 processes of ctx16 switch among.  BENCH_SPACES=4: the old cache.
SPACES=${BENCH_SPACES:-32}
vm() {  # vm NAME IMAGE COHERENCE BOOTARGS [OPTION]: a VM file running the benchmark
    printf '# make bench: one Linux guest running its workloads (tools/bench-linux.sh)\nguest linux %s 64 coherence=%s spaces=%s bootargs=%s %s\n' "$2" "$3" "$SPACES" "$4" "${5:-}" > "$OUT/$1.vm"
}
RUNS=${BENCH_LINUX_RUNS:-native virtualized ret-user-off fast-paths-off demand}
want() { case " $RUNS " in *" $1 "*) return 0 ;; esac; return 1; }
# BENCH_ONLY_CENSUS=1: the per-workload trap census alone
if [ "${BENCH_ONLY_CENSUS:-0}" != 1 ]; then
echo "== bench-linux: building the Linux guest (make linux)"
make -s BOARD=$BOARD linux > "$RAW/linux-build.log" 2>&1 || { tail -20 "$RAW/linux-build.log"; die "make linux failed"; }
mkimage -A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000 -n linux-native \
    -d build/linux/Image "$RAW/uImage-native" > /dev/null || die "mkimage failed"

vm bench-linux linux-pv wp hvbench,hvpoweroff
vm bench-linux-noret linux-pv wp hvbench,hvpoweroff
vm bench-linux-plain linux-pv-plain tlb hvbench,hvpoweroff
vm bench-linux-demand linux-pv wp hvbench,hvpoweroff backing=demand
echo "== bench-linux: building the monitors"
want virtualized && { make -s BOARD=$BOARD VM=$OUT/bench-linux.vm monitor > "$RAW/linux-mon.log" 2>&1 ||
    die "monitor build failed ($RAW/linux-mon.log)"; }
want ret-user-off && { make -s BOARD=$BOARD B=$OUT/variants/linux-noret RET_USER=0 VM=$OUT/bench-linux-noret.vm \
    monitor > "$RAW/linux-mon-noret.log" 2>&1 || die "monitor build failed ($RAW/linux-mon-noret.log)"; }
want fast-paths-off && { make -s BOARD=$BOARD B=$OUT/variants/linux-off SRFA=0 FIT=0 FAST_SYSCALL=0 LEAN_TRAP=0 RET_USER=0 \
    FAST_CP15=0 FAST_MMIO=0 LAZY_WP=0 SPACE_INHERIT=0 VM=$OUT/bench-linux-plain.vm \
    monitor > "$RAW/linux-mon-off.log" 2>&1 || die "monitor build failed ($RAW/linux-mon-off.log)"; }
want demand && { make -s BOARD=$BOARD VM=$OUT/bench-linux-demand.vm monitor > "$RAW/linux-mon-demand.log" 2>&1 ||
    die "monitor build failed ($RAW/linux-mon-demand.log)"; }

run() {  # run NAME QEMU-ARGS...
    local name=$1; shift
    want "$name" || { rm -f "$RAW/linux-$name.txt"; return 0; }
    echo "== bench-linux: $name"
    timeout "$TIMEOUT" $QEMU "$@" < /dev/null > "$RAW/linux-$name.txt" 2> "$RAW/linux-$name.err"
    grep -q 'hvbench: done' "$RAW/linux-$name.txt" ||
        { cat "$RAW/linux-$name.err" >&2; die "$name: the workloads did not finish ($RAW/linux-$name.txt)"; }
}
run native -kernel "$RAW/uImage-native" -append "console=ttyAMA0 hvbench hvpoweroff"
run virtualized -semihosting -kernel build/$BOARD/vm-bench-linux/monitor.elf
run ret-user-off -semihosting -kernel $OUT/variants/linux-noret/vm-bench-linux-noret/monitor.elf
run fast-paths-off -semihosting -kernel $OUT/variants/linux-off/vm-bench-linux-plain/monitor.elf
run demand -semihosting -kernel build/$BOARD/vm-bench-linux-demand/monitor.elf

val() {  # val NAME ROW
    [ -f "$RAW/linux-$1.txt" ] || return 0
    tr -d '\r' < "$RAW/linux-$1.txt" | sed -E 's/^\[g0\] //' | awk -v r="$2" '$1 == "lbench" && $2 == r { print $3 }' | tail -1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else print "-" }'; }
{
    echo "op,native,virtualized,ret_user_off,fast_paths_off,demand"
    for r in $ROWS; do
        echo "$r,$(val native $r),$(val virtualized $r),$(val ret-user-off $r),$(val fast-paths-off $r),$(val demand $r)"
    done
} > "$OUT/linux.csv"
label() {
    case $1 in
        boot) echo "boot to init (reset → user space)" ;;
        syscall) echo "null syscall (getppid)" ;;
        read) echo "read 1 byte of /dev/zero" ;;
        write) echo "write 1 byte to /dev/null" ;;
        stat) echo "stat" ;;
        siginst) echo "signal handler install (sigaction)" ;;
        sigdeliv) echo "signal delivery to self (kill + handler)" ;;
        pipe) echo "pipe round trip (2 processes)" ;;
        unix) echo "UNIX-socket round trip (2 processes)" ;;
        ctx2|ctx8|ctx16) echo "context switch, ${1#ctx} processes (per switch)" ;;
        fork) echo "fork + exit + wait" ;;
        exec) echo "fork + exec + wait" ;;
        pagefault) echo "page fault (first write to an anonymous page)" ;;
        mmap) echo "mmap + munmap of 1 MiB" ;;
        shell) echo "shell script of short commands (one run)" ;;
        compute) echo "compute-bound loop (per 1000 iterations)" ;;
        timerlat) echo "timer-interrupt latency seen by a thread" ;;
    esac
}
target() {
    case $1 in
        boot) echo 1.15 ;; syscall|pipe) echo 2.0 ;; ctx16) echo 2.5 ;; fork|pagefault|timerlat) echo 3.0 ;;
        shell) echo 1.5 ;; compute) echo 1.05 ;; *) echo "" ;;
    esac
}
{
    echo "| Linux guest (instructions per op) | native | virtualized | ratio | target | ret-user off | ratio | fast paths off | ratio | RAM on demand | vs virtualized |"
    echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
    while IFS=, read -r op n v r o d; do
        [ "$op" = op ] && continue
        t=$(target "$op")
        r1=$(ratio "$v" "$n")
        if [ -n "$t" ]; then
            mark=$(awk -v r="$r1" -v t="$t" 'BEGIN { print (r != "-" && r + 0 <= t) ? "≤ " t "x ✔" : "≤ " t "x ✘" }')
        else
            mark="–"
        fi
        echo "| $(label "$op") | $n | $v | ${r1}x | $mark | $r | $(ratio "$r" "$n")x | $o | $(ratio "$o" "$n")x | $d | $(ratio "$d" "$v")x |"
    done < "$OUT/linux.csv"
} > "$OUT/linux.md"
cat "$OUT/linux.md"
# Trap counts per class for one boot + workload run (the monitor prints them
# when the guest powers off).
echo
echo "Trap statistics of the virtualized run (boot, workloads, poweroff):"
[ -f "$RAW/linux-virtualized.txt" ] && tr -d '\r' < "$RAW/linux-virtualized.txt" | sed -n '/trap statistics:/,/total/p' | tee "$OUT/linux-traps.txt"
# RAM on demand: what the guest had backed at power-off
[ -f "$RAW/linux-demand.txt" ] && tr -d '\r' < "$RAW/linux-demand.txt" | grep 'memory on demand' | tee "$OUT/linux-demand.txt"

fi
[ "${BENCH_CENSUS:-1}" = 0 ] && exit 0
# --- trap census per workload ------------------------------------------------
stats() {  # stats FILE: "class count" lines of the monitor's report
    tr -d '\r' < "$1" | sed -n '/trap statistics:/,/total/p' | sed -E 's/^monitor: +//' |
        awk 'NF >= 2 && $NF ~ /^[0-9]+$/ { c = $NF; $NF = ""; sub(/ +$/, ""); gsub(/ /, "_"); print $0, c }'
}
census_run() {  # census_run NAME BOOTARGS
    vm "census-$1" linux-pv wp "$2"
    make -s BOARD=$BOARD VM=$OUT/census-$1.vm monitor > "$RAW/census-$1-build.log" 2>&1 ||
        die "monitor build failed ($RAW/census-$1-build.log)"
    timeout "$TIMEOUT" $QEMU -semihosting -kernel build/$BOARD/vm-census-$1/monitor.elf < /dev/null \
        > "$RAW/census-$1.txt" 2> "$RAW/census-$1.err"
    grep -q 'trap statistics' "$RAW/census-$1.txt" ||
        { cat "$RAW/census-$1.err" >&2; die "census $1: no trap statistics ($RAW/census-$1.txt)"; }
}
echo
echo "== bench-linux: trap census per workload (one boot each, minus a boot without workload)"
# BENCH_CENSUS_REUSE=1: the tables again from the last runs' output
[ "${BENCH_CENSUS_REUSE:-0}" = 1 ] && [ -f "$RAW/census-none.txt" ] || census_run none hvbench=none,hvpoweroff
stats "$RAW/census-none.txt" > "$RAW/census-none.stats"
{
    echo "| workload | iterations | traps per iteration | main classes (per iteration) |"
    echo "|---|---:|---:|---|"
    for w in $WORKLOADS; do
        [ "${BENCH_CENSUS_REUSE:-0}" = 1 ] && [ -f "$RAW/census-$w.txt" ] || census_run "$w" "hvbench=$w,hvpoweroff"
        n=$(grep -oE "(^|[ \"])$w:[0-9]+" guest-stubs/linux/hvbench.sh | head -1 | sed 's/.*://')
        stats "$RAW/census-$w.txt" > "$RAW/census-$w.stats"
        n=${n:-1}
        # traps only: not the monitor's total, which also counts FIT
        # self-patches (events, not traps, and they vary from boot to boot)
        tot=$(awk -v n="$n" 'NR == FNR { b[$1] = $2; next }
                $1 != "total" && $1 != "descheduled" && $1 != "fit-self-patch" { t += $2 - b[$1] }
                END { printf "%.1f", t / n }' "$RAW/census-none.stats" "$RAW/census-$w.stats")
        main=$(awk -v n="$n" 'NR == FNR { b[$1] = $2; next }
                $1 != "total" && $1 != "descheduled" && $1 != "fit-self-patch" {
                    d = ($2 - b[$1]) / n; if (d >= 0.05) printf "%.1f %s\n", d, $1 }' \
                "$RAW/census-none.stats" "$RAW/census-$w.stats" | sort -rn | head -6 |
               awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
        echo "| $w | $n | $tot | $main |"
    done
} > "$OUT/linux-census.md"
cat "$OUT/linux-census.md"
