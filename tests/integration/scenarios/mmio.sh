# Scenario mmio of tests/integration/run-all.sh (sourced once per board; lib.sh).
# MMIO: every load/store form against the UART, native vs emulated
if bare $board $bd/mmio-native.elf $bd/mmio-pv.elf > "$out/mmio.build.log" 2>&1; then
    run_qemu "$board" $bd/mmio-native.elf "$out/mmio-native.raw"; rcn=$?
    tr -d '\r' < "$out/mmio-native.raw" > "$out/mmio-native.txt"
    vm=$out/mmio.vm
    echo "guest mmio $bd/mmio-pv.elf 2" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/mmio-pv.raw"; rc=$?
        guest_lines 0 "$out/mmio-pv.raw" > "$out/mmio-pv.txt"
        if [ $rcn -ne 0 ]; then bad "$board mmio native: exit status $rcn"
        elif [ $rc -ne 0 ]; then bad "$board mmio pv: exit status $rc ($out/mmio-pv.raw)"; grep FAIL "$out/mmio-pv.raw" | head -5
        elif ! diff -u "$out/mmio-native.txt" "$out/mmio-pv.txt" > "$out/mmio.diff"; then
            bad "$board mmio: emulated UART differs from the real one ($out/mmio.diff)"; head -10 "$out/mmio.diff"
        else ok "$board mmio: $(grep -c '^ok' "$out/mmio-pv.txt") load/store forms on the emulated PL011 identical to native"; fi
    else bad "$board mmio pv: monitor build failed"; fi
else bad "$board mmio: build failed ($out/mmio.build.log)"; fi
