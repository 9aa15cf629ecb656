#!/usr/bin/env bash
# `make run` and `make qemu-gdb`, as a newcomer types them, checked without a terminal (part of
# `make test`): the very target the README shows, on the default board, with
# its console driven through a FIFO.
#  - the demo guests start and print (echo1/echo2 prompts, hello's RESULT,
#    the MMU test's RESULT);
#  - a line typed to guest 0 comes back from its UART interrupt handler;
#  - after the focus switch (Ctrl-A three times per step, four steps: echo2,
#    hello, mmu, monitor), the monitor console answers `guests` with its table;
#  - QEMU wrote nothing on its stderr (its diagnostics would mean a device or
#    ROM the board does not need, or a missing package).
#  - `make qemu-gdb`: QEMU waits for the debugger; gdb-multiarch (what the
#    README tells users to run) connects, stops at hv_main and reads the PC.
# Ends with "make-run: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
TIMEOUT=${TIMEOUT:-120}
out=build/test-out/make-run
mkdir -p "$out"
raw=$out/run.raw err=$out/run.err fifo=$out/in.fifo
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS make-run $*"; }
bad() { fail=$((fail + 1)); echo "FAIL make-run $*"; }

# The build first, so that the run's time limit is for the run.
if ! make -s monitor > "$out/build.log" 2>&1; then
    bad "build: make monitor failed (see $out/build.log)"; tail -15 "$out/build.log"
    echo "make-run: $pass passed, $fail failed"; exit 0
fi

rm -f "$fifo"; mkfifo "$fifo"
# make run in a session of its own, so that the whole process group (make and
# QEMU) can be ended at the end: Ctrl-C on a pipe is just a byte for the guest.
setsid make -s run < "$fifo" > "$raw" 2> "$err" &
mpid=$!
exec 3> "$fifo"
deadline=$((SECONDS + TIMEOUT))
# expect REGEX: wait until the console shows it; 1 on timeout or exit
expect() {
    while [ $SECONDS -lt $deadline ]; do
        tr -d '\r' < "$raw" | grep -q -E "$1" && return 0
        kill -0 "$mpid" 2> /dev/null || { tr -d '\r' < "$raw" | grep -q -E "$1"; return; }
        sleep 0.3
    done
    return 1
}
send() { printf '%b' "$1" >&3; sleep 0.3; }

step() {   # step NAME REGEX: a PASS/FAIL line for one expectation
    if expect "$2"; then ok "$1"; else bad "$1: no line matching '$2' on the console ($raw)"; fi
}
step "echo guests start" '^\[g1\] echo: type a line'
step "hello guest runs" '^\[g2\] RESULT hello: [0-9]+ checks, 0 failed'
step "mmu guest runs" '^\[g3\] RESULT mmu: [0-9]+ checks, 0 failed'
send 'hello monitor\r'
step "input reaches guest 0" '^\[g0\] you typed: "hello monitor" \(received in my UART interrupt handler\)'
for _ in 1 2 3 4; do send '\001\001\001'; done
step "focus switch to the monitor console" 'monitor: console focus: monitor'
send 'guests\r'
step "monitor console answers 'guests'" 'echo2 +(running|waiting)'
# (checked before QEMU is ended: it reports the signal on stderr)
if [ -s "$err" ]; then bad "QEMU wrote diagnostics on stderr:"; sed 's/^/    qemu stderr: /' "$err" | head -20
else ok "QEMU's stderr is empty"; fi
kill -- -"$mpid" 2> /dev/null; wait "$mpid" 2> /dev/null
exec 3>&-

# --- make qemu-gdb, and the debugger the README names
port=$((20000 + $$ % 20000))
setsid make -s qemu-gdb GDB_PORT=$port < /dev/null > "$out/gdb-qemu.out" 2> "$out/gdb-qemu.err" &
gpid=$!
elf=$(make -s print-MONITOR)
n=0
while ! grep -q 'QEMU waits for gdb' "$out/gdb-qemu.out" && [ $n -lt 100 ]; do sleep 0.2; n=$((n + 1)); done
sleep 1
timeout 60 gdb-multiarch -batch -nx "$elf" -ex "target remote 127.0.0.1:$port" -ex 'break hv_main' -ex 'continue' \
    -ex 'info registers pc' > "$out/gdb.txt" 2>&1
if grep -q 'Breakpoint 1, hv_main ()' "$out/gdb.txt" && grep -qE '^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <hv_main' "$out/gdb.txt"; then
    ok "qemu-gdb: gdb-multiarch connected, stopped at hv_main and read the PC"
else
    bad "qemu-gdb: gdb-multiarch did not stop at hv_main ($out/gdb.txt):"; tail -5 "$out/gdb.txt" | sed 's/^/    /'
    sed 's/^/    qemu stderr: /' "$out/gdb-qemu.err" | head -5
fi
kill -- -"$gpid" 2> /dev/null; wait "$gpid" 2> /dev/null
echo "make-run: $pass passed, $fail failed"
