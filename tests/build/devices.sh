#!/usr/bin/env bash
# A device is one file plus configuration (issue 17 item 2): in a scratch
# clone of the committed tree, a throwaway "scratch register" device (one
# read/write register, a device-tree node) is added as
#  - drivers/emul/scratch.c, its model and VDEV_TYPE descriptor (its name
#    in a VM file and its device-tree node included),
#  - one line in boards/qemu-virt/board.c's table of guest devices (where
#    it goes on that board),
#  - a VM file configs/scratch.vm (guest a gets it, guest b leaves it out
#    with devices=-scratch),
# and nothing else: `git status` lists those three; the monitor builds;
# guest a's device tree has the node the descriptor describes at the
# table's address, guest b's has none; the monitor's boot banner lists the
# device for a and says b left it out (the C side reads the same names);
# an unknown devices= name and a malformed descriptor are refused with
# FILE:LINE.
# Prints PASS/FAIL lines and ends with "devices: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
TIMEOUT=${TIMEOUT:-60}
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d /tmp/devices-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/tree" || { bad "devices: git clone failed"; echo "devices: $pass passed, $fail failed"; exit 1; }
cd "$tmp/tree"
B=qemu-virt

cat > drivers/emul/scratch.c <<'EOF'
/* A scratch register: one 32-bit read/write register at offset 0 (tests/build/devices.sh). */
#include "../../core/vdev.h"

struct scratch {
    uint32_t reg;
};

static void sc_reset(struct vdev *d) { ((struct scratch *)d->state)->reg = 0; }

static uint32_t sc_read(struct vdev *d, uint32_t off, unsigned size)
{
    (void)size;
    return off ? 0 : ((struct scratch *)d->state)->reg;
}

static void sc_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    (void)size;
    if (!off)
        ((struct scratch *)d->state)->reg = val;
}

VDEV_TYPE(vdev_scratch) = {
    .name = "scratch", .vm_name = "scratch",
    .dt_node = "scratch@%ADDR% {\n"
               "\tcompatible = \"armvisor,scratch\";\n"
               "\treg = <%BASE% %SIZE%>;\n"
               "};\n",
    .mmio_size = 0x1000, .state_size = sizeof(struct scratch),
    .reset = sc_reset, .read = sc_read, .write = sc_write,
};
EOF
sed -i 's/^    { NULL, 0, 0 },$/    { "scratch", 0x0a100000, 0 },\n&/' boards/$B/board.c
printf 'guest a hello-pv 4\nguest b hello-pv 4 devices=-scratch\n' > configs/scratch.vm

touched=$(git status --porcelain --untracked-files=all | sort | tr '\n' ' ')
want=$(printf '%s\n' " M boards/$B/board.c" "?? configs/scratch.vm" "?? drivers/emul/scratch.c" | sort | tr '\n' ' ')
[ "$touched" = "$want" ] && ok "adding the device touched: $touched" || bad "git status: '$touched', expected '$want'"

if make -s BOARD=$B VM=configs/scratch.vm GUEST_NAMES=hello monitor > "$tmp/build.log" 2>&1; then
    ok "the monitor builds with the new device"
else
    bad "the build failed: $(tail -5 "$tmp/build.log")"
fi
VB=$(make -s BOARD=$B print-B)/vm-scratch
node=$(printf '\tscratch@a100000 {\n\t\tcompatible = "armvisor,scratch";\n\t\treg = <0x0a100000 0x1000>;\n\t};')
if [ -f "$VB/guest-a.dts" ] && grep -qF "$(printf '%s' "$node" | head -1)" "$VB/guest-a.dts" &&
   tr '\n' '\v' < "$VB/guest-a.dts" | grep -qF "$(printf '%s' "$node" | tr '\n' '\v')"; then
    ok "guest a's device tree has the descriptor's node at the board's address"
else bad "guest a's device tree ($VB/guest-a.dts) lacks: $node"; fi
if [ -f "$VB/guest-b.dts" ] && ! grep -q scratch "$VB/guest-b.dts" && grep -q 'uart0: pl011@9000000' "$VB/guest-b.dts"; then
    ok "guest b (devices=-scratch) has no scratch node, its UART still"
else bad "guest b's device tree ($VB/guest-b.dts) is not the one without scratch"; fi
if [ -f "$VB/monitor.elf" ] && arm-none-eabi-nm "$VB/monitor.elf" | grep -q ' vdev_scratch$'; then
    ok "the type is linked into the monitor (registry)"
else bad "vdev_scratch is not in $VB/monitor.elf"; fi

# The monitor names it: the boot banner's guest lines (core/banner.c).
if [ -f "$VB/monitor.elf" ]; then
    timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$B print-BOARD_QEMU) -display none -serial stdio \
        -monitor none -semihosting -kernel "$VB/monitor.elf" < /dev/null > "$tmp/run.txt" 2> "$tmp/run.err"
    a=$(tr -d '\r' < "$tmp/run.txt" | grep -E '^monitor: +0 a ' | head -1)
    b=$(tr -d '\r' < "$tmp/run.txt" | grep -E '^monitor: +1 b ' | head -1)
    case "$a" in *" scratch@0x0a100000"*) ok "the banner lists guest a's scratch@0x0a100000" ;;
        *) bad "guest a's banner line lacks scratch@0x0a100000: '$a'" ;; esac
    case "$b" in *"scratch@"*) bad "guest b's banner line has the scratch device: '$b'" ;;
        *"left out (devices=): scratch"*) ok "the banner says guest b left out scratch" ;;
        *) bad "guest b's banner line does not say it left out scratch: '$b'" ;; esac
fi

# Refusals with FILE:LINE.
printf 'guest a hello-pv 4\nguest b hello-pv 4 devices=-scratchy\n' > configs/bad.vm
msg=$(make -s BOARD=$B VM=configs/bad.vm GUEST_NAMES=hello monitor 2>&1)
echo "$msg" | grep -q "mkguests: configs/bad.vm:2: unknown device 'scratchy' (known: .*scratch" &&
    ok "unknown device: $(echo "$msg" | grep -o "mkguests: .*" | head -1)" ||
    bad "devices=-scratchy was not refused with configs/bad.vm:2: $(echo "$msg" | tail -2)"
# (valid C, so the compiler does not stop first: the tool reads only literals)
sed -i 's/\.vm_name = "scratch"/.vm_name = ("scratch")/' drivers/emul/scratch.c
msg=$(make -s BOARD=$B VM=configs/scratch.vm GUEST_NAMES=hello monitor 2>&1)
echo "$msg" | grep -q "mkguests: drivers/emul/scratch.c:24: VDEV_TYPE(vdev_scratch): .vm_name must be string literals" &&
    ok "malformed descriptor: $(echo "$msg" | grep -o "mkguests: .*" | head -1)" ||
    bad "a .vm_name that is no string was not refused at drivers/emul/scratch.c:24: $(echo "$msg" | tail -2)"

echo "devices: $pass passed, $fail failed"
[ $fail -eq 0 ]
