# Scenario assign of tests/integration/run-all.sh (sourced once per board; lib.sh).
# device assignment (assign=, docs/devices.md): the owner gets the page
#   of QEMU's virtio-mmio slots 24-31 (a virtio-rng device in slot 31,
#   interrupt ID 79, added to this test's QEMU only, modern transport),
#   reads its ID registers and writes its Status, directly; the pages
#   around it abort for it, also through its own page tables at another
#   VA; it drives the device (placed at=its RAM IPA, so that the
#   device's DMA lands in its buffers) and gets its interrupt in its
#   vGIC, level-triggered (pending again after an EOI while the device
#   asserts it, quiet after the device's ACK and an EOI); the neighbour
#   gets the external abort of an empty address on the same registers
#   (DFSR 0x008, DFAR) and never sees interrupt 79.
afl="$dflags -DPV -DIRQ=79 -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) -DGICC=$(make -s BOARD="$board" print-BOARD_GICC_BASE)"
if arm-none-eabi-gcc $afl -DOWNER -Wl,-Ttext=$(printf '0x%x' $ram) -o build/$board/assign-owner-pv.elf tests/integration/guests/assign.c 2> "$out/assign.build.log" &&
   arm-none-eabi-gcc $afl -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) -o build/$board/assign-other-pv.elf tests/integration/guests/assign.c 2>> "$out/assign.build.log"; then
    vm=$out/assign.vm
    printf 'guest owner %s 1 at=%s assign=0x0a003000:0x1000:79:dma-trusted\nguest other %s 2\n' \
        build/$board/assign-owner-pv.elf "$(printf '0x%x' $ram)" build/$board/assign-other-pv.elf > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        qemu_err "$out/assign.raw.err"
        timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) \
            -device virtio-rng-device -global virtio-mmio.force-legacy=false \
            -display none -serial stdio -monitor none -semihosting -kernel "$elf" < /dev/null \
            > "$out/assign.raw" 2> "$out/assign.raw.err"; rc=$?
        afail=""
        for g in 0 1; do
            guest_lines $g "$out/assign.raw" > "$out/assign-g$g.txt"
            n=$(grep -c '^ok ' "$out/assign-g$g.txt")
            if grep -q '^FAIL' "$out/assign-g$g.txt" || [ "$n" -lt 4 ] ||
               ! grep -q "^RESULT assign: 0*$n checks, 0 failed" "$out/assign-g$g.txt"; then
                afail="$afail g$g"
            fi
        done
        if [ $rc -ne 0 ]; then bad "$board assign: monitor exit status $rc ($out/assign.raw)"; grep -E 'FAIL|STOPPED' "$out/assign.raw" | head -5
        elif [ -n "$afail" ]; then bad "$board assign: checks failed in$afail ($out/assign-g*.txt)"; grep -h '^FAIL' "$out"/assign-g*.txt | head -8
        elif ! grep -q '^ok device-id-entropy' "$out/assign-g0.txt" || ! grep -q '^ok level-pending-again-after-eoi' "$out/assign-g0.txt" ||
             ! grep -q '^ok other-load-magic' "$out/assign-g1.txt" || ! grep -q '^ok other-never-gets-the-owners-interrupt' "$out/assign-g1.txt"; then
            bad "$board assign: one of the owner's or the neighbour's main checks is missing"
        elif ! grep -q 'guest 0 (owner): assigned device 0x0a003000-0x0a003fff (dma-trusted), interrupt 79' "$out/assign.raw"; then
            bad "$board assign: the monitor did not report the assignment"
        elif grep -q 'unexpected interrupt' "$out/assign.raw"; then
            bad "$board assign: the monitor saw the assigned interrupt as unexpected"
        else ok "$board assign: the owner reads QEMU's virtio-rng ID registers and writes its Status through its assigned page (MMU off and at another VA through its own tables), drives it and gets its interrupt in its vGIC with level semantics; the pages around it and, for the neighbour, the device itself give external aborts with DFSR/DFAR, and the interrupt never reaches the neighbour"; fi
    else bad "$board assign: monitor build failed ($vm.build.log)"; fi
else bad "$board assign: build failed ($out/assign.build.log)"; fi
