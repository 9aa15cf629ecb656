#!/usr/bin/env bash
# `make bench`, I/O part (issue 18): the paravirtual devices under load, the
# guest kernel of `make linux` booted natively on QEMU and under the monitor
# on qemu-virt under -icount shift=0,sleep=off (one ns of virtual time = one
# instruction: every number is instructions, guest kernel + user space +
# monitor).  /init runs /etc/hvio.sh ROLE (bootarg hvio=ROLE), which prints
# lbench lines (guest-stubs/linux/userland/lbench.c) and powers off.
#   block     16 MiB written (O_DIRECT, then fsync) and read (O_DIRECT) on
#             /dev/vda, in 64 KiB requests: natively QEMU's own virtio-blk
#             device, virtualized the monitor's (disk= image in host RAM)
#   network   16 MiB over TCP and 1000 one-byte round trips: virtualized
#             between two Linux guests on the monitor's switch (virtio-net);
#             one QEMU has no native two-machine equivalent, so the native
#             reference is the same traffic over the loopback interface of
#             one kernel (no device at all), also measured virtualized
#   console   10 KiB to the emulated PL011 (a trap per character) and to the
#             virtio console (one notification per write)
# Writes build/bench/io.csv and io.md; prints io.md.  BENCH_IO_REUSE=1: the
# tables again from the last runs' output.
set -u
cd "$(dirname "$0")/.."
BOARD=qemu-virt
OUT=build/bench
RAW=$OUT/out
TIMEOUT=${TIMEOUT:-900}
mkdir -p "$RAW"
die() { echo "bench-io: $*" >&2; exit 1; }
QEMU="qemu-system-arm $(make -s BOARD=$BOARD print-BOARD_QEMU) -display none -serial stdio -monitor none -icount shift=0,sleep=off"
DISK_MIB=24                     # holds the 16 MiB the workload writes

echo "== bench-io: building the Linux guest (make linux)"
make -s BOARD=$BOARD linux > "$RAW/io-linux-build.log" 2>&1 || { tail -20 "$RAW/io-linux-build.log"; die "make linux failed"; }
mkimage -A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000 -n linux-native \
    -d build/linux/Image "$RAW/uImage-native" > /dev/null || die "mkimage failed"
rm -f "$OUT/io-disk.img" && truncate -s ${DISK_MIB}M "$OUT/io-disk.img" || die "cannot make $OUT/io-disk.img"

# The VM files: one Linux guest (block, console, loopback) or two on the switch.
G="linux-pv 64 coherence=wp spaces=32"
printf 'guest linux %s disk=%s bootargs=hvio=blk,hvpoweroff\n' "$G" "$OUT/io-disk.img" > "$OUT/io-blk.vm"
printf 'guest linux %s virtio=console bootargs=hvio=con,hvpoweroff\n' "$G" > "$OUT/io-con.vm"
printf 'guest linux %s bootargs=hvio=loop,hvpoweroff\n' "$G" > "$OUT/io-loop.vm"
# Two guests: the default shadow-space cache each (32 spaces for both do not
# fit in the monitor's memory beside each other).
G2="linux-pv 64 coherence=wp"
printf 'guest srv %s virtio=net mac=52:54:00:00:18:01 bootargs=hvio=netsrv,hvpoweroff\nguest cli %s virtio=net mac=52:54:00:00:18:02 bootargs=hvio=netcli,hvpoweroff\n' \
    "$G2" "$G2" > "$OUT/io-net.vm"
echo "== bench-io: building the monitors"
for v in blk con loop net; do
    make -s BOARD=$BOARD VM=$OUT/io-$v.vm monitor > "$RAW/io-$v-build.log" 2>&1 ||
        die "monitor build failed ($RAW/io-$v-build.log)"
done

run() {  # run NAME DONE-COUNT QEMU-ARGS...: until every guest printed "hvio: done"
    local name=$1 want=$2; shift 2
    # BENCH_IO_REUSE=1: the tables again from the last runs' output
    [ "${BENCH_IO_REUSE:-0}" = 1 ] && [ "$(tr -d '\r' < "$RAW/io-$name.txt" 2>/dev/null | grep -c 'hvio: done$')" -ge "$want" ] && return
    echo "== bench-io: $name"
    timeout "$TIMEOUT" $QEMU "$@" < /dev/null > "$RAW/io-$name.txt" 2> "$RAW/io-$name.err"
    ! grep -q 'not started' "$RAW/io-$name.txt" || die "$name: $(grep -m1 'not started' "$RAW/io-$name.txt")"
    [ "$(tr -d '\r' < "$RAW/io-$name.txt" | grep -c 'hvio: done$')" -ge "$want" ] ||
        { cat "$RAW/io-$name.err" >&2; die "$name: the workloads did not finish ($RAW/io-$name.txt)"; }
}
NATIVE="-kernel $RAW/uImage-native"
run native-blk 1 $NATIVE -append "console=ttyAMA0 hvio=blk hvpoweroff" \
    -drive file="$OUT/io-disk.img",if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
