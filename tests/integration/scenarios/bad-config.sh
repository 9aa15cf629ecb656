# Scenario bad-config of tests/integration/run-all.sh (sourced once per board; lib.sh).
# bad VM configurations are refused at build time with a clear message
cfgbad=0
# disk images for the disk= cases: not whole sectors, over the 64 MiB
# limit, and four at the limit (more than the RAM after the monitor), in a
# directory of the board's that the table below names (not the switch-keyed $out)
img=build/$board/bad-config; mkdir -p "$img"
head -c 1000 /dev/zero > "$img/odd.img"
rm -f "$img/big.img" "$img/max.img"
truncate -s $((64 * 1048576 + 512)) "$img/big.img"; truncate -s $((64 * 1048576)) "$img/max.img"
: > "$img/empty.img"; head -c 1048576 /dev/zero > "$img/ok.img"
# guest images (issue 19 item 5): "ELF files" (the magic, then zeros) of
# 2 MiB (more than a 2 MiB guest's RAM less its 64 KiB device tree) and
# of 62 MiB (four of them do not fit in the board's RAM after the monitor)
for n in 2 62; do rm -f "$img/img${n}m.elf"; printf '\177ELF' > "$img/img${n}m.elf"; truncate -s ${n}M "$img/img${n}m.elf"; done
for k in 1 2 3 4; do cp --sparse=always "$img/img62m.elf" "$img/img62m-$k.elf"; done
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
guest a hello-pv 16\nguest b hello-pv 16 at=0x40a00000\n|overlaps guest 'a'
guest a hello-pv 16 at=0x40100000\n|overlaps the monitor
guest a hello-pv 64\nguest b hello-pv 64\nguest c hello-pv 64\nguest d hello-pv 64\n|outside the board's RAM
guest a hello-pv 4096\n|out of range 1..2048
guest a hello-pv 512 backing=demand\n|RAM size 512 MiB is more than the board's 256 MiB of RAM
board_ram_mib 8\nguest a hello-pv 4\n|expected: board_ram_mib N with N from 16 to 2048
guest a hello-pv 4\nboard_ram_mib 1024\n|board_ram_mib must come before the guests
board_ram_mib 2000\nguest g0 hello-pv 1024 backing=demand coherence=wp\nguest g1 hello-pv 1024 backing=demand coherence=wp\nguest g2 hello-pv 1024 backing=demand coherence=wp\nguest g3 hello-pv 1024 backing=demand coherence=wp\nguest g4 hello-pv 1024 backing=demand coherence=wp\nguest g5 hello-pv 1024 backing=demand coherence=wp\n|badcfg.vm:7: guest 'g5': the monitor's own memory (8192 KiB, HV_RAM_SIZE) cannot hold what the guests up to here need of it
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
guest a hello-pv 4 spaces=0\n|spaces=0: expected spaces=N with N from 1 to 64
guest a hello-pv 4 spaces=65\n|spaces=65: expected spaces=N with N from 1 to 64
guest a hello-pv 4 spaces=08\n|spaces=08: expected spaces=N with N from 1 to 64 (decimal, no leading zero)
guest a hello-pv 4\nguest b hello-pv 4 disk=nosuch.img\n|badcfg.vm:2: guest 'b': disk image 'nosuch.img' not found
guest a hello-pv 4 disk=build/qemu-virt/bad-config/odd.img\n|is 1000 bytes, not a whole number of 512-byte sectors
guest a hello-pv 4 disk=build/qemu-virt/bad-config/empty.img:ro\n|at least one 512-byte sector
guest a hello-pv 4 disk=build/qemu-virt/bad-config/big.img\n|more than the limit of 64 MiB per disk
guest a hello-pv 4 disk=:ro\n|disk= needs an image file
guest a hello-pv 4 disk=build/qemu-virt/bad-config/max.img\nguest b hello-pv 4 disk=build/qemu-virt/bad-config/max.img\nguest c hello-pv 4 disk=build/qemu-virt/bad-config/max.img\nguest d hello-pv 4 disk=build/qemu-virt/bad-config/max.img\n|badcfg.vm:4: disk image 'build/qemu-virt/bad-config/max.img': the disk images up to here (disk=, 268435456 bytes) do not fit in the board's RAM
guest a hello-pv 4 mac=52:54:00:zz:00:01\n|mac=52:54:00:zz:00:01 is not six hex octets
guest a hello-pv 4 mac=52:54:00:00:01\n|is not six hex octets
guest a hello-pv 4 mac=53:54:00:00:00:01\n|is a multicast address
guest a hello-pv 4 mac=00:00:00:00:00:00\n|the all-zero address
guest a hello-pv 4 mac=52:54:00:00:00:0a\nguest b hello-pv 4 mac=52:54:00:00:00:0A\n|badcfg.vm:2: guest 'b': mac=52:54:00:00:00:0a is already another guest's
guest a hello-pv 16 disk=build/qemu-virt/bad-config/ok.img at=0x40900000\n|RAM 0x40900000-0x418fffff overlaps the virtio disk images at 0x40900000-0x409fffff
guest a hello-pv 16 at=0x40900000\n|RAM 0x40900000-0x418fffff overlaps the guest images at 0x40900000-
guest a hello-pv 4\nguest b build/qemu-virt/bad-config/img2m.elf 2\n|badcfg.vm:2: guest 'b': image 'build/qemu-virt/bad-config/img2m.elf' is 2097152 bytes, larger than its RAM of 2 MiB less the 64 KiB its device tree takes at the top
guest a build/qemu-virt/bad-config/img62m-1.elf 64 backing=demand\nguest b build/qemu-virt/bad-config/img62m-2.elf 64 backing=demand\nguest c build/qemu-virt/bad-config/img62m-3.elf 64 backing=demand\nguest d build/qemu-virt/bad-config/img62m-4.elf 64 backing=demand\n|badcfg.vm:4: guest 'd': the guest images up to here (
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
guest a hello-pv 4 disk=host:0:8\nguest b hello-pv 4 disk=host:7:2:ro\n|badcfg.vm:2: guest 'b': disk=host:7:2:ro: MiB 7-8 of the host disk overlap guest 'a''s slice (MiB 0-7)
guest a hello-pv 4 disk=host:1:0\n|the slice is empty (SIZE_MIB 0)
guest a hello-pv 4 disk=host:4000:96\n|the slice ends at 4096 MiB, beyond the limit of 4095 MiB
guest a hello-pv 4 disk=host:8\n|expected disk=host:OFFSET_MIB:SIZE_MIB\[:ro\]
guest a hello-pv 4 assign=0x0a003000:0x1000:dma-trusted\nguest b hello-pv 4 disk=host:0:8\n|badcfg.vm:1: guest 'a': assign=0x0a003000:0x1000:dma-trusted: 0x0a003000-0x0a003fff overlaps the virtio-mmio transports 0x0a000000-0x0a003fff where the monitor drives the host disk
guest a hello-pv 4 assign=0x0a003000\n|expected assign=0xBASE:0xSIZE\[:IRQ\]\[:dma-trusted\]
guest a hello-pv 4 assign=0x09010000:0x1000 assign=0x09030000:0x1000\n|at most one assign= per guest
CFG
[ $cfgbad -eq 0 ] && ok "$board bad-config: overlapping, oversized and malformed VM files (octal-looking numbers, quotes in image paths, bad addresses, device assignments the monitor or another guest uses, unaligned or DMA-capable without dma-trusted, overlapping or empty host-disk slices, the host disk's transports assigned) refused at build time, each with its file:line"
