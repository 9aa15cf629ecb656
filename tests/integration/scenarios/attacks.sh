# Scenario attacks of tests/integration/run-all.sh (sourced once per board; lib.sh).
# attacks: seven attack guests (guest-stubs/attack/, docs/security.md)
#   beside the victim: hypercall abuse, crafted PSRs and exception
#   returns, SRFA tampering, vGIC abuse, exception storms, a recursive
#   fault.  Each checks the architected result of every attack itself
#   (DFSR/IFSR/LR/mode values); here: every check passed and is there,
#   nothing but check lines was printed (no bad buffer reached the
#   console), the four that must be stopped are, with the monitor's
#   message naming the mode or fault, and the victim's canaries hold
#   after all of them, its output complete.
atk="attack-hc attack-psr attack-psr-hyp attack-psr-rfe attack-psr-spsr attack-gic attack-storm"
if make -s BOARD="$board" guests-pv-only > "$out/attacks.build.log" 2>&1; then
    vm=$out/attacks.vm
    { echo "guest victim victim-pv 16"; for a in $atk; do echo "guest $a $a-pv 16"; done; } > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/attacks.raw"; rc=$?
        tr -d '\r' < "$out/attacks.raw" > "$out/attacks.txt"
        for i in 0 1 2 3 4 5 6 7; do guest_lines $i "$out/attacks.raw" > "$out/attacks-g$i.txt"; done
        why=""
        # the checks each attacker must report (ok), by guest number
        want_1="hc-numbers hc-valid hc-write-len hc-write-zero hc-write-ptr-0 hc-write-ptr-1 hc-write-ptr-2
                hc-write-ptr-3 hc-write-ptr-4 hc-write-ptr-5 hc-write-ptr-6 hc-write-ptr-7 hc-write-ptr-8
                hc-write-ptr-9 hc-exit-status hc-from-user hc-remap-0 hc-remap-1 hc-remap-2 hc-remap-3
                hc-storm no-unexpected"
        want_psr="raw-cps-mon-svc raw-cpsid-hyp-svc raw-msr-mon-svc raw-msr-sys-svc raw-mrs-spsr-und
                raw-msr-spsr-und raw-movs-pc-lr-und raw-ldm-hat-und raw-rfe-und raw-srs-und user-cps-msr
                spsr-user-j every-vmode window-load no-unexpected"
        [ "${SRFA:-1}" = 0 ] || want_psr="$want_psr srfa-junk srfa-window-load srfa-user srfa-ro-store srfa-ro-spill"
        want_6="gic-reserved-raz gic-reserved-wi gic-past-frame sgi-absent-list sgi-absent-others
                sgi-absent-reserved sgi-absent-empty sgi-self prio-mask target-ro eoi-abuse ack-storm
                irq-storm no-unexpected"
        want_7="undef-storm dabt-storm pabt-storm svc-storm no-unexpected"
        i=1
        for a in $atk; do
            case $i in 1) w=$want_1 ;; 2|3|4|5) w=$want_psr ;; 6) w=$want_6 ;; 7) w=$want_7 ;; esac
            f=$out/attacks-g$i.txt
            for c in $w; do grep -q "^ok   $c: " "$f" || why="$why [$a: no 'ok $c']"; done
            grep -q '^FAIL' "$f" && why="$why [$a: $(grep -m1 '^FAIL' "$f")]"
            grep -q "^RESULT attack-[a-z]*: [0-9]* checks, 0 failed" "$f" || why="$why [$a: no clean RESULT]"
            stray=$(grep -vE '^(ok   |RESULT |attack-[a-z]+: |remap-A$)' "$f" | head -1)
            [ -n "$stray" ] && why="$why [$a printed '$stray']"
            i=$((i + 1))
        done
        for st in '1 (attack-hc) exited with status 0$' '6 (attack-gic) exited with status 0$' \
                  '2 (attack-psr) STOPPED: attempt to enter absent or reserved mode 0x16 ' \
                  '3 (attack-psr-hyp) STOPPED: attempt to enter absent or reserved mode 0x1a ' \
                  '4 (attack-psr-rfe) STOPPED: attempt to enter absent or reserved mode 0x15 ' \
                  '5 (attack-psr-spsr) STOPPED: attempt to enter absent or reserved mode 0x1a ' \
                  '7 (attack-storm) STOPPED: recursive prefetch abort: its prefetch-abort vector at 0x3000000c '; do
            grep -q "^monitor: guest $st" "$out/attacks.txt" || why="$why [no 'guest $st']"
        done
        # the unknown hypercalls (HC_COUNT..255): 8 reported, then one line for the rest (no flooding)
        nunk=$(grep -c '^monitor: guest 1 (attack-hc): unknown hypercall ' "$out/attacks.txt")
        if [ "$nunk" -ne 9 ] || ! grep -q '^monitor: guest 1 (attack-hc): unknown hypercall .*further unknown hypercalls of this guest get -ENOSYS unreported$' "$out/attacks.txt"; then
            why="$why [unknown hypercalls: $nunk monitor lines, expected 8 + 1 'further ... unreported']"
        fi
        # the victim: complete output, canaries intact after every attacker's last line
        intact=$(grep -n '^\[g0\] ok   canaries: victim canaries intact' "$out/attacks.txt" | cut -d: -f1)
        last=$(grep -nE '^\[g[1-7]\] |^monitor: guest [1-7] \(attack' "$out/attacks.txt" | tail -1 | cut -d: -f1)
        if [ "$(wc -l < "$out/attacks-g0.txt")" -ne 4 ] || ! grep -q '^victim ready$' "$out/attacks-g0.txt" ||
           ! grep -q '^RESULT victim: 1 checks, 0 failed' "$out/attacks-g0.txt" || [ -z "$intact" ]; then
            why="$why [victim output incomplete or canaries changed: $(grep -E '^(FAIL|ok)' "$out/attacks-g0.txt" | head -1)]"
        elif [ "$intact" -lt "${last:-0}" ]; then
            why="$why [the victim finished (line $intact) before the attackers did (line $last)]"
        fi
        grep -q '^monitor: all guests finished: victim=0 attack-hc=0 attack-psr=stopped/-1 attack-psr-hyp=stopped/-1 attack-psr-rfe=stopped/-1 attack-psr-spsr=stopped/-1 attack-gic=0 attack-storm=stopped/-1$' \
            "$out/attacks.txt" || why="$why [no 'all guests finished' line with the expected statuses]"
        if [ $rc -ne 100 ]; then bad "$board attacks: monitor exit status $rc, expected 100 ($out/attacks.txt)"
            grep -E 'FAIL|STOPPED|PANIC' "$out/attacks.txt" | head -5
        elif [ -n "$why" ]; then bad "$board attacks ($out/attacks.txt):$why"
        else
            n=$(cat "$out"/attacks-g[1-7].txt | grep -c '^ok   ')
            ok "$board attacks: 7 attack guests, $n checks passed (hypercalls, PSRs/exception returns, SRFA, vGIC, storms); 4 forbidden modes and a recursive fault stopped by name; victim canaries intact after all"
        fi
    else bad "$board attacks: monitor build failed (see $vm.build.log)"; fi
else bad "$board attacks: guest build failed ($out/attacks.build.log)"; fi

# --- monitor hygiene (arch/arm/mmu.c): at boot the monitor checks through
#   its MMU that its text and rodata are read-only (guarded stores
#   fault), every stack's guard page is unmapped (guarded loads fault)
#   and nothing outside the text is executable; the attacks run above
#   printed it
if [ -f "$out/attacks.txt" ]; then
    if grep -q '^monitor: hygiene: checked: store to text faulted, store to rodata faulted, 5 of 5 guard pages faulted, 0 executable pages outside the text$' "$out/attacks.txt"; then
        ok "$board hygiene: monitor text/rodata read-only (stores faulted), data/bss/stacks/pool execute-never, 5 stack guard pages (loads faulted)"
    else
        bad "$board hygiene: $(grep -m1 '^monitor: hygiene: [A-Z]' "$out/attacks.txt" || echo 'no hygiene line') ($out/attacks.txt)"
    fi
fi
