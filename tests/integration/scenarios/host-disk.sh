# Scenario host-disk of tests/integration/run-all.sh (sourced once per board; lib.sh).
# disk=host: guests' virtio-blk disks are slices of QEMU's own virtio-blk
# device, which the monitor drives (drivers/virtio_blk_host.c).
#  1. a guest writes a pattern into its read-write slice and flushes; a
#     read-only slice refuses a write (IOERR) and reads the image's bytes; a
#     slice beyond the disk's end answers IOERR; QEMU ends;
#  2. the image file holds the pattern exactly there and nothing else changed;
#  3. a NEW QEMU on the same image file: the guest finds the pattern, the
#     read-only slice its bytes;
#  4. without the -drive, and with a legacy transport: the monitor says why
#     there is no host disk and the guest gets IOERR, nothing stops.
hflags="$dflags -DPV -DVIO=0x0a000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
# hd_drive IMAGE: QEMU's arguments for the host disk on IMAGE (board.mk)
hd_drive() { make -s BOARD="$board" HOSTDISK="$1" print-BOARD_QEMU_HOSTDISK; }
# the host disk: 8 MiB, every byte of sector k = k mod 251
img=$out/hostdisk.img
python3 -c "
import sys
sys.stdout.buffer.write(b''.join(bytes([k % 251]) * 512 for k in range(8 * 2048)))" > "$img.orig"
cp "$img.orig" "$img"
hb=build/$board
if arm-none-eabi-gcc $hflags -DSLICE_MIB=2 -DFIRST_MIB=1 -DWRITE -o $hb/vhostblk-w.elf tests/integration/guests/vhostblk.c 2> "$out/hostdisk.build.log" &&
   arm-none-eabi-gcc $hflags -DSLICE_MIB=2 -DFIRST_MIB=1 -DVERIFY -o $hb/vhostblk-v.elf tests/integration/guests/vhostblk.c 2>> "$out/hostdisk.build.log" &&
   arm-none-eabi-gcc $hflags -DSLICE_MIB=1 -DFIRST_MIB=4 -DRO -o $hb/vhostblk-ro.elf tests/integration/guests/vhostblk.c 2>> "$out/hostdisk.build.log" &&
   arm-none-eabi-gcc $hflags -DSLICE_MIB=4 -DFIRST_MIB=6 -DDEAD -o $hb/vhostblk-dead.elf tests/integration/guests/vhostblk.c 2>> "$out/hostdisk.build.log"; then
    # every guest passed its own checks: RESULT line with 0 failed, no FAIL
    hd_guests_ok() {
        local f=$1 n g; shift
        for g in "$@"; do
            guest_lines $g "$f" > "$f-g$g.txt"
            n=$(grep -c '^ok ' "$f-g$g.txt")
            if grep -q '^FAIL' "$f-g$g.txt" || ! grep -q "^RESULT vhostblk: $n checks, 0 failed" "$f-g$g.txt"; then
                echo "g$g"; return 1
            fi
        done
        return 0
    }
    printf 'guest rw %s 2 disk=host:1:2\nguest ro %s 2 disk=host:4:1:ro\nguest dead %s 2 disk=host:6:4\n' \
        $hb/vhostblk-w.elf $hb/vhostblk-ro.elf $hb/vhostblk-dead.elf > "$out/hostdisk1.vm"
    printf 'guest rw %s 2 disk=host:1:2\nguest ro %s 2 disk=host:4:1:ro\n' \
        $hb/vhostblk-v.elf $hb/vhostblk-ro.elf > "$out/hostdisk2.vm"
    if elf1=$(build_vm "$board" "$out/hostdisk1.vm") && elf2=$(build_vm "$board" "$out/hostdisk2.vm"); then
        # 1. first boot
        qemu_in "$board" "$out/hostdisk1.raw" -kernel "$elf1" $(hd_drive "$img") < /dev/null; rc=$?
        if [ $rc -ne 0 ]; then bad "$board host-disk: first boot: monitor exit status $rc ($out/hostdisk1.raw)"
        elif ! grep -q 'monitor: host disk: virtio-blk at 0x0a003e00, 8 MiB, flush' "$out/hostdisk1.raw"; then
            bad "$board host-disk: the monitor did not find the host disk at 0x0a003e00 with 8 MiB and flush ($out/hostdisk1.raw)"
        elif ! grep -q 'monitor: guest 2 (dead): host disk slice of 4 MiB at 6 MiB: the slice ends beyond the disk' "$out/hostdisk1.raw"; then
            bad "$board host-disk: no message for the slice beyond the disk's end ($out/hostdisk1.raw)"
        elif g=$(hd_guests_ok "$out/hostdisk1.raw" 0 1 2); [ -n "$g" ]; then
            bad "$board host-disk: first boot: checks failed in $g ($out/hostdisk1.raw-$g.txt)"; grep -h '^FAIL' "$out"/hostdisk1.raw-g*.txt | head -5
        else ok "$board host-disk: first boot: pattern written to a read-write slice, flushed, read back; a read-only slice refuses a write (IOERR); a slice beyond the disk answers IOERR"; fi
        # 2. the image file itself
        if python3 - "$img.orig" "$img" <<'PY'
