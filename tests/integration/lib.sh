# tests/integration/lib.sh - sourced by run-all.sh; what every scenario
# (tests/integration/scenarios/NAME.sh) may use.  tests/README.md says how
# to add a scenario.
#
# A scenario is sourced once per board, inside a function, with these set:
#   board  the board's name (boards/NAME/)
#   bdir   the monitor's build directory for this board and the fast-path
#          switches in the environment (make print-B: build/$board, or
#          build/$board/sw-SRFA0-... with a switch off; the Makefile names it)
#   out    $bdir/test-out: the scenario's files go there
#   bd     build/$board/bare: the standalone guests the Makefile builds
#          (shared by every switch setting, as build/$board/guests/ is)
#   ram    the board's RAM base (BOARD_RAM_BASE), uart its PL011 (BOARD_UART_BASE)
#   dflags gcc flags for a one-file test guest (tests/integration/guests/*.c)
#          linked for this board: add -DRAM_SIZE=... and -Wl,-Ttext=...
#   TESTS  the test guests (default below), GN: the guests `make guests` built
# and reports each check with ok "$board NAME: ..." or bad "$board NAME: ...".
# Every check a scenario makes must be able to fail: one ok or bad per check.

TIMEOUT=${TIMEOUT:-60}
pass=0; fail=0
TESTS=${TESTS:-"modes psr exc cp15 usrundef vfp1 hello mmu irq"}
GN="$TESTS"   # guests to build
case " $TESTS " in *" mmu "*) GN="$GN mmunop" ;; esac
case " $TESTS " in *" vfp1 "*) GN="$GN vfp2" ;; esac

# QEMU's own diagnostics never go into a console stream that a test compares:
# every QEMU run here writes its stderr to OUTFILE.err (qemu_err remembers the
# last one), and a failing test shows it.
QEMU_ERR=/dev/null
qemu_err() { QEMU_ERR=$1; }
ok()   { pass=$((pass + 1)); echo "PASS $*"; }
bad()  {
    fail=$((fail + 1)); echo "FAIL $*"
    [ -s "$QEMU_ERR" ] && sed 's/^/    qemu stderr: /' "$QEMU_ERR" | head -20
    return 0
}

# board_qemu BOARD: the board's QEMU command line (BOARD_QEMU in
# boards/NAME/board.mk), asked of make once per board
declare -A BOARD_QEMU_OF
board_qemu() {
    [ -n "${BOARD_QEMU_OF[$1]:-}" ] || BOARD_QEMU_OF[$1]=$(make -s BOARD="$1" print-BOARD_QEMU)
    echo "${BOARD_QEMU_OF[$1]}"
}

# qemu_in BOARD OUTFILE ARG...: QEMU for BOARD (semihosting on) with the
# given -kernel/-bios/-device arguments; stdin is the console input, the
# console goes to OUTFILE, QEMU's stderr to OUTFILE.err -> QEMU's exit
# status (124 on timeout)
qemu_in() {
    local b=$1 o=$2; shift 2
    qemu_err "$o.err"
    timeout "$TIMEOUT" qemu-system-arm $(board_qemu "$b") -display none -serial stdio -monitor none -semihosting \
        "$@" > "$o" 2> "$o.err"
}

# run_qemu BOARD ELF OUTFILE -> exit status of QEMU (124 on timeout)
run_qemu() { qemu_in "$1" "$3" -kernel "$2" < /dev/null; }

# build_dir BOARD: the monitor's build directory for BOARD and the switches
# in the environment, asked of make (print-B) once per board
declare -A BUILD_DIR_OF
build_dir() {
    [ -n "${BUILD_DIR_OF[$1]:-}" ] || BUILD_DIR_OF[$1]=$(make -s BOARD="$1" print-B)
    echo "${BUILD_DIR_OF[$1]}"
}

# build_vm BOARD VMFILE -> path of the monitor ELF (on stdout)
build_vm() {
    local log=$2.build.log
    if ! make -s BOARD="$1" VM="$2" GUEST_NAMES="$GN" monitor > "$log" 2>&1; then
        return 1
    fi
    echo "$(build_dir "$1")/vm-$(basename "${2%.vm}")/monitor.elf"
}

# bare BOARD FILE...: build standalone guests (Makefile: $(B)/bare/...)
bare() { local b=$1; shift; make -s BOARD="$b" "$@"; }

