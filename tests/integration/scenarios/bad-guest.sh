# Scenario bad-guest of tests/integration/run-all.sh (sourced once per board; lib.sh).
# a misbehaving guest is stopped; its neighbour finishes
bg=$bd/badguest.elf vg=$bd/vecless.elf mg=$bd/badmmio.elf
native_ref hello
if bare $board "$bg" "$vg" "$mg" > "$out/bad.build.log" 2>&1; then
    vm=$out/bad.vm
    printf 'guest bad %s 2\nguest hello hello-pv 16\nguest vecless %s 2\nguest badmmio %s 2\n' \
        "$bg" "$vg" "$mg" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/bad.raw"; rc=$?
        guest_lines 0 "$out/bad.raw" > "$out/bad-g0.txt"
        guest_lines 1 "$out/bad.raw" > "$out/bad-g1.txt"
        if [ $rc -ne 100 ]; then bad "$board bad-guest: monitor exit status $rc, expected 100 (a guest was stopped)"
        elif grep -q FAIL "$out/bad-g0.txt" || [ "$(grep -c '^ok ' "$out/bad-g0.txt")" -ne 4 ]; then
            bad "$board bad-guest: the bad guest's checks failed:"; cat "$out/bad-g0.txt"
        elif ! grep -q 'guest 0 (bad) STOPPED: reserved PV encoding' "$out/bad.raw"; then
            bad "$board bad-guest: no clear stop message"
        elif ! grep -q 'guest 2 (vecless) STOPPED: recursive prefetch abort' "$out/bad.raw"; then
            bad "$board bad-guest: a guest without vectors was not stopped with a clear message"
        elif ! grep -q 'guest 3 (badmmio) STOPPED: access to device pl011 .* cannot be emulated' "$out/bad.raw"; then
            bad "$board bad-guest: an LDM to a device was not stopped with a clear message"
        elif ! diff -q "$out/hello-native.txt" "$out/bad-g1.txt" > /dev/null; then
            bad "$board bad-guest: the neighbour's output is not complete"
        else
            ok "$board bad-guest: bad hypercalls refused, abort delivered, bad PV op, recursive fault and LDM to a device stopped, neighbour finished"
        fi
    else bad "$board bad-guest: monitor build failed"; fi
else bad "$board bad-guest: build failed ($out/bad.build.log)"; fi
