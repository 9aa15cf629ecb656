# Scenario balloon of tests/integration/run-all.sh (sourced once per board; lib.sh).
# virtio-balloon on RAM backed on demand (issue 19): the vballoon guest
#   (16 MiB, backing=demand, virtio=balloon) puts a whole MiB of its RAM in
#   the balloon, which the monitor gives back to the pool (the MiB reads
#   zero afterwards), and 255 pages of another, which stays; deflates and
#   writes again; a page frame outside its RAM puts the device in
#   NEEDS_RESET.  The monitor's numbers at its exit: 1 MiB given back by
#   its balloon.  A static guest beside it finishes.
vbase=$(make -s BOARD="$board" print-BOARD_VIRTIO_BASE)
bflags="$dflags -DPV -DVIO=$vbase -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
if arm-none-eabi-gcc $bflags -o build/$board/vballoon.elf tests/integration/guests/vballoon.c 2> "$out/balloon.build.log"; then
    printf 'guest vballoon build/%s/vballoon.elf 16 backing=demand virtio=balloon\nguest hello hello-pv 16\n' "$board" > "$out/balloon.vm"
    if elf=$(build_vm "$board" "$out/balloon.vm"); then
        run_qemu "$board" "$elf" "$out/balloon.raw"; rc=$?
        tr -d '\r' < "$out/balloon.raw" > "$out/balloon.txt"
        res=$(sed -n 's/^\[g0\] RESULT vballoon: //p' "$out/balloon.txt")
        if [ $rc -ne 0 ] || grep -q -E 'PANIC|STOPPED' "$out/balloon.txt"; then
            bad "$board balloon: exit status $rc ($out/balloon.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/balloon.txt" | head -3
        elif [ "$res" != "14 checks, 0 failed" ]; then
            bad "$board balloon: the guest's checks: '${res:-no RESULT line}' ($out/balloon.txt)"; grep FAIL "$out/balloon.txt" | head -3
        elif ! grep -q '^monitor: guest 0 (vballoon): memory on demand: configured 16 MiB, backed [0-9]* MiB, minimum 0 MiB (.*); 1 MiB given back by its balloon$' "$out/balloon.txt"; then
            bad "$board balloon: the monitor does not say 1 MiB was given back: $(grep 'memory on demand' "$out/balloon.txt")"
        elif ! grep -q '^monitor: all guests finished: vballoon=0 hello=0$' "$out/balloon.txt"; then
            bad "$board balloon: $(grep 'all guests finished' "$out/balloon.txt")"
        else ok "$board balloon: a whole MiB in the balloon went back to the pool and read zero after, a partial MiB kept its data, a bad page frame -> NEEDS_RESET ($res; $(sed -n 's/^monitor: guest 0 (vballoon): memory on demand: //p' "$out/balloon.txt"))"; fi
    else bad "$board balloon: monitor build failed ($out/balloon.vm.build.log)"; fi
else bad "$board balloon: guest build failed ($out/balloon.build.log)"; fi
