#!/usr/bin/env bash
# `make bench`: the microbenchmarks of guest-stubs/bench, native and under the
# monitor, on qemu-virt (Cortex-A15: the board whose PMU counts in QEMU).
#
# Under `-icount shift=0,sleep=off` the guest's PMCCNTR advances exactly once
# per executed instruction, so every number is an instruction count per
# operation (under the monitor: the guest's plus the monitor's), identical
# on every run.  Each configuration runs twice and the two runs must agree.
#
# Columns: native, virtualized (the monitor as built by default) and one
# more per variant:  BENCH_VARIANTS="NAME:VAR=VAL[,VAR=VAL...] ..."  builds
# the monitor with those extra make variables (in build/bench/variants/NAME,
# so the default build tree is untouched) and adds the column
# virtualized_NAME, e.g. BENCH_VARIANTS="nosrfa:SRFA=0 nofit:FIT=0".
#
# Writes build/bench/results.csv, build/bench/table.md, build/bench/chart.png
# (gnuplot, log scale) and the raw outputs in build/bench/out/; prints
# table.md.  Exit status: 0, or 1 if a build or run failed or the guest's
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

# ---- the operations: name | target (instructions, virtualized) | what is measured
# target: a number N (<= N), "native+N" (<= native + N) or "-" (none).
OPS=$(cat <<'EOF'
hypercall|100|null hypercall HC_ABI_VERSION (PV only)
cp15-read|150|trapped CP15 read, MRC CONTEXTIDR: the fully emulated CP15 trap (code the monitor does not self-patch: PL0-accessible page)
cp15-read-sctlr|150|trapped CP15 read, MRC SCTLR
cp15-read-srfa|4|CONTEXTIDR read from the SRFA page (MVN + LDR, no trap); natively the MRC
cp15-read-fit|30|CONTEXTIDR read as a FIT op (FIT_LOAD: one SVC handled in the vector); natively the MRC
irq-enable-disable|-|CPSIE i + CPSID i pair, trapped (PV CPS)
irq-enable-disable-srfa|8|the same pair through the SRFA's VCPSR word (4 instructions each, no trap); natively CPSIE + CPSID
tlbimva|-|TLBIMVA of a mapped, recently used VA, trapped (coherence by TLB maintenance)
tlbimva-nop|-|the same TLBIMVA as a NOP-replaced PV guest runs it (coherence by write protection); natively the TLBIMVA
page-fault-fill|1000|load from a fresh 4 KiB page (guest MMU on): a shadow fill under the monitor, a TLB miss natively
cp15-write|-|trapped CP15 write, MCR CONTEXTIDR with its own value (the space stays)
context-switch|500|TTBR0 + CONTEXTIDR switch A->B->A through the reserved ASID, a load after each (round trip)
mmio-write|400|store to UARTIBRD (emulated MMIO, no side effect)
mmio-read|400|load from UARTIBRD (emulated MMIO, no side effect)
cache-clean|150|DCCMVAC of a mapped line of guest RAM, trapped (an unmodified guest's cache maintenance by VA; guest MMU on)
cache-clean-mmu-off|150|the same with the guest MMU off (VA = IPA), as firmware cleaning its buffers does
uart-tx-char|-|one character to UARTDR, over a 31-character line
exception-return|-|MOVS PC, LR from SVC to SVC mode (the return instruction alone)
svc-pl1|-|SVC #0 in SVC mode to a handler that is MOVS PC, LR (entry + return)
syscall|native+60|SVC #0 from User mode to a handler that is MOVS PC, LR, counted in User mode
virq-latency|300|virtual timer pending with CPSR.I set: from before CPSIE i to the first instruction of the IRQ vector's handler
read-overhead|-|two back-to-back PMCCNTR reads at PL1 (subtracted from every row; MRC, a trap under the monitor)
read-overhead-user|-|the same in User mode (subtracted from syscall)
loop-overhead|-|one iteration of the empty measurement loop (subtracted from every row)
EOF
)

val() {  # val COLUMN OP -> the number, or n/a
    local v
    v=$(awk -v op="$2" '$1 == op { print $2 }' "$RAW/$1.bench")
    echo "${v:-n/a}"
}
isnum() { case $1 in ''|n/a|*[!0-9.-]*) return 1;; esac; return 0; }

# ---- results.csv ---------------------------------------------------------------
csv=$OUT/results.csv
{
    printf 'operation,target'
    for c in "${cols[@]}"; do printf ',%s' "$c"; done
    printf '\n'
    while IFS='|' read -r op target _; do
        printf '%s,%s' "$op" "$target"
        for c in "${cols[@]}"; do printf ',%s' "$(val "$c" "$op")"; done
        printf '\n'
    done <<< "$OPS"
} > "$csv"
# anything the guest reported that the table does not know yet
for op in $(awk '{ print $1 }' "$RAW/virtualized.bench" "$RAW/native.bench" | sort -u); do
    grep -q "^$op|" <<< "$OPS" || warn "operation '$op' is not in tools/bench.sh's table"
