# Scenario u-boot of tests/integration/run-all.sh (sourced once per board; lib.sh).
# u-boot (Debian's qemu_arm build) boots the monitor's images, built by
#   `make uimage fit` for u-boot's load address 0x40400000 (the guests
#   are placed around it), with two guests whose output must be
#   identical to native.  Hand-over: MMU off, r2 = FDT.
#   uImage (guests embedded): environment in pflash, bootm from RAM.
#   FIT (monitor + each guest's ELF and DTB as hashed loadables): the
#   default environment's distro boot finds boot.scr on a FAT disk
#   (QEMU vvfat, virtio), which loads monitor.itb and bootm's it; the
#   monitor loads the guests straight from where u-boot put them.
uboot_bin=/usr/lib/u-boot/qemu_arm/u-boot.bin
native_ref hello; native_ref modes
if [ -f "$out/hello-native.txt" ] && [ -f "$out/modes-native.txt" ]; then
    ub=build/$board/uboot; rm -rf "$ub"; mkdir -p "$ub/bootfs"
    printf 'guest hello hello-pv 16\nguest modes modes-pv 16\n' > "$out/uboot.vm"
    vb=$bdir/vm-uboot
    if ! make -s BOARD=$board VM="$out/uboot.vm" GUEST_NAMES="$GN" LOAD_ADDR=0x40400000 uimage fit \
            > "$out/uboot.build.log" 2>&1; then
        bad "$board u-boot: make uimage fit failed ($out/uboot.build.log)"; tail -5 "$out/uboot.build.log"
    elif [ ! -f "$uboot_bin" ]; then
        bad "$board u-boot: $uboot_bin missing (package u-boot-qemu; make deps)"
    else
        # uboot_check NAME RAWFILE RC EXTRA-GREP: the common checks
        uboot_check() {
            local name=$1 raw=$2 rc=$3 want=$4
            guest_lines 0 "$raw" > "$out/$name-g0.txt"; guest_lines 1 "$raw" > "$out/$name-g1.txt"
            if [ "$rc" -ne 0 ]; then bad "$board $name: exit status $rc ($raw)"
                grep -E 'ERROR|FAIL|STOPPED|PANIC|not' "$raw" | head -5
            elif ! grep -q 'image at PA 0x40400000' "$raw"; then bad "$board $name: not running at 0x40400000 ($raw)"
            elif grep -q 'FDT r2=0x00000000' "$raw"; then bad "$board $name: no FDT pointer in r2"
            elif ! grep -q "$want" "$raw"; then bad "$board $name: '$want' missing ($raw)"
            elif ! diff -q "$out/hello-native.txt" "$out/$name-g0.txt" > /dev/null ||
                 ! diff -q "$out/modes-native.txt" "$out/$name-g1.txt" > /dev/null; then
                bad "$board $name: guest output differs from native ($out/$name-g[01].txt)"
            else return 0; fi
            return 1
        }
        # uImage: bootm from RAM, the environment in pflash (bootdelay -2: no wait)
        printf 'bootdelay=-2\nbootcmd=bootm 0x48000000 - ${fdtcontroladdr}\n' > "$ub/env.txt"
        mkenvimage -s 0x40000 -o "$ub/env.bin" "$ub/env.txt"
        truncate -s 64M "$ub/flash1.img"
        dd if="$ub/env.bin" of="$ub/flash1.img" conv=notrunc status=none
        qemu_in "$board" "$out/uboot-uimage.raw" -bios "$uboot_bin" -drive if=pflash,unit=1,format=raw,file="$ub/flash1.img" \
            -device loader,file="$vb/monitor.uimg",addr=0x48000000,force-raw=on < /dev/null
        rc=$?; tr -d '\r' < "$out/uboot-uimage.raw" > "$out/uboot-uimage.txt"
        if uboot_check u-boot-uimage "$out/uboot-uimage.txt" $rc 'Image Type:   ARM Linux Kernel Image'; then
            if ! grep -q 'guest images: [0-9]* KiB at PA .* loaded with the monitor' "$out/uboot-uimage.txt"; then
                bad "$board u-boot-uimage: the uImage monitor should carry its guests (after its RAM)"
            else ok "$board u-boot-uimage: bootm of monitor.uimg, monitor at PA 0x40400000, 2 guests (embedded) identical to native"; fi
        fi
        # FIT: u-boot's default environment, distro boot from a FAT disk
        cp "$vb/fit/monitor.itb" "$vb/fit/boot.scr" "$ub/bootfs/"
        qemu_in "$board" "$out/uboot-fit.raw" -bios "$uboot_bin" \
            -drive if=none,id=bootfs,format=raw,file=fat:"$ub/bootfs",readonly=on \
            -device virtio-blk-device,drive=bootfs < /dev/null
        rc=$?; tr -d '\r' < "$out/uboot-fit.raw" > "$out/uboot-fit.txt"
        nhash=$(grep -c 'Verifying Hash Integrity \.\.\. sha256+ OK' "$out/uboot-fit.txt")
        if uboot_check u-boot-fit "$out/uboot-fit.txt" $rc 'guest images: [0-9]* KiB in 4 pieces at PA .* where the boot loader put them'; then
            if ! grep -q 'Found U-Boot script /boot.scr' "$out/uboot-fit.txt" ||
               [ "$(grep -c '^ *Loading loadables from 0x' "$out/uboot-fit.txt")" -ne 4 ] || [ "$nhash" -ne 5 ]; then
                bad "$board u-boot-fit: boot.scr not found or not 5 hashed images / 4 loadables ($out/uboot-fit.txt)"
            else ok "$board u-boot-fit: distro boot ran boot.scr, bootm of monitor.itb (5 sha256-verified images: monitor + 2 guest ELFs + 2 DTBs as loadables), guests loaded by the monitor from where u-boot put them, identical to native"; fi
        fi
        # the FIT's monitor alone (no loadables in RAM): refused clearly
        run_qemu "$board" "$vb/fit/monitor.elf" "$out/uboot-fit-alone.raw"; rc=$?
        if [ $rc -ne 126 ] || ! grep -q '4 of 4 guest images missing: .*FIT' "$out/uboot-fit-alone.raw" ||
           ! grep -q 'guest 1 (modes): bad image' "$out/uboot-fit-alone.raw"; then
            bad "$board u-boot-fit-alone: the FIT's monitor without its loadables: exit status $rc, expected 126 and a clear message ($out/uboot-fit-alone.raw)"
        else ok "$board u-boot-fit-alone: the FIT's monitor booted without its loadables says so and starts no guest"; fi
    fi
fi
