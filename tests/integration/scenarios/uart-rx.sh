# Scenario uart-rx of tests/integration/run-all.sh (sourced once per board; lib.sh).
# UART receive through the GIC: console input reaches the guest's
#   interrupt handler, natively and through the monitor's console focus
if bare $board $bd/uartrx-native.elf $bd/uartrx-pv.elf > "$out/uartrx.build.log" 2>&1; then
    input='type q'
    qemu_in "$board" "$out/uartrx-native.raw" -kernel $bd/uartrx-native.elf < <(sleep 1; printf '%s' "$input"); rcn=$?
    tr -d '\r' < "$out/uartrx-native.raw" > "$out/uartrx-native.txt"
    vm=$out/uartrx.vm
    echo "guest uartrx $bd/uartrx-pv.elf 2" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        qemu_in "$board" "$out/uartrx-pv.raw" -kernel "$elf" < <(sleep 1; printf '%s' "$input"); rc=$?
        guest_lines 0 "$out/uartrx-pv.raw" > "$out/uartrx-pv.txt"
        if [ $rcn -ne 0 ] || [ $rc -ne 0 ]; then bad "$board uart-rx: exit status native $rcn, pv $rc"
        elif ! grep -q 'received 6 bytes in interrupts: "type q"' "$out/uartrx-pv.txt"; then
            bad "$board uart-rx: the input did not reach the guest's interrupt handler"; cat "$out/uartrx-pv.txt"
        elif ! diff -u "$out/uartrx-native.txt" "$out/uartrx-pv.txt" > "$out/uartrx.diff"; then
            bad "$board uart-rx: differs from native ($out/uartrx.diff)"; head "$out/uartrx.diff"
        else ok "$board uart-rx: console input reached the focused guest's UART interrupt handler, identical to native"; fi
    else bad "$board uart-rx: monitor build failed"; fi
else bad "$board uart-rx: build failed ($out/uartrx.build.log)"; fi
