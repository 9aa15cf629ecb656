# Scenario exit-status of tests/integration/run-all.sh (sourced once per board; lib.sh).
# exit status: a guest's status is the monitor's and QEMU's exit
#   status: the SMCCC vendor call (exitcode, status 3), and an outside
#   program ending through semihosting SYS_EXIT_EXTENDED patched by
#   pvpatch --semihosting-exit (exitsemi, status 5, as natively)
ec=$bd/exitcode.elf es=$bd/exitsemi.elf
if bare $board "$ec" "$es" > "$out/exit.build.log" 2>&1 && make -s pvpatch >> "$out/exit.build.log" 2>&1 &&
   $PVPATCH --semihosting-exit --tramp-addr "$(printf '0x%x' $((ram + 0x200000)))" "$es" \
        -o "$out/exitsemi-pv.elf" >> "$out/exit.build.log" 2>&1; then
    run_qemu "$board" "$es" "$out/exitsemi-native.raw"; rcn=$?
    echo "guest exitcode $ec 4" > "$out/exitcode.vm"
    echo "guest exitsemi $out/exitsemi-pv.elf 4" > "$out/exitsemi.vm"
    if elf=$(build_vm "$board" "$out/exitcode.vm") && elf2=$(build_vm "$board" "$out/exitsemi.vm"); then
        run_qemu "$board" "$elf" "$out/exitcode.raw"; rc1=$?
        run_qemu "$board" "$elf2" "$out/exitsemi.raw"; rc2=$?
        if [ $rc1 -ne 3 ] || ! grep -q 'guest 0 (exitcode) ended through the vendor hypervisor call with status 3' "$out/exitcode.raw" ||
           ! grep -q 'monitor: exit status 3' "$out/exitcode.raw"; then
            bad "$board exit-status: vendor call with status 3: QEMU exit status $rc1 ($out/exitcode.raw)"
        elif [ $rcn -ne 5 ] || [ $rc2 -ne 5 ] || ! grep -q 'guest 0 (exitsemi) exited with status 5' "$out/exitsemi.raw"; then
            bad "$board exit-status: semihosting exit 5: native $rcn, patched under the monitor $rc2 ($out/exitsemi.raw)"
        else
            ok "$board exit-status: a guest's status (vendor call 3, semihosting exit 5 through pvpatch) is the monitor's and QEMU's"
        fi
    else bad "$board exit-status: monitor build failed"; fi
else bad "$board exit-status: build failed ($out/exit.build.log)"; fi
