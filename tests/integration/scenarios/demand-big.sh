# Scenario demand-big of tests/integration/run-all.sh (sourced once per board; lib.sh).
# guests as large as the board (issue 19; VM file board_ram_mib N, QEMU
#   -m 1G; mm/gpmap.c, mm/shadow.c): qemu-virt with 1 GiB of RAM, a pool of
#   1015 MiB (1024 less the monitor's 8 and 1 for the guest images):
#   big: two guests of 512 MiB on demand, each touching MiBs above 64 and
#   its top MiB up to its device tree (whose magic must still be there):
#   only those, its image's MiB and its DTB's MiB are backed (5 MiB each,
#   as the console's numbers at its exit say);
#   overcommit: a and b (512 MiB, min=500: 1000 MiB reserved), c (512, no
#   minimum) and d (16, late): 1552 MiB configured.  a and b touch 20 MiB
#   within their minimums; c gets what the minimums leave (1015 - 1000
#   reserved - a's, b's and d's loads): 13 MiB, runs the pool dry at its
#   14th chunk (MiB 13) and is stopped with the message naming it, the IPA
#   and the sizes; its 13 MiB go back; d, after spinning, gets chunks c held, all zero; the rest
#   finish;
#   console: `mem` lists both 512 MiB guests and the pool (free of 1015,
#   reserved for minimums), exactly;
#   boot refusal (-m 2G): a VM at the limit of mkguests' lower bound of the
#   monitor's memory, whose last guest does not fit at boot.
dm=build/$board/demand-big; mkdir -p "$dm"
big_qemu() { qemu_in "$board" "$2" -m 1G -kernel "$1" < /dev/null; }     # (the last -m wins)
dmflags="$dflags -Wl,-Ttext=$(printf '0x%x' $((ram + 0x100000)))"
if arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=100,300,510,511' -DRAM_MIB=512 -o $dm/big1.elf tests/integration/guests/demand.c 2> "$out/demand-big.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=64,65,256' -o $dm/big2.elf tests/integration/guests/demand.c 2>> "$out/demand-big.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21' \
        -o $dm/touch20.elf tests/integration/guests/demand.c 2>> "$out/demand-big.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20' \
        -o $dm/touch19.elf tests/integration/guests/demand.c 2>> "$out/demand-big.build.log" &&
   arm-none-eabi-gcc $dmflags '-DTOUCH_MIB=2,3,4' -DSPIN=60000000 -o $dm/late3.elf tests/integration/guests/demand.c 2>> "$out/demand-big.build.log"; then
    printf 'board_ram_mib 1024\nguest big1 %s 512 backing=demand\nguest big2 %s 512 backing=demand\n' \
        $dm/big1.elf $dm/big2.elf > "$out/demand-big.vm"
    if elf=$(build_vm "$board" "$out/demand-big.vm"); then
        big_qemu "$elf" "$out/demand-big.raw"; rc=$?
        tr -d '\r' < "$out/demand-big.raw" > "$out/demand-big.txt"
        miss=""
        for want in '^\[g0\] demand: device tree intact at 0x5fff0000$' \
                    '^\[g0\] demand: 4 MiB touched, each all zero before first use, pattern kept$' \
                    '^\[g1\] demand: 3 MiB touched, each all zero before first use, pattern kept$' \
                    '^monitor: guest 0 (big1): memory on demand: configured 512 MiB, backed 5 MiB, minimum 0 MiB' \
                    '^monitor: guest 1 (big2): memory on demand: configured 512 MiB, backed 5 MiB, minimum 0 MiB' \
                    '^monitor: guest 0 (big1): RAM IPA 0x40000000-0x5fffffff on demand (minimum 0 MiB)' \
                    '^monitor: all guests finished: big1=0 big2=0$'; do
            grep -q "$want" "$out/demand-big.txt" || miss="$miss [$want]"
        done
        if [ $rc -ne 0 ] || grep -q -E 'PANIC|STOPPED' "$out/demand-big.txt"; then
            bad "$board demand-big: exit status $rc ($out/demand-big.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-big.txt" | head -3
        elif [ -n "$miss" ]; then bad "$board demand-big: missing$miss ($out/demand-big.txt)"; grep -E 'FAIL|memory on demand' "$out/demand-big.txt" | head -3
        else ok "$board demand-big: two 512 MiB guests on a 1 GiB board, touching MiBs 64-511 (the top up to its DTB): 5 MiB backed each, all zero before use"; fi
    else bad "$board demand-big: monitor build failed ($out/demand-big.vm.build.log)"; fi

    printf 'board_ram_mib 1024\nguest a %s 512 backing=demand min=500\nguest b %s 512 backing=demand min=500\nguest c %s 512 backing=demand\nguest d %s 16 backing=demand\n' \
        $dm/touch20.elf $dm/touch19.elf $dm/touch20.elf $dm/late3.elf > "$out/demand-big-over.vm"
    if elf=$(build_vm "$board" "$out/demand-big-over.vm"); then
        big_qemu "$elf" "$out/demand-big-over.raw"; rc=$?
        tr -d '\r' < "$out/demand-big-over.raw" > "$out/demand-big-over.txt"
        miss=""
        for want in '^monitor: guest 2 (c) STOPPED: guest memory pool dry: IPA 0x40d00000 needs a new 1 MiB chunk; the guest has 13 MiB backed of 512 MiB configured, minimum 0 MiB; the pool has [0-9]* MiB free, all reserved' \
                    '^monitor: guest 2 (c): 13 MiB of guest memory back to the pool' \
                    '^\[g0\] demand: 20 MiB touched, each all zero before first use' \
                    '^\[g1\] demand: 19 MiB touched, each all zero before first use' \
                    '^\[g3\] demand: 3 MiB touched, each all zero before first use' \
                    '^monitor: guest 0 (a): memory on demand: configured 512 MiB, backed 22 MiB, minimum 500 MiB' \
                    '^monitor: guest 1 (b): memory on demand: configured 512 MiB, backed 21 MiB, minimum 500 MiB' \
                    '^monitor: all guests finished: a=0 b=0 c=stopped/-1 d=0$'; do
            grep -q "$want" "$out/demand-big-over.txt" || miss="$miss [$want]"
        done
        reused=$(sed -n 's/^monitor: guest 3 (d): memory on demand: .*(\([0-9]*\) chunks reused.*/\1/p' "$out/demand-big-over.txt")
        if [ $rc -ne 100 ] || grep -q PANIC "$out/demand-big-over.txt" || [ "$(grep -c STOPPED "$out/demand-big-over.txt")" -ne 1 ]; then
            bad "$board demand-big-overcommit: expected exit status 100 (one guest stopped), got $rc ($out/demand-big-over.txt)"; grep -E 'PANIC|STOPPED|FAIL' "$out/demand-big-over.txt" | head -3
        elif [ -n "$miss" ]; then bad "$board demand-big-overcommit: missing$miss ($out/demand-big-over.txt)"; grep -E 'FAIL|STOPPED' "$out/demand-big-over.txt" | head -3
        elif [ "${reused:-0}" -lt 1 ]; then
            bad "$board demand-big-overcommit: d allocated no chunk c had released (reused ${reused:-?}) ($out/demand-big-over.txt)"
        else ok "$board demand-big-overcommit: 3 x 512 MiB + 16 MiB on a 1015 MiB pool, 1000 MiB of minimums: c stopped at IPA 0x40d00000 with 13 MiB backed, its 13 MiB back; a, b and d finished; d got $reused chunks c had released, all zero"; fi
    else bad "$board demand-big-overcommit: monitor build failed ($out/demand-big-over.vm.build.log)"; fi

    # console: `mem` once both have exited (uartrx waits for input; its
    # RAM: 2 MiB, its image and DTB in MiB 1)
    printf 'board_ram_mib 1024\nguest uartrx %s/uartrx-pv.elf 2 backing=demand min=1\nguest big1 %s 512 backing=demand min=100\nguest big2 %s 512 backing=demand\n' \
        "$bd" $dm/big1.elf $dm/big2.elf > "$out/demand-big-con.vm"
    if bare $board $bd/uartrx-pv.elf > "$out/demand-big-con.build.log" 2>&1 && elf=$(build_vm "$board" "$out/demand-big-con.vm"); then
        qemu_err "$out/demand-big-con.raw.err"
        ( sleep 2; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3; printf '\001\001\001'; sleep 0.3; printf 'mem\r'; sleep 0.5
          printf 'focus 0\r'; sleep 0.3; printf 'q' ) |
            timeout "$TIMEOUT" qemu-system-arm $(board_qemu "$board") -m 1G -display none -serial stdio -monitor none -semihosting \
            -kernel "$elf" > "$out/demand-big-con.raw" 2> "$out/demand-big-con.raw.err"; rc=$?
        tr -d '\r' < "$out/demand-big-con.raw" > "$out/demand-big-con.txt"
        miss=""
        for want in '^monitor:  id name         backing configured backed minimum (MiB)$' \
                    '^monitor:   0 uartrx       demand           2      1       1$' \
                    '^monitor:   1 big1         demand         512      0     100$' \
                    '^monitor:   2 big2         demand         512      0       0$' \
                    '^monitor: guest memory pool: 1014 MiB free of 1015, 100 MiB of it reserved for minimums$' \
                    'all guests finished: uartrx=0 big1=0 big2=0'; do
            grep -q "$want" "$out/demand-big-con.txt" || miss="$miss [$want]"
        done
        if [ $rc -ne 0 ]; then bad "$board demand-big-console: exit status $rc ($out/demand-big-con.txt)"
        elif [ -n "$miss" ]; then bad "$board demand-big-console: missing from the console:$miss ($out/demand-big-con.txt)"; grep '^monitor: ' "$out/demand-big-con.txt" | tail -8
        else ok "$board demand-big-console: 'mem' lists the 512 MiB guests (0 backed after their exit, big1's minimum of 100 MiB still reserved) and the 1015 MiB pool exactly"; fi
    else bad "$board demand-big-console: build failed ($out/demand-big-con.vm.build.log)"; fi

    # refused at boot: the largest third guest that tools/mkguests.py's
    # lower bound of the monitor's memory accepts (beside two 2032 MiB
    # guests with 64 spaces each) does not fit in what the monitor really
    # has left: it is not started, with the message; the others run.
    tmpl='board_ram_mib 2048\nguest a hello-pv 2032 backing=demand coherence=wp spaces=64\nguest b hello-pv 2032 backing=demand coherence=wp spaces=64\nguest c hello-pv %d backing=demand coherence=wp\n'
    if n=$(GD=build/$board/guests BOARD_RAM="$ram" TMPL="$tmpl" python3 - <<'PY' 2> "$out/demand-big-boot.py.log"
import os, sys
sys.path.insert(0, "tools")
import mkguests
f = mkguests.CFacts()
def ok(n):
    text = os.environ["TMPL"].replace("\\n", "\n") % n
    b = mkguests.VMBuilder("x.vm", f, mkguests.Board("b", os.environ["BOARD_RAM"], "0x10000000", "0x40100000", "", ""), os.environ["GD"])
    try:
        b.read(text)
        return True
    except mkguests.VMError:
        return False
lo, hi = 1, 2032
while lo < hi:
    m = (lo + hi + 1) // 2
    lo, hi = (m, hi) if ok(m) else (lo, m - 1)
print(lo if ok(lo) and not ok(lo + 1) else "none")
PY
       ) && [ "$n" != none ] && printf "$tmpl" "$n" > "$out/demand-big-boot.vm" && elf=$(build_vm "$board" "$out/demand-big-boot.vm"); then
        qemu_in "$board" "$out/demand-big-boot.raw" -m 2G -kernel "$elf" < /dev/null; rc=$?
        tr -d '\r' < "$out/demand-big-boot.raw" > "$out/demand-big-boot.txt"
        if [ $rc -ne 100 ] || grep -q PANIC "$out/demand-big-boot.txt"; then
            bad "$board demand-big-boot-refusal: expected exit status 100 (guest c not started), got $rc ($out/demand-big-boot.txt)"
        elif ! grep -q "^monitor: guest 2 (c): its shadow page tables need up to [0-9]* KiB of the monitor's memory (spaces=4, page flags), [0-9]* KiB were left" "$out/demand-big-boot.txt" ||
             ! grep -q '^monitor: guest 2 (c): bad image: no memory; not started$' "$out/demand-big-boot.txt" ||
             ! grep -q '^monitor: all guests finished: a=0 b=0 c=stopped/-1$' "$out/demand-big-boot.txt"; then
            bad "$board demand-big-boot-refusal: guest c ($n MiB) was not refused at boot with the message, or a and b did not finish ($out/demand-big-boot.txt)"
        else ok "$board demand-big-boot-refusal: c ($n MiB, the most mkguests accepts) refused at boot: $(sed -n 's/^monitor: guest 2 (c): its shadow page tables need \(up to [0-9]* KiB\).*, \([0-9]* KiB were left\).*/\1, \2/p' "$out/demand-big-boot.txt"); a and b (2032 MiB each) ran"; fi
    else bad "$board demand-big-boot-refusal: no VM at mkguests' limit built (n=${n:-?}; $out/demand-big-boot.py.log, $out/demand-big-boot.vm.build.log)"; fi
else bad "$board demand-big: guest build failed ($out/demand-big.build.log)"; fi
