#!/usr/bin/env bash
# `make bench`: the microbenchmarks of guest-stubs/bench, native and under the
# monitor, on qemu-virt (Cortex-A15: the board whose PMU counts in QEMU).
#
# Under `-icount shift=0,sleep=off` the guest's PMCCNTR advances exactly once
# per executed instruction, so every number is an instruction count per
# operation (under the monitor: the guest's plus the monitor's), identical
# on every run.  Each configuration runs twice and the two runs must agree.
#
# Columns: native, virtualized (the monitor as built by default),
# virtualized_demand (the same monitor, the guest's RAM backed on demand:
# VM file backing=demand; BENCH_DEMAND=0 leaves it out) and one more per
# variant:  BENCH_VARIANTS="NAME:VAR=VAL[,VAR=VAL...] ..."  builds
# the monitor with those extra make variables (in build/bench/variants/NAME,
# so the default build tree is untouched) and adds the column
# virtualized_NAME, e.g. BENCH_VARIANTS="nosrfa:SRFA=0 nofit:FIT=0".
#
# Writes build/bench/results.csv, build/bench/table.md, build/bench/chart.png
# (gnuplot, log scale; all three by tools/bench-report.py, which also holds
# the table of operations and their targets) and the raw outputs in
# build/bench/out/; prints table.md.  Exit status: 0, or 1 if a build or run failed or the guest's
# sanity checks did (runs that differ only give a warning).
set -u
cd "$(dirname "$0")/.."
BOARD=qemu-virt
TIMEOUT=${TIMEOUT:-300}
OUT=build/bench
RAW=$OUT/out
VARIANTS=${BENCH_VARIANTS:-}
mkdir -p "$RAW"
rm -f "$OUT/results.csv" "$OUT/table.md" "$OUT/chart.png"
warnings=0 failed=0
warn() { warnings=$((warnings + 1)); echo "bench: WARNING: $*" >&2; }
die()  { echo "bench: $*" >&2; exit 1; }

# The board's own QEMU command line (boards/qemu-virt/board.mk), plus icount.
BOARD_QEMU=$(make -s BOARD=$BOARD print-BOARD_QEMU)
QEMU_FLAGS="$BOARD_QEMU -display none -serial stdio -monitor none -semihosting -icount shift=0,sleep=off"

# ---- builds ------------------------------------------------------------------
echo "== bench: building the benchmark guest (native, pv) for $BOARD"
make -s BOARD=$BOARD GUEST_NAMES=bench guests-bench > "$RAW/build-guests.log" 2>&1 ||
    { tail -20 "$RAW/build-guests.log"; die "guest build failed (see $RAW/build-guests.log)"; }

VMFILE=$OUT/bench.vm
echo "# make bench: the benchmark guest alone (tools/bench.sh)" > "$VMFILE"
echo "guest bench bench-pv 16" >> "$VMFILE"

# configs: "column  make-arguments  monitor ELF"
cols=(native virtualized)
elfs=("build/$BOARD/guests/bench-native.elf" "build/$BOARD/vm-bench/monitor.elf")
echo "== bench: building the monitor (baseline)"
make -s BOARD=$BOARD VM="$VMFILE" GUEST_NAMES=bench monitor > "$RAW/build-virtualized.log" 2>&1 ||
    { tail -20 "$RAW/build-virtualized.log"; die "monitor build failed (see $RAW/build-virtualized.log)"; }
if [ "${BENCH_DEMAND:-1}" != 0 ]; then
    # the guest's RAM backed on demand (issue 19): first-touch-mib pays for a chunk
    echo "# make bench: the benchmark guest, its RAM backed on demand (tools/bench.sh)" > "$OUT/bench-demand.vm"
    echo "guest bench bench-pv 16 backing=demand" >> "$OUT/bench-demand.vm"
    echo "== bench: building the monitor (guest RAM on demand)"
    make -s BOARD=$BOARD VM="$OUT/bench-demand.vm" GUEST_NAMES=bench monitor > "$RAW/build-virtualized_demand.log" 2>&1 ||
        { tail -20 "$RAW/build-virtualized_demand.log"; die "monitor build failed (see $RAW/build-virtualized_demand.log)"; }
    cols+=(virtualized_demand)
    elfs+=("build/$BOARD/vm-bench-demand/monitor.elf")
fi
for v in $VARIANTS; do
    name=${v%%:*}
    vars=""
    [ "$name" != "$v" ] && vars=$(echo "${v#*:}" | tr ',' ' ')
    case $name in ''|*[!A-Za-z0-9_-]*) die "bad variant name '$name' in BENCH_VARIANTS (use NAME:VAR=VAL,...)";; esac
    vb=$OUT/variants/$name
    echo "== bench: building the monitor, variant $name: ${vars:-(no extra variables)}"
    # shellcheck disable=SC2086
    if ! make -s BOARD=$BOARD B="$vb/$BOARD" VM="$VMFILE" GUEST_NAMES=bench $vars monitor \
            > "$RAW/build-virtualized_$name.log" 2>&1; then
        tail -20 "$RAW/build-virtualized_$name.log"; die "variant $name: monitor build failed"
    fi
    cols+=("virtualized_$name")
    elfs+=("$vb/$BOARD/vm-bench/monitor.elf")
done

# ---- runs: each twice; BENCH lines -> $RAW/<column>.bench ("name value") ------
for i in "${!cols[@]}"; do
    c=${cols[$i]} elf=${elfs[$i]}
    for run in 1 2; do
        echo "== bench: running $c (run $run)"
        # shellcheck disable=SC2086
        timeout "$TIMEOUT" qemu-system-arm $QEMU_FLAGS -kernel "$elf" < /dev/null > "$RAW/$c-run$run.txt" 2> "$RAW/$c-run$run.err"
        rc=$?
        tr -d '\r' < "$RAW/$c-run$run.txt" | sed -n 's/^\(\[g0\] \)\{0,1\}BENCH \([^ ]*\) \([^ ]*\)$/\2 \3/p' \
            > "$RAW/$c-run$run.bench"
        [ $rc -eq 0 ] || { failed=1; cat "$RAW/$c-run$run.err" >&2; warn "$c run $run: exit status $rc (see $RAW/$c-run$run.txt)"; }
        grep -q 'BENCH-CHECK FAIL' "$RAW/$c-run$run.txt" &&
            failed=1 && warn "$c run $run: sanity checks failed: $(grep -h 'BENCH-CHECK FAIL' "$RAW/$c-run$run.txt" | tr -d '\r' | tr '\n' ' ')"
        [ -s "$RAW/$c-run$run.bench" ] || die "$c run $run: no BENCH lines (see $RAW/$c-run$run.txt)"
    done
    if ! cmp -s "$RAW/$c-run1.bench" "$RAW/$c-run2.bench"; then
        warn "$c: the two runs differ (not deterministic):"
        diff "$RAW/$c-run1.bench" "$RAW/$c-run2.bench" | sed 's/^/    /' >&2
    else
        echo "   $c: both runs identical ($(wc -l < "$RAW/$c-run1.bench") numbers)"
    fi
    cp "$RAW/$c-run1.bench" "$RAW/$c.bench"
done

# ---- the report: results.csv, table.md, chart.png, printed (tools/bench-report.py) ----
exec python3 tools/bench-report.py "$OUT" --board-qemu="$BOARD_QEMU" --warnings=$warnings --failed=$failed "${cols[@]}"
