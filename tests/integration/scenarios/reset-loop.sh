# Scenario reset-loop of tests/integration/run-all.sh (sourced once per board; lib.sh).
# reset loop: a guest that asks for a system reset (PSCI) at every
#   boot beside a guest measuring its CPU share on its own clock.  The
#   monitor's work on the resetter's behalf (clearing its 32 MiB,
#   reloading it, its console lines) runs with interrupts masked; it
#   must be charged to it instead of starting it a fresh time slice
#   (issue 15 item 3: the neighbour got 0.3%, against about 45% beside
#   a plain spinning guest).  The same neighbour beside the same guest
#   built to spin forever is the baseline (host load moves both): the
#   neighbour must get at least a third of its baseline share (fair:
#   about all of it).  Neither companion ends: each run is stopped once
#   the neighbour has exited.
share_run() {  # NAME COMPANION-ELF -> "$pct $resets" (empty on failure)
    local vm=$out/$1.vm raw=$out/$1.raw elf qpid
    printf 'guest resetter %s 32\nguest share share-pv 16\n' "$2" > "$vm"
    elf=$(build_vm "$board" "$vm") || { echo "build"; return; }
    : > "$raw"                  # no earlier run's lines for the wait below
    # not qemu_in: $! must be timeout's own process, which the kill below ends
    timeout "$TIMEOUT" qemu-system-arm $(board_qemu "$board") -display none -serial stdio \
        -monitor none -semihosting -kernel "$elf" < /dev/null > "$raw" 2> "$raw.err" &
    qpid=$!
    for _ in $(seq $((TIMEOUT * 2))); do
        grep -q 'guest 1 (share) exited' "$raw" && break
        kill -0 $qpid 2> /dev/null || break
        sleep 0.5
    done
    kill $qpid 2> /dev/null; wait $qpid 2> /dev/null
    guest_lines 1 "$raw" > "$out/$1-g1.txt"
    grep -q -E 'STOPPED|PANIC' "$raw" && { echo "stopped"; return; }
    tr -d '\r' < "$raw" | grep -q 'guest 1 (share) exited with status 0$' || { echo "unfinished"; return; }
    echo "$(sed -n 's/^share: ran \([0-9]*\)% of .*/\1/p' "$out/$1-g1.txt")" \
         "$(tr -d '\r' < "$raw" | grep -c '^monitor: guest 0 (resetter) asked for a system reset')"
}
if make -s BOARD="$board" GUEST_NAMES=hello "build/$board/guests/share-pv.elf" > "$out/resetloop.build.log" 2>&1 &&
   arm-none-eabi-gcc $dflags -DRAM_SIZE=0x2000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o build/$board/resetter.elf tests/integration/guests/resetter.c 2>> "$out/resetloop.build.log" &&
   arm-none-eabi-gcc $dflags -DSPIN -DRAM_SIZE=0x2000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o build/$board/spinforever.elf tests/integration/guests/resetter.c 2>> "$out/resetloop.build.log"; then
    base=$(share_run resetloop-base build/$board/spinforever.elf)
    res=$(share_run resetloop build/$board/resetter.elf)
    qemu_err "$out/resetloop.raw.err"       # share_run ran in a subshell
    set -- $base; bpct=${1:-x}; set -- $res; rpct=${1:-x} resets=${2:-0}
    case "$bpct$rpct" in
    *[!0-9]*) bad "$board reset-loop: a run failed: beside a spinner '$base', beside the reset loop '$res' ($out/resetloop*.raw)" ;;
    *)  if [ "$resets" -lt 3 ]; then bad "$board reset-loop: the resetter reset only $resets times (expected a loop)"
        elif [ $((rpct * 3)) -lt "$bpct" ]; then
            bad "$board reset-loop: the neighbour got $rpct% of the CPU beside a guest resetting at every boot ($resets resets), $bpct% beside a spinning one: starved"
        else ok "$board reset-loop: the neighbour got $rpct% of the CPU (its own clock) beside a guest resetting at every boot ($resets resets), $bpct% beside a spinning one"; fi ;;
    esac
else bad "$board reset-loop: guest build failed ($out/resetloop.build.log)"; fi
