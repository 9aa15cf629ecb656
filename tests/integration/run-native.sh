#!/bin/sh
# run-native.sh BOARD
#
# Runs every native test guest of BOARD bare metal on QEMU:
#   timeout 30 qemu-system-arm <BOARD_QEMU> -nographic -semihosting -kernel X
# saves the console output to $B/out/<name>-native.txt (B defaults to
# build/BOARD under the repository root; override with the environment
# variable B), and prints "PASS name" when QEMU's exit status (the guest's
# semihosting exit code = number of failed checks) is 0 and the output has a
# "RESULT" line, "FAIL name (...)" otherwise.  Exit status: number of failed
# guests (capped at 125).
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 BOARD" >&2
    exit 126
fi
BOARD=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BOARD_MK=$ROOT/boards/$BOARD/board.mk
if [ ! -f "$BOARD_MK" ]; then
    echo "run-native: no $BOARD_MK" >&2
    exit 126
fi
B=${B:-$ROOT/build/$BOARD}
GUESTS=$B/guests
OUT=$B/out
QEMU=${QEMU:-qemu-system-arm}
TIMEOUT=${TIMEOUT:-30}

# BOARD_QEMU := ... (single line in board.mk)
BOARD_QEMU=$(sed -n 's/^BOARD_QEMU[[:space:]]*[:?]\{0,1\}=[[:space:]]*//p' "$BOARD_MK" | tail -n 1)
if [ -z "$BOARD_QEMU" ]; then
    echo "run-native: BOARD_QEMU not found in $BOARD_MK" >&2
    exit 126
fi

mkdir -p "$OUT"

set -- "$GUESTS"/*-native.elf
if [ ! -e "$1" ]; then
    echo "run-native: no native guests in $GUESTS (build them with 'make guests')" >&2
    exit 126
fi

fails=0
total=0
for elf in "$@"; do
    name=$(basename "$elf" -native.elf)
    txt=$OUT/$name-native.txt
    total=$((total + 1))
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$QEMU" $BOARD_QEMU -nographic -semihosting -kernel "$elf" \
        </dev/null >"$txt" 2>"$txt.err"
    rc=$?
    if [ $rc -eq 0 ] && grep -q '^RESULT ' "$txt"; then
        echo "PASS $name"
    else
        why="exit $rc"
        [ $rc -eq 124 ] && why="timeout after ${TIMEOUT}s"
        grep -q '^RESULT ' "$txt" || why="$why, no RESULT line"
        echo "FAIL $name ($why; output in $txt)"
        grep '^FAIL' "$txt" | head -n 5 | sed 's/^/     /'
        [ -s "$txt.err" ] && sed "s/^/     qemu stderr: /" "$txt.err" | head -n 5
        fails=$((fails + 1))
    fi
done
echo "run-native $BOARD: $((total - fails))/$total passed"
[ $fails -gt 125 ] && fails=125
exit $fails
