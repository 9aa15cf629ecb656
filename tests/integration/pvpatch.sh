# tests/integration/pvpatch.sh - sourced by lib.sh (uses its ok, bad,
# run_qemu, build_vm and guest_lines).  pvpatch_tests BOARD OUTDIR:
#  - every test guest's NATIVE build, patched by tools/pvpatch, runs under the
#    monitor exactly as run-all.sh runs NAME-pv.elf and prints output
#    byte-identical to the native run; pvpatch --verify passes on the result;
#  - the mmu guest patched with --nop-tlb runs under coherence=wp with no TLB
#    maintenance trap, identical to native;
#  - --verify passes on every *-pv.elf guest, and finds an instruction planted
#    back into a patched guest.
# The native guests exit through ARM semihosting (SVC #0x123456), which under
# the monitor is the guest's own SVC: --semihosting-exit turns SYS_EXIT and
# SYS_EXIT_EXTENDED into HC_EXIT through a trampoline (at __heap_end, unused
# guest RAM inside the window every test guest maps).  .usertext holds the
# code the guests run in virtual User mode: left alone, as in the PV builds.

PVPATCH_GUESTS=${PVPATCH_GUESTS:-"modes psr exc cp15 usrundef vfp1 vfp2 hello mmu irq sleeper"}
PVPATCH=build/host/pvpatch
PVPATCH_FLAGS="--thumb=scan --skip-section .usertext --semihosting-exit --tramp-addr __heap_end"

# pvp_native BOARD GUEST OUT: the native output, reusing run-all.sh's if there
pvp_native() {
    # (reused only if newer than the native build: an older one is from an earlier tree)
    [ -s "$3/$2-native.txt" ] && [ "$3/$2-native.txt" -nt "build/$1/guests/$2-native.elf" ] &&
        grep -q '^RESULT ' "$3/$2-native.txt" && return 0
    run_qemu "$1" "build/$1/guests/$2-native.elf" "$3/$2-native.raw"
    tr -d '\r' < "$3/$2-native.raw" > "$3/$2-native.txt"
    grep -q '^RESULT ' "$3/$2-native.txt"
}

# pvp_run BOARD NAME ELF OUT VMOPTS: run a patched guest alone under the monitor
pvp_run() {
    local vm=$4/pvp-$2.vm elf
    echo "guest $2 $3 16 $5" > "$vm"
    elf=$(build_vm "$1" "$vm") || return 2
    run_qemu "$1" "$elf" "$4/pvp-$2.raw" || return 1
    guest_lines 0 "$4/pvp-$2.raw" > "$4/pvp-$2.txt"
}

pvpatch_guest() {  # BOARD GUEST OUT
    local board=$1 g=$2 out=$3 p=$3/pvp/$2.elf n rc
    if ! pvp_native "$board" "$g" "$out"; then bad "$board pvpatch $g: the native run failed"; return; fi
    if ! $PVPATCH $PVPATCH_FLAGS "build/$board/guests/$g-native.elf" -o "$p" > "$out/pvp/$g.report" 2>&1; then
        bad "$board pvpatch $g: patching failed ($out/pvp/$g.report)"; tail -5 "$out/pvp/$g.report"; return
    fi
    if ! $PVPATCH --verify --skip-section .usertext "$p" > "$out/pvp/$g.verify" 2>&1; then
        bad "$board pvpatch $g: --verify fails on the patched ELF ($out/pvp/$g.verify)"; return
    fi
    pvp_run "$board" "$g" "$p" "$out" ""; rc=$?
    n=$(sed -n 's/^  patched: \([0-9]*\) instructions.*/\1/p' "$out/pvp/$g.report")
    if [ $rc -eq 2 ]; then bad "$board pvpatch $g: monitor build failed ($out/pvp-$g.vm.build.log)"
    elif [ $rc -ne 0 ]; then bad "$board pvpatch $g: exit status under the monitor ($out/pvp-$g.raw)"
        grep -E 'FAIL|STOPPED|PANIC' "$out/pvp-$g.raw" | head -5
    elif ! diff -u "$out/$g-native.txt" "$out/pvp-$g.txt" > "$out/pvp-$g.diff"; then
        bad "$board pvpatch $g: output differs from native ($out/pvp-$g.diff)"; head -10 "$out/pvp-$g.diff"
    else
        ok "$board pvpatch $g: native ELF patched ($n instructions), verify clean, identical to native ($(wc -l < "$out/pvp-$g.txt") lines)"
    fi
}

