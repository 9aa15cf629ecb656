# Scenario starvation of tests/integration/run-all.sh (sourced once per board; lib.sh).
# starvation: a guest spinning with interrupts masked (hog, never
#   yields) beside three sleepers (10 timed waits of 50 ms through the
#   timer interrupt and WFI): the sleepers still finish on time, judged
#   by their own guest-visible clock (total within 500..1500 ms), with
#   output identical to a native sleeper running alone; the host timer
#   took the CPU from the hog again and again
if make -s BOARD="$board" GUEST_NAMES=sleeper guests-pv-only "build/$board/guests/sleeper-native.elf" \
        "build/$board/guests/sleeper-pv.elf" > "$out/starve.build.log" 2>&1; then
    run_qemu "$board" "build/$board/guests/sleeper-native.elf" "$out/starve-native.raw"; rcn=$?
    tr -d '\r' < "$out/starve-native.raw" > "$out/starve-native.txt"
    vm=$out/starve.vm
    printf 'guest hog hog-pv 16\nguest sleeper1 sleeper-pv 16\nguest sleeper2 sleeper-pv 16\nguest sleeper3 sleeper-pv 16\n' > "$vm"
    if [ $rcn -ne 0 ] || ! grep -q '^RESULT sleeper: [0-9]* checks, 0 failed' "$out/starve-native.txt"; then
        bad "$board starvation: native sleeper: exit status $rcn ($out/starve-native.txt)"
        grep -E '^FAIL' "$out/starve-native.txt" | head -5
    elif elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/starve.raw"; rc=$?
        for i in 0 1 2 3; do guest_lines $i "$out/starve.raw" > "$out/starve-g$i.txt"; done
        dh=$(sed -n '/guest 0 (hog) trap statistics/,/total/p' "$out/starve.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
        differ=""
        for i in 1 2 3; do
            diff -u "$out/starve-native.txt" "$out/starve-g$i.txt" > "$out/starve-g$i.diff" || differ="$differ $i"
        done
        if [ $rc -ne 0 ]; then bad "$board starvation: monitor exit status $rc ($out/starve.raw)"
            grep -E 'FAIL|STOPPED|PANIC' "$out/starve.raw" | head -8
        elif [ -n "$differ" ]; then
            bad "$board starvation: sleeper(s)$differ differ from the native sleeper ($out/starve-g*.diff)"
            for i in $differ; do grep -E '^[-+](ok|FAIL)' "$out/starve-g$i.diff" | head -4; done
        elif [ "$(cat "$out/starve-g0.txt")" != "hog: spun 2000 ms of guest time with interrupts masked, never yielding" ]; then
            bad "$board starvation: the hog's line is missing or wrong ($out/starve-g0.txt)"; head -5 "$out/starve-g0.txt"
        elif [ "${dh:-0}" -lt 10 ]; then
            bad "$board starvation: the hog was descheduled only ${dh:-0} times (expected >= 10)"
        else
            ok "$board starvation: 3 sleepers on time (guest-visible time) beside a guest spinning with IRQs masked, identical to native; hog descheduled $dh times"
        fi
    else bad "$board starvation: monitor build failed (see $vm.build.log)"; fi
else bad "$board starvation: guest build failed ($out/starve.build.log)"; fi
