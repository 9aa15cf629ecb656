#!/bin/sh
# In-guest workloads for `make bench` (see userland/lbench.c).
#   hvbench.sh           every workload
#   hvbench.sh NAME      that one only (bootarg hvbench=NAME: the per-workload
#                        trap census of tools/bench-linux.sh)
# Counts: enough iterations to amortize the loop, few enough for the
# fast-paths-off run under icount.
all="syscall:2000 read:2000 write:2000 stat:1000 signal:1000 pipe:500 unix:500
ctx2:500 ctx8:200 ctx16:100 fork:100 exec:50 pagefault:500 mmap:200 shell:4
compute:2000 timerlat:100"
for w in $all; do
    name=${w%%:*}
    [ -n "${1:-}" ] && [ "$1" != "$name" ] && continue
    lbench "$name" "${w#*:}"
done
echo "hvbench: done"