pvpatch_nop_tlb() {  # BOARD OUT: the mmu guest with --nop-tlb under coherence=wp
    local board=$1 out=$2 p=$2/pvp/mmu-noptlb.elf tlb rc
    if ! $PVPATCH $PVPATCH_FLAGS --nop-tlb "build/$board/guests/mmu-native.elf" -o "$p" \
            > "$out/pvp/mmu-noptlb.report" 2>&1; then
        bad "$board pvpatch mmu --nop-tlb: patching failed"; return
    fi
    pvp_run "$board" mmunop "$p" "$out" coherence=wp; rc=$?
    tlb=$(sed -n 's/.*cp15-tlb-maint *//p' "$out/pvp-mmunop.raw" 2>/dev/null | tr -dc '0-9')
    if [ $rc -ne 0 ]; then bad "$board pvpatch mmu --nop-tlb, coherence=wp: exit status / build ($out/pvp-mmunop.raw)"
    elif [ -n "$tlb" ]; then bad "$board pvpatch mmu --nop-tlb: still $tlb TLB maintenance traps"
    elif ! diff -u "$out/mmu-native.txt" "$out/pvp-mmunop.txt" > "$out/pvp-mmunop.diff"; then
        bad "$board pvpatch mmu --nop-tlb: differs from native ($out/pvp-mmunop.diff)"; head -10 "$out/pvp-mmunop.diff"
    else
        ok "$board pvpatch mmu --nop-tlb ($(sed -n 's/^  TLB\/BP maint *\([0-9]*\).*/\1/p' "$out/pvp/mmu-noptlb.report") TLB/BTB ops as NOPs), coherence=wp: identical to native, no TLB traps"
    fi
}

