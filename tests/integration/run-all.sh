#!/usr/bin/env bash
# QEMU integration tests.  For every board given:
#  - every test guest runs natively (bare metal on QEMU) and paravirtualized
#    under the monitor; both must pass their own checks (exit status 0) and
#    print identical output;
#  - several guests run at once under the monitor and all finish;
#  - every guest gets a device tree of its virtual machine in r2 (dtb);
#  - a misbehaving guest is stopped while its neighbour finishes;
#  - attack guests (guest-stubs/attack/) cannot reach beyond their own VM;
#  - a guest spinning with interrupts masked cannot starve its neighbours;
#  - the native guests patched by tools/pvpatch match native (pvpatch.sh);
#  - (qemu-virt) u-boot boots the monitor's uImage and FIT image.
# Prints PASS/FAIL lines and ends with "integration: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
TIMEOUT=${TIMEOUT:-60}
pass=0; fail=0
# QEMU's own diagnostics never go into a console stream that a test compares:
# every QEMU run here writes its stderr to OUTFILE.err (qemu_err remembers the
# last one), and a failing test shows it.
QEMU_ERR=/dev/null
qemu_err() { QEMU_ERR=$1; }
ok()   { pass=$((pass + 1)); echo "PASS $*"; }
bad()  {
    fail=$((fail + 1)); echo "FAIL $*"
    [ -s "$QEMU_ERR" ] && sed 's/^/    qemu stderr: /' "$QEMU_ERR" | head -20
    return 0
}

BOARDS=${*:-qemu-virt qemu-vexpress-a9 qemu-realview-pb-a8}
TESTS=${TESTS:-"modes psr exc cp15 usrundef vfp1 hello mmu irq"}
GN="$TESTS"   # guests to build
case " $TESTS " in *" mmu "*) GN="$GN mmunop" ;; esac
case " $TESTS " in *" vfp1 "*) GN="$GN vfp2" ;; esac

# run_qemu BOARD ELF OUTFILE -> exit status of QEMU (124 on timeout)
run_qemu() {
    local flags
    flags=$(make -s BOARD="$1" print-BOARD_QEMU)
    qemu_err "$3.err"
    timeout "$TIMEOUT" qemu-system-arm $flags -display none -serial stdio -monitor none -semihosting -kernel "$2" \
        < /dev/null > "$3" 2> "$3.err"
}

# build_vm BOARD VMFILE -> path of the monitor ELF (on stdout)
build_vm() {
    local log=$2.build.log
    if ! make -s BOARD="$1" VM="$2" GUEST_NAMES="$GN" monitor > "$log" 2>&1; then
        return 1
    fi
    echo "build/$1/vm-$(basename "${2%.vm}")/monitor.elf"
}

# bare BOARD FILE...: build standalone guests (Makefile: $(B)/bare/...)
bare() { local b=$1; shift; make -s BOARD="$b" "$@"; }

# elf_phys_entry ELF: the physical address of its entry point (through the
# LOAD segment that holds it): where a boot loader jumps with the MMU off
elf_phys_entry() {
    local e t off va pa fs ms
    e=$(arm-none-eabi-readelf -h "$1" | awk '/Entry point/ { print $4 }') || return 1
    while read -r t off va pa fs ms _; do
        if [ "$t" = LOAD ] && [ $((e)) -ge $((va)) ] && [ $((e)) -lt $((va + ms)) ]; then
            printf '0x%x\n' $((e - va + pa)); return 0
        fi
    done < <(arm-none-eabi-readelf -lW "$1")
    return 1
}

# guest_lines ID FILE: the console lines of guest ID, untagged
guest_lines() { tr -d '\r' < "$2" | sed -n "s/^\[g$1\] //p"; }

. tests/integration/pvpatch.sh

