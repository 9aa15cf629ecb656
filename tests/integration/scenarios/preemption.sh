# Scenario preemption of tests/integration/run-all.sh (sourced once per board; lib.sh).
# two guests that never yield: the host timer must preempt them
sp=$bd/spinner.elf
if bare $board "$sp" > "$out/spin.build.log" 2>&1; then
    vm=$out/spin.vm
    printf 'guest spin0 %s 2\nguest spin1 %s 2\n' "$sp" "$sp" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/spin.raw"; rc=$?
        d0=$(sed -n '/guest 0 (spin0) trap statistics/,/total/p' "$out/spin.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
        d1=$(sed -n '/guest 1 (spin1) trap statistics/,/total/p' "$out/spin.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
        if [ $rc -ne 0 ]; then bad "$board preemption: exit status $rc ($out/spin.raw)"
        elif [ "$(guest_lines 0 "$out/spin.raw" | grep -c round)" -ne 4 ] ||
             [ "$(guest_lines 1 "$out/spin.raw" | grep -c round)" -ne 4 ]; then
            bad "$board preemption: a spinning guest did not complete its 4 rounds"
        elif [ "${d0:-0}" -lt 1 ] || [ "${d1:-0}" -lt 1 ]; then
            bad "$board preemption: guests were not preempted (descheduled: ${d0:-0}, ${d1:-0})"
        else
            ok "$board preemption: two never-yielding guests both finished, preempted ${d0} and ${d1} times"
        fi
    else bad "$board preemption: monitor build failed"; fi
else bad "$board preemption: build failed ($out/spin.build.log)"; fi
