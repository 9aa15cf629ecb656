#!/bin/sh
# Build the paravirtualized Linux 6.1 guest (issue 7; docs/linux-guest.md).
#
#   guest-stubs/linux/build.sh OUTDIR PVPATCH
#
# Inputs: Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz), the
# arm-linux-gnueabihf cross compiler, busybox-static:armhf, this directory
# (guest.config, patches/*.patch, init, hv*.sh, userland/*.c).
# Outputs in OUTDIR:
#   vmlinux          the kernel as built (native, unpatched)
#   Image            its raw image: boots directly on QEMU (the native reference)
#   vmlinux-pv       vmlinux paravirtualized by pvpatch (fast paths on)
#   Image-pv         raw image of vmlinux-pv: what the monitor runs
#   pvpatch.txt      pvpatch's report for vmlinux-pv (counts by class)
#   Image-pv-plain   the plain PV rewrites only (fast paths off; make bench)
#   Image-pv-noret   Image-pv without the return-to-user operation (make RET_USER=0)
#   rootfs.ext4      the same busybox userland as an 8 MiB ext4 image (issue 18:
#                    a virtio disk, or the root file system with root=/dev/vda),
#                    made by mke2fs -d without root (e2fsprogs)
# The expensive part is cached under $HV_CACHE (default ~/.cache/armvisor),
# keyed by the hash of every input above, so a repeat build costs seconds;
# ccache (if installed) makes a rebuild after a small change fast too.
set -eu
OUT=${1:?usage: build.sh OUTDIR PVPATCH}
PVPATCH=${2:?usage: build.sh OUTDIR PVPATCH}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${HV_CACHE:-${HOME:-/root}/.cache/armvisor}
SRC_TAR=/usr/src/linux-source-6.1.tar.xz
CROSS=arm-linux-gnueabihf-
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# The fast paths on (docs/pvpatch.md): SRFA for IRQ masking and CPSR/CP15
# reads, FIT for the other mirrored CP15 reads and cache maintenance by VA,
# TLB/branch-predictor maintenance as NOPs (shadow coherence by write
# protection: the VM file gives the guest coherence=wp).
# The Spectre-v2 switch_mm variants that call firmware (SMC/HVC) are only used
# when the device tree offers an SMCCC conduit (PSCI), which the monitor's does
# not; left alone, SMC/HVC in User mode is UNDEFINED (B1.9.9), so they would trap.
# head.S and the hyp stub installer run before the kernel has a stack, and the
# SRFA trampolines for MRS
# and CPS push a scratch register; the identity-mapped code (.idmap.text) runs
# where a branch to a trampoline would leave the identity map: in-place PV
# SVCs and FIT ops there (--skip-range).
PVPATCH_EXEMPT="--exempt-range cpu_v7_smc_switch_mm:cpu_v7_iciallu_switch_mm --skip-range _text:_stext --skip-range __hyp_stub_install:__hyp_stub_do_trap \
    --skip-range __idmap_text_start:__idmap_text_end"
# --psci: HVC #0, the PSCI conduit of the monitor's device tree, becomes the
# PSCI hypercall (poweroff, reboot, and the reset after a panic).
# --ret-user: Linux's return to user (MSR SPSR, LDM ^, MOVS PC) as one PV
# operation (docs/pv-abi.md); Image-pv-noret is the same without it.
# --srfa-msr, --srfa-stm: local_irq_restore()'s MSR CPSR_c and the User SP/LR
# save at kernel entry through the SRFA page (Linux has a stack wherever it runs them).
PVPATCH_OPTS_NORET=${PVPATCH_OPTS_NORET:---srfa --srfa-mrs=exact --srfa-msr --srfa-stm --fit --nop-tlb --psci}
PVPATCH_OPTS=${PVPATCH_OPTS:-$PVPATCH_OPTS_NORET --ret-user}

die() { echo "make linux: $*" >&2; exit 1; }
[ -f "$SRC_TAR" ] || die "$SRC_TAR missing: run tools/install-deps.sh linux (Debian package linux-source-6.1)"
command -v ${CROSS}gcc > /dev/null || die "${CROSS}gcc missing: run tools/install-deps.sh linux (gcc-arm-linux-gnueabihf)"
[ -x "$PVPATCH" ] || die "pvpatch not built: $PVPATCH"
mkdir -p "$CACHE" "$OUT"
# One build at a time per cache: two `make` runs (a test suite and a
# benchmark in two checkouts) would otherwise build the same key in the same
# directory at once.  The lock goes with this process.
exec 9> "$CACHE/.build-lock"
flock 9

