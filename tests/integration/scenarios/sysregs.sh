# Scenario sysregs of tests/integration/run-all.sh (sourced once per board; lib.sh).
# the board's system registers (0x10000000) on the boards that have
#   them: identity, 24 MHz counter, flags, LEDs; vexpress powers off
#   through SYS_CFGCTRL (drivers/emul/sysregs.c): identical to native
if bare $board $bd/sysregs-native.elf $bd/sysregs-pv.elf > "$out/sysregs.build.log" 2>&1; then
    run_qemu "$board" $bd/sysregs-native.elf "$out/sysregs-native.raw"; rcn=$?
    tr -d '\r' < "$out/sysregs-native.raw" | grep -E '^(ok|FAIL|RESULT|sysregs)' > "$out/sysregs-native.txt"
    echo "guest sysregs $bd/sysregs-pv.elf 2" > "$out/sysregs.vm"
    if elf=$(build_vm "$board" "$out/sysregs.vm"); then
        run_qemu "$board" "$elf" "$out/sysregs-pv.raw"; rc=$?
        guest_lines 0 "$out/sysregs-pv.raw" > "$out/sysregs-pv.txt"
        if [ $rcn -ne 0 ] || [ $rc -ne 0 ]; then bad "$board sysregs: exit status native $rcn, pv $rc ($out/sysregs-pv.raw)"
            grep -E 'FAIL|STOPPED' "$out/sysregs-pv.raw" | head -5
        elif ! grep -q '^RESULT sysregs' "$out/sysregs-pv.txt" || grep -q FAIL "$out/sysregs-pv.txt"; then
            bad "$board sysregs: the guest's checks failed ($out/sysregs-pv.txt)"; cat "$out/sysregs-pv.txt"
        elif ! diff -u "$out/sysregs-native.txt" "$out/sysregs-pv.txt" > "$out/sysregs.diff"; then
            bad "$board sysregs: differs from the board ($out/sysregs.diff)"; head -10 "$out/sysregs.diff"
        elif [ $board = qemu-vexpress-a9 ] && ! grep -q 'guest 0 (sysregs) powered off (board system registers)' "$out/sysregs-pv.raw"; then
            bad "$board sysregs: the SYS_CFGCTRL power-off did not end the guest"
        else ok "$board sysregs: SYS_ID, SYS_PROCID0, 24 MHz counter, flags, LEDs$([ $board = qemu-vexpress-a9 ] && echo ', power-off through SYS_CFGCTRL') identical to the board"; fi
    else bad "$board sysregs: monitor build failed"; fi
else bad "$board sysregs: build failed ($out/sysregs.build.log)"; fi