# elf_phys_entry ELF: the physical address of its entry point (through the
# LOAD segment that holds it): where a boot loader jumps with the MMU off
elf_phys_entry() {
    local e t off va pa fs ms
    e=$(arm-none-eabi-readelf -h "$1" | awk '/Entry point/ { print $4 }') || return 1
    while read -r t off va pa fs ms _; do
        if [ "$t" = LOAD ] && [ $((e)) -ge $((va)) ] && [ $((e)) -lt $((va + ms)) ]; then
            printf '0x%x\n' $((e - va + pa)); return 0
        fi
    done < <(arm-none-eabi-readelf -lW "$1")
    return 1
}

# guest_lines ID FILE: the console lines of guest ID, untagged
guest_lines() { tr -d '\r' < "$2" | sed -n "s/^\[g$1\] //p"; }

# native_ref GUEST: make sure $out/GUEST-native.txt (the native run that a
# scenario compares with) is there.  In a full run the guests scenario has
# written it; when only some scenarios run (SCENARIOS=...), it is made here
# if missing or older than the native guest's build.
native_ref() {
    [ -z "$SELECTED" ] && return 0
    # (a reference older than the native build is from an earlier tree)
    [ -f "$out/$1-native.txt" ] && [ "$out/$1-native.txt" -nt "build/$board/guests/$1-native.elf" ] && return 0
    make -s BOARD="$board" GUEST_NAMES="$1" "build/$board/guests/$1-native.elf" > /dev/null 2>&1
    run_qemu "$board" "build/$board/guests/$1-native.elf" "$out/$1-native.raw"
    tr -d '\r' < "$out/$1-native.raw" > "$out/$1-native.txt"
}

# board_setup BOARD: the per-board variables listed at the top
board_setup() {
    board=$1
    bdir=$(build_dir "$board")
    out=$bdir/test-out
    bd=build/$board/bare
    mkdir -p "$out"
    ram=$(make -s BOARD="$board" print-BOARD_RAM_BASE)
    uart=$(make -s BOARD="$board" print-BOARD_UART_BASE)
    dflags="-marm -march=armv7-a -mfloat-abi=soft -O1 -ffreestanding -nostdlib -static -Wall -Wextra -Werror
            -Iinclude -DUART=$uart -DRAM_BASE=$ram -Wl,--no-warn-rwx-segments"
    return 0
}

# run_until BOARD ELF OUTFILE INPUT READY [DIAG]: QEMU (no semihosting: the
# real boards) until the monitor's last line; INPUT is typed once the console
# shows a line matching READY (a fixed delay lost it when QEMU started
# slowly on a loaded machine).  If the last line does not come, DIAG (e.g.
# the keys that reach the monitor console and a command) is typed before
# QEMU is stopped, so the capture says what the monitor saw.  Sets
# run_until_typed and run_until_waited (seconds after the start).
run_until() {
    local flags qpid n=0 fifo=$3.in
    flags=$(board_qemu "$1")
    qemu_err "$3.err"
    rm -f "$fifo"; mkfifo "$fifo"
    qemu-system-arm $flags -display none -serial stdio -monitor none -kernel "$2" < "$fifo" > "$3" 2> "$3.err" &
    qpid=$!
    exec 4> "$fifo"
    while kill -0 $qpid 2> /dev/null && ! grep -q -E "$5" "$3" && [ $n -lt $((TIMEOUT * 5)) ]; do
        sleep 0.2; n=$((n + 1))
    done
    printf '%s' "$4" >&4
    run_until_typed=$((n / 5))
    while kill -0 $qpid 2> /dev/null && ! grep -q '^monitor: exit status' "$3" && [ $n -lt $((TIMEOUT * 5)) ]; do
        sleep 0.2; n=$((n + 1))
    done
    run_until_waited=$((n / 5))
    if [ -n "${6-}" ] && kill -0 $qpid 2> /dev/null && ! grep -q '^monitor: exit status' "$3"; then
        printf '%s' "$6" >&4
        sleep 2
    fi
    sleep 0.2
    kill $qpid 2> /dev/null; wait $qpid 2> /dev/null
    exec 4>&-
    grep -q '^monitor: exit status' "$3"
}

. tests/integration/pvpatch.sh
