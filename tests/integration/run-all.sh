#!/usr/bin/env bash
# QEMU integration tests: the scenarios of the table below, one file each
# in tests/integration/scenarios/, over tests/integration/lib.sh.  For every
# board given:
#  - every test guest runs natively (bare metal on QEMU) and paravirtualized
#    under the monitor; both must pass their own checks (exit status 0) and
#    print identical output;
#  - several guests run at once under the monitor and all finish;
#  - every guest gets a device tree of its virtual machine in r2 (dtb);
#  - a misbehaving guest is stopped while its neighbour finishes;
#  - attack guests (guest-stubs/attack/) cannot reach beyond their own VM;
#  - a guest spinning with interrupts masked cannot starve its neighbours;
#  - the native guests patched by tools/pvpatch match native (pvpatch.sh);
#  - (qemu-virt) u-boot boots the monitor's uImage and FIT image.
# Then the real boards (REAL_BOARDS, default: every board whose board.mk says
# BOARD_KIND := real, `make -s print-REAL_BOARDS`) build, with a smoke run on
# QEMU's model of their SoC.  The QEMU boards by default: `make -s print-BOARDS`.
#
#   tests/integration/run-all.sh [BOARD...] [-- SCENARIO...]
#   SCENARIOS="dtb console" tests/integration/run-all.sh qemu-virt
#
# With scenarios named, only those run (the native runs they compare with
# are made if missing).  The fast-path switches (SRFA=0, FIT=0, ...) pass
# through the environment to make, which builds those monitors in their own
# directory (build/BOARD/sw-SRFA0/...; the default build stays as it is).  Prints PASS/FAIL lines and ends with
# "integration: N passed, M failed" (tests/run-tests.sh collects it).
set -u
cd "$(dirname "$0")/../.."

# The scenarios, in the order they run.  BOARDS: "all" (every QEMU board
# given), "real" (every REAL_BOARDS board) or the boards it runs on.
# The file is tests/integration/scenarios/NAME.sh.
#   NAME            BOARDS
SCENARIO_TABLE='
    guests          all
    pvpatch         all
    mmu-wp          all
    mmio            all
    dtb             all
    boot-state      all
    uart-rx         all
    console         all
    bad-config      qemu-virt
    multi           all
    preemption      all
    bad-guest       all
    virtio          qemu-virt,qemu-vexpress-a9
    virtio-net-blk  qemu-virt,qemu-vexpress-a9
    host-disk       qemu-virt
    assign          qemu-virt
    assign-rtc      qemu-virt,qemu-vexpress-a9
    sysregs         qemu-vexpress-a9,qemu-realview-pb-a8
    exit-status     all
    isolation       all
    attacks         all
    srfa            all
    starvation      all
    reset-loop      all
    big-image       all
    big-payload     qemu-virt,qemu-vexpress-a9
    demand          all
    balloon         qemu-virt,qemu-vexpress-a9
    demand-big      qemu-virt
    u-boot          qemu-virt
    real-board      real
'

BOARDS=""; SELECTED=${SCENARIOS:-}
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; SELECTED="$SELECTED $*"; break ;;
        *) BOARDS="$BOARDS $1" ;;
    esac
    shift
done
# default: the Makefile's BOARDS (every boards/NAME whose BOARD_KIND is qemu)
BOARDS=${BOARDS:-$(make -s print-BOARDS)}
for s in $SELECTED; do
    if ! echo "$SCENARIO_TABLE" | awk -v s="$s" '$1 == s { f = 1 } END { exit !f }'; then
        echo "run-all.sh: no scenario '$s'; the scenarios are:" $(echo "$SCENARIO_TABLE" | awk '{ print $1 }') >&2
        exit 2
    fi
done

. tests/integration/lib.sh

# run_scenario NAME: one scenario for $board (a function, so that a
# scenario's `local` and `return` stay its own)
run_scenario() { . "tests/integration/scenarios/$1.sh"; }

# run_table KIND: every selected scenario of the table for $board; KIND is
# "qemu" or "real"
run_table() {
    local row name where
    local -a rows
    mapfile -t rows <<< "$SCENARIO_TABLE"
    for row in "${rows[@]}"; do
        read -r name where <<< "$row"
        [ -n "$name" ] || continue
        case " $SELECTED " in "  "|*" $name "*) ;; *) continue ;; esac
        case "$1,$where" in
            real,real | qemu,all) ;;
            qemu,*) case ",$where," in *",$board,"*) ;; *) continue ;; esac ;;
            *) continue ;;
        esac
        run_scenario "$name" < /dev/null
    done
}

for board in $BOARDS; do
    board_setup "$board"
    echo "== $board: monitors built in $bdir/"
    if ! make -s BOARD="$board" GUEST_NAMES="$GN" guests > "$out/guests.build.log" 2>&1; then
        bad "$board build-guests: see $out/guests.build.log"; tail -20 "$out/guests.build.log"; continue
    fi
    run_table qemu
done

# REAL_BOARDS: default the Makefile's (BOARD_KIND real); REAL_BOARDS= means none
for board in ${REAL_BOARDS-$(make -s print-REAL_BOARDS)}; do
    board_setup "$board"
    run_table real
done
echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]
