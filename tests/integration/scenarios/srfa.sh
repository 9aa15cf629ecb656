# Scenario srfa of tests/integration/run-all.sh (sourced once per board; lib.sh).
# srfa: the shadow register file and the fast instruction trap,
#   checked by a PV-only guest beside a neighbour (hello)
if make -s BOARD="$board" GUEST_NAMES=hello guests-pv-only "build/$board/guests/hello-pv.elf" \
        > "$out/srfa.build.log" 2>&1; then
    vm=$out/srfa.vm
    printf 'guest srfa srfa-pv 16\nguest hello hello-pv 16\n' > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/srfa.raw"; rc=$?
        guest_lines 0 "$out/srfa.raw" > "$out/srfa.txt"
        res=$(grep '^RESULT srfa: ' "$out/srfa.txt")
        fits=$(tr -d '\r' < "$out/srfa.raw" | sed -n '/guest 0 (srfa) trap statistics/,/total/p' |
               sed -n 's/.*fast-trap (FIT) *\([0-9]*\)/\1/p')
        patches=$(tr -d '\r' < "$out/srfa.raw" | sed -n '/guest 0 (srfa) trap statistics/,/total/p' |
               sed -n 's/.*fit-self-patch *\([0-9]*\)/\1/p')
        if [ $rc -ne 0 ] || ! echo "$res" | grep -q ', 0 failed'; then
            bad "$board srfa: exit status $rc, ${res:-no RESULT line} ($out/srfa.raw)"
            grep -E '^FAIL|STOPPED|PANIC' "$out/srfa.txt" "$out/srfa.raw" | head -8
        elif [ "${SRFA:-1}" = 0 ]; then
            if grep -q '^srfa: SKIP: ' "$out/srfa.txt"; then
                echo "SKIP $board srfa: monitor built with SRFA=0 (the guest saw no page and said so)"
            else bad "$board srfa: SRFA=0 but the guest found an SRFA page"; fi
        elif [ "${FIT:-1}" = 0 ]; then
            if [ -n "$patches" ]; then bad "$board srfa: FIT=0 but $patches instructions were self-patched"
            else ok "$board srfa (FIT=0): ${res#RESULT srfa: }; no self-patching, FIT ops by the slow path"; fi
        elif [ "${patches:-0}" -lt 2 ] || [ "${fits:-0}" -lt 250 ]; then
            bad "$board srfa: expected >= 2 self-patches (the two probes) and >= 250 FIT ops, got ${patches:-0} and ${fits:-0}"
        else ok "$board srfa: ${res#RESULT srfa: }; $patches self-patched instructions, $fits FIT ops; hello finished"; fi
    else bad "$board srfa: monitor build failed"; fi
else bad "$board srfa: build failed ($out/srfa.build.log)"; fi
