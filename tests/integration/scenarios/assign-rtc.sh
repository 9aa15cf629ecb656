# Scenario assign-rtc of tests/integration/run-all.sh (sourced once per board; lib.sh).
# device assignment with the board's PL031 RTC (no DMA: no at=, no
#   dma-trusted), on qemu-virt (0x09010000, ID 34) and the Cortex-A9
#   board (0x10017000, ID 36): its PrimeCell IDs, the alarm's raw and
#   masked status, its interrupt in the owner's vGIC with level
#   semantics (pending again after an EOI until RTCICR clears it), the
#   device at another VA through the owner's tables; the neighbour's
#   accesses abort and it never sees the interrupt.
rtc=""
case "$board" in qemu-virt) rtc=0x09010000 rtcirq=34 ;; qemu-vexpress-a9) rtc=0x10017000 rtcirq=36 ;; esac
if [ -n "$rtc" ]; then
    rfl="$dflags -DPV -DPL031=$rtc -DIRQ=$rtcirq -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) -DGICC=$(make -s BOARD="$board" print-BOARD_GICC_BASE) -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
    if arm-none-eabi-gcc $rfl -DOWNER -o build/$board/assignrtc-owner-pv.elf tests/integration/guests/assign.c 2> "$out/assignrtc.build.log" &&
       arm-none-eabi-gcc $rfl -o build/$board/assignrtc-other-pv.elf tests/integration/guests/assign.c 2>> "$out/assignrtc.build.log"; then
        vm=$out/assignrtc.vm
        printf 'guest owner %s 2 assign=%s:0x1000:%s\nguest other %s 2\n' \
            build/$board/assignrtc-owner-pv.elf $rtc $rtcirq build/$board/assignrtc-other-pv.elf > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/assignrtc.raw"; rc=$?
            afail=""
            for g in 0 1; do
                guest_lines $g "$out/assignrtc.raw" > "$out/assignrtc-g$g.txt"
                n=$(grep -c '^ok ' "$out/assignrtc-g$g.txt")
                if grep -q '^FAIL' "$out/assignrtc-g$g.txt" || [ "$n" -lt 4 ] ||
                   ! grep -q "^RESULT assign: $n checks, 0 failed" "$out/assignrtc-g$g.txt"; then
                    afail="$afail g$g"
                fi
            done
            if [ $rc -ne 0 ]; then bad "$board assign-rtc: monitor exit status $rc ($out/assignrtc.raw)"; grep -E 'FAIL|STOPPED' "$out/assignrtc.raw" | head -5
            elif [ -n "$afail" ]; then bad "$board assign-rtc: checks failed in$afail ($out/assignrtc-g*.txt)"; grep -h '^FAIL' "$out"/assignrtc-g*.txt | head -8
            elif ! grep -q '^ok pl031-periph-id' "$out/assignrtc-g0.txt" || ! grep -q '^ok level-pending-again-after-eoi' "$out/assignrtc-g0.txt" ||
                 ! grep -q '^ok other-load-rtc-counter' "$out/assignrtc-g1.txt" || ! grep -q '^ok other-never-gets-the-owners-interrupt' "$out/assignrtc-g1.txt"; then
                bad "$board assign-rtc: one of the owner's or the neighbour's main checks is missing"
            elif grep -q 'unexpected interrupt' "$out/assignrtc.raw"; then
                bad "$board assign-rtc: the monitor saw the assigned interrupt as unexpected"
            else ok "$board assign-rtc: the owner drives the board's PL031 at $rtc (IDs, alarm) and gets interrupt $rtcirq in its vGIC, level-triggered; the neighbour's accesses abort and it never sees the interrupt"; fi
        else bad "$board assign-rtc: monitor build failed ($vm.build.log)"; fi
    else bad "$board assign-rtc: build failed ($out/assignrtc.build.log)"; fi
fi
