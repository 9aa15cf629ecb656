#!/usr/bin/env bash
# Transition check (issue 17, merging main's spaces=): main's
# tools/mkguests.sh (with its mkdts.sh and boardfacts.sh, run from an export
# of main: `git archive main | tar -x -C $MAIN`) against this tree's
# tools/mkguests.py, as tools/mkguests-compare.sh of 012cd71 did (removed
# in 350a322).  The board's make variables come from main's tree, as main's
# Makefile passes them to the sh tool (BOARD_GUEST_DEVICES,
# BOARD_DEVICE_SPACE, BOARD_DMA_DEVICES, BOARD_CPP).
#   MAIN=DIR tools/mkguests-compare.sh BOARD VMFILE...
# Prints SAME / SAME-REFUSED / DIFF per file and mode (embedded, external)
# and "compare: BOARD N same, M differ".
set -u
WT=$(cd "$(dirname "$0")/.." && pwd); MAIN=${MAIN:?an export of main}
board=$1; shift
get() { make -s -C "$MAIN" BOARD="$board" "print-$1"; }
base=$(get BOARD_RAM_BASE); size=$(get BOARD_RAM_SIZE); load=$(get BOARD_LOAD_ADDR)
devs=$(get BOARD_GUEST_DEVICES); space=$(get BOARD_DEVICE_SPACE); dma=$(get BOARD_DMA_DEVICES)
layout=$WT/build/qemu-virt/gen/asm-offsets.h
same=0; differ=0
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for vm in "$@"; do
    rm -rf "${t:?}"/*; mkdir -p "$t/guests" "$t/build/qemu-virt/test-out"
    cp "$vm" "$t/in.vm"
    ( cd "$t" || exit 1
      sed 's/#.*//' in.vm | awk '$1 == "guest" { print $3 }' | while read -r img; do
          case "$img" in */*) f=$img ;; *) f=guests/$img.elf ;; esac
          case "$f" in /*) continue ;; esac
          mkdir -p "$(dirname "$f")" 2> /dev/null || continue
          [ -f "$f" ] || { printf '\177ELF'; head -c $(( ${#img} * 977 )) /dev/zero; } > "$f" 2> /dev/null
      done
      sed 's/#.*//' in.vm | tr ' \t' '\n\n' | sed -n 's/^disk=//p' | sed 's/:ro$//' | while read -r d; do
          case "$d" in /*|*odd.img|*empty.img|*big.img|*max.img|*nosuch*) continue ;; esac
          [ -n "$d" ] && mkdir -p "$(dirname "$d")" && [ ! -e "$d" ] && head -c 1048576 /dev/zero > "$d"
      done
      o=build/qemu-virt/test-out
      head -c 1000 /dev/zero > $o/odd.img; : > $o/empty.img; head -c 1048576 /dev/zero > $o/ok.img
      truncate -s $((64 * 1048576 + 512)) $o/big.img; truncate -s $((64 * 1048576)) $o/max.img
      for mode in embedded external; do
          for tool in sh py; do
              rm -rf vmout; mkdir vmout
              if [ $tool = sh ]; then
                  ext=(); [ $mode = external ] && ext=(GUEST_IMAGES=external GUEST_MANIFEST=vmout/manifest)
                  env "${ext[@]}" BOARD_GUEST_DEVICES="$devs" BOARD_DEVICE_SPACE="$space" BOARD_DMA_DEVICES="$dma" \
                      BOARD_CPP="arm-none-eabi-gcc -E" \
                      "$MAIN/tools/mkguests.sh" in.vm guests "$base" "$board" vmout "$size" "$load" > vmout/out.S 2> vmout/err
              else
                  ext=(); [ $mode = external ] && ext=(--external --manifest vmout/manifest)
                  "$WT/tools/mkguests.py" in.vm guests "$base" "$board" vmout "$size" "$load" \
                      --layout "$layout" "${ext[@]}" > vmout/out.S 2> vmout/err
              fi
              echo $? > vmout/rc
              sed -i '1s/mkguests\.\(sh\|py\)/mkguests/' vmout/out.S
              for f in vmout/*.dts; do [ -f "$f" ] && sed -i '2s/tools\/mkdts\.sh/tools\/mkguests.py/' "$f"; done
              mv vmout "$tool-$mode"
          done
      done )
    for mode in embedded external; do
        a=$t/sh-$mode; b=$t/py-$mode
        if [ "$(cat "$a/rc")" != 0 ] || [ "$(cat "$b/rc")" != 0 ]; then
            old=$(sed 's/^mkguests: //; s/^in\.vm:[0-9]*: //; s/^in\.vm: //' "$a/err")
            new=$(sed 's/^mkguests: //; s/^in\.vm:[0-9]*: //' "$b/err")
            if [ "$(cat "$a/rc")" = "$(cat "$b/rc")" ] && [ "$old" = "$new" ]; then same=$((same + 1)); echo "SAME-REFUSED $board $vm $mode: $new"
            else differ=$((differ + 1)); echo "DIFF $board $vm $mode: refused differently:"
                 echo "   sh($(cat "$a/rc")): $(cat "$a/err")"; echo "   py($(cat "$b/rc")): $(cat "$b/err")"; fi
            continue
        fi
        rm -f "$a/err" "$b/err"
        if d=$(diff -r "$a" "$b"); then same=$((same + 1)); echo "SAME $board $vm $mode"
        else differ=$((differ + 1)); echo "DIFF $board $vm $mode:"; echo "$d" | head -20; fi
    done
done
echo "compare: $board $same same, $differ differ"
[ $differ -eq 0 ]
