# Scenario real-board of tests/integration/run-all.sh (sourced once per board; lib.sh).
# real boards (REAL_BOARDS, default the BOARD_KIND real ones; docs/boards/): the
#   monitor, its uImage and FIT build with the board's drivers, and a
#   smoke run on QEMU's model of the same SoC (PV guests only: natively the
#   guests would meet the SoC's own UART and timers, not the PL011 and SP804
#   models the monitor gives them).  These boards have no semihosting: the
#   monitor halts when every guest has finished, so QEMU is stopped once the
#   console shows "monitor: exit status" (lib.sh: run_until).
if ! make -s BOARD=$board monitor uimage fit > "$out/build.log" 2>&1; then
    bad "$board build: make monitor uimage fit failed ($out/build.log)"; tail -5 "$out/build.log"; return
fi
ok "$board build: monitor, uImage and FIT for configs/demo.vm ($(grep -c '^elf' $bdir/vm-demo/fit/manifest) guests as FIT loadables)"
vm=$out/smoke.vm
printf 'guest uartrx %s/uartrx-pv.elf 2\nguest hog hog-pv 16\nguest sleeper sleeper-pv 16\nguest hello hello-pv 16\n' "$bd" > "$vm"
if ! make -s BOARD=$board GUEST_NAMES="hello sleeper" guests-pv-only build/$board/guests/sleeper-pv.elf \
        $bd/uartrx-pv.elf > "$out/smoke.build.log" 2>&1 || ! elf=$(build_vm "$board" "$vm"); then
    bad "$board smoke: build failed ($out/smoke.build.log, $vm.build.log)"; return
fi
# If the guests do not finish: twelve Ctrl-A (four guests, then the monitor
# console), `guests` (states, and how many input bytes the monitor got).
run_until $board "$elf" "$out/smoke.raw" 'type q' "^\[g0\] uartrx: waiting for input" \
    "$(printf '\001%.0s' 1 2 3 4 5 6 7 8 9 10 11 12)guests$(printf '\r')"; rc=$?
tr -d '\r' < "$out/smoke.raw" > "$out/smoke.txt"
miss=""
for want in 'received 6 bytes in interrupts: "type q"' 'RESULT sleeper: 5 checks, 0 failed' \
            'hog: spun 2000 ms of guest time' 'RESULT hello: 3 checks, 0 failed' \
            'all guests finished: uartrx=0 hog=0 sleeper=0 hello=0'; do
    grep -q "$want" "$out/smoke.txt" || miss="$miss [$want]"
done
if [ $rc -ne 0 ] || [ -n "$miss" ]; then
    # kept apart: the next pass (a switch variant) overwrites smoke.txt
    keep=$out/smoke-failed-$(date +%Y%m%d-%H%M%S).txt; cp "$out/smoke.txt" "$keep"
    seen=$(grep -o 'console input: [0-9]* bytes' "$keep" | tail -1)
    bad "$board smoke on QEMU ($(board_qemu $board)): missing$miss; input typed ${run_until_typed} s after the start, waited until ${run_until_waited} s; afterwards the monitor said: ${seen:-nothing (the monitor console did not answer)} ($keep)"
else ok "$board smoke on QEMU's model of the SoC: console output and input (UART interrupts), tick, deadline timer and preemption work; 4 PV guests finished"; fi
