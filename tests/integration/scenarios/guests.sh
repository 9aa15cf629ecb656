# Scenario guests of tests/integration/run-all.sh (sourced once per board; lib.sh).
# every test guest ($TESTS) natively, then paravirtualized under the
#   monitor: both pass their own checks, and print identical output.
#   Writes $out/GUEST-native.txt, which later scenarios compare with.
for t in $TESTS; do
    # native
    run_qemu "$board" "build/$board/guests/$t-native.elf" "$out/$t-native.raw"; rc=$?
    tr -d '\r' < "$out/$t-native.raw" > "$out/$t-native.txt"
    if [ $rc -ne 0 ] || ! grep -q '^RESULT ' "$out/$t-native.txt"; then
        bad "$board $t native: exit status $rc (see $out/$t-native.txt)"
        grep -E '^FAIL' "$out/$t-native.txt" | head -5
    else
        ok "$board $t native"
    fi
    # paravirtualized, under the monitor
    vm=$out/$t.vm
    echo "guest $t $t-pv 16" > "$vm"
    if ! elf=$(build_vm "$board" "$vm"); then
        bad "$board $t pv: monitor build failed (see $vm.build.log)"; continue
    fi
    run_qemu "$board" "$elf" "$out/$t-pv.raw"; rc=$?
    guest_lines 0 "$out/$t-pv.raw" > "$out/$t-pv.txt"
    if [ $rc -ne 0 ]; then
        bad "$board $t pv: exit status $rc (see $out/$t-pv.raw)"
        grep -E 'FAIL|STOPPED|PANIC' "$out/$t-pv.raw" | head -5
    elif ! diff -u "$out/$t-native.txt" "$out/$t-pv.txt" > "$out/$t.diff"; then
        bad "$board $t native-vs-pv: outputs differ ($out/$t.diff):"
        head -20 "$out/$t.diff"
    else
        ok "$board $t pv (identical to native, $(wc -l < "$out/$t-pv.txt") lines)"
    fi
done