pvpatch_verify() {  # BOARD OUT
    local board=$1 out=$2 f n=0 failed="" clean=$2/pvp/hello-plain.elf planted=$2/pvp/hello-planted.elf off
    for f in build/$board/guests/*-pv.elf; do
        n=$((n + 1))
        $PVPATCH --verify --skip-section .usertext "$f" > "$out/pvp/verify-$(basename "$f").txt" 2>&1 ||
            failed="$failed $(basename "$f")"
    done
    if [ -n "$failed" ]; then bad "$board pvpatch --verify on the PV guests: fails on$failed"
    else ok "$board pvpatch --verify: $n *-pv.elf guests clean"; fi
    # plant the first rewritten word of the native hello back into a patched
    # copy (patched without trampolines: same layout, so cmp finds the site)
    if ! $PVPATCH -q --thumb=scan --skip-section .usertext "build/$board/guests/hello-native.elf" \
            -o "$clean" > "$out/pvp/hello-plain.report" 2>&1; then
        bad "$board pvpatch --verify planted: patching hello failed"; return
    fi
    off=$(cmp -l "build/$board/guests/hello-native.elf" "$clean" 2>/dev/null | awk 'NR == 1 { print $1 - 1 }')
    off=$(( ${off:-0} & ~3 ))
    cp "$clean" "$planted"
    dd if="build/$board/guests/hello-native.elf" of="$planted" bs=1 skip=$off seek=$off count=4 \
        conv=notrunc status=none
    if $PVPATCH --verify --skip-section .usertext "$planted" > "$out/pvp/verify-planted.txt" 2>&1; then
        bad "$board pvpatch --verify: the planted instruction was not found ($out/pvp/verify-planted.txt)"
    elif ! grep -q '^verify: FAILED' "$out/pvp/verify-planted.txt" ||
         [ "$(grep -c ': 0x[0-9a-f]*: [0-9a-f]\{8\}  ' "$out/pvp/verify-planted.txt")" -ne 1 ]; then
        bad "$board pvpatch --verify: expected exactly one finding ($out/pvp/verify-planted.txt)"
    elif ! $PVPATCH --verify --skip-section .usertext "$clean" > /dev/null 2>&1; then
        bad "$board pvpatch --verify: fails on the clean file"
    else
        ok "$board pvpatch --verify finds the planted instruction ($(grep -o ': 0x[0-9a-f]*: [0-9a-f]\{8\}  [A-Za-z/ ]*' "$out/pvp/verify-planted.txt" | head -1 | sed 's/^: //; s/ *$//')) and passes on the clean file"
    fi
}

# The fast paths applied by pvpatch (--srfa --srfa-mrs=exact --fit): SRFA
# sequences and FIT ops, run under the monitor, must still match native.
# psr is not in the list: it sets CPSR.E (big-endian data) and then reads the
# CPSR, and the SRFA words are little-endian (docs/pv-abi.md): a guest kernel
# running with E=1 cannot use the SRFA sequences as they are.
PVPATCH_FAST_GUESTS=${PVPATCH_FAST_GUESTS:-"modes exc cp15 usrundef vfp1 hello mmu irq"}
# A monitor built SRFA=0 has no SRFA page: the guests are patched with --fit
# alone, and their FIT_LOADs must still read the registers (the slow path
# computes the word; issue 15 item 1: it used to panic the monitor).
pvpatch_fast() {  # BOARD GUEST OUT
    local board=$1 g=$2 out=$3 p=$3/pvp/$2-fast.elf n rc
    local fl="--srfa --srfa-mrs=exact --fit" what="SRFA sequences, FIT ops" nm="$board pvpatch --srfa --fit $g"
    if [ "${SRFA:-1}" = 0 ]; then
        fl="--fit"; what="FIT ops, on a monitor without the SRFA page"; nm="$board pvpatch --fit $g (SRFA=0)"
    fi
    if ! $PVPATCH $PVPATCH_FLAGS $fl "build/$board/guests/$g-native.elf" \
            -o "$p" > "$out/pvp/$g-fast.report" 2>&1; then
        bad "$nm: patching failed ($out/pvp/$g-fast.report)"; return
    fi
    pvp_run "$board" "$g-fast" "$p" "$out" ""; rc=$?
    n=$(sed -n 's/^  patched: \([0-9]*\) instructions.*/\1/p' "$out/pvp/$g-fast.report")
    if [ $rc -eq 2 ]; then bad "$nm: monitor build failed"
    elif [ $rc -ne 0 ]; then bad "$nm: exit status $rc ($out/pvp-$g-fast.raw)"
        grep -E 'FAIL|STOPPED|PANIC' "$out/pvp-$g-fast.raw" | head -5
    elif ! diff -u "$out/$g-native.txt" "$out/pvp-$g-fast.txt" > "$out/pvp-$g-fast.diff"; then
        bad "$nm: output differs from native ($out/pvp-$g-fast.diff)"
        head -10 "$out/pvp-$g-fast.diff"
    else ok "$nm: $n instructions patched ($what), identical to native"; fi
}

pvpatch_tests() {  # BOARD OUT
    local board=$1 out=$2 g
    mkdir -p "$out/pvp"
    if ! make -s pvpatch > "$out/pvp/build.log" 2>&1; then
        bad "$board pvpatch: build failed ($out/pvp/build.log)"; tail -5 "$out/pvp/build.log"; return
    fi
    if ! make -s BOARD="$board" GUEST_NAMES="$PVPATCH_GUESTS mmunop" guests > "$out/pvp/guests.log" 2>&1; then
        bad "$board pvpatch: guest build failed ($out/pvp/guests.log)"; return
    fi
    for g in $PVPATCH_GUESTS; do pvpatch_guest "$board" "$g" "$out"; done
    for g in $PVPATCH_FAST_GUESTS; do
        case " $PVPATCH_GUESTS " in *" $g "*) pvpatch_fast "$board" "$g" "$out" ;; esac
    done
    case " $PVPATCH_GUESTS " in *" mmu "*) pvpatch_nop_tlb "$board" "$out" ;; esac
    pvpatch_verify "$board" "$out"
}
