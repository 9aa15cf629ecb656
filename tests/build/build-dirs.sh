#!/usr/bin/env bash
# The build directories and the generated headers (issue 17 item 5):
#  - a monitor with a fast-path switch off (SRFA=0) is built in its own
#    directory (make print-B), not in the default build/BOARD/;
#  - building it, then the default again, recompiles and relinks nothing in
#    the default directory (make --trace), and the two monitors are different
#    files; the SRFA=0 one is really an SRFA=0 build (its banner says so);
#  - asm-offsets.h keeps its modification time when it is regenerated with
#    the same content, and touching a header that asm-offsets.c includes
#    rebuilds exactly the objects whose dependency files name that header.
# Prints PASS/FAIL lines and ends with "build: N passed, M failed".
#   tests/build/build-dirs.sh [BOARD]     (default qemu-virt)
set -u
cd "$(dirname "$0")/../.."
board=${1:-qemu-virt}
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
summary() { echo "build: $pass passed, $fail failed"; [ $fail -eq 0 ]; exit; }
log=build/test-logs/build-dirs; mkdir -p "$log"
# the switches come from the command line only: none inherited from the caller
unset FAST_SYSCALL SRFA FIT LEAN_TRAP TRACE FAST_CP15 FAST_MMIO LAZY_WP SPACE_INHERIT RET_USER

m() { nice make -j2 BOARD="$board" "$@"; }
# recompiled NAME LOG: the monitor objects and links a `make --trace` log shows
recompiled() { grep -E "update target '[^']*(/obj/[^']*\.o|monitor\.elf)'" "$2" | sed -E "s/.*update target '([^']*)'.*/\1/"; }
mtime() { stat -c %Y.%y "$1" 2> /dev/null; }

def=$(make -s BOARD="$board" print-B); off=$(make -s BOARD="$board" SRFA=0 print-B)
def_elf=$(make -s BOARD="$board" print-MONITOR); off_elf=$(make -s BOARD="$board" SRFA=0 print-MONITOR)
if [ "$def" = "build/$board" ] && [ "$off" != "$def" ] && [ "${off_elf#"$off"/}" != "$off_elf" ]; then
    ok "$board build dirs: default $def/, SRFA=0 $off/ (monitor $off_elf)"
else bad "$board build dirs: default '$def', SRFA=0 '$off' (monitor '$off_elf'): expected build/$board and a directory of its own"; fi

if ! m monitor > "$log/default.log" 2>&1; then bad "$board: the default monitor does not build ($log/default.log)"; summary; fi
before=$(mtime "$def_elf")
if ! m SRFA=0 monitor > "$log/srfa0.log" 2>&1; then bad "$board: the SRFA=0 monitor does not build ($log/srfa0.log)"; summary; fi
m --trace monitor > "$log/default-again.log" 2>&1
r=$(recompiled x "$log/default-again.log")
if [ -z "$r" ] && [ "$(mtime "$def_elf")" = "$before" ]; then
    ok "$board make SRFA=0, then make: nothing recompiled or relinked in $def/"
else bad "$board make SRFA=0, then make: rebuilt in $def/: $(echo $r | head -c 300) ($log/default-again.log)"; fi
m --trace SRFA=0 monitor > "$log/srfa0-again.log" 2>&1
r=$(recompiled x "$log/srfa0-again.log")
[ -z "$r" ] && ok "$board make SRFA=0 again: nothing recompiled or relinked in $off/" ||
    bad "$board make SRFA=0 again: rebuilt in $off/: $(echo $r | head -c 300) ($log/srfa0-again.log)"

# two files, and the SRFA=0 one is an SRFA=0 build (core/banner.c's text)
if [ -f "$def_elf" ] && [ -f "$off_elf" ] && ! cmp -s "$def_elf" "$off_elf" &&
   grep -q 'built with SRFA=0' "$off_elf" && ! grep -q 'built with SRFA=0' "$def_elf"; then
    ok "$board monitors: $def_elf and $off_elf differ; only the second says 'built with SRFA=0'"
else bad "$board monitors: $def_elf and $off_elf are not two builds, default and SRFA=0 (missing, identical or mislabelled)"; fi

# asm-offsets.h regenerated (its stamp gone) with the same text: untouched
h=$def/gen/asm-offsets.h
before=$(mtime "$h")
sleep 1   # (a rewrite within the same second would look unchanged)
rm -f "$def/gen/asm-offsets.stamp"
m --trace monitor > "$log/regen.log" 2>&1
r=$(recompiled x "$log/regen.log")
if ! grep -q "update target '$def/gen/asm-offsets.stamp'" "$log/regen.log"; then
    bad "$board asm-offsets.h: not regenerated after its stamp was removed ($log/regen.log)"
elif [ "$(mtime "$h")" = "$before" ] && [ -z "$r" ]; then
    ok "$board asm-offsets.h: regenerated with the same content, modification time kept, nothing recompiled"
else bad "$board asm-offsets.h: identical regeneration changed its time ($before -> $(mtime "$h")) or rebuilt: $(echo $r | head -c 300)"; fi

# a header asm-offsets.c includes, changed without moving an offset: only
# the objects that include it are rebuilt (before: all of them, through
# asm-offsets.h)
hdr=core/fit.h
want=$(grep -l -E "(^| )$hdr( |:|$)" $(find "$def/obj" -name '*.d') | sed 's/\.d$/.o/' | sort)
all=$(find "$def/obj" -name '*.o' | wc -l)
touch "$hdr"
m --trace monitor > "$log/header.log" 2>&1
got=$(recompiled x "$log/header.log" | grep '\.o$' | sort)
if [ "$(mtime "$h")" != "$before" ]; then bad "$board touch $hdr: asm-offsets.h was rewritten"
elif [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok "$board touch $hdr: $(echo "$got" | wc -l) of $all objects rebuilt, exactly those including it; asm-offsets.h kept"
else bad "$board touch $hdr: rebuilt [$(echo $got)], expected the includers [$(echo $want)] ($log/header.log)"; fi
summary
