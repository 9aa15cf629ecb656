#!/usr/bin/env bash
# A board is one folder (issue 17 item 1): in a scratch clone of the
# committed tree, a copy of boards/qemu-vexpress-a9 under another name,
# with nothing else edited,
#  - is in `make -s print-BOARDS` (its BOARD_KIND is qemu), and a copy with
#    BOARD_KIND := real is in print-REAL_BOARDS instead;
#  - gets its make facts from its board.c (print-BOARD_GICD_BASE follows an
#    edit of board.c's gic_dist_base, and the irq test guest's compile line
#    carries it), its test facts from its board.mk (BOARD_TEST_SPIS);
#  - a board.mk without BOARD_KIND, BOARD_TEST_SPIS or BOARD_MIDR, and a
#    board.c without uart_irq, stop make with a message naming the file.
# Only make's dry runs: nothing is compiled.
# Prints PASS/FAIL lines and ends with "boards: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d /tmp/boards-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/tree" || { bad "boards: git clone failed"; echo "boards: $pass passed, $fail failed"; exit 1; }
cd "$tmp/tree"
src=boards/qemu-vexpress-a9
new() {  # new NAME: a copy of vexpress's folder named NAME
    cp -r "$src" "boards/$1"
    sed -i "s/\.name = \"qemu-vexpress-a9\"/.name = \"$1\"/" "boards/$1/board.c"
}
new t-qemu
new t-real; sed -i 's/^BOARD_KIND *:= *qemu/BOARD_KIND := real/' boards/t-real/board.mk
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then bad "boards: a tracked file changed"; fi

boards=" $(make -s print-BOARDS) "; real=" $(make -s print-REAL_BOARDS) "
case "$boards" in *" t-qemu "*) ok "a new qemu board folder is in print-BOARDS ($boards)" ;;
    *) bad "print-BOARDS misses the new folder t-qemu: $boards" ;; esac
case "$real" in *" t-real "*) ok "a new real board folder is in print-REAL_BOARDS ($real)" ;;
    *) bad "print-REAL_BOARDS misses t-real: $real" ;; esac
case "$boards" in *" t-real "*) bad "print-BOARDS has the real board t-real: $boards" ;;
    *) ok "print-BOARDS leaves the real board out" ;; esac

# board.c is the source of the make facts: move its GIC distributor
sed -i 's/\.gic_dist_base = A9_PERIPH_BASE + 0x1000,/.gic_dist_base = 0x1E00F000,/' boards/t-qemu/board.c
sed -i 's/^BOARD_TEST_SPIS .*/BOARD_TEST_SPIS   := 50 51/' boards/t-qemu/board.mk
g=$(make -s BOARD=t-qemu print-BOARD_GICD_BASE)
[ "$g" = 0x1E00F000 ] && ok "print-BOARD_GICD_BASE follows board.c ($g)" ||
    bad "print-BOARD_GICD_BASE is '$g' after board.c's gic_dist_base became 0x1E00F000"
line=$(make -nB BOARD=t-qemu build/t-qemu/guests/irq-pv.elf 2> "$tmp/irq.err" | grep -- '-c .*tests/irq\.c' | head -1)
if echo "$line" | grep -q -- '-DGICD_BASE=0x1E00F000 ' && echo "$line" | grep -q -- '-DIRQ_SPI_A=50 -DIRQ_SPI_B=51' &&
   echo "$line" | grep -q -- '-DIRQ_SP804_BASE=0x10011000 -DIRQ_ID_SP804=34'; then
    ok "the irq guest of the new board gets board.c's GIC and SP804, board.mk's SPIs"
else bad "the irq guest's compile line of t-qemu lacks board.c's or board.mk's facts: ${line:-none ($tmp/irq.err: $(head -c 300 "$tmp/irq.err"))}"; fi

# refusals, each naming what is missing
refused() {  # refused BOARD WANT WHAT: make -n BOARD fails with a message matching WANT
    local msg
    if msg=$(make -n BOARD="$1" guests 2>&1); then bad "$3: make did not stop"
    elif echo "$msg" | grep -q -- "$2"; then ok "$3: $(echo "$msg" | grep -- "$2" | head -1 | sed 's/^.*\*\*\* //')"
    else bad "$3: make stopped without naming it: $(echo "$msg" | tail -2)"; fi
}
new t-nokind; sed -i '/^BOARD_KIND/d' boards/t-nokind/board.mk
refused t-nokind "boards/t-nokind/board.mk: BOARD_KIND must be qemu or real" "board.mk without BOARD_KIND"
new t-nospis; sed -i '/^BOARD_TEST_SPIS/d' boards/t-nospis/board.mk
refused t-nospis "boards/t-nospis/board.mk: BOARD_TEST_SPIS" "board.mk without BOARD_TEST_SPIS"
new t-nomidr; sed -i '/^BOARD_MIDR/d' boards/t-nomidr/board.mk
refused t-nomidr "boards/t-nomidr/board.mk: no BOARD_MIDR" "board.mk without BOARD_MIDR"
new t-noirq; sed -i '/\.uart_irq = /d' boards/t-noirq/board.c
refused t-noirq "boards/t-noirq/board.c:[0-9]*: the board initializer has no .uart_irq" "board.c without uart_irq"
refused t-none "unknown BOARD 't-none': choose one of .*qemu-virt" "an unknown board"

echo "boards: $pass passed, $fail failed"
[ $fail -eq 0 ]