for board in $BOARDS; do
    out=build/$board/test-out
    mkdir -p "$out"
    if ! make -s BOARD="$board" GUEST_NAMES="$GN" guests > "$out/guests.build.log" 2>&1; then
        bad "$board build-guests: see $out/guests.build.log"; tail -20 "$out/guests.build.log"; continue
    fi
    for t in $TESTS; do
        # native
        run_qemu "$board" "build/$board/guests/$t-native.elf" "$out/$t-native.raw"; rc=$?
        tr -d '\r' < "$out/$t-native.raw" > "$out/$t-native.txt"
        if [ $rc -ne 0 ] || ! grep -q '^RESULT ' "$out/$t-native.txt"; then
            bad "$board $t native: exit status $rc (see $out/$t-native.txt)"
            grep -E '^FAIL' "$out/$t-native.txt" | head -5
        else
            ok "$board $t native"
        fi
        # paravirtualized, under the monitor
        vm=$out/$t.vm
        echo "guest $t $t-pv 16" > "$vm"
        if ! elf=$(build_vm "$board" "$vm"); then
            bad "$board $t pv: monitor build failed (see $vm.build.log)"; continue
        fi
        run_qemu "$board" "$elf" "$out/$t-pv.raw"; rc=$?
        guest_lines 0 "$out/$t-pv.raw" > "$out/$t-pv.txt"
        if [ $rc -ne 0 ]; then
            bad "$board $t pv: exit status $rc (see $out/$t-pv.raw)"
            grep -E 'FAIL|STOPPED|PANIC' "$out/$t-pv.raw" | head -5
        elif ! diff -u "$out/$t-native.txt" "$out/$t-pv.txt" > "$out/$t.diff"; then
            bad "$board $t native-vs-pv: outputs differ ($out/$t.diff):"
            head -20 "$out/$t.diff"
        else
            ok "$board $t pv (identical to native, $(wc -l < "$out/$t-pv.txt") lines)"
        fi
    done

    # --- the native guests patched by tools/pvpatch (tests/integration/pvpatch.sh)
    pvpatch_tests "$board" "$out"

    # --- the MMU test again with shadow coherence by write protection (mode b)
    case " $TESTS " in *" mmu "*)
        vm=$out/mmu-wp.vm
        echo "guest mmu mmu-pv 16 coherence=wp" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/mmu-wp.raw"; rc=$?
            guest_lines 0 "$out/mmu-wp.raw" > "$out/mmu-wp.txt"
            if [ $rc -ne 0 ]; then bad "$board mmu pv coherence=wp: exit status $rc ($out/mmu-wp.raw)"
                grep -E 'FAIL|STOPPED' "$out/mmu-wp.raw" | head -5
            elif ! diff -u "$out/mmu-native.txt" "$out/mmu-wp.txt" > "$out/mmu-wp.diff"; then
                bad "$board mmu pv coherence=wp: differs from native ($out/mmu-wp.diff)"; head -10 "$out/mmu-wp.diff"
            else ok "$board mmu pv coherence=wp (identical to native)"; fi
        else bad "$board mmu pv coherence=wp: build failed"; fi
        # ... and with its TLB/BTB maintenance replaced by NOPs (ARMvisor)
        vm=$out/mmunop-wp.vm
        echo "guest mmu mmunop-pv 16 coherence=wp" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/mmunop-wp.raw"; rc=$?
            guest_lines 0 "$out/mmunop-wp.raw" > "$out/mmunop-wp.txt"
            tlb=$(sed -n 's/.*cp15-tlb-maint *//p' "$out/mmunop-wp.raw" | tr -dc '0-9')
            if [ $rc -ne 0 ]; then bad "$board mmu pv, TLB ops as NOPs, coherence=wp: exit status $rc"
            elif [ -n "$tlb" ]; then bad "$board mmu pv, TLB ops as NOPs: still $tlb TLB maintenance traps"
            elif ! diff -u "$out/mmu-native.txt" "$out/mmunop-wp.txt" > "$out/mmunop-wp.diff"; then
                bad "$board mmu pv, TLB ops as NOPs, coherence=wp: differs from native"; head -10 "$out/mmunop-wp.diff"
            else ok "$board mmu pv with TLB/BTB maintenance as NOPs, coherence=wp (identical to native, no TLB traps)"; fi
        else bad "$board mmu pv (NOP TLB): build failed"; fi ;;
    esac

    # --- MMIO: every load/store form against the UART, native vs emulated
    ram=$(make -s BOARD="$board" print-BOARD_RAM_BASE)
    bd=build/$board/bare
    if bare $board $bd/mmio-native.elf $bd/mmio-pv.elf > "$out/mmio.build.log" 2>&1; then
        run_qemu "$board" $bd/mmio-native.elf "$out/mmio-native.raw"; rcn=$?
        tr -d '\r' < "$out/mmio-native.raw" > "$out/mmio-native.txt"
        vm=$out/mmio.vm
        echo "guest mmio $bd/mmio-pv.elf 2" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/mmio-pv.raw"; rc=$?
            guest_lines 0 "$out/mmio-pv.raw" > "$out/mmio-pv.txt"
            if [ $rcn -ne 0 ]; then bad "$board mmio native: exit status $rcn"
            elif [ $rc -ne 0 ]; then bad "$board mmio pv: exit status $rc ($out/mmio-pv.raw)"; grep FAIL "$out/mmio-pv.raw" | head -5
            elif ! diff -u "$out/mmio-native.txt" "$out/mmio-pv.txt" > "$out/mmio.diff"; then
                bad "$board mmio: emulated UART differs from the real one ($out/mmio.diff)"; head -10 "$out/mmio.diff"
            else ok "$board mmio: $(grep -c '^ok' "$out/mmio-pv.txt") load/store forms on the emulated PL011 identical to native"; fi
        else bad "$board mmio pv: monitor build failed"; fi
    else bad "$board mmio: build failed ($out/mmio.build.log)"; fi

    # --- device tree: the monitor hands each guest a DTB of its virtual machine
    #     in r2 (r0 = 0, r1 = ~0; docs/guest-boot.md). dtbcheck (PV only, 16 MiB)
    #     checks the boot registers and walks the DTB (header, /memory = its RAM,
    #     PL011, GIC, /chosen); dtbhigh, linked into the top 64 KiB of a 2 MiB
    #     guest, must be refused with a clear message. The DTB decompiles with
    #     dtc and its source compiles without warnings.
    uart=$(make -s BOARD="$board" print-BOARD_UART_BASE)
    dflags="-marm -march=armv7-a -mfloat-abi=soft -O1 -ffreestanding -nostdlib -static -Wall -Wextra -Werror
            -Iinclude -DUART=$uart -DRAM_BASE=$ram -Wl,--no-warn-rwx-segments"
    [ "$board" = qemu-vexpress-a9 ] && dflags="$dflags -DVEXPRESS"
    [ "$board" = qemu-realview-pb-a8 ] && dflags="$dflags -DPBA8"
    # dtbcheck gets virtio console and net where the board has virtio slots
    # (slots 0 and 2: mask 5): its DTB must describe exactly those.
    dvio=""; dvflags=""; dvnote=""
    case "$board" in
        qemu-virt) dvio=" virtio=console,net"; dvflags="-DVIO_BASE=0x0a000000 -DVIO_SPI=16 -DVIO_MASK=5" ;;
        qemu-vexpress-a9) dvio=" virtio=console,net"; dvflags="-DVIO_BASE=0x10013000 -DVIO_SPI=40 -DVIO_MASK=5" ;;
    esac
    [ -z "$dvio" ] || dvnote=", virtio,mmio nodes = the VM file's$dvio"
    if arm-none-eabi-gcc $dflags $dvflags -DRAM_SIZE=0x1000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            '-DBOOTARGS="prog --n=3 x"' -o build/$board/dtbcheck.elf tests/integration/guests/dtbcheck.c 2> "$out/dtb.build.log" &&
       arm-none-eabi-gcc $dflags -DRAM_SIZE=0x200000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x1F8000))) \
            -o build/$board/dtbhigh.elf tests/integration/guests/dtbcheck.c 2>> "$out/dtb.build.log"; then
        vm=$out/dtb.vm
        printf 'guest dtbcheck build/%s/dtbcheck.elf 16 cmdline=prog,--n=3,x%s\nguest dtbhigh build/%s/dtbhigh.elf 2\n' "$board" "$dvio" "$board" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/dtb.raw"; rc=$?
            tr -d '\r' < "$out/dtb.raw" > "$out/dtb.txt"
            guest_lines 0 "$out/dtb.raw" > "$out/dtb-g0.txt"
            dtb=build/$board/vm-dtb/guest-dtbcheck.dtb
            dtc -I dtb -O dts -o "$out/dtb-decompiled.dts" "$dtb" 2> "$out/dtb-dtc.log"; rcd=$?
            dtc -I dts -O dtb -o /dev/null "${dtb%.dtb}.dts" 2>> "$out/dtb-dtc.log"; rcc=$?
            nok=$(grep -c '^ok ' "$out/dtb-g0.txt")
            if [ $rc -ne 100 ]; then bad "$board dtb: monitor exit status $rc, expected 100 (dtbhigh refused) ($out/dtb.txt)"
                grep -E 'FAIL|STOPPED|PANIC|bad image' "$out/dtb.txt" | head -5
            elif grep -q '^FAIL' "$out/dtb-g0.txt" || ! grep -q '^RESULT dtbcheck: [0-9]* checks, 0 failed' "$out/dtb-g0.txt" ||
                 ! grep -q 'guest 0 (dtbcheck) exited with status 0$' "$out/dtb.txt"; then
                bad "$board dtb: the guest's checks failed ($out/dtb-g0.txt):"; grep -E '^(FAIL|RESULT)' "$out/dtb-g0.txt" | head -8
            elif ! grep -q 'guest 1 (dtbhigh): segment IPA .* reaches into the device tree area' "$out/dtb.txt" ||
                 ! grep -q 'guest 1 (dtbhigh): bad image: a loaded segment overlaps the device tree area' "$out/dtb.txt"; then
                bad "$board dtb: a guest overlapping the device tree area was not refused with a clear message"
            elif [ $rcd -ne 0 ] || [ $rcc -ne 0 ] || [ -s "$out/dtb-dtc.log" ]; then
                bad "$board dtb: dtc failed or warned on $dtb ($out/dtb-dtc.log)"; head -5 "$out/dtb-dtc.log"
            elif [ -n "$dvio" ] && ! grep -q '^ok   virtio-nodes-are-the-vm-files' "$out/dtb-g0.txt"; then
                bad "$board dtb: the virtio,mmio nodes were not checked against the VM file's virtio= ($out/dtb-g0.txt)"
            elif ! grep -q "reg = <$(printf '0x%02x' $ram) 0x1000000>" "$out/dtb-decompiled.dts"; then
                bad "$board dtb: the decompiled DTB has no 16 MiB memory at $ram ($out/dtb-decompiled.dts)"
            else
                ok "$board dtb: $nok checks by the guest on the DTB in r2 (r0 = 0, r1 = ~0, /memory, PL011, GIC, /chosen, bootargs = the VM file's cmdline=$dvnote); decompiles with dtc ($(grep -c '{$' "$out/dtb-decompiled.dts") nodes); overlapping guest refused"
            fi
        else bad "$board dtb: monitor build failed (see $vm.build.log)"; fi
    else bad "$board dtb: build failed ($out/dtb.build.log)"; fi

    # --- boot state: a boot loader (guests/bootstub.S) hands over with PL0
    #     access to the host's generic timer, PMU, thread ID registers and
    #     coprocessors open; the monitor must close them at boot, so that its
    #     guest (bootstate, which runs in User mode) reads only its own state
    #     (issue 15 item 4).  The stub is QEMU's -kernel, the monitor's ELF is
    #     loaded beside it by -device loader and entered at its ELF entry.
    if arm-none-eabi-gcc $dflags -DRAM_SIZE=0x1000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            -o build/$board/bootstate.elf tests/integration/guests/bootstate.c 2> "$out/bootstate.build.log"; then
        vm=$out/bootstate.vm
        printf 'guest bootstate build/%s/bootstate.elf 16\n' "$board" > "$vm"
        if elf=$(build_vm "$board" "$vm") &&
           entry=$(elf_phys_entry "$elf") &&
           arm-none-eabi-gcc -march=armv7-a -nostdlib -static -Wl,-Ttext=$(printf '0x%x' $((ram + 0xF000000))) \
               -Wa,--defsym,MONITOR_ENTRY=$entry -Wl,--no-warn-rwx-segments \
               -o build/$board/bootstub.elf tests/integration/guests/bootstub.S 2>> "$out/bootstate.build.log"; then
            timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio \
                -monitor none -semihosting -kernel build/$board/bootstub.elf -device loader,file="$elf" \
                < /dev/null > "$out/bootstate.raw" 2>&1; rc=$?
            guest_lines 0 "$out/bootstate.raw" > "$out/bootstate.txt"
            # what the host has, from the monitor's banner: those checks must have run
            need=""
            grep -q 'generic timer yes' "$out/bootstate.raw" && need="cntp-ctl cntv-ctl"
            grep -q 'PMU yes' "$out/bootstate.raw" && need="$need pmuserenr"
            missing=""
            for c in $need tpidrurw tpidruro; do grep -q "^ok   $c:" "$out/bootstate.txt" || missing="$missing $c"; done
            if [ $rc -ne 0 ]; then bad "$board boot-state: monitor exit status $rc ($out/bootstate.raw)"
                grep -E 'FAIL|STOPPED|PANIC' "$out/bootstate.raw" | head -6
            elif [ -n "$missing" ] || ! grep -q '^RESULT bootstate: [0-9]* checks, 0 failed' "$out/bootstate.txt"; then
                bad "$board boot-state: a guest reached what the boot loader left open, or a check is missing:$missing ($out/bootstate.txt)"
                grep -E '^(FAIL|RESULT)' "$out/bootstate.txt" | head -6
            else ok "$board boot-state: the boot loader left PL0 access open (CNTKCTL, PMUSERENR, TPIDRURW/RO, CPACR); the guest reached none of it:$(echo $need tpidrurw tpidruro)"; fi
        else bad "$board boot-state: monitor or boot stub build failed ($vm.build.log, $out/bootstate.build.log)"; fi
    else bad "$board boot-state: guest build failed ($out/bootstate.build.log)"; fi

    # --- UART receive through the GIC: console input reaches the guest's
    #     interrupt handler, natively and through the monitor's console focus
    if bare $board $bd/uartrx-native.elf $bd/uartrx-pv.elf > "$out/uartrx.build.log" 2>&1; then
        input='type q'
        qemu_err "$out/uartrx-native.raw.err"
        (sleep 1; printf '%s' "$input") | timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) \
            -display none -serial stdio -monitor none -semihosting -kernel $bd/uartrx-native.elf > "$out/uartrx-native.raw" 2> "$out/uartrx-native.raw.err"; rcn=$?
        tr -d '\r' < "$out/uartrx-native.raw" > "$out/uartrx-native.txt"
        vm=$out/uartrx.vm
        echo "guest uartrx $bd/uartrx-pv.elf 2" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            qemu_err "$out/uartrx-pv.raw.err"
            (sleep 1; printf '%s' "$input") | timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) \
                -display none -serial stdio -monitor none -semihosting -kernel "$elf" > "$out/uartrx-pv.raw" 2> "$out/uartrx-pv.raw.err"; rc=$?
            guest_lines 0 "$out/uartrx-pv.raw" > "$out/uartrx-pv.txt"
            if [ $rcn -ne 0 ] || [ $rc -ne 0 ]; then bad "$board uart-rx: exit status native $rcn, pv $rc"
            elif ! grep -q 'received 6 bytes in interrupts: "type q"' "$out/uartrx-pv.txt"; then
                bad "$board uart-rx: the input did not reach the guest's interrupt handler"; cat "$out/uartrx-pv.txt"
            elif ! diff -u "$out/uartrx-native.txt" "$out/uartrx-pv.txt" > "$out/uartrx.diff"; then
                bad "$board uart-rx: differs from native ($out/uartrx.diff)"; head "$out/uartrx.diff"
            else ok "$board uart-rx: console input reached the focused guest's UART interrupt handler, identical to native"; fi
        else bad "$board uart-rx: monitor build failed"; fi
    else bad "$board uart-rx: build failed ($out/uartrx.build.log)"; fi

    # --- the monitor console, driven through the host console: focus switch
    #     (Ctrl-A x3), commands, bad commands, pause/resume/reset, input focus
    vm=$out/console.vm
    printf 'guest uartrx %s/uartrx-pv.elf 2\nguest hello hello-pv 16\n' "$bd" > "$vm"
    if [ -f $bd/uartrx-pv.elf ] && elf=$(build_vm "$board" "$vm"); then
        qemu_err "$out/console.raw.err"
        ( sleep 1; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3
          printf 'help\rguests\rstats 1\rfocus 7\rbogus\rpause x\rpause 0\rguests\rresume 0\r'
          sleep 0.3; printf 'reset 1\r'; sleep 1; printf 'focus 0\r'; sleep 0.3; printf 'q' ) |
            timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio -monitor none -semihosting \
            -kernel "$elf" > "$out/console.raw" 2> "$out/console.raw.err"; rc=$?
        tr -d '\r' < "$out/console.raw" > "$out/console.txt"
        miss=""
        for want in 'console focus: guest 1 (hello)' 'console focus: monitor' 'monitor: commands: help' \
                    'uartrx       running\|uartrx       waiting' 'hello        exited' \
                    "monitor: no guest 7 (guests are 0-1)" "monitor: unknown command 'bogus'" \
                    "monitor: 'x' is not a guest number" 'guest 0 (uartrx) paused' 'uartrx       paused' \
                    'guest 0 (uartrx) resumed' 'guest 1 (hello) reset' 'console focus: guest 0 (uartrx)' \
                    'received 1 bytes in interrupts: "q"' 'all guests finished: uartrx=0 hello=0'; do
            grep -q "$want" "$out/console.txt" || miss="$miss [$want]"
        done
        hello_runs=$(grep -c '^\[g1\] RESULT hello' "$out/console.txt")
        if [ $rc -ne 0 ]; then bad "$board console: exit status $rc ($out/console.txt)"
        elif [ -n "$miss" ]; then bad "$board console: missing from the console:$miss"
        elif [ "$hello_runs" -ne 2 ]; then bad "$board console: 'reset 1' should run hello twice, saw $hello_runs"
        else ok "$board console: focus switching and monitor commands (help, guests, stats, focus, pause, resume, reset, errors)"; fi
    else bad "$board console: build failed"; fi

    # --- bad VM configurations are refused at build time with a clear message
    if [ "$board" = qemu-virt ]; then
        cfgbad=0
        # disk images for the disk= cases: not whole sectors, over the 64 MiB
        # limit, and four at the limit (more than the RAM after the monitor)
        head -c 1000 /dev/zero > "$out/odd.img"
        rm -f "$out/big.img" "$out/max.img"
        truncate -s $((64 * 1048576 + 512)) "$out/big.img"; truncate -s $((64 * 1048576)) "$out/max.img"
        : > "$out/empty.img"; head -c 1048576 /dev/zero > "$out/ok.img"
        while IFS='|' read -r content want; do
            vm=$out/badcfg.vm
            printf "$content" > "$vm"
            if make -s BOARD=$board VM="$vm" GUEST_NAMES="$GN" monitor > "$out/badcfg.log" 2>&1; then
                bad "$board bad-config: '$content' was accepted"; cfgbad=1
            elif ! grep -q "$want" "$out/badcfg.log"; then
                bad "$board bad-config: '$content' refused without '$want'"; cat "$out/badcfg.log"; cfgbad=1
            elif ! grep -q "^mkguests: $vm:[0-9][0-9]*: " "$out/badcfg.log"; then
                bad "$board bad-config: '$content' refused without the file:line of the bad input"; cat "$out/badcfg.log"; cfgbad=1
            fi
        done <<'CFG'
