#!/bin/sh
# In-guest I/O workloads for `make bench` (tools/bench-io.sh, issue 18), run by
# /init for the bootarg hvio=ROLE; each prints "lbench NAME N ns/op" lines
# (userland/lbench.c), then "hvio: done".
#   blk     16 MiB written then read on /dev/vda with O_DIRECT
#   con     10 KiB to the PL011 (ttyAMA0), then to the virtio console (hvc0)
#           when the guest has one
#   netsrv  10.0.18.1: receives 16 MiB over TCP, then echoes round trips
#   netcli  10.0.18.2: sends 16 MiB to netsrv, then 1000 round trips
#   loop    both ends on the loopback interface of one kernel (the native
#           reference: no device)
# What the transfer cost besides the data: drops and TCP retransmissions.
netstats() {
    for s in rx_packets tx_packets rx_dropped tx_dropped; do
        echo "hvio: eth0 $s $(cat /sys/class/net/eth0/statistics/$s)"
    done
    awk '$1 == "Tcp:" { if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 } else
         for (i = 2; i <= NF; i++) if (n[i] == "RetransSegs" || n[i] == "OutSegs" || n[i] == "InSegs") print "hvio: tcp " n[i] " " $i }' /proc/net/snmp
}
case "${1:-}" in
blk)    lbench blkwrite /dev/vda 16; lbench blkread /dev/vda 16 ;;
con)    lbench conwrite /dev/ttyAMA0 10
        [ -e /dev/hvc0 ] && lbench conwrite /dev/hvc0 10 ;;
netsrv) ip addr add 10.0.18.1/24 dev eth0 && ip link set eth0 up
        lbench tcpsink 5001 16; lbench tcpecho 5002; netstats ;;
netcli) ip addr add 10.0.18.2/24 dev eth0 && ip link set eth0 up
        lbench tcpsend 10.0.18.1 5001 16; lbench tcprr 10.0.18.1 5002 1000; netstats ;;
loop)   ip link set lo up
        lbench tcpsink 5001 16 & lbench tcpsend 127.0.0.1 5001 16; wait
        lbench tcpecho 5002 & lbench tcprr 127.0.0.1 5002 1000; wait ;;
*)      echo "hvio: unknown role '${1:-}'" ;;
esac
echo "hvio: done"
