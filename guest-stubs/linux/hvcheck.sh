#!/bin/sh
# In-guest checks for the Linux integration test. Each check prints
# "check: ok NAME" or "check: FAIL NAME: what differed"; the test greps them.
ok()   { echo "check: ok $1"; }
fail() { echo "check: FAIL $1: $2"; }
t() {   # t NAME CONDITION-COMMAND... : pass if the command succeeds
    name=$1; shift
    if "$@"; then ok "$name"; else fail "$name" "'$*' failed"; fi
}
echo "check: begin"
uname -a
t uname-armv7 sh -c 'uname -m | grep -q armv7l'
t uname-6.1 sh -c 'uname -r | grep -q "^6\.1\."'
grep -E '^(processor|model name|CPU architecture|CPU part|Features)' /proc/cpuinfo
t cpuinfo-armv7 grep -q 'ARMv7' /proc/cpuinfo
# Interrupt counts must rise: timer ticks, and UART interrupts from our output.
irq_count() { awk -v pat="$1" '$0 ~ pat { s += $2 } END { print s + 0 }' /proc/interrupts; }
cat /proc/interrupts
t0=$(irq_count 'arch_timer|timer'); u0=$(irq_count 'uart|pl011|ttyAMA')
sleep 1
# Console input raises UART receive interrupts: the test types a line here.
echo "check: type a line"
if read -t 20 line; then echo "check: read [$line]"; else echo "check: read nothing"; fi
t1=$(irq_count 'arch_timer|timer'); u1=$(irq_count 'uart|pl011|ttyAMA')
if [ "$t1" -gt "$t0" ]; then ok timer-irqs-rise; else fail timer-irqs-rise "timer count $t0 -> $t1"; fi
if [ "$u1" -gt "$u0" ]; then ok uart-irqs-rise; else fail uart-irqs-rise "uart count $u0 -> $u1"; fi
# sleep 1 must last one second of virtual time (CLOCK_MONOTONIC via /proc/uptime).
a=$(cut -d' ' -f1 /proc/uptime); sleep 1; b=$(cut -d' ' -f1 /proc/uptime)
d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%d", (b - a) * 100 }')
if [ "$d" -ge 100 ] && [ "$d" -le 110 ]; then ok sleep-1s; else fail sleep-1s "slept ${d}0 ms"; fi
# fork/exec loop
n=0; i=0
while [ $i -lt 200 ]; do /bin/true && n=$((n + 1)); i=$((i + 1)); done
if [ $n -eq 200 ]; then ok fork-exec-200; else fail fork-exec-200 "$n of 200 succeeded"; fi
# pipes
c=$(seq 1 5000 | sort -rn | wc -l); s=$(seq 1 5000 | awk '{ s += $1 } END { print s }')
if [ "$c" -eq 5000 ] && [ "$s" -eq 12502500 ]; then ok pipes; else fail pipes "lines $c sum $s"; fi
# files in tmpfs
seq 1 90000 > /tmp/f
cp /tmp/f /tmp/g
if cmp -s /tmp/f /tmp/g && [ "$(wc -c < /tmp/g)" -eq 528894 ] && [ "$(tail -1 /tmp/g)" = 90000 ]; then ok tmpfs-files
else fail tmpfs-files "copy differs or wrong size"; fi
grep -q '^tmpfs /tmp tmpfs' /proc/mounts && ok tmpfs-mounted || fail tmpfs-mounted "no tmpfs on /tmp"
rm -f /tmp/f /tmp/g
# signals: SIGSEGV, SIGILL from user space
if /bin/sigtest; then ok sigtest; else fail sigtest "exit status $?"; fi
# instructions and loads/stores across a page end (Thumb-2 ADD.W at a page's last halfword)
if /bin/xpage; then ok xpage; else fail xpage "exit status $?"; fi
# VFP in two processes at once across context switches (Linux's lazy VFP
# switch: VMSR FPEXC at every switch, the monitor's FIT_FPEXC)
if /bin/fpcheck; then ok fpcheck; else fail fpcheck "exit status $?"; fi
# the kernel log: no oops, BUG, WARNING
if dmesg | grep -E -i 'oops|BUG:|WARNING:|Call trace|Unable to handle' > /tmp/bad; then
    fail dmesg-clean "$(head -3 /tmp/bad | tr '\n' '|')"
else
    ok dmesg-clean
fi
echo "check: end"
