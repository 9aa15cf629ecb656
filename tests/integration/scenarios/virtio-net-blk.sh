# Scenario virtio-net-blk of tests/integration/run-all.sh (sourced once per board; lib.sh).
# virtio-net and virtio-blk: three vnet guests on the monitor's switch
#   (ping-pong between guests 0 and 1, a broadcast all acknowledge; guest
#   2 listens throughout and must see none of the unicast), beside a vblk
#   guest on its RAM disk (write/read back, IOERR beyond the end, flush,
#   GET_ID, data kept across a device reset).
vflags="$dflags -DPV -DVIO=$(make -s BOARD="$board" print-BOARD_VIRTIO_BASE) -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
# a read-only disk image (disk=): 2049 sectors (just over 1 MiB), every
# byte of sector k = k mod 251
img=$out/vblk.img; : > "$img"
k=0; while [ $k -lt 2049 ]; do
    head -c 512 /dev/zero | tr '\0' "$(printf '\\%03o' $((k % 251)))" >> "$img"; k=$((k + 1))
done
if arm-none-eabi-gcc $vflags -o build/$board/vnet-pv.elf tests/integration/guests/vnet.c 2> "$out/vnet.build.log" &&
   arm-none-eabi-gcc $vflags -o build/$board/vblk-pv.elf tests/integration/guests/vblk.c 2>> "$out/vnet.build.log" &&
   arm-none-eabi-gcc $vflags -DIMAGE_SECTORS=2049 -o build/$board/vblkimg-pv.elf tests/integration/guests/vblk.c 2>> "$out/vnet.build.log"; then
    vm=$out/vnet.vm
    printf 'guest n0 %s 2 virtio=net\nguest n1 %s 2 virtio=net\nguest n2 %s 2 virtio=net\nguest blk %s 2 virtio=blk\nguest img %s 2 disk=%s:ro\n' \
        build/$board/vnet-pv.elf build/$board/vnet-pv.elf build/$board/vnet-pv.elf build/$board/vblk-pv.elf \
        build/$board/vblkimg-pv.elf "$img" > "$vm"
    if elf=$(build_vm "$board" "$vm"); then
        run_qemu "$board" "$elf" "$out/vnet.raw"; rc=$?
        vfail=""
        for g in 0 1 2 3 4; do
            guest_lines $g "$out/vnet.raw" > "$out/vnet-g$g.txt"
            n=$(grep -c '^ok ' "$out/vnet-g$g.txt")
            if grep -q '^FAIL' "$out/vnet-g$g.txt" || ! grep -q "^RESULT v[a-z]*: $n checks, 0 failed" "$out/vnet-g$g.txt"; then
                vfail="$vfail g$g"
            fi
        done
        if [ $rc -ne 0 ]; then bad "$board virtio-net-blk: monitor exit status $rc ($out/vnet.raw)"; grep -E 'FAIL|STOPPED' "$out/vnet.raw" | head -5
        elif [ -n "$vfail" ]; then bad "$board virtio-net-blk: checks failed in$vfail ($out/vnet-g*.txt)"; grep -h '^FAIL' "$out"/vnet-g*.txt | head -5
        elif ! grep -q '^ok no-unicast-of-others' "$out/vnet-g2.txt"; then bad "$board virtio-net-blk: the listening guest's isolation check is missing"
        else ok "$board virtio-net-blk: 3 guests on the virtual switch (ping-pong, broadcast, the third sees no unicast), RAM disk read/write/IOERR/flush/GET_ID/reset; a disk= image read-only with its contents"; fi
    else bad "$board virtio-net-blk: monitor build failed ($vm.build.log)"; fi
else bad "$board virtio-net-blk: build failed ($out/vnet.build.log)"; fi