run native-loop 1 $NATIVE -append "console=ttyAMA0 hvio=loop hvpoweroff"
run native-con 1 $NATIVE -append "console=ttyAMA0 hvio=con hvpoweroff"
for v in blk con loop; do
    run virt-$v 1 -semihosting -kernel build/$BOARD/vm-io-$v/monitor.elf
done
run virt-net 2 -semihosting -kernel build/$BOARD/vm-io-net/monitor.elf

val() {  # val RUN ROW: the last "lbench ROW N" of that run (any guest)
    tr -d '\r' < "$RAW/io-$1.txt" | sed -E 's/^\[g[0-9]+\] //' | awk -v r="$2" '$1 == "lbench" && $2 == r { v = $3 } END { print v }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else print "-" }'; }
# op, label, native run/row, virtualized run/row, target (x native; "" none)
# No target on the block rows: natively QEMU's virtio-blk completes requests
# asynchronously (its I/O thread, the host file) and -icount counts the
# vCPU's wait as virtual time (the clock jumps to the next timer), so the
# native figure varies from run to run by orders of magnitude; the
# monitor's disk is synchronous (host RAM).  It is printed, not compared.
ROWS="blkwrite|block write, per KiB (16 MiB, O_DIRECT + fsync)|native-blk blkwrite|virt-blk blkwrite|
blkread|block read, per KiB (16 MiB, O_DIRECT)|native-blk blkread|virt-blk blkread|
tcp|TCP throughput, per KiB (16 MiB; native: loopback, virtualized: guest to guest)|native-loop tcpsink|virt-net tcpsink|2.0
tcprr|TCP round trip, 1 byte (native: loopback, virtualized: guest to guest)|native-loop tcprr|virt-net tcprr|2.0
looptcp|TCP throughput over loopback in one guest, per KiB|native-loop tcpsink|virt-loop tcpsink|
looprr|TCP round trip over loopback in one guest|native-loop tcprr|virt-loop tcprr|
con-pl011|console burst, per KiB: emulated PL011 (ttyAMA0)|native-con conwrite-ttyAMA0|virt-con conwrite-ttyAMA0|
con-virtio|console burst, per KiB: virtio console (hvc0)||virt-con conwrite-hvc0|"
{
    echo "op,native,virtualized"
    echo "$ROWS" | while IFS='|' read -r op label n v t; do
        echo "$op,$( [ -n "$n" ] && val $n ),$(val $v)"
    done
} > "$OUT/io.csv"
pl=$(val virt-con conwrite-ttyAMA0) vc=$(val virt-con conwrite-hvc0)
{
    echo "| I/O under load (instructions) | native on QEMU | virtualized | ratio | target |"
    echo "|---|---:|---:|---:|---|"
    echo "$ROWS" | while IFS='|' read -r op label n v t; do
        nv=""; [ -n "$n" ] && nv=$(val $n)
        vv=$(val $v); r=$(ratio "$vv" "$nv")
        if [ -n "$t" ]; then
            mark=$(awk -v r="$r" -v t="$t" 'BEGIN { print (r != "-" && r + 0 <= t) ? "≤ " t "x ✔" : "≤ " t "x ✘" }')
        else mark="–"; fi
        case $op in blk*) r=-; nv="${nv:+$nv (async, varies)}" ;; esac
        echo "| $label | ${nv:-–} | $vv | $( [ "$r" = - ] && echo – || echo "${r}x") | $mark |"
    done
    c=$(awk -v a="$pl" -v b="$vc" 'BEGIN { if (a > 0 && b > 0) printf "%.1f", a / b; else print "-" }')
    cm=$(awk -v c="$c" 'BEGIN { print (c != "-" && c + 0 >= 10) ? "≥ 10x ✔" : "≥ 10x ✘" }')
    echo "| console: PL011 / virtio console, per KiB | | | ${c}x cheaper | $cm |"
    echo
    echo "Guest-to-guest TCP (from the guests' counters): $(tr -d '\r' < "$RAW/io-virt-net.txt" |
        sed -n 's/^\[g1\] hvio: tcp OutSegs /sent /p; s/^\[g1\] hvio: tcp RetransSegs /retransmitted /p' | tr '\n' ' ')segments."
} > "$OUT/io.md"
cat "$OUT/io.md"
