# Scenario big-payload of tests/integration/run-all.sh (sourced once per board; lib.sh).
# guest images larger than the monitor's 8 MiB (issue 19 item 5): the
#   bigsum guest carries 11 MiB + 4099 bytes of a deterministic pattern
#   and prints their CRC-32, which must be the host's.  Two guests run
#   that image (one statically placed, one backing=demand):
#   embedded: the monitor ELF (-kernel) carries the image after its RAM,
#     outside its window; the monitor loads the guests from there;
#   staged: the monitor of `make fit` (the image is not in it), with the
#     FIT's loadables put where its manifest says by QEMU's loader device,
#     as a boot loader would; the monitor loads the guests from there;
#   u-boot (qemu-virt): the FIT booted by u-boot's distro boot from a FAT
#     disk (bootm puts the loadables in place and verifies their hashes).
bp=build/$board/bigpayload; mkdir -p "$bp"
payload=$bp/payload.bin
# the pattern: SHA-256 of each 32-byte block's index, little-endian; then its CRC-32
want=$(python3 - "$payload" <<'PY'
import hashlib, os, struct, sys, zlib
n = 11 * 1048576 + 4099
path = sys.argv[1]
if not os.path.isfile(path) or os.path.getsize(path) != n:
    data = b"".join(hashlib.sha256(struct.pack("<I", i)).digest() for i in range((n + 31) // 32))[:n]
    with open(path, "wb") as f:
        f.write(data)
with open(path, "rb") as f:
    print("%d bytes, crc32 0x%08x" % (n, zlib.crc32(f.read()) & 0xffffffff))
PY
)
# bigpayload_check NAME RAWFILE RC WANT-LINE: both guests printed the host's sum and exited 0
bigpayload_check() {
    local name=$1 raw=$2 rc=$3 line=$4 g0 g1
    g0=$(guest_lines 0 "$raw" | grep '^bigsum:'); g1=$(guest_lines 1 "$raw" | grep '^bigsum:')
    if [ "$rc" -ne 0 ] || grep -q -E 'PANIC|STOPPED|bad image' "$raw"; then
        bad "$board $name: exit status $rc ($raw)"; grep -E 'PANIC|STOPPED|bad image|not all|missing' "$raw" | head -3
    elif [ "$g0" != "bigsum: $want" ] || [ "$g1" != "bigsum: $want" ]; then
        bad "$board $name: the guests' sums '$g0' (static) and '$g1' (on demand), expected 'bigsum: $want' ($raw)"
    elif ! tr -d '\r' < "$raw" | grep -q "$line"; then
        bad "$board $name: no console line '$line' ($raw)"
    else return 0; fi
    return 1
}
if [ -n "$want" ] && arm-none-eabi-gcc $dflags -DPAYLOAD="\"$payload\"" -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
        -o "$bp/bigsum.elf" tests/integration/guests/bigsum.c 2> "$out/bigpayload.build.log"; then
    esize=$(stat -c %s "$bp/bigsum.elf")
    printf 'guest big %s 16\nguest bigd %s 16 backing=demand\n' "$bp/bigsum.elf" "$bp/bigsum.elf" > "$out/bigpayload.vm"
    if [ "$esize" -le $((8 * 1048576)) ]; then
        bad "$board big-payload: the guest image is $esize bytes, not above the monitor's 8 MiB"
    elif ! elf=$(build_vm "$board" "$out/bigpayload.vm"); then
        bad "$board big-payload: monitor build failed ($out/bigpayload.vm.build.log)"; tail -3 "$out/bigpayload.vm.build.log"
    else
        run_qemu "$board" "$elf" "$out/bigpayload.raw"; rc=$?
        if bigpayload_check big-payload "$out/bigpayload.raw" $rc '^monitor: guest images: [0-9]* KiB at PA .* loaded with the monitor'; then
            ok "$board big-payload: a $esize-byte guest image embedded after the monitor: a static and a demand guest both sum its payload as the host does ($want)"
        fi
    fi
    # staged: make fit, the loadables put in place by QEMU's loader device
    cp "$out/bigpayload.vm" "$out/bigfit.vm"
    fb=$bdir/vm-bigfit/fit
    if ! make -s BOARD="$board" VM="$out/bigfit.vm" GUEST_NAMES="$GN" fit > "$out/bigfit.build.log" 2>&1; then
        bad "$board big-payload-fit: make fit failed ($out/bigfit.build.log)"; tail -3 "$out/bigfit.build.log"
    else
        loaders=()
        while read -r kind name file pa; do
            [ "$kind" = end ] || loaders+=(-device "loader,file=$file,addr=$pa,force-raw=on")
        done < "$fb/manifest"
        qemu_in "$board" "$out/bigfit.raw" -kernel "$fb/monitor.elf" "${loaders[@]}" < /dev/null; rc=$?
        msize=$(stat -c %s "$fb/monitor.bin")
        if bigpayload_check big-payload-fit "$out/bigfit.raw" $rc '^monitor: guest images: [0-9]* KiB in 4 pieces at PA .* where the boot loader put them'; then
            if [ "$msize" -ge $((1048576)) ]; then bad "$board big-payload-fit: the FIT's monitor is $msize bytes: it should not carry the images"
            else ok "$board big-payload-fit: the FIT's monitor ($msize bytes) with the $esize-byte image staged at $(awk '$1 == "elf" { print $4; exit }' "$fb/manifest") (QEMU loader device): both guests sum its payload as the host does"; fi
        fi
    fi
    # u-boot (qemu-virt): bootm of the FIT from a FAT disk, as the u-boot scenario
    uboot_bin=/usr/lib/u-boot/qemu_arm/u-boot.bin
    if [ "$board" = qemu-virt ]; then
        cp "$out/bigpayload.vm" "$out/bigub.vm"
        ub=build/$board/bigub; rm -rf "$ub"; mkdir -p "$ub"
        if [ ! -f "$uboot_bin" ]; then
            bad "$board big-payload-uboot: $uboot_bin missing (package u-boot-qemu; make deps)"
        elif ! make -s BOARD="$board" VM="$out/bigub.vm" GUEST_NAMES="$GN" LOAD_ADDR=0x40400000 fit > "$out/bigub.build.log" 2>&1; then
            bad "$board big-payload-uboot: make fit failed ($out/bigub.build.log)"; tail -3 "$out/bigub.build.log"
        else
            cp "$bdir/vm-bigub/fit/monitor.itb" "$bdir/vm-bigub/fit/boot.scr" "$ub/"
            TIMEOUT=$((TIMEOUT * 2)) qemu_in "$board" "$out/bigub.raw" -bios "$uboot_bin" \
                -drive if=none,id=bootfs,format=raw,file=fat:"$ub",readonly=on \
                -device virtio-blk-device,drive=bootfs < /dev/null; rc=$?
            tr -d '\r' < "$out/bigub.raw" > "$out/bigub.txt"
            nhash=$(grep -c 'Verifying Hash Integrity \.\.\. sha256+ OK' "$out/bigub.txt")
            if bigpayload_check big-payload-uboot "$out/bigub.txt" $rc 'where the boot loader put them (FIT loadables)'; then
                if [ "$nhash" -ne 5 ] || ! grep -q 'image at PA 0x40400000' "$out/bigub.txt"; then
                    bad "$board big-payload-uboot: not 5 sha256-verified images or the monitor not at 0x40400000 ($out/bigub.txt)"
                else ok "$board big-payload-uboot: u-boot bootm of a FIT with the $esize-byte image twice (5 sha256-verified pieces): both guests sum its payload as the host does"; fi
            fi
        fi
    fi
else bad "$board big-payload: payload or guest build failed ($out/bigpayload.build.log)"; fi
