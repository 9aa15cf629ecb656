#!/bin/sh
# Install the Debian 12 packages the build, the tests (clang + its libFuzzer and
# sanitizer runtimes for tests/fuzz), and `make bench` need (run as root,
# or with sudo available).  Safe to run again: apt-get skips what is there.
set -e
PKGS="make gcc gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi \
      qemu-system-arm libcmocka-dev libelf-dev u-boot-tools u-boot-qemu device-tree-compiler gnuplot-nox \
      clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "install-deps: all packages present"; exit 0; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
