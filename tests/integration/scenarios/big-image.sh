# Scenario big-image of tests/integration/run-all.sh (sourced once per board; lib.sh).
# big image: guest images no longer sit in the monitor's 8 MiB (issue 19
#   item 5: they are loaded after it, outside its window), so a big image
#   leaves the monitor's memory for shadow page tables as it is.  Beside
#   the mmu guest (which switches among 6 address spaces, more than the
#   4 cached), a 5 MiB and a 7 MiB image both run, the mmu guest identical
#   to native, and the monitor's memory left after the guests is the same
#   with either image (it was what the embedded image left: issue 15
#   item 2, where the 7 MiB image got both guests refused).
#   Running out of that memory still refuses a guest at boot, saying what
#   it needs (issue 15 item 2, issue 16 spaces=N): beside the 5 MiB image,
#   the mmu guest with 64 cached spaces (1 MiB of L1 tables) runs identical
#   to native, and of six more with 64 each (7 MiB of L1 tables; the last
#   with 64 MiB and coherence=wp, whose write records take 4 bytes a page:
#   since issue 19 a coherence=tlb guest's take 1, and seven 16 MiB ones
#   fit) the last is refused at boot.  Its 64 MiB put it beyond what is
#   left by ~80 KiB with and without SRFA=0 (no SRFA pages: 40 KiB more
#   left), yet within what mkguests' lower bound accepts at build time.
native_ref mmu
if [ -f "$out/mmu-native.txt" ] && make -s BOARD="$board" GUEST_NAMES=mmu "build/$board/guests/mmu-pv.elf" > "$out/big.build.log" 2>&1 &&
   arm-none-eabi-gcc $dflags -DBLOB_KIB=5120 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o build/$board/big5.elf tests/integration/guests/bigimage.c 2>> "$out/big.build.log" &&
   arm-none-eabi-gcc $dflags -DBLOB_KIB=7168 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o build/$board/big7.elf tests/integration/guests/bigimage.c 2>> "$out/big.build.log"; then
    printf 'guest big build/%s/big5.elf 16\nguest mmu mmu-pv 16\n' "$board" > "$out/big5.vm"
    printf 'guest big build/%s/big7.elf 16\nguest mmu mmu-pv 16\n' "$board" > "$out/big7.vm"
    { printf 'guest big build/%s/big5.elf 16\nguest mmu mmu-pv 16 spaces=64\n' "$board"
      for k in 2 3 4 5 6; do printf 'guest mmu%s mmu-pv 16 spaces=64\n' $k; done
      printf 'guest mmu7 mmu-pv 64 spaces=64 coherence=wp\n'; } > "$out/big5s.vm"
    if elf5=$(GN="$GN mmu" build_vm "$board" "$out/big5.vm") && elf7=$(GN="$GN mmu" build_vm "$board" "$out/big7.vm") &&
       elf5s=$(GN="$GN mmu" build_vm "$board" "$out/big5s.vm"); then
        run_qemu "$board" "$elf5" "$out/big5.raw"; rc5=$?
        run_qemu "$board" "$elf7" "$out/big7.raw"; rc7=$?
        run_qemu "$board" "$elf5s" "$out/big5s.raw"; rc5s=$?
        guest_lines 1 "$out/big5.raw" > "$out/big5-mmu.txt"
        guest_lines 1 "$out/big5s.raw" > "$out/big5s-mmu.txt"
        if grep -q -E 'PANIC|STOPPED' "$out/big5.raw" "$out/big7.raw" "$out/big5s.raw"; then
            bad "$board big-image: panic or stop ($out/big5.raw, $out/big7.raw, $out/big5s.raw)"; grep -h -E 'PANIC|STOPPED' "$out/big5.raw" "$out/big7.raw" "$out/big5s.raw" | head -3
        elif [ $rc5 -ne 0 ] || ! tr -d '\r' < "$out/big5.raw" | grep -q '^\[g0\] big: image intact'; then
            bad "$board big-image: with a 5 MiB image: exit status $rc5 ($out/big5.raw)"; grep -E 'bad image|need up to' "$out/big5.raw" | head -3
        elif ! diff -u "$out/mmu-native.txt" "$out/big5-mmu.txt" > "$out/big5-mmu.diff"; then
            bad "$board big-image: the mmu guest beside a 5 MiB image differs from native ($out/big5-mmu.diff)"; head -8 "$out/big5-mmu.diff"
        elif left5=$(tr -d '\r' < "$out/big5.raw" | sed -n "s/^monitor: \([0-9]*\) KiB of the monitor's memory left.*/\1/p") &&
             left7=$(tr -d '\r' < "$out/big7.raw" | sed -n "s/^monitor: \([0-9]*\) KiB of the monitor's memory left.*/\1/p") &&
             { [ $rc7 -ne 0 ] || ! tr -d '\r' < "$out/big7.raw" | grep -q '^\[g0\] big: image intact' ||
               [ -z "$left5" ] || [ "$left5" != "$left7" ]; }; then
            bad "$board big-image: with a 7 MiB image: exit status $rc7 (expected 0), monitor memory left ${left7:-?} KiB against ${left5:-?} KiB with the 5 MiB image (expected the same: images are outside the monitor's RAM; $out/big7.raw)"
            grep -E 'bad image|need up to' "$out/big7.raw" | head -3
        elif ! guest_lines 1 "$out/big7.raw" | diff -u "$out/mmu-native.txt" - > "$out/big7-mmu.diff"; then
            bad "$board big-image: the mmu guest beside a 7 MiB image differs from native ($out/big7-mmu.diff)"; head -8 "$out/big7-mmu.diff"
        elif ! diff -u "$out/mmu-native.txt" "$out/big5s-mmu.txt" > "$out/big5s-mmu.diff"; then
            bad "$board big-image: the mmu guest with spaces=64 beside a 5 MiB image differs from native ($out/big5s-mmu.diff)"; head -8 "$out/big5s-mmu.diff"
        elif [ $rc5s -ne 100 ] || ! tr -d '\r' < "$out/big5s.raw" | grep -q "^monitor: guest 7 (mmu7): its shadow page tables need up to [0-9]* KiB of the monitor's memory (spaces=64"; then
            bad "$board big-image: of 7 mmu guests with spaces=64 the last was not refused at boot with a message (exit status $rc5s, expected 100: $out/big5s.raw)"
        else ok "$board big-image: a 5 MiB and a 7 MiB image run beside the mmu guest (6 address spaces), identical to native, with the same monitor memory left ($left5 KiB: the images are outside it); the mmu guest with spaces=64 runs identical to native, of six more (the last with 64 MiB, coherence=wp) the last is refused: $(tr -d '\r' < "$out/big5s.raw" | grep -m1 'its shadow page tables need' | sed 's/^monitor: //')"; fi
    else bad "$board big-image: monitor build failed ($out/big5.vm.build.log, $out/big7.vm.build.log)"; fi
else bad "$board big-image: guest build failed or no native mmu run ($out/big.build.log)"; fi
