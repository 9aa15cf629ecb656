# Scenario mmu-wp of tests/integration/run-all.sh (sourced once per board; lib.sh).
# the MMU test again with shadow coherence by write protection (mode b)
case " $TESTS " in *" mmu "*)
    native_ref mmu
    vm=$out/mmu-wp.vm
    echo "guest mmu mmu-pv 16 coherence=wp" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/mmu-wp.raw"; rc=$?
        guest_lines 0 "$out/mmu-wp.raw" > "$out/mmu-wp.txt"
        if [ $rc -ne 0 ]; then bad "$board mmu pv coherence=wp: exit status $rc ($out/mmu-wp.raw)"
            grep -E 'FAIL|STOPPED' "$out/mmu-wp.raw" | head -5
        elif ! diff -u "$out/mmu-native.txt" "$out/mmu-wp.txt" > "$out/mmu-wp.diff"; then
            bad "$board mmu pv coherence=wp: differs from native ($out/mmu-wp.diff)"; head -10 "$out/mmu-wp.diff"
        else ok "$board mmu pv coherence=wp (identical to native)"; fi
    else bad "$board mmu pv coherence=wp: build failed"; fi
    # ... and with its TLB/BTB maintenance replaced by NOPs (ARMvisor)
    vm=$out/mmunop-wp.vm
    echo "guest mmu mmunop-pv 16 coherence=wp" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/mmunop-wp.raw"; rc=$?
        guest_lines 0 "$out/mmunop-wp.raw" > "$out/mmunop-wp.txt"
        tlb=$(sed -n 's/.*cp15-tlb-maint *//p' "$out/mmunop-wp.raw" | tr -dc '0-9')
        if [ $rc -ne 0 ]; then bad "$board mmu pv, TLB ops as NOPs, coherence=wp: exit status $rc"
        elif [ -n "$tlb" ]; then bad "$board mmu pv, TLB ops as NOPs: still $tlb TLB maintenance traps"
        elif ! diff -u "$out/mmu-native.txt" "$out/mmunop-wp.txt" > "$out/mmunop-wp.diff"; then
            bad "$board mmu pv, TLB ops as NOPs, coherence=wp: differs from native"; head -10 "$out/mmunop-wp.diff"
        else ok "$board mmu pv with TLB/BTB maintenance as NOPs, coherence=wp (identical to native, no TLB traps)"; fi
    else bad "$board mmu pv (NOP TLB): build failed"; fi ;;
esac
