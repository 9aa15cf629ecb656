# Scenario dtb of tests/integration/run-all.sh (sourced once per board; lib.sh).
# device tree: the monitor hands each guest a DTB of its virtual machine
#   in r2 (r0 = 0, r1 = ~0; docs/guest-boot.md). dtbcheck (PV only, 16 MiB)
#   checks the boot registers and walks the DTB (header, /memory = its RAM,
#   PL011, GIC, /chosen); dtbhigh, linked into the top 64 KiB of a 2 MiB
#   guest, must be refused with a clear message. The DTB decompiles with
#   dtc and its source compiles without warnings.
# The board's facts it checks (its description: board.mk's BOARD_DT_*,
# board.c's addresses through the Makefile): the root compatible's first
# word, the GIC's compatible and its distributor.
dtflags=("-DROOT_COMPAT=\"$(make -s BOARD="$board" print-BOARD_DT_COMPATIBLE | cut -d' ' -f1)\""
         "-DGIC_COMPAT=\"$(make -s BOARD="$board" print-BOARD_DT_GIC)\""
         "-DGIC_DIST=$(make -s BOARD="$board" print-BOARD_GICD_BASE)u")
# dtbcheck gets virtio console, net and balloon where the board has virtio slots
# (the "virtio" entry of board.c's table of guest devices: slot 0's address and interrupt ID;
# slots 0, 2 and 3: mask 13): its DTB must describe exactly those.
dvio=""; dvflags=""; dvnote=""
vbase=$(make -s BOARD="$board" print-BOARD_VIRTIO_BASE)
if [ -n "$vbase" ]; then
    dvio=" virtio=console,net,balloon"
    dvflags="-DVIO_BASE=$vbase -DVIO_SPI=$(( $(make -s BOARD="$board" print-BOARD_VIRTIO_IRQ) - 32 )) -DVIO_MASK=13"
fi
[ -z "$dvio" ] || dvnote=", virtio,mmio nodes = the VM file's$dvio"
if arm-none-eabi-gcc $dflags "${dtflags[@]}" $dvflags -DRAM_SIZE=0x1000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        '-DBOOTARGS="prog --n=3 x"' -o build/$board/dtbcheck.elf tests/integration/guests/dtbcheck.c 2> "$out/dtb.build.log" &&
   arm-none-eabi-gcc $dflags "${dtflags[@]}" -DRAM_SIZE=0x200000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x1F8000))) \
        -o build/$board/dtbhigh.elf tests/integration/guests/dtbcheck.c 2>> "$out/dtb.build.log"; then
    vm=$out/dtb.vm
    printf 'guest dtbcheck build/%s/dtbcheck.elf 16 cmdline=prog,--n=3,x%s\nguest dtbhigh build/%s/dtbhigh.elf 2\n' "$board" "$dvio" "$board" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/dtb.raw"; rc=$?
        tr -d '\r' < "$out/dtb.raw" > "$out/dtb.txt"
        guest_lines 0 "$out/dtb.raw" > "$out/dtb-g0.txt"
        dtb=$bdir/vm-dtb/guest-dtbcheck.dtb
        dtc -I dtb -O dts -o "$out/dtb-decompiled.dts" "$dtb" 2> "$out/dtb-dtc.log"; rcd=$?
        dtc -I dts -O dtb -o /dev/null "${dtb%.dtb}.dts" 2>> "$out/dtb-dtc.log"; rcc=$?
        nok=$(grep -c '^ok ' "$out/dtb-g0.txt")
        if [ $rc -ne 100 ]; then bad "$board dtb: monitor exit status $rc, expected 100 (dtbhigh refused) ($out/dtb.txt)"
            grep -E 'FAIL|STOPPED|PANIC|bad image' "$out/dtb.txt" | head -5
        elif grep -q '^FAIL' "$out/dtb-g0.txt" || ! grep -q '^RESULT dtbcheck: [0-9]* checks, 0 failed' "$out/dtb-g0.txt" ||
             ! grep -q 'guest 0 (dtbcheck) exited with status 0$' "$out/dtb.txt"; then
            bad "$board dtb: the guest's checks failed ($out/dtb-g0.txt):"; grep -E '^(FAIL|RESULT)' "$out/dtb-g0.txt" | head -8
        elif ! grep -q 'guest 1 (dtbhigh): segment IPA .* reaches into the device tree area' "$out/dtb.txt" ||
             ! grep -q 'guest 1 (dtbhigh): bad image: a loaded segment overlaps the device tree area' "$out/dtb.txt"; then
            bad "$board dtb: a guest overlapping the device tree area was not refused with a clear message"
        elif [ $rcd -ne 0 ] || [ $rcc -ne 0 ] || [ -s "$out/dtb-dtc.log" ]; then
            bad "$board dtb: dtc failed or warned on $dtb ($out/dtb-dtc.log)"; head -5 "$out/dtb-dtc.log"
        elif [ -n "$dvio" ] && ! grep -q '^ok   virtio-nodes-are-the-vm-files' "$out/dtb-g0.txt"; then
            bad "$board dtb: the virtio,mmio nodes were not checked against the VM file's virtio= ($out/dtb-g0.txt)"
        elif ! grep -q "reg = <$(printf '0x%02x' $ram) 0x1000000>" "$out/dtb-decompiled.dts"; then
            bad "$board dtb: the decompiled DTB has no 16 MiB memory at $ram ($out/dtb-decompiled.dts)"
        else
            ok "$board dtb: $nok checks by the guest on the DTB in r2 (r0 = 0, r1 = ~0, /memory, PL011, GIC, /chosen, bootargs = the VM file's cmdline=$dvnote); decompiles with dtc ($(grep -c '{$' "$out/dtb-decompiled.dts") nodes); overlapping guest refused"
        fi
    else bad "$board dtb: monitor build failed (see $vm.build.log)"; fi
else bad "$board dtb: build failed ($out/dtb.build.log)"; fi
