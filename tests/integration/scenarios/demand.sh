# Scenario demand of tests/integration/run-all.sh (sourced once per board; lib.sh).
# guest RAM on demand (issue 19; VM file backing=demand min=MIB;
#   mm/gpmap.c).  One self-contained block (the three QEMU boards,
#   256 MiB of RAM; on the RealView the pool's first chunk is at PA 0):
#   sparse: a 64 MiB guest touching 4 MiBs far apart beside hello: only
#   those, its image's MiB and its DTB's MiB are backed (6 MiB, as the
#   console's numbers at its exit say);
#   overcommit: 3 static 64 MiB guests leave a 55 MiB pool (the guest
#   images after the monitor take 1 MiB) to a (32 MiB,
#   min 24), b (32, min 24), c (32, no minimum) and d (16, late):
#   120 MiB configured.  a and b touch 20 MiB within their minimums;
#   c runs the pool dry and is stopped with the message naming it,
#   the IPA and the sizes, its 5 MiB go back; d, after spinning,
#   allocates chunks c held and finds every word zero; the rest finish;
#   refusal: minimums that cannot fit beside the static guests, and
#   at= with backing=demand, are refused when the VM is built;
#   console: `mem` shows the numbers; a reset guest is backed anew.
dm=build/$board/demand; mkdir -p "$dm"
dry=$(printf '0x%08x' $((ram + 0x500000)))     # the 6th MiB of c's RAM
dmflags="$dflags -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
if arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=8,24,40,56' -o $dm/sparse.elf tests/integration/guests/demand.c 2> "$out/demand.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21' \
        -o $dm/touch20.elf tests/integration/guests/demand.c 2>> "$out/demand.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4' -DSPIN=30000000 -o $dm/late3.elf tests/integration/guests/demand.c 2>> "$out/demand.build.log"; then
    printf 'guest sparse %s 64 backing=demand\nguest hello hello-pv 16\n' $dm/sparse.elf > "$out/demand-sparse.vm"
    printf 'guest fill0 hello-pv 64\nguest fill1 hello-pv 64\nguest fill2 hello-pv 64\nguest a %s 32 backing=demand min=24\nguest b %s 32 backing=demand min=24\nguest c %s 32 backing=demand\nguest d %s 16 backing=demand\n' \
        $dm/touch20.elf $dm/touch20.elf $dm/touch20.elf $dm/late3.elf > "$out/demand-over.vm"
    if elf=$(build_vm "$board" "$out/demand-sparse.vm"); then
        run_qemu "$board" "$elf" "$out/demand-sparse.raw"; rc=$?
        tr -d '\r' < "$out/demand-sparse.raw" > "$out/demand-sparse.txt"
        if [ $rc -ne 0 ] || grep -q -E 'PANIC|STOPPED' "$out/demand-sparse.txt"; then
            bad "$board demand-sparse: exit status $rc ($out/demand-sparse.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-sparse.txt" | head -3
        elif ! grep -qx '\[g0\] demand: 4 MiB touched, each all zero before first use, pattern kept' "$out/demand-sparse.txt"; then
            bad "$board demand-sparse: the guest's checks failed ($out/demand-sparse.txt)"; grep FAIL "$out/demand-sparse.txt" | head -3
        elif ! grep -q '^monitor: guest 0 (sparse): memory on demand: configured 64 MiB, backed 6 MiB, minimum 0 MiB' "$out/demand-sparse.txt"; then
            bad "$board demand-sparse: expected 6 of 64 MiB backed, the console says: $(grep 'memory on demand' "$out/demand-sparse.txt")"
        else ok "$board demand-sparse: a 64 MiB guest touching 4 MiB far apart: $(sed -n 's/^monitor: guest 0 (sparse): memory on demand: //p' "$out/demand-sparse.txt"), all zero before use"; fi
    else bad "$board demand-sparse: monitor build failed ($out/demand-sparse.vm.build.log)"; fi
    if elf=$(build_vm "$board" "$out/demand-over.vm"); then
        run_qemu "$board" "$elf" "$out/demand-over.raw"; rc=$?
        tr -d '\r' < "$out/demand-over.raw" > "$out/demand-over.txt"
        miss=""
        for want in "^monitor: guest 5 (c) STOPPED: guest memory pool dry: IPA $dry needs a new 1 MiB chunk; the guest has 5 MiB backed of 32 MiB configured, minimum 0 MiB" \
                    '^monitor: guest 5 (c): 5 MiB of guest memory back to the pool' \
                    '^\[g3\] demand: 20 MiB touched, each all zero before first use' \
                    '^\[g4\] demand: 20 MiB touched, each all zero before first use' \
                    '^\[g6\] demand: 3 MiB touched, each all zero before first use' \
                    '^monitor: all guests finished: fill0=0 fill1=0 fill2=0 a=0 b=0 c=stopped/-1 d=0$'; do
            grep -q "$want" "$out/demand-over.txt" || miss="$miss [$want]"
        done
        reused=$(sed -n 's/^monitor: guest 6 (d): memory on demand: .*(\([0-9]*\) chunks reused.*/\1/p' "$out/demand-over.txt")
        if [ $rc -ne 100 ] || grep -q PANIC "$out/demand-over.txt" || [ "$(grep -c STOPPED "$out/demand-over.txt")" -ne 1 ]; then
            bad "$board demand-overcommit: expected exit status 100 (one guest stopped), got $rc ($out/demand-over.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-over.txt" | head -3
        elif [ -n "$miss" ]; then bad "$board demand-overcommit: missing$miss ($out/demand-over.txt)"; grep -E 'FAIL' "$out/demand-over.txt" | head -3
        elif [ "${reused:-0}" -lt 1 ]; then
            bad "$board demand-overcommit: d allocated no chunk another guest had released (reused ${reused:-?}): the zeroing check did not happen ($out/demand-over.txt)"
        else ok "$board demand-overcommit: 120 MiB configured on a 55 MiB pool: c stopped ($(grep -o "IPA $dry needs.*minimum 0 MiB" "$out/demand-over.txt")), its 5 MiB back; a, b (min 24) and d finished; d got $reused chunks c had released, all zero"; fi
    else bad "$board demand-overcommit: monitor build failed ($out/demand-over.vm.build.log)"; fi
    printf 'guest fill0 hello-pv 64\nguest fill1 hello-pv 64\nguest fill2 hello-pv 64\nguest a %s 32 backing=demand min=30\nguest b %s 32 backing=demand min=30\n' \
        $dm/touch20.elf $dm/touch20.elf > "$out/demand-bigmin.vm"
    printf 'guest a %s 32 backing=demand at=0x44000000\n' $dm/touch20.elf > "$out/demand-at.vm"
    if build_vm "$board" "$out/demand-bigmin.vm" > /dev/null || build_vm "$board" "$out/demand-at.vm" > /dev/null; then
        bad "$board demand-refusal: a VM whose minimums do not fit, or with at= and backing=demand, was built"
    elif ! grep -q 'demand-bigmin.vm:5: the guaranteed minimums of the guests with backing=demand (min=) add up to 60 MiB, more than the 55 MiB' "$out/demand-bigmin.vm.build.log" ||
         ! grep -q "demand-at.vm:1: guest 'a': at= places its RAM, backing=demand backs it at first touch" "$out/demand-at.vm.build.log"; then
        bad "$board demand-refusal: refused without the expected message ($out/demand-bigmin.vm.build.log, $out/demand-at.vm.build.log)"
    else ok "$board demand-refusal: $(sed -n 's/.*mkguests: [^:]*:[0-9]*: //p' "$out/demand-bigmin.vm.build.log" | head -1)"; fi
    # console: `mem` shows configured/backed/minimum; `reset 1` of the
    # exited sparse guest backs its RAM anew (zeroed) and it passes again.
    printf 'guest uartrx %s/uartrx-pv.elf 2 backing=demand min=1\nguest sparse %s 64 backing=demand\n' "$bd" $dm/sparse.elf > "$out/demand-con.vm"
    if bare $board $bd/uartrx-pv.elf > "$out/demand-con.build.log" 2>&1 && elf=$(build_vm "$board" "$out/demand-con.vm"); then
        qemu_err "$out/demand-con.raw.err"
        ( sleep 1; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3; printf 'mem\r'; sleep 0.3
          printf 'reset 1\r'; sleep 1; printf 'mem\r'; sleep 0.3; printf 'focus 0\r'; sleep 0.3; printf 'q' ) |
            timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio -monitor none -semihosting \
            -kernel "$elf" > "$out/demand-con.raw" 2> "$out/demand-con.raw.err"; rc=$?
        tr -d '\r' < "$out/demand-con.raw" > "$out/demand-con.txt"
        miss=""
        for want in '^monitor:  id name         backing configured backed minimum (MiB)$' \
                    '^monitor:   0 uartrx       demand           2      [12]       1$' \
                    '^monitor:   1 sparse       demand          64      0       0$' \
                    '^monitor: guest memory pool: 2[0-9][0-9] MiB free of 2[0-9][0-9], [01] MiB of it reserved for minimums$' \
                    '^monitor: guest 1 (sparse) reset$' 'all guests finished: uartrx=0 sparse=0'; do
            grep -q "$want" "$out/demand-con.txt" || miss="$miss [$want]"
        done
        if [ $rc -ne 0 ]; then bad "$board demand-console: exit status $rc ($out/demand-con.txt)"
        elif [ -n "$miss" ]; then bad "$board demand-console: missing from the console:$miss ($out/demand-con.txt)"
        elif [ "$(grep -c '\[g1\] demand: 4 MiB touched, each all zero before first use' "$out/demand-con.txt")" -ne 2 ] ||
             [ "$(grep -c '^monitor: guest 1 (sparse): memory on demand: configured 64 MiB, backed 6 MiB' "$out/demand-con.txt")" -ne 2 ]; then
            bad "$board demand-console: after 'reset 1' the sparse guest should run again on fresh zeroed memory, 6 MiB backed ($out/demand-con.txt)"
        else ok "$board demand-console: 'mem' lists configured/backed/minimum and the pool; a reset guest is backed anew, zeroed"; fi
    else bad "$board demand-console: build failed ($out/demand-con.vm.build.log)"; fi
else bad "$board demand: guest build failed ($out/demand.build.log)"; fi