import sys
orig, now = (open(p, "rb").read() for p in sys.argv[1:3])
want = bytearray(orig)
first, sectors, wsect = 2048, 2 * 2048, 24          # disk=host:1:2, WSECT
for run in (0, 2048 - wsect // 2, sectors - wsect):
    for s in range(run, run + wsect):
        for k in range(512):
            want[(first + s) * 512 + k] = (s * 31 + k * 7 + 0x3C) & 0xFF
if len(now) != len(want):
    sys.exit("the image is %d bytes, not %d" % (len(now), len(want)))
diff = [i for i in range(len(want)) if want[i] != now[i]]
if diff:
    sys.exit("%d bytes differ from what the guest wrote into the original, first at offset 0x%x" % (len(diff), diff[0]))
PY
        then ok "$board host-disk: the image file holds the pattern exactly where the guest wrote it; nothing else changed (the other slices untouched)"
        else bad "$board host-disk: the image file is not the original plus the guest's pattern"; fi
        # 3. a new QEMU on the same file
        qemu_in "$board" "$out/hostdisk2.raw" -kernel "$elf2" $(hd_drive "$img") < /dev/null; rc=$?
        if [ $rc -ne 0 ]; then bad "$board host-disk: second boot: monitor exit status $rc ($out/hostdisk2.raw)"
        elif g=$(hd_guests_ok "$out/hostdisk2.raw" 0 1); [ -n "$g" ]; then
            bad "$board host-disk: second boot: checks failed in $g ($out/hostdisk2.raw-$g.txt)"; grep -h '^FAIL' "$out"/hostdisk2.raw-g*.txt | head -5
        elif ! grep -q '^ok pattern-after-restart' "$out/hostdisk2.raw-g0.txt"; then
            bad "$board host-disk: second boot: the pattern check did not run"
        else ok "$board host-disk: a new QEMU on the same image file: the guest reads its pattern back, byte for byte; the read-only slice still holds the image's bytes"; fi
        # 4. no host disk / a legacy transport: a message, IOERR, no stop
        printf 'guest dead %s 2 disk=host:6:4\n' $hb/vhostblk-dead.elf > "$out/hostdisk3.vm"
        if elf3=$(build_vm "$board" "$out/hostdisk3.vm"); then
            qemu_in "$board" "$out/hostdisk3.raw" -kernel "$elf3" < /dev/null; rc=$?
            if [ $rc -ne 0 ] || [ -n "$(hd_guests_ok "$out/hostdisk3.raw" 0)" ]; then
                bad "$board host-disk: without a host disk: the guest failed or the monitor stopped (status $rc, $out/hostdisk3.raw)"
            elif ! grep -q 'no virtio-blk device on the virtio-mmio transports' "$out/hostdisk3.raw" ||
                 ! grep -q 'monitor: guest 0 (dead): host disk slice of 4 MiB at 6 MiB: no host disk' "$out/hostdisk3.raw"; then
                bad "$board host-disk: without a host disk: no message saying so ($out/hostdisk3.raw)"
            else ok "$board host-disk: without a -drive the monitor says there is no host disk and the guest's requests get IOERR"; fi
            qemu_in "$board" "$out/hostdisk4.raw" -kernel "$elf3" $(hd_drive "$img") -global virtio-mmio.force-legacy=true < /dev/null; rc=$?
            if [ $rc -ne 0 ] || [ -n "$(hd_guests_ok "$out/hostdisk4.raw" 0)" ]; then
                bad "$board host-disk: legacy transport: the guest failed or the monitor stopped (status $rc, $out/hostdisk4.raw)"
            elif ! grep -q 'a legacy virtio-mmio transport' "$out/hostdisk4.raw"; then
                bad "$board host-disk: legacy transport: no message saying so ($out/hostdisk4.raw)"
            else ok "$board host-disk: a legacy (Version 1) transport is refused with a message; the guest's requests get IOERR"; fi
        else bad "$board host-disk: monitor build failed ($out/hostdisk3.vm.build.log)"; fi
        # 5. the transport the monitor drives is no guest's: the attacker's
        #    loads and stores there (BOARD_TEST_REAL_DEVICES) abort, and the
        #    read-only slice's guest still gets its bytes after them
        printf 'guest attacker attacker-pv 16\nguest ro %s 2 disk=host:4:1:ro\n' $hb/vhostblk-ro.elf > "$out/hostdisk5.vm"
        if make -s BOARD="$board" guests-pv-only > "$out/hostdisk5.build.log" 2>&1 &&
           elf5=$(build_vm "$board" "$out/hostdisk5.vm"); then
            qemu_in "$board" "$out/hostdisk5.raw" -kernel "$elf5" $(hd_drive "$img") < /dev/null; rc=$?
            guest_lines 0 "$out/hostdisk5.raw" > "$out/hostdisk5.raw-g0.txt"
            if [ $rc -ne 100 ]; then bad "$board host-disk: attacker beside the host disk: monitor exit status $rc, expected 100 ($out/hostdisk5.raw)"
            elif ! grep -q '^monitor: host disk: virtio-blk at 0x0a003e00' "$out/hostdisk5.raw" ||
                 ! make -s BOARD="$board" print-BOARD_TEST_REAL_DEVICES | grep -qi '0x0A003E00' ||
                 ! grep -q '^ok   real-devices: ' "$out/hostdisk5.raw-g0.txt"; then
                bad "$board host-disk: the attacker's probes of the host disk's transport did not all abort ($out/hostdisk5.raw-g0.txt)"
            elif [ -n "$(hd_guests_ok "$out/hostdisk5.raw" 1)" ]; then
                bad "$board host-disk: the read-only slice's guest failed beside the attacker ($out/hostdisk5.raw-g1.txt)"
            else ok "$board host-disk: a guest's loads and stores at the host disk's transport 0x0a003e00 abort (no memory) while the monitor drives it; the neighbour's slice still serves"; fi
        else bad "$board host-disk: attacker VM build failed ($out/hostdisk5.build.log, $out/hostdisk5.vm.build.log)"; fi
    else bad "$board host-disk: monitor build failed ($out/hostdisk1.vm.build.log, $out/hostdisk2.vm.build.log)"; fi
else bad "$board host-disk: build failed ($out/hostdisk.build.log)"; fi
