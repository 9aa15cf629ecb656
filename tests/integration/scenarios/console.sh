# Scenario console of tests/integration/run-all.sh (sourced once per board; lib.sh).
# the monitor console, driven through the host console: focus switch
#   (Ctrl-A x3), commands, bad commands, pause/resume/reset, input focus;
#   `guests` counts the bytes typed so far (6 Ctrl-A + help + guests = 18,
#   then 45 more up to the second guests = 63)
vm=$out/console.vm
printf 'guest uartrx %s/uartrx-pv.elf 2\nguest hello hello-pv 16\n' "$bd" > "$vm"
if bare $board $bd/uartrx-pv.elf > "$out/console.build.log" 2>&1 && elf=$(build_vm "$board" "$vm"); then
    qemu_in "$board" "$out/console.raw" -kernel "$elf" < <(
        sleep 1; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3
        printf 'help\rguests\rstats 1\rfocus 7\rbogus\rpause x\rpause 0\rguests\rresume 0\r'
        sleep 0.3; printf 'reset 1\r'; sleep 1; printf 'focus 0\r'; sleep 0.3; printf 'q'); rc=$?
    tr -d '\r' < "$out/console.raw" > "$out/console.txt"
    miss=""
    for want in 'console focus: guest 1 (hello)' 'console focus: monitor' 'monitor: commands: help' \
                'uartrx       running\|uartrx       waiting' 'hello        exited' \
                "monitor: no guest 7 (guests are 0-1)" "monitor: unknown command 'bogus'" \
                "monitor: 'x' is not a guest number" 'guest 0 (uartrx) paused' 'uartrx       paused' \
                'guest 0 (uartrx) resumed' 'guest 1 (hello) reset' 'console focus: guest 0 (uartrx)' \
                'received 1 bytes in interrupts: "q"' 'all guests finished: uartrx=0 hello=0' \
                'monitor: console input: 18 bytes from the board' 'monitor: console input: 63 bytes from the board'; do
        grep -q "$want" "$out/console.txt" || miss="$miss [$want]"
    done
    hello_runs=$(grep -c '^\[g1\] RESULT hello' "$out/console.txt")
    if [ $rc -ne 0 ]; then bad "$board console: exit status $rc ($out/console.txt)"
    elif [ -n "$miss" ]; then bad "$board console: missing from the console:$miss"
    elif [ "$hello_runs" -ne 2 ]; then bad "$board console: 'reset 1' should run hello twice, saw $hello_runs"
    else ok "$board console: focus switching and monitor commands (help, guests, stats, focus, pause, resume, reset, errors)"; fi
else bad "$board console: build failed ($out/console.build.log, $vm.build.log)"; fi
