#!/bin/sh
# The shell-script workload of `make bench` (lbench shell): many short
# commands, as configure scripts and init scripts run them.
i=0
while [ $i -lt 10 ]; do
    echo "line $i" > /tmp/hvshell.$$
    cat /tmp/hvshell.$$ | grep -q line
    x=$(basename /a/b/c.$i)
    test -f /tmp/hvshell.$$ && rm /tmp/hvshell.$$
    ls / > /dev/null
    i=$((i + 1))
done
true
