# Scenario virtio of tests/integration/run-all.sh (sourced once per board; lib.sh).
# virtio (issue 18): the virtio guest drives the monitor's virtio-mmio
#   console (VM file: virtio=console) directly: registers, negotiation, a
#   transmit queue whose bytes reach its [g0] line, the interrupt on its
#   vGIC line, then every kind of malformed queue input (each must end in
#   DEVICE_NEEDS_RESET and recover after a reset), then console input
#   (focus on it) through its receive queue; its neighbour finishes.
#   Boards with virtio slots (a "virtio" entry in board.c's table): qemu-virt, qemu-vexpress-a9.
native_ref hello
vio=build/$board/virtio-pv.elf
if arm-none-eabi-gcc $dflags -DPV -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) \
        -DVIO=$(make -s BOARD="$board" print-BOARD_VIRTIO_BASE) -DVIO_IRQ=$(make -s BOARD="$board" print-BOARD_VIRTIO_IRQ) \
        -DRAM_SIZE=0x200000 \
        -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) -o "$vio" tests/integration/guests/virtio.c \
        2> "$out/virtio.build.log"; then
    vm=$out/virtio.vm
    printf 'guest virtio %s 2 virtio=console\nguest hello hello-pv 16\n' "$vio" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        qemu_in "$board" "$out/virtio.raw" -kernel "$elf" < <(sleep 1; printf 'virtio q'); rc=$?
        guest_lines 0 "$out/virtio.raw" > "$out/virtio-g0.txt"
        guest_lines 1 "$out/virtio.raw" > "$out/virtio-g1.txt"
        nok=$(grep -c '^ok ' "$out/virtio-g0.txt")
        if [ $rc -ne 0 ]; then bad "$board virtio: monitor exit status $rc ($out/virtio.raw)"; grep -E 'FAIL|STOPPED' "$out/virtio.raw" | head -5
        elif grep -q '^FAIL' "$out/virtio-g0.txt" || ! grep -q "^RESULT virtio: $nok checks, 0 failed" "$out/virtio-g0.txt"; then
            bad "$board virtio: the guest's checks failed ($out/virtio-g0.txt):"; grep -E '^(FAIL|RESULT)' "$out/virtio-g0.txt" | head -8
        elif ! grep -qx 'virtio-console: hello from the transmit queue' "$out/virtio-g0.txt" ||
             ! grep -qx 'virtio-console: through an indirect table' "$out/virtio-g0.txt" ||
             ! grep -qx 'virtio-console: working again after the bad queues' "$out/virtio-g0.txt"; then
            bad "$board virtio: transmitted lines missing from the guest's console ($out/virtio-g0.txt)"
        elif ! grep -qx 'virtio-console: received "virtio q" through the receive queue' "$out/virtio-g0.txt"; then
            bad "$board virtio: console input did not reach the guest's receive queue ($out/virtio-g0.txt)"
        elif ! diff -q "$out/hello-native.txt" "$out/virtio-g1.txt" > /dev/null; then
            bad "$board virtio: the neighbour's output is not complete"
        else
            ok "$board virtio: $nok checks: transport registers, negotiation, transmit queue to the console line, interrupt; every malformed queue -> NEEDS_RESET, a reset recovers; console input through the receive queue; neighbour finished"
        fi
    else bad "$board virtio: monitor build failed ($vm.build.log)"; fi
else bad "$board virtio: build failed ($out/virtio.build.log)"; fi
