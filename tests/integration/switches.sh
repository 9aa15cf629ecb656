#!/usr/bin/env bash
# Every combination of the fast-path switches (FAST_SYSCALL, SRFA, FIT,
# LEAN_TRAP: 16) builds, and runs the fast-path ops (issue 15 item 1: FIT
# with SRFA=0 panicked the monitor).  Per combination, on BOARD (default
# qemu-virt), one monitor with two native test guests patched by pvpatch
# --fit (plus --srfa when the monitor has SRFA pages): cp15 (CP15 reads as
# FIT_LOAD, cache maintenance as FIT_CACHE) and modes (exception returns,
# system calls: the fast system-call path); each must print what it prints
# natively.  Prints PASS/FAIL lines, ends with "switches: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
export QEMU_AUDIO_DRV=none
TIMEOUT=${TIMEOUT:-60}
board=${1:-qemu-virt}
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
PVPATCH=build/host/pvpatch
PVPATCH_FLAGS="--thumb=scan --skip-section .usertext --semihosting-exit --tramp-addr __heap_end"
G="cp15 modes"
out=build/$board/switches; mkdir -p "$out"
qflags=$(make -s BOARD="$board" print-BOARD_QEMU)

if ! make -s pvpatch > "$out/build.log" 2>&1 ||
   ! make -s BOARD="$board" GUEST_NAMES="$G" guests >> "$out/build.log" 2>&1; then
    bad "$board switches: guest or pvpatch build failed ($out/build.log)"; echo "switches: $pass passed, $fail failed"; exit 1
fi
for g in $G; do
    timeout "$TIMEOUT" qemu-system-arm $qflags -display none -serial stdio -monitor none -semihosting \
        -kernel "build/$board/guests/$g-native.elf" < /dev/null 2>&1 | tr -d '\r' > "$out/$g-native.txt"
done
for fs in 0 1; do for srfa in 0 1; do for fit in 0 1; do for lt in 0 1; do
    c="FAST_SYSCALL=$fs SRFA=$srfa FIT=$fit LEAN_TRAP=$lt"
    d=$out/fs$fs-srfa$srfa-fit$fit-lt$lt; mkdir -p "$d"
    fl="--fit"; [ $srfa = 1 ] && fl="--srfa --srfa-mrs=exact --fit"
    vm=$d/sw.vm; : > "$vm"
    for g in $G; do
        $PVPATCH $PVPATCH_FLAGS $fl "build/$board/guests/$g-native.elf" -o "$d/$g.elf" > "$d/$g.report" 2>&1 ||
            { bad "$board [$c] pvpatch $fl $g failed ($d/$g.report)"; continue 2; }
        echo "guest $g $d/$g.elf 16" >> "$vm"
    done
    if ! make -s -j2 B="$d/build" BOARD="$board" VM="$vm" GUEST_NAMES="$G" $c monitor > "$d/build.log" 2>&1; then
        bad "$board [$c]: the monitor does not build ($d/build.log)"; continue
    fi
    timeout "$TIMEOUT" qemu-system-arm $qflags -display none -serial stdio -monitor none -semihosting \
        -kernel "$d/build/vm-sw/monitor.elf" < /dev/null > "$d/run.raw" 2>&1; rc=$?
    why=""
    [ $rc -ne 0 ] && why=" exit status $rc;"
    grep -q -E 'PANIC|STOPPED' "$d/run.raw" && why="$why $(grep -m1 -E 'PANIC|STOPPED' "$d/run.raw");"
    k=0
    for g in $G; do
        tr -d '\r' < "$d/run.raw" | sed -n "s/^\[g$k\] //p" > "$d/$g.txt"
        diff -q "$out/$g-native.txt" "$d/$g.txt" > /dev/null || why="$why $g differs from native ($d/$g.txt);"
        k=$((k + 1))
    done
    fits=$(tr -d '\r' < "$d/run.raw" | sed -n 's/.*fast-trap (FIT) *\([0-9]*\)/\1/p' | awk '{ s += $1 } END { print s + 0 }')
    if [ -n "$why" ]; then bad "$board [$c] pvpatch $fl:$why"
    else ok "$board [$c]: cp15 and modes patched with $fl identical to native ($fits FIT ops)"; fi
done; done; done; done
echo "switches: $pass passed, $fail failed"
[ $fail -eq 0 ]
