# Scenario multi of tests/integration/run-all.sh (sourced once per board; lib.sh).
# several guests at once: each must finish and match its native output
multi() {  # multi NAME GUEST...
    local name=$1; shift
    local vm=$out/multi-$name.vm i=0 g rc elf
    for g in "$@"; do native_ref "$g"; done
    : > "$vm"
    for g in "$@"; do echo "guest $g $g-pv 16" >> "$vm"; done
    if ! elf=$(build_vm "$board" "$vm"); then bad "$board multi-$name: build failed"; return; fi
    run_qemu "$board" "$elf" "$out/multi-$name.raw"; rc=$?
    if [ $rc -ne 0 ]; then bad "$board multi-$name: exit status $rc"; return; fi
    for g in "$@"; do
        guest_lines $i "$out/multi-$name.raw" > "$out/multi-$name-$g.txt"
        if ! diff -u "$out/$g-native.txt" "$out/multi-$name-$g.txt" > "$out/multi-$name-$g.diff"; then
            bad "$board multi-$name: guest $i ($g) output differs from native ($out/multi-$name-$g.diff)"
            head -10 "$out/multi-$name-$g.diff"; return
        fi
        i=$((i + 1))
    done
    ok "$board multi-$name: $# guests at once, all identical to native"
}
case " $TESTS " in *" vfp1 "*)
    native_ref vfp1
    run_qemu "$board" "build/$board/guests/vfp2-native.elf" "$out/vfp2-native.raw"
    tr -d '\r' < "$out/vfp2-native.raw" > "$out/vfp2-native.txt"
    multi vfp vfp1 vfp2 ;; esac
set -- $TESTS
[ $# -ge 4 ] && multi four "$1" "$2" "$3" "$4"
