#!/bin/sh
# check-enc.sh [CROSS_COMPILE]
# Assembles sensitive-enc.S (pairs: sensitive.S macro, then the real
# instruction) in the native flavour and checks that every pair encodes to
# the same word; also checks that the PV flavour assembles and contains only
# SVCs in place of the macros.
set -eu
CROSS=${1:-arm-none-eabi-}
HERE=$(cd "$(dirname "$0")" && pwd)
GS=$(dirname "$HERE")
REPO=$(dirname "$GS")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"${CROSS}gcc" -march=armv7-a -marm -I"$REPO/include" -I"$GS/include" -c "$HERE/sensitive-enc.S" -o "$TMP/n.o"
"${CROSS}gcc" -march=armv7-a -marm -DPV=1 -I"$REPO/include" -I"$GS/include" -c "$HERE/sensitive-enc.S" -o "$TMP/p.o"
"${CROSS}objdump" -d "$TMP/n.o" | awk '/^ *[0-9a-f]+:\t/ {print $2}' | paste - - > "$TMP/pairs"
bad=$(awk '$1 != $2' "$TMP/pairs" | wc -l)
n=$(wc -l < "$TMP/pairs")
notsvc=$("${CROSS}objdump" -d "$TMP/p.o" | awk '/^ *[0-9a-f]+:\t/ {print $2}' | awk 'NR % 2 == 1 && substr($1, 2, 1) != "f"' | wc -l)
if [ "$bad" -ne 0 ] || [ "$notsvc" -ne 0 ]; then
    echo "FAIL sensitive.S encodings: $bad of $n native pairs differ, $notsvc PV words not SVC"
    awk '$1 != $2' "$TMP/pairs"
    exit 1
fi
echo "ok   sensitive.S encodings: $n native macros match the assembler, PV flavour is all SVC"
