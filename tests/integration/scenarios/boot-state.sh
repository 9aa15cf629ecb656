# Scenario boot-state of tests/integration/run-all.sh (sourced once per board; lib.sh).
# boot state: a boot loader (guests/bootstub.S) hands over with PL0
#   access to the host's generic timer, PMU, thread ID registers and
#   coprocessors open; the monitor must close them at boot, so that its
#   guest (bootstate, which runs in User mode) reads only its own state
#   (issue 15 item 4).  The stub is QEMU's -kernel, the monitor's ELF is
#   loaded beside it by -device loader and entered at its ELF entry.
if arm-none-eabi-gcc $dflags -DRAM_SIZE=0x1000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o build/$board/bootstate.elf tests/integration/guests/bootstate.c 2> "$out/bootstate.build.log"; then
    vm=$out/bootstate.vm
    printf 'guest bootstate build/%s/bootstate.elf 16\n' "$board" > "$vm"
    if elf=$(build_vm "$board" "$vm") &&
       entry=$(elf_phys_entry "$elf") &&
       arm-none-eabi-gcc -march=armv7-a -nostdlib -static -Wl,-Ttext=$(printf '0x%x' $((ram + 0xF000000))) \
           -Wa,--defsym,MONITOR_ENTRY=$entry -Wl,--no-warn-rwx-segments \
           -o build/$board/bootstub.elf tests/integration/guests/bootstub.S 2>> "$out/bootstate.build.log"; then
        qemu_in "$board" "$out/bootstate.raw" -kernel build/$board/bootstub.elf -device loader,file="$elf" \
            < /dev/null; rc=$?
        guest_lines 0 "$out/bootstate.raw" > "$out/bootstate.txt"
        # what the host has, from the monitor's banner: those checks must have run
        need=""
        grep -q 'generic timer yes' "$out/bootstate.raw" && need="cntp-ctl cntv-ctl"
        grep -q 'PMU yes' "$out/bootstate.raw" && need="$need pmuserenr"
        missing=""
        for c in $need tpidrurw tpidruro; do grep -q "^ok   $c:" "$out/bootstate.txt" || missing="$missing $c"; done
        if [ $rc -ne 0 ]; then bad "$board boot-state: monitor exit status $rc ($out/bootstate.raw)"
            grep -E 'FAIL|STOPPED|PANIC' "$out/bootstate.raw" | head -6
        elif [ -n "$missing" ] || ! grep -q '^RESULT bootstate: [0-9]* checks, 0 failed' "$out/bootstate.txt"; then
            bad "$board boot-state: a guest reached what the boot loader left open, or a check is missing:$missing ($out/bootstate.txt)"
            grep -E '^(FAIL|RESULT)' "$out/bootstate.txt" | head -6
        else ok "$board boot-state: the boot loader left PL0 access open (CNTKCTL, PMUSERENR, TPIDRURW/RO, CPACR); the guest reached none of it:$(echo $need tpidrurw tpidruro)"; fi
    else bad "$board boot-state: monitor or boot stub build failed ($vm.build.log, $out/bootstate.build.log)"; fi
else bad "$board boot-state: guest build failed ($out/bootstate.build.log)"; fi