done

# ---- table.md -------------------------------------------------------------------
ratio() {  # ratio VIRT NATIVE
    if isnum "$1" && isnum "$2" && awk -v n="$2" 'BEGIN { exit !(n > 0) }'; then
        awk -v v="$1" -v n="$2" 'BEGIN { printf "%.1f×", v / n }'
    else echo "—"; fi
}
md=$OUT/table.md
{
    echo "# Microbenchmarks: instructions per operation"
    echo
    echo "QEMU $(qemu-system-arm --version | head -1 | sed 's/.*version \([^ ]*\).*/\1/') \`$BOARD_QEMU -icount shift=0,sleep=off\`:"
    echo "PMCCNTR counts one per instruction, so every number is the instructions executed"
    echo "for one operation (under the monitor: the guest's and the monitor's), deterministic."
    echo "Each row is (loop with the operation − empty loop) / iterations, minimum of 3 runs;"
    echo "guest MMU on. Source: \`guest-stubs/bench/\`; produced by \`make bench\` (\`tools/bench.sh\`)."
    echo
    printf '| operation | native | virtualized | ratio | target | within target |'
    for c in "${cols[@]:2}"; do printf ' %s | ratio |' "${c/virtualized_/virtualized (}${c:+)}"; done
    printf ' what is measured |\n'
    printf '|---|---:|---:|---:|---:|:---:|'
    for c in "${cols[@]:2}"; do printf -- '---:|---:|'; done
    printf -- '---|\n'
    while IFS='|' read -r op target what; do
        n=$(val native "$op") v=$(val virtualized "$op")
        limit="" tshow="—" within="—"
        case $target in
            -) ;;
            native+*) isnum "$n" && limit=$(awk -v n="$n" -v a="${target#native+}" 'BEGIN { print n + a }')
                      tshow="≤ native + ${target#native+}" ;;
            *) limit=$target; tshow="≤ $target" ;;
        esac
        if [ -n "$limit" ] && isnum "$v"; then
            if awk -v v="$v" -v l="$limit" 'BEGIN { exit !(v <= l) }'; then within="✔"; else within="✘"; fi
        fi
        printf '| %s | %s | %s | %s | %s | %s |' "$op" "$n" "$v" "$(ratio "$v" "$n")" "$tshow" "$within"
        for c in "${cols[@]:2}"; do
            x=$(val "$c" "$op"); printf ' %s | %s |' "$x" "$(ratio "$x" "$n")"
        done
        printf ' %s |\n' "$what"
    done <<< "$OPS"
    echo
    echo "Variant columns are the same benchmark guest under a monitor built with that"
    echo "optimization off (n/a: the operation needs it, e.g. no SRFA page)."
    [ $warnings -eq 0 ] || echo "**$warnings warning(s) during this run: see the output of \`make bench\`.**"
} > "$md"

# ---- chart.png ------------------------------------------------------------------
if command -v gnuplot > /dev/null; then
    dat=$RAW/chart.dat
    {
        printf 'operation'; for c in "${cols[@]}"; do printf ' %s' "$c"; done; printf '\n'
        while IFS='|' read -r op _ _; do
            case $op in loop-overhead|read-overhead-user) continue;; esac
            printf '%s' "$op"; for c in "${cols[@]}"; do printf ' %s' "$(val "$c" "$op")"; done; printf '\n'
        done <<< "$OPS"
    } > "$dat"
    ncols=${#cols[@]}
    gnuplot > "$RAW/gnuplot.log" 2>&1 <<EOF
set terminal pngcairo size 1200,600 noenhanced font ",10"
set output "$OUT/chart.png"
set title "Instructions per operation (QEMU -icount): native vs virtualized"
set datafile missing "n/a"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.5:*]
set ylabel "instructions (log scale)"
set xtics rotate by -35 scale 0
set grid ytics
set key top left
plot for [i=2:$((ncols + 1))] "$dat" using i:xtic(1) title columnheader(i)
EOF
    if [ $? -ne 0 ] || [ ! -s "$OUT/chart.png" ]; then
        warn "gnuplot failed (see $RAW/gnuplot.log)"
    fi
else
    warn "gnuplot not found (make deps installs gnuplot-nox): no chart"
fi

echo
cat "$md"
echo
echo "bench: wrote $csv, $md$([ -s "$OUT/chart.png" ] && echo ", $OUT/chart.png")"
[ $warnings -eq 0 ] || echo "bench: $warnings warning(s)"
exit $failed