# --- busybox-static:armhf (hard-float: the guest has VFP) -------------------------
BB="$CACHE/busybox-armhf"
if [ ! -x "$BB/bin/busybox" ]; then
    deb=$(ls /var/cache/apt/archives/busybox-static_*_armhf.deb 2>/dev/null | tail -1 || true)
    if [ -z "$deb" ]; then
        (cd "$CACHE" && apt-get download busybox-static:armhf > /dev/null) ||
            die "cannot download busybox-static:armhf: run tools/install-deps.sh linux (adds the armhf architecture)"
        deb=$(ls "$CACHE"/busybox-static_*_armhf.deb | tail -1)
    fi
    rm -rf "$BB" && dpkg-deb -x "$deb" "$BB"
fi

# --- the cache key: everything that goes into the kernel image -------------------
KEY=$( (cat "$HERE/guest.config" "$HERE/init" "$HERE"/hv*.sh "$HERE"/userland/*.c;
        cat "$HERE"/patches/*.patch 2>/dev/null || true; ls -l "$SRC_TAR" "$BB/bin/busybox";
        ${CROSS}gcc --version | head -1) | sha256sum | cut -c1-16)
K="$CACHE/linux-$KEY"
if [ -f "$K/done" ]; then
    echo "make linux: cached build $K"
else
    echo "make linux: building the guest kernel in $K (a few minutes the first time)"
    rm -rf "$K" && mkdir -p "$K/obj" "$K/rootfs"
    # Source tree: unpacked once per set of patches.
    PKEY=$( (ls -l "$SRC_TAR"; cat "$HERE"/patches/*.patch 2>/dev/null || true) | sha256sum | cut -c1-16)
    S="$CACHE/src-$PKEY"
    if [ ! -f "$S/.unpacked" ]; then
        rm -rf "$S" && mkdir -p "$S"
        tar -xf "$SRC_TAR" -C "$S" --strip-components=1
        for p in "$HERE"/patches/*.patch; do
            [ -f "$p" ] || continue
            echo "make linux: applying $(basename "$p")"
            patch -d "$S" -p1 -s < "$p" || die "patch $(basename "$p") does not apply"
        done
        touch "$S/.unpacked"
    fi
    # User space: busybox, the init script, the checks and four static test programs.
    for prog in sigtest lbench xpage fpcheck; do
        ${CROSS}gcc -O2 -marm -static -Wall -Wextra -Werror -o "$K/rootfs/$prog" "$HERE/userland/$prog.c"
    done
    cat > "$K/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /bin 0755 0 0
dir /sbin 0755 0 0
dir /usr 0755 0 0
dir /usr/bin 0755 0 0
dir /usr/sbin 0755 0 0
dir /etc 0755 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
dir /root 0700 0 0
file /bin/busybox $BB/bin/busybox 0755 0 0
slink /bin/sh busybox 0777 0 0
file /bin/sigtest $K/rootfs/sigtest 0755 0 0
file /bin/lbench $K/rootfs/lbench 0755 0 0
file /bin/xpage $K/rootfs/xpage 0755 0 0
file /bin/fpcheck $K/rootfs/fpcheck 0755 0 0
file /init $HERE/init 0755 0 0
file /etc/hvcheck.sh $HERE/hvcheck.sh 0755 0 0
file /etc/hvbench.sh $HERE/hvbench.sh 0755 0 0
file /etc/hvshell.sh $HERE/hvshell.sh 0755 0 0
file /etc/hvio.sh $HERE/hvio.sh 0755 0 0
EOF
    { cat "$HERE/guest.config"; echo "CONFIG_INITRAMFS_SOURCE=\"$K/initramfs.list\""; } > "$K/config"
    cc="${CROSS}"
    command -v ccache > /dev/null && cc="ccache ${CROSS}"
    kmake() { make -C "$S" O="$K/obj" ARCH=arm CROSS_COMPILE="$cc" -j"$JOBS" -s "$@"; }
    kmake KCONFIG_ALLCONFIG="$K/config" allnoconfig
    # Every option of guest.config must have survived Kconfig's dependency rules.
    grep -E '^CONFIG_[A-Z0-9_]+=' "$HERE/guest.config" | while IFS= read -r line; do
        grep -qx "$line" "$K/obj/.config" || die "guest.config asks for $line, Kconfig dropped it"
    done
    kmake vmlinux
    touch "$K/done"
fi

# --- the ext4 image: the initramfs's files, /sbin/init = /init ---------------------
# Fixed UUID, hash seed and time: the same inputs give the same image, so the
# monitors that embed it are not relinked for nothing.
if [ ! -f "$K/rootfs.ext4" ]; then
    command -v mke2fs > /dev/null || PATH=$PATH:/sbin:/usr/sbin
    command -v mke2fs > /dev/null || die "mke2fs missing: run tools/install-deps.sh (e2fsprogs)"
    R="$K/ext4-root"
    rm -rf "$R" && mkdir -p "$R"
    for d in bin sbin usr/bin usr/sbin etc proc sys tmp root dev mnt; do mkdir -p "$R/$d"; done
    chmod 1777 "$R/tmp"; chmod 700 "$R/root"
    cp "$BB/bin/busybox" "$K/rootfs/sigtest" "$K/rootfs/lbench" "$K/rootfs/fpcheck" "$R/bin/"
    ln -s busybox "$R/bin/sh"
    cp "$HERE/init" "$R/init"
    ln -s ../init "$R/sbin/init"
    cp "$HERE"/hv*.sh "$R/etc/"
    echo "armvisor ext4 root file system (guest-stubs/linux/build.sh)" > "$R/etc/rootfs-id"
    chmod 755 "$R/bin/"* "$R/init" "$R/etc/"hv*.sh
    rm -f "$K/rootfs.ext4.tmp"
    E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext4 -L armvisor-root -U 6d0a6f3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b \
        -E root_owner=0:0,hash_seed=6d0a6f3e-1c2b-4e5f-8a9b-0c1d2e3f4a5b -d "$R" "$K/rootfs.ext4.tmp" 8M > /dev/null ||
        die "mke2fs -d failed to build the ext4 image"
    mv "$K/rootfs.ext4.tmp" "$K/rootfs.ext4"
fi

# --- paravirtualize: pvpatch with the fast paths on, then verify ------------------
# Outputs are replaced only when their contents change (make sees no new file).
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }
T="$K/out"
mkdir -p "$T"
OPTS_KEY="$PVPATCH_OPTS / $PVPATCH_OPTS_NORET $PVPATCH_EXEMPT"
if [ ! -f "$T/Image-pv" ] || [ ! -f "$T/Image-pv-plain" ] || [ ! -f "$T/Image-pv-noret" ] ||
   [ "$PVPATCH" -nt "$T/Image-pv" ] || [ "$(cat "$T/opts" 2>/dev/null)" != "$OPTS_KEY" ]; then
    ${CROSS}objcopy -O binary "$K/obj/vmlinux" "$T/Image"
    "$PVPATCH" $PVPATCH_OPTS $PVPATCH_EXEMPT "$K/obj/vmlinux" -o "$T/vmlinux-pv" > "$T/pvpatch.txt" ||
        { cat "$T/pvpatch.txt"; die "pvpatch refused vmlinux"; }
    "$PVPATCH" --verify $PVPATCH_EXEMPT "$T/vmlinux-pv" >> "$T/pvpatch.txt" ||
        { cat "$T/pvpatch.txt"; die "pvpatch --verify found unpatched sensitive instructions"; }
    ${CROSS}objcopy -O binary "$T/vmlinux-pv" "$T/Image-pv"
    # The same kernel with the plain PV rewrites only (every sensitive
    # instruction a trapping PV SVC; no SRFA, FIT or NOP'd TLB maintenance):
    # the "fast paths off" column of make bench.
    "$PVPATCH" --psci $PVPATCH_EXEMPT "$K/obj/vmlinux" -o "$T/vmlinux-pv-plain" > "$T/pvpatch-plain.txt" ||
        { cat "$T/pvpatch-plain.txt"; die "pvpatch (plain) refused vmlinux"; }
    "$PVPATCH" --verify $PVPATCH_EXEMPT "$T/vmlinux-pv-plain" >> "$T/pvpatch-plain.txt" ||
        { cat "$T/pvpatch-plain.txt"; die "pvpatch --verify (plain) found unpatched sensitive instructions"; }
    ${CROSS}objcopy -O binary "$T/vmlinux-pv-plain" "$T/Image-pv-plain"
    "$PVPATCH" $PVPATCH_OPTS_NORET $PVPATCH_EXEMPT "$K/obj/vmlinux" -o "$T/vmlinux-pv-noret" > "$T/pvpatch-noret.txt" ||
        { cat "$T/pvpatch-noret.txt"; die "pvpatch (no --ret-user) refused vmlinux"; }
    "$PVPATCH" --verify $PVPATCH_EXEMPT "$T/vmlinux-pv-noret" >> "$T/pvpatch-noret.txt" ||
        { cat "$T/pvpatch-noret.txt"; die "pvpatch --verify (no --ret-user) found unpatched sensitive instructions"; }
    ${CROSS}objcopy -O binary "$T/vmlinux-pv-noret" "$T/Image-pv-noret"
    echo "$OPTS_KEY" > "$T/opts"
fi
put "$K/obj/vmlinux" "$OUT/vmlinux"
for f in Image vmlinux-pv Image-pv pvpatch.txt Image-pv-plain pvpatch-plain.txt Image-pv-noret; do put "$T/$f" "$OUT/$f"; done
put "$K/rootfs.ext4" "$OUT/rootfs.ext4"
echo "make linux: $OUT/Image-pv ($(wc -c < "$OUT/Image-pv") bytes), native $OUT/Image"