guest a hello-pv 16\nguest b hello-pv 16 at=0x40900000\n|overlaps guest 'a'
guest a hello-pv 16 at=0x40100000\n|overlaps the monitor
guest a hello-pv 64\nguest b hello-pv 64\nguest c hello-pv 64\nguest d hello-pv 64\n|outside the board's RAM
guest a hello-pv 100\n|out of range 1..64
guest a nosuch 4\n|not found
slice_ms 5\nguest a hello-pv 4\n|slice_ms N with N from 10 to 1000
guest a hello-pv 4 colour=red\n|unknown option 'colour=red'
guest a hello-pv 4 devices=uart,sp804\n|no device 'sp804' on qemu-virt
guest a hello-pv 4 virtio=console,gpu\n|no virtio device 'gpu'
guest a hello-pv 016\n|without a leading zero (it would read as octal)
slice_ms 020\nguest a hello-pv 4\n|no leading zero
guest a build/x".elf 4\n|image path 'build/x".elf': only letters, digits
guest a * 4\n|image path '\*': only letters, digits
guest a hello-pv 4 at=0x4090zzzz\n|at=0x4090zzzz: expected a hexadecimal address
guest a hello-pv 4 bootargs=x cmdline=y\n|give one of them
guest a hello-pv 4\nguest b hello-pv 4 disk=nosuch.img\n|badcfg.vm:2: guest 'b': disk image 'nosuch.img' not found
guest a hello-pv 4 disk=build/qemu-virt/test-out/odd.img\n|is 1000 bytes, not a whole number of 512-byte sectors
guest a hello-pv 4 disk=build/qemu-virt/test-out/empty.img:ro\n|at least one 512-byte sector
guest a hello-pv 4 disk=build/qemu-virt/test-out/big.img\n|more than the limit of 64 MiB per disk
guest a hello-pv 4 disk=:ro\n|disk= needs an image file
guest a hello-pv 4 disk=build/qemu-virt/test-out/max.img\nguest b hello-pv 4 disk=build/qemu-virt/test-out/max.img\nguest c hello-pv 4 disk=build/qemu-virt/test-out/max.img\nguest d hello-pv 4 disk=build/qemu-virt/test-out/max.img\n|badcfg.vm:4: disk image 'build/qemu-virt/test-out/max.img': the disk images up to here (disk=, 268435456 bytes) do not fit in the board's RAM
guest a hello-pv 4 mac=52:54:00:zz:00:01\n|mac=52:54:00:zz:00:01 is not six hex octets
guest a hello-pv 4 mac=52:54:00:00:01\n|is not six hex octets
guest a hello-pv 4 mac=53:54:00:00:00:01\n|is a multicast address
guest a hello-pv 4 mac=00:00:00:00:00:00\n|the all-zero address
guest a hello-pv 4 mac=52:54:00:00:00:0a\nguest b hello-pv 4 mac=52:54:00:00:00:0A\n|badcfg.vm:2: guest 'b': mac=52:54:00:00:00:0a is already another guest's
guest a hello-pv 16 disk=build/qemu-virt/test-out/ok.img at=0x40900000\n|RAM 0x40900000-0x418fffff overlaps the virtio disk images at 0x40900000-0x409fffff
guest a hello-pv 4 assign=0x09000000:0x1000\n|badcfg.vm:1: guest 'a': assign=0x09000000:0x1000: 0x09000000-0x09000fff overlaps the monitor's UART
guest a hello-pv 4 assign=0x08010000:0x1000\n|overlaps the GIC CPU interface
guest a hello-pv 4 assign=0x0a000000:0x1000:dma-trusted\n|overlaps the guests' virtio slots at 0x0a000000-0x0a000fff
guest a hello-pv 4 assign=0x0a003000:0x1000:dma-trusted\nguest b hello-pv 4 assign=0x0a002000:0x2000:dma-trusted\n|badcfg.vm:2: guest 'b': assign=0x0a002000:0x2000:dma-trusted: 0x0a002000-0x0a003fff overlaps the device assigned to guest 'a' at 0x0a003000-0x0a003fff
guest a hello-pv 4 assign=0x0a003100:0x1000:dma-trusted\n|base and size must be multiples of 4 KiB
guest a hello-pv 4 assign=0x0a003000:0x800:dma-trusted\n|base and size must be multiples of 4 KiB
guest a hello-pv 4 assign=0x0a003000:0x1000\n|the range holds DMA-capable devices (0x0a000000:0x4000, BOARD_DMA_DEVICES)
guest a hello-pv 4 assign=0x00000000:0x1000\n|0x00000000-0x00000fff is not inside the board's device space
guest a hello-pv 4 assign=0x3ffff000:0x2000\n|is not inside the board's device space
guest a hello-pv 4 assign=0x09010000:0x1000:30\n|interrupt 30 is the monitor's scheduling tick
guest a hello-pv 4 assign=0x09010000:0x1000:27\n|interrupt 27 is the monitor's deadline timer
guest a hello-pv 4 assign=0x09010000:0x1000:33\n|interrupt 33 is the monitor's UART
guest a hello-pv 4 assign=0x09010000:0x1000:20\n|interrupt 20 is not a shared peripheral interrupt
guest a hello-pv 4 assign=0x09010000:0x1000:48\n|interrupt 48 is the guests' virtio slot 0
guest a hello-pv 4 assign=0x09010000:0x1000:34\nguest b hello-pv 4 assign=0x09030000:0x1000:34\n|badcfg.vm:2: guest 'b': assign=0x09030000:0x1000:34: interrupt 34 is already assigned to another guest
guest a hello-pv 4 assign=0x0a003000\n|expected assign=0xBASE:0xSIZE\[:IRQ\]\[:dma-trusted\]
guest a hello-pv 4 assign=0x09010000:0x1000 assign=0x09030000:0x1000\n|at most one assign= per guest
CFG
        [ $cfgbad -eq 0 ] && ok "$board bad-config: overlapping, oversized and malformed VM files (octal-looking numbers, quotes in image paths, bad addresses, device assignments the monitor or another guest uses, unaligned or DMA-capable without dma-trusted) refused at build time, each with its file:line"
    fi

    # --- several guests at once: each must finish and match its native output
    multi() {  # multi NAME GUEST...
        local name=$1; shift
        local vm=$out/multi-$name.vm i=0 g rc elf
        : > "$vm"
        for g in "$@"; do echo "guest $g $g-pv 16" >> "$vm"; done
        if ! elf=$(build_vm "$board" "$vm"); then bad "$board multi-$name: build failed"; return; fi
        run_qemu "$board" "$elf" "$out/multi-$name.raw"; rc=$?
        if [ $rc -ne 0 ]; then bad "$board multi-$name: exit status $rc"; return; fi
        for g in "$@"; do
            guest_lines $i "$out/multi-$name.raw" > "$out/multi-$name-$g.txt"
            if ! diff -u "$out/$g-native.txt" "$out/multi-$name-$g.txt" > "$out/multi-$name-$g.diff"; then
                bad "$board multi-$name: guest $i ($g) output differs from native ($out/multi-$name-$g.diff)"
                head -10 "$out/multi-$name-$g.diff"; return
            fi
            i=$((i + 1))
        done
        ok "$board multi-$name: $# guests at once, all identical to native"
    }
    case " $TESTS " in *" vfp1 "*)
        run_qemu "$board" "build/$board/guests/vfp2-native.elf" "$out/vfp2-native.raw"
        tr -d '\r' < "$out/vfp2-native.raw" > "$out/vfp2-native.txt"
        multi vfp vfp1 vfp2 ;; esac
    set -- $TESTS
    [ $# -ge 4 ] && multi four "$1" "$2" "$3" "$4"

    # --- two guests that never yield: the host timer must preempt them
    sp=$bd/spinner.elf
    if bare $board "$sp" > "$out/spin.build.log" 2>&1; then
        vm=$out/spin.vm
        printf 'guest spin0 %s 2\nguest spin1 %s 2\n' "$sp" "$sp" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/spin.raw"; rc=$?
            d0=$(sed -n '/guest 0 (spin0) trap statistics/,/total/p' "$out/spin.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
            d1=$(sed -n '/guest 1 (spin1) trap statistics/,/total/p' "$out/spin.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
            if [ $rc -ne 0 ]; then bad "$board preemption: exit status $rc ($out/spin.raw)"
            elif [ "$(guest_lines 0 "$out/spin.raw" | grep -c round)" -ne 4 ] ||
                 [ "$(guest_lines 1 "$out/spin.raw" | grep -c round)" -ne 4 ]; then
                bad "$board preemption: a spinning guest did not complete its 4 rounds"
            elif [ "${d0:-0}" -lt 1 ] || [ "${d1:-0}" -lt 1 ]; then
                bad "$board preemption: guests were not preempted (descheduled: ${d0:-0}, ${d1:-0})"
            else
                ok "$board preemption: two never-yielding guests both finished, preempted ${d0} and ${d1} times"
            fi
        else bad "$board preemption: monitor build failed"; fi
    else bad "$board preemption: build failed ($out/spin.build.log)"; fi

    # --- a misbehaving guest is stopped; its neighbour finishes
    bg=$bd/badguest.elf vg=$bd/vecless.elf mg=$bd/badmmio.elf
    if bare $board "$bg" "$vg" "$mg" > "$out/bad.build.log" 2>&1; then
        vm=$out/bad.vm
        printf 'guest bad %s 2\nguest hello hello-pv 16\nguest vecless %s 2\nguest badmmio %s 2\n' \
            "$bg" "$vg" "$mg" > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/bad.raw"; rc=$?
            guest_lines 0 "$out/bad.raw" > "$out/bad-g0.txt"
            guest_lines 1 "$out/bad.raw" > "$out/bad-g1.txt"
            if [ $rc -ne 100 ]; then bad "$board bad-guest: monitor exit status $rc, expected 100 (a guest was stopped)"
            elif grep -q FAIL "$out/bad-g0.txt" || [ "$(grep -c '^ok ' "$out/bad-g0.txt")" -ne 4 ]; then
                bad "$board bad-guest: the bad guest's checks failed:"; cat "$out/bad-g0.txt"
            elif ! grep -q 'guest 0 (bad) STOPPED: reserved PV encoding' "$out/bad.raw"; then
                bad "$board bad-guest: no clear stop message"
            elif ! grep -q 'guest 2 (vecless) STOPPED: recursive prefetch abort' "$out/bad.raw"; then
                bad "$board bad-guest: a guest without vectors was not stopped with a clear message"
            elif ! grep -q 'guest 3 (badmmio) STOPPED: access to device pl011 .* cannot be emulated' "$out/bad.raw"; then
                bad "$board bad-guest: an LDM to a device was not stopped with a clear message"
            elif ! diff -q "$out/hello-native.txt" "$out/bad-g1.txt" > /dev/null; then
                bad "$board bad-guest: the neighbour's output is not complete"
            else
                ok "$board bad-guest: bad hypercalls refused, abort delivered, bad PV op, recursive fault and LDM to a device stopped, neighbour finished"
            fi
        else bad "$board bad-guest: monitor build failed"; fi
    else bad "$board bad-guest: build failed ($out/bad.build.log)"; fi

    # --- virtio (issue 18): the virtio guest drives the monitor's virtio-mmio
    #     console (VM file: virtio=console) directly: registers, negotiation, a
    #     transmit queue whose bytes reach its [g0] line, the interrupt on its
    #     vGIC line, then every kind of malformed queue input (each must end in
    #     DEVICE_NEEDS_RESET and recover after a reset), then console input
    #     (focus on it) through its receive queue; its neighbour finishes.
    #     Boards with a virtio slot (board.vvirtio_base): qemu-virt.
    if [ "$board" = qemu-virt ]; then
        vio=build/$board/virtio-pv.elf
        if arm-none-eabi-gcc $dflags -DPV -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) \
                -DVIO=0x0a000000 -DVIO_IRQ=48 -DRAM_SIZE=0x200000 \
                -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) -o "$vio" tests/integration/guests/virtio.c \
                2> "$out/virtio.build.log"; then
            vm=$out/virtio.vm
            printf 'guest virtio %s 2 virtio=console\nguest hello hello-pv 16\n' "$vio" > "$vm"
            if elf=$(build_vm "$board" "$vm"); then
                qemu_err "$out/virtio.raw.err"
                (sleep 1; printf 'virtio q') | timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) \
                    -display none -serial stdio -monitor none -semihosting -kernel "$elf" > "$out/virtio.raw" 2> "$out/virtio.raw.err"; rc=$?
                guest_lines 0 "$out/virtio.raw" > "$out/virtio-g0.txt"
                guest_lines 1 "$out/virtio.raw" > "$out/virtio-g1.txt"
                nok=$(grep -c '^ok ' "$out/virtio-g0.txt")
                if [ $rc -ne 0 ]; then bad "$board virtio: monitor exit status $rc ($out/virtio.raw)"; grep -E 'FAIL|STOPPED' "$out/virtio.raw" | head -5
                elif grep -q '^FAIL' "$out/virtio-g0.txt" || ! grep -q "^RESULT virtio: $nok checks, 0 failed" "$out/virtio-g0.txt"; then
                    bad "$board virtio: the guest's checks failed ($out/virtio-g0.txt):"; grep -E '^(FAIL|RESULT)' "$out/virtio-g0.txt" | head -8
                elif ! grep -qx 'virtio-console: hello from the transmit queue' "$out/virtio-g0.txt" ||
                     ! grep -qx 'virtio-console: through an indirect table' "$out/virtio-g0.txt" ||
                     ! grep -qx 'virtio-console: working again after the bad queues' "$out/virtio-g0.txt"; then
                    bad "$board virtio: transmitted lines missing from the guest's console ($out/virtio-g0.txt)"
                elif ! grep -qx 'virtio-console: received "virtio q" through the receive queue' "$out/virtio-g0.txt"; then
                    bad "$board virtio: console input did not reach the guest's receive queue ($out/virtio-g0.txt)"
                elif ! diff -q "$out/hello-native.txt" "$out/virtio-g1.txt" > /dev/null; then
                    bad "$board virtio: the neighbour's output is not complete"
                else
                    ok "$board virtio: $nok checks: transport registers, negotiation, transmit queue to the console line, interrupt; every malformed queue -> NEEDS_RESET, a reset recovers; console input through the receive queue; neighbour finished"
                fi
            else bad "$board virtio: monitor build failed ($vm.build.log)"; fi
        else bad "$board virtio: build failed ($out/virtio.build.log)"; fi
    fi

    # --- virtio-net and virtio-blk: three vnet guests on the monitor's switch
    #     (ping-pong between guests 0 and 1, a broadcast all acknowledge; guest
    #     2 listens throughout and must see none of the unicast), beside a vblk
    #     guest on its RAM disk (write/read back, IOERR beyond the end, flush,
    #     GET_ID, data kept across a device reset).
    if [ "$board" = qemu-virt ]; then
        vflags="$dflags -DPV -DVIO=0x0a000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
        # a read-only disk image (disk=): 2049 sectors (just over 1 MiB), every
        # byte of sector k = k mod 251
        img=$out/vblk.img; : > "$img"
        k=0; while [ $k -lt 2049 ]; do
            head -c 512 /dev/zero | tr '\0' "$(printf '\\%03o' $((k % 251)))" >> "$img"; k=$((k + 1))
        done
        if arm-none-eabi-gcc $vflags -o build/$board/vnet-pv.elf tests/integration/guests/vnet.c 2> "$out/vnet.build.log" &&
           arm-none-eabi-gcc $vflags -o build/$board/vblk-pv.elf tests/integration/guests/vblk.c 2>> "$out/vnet.build.log" &&
           arm-none-eabi-gcc $vflags -DIMAGE_SECTORS=2049 -o build/$board/vblkimg-pv.elf tests/integration/guests/vblk.c 2>> "$out/vnet.build.log"; then
            vm=$out/vnet.vm
            printf 'guest n0 %s 2 virtio=net\nguest n1 %s 2 virtio=net\nguest n2 %s 2 virtio=net\nguest blk %s 2 virtio=blk\nguest img %s 2 disk=%s:ro\n' \
                build/$board/vnet-pv.elf build/$board/vnet-pv.elf build/$board/vnet-pv.elf build/$board/vblk-pv.elf \
                build/$board/vblkimg-pv.elf "$img" > "$vm"
            if elf=$(build_vm "$board" "$vm"); then
                run_qemu "$board" "$elf" "$out/vnet.raw"; rc=$?
                vfail=""
                for g in 0 1 2 3 4; do
                    guest_lines $g "$out/vnet.raw" > "$out/vnet-g$g.txt"
                    n=$(grep -c '^ok ' "$out/vnet-g$g.txt")
                    if grep -q '^FAIL' "$out/vnet-g$g.txt" || ! grep -q "^RESULT v[a-z]*: $n checks, 0 failed" "$out/vnet-g$g.txt"; then
                        vfail="$vfail g$g"
                    fi
                done
                if [ $rc -ne 0 ]; then bad "$board virtio-net-blk: monitor exit status $rc ($out/vnet.raw)"; grep -E 'FAIL|STOPPED' "$out/vnet.raw" | head -5
                elif [ -n "$vfail" ]; then bad "$board virtio-net-blk: checks failed in$vfail ($out/vnet-g*.txt)"; grep -h '^FAIL' "$out"/vnet-g*.txt | head -5
                elif ! grep -q '^ok no-unicast-of-others' "$out/vnet-g2.txt"; then bad "$board virtio-net-blk: the listening guest's isolation check is missing"
                else ok "$board virtio-net-blk: 3 guests on the virtual switch (ping-pong, broadcast, the third sees no unicast), RAM disk read/write/IOERR/flush/GET_ID/reset; a disk= image read-only with its contents"; fi
            else bad "$board virtio-net-blk: monitor build failed ($vm.build.log)"; fi
        else bad "$board virtio-net-blk: build failed ($out/vnet.build.log)"; fi
    fi
    # --- device assignment (assign=, docs/devices.md): the owner gets the page
    #     of QEMU's virtio-mmio slots 24-31 (a virtio-rng device in slot 31,
    #     interrupt ID 79, added to this test's QEMU only, modern transport),
    #     reads its ID registers and writes its Status, directly; the pages
    #     around it abort for it, also through its own page tables at another
    #     VA; it drives the device (placed at=its RAM IPA, so that the
    #     device's DMA lands in its buffers) and gets its interrupt in its
    #     vGIC, level-triggered (pending again after an EOI while the device
    #     asserts it, quiet after the device's ACK and an EOI); the neighbour
    #     gets the external abort of an empty address on the same registers
    #     (DFSR 0x008, DFAR) and never sees interrupt 79.
    if [ "$board" = qemu-virt ]; then
        afl="$dflags -DPV -DIRQ=79 -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) -DGICC=$(make -s BOARD="$board" print-BOARD_GICC_BASE)"
        if arm-none-eabi-gcc $afl -DOWNER -Wl,-Ttext=$(printf '0x%x' $ram) -o build/$board/assign-owner-pv.elf tests/integration/guests/assign.c 2> "$out/assign.build.log" &&
           arm-none-eabi-gcc $afl -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) -o build/$board/assign-other-pv.elf tests/integration/guests/assign.c 2>> "$out/assign.build.log"; then
            vm=$out/assign.vm
            printf 'guest owner %s 1 at=%s assign=0x0a003000:0x1000:79:dma-trusted\nguest other %s 2\n' \
                build/$board/assign-owner-pv.elf "$(printf '0x%x' $ram)" build/$board/assign-other-pv.elf > "$vm"
            if elf=$(build_vm "$board" "$vm"); then
                qemu_err "$out/assign.raw.err"
                timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) \
                    -device virtio-rng-device -global virtio-mmio.force-legacy=false \
                    -display none -serial stdio -monitor none -semihosting -kernel "$elf" < /dev/null \
                    > "$out/assign.raw" 2> "$out/assign.raw.err"; rc=$?
                afail=""
                for g in 0 1; do
                    guest_lines $g "$out/assign.raw" > "$out/assign-g$g.txt"
                    n=$(grep -c '^ok ' "$out/assign-g$g.txt")
                    if grep -q '^FAIL' "$out/assign-g$g.txt" || [ "$n" -lt 4 ] ||
                       ! grep -q "^RESULT assign: 0*$n checks, 0 failed" "$out/assign-g$g.txt"; then
                        afail="$afail g$g"
                    fi
                done
                if [ $rc -ne 0 ]; then bad "$board assign: monitor exit status $rc ($out/assign.raw)"; grep -E 'FAIL|STOPPED' "$out/assign.raw" | head -5
                elif [ -n "$afail" ]; then bad "$board assign: checks failed in$afail ($out/assign-g*.txt)"; grep -h '^FAIL' "$out"/assign-g*.txt | head -8
                elif ! grep -q '^ok device-id-entropy' "$out/assign-g0.txt" || ! grep -q '^ok level-pending-again-after-eoi' "$out/assign-g0.txt" ||
                     ! grep -q '^ok other-load-magic' "$out/assign-g1.txt" || ! grep -q '^ok other-never-gets-the-owners-interrupt' "$out/assign-g1.txt"; then
                    bad "$board assign: one of the owner's or the neighbour's main checks is missing"
                elif ! grep -q 'guest 0 (owner): assigned device 0x0a003000-0x0a003fff (dma-trusted), interrupt 79' "$out/assign.raw"; then
                    bad "$board assign: the monitor did not report the assignment"
                elif grep -q 'unexpected interrupt' "$out/assign.raw"; then
                    bad "$board assign: the monitor saw the assigned interrupt as unexpected"
                else ok "$board assign: the owner reads QEMU's virtio-rng ID registers and writes its Status through its assigned page (MMU off and at another VA through its own tables), drives it and gets its interrupt in its vGIC with level semantics; the pages around it and, for the neighbour, the device itself give external aborts with DFSR/DFAR, and the interrupt never reaches the neighbour"; fi
            else bad "$board assign: monitor build failed ($vm.build.log)"; fi
        else bad "$board assign: build failed ($out/assign.build.log)"; fi
    fi
    # --- device assignment with the board's PL031 RTC (no DMA: no at=, no
    #     dma-trusted), on qemu-virt (0x09010000, ID 34) and the Cortex-A9
    #     board (0x10017000, ID 36): its PrimeCell IDs, the alarm's raw and
    #     masked status, its interrupt in the owner's vGIC with level
    #     semantics (pending again after an EOI until RTCICR clears it), the
    #     device at another VA through the owner's tables; the neighbour's
    #     accesses abort and it never sees the interrupt.
    rtc=""
    case "$board" in qemu-virt) rtc=0x09010000 rtcirq=34 ;; qemu-vexpress-a9) rtc=0x10017000 rtcirq=36 ;; esac
    if [ -n "$rtc" ]; then
        rfl="$dflags -DPV -DPL031=$rtc -DIRQ=$rtcirq -DGICD=$(make -s BOARD="$board" print-BOARD_GICD_BASE) -DGICC=$(make -s BOARD="$board" print-BOARD_GICC_BASE) -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
        if arm-none-eabi-gcc $rfl -DOWNER -o build/$board/assignrtc-owner-pv.elf tests/integration/guests/assign.c 2> "$out/assignrtc.build.log" &&
           arm-none-eabi-gcc $rfl -o build/$board/assignrtc-other-pv.elf tests/integration/guests/assign.c 2>> "$out/assignrtc.build.log"; then
            vm=$out/assignrtc.vm
            printf 'guest owner %s 2 assign=%s:0x1000:%s\nguest other %s 2\n' \
                build/$board/assignrtc-owner-pv.elf $rtc $rtcirq build/$board/assignrtc-other-pv.elf > "$vm"
            if elf=$(build_vm "$board" "$vm"); then
                run_qemu "$board" "$elf" "$out/assignrtc.raw"; rc=$?
                afail=""
                for g in 0 1; do
                    guest_lines $g "$out/assignrtc.raw" > "$out/assignrtc-g$g.txt"
                    n=$(grep -c '^ok ' "$out/assignrtc-g$g.txt")
                    if grep -q '^FAIL' "$out/assignrtc-g$g.txt" || [ "$n" -lt 4 ] ||
                       ! grep -q "^RESULT assign: $n checks, 0 failed" "$out/assignrtc-g$g.txt"; then
                        afail="$afail g$g"
                    fi
                done
                if [ $rc -ne 0 ]; then bad "$board assign-rtc: monitor exit status $rc ($out/assignrtc.raw)"; grep -E 'FAIL|STOPPED' "$out/assignrtc.raw" | head -5
                elif [ -n "$afail" ]; then bad "$board assign-rtc: checks failed in$afail ($out/assignrtc-g*.txt)"; grep -h '^FAIL' "$out"/assignrtc-g*.txt | head -8
                elif ! grep -q '^ok pl031-periph-id' "$out/assignrtc-g0.txt" || ! grep -q '^ok level-pending-again-after-eoi' "$out/assignrtc-g0.txt" ||
                     ! grep -q '^ok other-load-rtc-counter' "$out/assignrtc-g1.txt" || ! grep -q '^ok other-never-gets-the-owners-interrupt' "$out/assignrtc-g1.txt"; then
                    bad "$board assign-rtc: one of the owner's or the neighbour's main checks is missing"
                elif grep -q 'unexpected interrupt' "$out/assignrtc.raw"; then
                    bad "$board assign-rtc: the monitor saw the assigned interrupt as unexpected"
                else ok "$board assign-rtc: the owner drives the board's PL031 at $rtc (IDs, alarm) and gets interrupt $rtcirq in its vGIC, level-triggered; the neighbour's accesses abort and it never sees the interrupt"; fi
            else bad "$board assign-rtc: monitor build failed ($vm.build.log)"; fi
        else bad "$board assign-rtc: build failed ($out/assignrtc.build.log)"; fi
    fi
    # --- the board's system registers (0x10000000) on the boards that have
    #     them: identity, 24 MHz counter, flags, LEDs; vexpress powers off
    #     through SYS_CFGCTRL (drivers/emul/sysregs.c): identical to native
    case $board in qemu-vexpress-a9|qemu-realview-pb-a8)
    if bare $board $bd/sysregs-native.elf $bd/sysregs-pv.elf > "$out/sysregs.build.log" 2>&1; then
        run_qemu "$board" $bd/sysregs-native.elf "$out/sysregs-native.raw"; rcn=$?
        tr -d '\r' < "$out/sysregs-native.raw" | grep -E '^(ok|FAIL|RESULT|sysregs)' > "$out/sysregs-native.txt"
        echo "guest sysregs $bd/sysregs-pv.elf 2" > "$out/sysregs.vm"
        if elf=$(build_vm "$board" "$out/sysregs.vm"); then
            run_qemu "$board" "$elf" "$out/sysregs-pv.raw"; rc=$?
            guest_lines 0 "$out/sysregs-pv.raw" > "$out/sysregs-pv.txt"
            if [ $rcn -ne 0 ] || [ $rc -ne 0 ]; then bad "$board sysregs: exit status native $rcn, pv $rc ($out/sysregs-pv.raw)"
                grep -E 'FAIL|STOPPED' "$out/sysregs-pv.raw" | head -5
            elif ! grep -q '^RESULT sysregs' "$out/sysregs-pv.txt" || grep -q FAIL "$out/sysregs-pv.txt"; then
                bad "$board sysregs: the guest's checks failed ($out/sysregs-pv.txt)"; cat "$out/sysregs-pv.txt"
            elif ! diff -u "$out/sysregs-native.txt" "$out/sysregs-pv.txt" > "$out/sysregs.diff"; then
                bad "$board sysregs: differs from the board ($out/sysregs.diff)"; head -10 "$out/sysregs.diff"
            elif [ $board = qemu-vexpress-a9 ] && ! grep -q 'guest 0 (sysregs) powered off (board system registers)' "$out/sysregs-pv.raw"; then
                bad "$board sysregs: the SYS_CFGCTRL power-off did not end the guest"
            else ok "$board sysregs: SYS_ID, SYS_PROCID0, 24 MHz counter, flags, LEDs$([ $board = qemu-vexpress-a9 ] && echo ', power-off through SYS_CFGCTRL') identical to the board"; fi
        else bad "$board sysregs: monitor build failed"; fi
    else bad "$board sysregs: build failed ($out/sysregs.build.log)"; fi ;;
    esac

    # --- exit status: a guest's status is the monitor's and QEMU's exit
    #     status: the SMCCC vendor call (exitcode, status 3), and an outside
    #     program ending through semihosting SYS_EXIT_EXTENDED patched by
    #     pvpatch --semihosting-exit (exitsemi, status 5, as natively)
    ec=$bd/exitcode.elf es=$bd/exitsemi.elf
    if bare $board "$ec" "$es" > "$out/exit.build.log" 2>&1 && make -s pvpatch >> "$out/exit.build.log" 2>&1 &&
       $PVPATCH --semihosting-exit --tramp-addr "$(printf '0x%x' $((ram + 0x200000)))" "$es" \
            -o "$out/exitsemi-pv.elf" >> "$out/exit.build.log" 2>&1; then
        run_qemu "$board" "$es" "$out/exitsemi-native.raw"; rcn=$?
        echo "guest exitcode $ec 4" > "$out/exitcode.vm"
        echo "guest exitsemi $out/exitsemi-pv.elf 4" > "$out/exitsemi.vm"
        if elf=$(build_vm "$board" "$out/exitcode.vm") && elf2=$(build_vm "$board" "$out/exitsemi.vm"); then
            run_qemu "$board" "$elf" "$out/exitcode.raw"; rc1=$?
            run_qemu "$board" "$elf2" "$out/exitsemi.raw"; rc2=$?
            if [ $rc1 -ne 3 ] || ! grep -q 'guest 0 (exitcode) ended through the vendor hypervisor call with status 3' "$out/exitcode.raw" ||
               ! grep -q 'monitor: exit status 3' "$out/exitcode.raw"; then
                bad "$board exit-status: vendor call with status 3: QEMU exit status $rc1 ($out/exitcode.raw)"
            elif [ $rcn -ne 5 ] || [ $rc2 -ne 5 ] || ! grep -q 'guest 0 (exitsemi) exited with status 5' "$out/exitsemi.raw"; then
                bad "$board exit-status: semihosting exit 5: native $rcn, patched under the monitor $rc2 ($out/exitsemi.raw)"
            else
                ok "$board exit-status: a guest's status (vendor call 3, semihosting exit 5 through pvpatch) is the monitor's and QEMU's"
            fi
        else bad "$board exit-status: monitor build failed"; fi
    else bad "$board exit-status: build failed ($out/exit.build.log)"; fi

    # --- isolation: an attacker maps every IPA outside its RAM, an L2 table and
    #     TTBR0 outside it, then the monitor window; the victim's canaries hold
    #     (PV only: natively there is real memory at those addresses)
    if make -s BOARD="$board" GUEST_NAMES=hello guests-pv-only "build/$board/guests/hello-pv.elf" \
            > "$out/isolation.build.log" 2>&1; then
        vm=$out/isolation.vm
        printf 'guest victim victim-pv 16\nguest attacker attacker-pv 16\nguest hello hello-pv 16\n' > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/isolation.raw"; rc=$?
            for i in 0 1 2; do guest_lines $i "$out/isolation.raw" > "$out/isolation-g$i.txt"; done
            tr -d '\r' < "$out/isolation.raw" > "$out/isolation.txt"
            missing=""
            for c in mmu-on sweep-store sweep-load window-ipas exec-outside own-uart real-devices l2-outside-0 \
                     l2-outside-4 page-outside 'ttbr[01]-outside-0' 'ttbr[01]-outside-4' hc-write-outside-0 \
                     window-unmapped no-write-landed no-unexpected; do
                grep -q "^ok   $c: " "$out/isolation-g1.txt" || missing="$missing $c"
            done
            stop=$(grep -n 'guest 1 (attacker) STOPPED: .*inside the monitor window' "$out/isolation.txt" | cut -d: -f1)
            intact=$(grep -n '^\[g0\] ok   canaries: victim canaries intact' "$out/isolation.txt" | cut -d: -f1)
            aborts=$(sed -n 's/^ok   no-write-landed: \([0-9]*\) aborts.*/\1/p' "$out/isolation-g1.txt")
            if [ $rc -ne 100 ]; then bad "$board isolation: monitor exit status $rc, expected 100 (attacker stopped) ($out/isolation.raw)"
                grep -E 'FAIL|STOPPED|PANIC' "$out/isolation.txt" | head -5
            elif grep -q '^FAIL' "$out/isolation-g1.txt" || [ -n "$missing" ] ||
                 ! grep -q '^RESULT attacker: [0-9]* checks, 0 failed' "$out/isolation-g1.txt"; then
                bad "$board isolation: attacker checks failed (missing:${missing:- none}):"
                grep -E '^(FAIL|RESULT)' "$out/isolation-g1.txt" | head -10
            elif [ -z "$stop" ]; then
                bad "$board isolation: attacker not stopped 'inside the monitor window' ($out/isolation.raw)"
                grep -E 'STOPPED|attacker' "$out/isolation.txt" | tail -5
            elif ! grep -q '^victim ready$' "$out/isolation-g0.txt" || [ -z "$intact" ] ||
                 ! grep -q 'guest 0 (victim) exited with status 0$' "$out/isolation.txt"; then
                bad "$board isolation: victim's canaries not intact or it did not exit 0:"; cat "$out/isolation-g0.txt"
            elif [ "$intact" -lt "$stop" ]; then
                bad "$board isolation: the victim finished before the attacker did (line $intact < $stop): lengthen its yield loop"
            elif ! grep -q '^RESULT hello: [0-9]* checks, 0 failed' "$out/isolation-g2.txt" ||
                 { [ -f "$out/hello-native.txt" ] && ! diff -q "$out/hello-native.txt" "$out/isolation-g2.txt" > /dev/null; }; then
                bad "$board isolation: the neighbour hello did not finish cleanly ($out/isolation-g2.txt)"
            else
                ok "$board isolation: $aborts aborts (ext 0x008, walk 0x00c/0x00e), no write landed, attacker stopped at the monitor window; victim canaries intact after it; hello finished"
            fi
        else bad "$board isolation: monitor build failed (see $vm.build.log)"; fi
    else bad "$board isolation: guest build failed ($out/isolation.build.log)"; fi

    # --- attacks: seven attack guests (guest-stubs/attack/, docs/security.md)
    #     beside the victim: hypercall abuse, crafted PSRs and exception
    #     returns, SRFA tampering, vGIC abuse, exception storms, a recursive
    #     fault.  Each checks the architected result of every attack itself
    #     (DFSR/IFSR/LR/mode values); here: every check passed and is there,
    #     nothing but check lines was printed (no bad buffer reached the
    #     console), the four that must be stopped are, with the monitor's
    #     message naming the mode or fault, and the victim's canaries hold
    #     after all of them, its output complete.
    atk="attack-hc attack-psr attack-psr-hyp attack-psr-rfe attack-psr-spsr attack-gic attack-storm"
    if make -s BOARD="$board" guests-pv-only > "$out/attacks.build.log" 2>&1; then
        vm=$out/attacks.vm
        { echo "guest victim victim-pv 16"; for a in $atk; do echo "guest $a $a-pv 16"; done; } > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/attacks.raw"; rc=$?
            tr -d '\r' < "$out/attacks.raw" > "$out/attacks.txt"
            for i in 0 1 2 3 4 5 6 7; do guest_lines $i "$out/attacks.raw" > "$out/attacks-g$i.txt"; done
            why=""
            # the checks each attacker must report (ok), by guest number
            want_1="hc-numbers hc-valid hc-write-len hc-write-zero hc-write-ptr-0 hc-write-ptr-1 hc-write-ptr-2
                    hc-write-ptr-3 hc-write-ptr-4 hc-write-ptr-5 hc-write-ptr-6 hc-write-ptr-7 hc-write-ptr-8
                    hc-write-ptr-9 hc-exit-status hc-from-user hc-remap-0 hc-remap-1 hc-remap-2 hc-remap-3
                    hc-storm no-unexpected"
            want_psr="raw-cps-mon-svc raw-cpsid-hyp-svc raw-msr-mon-svc raw-msr-sys-svc raw-mrs-spsr-und
                    raw-msr-spsr-und raw-movs-pc-lr-und raw-ldm-hat-und raw-rfe-und raw-srs-und user-cps-msr
                    spsr-user-j every-vmode window-load no-unexpected"
            [ "${SRFA:-1}" = 0 ] || want_psr="$want_psr srfa-junk srfa-window-load srfa-user srfa-ro-store srfa-ro-spill"
            want_6="gic-reserved-raz gic-reserved-wi gic-past-frame sgi-absent-list sgi-absent-others
                    sgi-absent-reserved sgi-absent-empty sgi-self prio-mask target-ro eoi-abuse ack-storm
                    irq-storm no-unexpected"
            want_7="undef-storm dabt-storm pabt-storm svc-storm no-unexpected"
            i=1
            for a in $atk; do
                case $i in 1) w=$want_1 ;; 2|3|4|5) w=$want_psr ;; 6) w=$want_6 ;; 7) w=$want_7 ;; esac
                f=$out/attacks-g$i.txt
                for c in $w; do grep -q "^ok   $c: " "$f" || why="$why [$a: no 'ok $c']"; done
                grep -q '^FAIL' "$f" && why="$why [$a: $(grep -m1 '^FAIL' "$f")]"
                grep -q "^RESULT attack-[a-z]*: [0-9]* checks, 0 failed" "$f" || why="$why [$a: no clean RESULT]"
                stray=$(grep -vE '^(ok   |RESULT |attack-[a-z]+: |remap-A$)' "$f" | head -1)
                [ -n "$stray" ] && why="$why [$a printed '$stray']"
                i=$((i + 1))
            done
            for st in '1 (attack-hc) exited with status 0$' '6 (attack-gic) exited with status 0$' \
                      '2 (attack-psr) STOPPED: attempt to enter absent or reserved mode 0x16 ' \
                      '3 (attack-psr-hyp) STOPPED: attempt to enter absent or reserved mode 0x1a ' \
                      '4 (attack-psr-rfe) STOPPED: attempt to enter absent or reserved mode 0x15 ' \
                      '5 (attack-psr-spsr) STOPPED: attempt to enter absent or reserved mode 0x1a ' \
                      '7 (attack-storm) STOPPED: recursive prefetch abort: its prefetch-abort vector at 0x3000000c '; do
                grep -q "^monitor: guest $st" "$out/attacks.txt" || why="$why [no 'guest $st']"
            done
            # the unknown hypercalls (HC_COUNT..255): 8 reported, then one line for the rest (no flooding)
            nunk=$(grep -c '^monitor: guest 1 (attack-hc): unknown hypercall ' "$out/attacks.txt")
            if [ "$nunk" -ne 9 ] || ! grep -q '^monitor: guest 1 (attack-hc): unknown hypercall .*further unknown hypercalls of this guest get -ENOSYS unreported$' "$out/attacks.txt"; then
                why="$why [unknown hypercalls: $nunk monitor lines, expected 8 + 1 'further ... unreported']"
            fi
            # the victim: complete output, canaries intact after every attacker's last line
            intact=$(grep -n '^\[g0\] ok   canaries: victim canaries intact' "$out/attacks.txt" | cut -d: -f1)
            last=$(grep -nE '^\[g[1-7]\] |^monitor: guest [1-7] \(attack' "$out/attacks.txt" | tail -1 | cut -d: -f1)
            if [ "$(wc -l < "$out/attacks-g0.txt")" -ne 4 ] || ! grep -q '^victim ready$' "$out/attacks-g0.txt" ||
               ! grep -q '^RESULT victim: 1 checks, 0 failed' "$out/attacks-g0.txt" || [ -z "$intact" ]; then
                why="$why [victim output incomplete or canaries changed: $(grep -E '^(FAIL|ok)' "$out/attacks-g0.txt" | head -1)]"
            elif [ "$intact" -lt "${last:-0}" ]; then
                why="$why [the victim finished (line $intact) before the attackers did (line $last)]"
            fi
            grep -q '^monitor: all guests finished: victim=0 attack-hc=0 attack-psr=stopped/-1 attack-psr-hyp=stopped/-1 attack-psr-rfe=stopped/-1 attack-psr-spsr=stopped/-1 attack-gic=0 attack-storm=stopped/-1$' \
                "$out/attacks.txt" || why="$why [no 'all guests finished' line with the expected statuses]"
            if [ $rc -ne 100 ]; then bad "$board attacks: monitor exit status $rc, expected 100 ($out/attacks.txt)"
                grep -E 'FAIL|STOPPED|PANIC' "$out/attacks.txt" | head -5
            elif [ -n "$why" ]; then bad "$board attacks ($out/attacks.txt):$why"
            else
                n=$(cat "$out"/attacks-g[1-7].txt | grep -c '^ok   ')
                ok "$board attacks: 7 attack guests, $n checks passed (hypercalls, PSRs/exception returns, SRFA, vGIC, storms); 4 forbidden modes and a recursive fault stopped by name; victim canaries intact after all"
            fi
        else bad "$board attacks: monitor build failed (see $vm.build.log)"; fi
    else bad "$board attacks: guest build failed ($out/attacks.build.log)"; fi

    # --- monitor hygiene (arch/arm/mmu.c): at boot the monitor checks through
    #     its MMU that its text and rodata are read-only (guarded stores
    #     fault), every stack's guard page is unmapped (guarded loads fault)
    #     and nothing outside the text is executable; the attacks run above
    #     printed it
    if [ -f "$out/attacks.txt" ]; then
        if grep -q '^monitor: hygiene: checked: store to text faulted, store to rodata faulted, 5 of 5 guard pages faulted, 0 executable pages outside the text$' "$out/attacks.txt"; then
            ok "$board hygiene: monitor text/rodata read-only (stores faulted), data/bss/stacks/pool execute-never, 5 stack guard pages (loads faulted)"
        else
            bad "$board hygiene: $(grep -m1 '^monitor: hygiene: [A-Z]' "$out/attacks.txt" || echo 'no hygiene line') ($out/attacks.txt)"
        fi
    fi

    # --- srfa: the shadow register file and the fast instruction trap,
    #     checked by a PV-only guest beside a neighbour (hello)
    if make -s BOARD="$board" GUEST_NAMES=hello guests-pv-only "build/$board/guests/hello-pv.elf" \
            > "$out/srfa.build.log" 2>&1; then
        vm=$out/srfa.vm
        printf 'guest srfa srfa-pv 16\nguest hello hello-pv 16\n' > "$vm"
        if elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/srfa.raw"; rc=$?
            guest_lines 0 "$out/srfa.raw" > "$out/srfa.txt"
            res=$(grep '^RESULT srfa: ' "$out/srfa.txt")
            fits=$(tr -d '\r' < "$out/srfa.raw" | sed -n '/guest 0 (srfa) trap statistics/,/total/p' |
                   sed -n 's/.*fast-trap (FIT) *\([0-9]*\)/\1/p')
            patches=$(tr -d '\r' < "$out/srfa.raw" | sed -n '/guest 0 (srfa) trap statistics/,/total/p' |
                   sed -n 's/.*fit-self-patch *\([0-9]*\)/\1/p')
            if [ $rc -ne 0 ] || ! echo "$res" | grep -q ', 0 failed'; then
                bad "$board srfa: exit status $rc, ${res:-no RESULT line} ($out/srfa.raw)"
                grep -E '^FAIL|STOPPED|PANIC' "$out/srfa.txt" "$out/srfa.raw" | head -8
            elif [ "${SRFA:-1}" = 0 ]; then
                if grep -q '^srfa: SKIP: ' "$out/srfa.txt"; then
                    echo "SKIP $board srfa: monitor built with SRFA=0 (the guest saw no page and said so)"
                else bad "$board srfa: SRFA=0 but the guest found an SRFA page"; fi
            elif [ "${FIT:-1}" = 0 ]; then
                if [ -n "$patches" ]; then bad "$board srfa: FIT=0 but $patches instructions were self-patched"
                else ok "$board srfa (FIT=0): ${res#RESULT srfa: }; no self-patching, FIT ops by the slow path"; fi
            elif [ "${patches:-0}" -lt 2 ] || [ "${fits:-0}" -lt 250 ]; then
                bad "$board srfa: expected >= 2 self-patches (the two probes) and >= 250 FIT ops, got ${patches:-0} and ${fits:-0}"
            else ok "$board srfa: ${res#RESULT srfa: }; $patches self-patched instructions, $fits FIT ops; hello finished"; fi
        else bad "$board srfa: monitor build failed"; fi
    else bad "$board srfa: build failed ($out/srfa.build.log)"; fi

    # --- starvation: a guest spinning with interrupts masked (hog, never
    #     yields) beside three sleepers (10 timed waits of 50 ms through the
    #     timer interrupt and WFI): the sleepers still finish on time, judged
    #     by their own guest-visible clock (total within 500..1500 ms), with
    #     output identical to a native sleeper running alone; the host timer
    #     took the CPU from the hog again and again
    if make -s BOARD="$board" GUEST_NAMES=sleeper guests-pv-only "build/$board/guests/sleeper-native.elf" \
            "build/$board/guests/sleeper-pv.elf" > "$out/starve.build.log" 2>&1; then
        run_qemu "$board" "build/$board/guests/sleeper-native.elf" "$out/starve-native.raw"; rcn=$?
        tr -d '\r' < "$out/starve-native.raw" > "$out/starve-native.txt"
        vm=$out/starve.vm
        printf 'guest hog hog-pv 16\nguest sleeper1 sleeper-pv 16\nguest sleeper2 sleeper-pv 16\nguest sleeper3 sleeper-pv 16\n' > "$vm"
        if [ $rcn -ne 0 ] || ! grep -q '^RESULT sleeper: [0-9]* checks, 0 failed' "$out/starve-native.txt"; then
            bad "$board starvation: native sleeper: exit status $rcn ($out/starve-native.txt)"
            grep -E '^FAIL' "$out/starve-native.txt" | head -5
        elif elf=$(build_vm "$board" "$vm"); then
            run_qemu "$board" "$elf" "$out/starve.raw"; rc=$?
            for i in 0 1 2 3; do guest_lines $i "$out/starve.raw" > "$out/starve-g$i.txt"; done
            dh=$(sed -n '/guest 0 (hog) trap statistics/,/total/p' "$out/starve.raw" | sed -n 's/.*descheduled *//p' | tr -dc '0-9')
            differ=""
            for i in 1 2 3; do
                diff -u "$out/starve-native.txt" "$out/starve-g$i.txt" > "$out/starve-g$i.diff" || differ="$differ $i"
            done
            if [ $rc -ne 0 ]; then bad "$board starvation: monitor exit status $rc ($out/starve.raw)"
                grep -E 'FAIL|STOPPED|PANIC' "$out/starve.raw" | head -8
            elif [ -n "$differ" ]; then
                bad "$board starvation: sleeper(s)$differ differ from the native sleeper ($out/starve-g*.diff)"
                for i in $differ; do grep -E '^[-+](ok|FAIL)' "$out/starve-g$i.diff" | head -4; done
            elif [ "$(cat "$out/starve-g0.txt")" != "hog: spun 2000 ms of guest time with interrupts masked, never yielding" ]; then
                bad "$board starvation: the hog's line is missing or wrong ($out/starve-g0.txt)"; head -5 "$out/starve-g0.txt"
            elif [ "${dh:-0}" -lt 10 ]; then
                bad "$board starvation: the hog was descheduled only ${dh:-0} times (expected >= 10)"
            else
                ok "$board starvation: 3 sleepers on time (guest-visible time) beside a guest spinning with IRQs masked, identical to native; hog descheduled $dh times"
            fi
        else bad "$board starvation: monitor build failed (see $vm.build.log)"; fi
    else bad "$board starvation: guest build failed ($out/starve.build.log)"; fi

    # --- reset loop: a guest that asks for a system reset (PSCI) at every
    #     boot beside a guest measuring its CPU share on its own clock.  The
    #     monitor's work on the resetter's behalf (clearing its 32 MiB,
    #     reloading it, its console lines) runs with interrupts masked; it
    #     must be charged to it instead of starting it a fresh time slice
    #     (issue 15 item 3: the neighbour got 0.3%, against about 45% beside
    #     a plain spinning guest).  The same neighbour beside the same guest
    #     built to spin forever is the baseline (host load moves both): the
    #     neighbour must get at least a third of its baseline share (fair:
    #     about all of it).  Neither companion ends: each run is stopped once
    #     the neighbour has exited.
    share_run() {  # NAME COMPANION-ELF -> "$pct $resets" (empty on failure)
        local vm=$out/$1.vm raw=$out/$1.raw elf qpid
        printf 'guest resetter %s 32\nguest share share-pv 16\n' "$2" > "$vm"
        elf=$(build_vm "$board" "$vm") || { echo "build"; return; }
        : > "$raw"                  # no earlier run's lines for the wait below
        timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio \
            -monitor none -semihosting -kernel "$elf" < /dev/null > "$raw" 2>&1 &
        qpid=$!
        for _ in $(seq $((TIMEOUT * 2))); do
            grep -q 'guest 1 (share) exited' "$raw" && break
            kill -0 $qpid 2> /dev/null || break
            sleep 0.5
        done
        kill $qpid 2> /dev/null; wait $qpid 2> /dev/null
        guest_lines 1 "$raw" > "$out/$1-g1.txt"
        grep -q -E 'STOPPED|PANIC' "$raw" && { echo "stopped"; return; }
        tr -d '\r' < "$raw" | grep -q 'guest 1 (share) exited with status 0$' || { echo "unfinished"; return; }
        echo "$(sed -n 's/^share: ran \([0-9]*\)% of .*/\1/p' "$out/$1-g1.txt")" \
             "$(tr -d '\r' < "$raw" | grep -c '^monitor: guest 0 (resetter) asked for a system reset')"
    }
    if make -s BOARD="$board" GUEST_NAMES=hello "build/$board/guests/share-pv.elf" > "$out/resetloop.build.log" 2>&1 &&
       arm-none-eabi-gcc $dflags -DRAM_SIZE=0x2000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            -o build/$board/resetter.elf tests/integration/guests/resetter.c 2>> "$out/resetloop.build.log" &&
       arm-none-eabi-gcc $dflags -DSPIN -DRAM_SIZE=0x2000000 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            -o build/$board/spinforever.elf tests/integration/guests/resetter.c 2>> "$out/resetloop.build.log"; then
        base=$(share_run resetloop-base build/$board/spinforever.elf)
        res=$(share_run resetloop build/$board/resetter.elf)
        set -- $base; bpct=${1:-x}; set -- $res; rpct=${1:-x} resets=${2:-0}
        case "$bpct$rpct" in
        *[!0-9]*) bad "$board reset-loop: a run failed: beside a spinner '$base', beside the reset loop '$res' ($out/resetloop*.raw)" ;;
        *)  if [ "$resets" -lt 3 ]; then bad "$board reset-loop: the resetter reset only $resets times (expected a loop)"
            elif [ $((rpct * 3)) -lt "$bpct" ]; then
                bad "$board reset-loop: the neighbour got $rpct% of the CPU beside a guest resetting at every boot ($resets resets), $bpct% beside a spinning one: starved"
            else ok "$board reset-loop: the neighbour got $rpct% of the CPU (its own clock) beside a guest resetting at every boot ($resets resets), $bpct% beside a spinning one"; fi ;;
        esac
    else bad "$board reset-loop: guest build failed ($out/resetloop.build.log)"; fi

    # --- big image: the monitor's memory left for shadow page tables is what
    #     the embedded guest images leave of its 8 MiB.  Each guest's shadow
    #     tables are reserved at boot (issue 15 item 2: they were allocated
    #     as its address spaces appeared, and running out was a monitor
    #     panic).  With a 5 MiB image beside the mmu guest (which switches
    #     among 6 address spaces, more than the 4 cached): both run, the mmu
    #     guest identical to native.  With a 7 MiB image: not enough is left,
    #     and both guests are refused at boot, saying what they need.
    if [ -f "$out/mmu-native.txt" ] && make -s BOARD="$board" GUEST_NAMES=mmu "build/$board/guests/mmu-pv.elf" > "$out/big.build.log" 2>&1 &&
       arm-none-eabi-gcc $dflags -DBLOB_KIB=5120 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            -o build/$board/big5.elf tests/integration/guests/bigimage.c 2>> "$out/big.build.log" &&
       arm-none-eabi-gcc $dflags -DBLOB_KIB=7168 -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000))) \
            -o build/$board/big7.elf tests/integration/guests/bigimage.c 2>> "$out/big.build.log"; then
        printf 'guest big build/%s/big5.elf 16\nguest mmu mmu-pv 16\n' "$board" > "$out/big5.vm"
        printf 'guest big build/%s/big7.elf 16\nguest mmu mmu-pv 16\n' "$board" > "$out/big7.vm"
        if elf5=$(GN="$GN mmu" build_vm "$board" "$out/big5.vm") && elf7=$(GN="$GN mmu" build_vm "$board" "$out/big7.vm"); then
            run_qemu "$board" "$elf5" "$out/big5.raw"; rc5=$?
            run_qemu "$board" "$elf7" "$out/big7.raw"; rc7=$?
            guest_lines 1 "$out/big5.raw" > "$out/big5-mmu.txt"
            if grep -q -E 'PANIC|STOPPED' "$out/big5.raw" "$out/big7.raw"; then
                bad "$board big-image: panic or stop ($out/big5.raw, $out/big7.raw)"; grep -h -E 'PANIC|STOPPED' "$out/big5.raw" "$out/big7.raw" | head -3
            elif [ $rc5 -ne 0 ] || ! tr -d '\r' < "$out/big5.raw" | grep -q '^\[g0\] big: image intact'; then
                bad "$board big-image: with a 5 MiB image: exit status $rc5 ($out/big5.raw)"; grep -E 'bad image|need up to' "$out/big5.raw" | head -3
            elif ! diff -u "$out/mmu-native.txt" "$out/big5-mmu.txt" > "$out/big5-mmu.diff"; then
                bad "$board big-image: the mmu guest beside a 5 MiB image differs from native ($out/big5-mmu.diff)"; head -8 "$out/big5-mmu.diff"
            elif [ $rc7 -ne 126 ] || [ "$(tr -d '\r' < "$out/big7.raw" | grep -c "^monitor: guest [01] (big\|mmu): its shadow page tables need up to [0-9]* KiB of the monitor's memory")" -ne 2 ]; then
                bad "$board big-image: with a 7 MiB image the guests were not both refused at boot with a message (exit status $rc7, expected 126: $out/big7.raw)"
            else ok "$board big-image: a 5 MiB image and the mmu guest (6 address spaces) run, identical to native; with a 7 MiB image both are refused at boot: $(tr -d '\r' < "$out/big7.raw" | grep -m1 'its shadow page tables need' | sed 's/^monitor: //; s/: give the VM.*//')"; fi
        else bad "$board big-image: monitor build failed ($out/big5.vm.build.log, $out/big7.vm.build.log)"; fi
    else bad "$board big-image: guest build failed or no native mmu run ($out/big.build.log)"; fi

    # --- guest RAM on demand (issue 19; VM file backing=demand min=MIB;
    #     mm/gpmap.c).  One self-contained block (the three QEMU boards,
    #     256 MiB of RAM; on the RealView the pool's first chunk is at PA 0):
    #     sparse: a 64 MiB guest touching 4 MiBs far apart beside hello: only
    #       those, its image's MiB and its DTB's MiB are backed (6 MiB, as the
    #       console's numbers at its exit say);
    #     overcommit: 3 static 64 MiB guests leave a 56 MiB pool to a (32 MiB,
    #       min 24), b (32, min 24), c (32, no minimum) and d (16, late):
    #       120 MiB configured.  a and b touch 20 MiB within their minimums;
    #       c runs the pool dry and is stopped with the message naming it,
    #       the IPA and the sizes, its 6 MiB go back; d, after spinning,
    #       allocates chunks c held and finds every word zero; the rest finish;
    #     refusal: minimums that cannot fit beside the static guests, and
    #       at= with backing=demand, are refused when the VM is built;
    #     console: `mem` shows the numbers; a reset guest is backed anew.
    if [ "$board" = qemu-virt ] || [ "$board" = qemu-vexpress-a9 ] || [ "$board" = qemu-realview-pb-a8 ]; then
        dm=build/$board/demand; mkdir -p "$dm"
        dry=$(printf '0x%08x' $((ram + 0x600000)))     # the 7th MiB of c's RAM
        dmflags="$dflags -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
        if arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=8,24,40,56' -o $dm/sparse.elf tests/integration/guests/demand.c 2> "$out/demand.build.log" &&
           arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21' \
                -o $dm/touch20.elf tests/integration/guests/demand.c 2>> "$out/demand.build.log" &&
           arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4' -DSPIN=30000000 -o $dm/late3.elf tests/integration/guests/demand.c 2>> "$out/demand.build.log"; then
            printf 'guest sparse %s 64 backing=demand\nguest hello hello-pv 16\n' $dm/sparse.elf > "$out/demand-sparse.vm"
            printf 'guest fill0 hello-pv 64\nguest fill1 hello-pv 64\nguest fill2 hello-pv 64\nguest a %s 32 backing=demand min=24\nguest b %s 32 backing=demand min=24\nguest c %s 32 backing=demand\nguest d %s 16 backing=demand\n' \
                $dm/touch20.elf $dm/touch20.elf $dm/touch20.elf $dm/late3.elf > "$out/demand-over.vm"
            if elf=$(build_vm "$board" "$out/demand-sparse.vm"); then
                run_qemu "$board" "$elf" "$out/demand-sparse.raw"; rc=$?
                tr -d '\r' < "$out/demand-sparse.raw" > "$out/demand-sparse.txt"
                if [ $rc -ne 0 ] || grep -q -E 'PANIC|STOPPED' "$out/demand-sparse.txt"; then
                    bad "$board demand-sparse: exit status $rc ($out/demand-sparse.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-sparse.txt" | head -3
                elif ! grep -qx '\[g0\] demand: 4 MiB touched, each all zero before first use, pattern kept' "$out/demand-sparse.txt"; then
                    bad "$board demand-sparse: the guest's checks failed ($out/demand-sparse.txt)"; grep FAIL "$out/demand-sparse.txt" | head -3
                elif ! grep -q '^monitor: guest 0 (sparse): memory on demand: configured 64 MiB, backed 6 MiB, minimum 0 MiB' "$out/demand-sparse.txt"; then
                    bad "$board demand-sparse: expected 6 of 64 MiB backed, the console says: $(grep 'memory on demand' "$out/demand-sparse.txt")"
                else ok "$board demand-sparse: a 64 MiB guest touching 4 MiB far apart: $(sed -n 's/^monitor: guest 0 (sparse): memory on demand: //p' "$out/demand-sparse.txt"), all zero before use"; fi
            else bad "$board demand-sparse: monitor build failed ($out/demand-sparse.vm.build.log)"; fi
            if elf=$(build_vm "$board" "$out/demand-over.vm"); then
                run_qemu "$board" "$elf" "$out/demand-over.raw"; rc=$?
                tr -d '\r' < "$out/demand-over.raw" > "$out/demand-over.txt"
                miss=""
                for want in "^monitor: guest 5 (c) STOPPED: guest memory pool dry: IPA $dry needs a new 1 MiB chunk; the guest has 6 MiB backed of 32 MiB configured, minimum 0 MiB" \
                            '^monitor: guest 5 (c): 6 MiB of guest memory back to the pool' \
                            '^\[g3\] demand: 20 MiB touched, each all zero before first use' \
                            '^\[g4\] demand: 20 MiB touched, each all zero before first use' \
                            '^\[g6\] demand: 3 MiB touched, each all zero before first use' \
                            '^monitor: all guests finished: fill0=0 fill1=0 fill2=0 a=0 b=0 c=stopped/-1 d=0$'; do
                    grep -q "$want" "$out/demand-over.txt" || miss="$miss [$want]"
                done
                reused=$(sed -n 's/^monitor: guest 6 (d): memory on demand: .*(\([0-9]*\) chunks reused.*/\1/p' "$out/demand-over.txt")
                if [ $rc -ne 100 ] || grep -q PANIC "$out/demand-over.txt" || [ "$(grep -c STOPPED "$out/demand-over.txt")" -ne 1 ]; then
                    bad "$board demand-overcommit: expected exit status 100 (one guest stopped), got $rc ($out/demand-over.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-over.txt" | head -3
                elif [ -n "$miss" ]; then bad "$board demand-overcommit: missing$miss ($out/demand-over.txt)"; grep -E 'FAIL' "$out/demand-over.txt" | head -3
                elif [ "${reused:-0}" -lt 1 ]; then
                    bad "$board demand-overcommit: d allocated no chunk another guest had released (reused ${reused:-?}): the zeroing check did not happen ($out/demand-over.txt)"
                else ok "$board demand-overcommit: 120 MiB configured on a 56 MiB pool: c stopped ($(grep -o "IPA $dry needs.*minimum 0 MiB" "$out/demand-over.txt")), its 6 MiB back; a, b (min 24) and d finished; d got $reused chunks c had released, all zero"; fi
            else bad "$board demand-overcommit: monitor build failed ($out/demand-over.vm.build.log)"; fi
            printf 'guest fill0 hello-pv 64\nguest fill1 hello-pv 64\nguest fill2 hello-pv 64\nguest a %s 32 backing=demand min=30\nguest b %s 32 backing=demand min=30\n' \
                $dm/touch20.elf $dm/touch20.elf > "$out/demand-bigmin.vm"
            printf 'guest a %s 32 backing=demand at=0x44000000\n' $dm/touch20.elf > "$out/demand-at.vm"
            if build_vm "$board" "$out/demand-bigmin.vm" > /dev/null || build_vm "$board" "$out/demand-at.vm" > /dev/null; then
                bad "$board demand-refusal: a VM whose minimums do not fit, or with at= and backing=demand, was built"
            elif ! grep -q 'demand-bigmin.vm:5: the guaranteed minimums of the guests with backing=demand (min=) add up to 60 MiB, more than the 56 MiB' "$out/demand-bigmin.vm.build.log" ||
                 ! grep -q "demand-at.vm:1: guest 'a': at= places its RAM, backing=demand backs it at first touch" "$out/demand-at.vm.build.log"; then
                bad "$board demand-refusal: refused without the expected message ($out/demand-bigmin.vm.build.log, $out/demand-at.vm.build.log)"
            else ok "$board demand-refusal: $(sed -n 's/.*mkguests: [^:]*:[0-9]*: //p' "$out/demand-bigmin.vm.build.log" | head -1)"; fi
            # console: `mem` shows configured/backed/minimum; `reset 1` of the
            # exited sparse guest backs its RAM anew (zeroed) and it passes again.
            printf 'guest uartrx %s/uartrx-pv.elf 2 backing=demand min=1\nguest sparse %s 64 backing=demand\n' "$bd" $dm/sparse.elf > "$out/demand-con.vm"
            if [ -f $bd/uartrx-pv.elf ] && elf=$(build_vm "$board" "$out/demand-con.vm"); then
                qemu_err "$out/demand-con.raw.err"
                ( sleep 1; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3; printf 'mem\r'; sleep 0.3
                  printf 'reset 1\r'; sleep 1; printf 'mem\r'; sleep 0.3; printf 'focus 0\r'; sleep 0.3; printf 'q' ) |
                    timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio -monitor none -semihosting \
                    -kernel "$elf" > "$out/demand-con.raw" 2> "$out/demand-con.raw.err"; rc=$?
                tr -d '\r' < "$out/demand-con.raw" > "$out/demand-con.txt"
                miss=""
                for want in '^monitor:  id name         backing configured backed minimum (MiB)$' \
                            '^monitor:   0 uartrx       demand           2      [12]       1$' \
                            '^monitor:   1 sparse       demand          64      0       0$' \
                            '^monitor: guest memory pool: 2[0-9][0-9] MiB free of 2[0-9][0-9], [01] MiB of it reserved for minimums$' \
                            '^monitor: guest 1 (sparse) reset$' 'all guests finished: uartrx=0 sparse=0'; do
                    grep -q "$want" "$out/demand-con.txt" || miss="$miss [$want]"
                done
                if [ $rc -ne 0 ]; then bad "$board demand-console: exit status $rc ($out/demand-con.txt)"
                elif [ -n "$miss" ]; then bad "$board demand-console: missing from the console:$miss ($out/demand-con.txt)"
                elif [ "$(grep -c '\[g1\] demand: 4 MiB touched, each all zero before first use' "$out/demand-con.txt")" -ne 2 ] ||
                     [ "$(grep -c '^monitor: guest 1 (sparse): memory on demand: configured 64 MiB, backed 6 MiB' "$out/demand-con.txt")" -ne 2 ]; then
                    bad "$board demand-console: after 'reset 1' the sparse guest should run again on fresh zeroed memory, 6 MiB backed ($out/demand-con.txt)"
                else ok "$board demand-console: 'mem' lists configured/backed/minimum and the pool; a reset guest is backed anew, zeroed"; fi
            else bad "$board demand-console: build failed ($out/demand-con.vm.build.log)"; fi
        else bad "$board demand: guest build failed ($out/demand.build.log)"; fi
    fi

    # --- u-boot (Debian's qemu_arm build) boots the monitor's images, built by
    #     `make uimage fit` for u-boot's load address 0x40400000 (the guests
    #     are placed around it), with two guests whose output must be
    #     identical to native.  Hand-over: MMU off, r2 = FDT.
    #     uImage (guests embedded): environment in pflash, bootm from RAM.
    #     FIT (monitor + each guest's ELF and DTB as hashed loadables): the
    #     default environment's distro boot finds boot.scr on a FAT disk
    #     (QEMU vvfat, virtio), which loads monitor.itb and bootm's it; the
    #     monitor copies the guests in from where u-boot put them.
    uboot_bin=/usr/lib/u-boot/qemu_arm/u-boot.bin
    if [ "$board" = qemu-virt ] && [ -f "$out/hello-native.txt" ] && [ -f "$out/modes-native.txt" ]; then
        ub=build/$board/uboot; rm -rf "$ub"; mkdir -p "$ub/bootfs"
        printf 'guest hello hello-pv 16\nguest modes modes-pv 16\n' > "$out/uboot.vm"
        vb=build/$board/vm-uboot
        if ! make -s BOARD=$board VM="$out/uboot.vm" GUEST_NAMES="$GN" LOAD_ADDR=0x40400000 uimage fit \
                > "$out/uboot.build.log" 2>&1; then
            bad "$board u-boot: make uimage fit failed ($out/uboot.build.log)"; tail -5 "$out/uboot.build.log"
        elif [ ! -f "$uboot_bin" ]; then
            bad "$board u-boot: $uboot_bin missing (package u-boot-qemu; make deps)"
        else
            # uboot_check NAME RAWFILE RC EXTRA-GREP: the common checks
            uboot_check() {
                local name=$1 raw=$2 rc=$3 want=$4
                guest_lines 0 "$raw" > "$out/$name-g0.txt"; guest_lines 1 "$raw" > "$out/$name-g1.txt"
                if [ "$rc" -ne 0 ]; then bad "$board $name: exit status $rc ($raw)"
                    grep -E 'ERROR|FAIL|STOPPED|PANIC|not' "$raw" | head -5
                elif ! grep -q 'image at PA 0x40400000' "$raw"; then bad "$board $name: not running at 0x40400000 ($raw)"
                elif grep -q 'FDT r2=0x00000000' "$raw"; then bad "$board $name: no FDT pointer in r2"
                elif ! grep -q "$want" "$raw"; then bad "$board $name: '$want' missing ($raw)"
                elif ! diff -q "$out/hello-native.txt" "$out/$name-g0.txt" > /dev/null ||
                     ! diff -q "$out/modes-native.txt" "$out/$name-g1.txt" > /dev/null; then
                    bad "$board $name: guest output differs from native ($out/$name-g[01].txt)"
                else return 0; fi
                return 1
            }
            # uImage: bootm from RAM, the environment in pflash (bootdelay -2: no wait)
            printf 'bootdelay=-2\nbootcmd=bootm 0x48000000 - ${fdtcontroladdr}\n' > "$ub/env.txt"
            mkenvimage -s 0x40000 -o "$ub/env.bin" "$ub/env.txt"
            truncate -s 64M "$ub/flash1.img"
            dd if="$ub/env.bin" of="$ub/flash1.img" conv=notrunc status=none
            qemu_err "$out/uboot-uimage.raw.err"
            timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio \
                -monitor none -semihosting -bios "$uboot_bin" -drive if=pflash,unit=1,format=raw,file="$ub/flash1.img" \
                -device loader,file="$vb/monitor.uimg",addr=0x48000000,force-raw=on < /dev/null > "$out/uboot-uimage.raw" 2> "$out/uboot-uimage.raw.err"
            rc=$?; tr -d '\r' < "$out/uboot-uimage.raw" > "$out/uboot-uimage.txt"
            if uboot_check u-boot-uimage "$out/uboot-uimage.txt" $rc 'Image Type:   ARM Linux Kernel Image'; then
                if grep -q 'guest images: .* copied' "$out/uboot-uimage.txt"; then
                    bad "$board u-boot-uimage: the uImage monitor should carry its guests"
                else ok "$board u-boot-uimage: bootm of monitor.uimg, monitor at PA 0x40400000, 2 guests (embedded) identical to native"; fi
            fi
            # FIT: u-boot's default environment, distro boot from a FAT disk
            cp "$vb/fit/monitor.itb" "$vb/fit/boot.scr" "$ub/bootfs/"
            qemu_err "$out/uboot-fit.raw.err"
            timeout "$TIMEOUT" qemu-system-arm $(make -s BOARD=$board print-BOARD_QEMU) -display none -serial stdio \
                -monitor none -semihosting -bios "$uboot_bin" \
                -drive if=none,id=bootfs,format=raw,file=fat:"$ub/bootfs",readonly=on \
                -device virtio-blk-device,drive=bootfs < /dev/null > "$out/uboot-fit.raw" 2> "$out/uboot-fit.raw.err"
            rc=$?; tr -d '\r' < "$out/uboot-fit.raw" > "$out/uboot-fit.txt"
            nhash=$(grep -c 'Verifying Hash Integrity \.\.\. sha256+ OK' "$out/uboot-fit.txt")
            if uboot_check u-boot-fit "$out/uboot-fit.txt" $rc 'guest images: [0-9]* bytes in 4 pieces copied'; then
                if ! grep -q 'Found U-Boot script /boot.scr' "$out/uboot-fit.txt" ||
                   [ "$(grep -c '^ *Loading loadables from 0x' "$out/uboot-fit.txt")" -ne 4 ] || [ "$nhash" -ne 5 ]; then
                    bad "$board u-boot-fit: boot.scr not found or not 5 hashed images / 4 loadables ($out/uboot-fit.txt)"
                else ok "$board u-boot-fit: distro boot ran boot.scr, bootm of monitor.itb (5 sha256-verified images: monitor + 2 guest ELFs + 2 DTBs as loadables), guests copied in by the monitor, identical to native"; fi
            fi
            # the FIT's monitor alone (no loadables in RAM): refused clearly
            run_qemu "$board" "$vb/fit/monitor.elf" "$out/uboot-fit-alone.raw"; rc=$?
            if [ $rc -ne 126 ] || ! grep -q '4 of 4 guest images missing: .*FIT' "$out/uboot-fit-alone.raw" ||
               ! grep -q 'guest 1 (modes): bad image' "$out/uboot-fit-alone.raw"; then
                bad "$board u-boot-fit-alone: the FIT's monitor without its loadables: exit status $rc, expected 126 and a clear message ($out/uboot-fit-alone.raw)"
            else ok "$board u-boot-fit-alone: the FIT's monitor booted without its loadables says so and starts no guest"; fi
        fi
    fi
done

# --- real boards (REAL_BOARDS, default zynq-zybo-z7; docs/boards/): the
#     monitor, its uImage and FIT build with the board's drivers, and a
#     smoke run on QEMU's model of the same SoC (PV guests only: natively the
#     guests would meet the SoC's own UART and timers, not the PL011 and SP804
#     models the monitor gives them).  These boards have no semihosting: the
#     monitor halts when every guest has finished, so QEMU is stopped once the
#     console shows "monitor: exit status".
# run_until BOARD ELF OUTFILE INPUT READY: QEMU until the monitor's last line;
# INPUT is typed once the console shows a line matching READY (a fixed delay
# lost it when QEMU started slowly on a loaded machine).
run_until() {
    local flags qpid n=0 fifo=$3.in
    flags=$(make -s BOARD="$1" print-BOARD_QEMU)
    qemu_err "$3.err"
    rm -f "$fifo"; mkfifo "$fifo"
    qemu-system-arm $flags -display none -serial stdio -monitor none -kernel "$2" < "$fifo" > "$3" 2> "$3.err" &
    qpid=$!
    exec 4> "$fifo"
    while kill -0 $qpid 2> /dev/null && ! grep -q -E "$5" "$3" && [ $n -lt $((TIMEOUT * 5)) ]; do
        sleep 0.2; n=$((n + 1))
    done
    printf '%s' "$4" >&4
    while kill -0 $qpid 2> /dev/null && ! grep -q '^monitor: exit status' "$3" && [ $n -lt $((TIMEOUT * 5)) ]; do
        sleep 0.2; n=$((n + 1))
    done
    sleep 0.2
    kill $qpid 2> /dev/null; wait $qpid 2> /dev/null
    exec 4>&-
    grep -q '^monitor: exit status' "$3"
}
for board in ${REAL_BOARDS-zynq-zybo-z7}; do
    out=build/$board/test-out; mkdir -p "$out"
    if ! make -s BOARD=$board monitor uimage fit > "$out/build.log" 2>&1; then
        bad "$board build: make monitor uimage fit failed ($out/build.log)"; tail -5 "$out/build.log"; continue
    fi
    ok "$board build: monitor, uImage and FIT for configs/demo.vm ($(grep -c '^elf' build/$board/vm-demo/fit/manifest) guests as FIT loadables)"
    bd=build/$board/bare; vm=$out/smoke.vm
    printf 'guest uartrx %s/uartrx-pv.elf 2\nguest hog hog-pv 16\nguest sleeper sleeper-pv 16\nguest hello hello-pv 16\n' "$bd" > "$vm"
    if ! make -s BOARD=$board GUEST_NAMES="hello sleeper" guests-pv-only build/$board/guests/sleeper-pv.elf \
            $bd/uartrx-pv.elf > "$out/smoke.build.log" 2>&1 || ! elf=$(build_vm "$board" "$vm"); then
        bad "$board smoke: build failed ($out/smoke.build.log, $vm.build.log)"; continue
    fi
    run_until $board "$elf" "$out/smoke.raw" 'type q' "^\[g0\] uartrx: waiting for input"; rc=$?
    tr -d '\r' < "$out/smoke.raw" > "$out/smoke.txt"
    miss=""
    for want in 'received 6 bytes in interrupts: "type q"' 'RESULT sleeper: 5 checks, 0 failed' \
                'hog: spun 2000 ms of guest time' 'RESULT hello: 3 checks, 0 failed' \
                'all guests finished: uartrx=0 hog=0 sleeper=0 hello=0'; do
        grep -q "$want" "$out/smoke.txt" || miss="$miss [$want]"
    done
    if [ $rc -ne 0 ] || [ -n "$miss" ]; then bad "$board smoke on QEMU ($(make -s BOARD=$board print-BOARD_QEMU)): missing$miss ($out/smoke.txt)"
    else ok "$board smoke on QEMU's model of the SoC: console output and input (UART interrupts), tick, deadline timer and preemption work; 4 PV guests finished"; fi
done
echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]
