#!/usr/bin/env bash
# make fresh-test: run the README's commands the way a new user's machine would,
# in a new minimal Debian 12 (bookworm) root with nothing installed by hand.
#
#   tools/fresh-test.sh [COMMAND]      (default: tools/install-deps.sh && make test)
#
# What a run does:
#   1. once: debootstrap --variant=minbase bookworm, kept as a tarball in
#      $FRESH_CACHE (default /var/cache/armvisor-fresh); later runs reuse it.
#      minbase is Debian's smallest installable system (the Essential packages
#      and apt), which is what a freshly installed machine has before its owner
#      adds anything: no compiler, no QEMU, not even `patch`.
#   2. every run: a new copy of that root in $FRESH_ROOT, a clean `git clone`
#      of the committed HEAD of this repository (uncommitted work is not tested,
#      as in CI), then COMMAND inside the root as root with an empty
#      environment.  Nothing from an earlier run survives: packages, the Linux
#      kernel build cache, ccache all start cold.
#   3. only downloaded .deb files are shared with this machine (its
#      /var/cache/apt/archives, bind-mounted; FRESH_APT_CACHE=0 turns that off):
#      that saves downloads, every package must still be installed by the
#      project's own tools/install-deps.sh.
# Output goes to the terminal and to $FRESH_LOG; the last line gives the exit
# status and the wall time.  Needs root (it uses debootstrap, mount, chroot).
set -euo pipefail
top=$(git rev-parse --show-toplevel)
cache=${FRESH_CACHE:-/var/cache/armvisor-fresh}
base=$cache/bookworm-minbase.tar
root=${FRESH_ROOT:-/var/tmp/armvisor-fresh-root}
log=${FRESH_LOG:-$top/build/fresh-test.log}
cmd=${*:-"tools/install-deps.sh && make test"}
binds="proc sys dev dev/pts"
[ "${FRESH_APT_CACHE:-1}" = 1 ] && binds="$binds var/cache/apt/archives"

die() { echo "fresh-test: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount and chroot); run it as root or with sudo"
git -C "$top" rev-parse -q --verify HEAD > /dev/null || die "no commit to test in $top"

# The Debian mirror this machine's apt already uses (deb822 or one-line
# sources), so the root downloads from the same place.
mirror() {
    local m
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2> /dev/null || true)
    [ -n "$m" ] || m=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2> /dev/null || true)
    echo "${m:-http://deb.debian.org/debian}"
}

make_base() {
    local tmp
    if ! command -v debootstrap > /dev/null; then
        echo "fresh-test: installing debootstrap on this machine (to build the fresh root)"
        apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
    fi
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/bootstrap.XXXX")
    echo "fresh-test: building a minimal Debian 12 root once (debootstrap minbase, a few minutes)"
    debootstrap --variant=minbase bookworm "$tmp" "$(mirror)" > "$cache/debootstrap.log" 2>&1 ||
        { rm -rf "$tmp"; die "debootstrap failed (see $cache/debootstrap.log)"; }
    # The same suites as this machine (bookworm, -updates, -security) when it
    # has deb822 sources; otherwise debootstrap's own sources.list stays.
    if ls /etc/apt/sources.list.d/*.sources > /dev/null 2>&1; then
        cp /etc/apt/sources.list.d/*.sources "$tmp/etc/apt/sources.list.d/"
        rm -f "$tmp/etc/apt/sources.list"
    fi
    tar -C "$tmp" -cf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$tmp"
}

unmount_all() {
    local m
    for m in var/cache/apt/archives dev/pts dev sys proc; do
        umount -l "$root/$m" 2> /dev/null || true
    done
}

[ -s "$base" ] || make_base
trap unmount_all EXIT
unmount_all
# Never delete through a bind mount that is still in place: it would reach
# this machine's own /dev or apt cache.
if grep -q " $root/" /proc/mounts; then die "something is still mounted under $root; unmount it first"; fi
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null || true
# What Debian's installer writes and debootstrap does not: without it even
# "localhost" does not resolve in the root.
[ -f "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
for m in $binds; do
    mkdir -p "/$m" "$root/$m"
    mount --bind "/$m" "$root/$m"
done
name=$(basename "$top")
git clone -q "$top" "$root/src/$name"

mkdir -p "$(dirname "$log")"
start=$SECONDS
echo "fresh-test: new minimal Debian 12 root, clean clone of $(git -C "$top" rev-parse --short HEAD): $cmd" | tee "$log"
set +e
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /src/$name && $cmd" < /dev/null 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
set -e
secs=$((SECONDS - start))
echo "fresh-test: exit status $rc after $((secs / 60)) min $((secs % 60)) s (log: $log)" | tee -a "$log"
exit "$rc"
