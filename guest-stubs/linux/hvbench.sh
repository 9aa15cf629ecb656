#!/bin/sh
# In-guest workloads for `make bench` (see userland/lbench.c).
lbench syscall 2000
lbench pipe 500
lbench fork 100
echo "hvbench: done"
