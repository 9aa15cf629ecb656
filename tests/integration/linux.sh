#!/usr/bin/env bash
# Linux guest integration tests (issue 7, docs/linux-guest.md), qemu-virt:
#  - boot: the paravirtualized Linux 6.1 guest boots under the monitor to
#    its busybox shell, and the shell answers a command typed on the console;
#  - checks: the in-guest checks of guest-stubs/linux/hvcheck.sh (uname,
#    cpuinfo, rising timer and UART interrupt counts, sleep 1 = 1 s of
#    virtual time, fork/exec, pipes, tmpfs, SIGSEGV/SIGILL in user space,
#    a clean dmesg), each a PASS/FAIL line here;
#  - several: two Linux guests and a bare-metal one at once, each on its own
#    console through the focus switch; crashing one Linux guest (sysrq c)
#    leaves the others running and the monitor reports it.
# Ends with "linux: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
BOARD=qemu-virt
LTIMEOUT=${LTIMEOUT:-240}
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
# QEMU's stderr goes to RAWLOG.err, never into the console stream the checks
# read; a failing check shows it.
QEMU_ERR=/dev/null
bad() {
    fail=$((fail + 1)); echo "FAIL $*"
    [ -s "$QEMU_ERR" ] && sed 's/^/    qemu stderr: /' "$QEMU_ERR" | head -20
    return 0
}
out=build/$BOARD/test-out/linux
mkdir -p "$out"
summary() { echo "linux: $pass passed, $fail failed"; exit 0; }

if ! make -s BOARD=$BOARD linux > "$out/build.log" 2>&1; then
    bad "linux build: make linux failed (see $out/build.log)"; tail -15 "$out/build.log"; summary
fi

# build_vm NAME LINES... : a VM file from the lines, its monitor built; prints the ELF
build_vm() {
    local name=$1 vm; shift
    vm=$out/$name.vm
    printf '%s\n' "$@" > "$vm"
    make -s BOARD=$BOARD VM="$vm" monitor > "$vm.build.log" 2>&1 || return 1
    echo "build/$BOARD/vm-$name/monitor.elf"
}

# Scripted console: QEMU reads its serial input from a FIFO that we write to
# when the output shows a pattern ("expect" in a few lines of bash).
qpid=""
start_qemu() {   # start_qemu ELF RAWLOG
    rm -f "$out/in.fifo"; mkfifo "$out/in.fifo"
    # shellcheck disable=SC2046
    qemu-system-arm $(make -s BOARD=$BOARD print-BOARD_QEMU) -display none -serial stdio \
        -monitor none -semihosting -kernel "$1" < "$out/in.fifo" > "$2" 2> "$2.err" &
    QEMU_ERR=$2.err
    qpid=$!
    exec 3> "$out/in.fifo"
    deadline=$((SECONDS + LTIMEOUT))
}
stop_qemu() {
    [ -n "$qpid" ] && kill "$qpid" 2> /dev/null && wait "$qpid" 2> /dev/null
    exec 3>&-
    qpid=""
}
# expect FILE REGEX [FROM_LINE]: wait until a line matches (after FROM_LINE); 1 on timeout/exit
expect() {
    local from=${3:-0}
    while [ $SECONDS -lt $deadline ]; do
        tail -n +"$((from + 1))" "$1" | tr -d '\r' | grep -q -E "$2" && return 0
        kill -0 "$qpid" 2> /dev/null || { tail -n +"$((from + 1))" "$1" | tr -d '\r' | grep -q -E "$2"; return; }
        sleep 0.5
    done
    return 1
}
send() { printf '%b' "$1" >&3; }
lines() { wc -l < "$1"; }
# glines ID FILE: guest ID's console lines, untagged
glines() { tr -d '\r' < "$2" | sed -n "s/^\[g$1\] //p"; }

