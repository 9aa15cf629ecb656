# Scenario isolation of tests/integration/run-all.sh (sourced once per board; lib.sh).
# isolation: an attacker maps every IPA outside its RAM, an L2 table and
#   TTBR0 outside it, then the monitor window; the victim's canaries hold
#   (PV only: natively there is real memory at those addresses)
native_ref hello
if make -s BOARD="$board" GUEST_NAMES=hello guests-pv-only "build/$board/guests/hello-pv.elf" \
        > "$out/isolation.build.log" 2>&1; then
    vm=$out/isolation.vm
    printf 'guest victim victim-pv 16\nguest attacker attacker-pv 16\nguest hello hello-pv 16\n' > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/isolation.raw"; rc=$?
        for i in 0 1 2; do guest_lines $i "$out/isolation.raw" > "$out/isolation-g$i.txt"; done
        tr -d '\r' < "$out/isolation.raw" > "$out/isolation.txt"
        missing=""
        for c in mmu-on sweep-store sweep-load window-ipas exec-outside own-uart real-devices l2-outside-0 \
                 l2-outside-4 page-outside 'ttbr[01]-outside-0' 'ttbr[01]-outside-4' hc-write-outside-0 \
                 window-unmapped no-write-landed no-unexpected; do
            grep -q "^ok   $c: " "$out/isolation-g1.txt" || missing="$missing $c"
        done
        stop=$(grep -n 'guest 1 (attacker) STOPPED: .*inside the monitor window' "$out/isolation.txt" | cut -d: -f1)
        intact=$(grep -n '^\[g0\] ok   canaries: victim canaries intact' "$out/isolation.txt" | cut -d: -f1)
        aborts=$(sed -n 's/^ok   no-write-landed: \([0-9]*\) aborts.*/\1/p' "$out/isolation-g1.txt")
        if [ $rc -ne 100 ]; then bad "$board isolation: monitor exit status $rc, expected 100 (attacker stopped) ($out/isolation.raw)"
            grep -E 'FAIL|STOPPED|PANIC' "$out/isolation.txt" | head -5
        elif grep -q '^FAIL' "$out/isolation-g1.txt" || [ -n "$missing" ] ||
             ! grep -q '^RESULT attacker: [0-9]* checks, 0 failed' "$out/isolation-g1.txt"; then
            bad "$board isolation: attacker checks failed (missing:${missing:- none}):"
            grep -E '^(FAIL|RESULT)' "$out/isolation-g1.txt" | head -10
        elif [ -z "$stop" ]; then
            bad "$board isolation: attacker not stopped 'inside the monitor window' ($out/isolation.raw)"
            grep -E 'STOPPED|attacker' "$out/isolation.txt" | tail -5
        elif ! grep -q '^victim ready$' "$out/isolation-g0.txt" || [ -z "$intact" ] ||
             ! grep -q 'guest 0 (victim) exited with status 0$' "$out/isolation.txt"; then
            bad "$board isolation: victim's canaries not intact or it did not exit 0:"; cat "$out/isolation-g0.txt"
        elif [ "$intact" -lt "$stop" ]; then
            bad "$board isolation: the victim finished before the attacker did (line $intact < $stop): lengthen its yield loop"
        elif ! grep -q '^RESULT hello: [0-9]* checks, 0 failed' "$out/isolation-g2.txt" ||
             { [ -f "$out/hello-native.txt" ] && ! diff -q "$out/hello-native.txt" "$out/isolation-g2.txt" > /dev/null; }; then
            bad "$board isolation: the neighbour hello did not finish cleanly ($out/isolation-g2.txt)"
        else
            ok "$board isolation: $aborts aborts (ext 0x008, walk 0x00c/0x00e), no write landed, attacker stopped at the monitor window; victim canaries intact after it; hello finished"
        fi
    else bad "$board isolation: monitor build failed (see $vm.build.log)"; fi
else bad "$board isolation: guest build failed ($out/isolation.build.log)"; fi
