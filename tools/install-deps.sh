#!/bin/sh
# Install the Debian 12 packages the build, the tests (clang + its libFuzzer and
# sanitizer runtimes for tests/fuzz), and `make bench` need (run as root,
# or with sudo available).  Safe to run again: apt-get skips what is there.
# git: the board test (tests/build/boards.sh) clones the tree and checks that
# adding a board changed no tracked file.
# The Linux guest (make linux, tests/integration/linux.sh) needs Debian's kernel
# source, the armhf cross compiler, and busybox-static:armhf, which is only
# downloaded (apt-get download), never installed: the armhf architecture is added
# to dpkg for that.
set -e
PKGS="make gcc git python3 gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi \
      qemu-system-arm gdb-multiarch libcmocka-dev libelf-dev u-boot-tools u-boot-qemu device-tree-compiler gnuplot-nox \
      linux-source-6.1 gcc-arm-linux-gnueabihf libc6-dev-armhf-cross bison flex bc xz-utils ccache patch e2fsprogs \
      clang libclang-rt-14-dev"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
armhf=""
dpkg --print-foreign-architectures | grep -qx armhf || armhf=1
[ -z "$missing" ] && [ -z "$armhf" ] && { echo "install-deps: all packages present"; exit 0; }
export DEBIAN_FRONTEND=noninteractive
if [ -n "$armhf" ]; then
    echo "install-deps: adding the armhf architecture (for busybox-static:armhf, downloaded by make linux)"
    $SUDO dpkg --add-architecture armhf
fi
# A mirror in mid-sync can fail one index (seen for bookworm-security armhf):
# go on with what was fetched; a package really missing fails the install below.
$SUDO apt-get update -qq || echo "install-deps: apt-get update reported errors; continuing"
if [ -n "$missing" ]; then
    echo "install-deps: installing$missing"
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