# --- 1. one guest: boot, shell, in-guest checks (qemu-virt, and qemu-vexpress-a9
#        where the guest's timer is the SP804) ---------------------------------------
CHECKS="uname-armv7 uname-6.1 cpuinfo-armv7 timer-irqs-rise uart-irqs-rise sleep-1s fork-exec-200
pipes tmpfs-files tmpfs-mounted sigtest xpage dmesg-clean"
check_board() {
local BOARD=$1 B=$1
if ! make -s BOARD=$BOARD linux > "$out/build-$BOARD.log" 2>&1; then
    bad "$B linux build: make linux failed (see $out/build-$BOARD.log)"; return
fi
if elf=$(build_vm linux-check-$BOARD "guest linux linux-pv 64 coherence=wp bootargs=hvcheck"); then
    raw=$out/check-$BOARD.raw
    start_qemu "$elf" "$raw"
    if expect "$raw" '\[g0\] check: type a line'; then
        send 'typed-on-the-uart\r'
    fi
    expect "$raw" '\[g0\] check: end'
    if expect "$raw" '\[g0\] / # '; then
        n=$(lines "$raw"); send 'echo shell-says-$((6*7))\r'
        if expect "$raw" '\[g0\] shell-says-42' "$n"; then
            ok "$B linux boot: the guest booted to its busybox shell, which ran a typed command"
        else
            bad "$B linux boot: no answer from the shell to a typed command ($raw)"
        fi
    else
        bad "$B linux boot: no shell prompt within ${LTIMEOUT}s ($raw)"; tail -15 "$raw"
    fi
    stop_qemu
    glines 0 "$raw" > "$out/check-$BOARD.txt"
    grep -q '^check: read \[typed-on-the-uart\]' "$out/check-$BOARD.txt" ||
        bad "$B linux console input: the guest did not read the typed line ($out/check-$BOARD.txt)"
    for c in $CHECKS; do
        if grep -q "^check: ok $c\$" "$out/check-$BOARD.txt"; then ok "$B linux check $c"
        elif l=$(grep -m1 "^check: FAIL $c" "$out/check-$BOARD.txt"); then bad "$B linux check $c: ${l#check: FAIL }"
        else bad "$B linux check $c: not reported (guest output ended early? $out/check-$BOARD.txt)"
        fi
    done
    grep -E '^(sigtest|xpage): FAIL' "$out/check-$BOARD.txt" | sed 's/^/    /'
    if grep -q -E 'Oops|Kernel panic|BUG:|WARNING:|STOPPED' "$raw"; then
        bad "$B linux boot: oops, panic or monitor stop in the log ($raw)"; grep -m3 -E 'Oops|panic|BUG:|WARNING:|STOPPED' "$raw"
    fi
else
    bad "$B linux check: VM build failed ($out/linux-check-$BOARD.vm.build.log)"
fi

}
check_board qemu-virt
check_board qemu-vexpress-a9

# --- 2. two Linux guests and a bare-metal one; crash one ----------------------
# focus N: Ctrl-A x3 (at most once per guest and once for the monitor
# console) until the monitor says guest N has the console
focus() {
    local n k saved=$deadline
    for k in 1 2 3 4; do
        n=$(lines "$raw")
        send '\x01\x01\x01'
        deadline=$((SECONDS + 10))
        if expect "$raw" "console focus: guest $1 " "$n"; then deadline=$saved; return 0; fi
        deadline=$saved
    done
    return 1
}
# ask ID CMD ANSWER: type CMD on guest ID's console, wait for ANSWER from it
ask() {
    local n
    n=$(lines "$raw"); send "$2\r"
    expect "$raw" "^\\[g$1\\] $3" "$n"
}
if elf=$(build_vm linux-several "guest linux1 linux-pv 64 coherence=wp bootargs=panic=-1" \
                                "guest linux2 linux-pv 64 coherence=wp bootargs=panic=-1" \
                                "guest echo echo-pv 4"); then
    raw=$out/several.raw
    start_qemu "$elf" "$raw"
    if expect "$raw" '^\[g0\] / # ' && expect "$raw" '^\[g1\] / # ' && expect "$raw" '^\[g2\] echo: type'; then
        ok "linux several: two Linux guests reached their shells and the bare-metal guest started"
        if ask 0 'echo one-$((1+1))' 'one-2' && focus 1 && ask 1 'echo two-$((2+2))' 'two-4' &&
           focus 2 && ask 2 'hello-echo' 'you typed: "hello-echo"'; then
            ok "linux several: each guest answered on its own console through the focus switch"
        else
            bad "linux several: a guest did not answer on its console ($raw)"
        fi
        # back to guest 0 (past the monitor console) and crash it
        focus 0 || bad "linux several: the console focus did not come back to guest 0 ($raw)"
        n=$(lines "$raw")
        send 'echo c > /proc/sysrq-trigger\r'
        if expect "$raw" '^\[g0\] .*Kernel panic - not syncing: sysrq triggered crash' "$n" &&
           expect "$raw" '^monitor: guest 0 \(linux1\) asked for a system reset' "$n"; then
            ok "linux several: sysrq c crashed linux1; the monitor reported its reset request and restarted it"
        else
            bad "linux several: no panic of linux1 or no monitor report ($raw)"
        fi
        m=$(lines "$raw")
        if focus 1 && ask 1 'echo after-$((3+4))' 'after-7' && focus 2 &&
           ask 2 'still-here' 'you typed: "still-here"'; then
            ok "linux several: linux2 and the bare-metal guest kept running after linux1 crashed"
        else
            bad "linux several: a neighbour stopped answering after the crash ($raw)"
        fi
        if expect "$raw" '^\[g0\] / # ' "$m"; then
            ok "linux several: linux1 booted again to its shell after the reset"
        else
            bad "linux several: linux1 did not come back after its reset ($raw)"
        fi
        if tr -d '\r' < "$raw" | grep -E '^\[g[12]\] .*(Oops|Kernel panic|BUG:)|STOPPED' > /dev/null; then
            bad "linux several: a neighbour oopsed or the monitor stopped a guest ($raw)"
        fi
    else
        bad "linux several: the guests did not all start within ${LTIMEOUT}s ($raw)"; tail -5 "$raw"
    fi
    stop_qemu
else
    bad "linux several: VM build failed ($out/linux-several.vm.build.log)"
fi

summary
