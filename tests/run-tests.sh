#!/usr/bin/env bash
# `make test`: host unit tests, the Python tools' tests (tests/tools), the
# fuzz smoke pass (tests/fuzz), the build directories (tests/build), `make run`
# driven without a terminal, then QEMU integration tests on every board.
# Ends with one line "N passed, M failed"; exit status 0 only if none failed.
set -u
cd "$(dirname "$0")/.."
# default: every board whose board.mk says BOARD_KIND := qemu (the Makefile's BOARDS)
boards=${*:-$(make -s print-BOARDS)}
total_pass=0; total_fail=0
log=build/test-logs; mkdir -p "$log"

collect() {  # collect NAME LOGFILE: add the "NAME: N passed, M failed" counts
    local line p f
    line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL $1: no summary line (crashed or did not build; see $2)"
        total_fail=$((total_fail + 1)); return
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

echo "== host unit tests (cmocka, ASan+UBSan)"
make -s -f tests/unit/unit.mk 2>&1 | tee "$log/unit.txt"
collect unit "$log/unit.txt"

echo "== tools/mkguests.py and tools/bench-report.py (python3 unittest: VM files, placement, refusals with file:line; the bench report)"
python3 tests/tools/test_mkguests.py 2>&1 | tee "$log/mkguests.txt"
collect mkguests "$log/mkguests.txt"
python3 tests/tools/test_bench_report.py 2>&1 | tee "$log/bench-report.txt"
collect bench-report "$log/bench-report.txt"

echo "== fuzz smoke pass (libFuzzer: the kept corpus, then a few seconds per target)"
make -s -f tests/fuzz/fuzz.mk smoke 2>&1 | grep -v '^clang ' | tee "$log/fuzz.txt"
collect fuzz "$log/fuzz.txt"

# Build directories keyed by the switches, asm-offsets.h only rewritten on
# change (tests/build/build-dirs.sh, qemu-virt).
echo "== build directories and generated headers (qemu-virt)"
tests/build/build-dirs.sh 2>&1 | tee "$log/build.txt"
collect build "$log/build.txt"

# A board is one folder: a copied board folder in a scratch clone is listed,
# built from its own board.c/board.mk, refused when a fact is missing
# (tests/build/boards.sh; make dry runs only).
echo "== boards: one folder each"
tests/build/boards.sh 2>&1 | tee "$log/boards.txt"
collect boards "$log/boards.txt"

# A device is one file plus configuration: a throwaway device added in a
# scratch clone gets its device-tree node, builds and boots
# (tests/build/devices.sh; qemu-virt).
echo "== devices: one file each"
tests/build/devices.sh 2>&1 | tee "$log/devices.txt"
collect devices "$log/devices.txt"

# `make run` itself, as the README shows it, driven without a terminal.
echo "== make run (the demo guests and the monitor console, default board)"
tests/integration/make-run.sh 2>&1 | tee "$log/make-run.txt"
collect make-run "$log/make-run.txt"

echo "== QEMU integration tests: $boards"
tests/integration/run-all.sh $boards 2>&1 | tee "$log/integration.txt"
collect integration "$log/integration.txt"

# The paravirtualized Linux 6.1 guest on qemu-virt (builds it on first use,
# cached in ~/.cache/armvisor).  LINUX_TESTS=0 skips this.
if [ "${LINUX_TESTS:-1}" != 0 ]; then
    echo "== Linux guest tests (qemu-virt)"
    tests/integration/linux.sh 2>&1 | tee "$log/linux.txt"
    collect linux "$log/linux.txt"
fi

# Every combination of the fast-path switches builds and runs the fast-path
# ops (tests/integration/switches.sh, qemu-virt).  SWITCH_TESTS=0 skips this.
if [ "${SWITCH_TESTS:-1}" != 0 ]; then
    echo "== fast-path switch combinations (qemu-virt)"
    tests/integration/switches.sh qemu-virt 2>&1 | tee "$log/switches.txt"
    collect switches "$log/switches.txt"
fi

# Each fast path switched off in turn (make FAST_SYSCALL=0 / FIT=0 / SRFA=0 /
# LEAN_TRAP=0 / FAST_CP15=0 / FAST_MMIO=0 / LAZY_WP=0 /
# SPACE_INHERIT=0 / RET_USER=0): everything must still pass.  Each variant
# builds in its own directory (build/BOARD/sw-SRFA0/, ...), so the default
# build is left as it was.  TEST_VARIANTS="" skips this, TEST_VARIANTS="SRFA=0"
# runs only that one.
for var in ${TEST_VARIANTS-FAST_SYSCALL=0 FIT=0 SRFA=0 LEAN_TRAP=0 FAST_CP15=0 FAST_MMIO=0 LAZY_WP=0 SPACE_INHERIT=0 RET_USER=0}; do
    echo "== QEMU integration tests with $var: $boards"
    env "$var" tests/integration/run-all.sh $boards 2>&1 | sed "s/^integration: /integration[$var]: /" |
        tee "$log/integration-$var.txt"
    collect "integration\\[$var\\]" "$log/integration-$var.txt"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
