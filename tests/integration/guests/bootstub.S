/*
 * bootstub.S - a boot loader that hands over with PL0 access to host
 * resources open (issue 15 item 4; the test "boot-state" of run-all.sh).
 * Loaded by QEMU -kernel; the monitor's ELF is loaded beside it (-device
 * loader) and entered at MONITOR_ENTRY (-Wa,--defsym) with r0-r2 as QEMU
 * left them.  It runs in the mode the monitor would have been entered in.
 * Their reset values are UNKNOWN or IMPLEMENTATION DEFINED anyway:
 *   CNTKCTL = 0x303 (PL0PTEN, PL0VTEN, PL0VCTEN, PL0PCTEN; B4.1.26), where
 *     ID_PFR1 [19:16] says the generic timer is there
 *   PMUSERENR = 1 (EN), where ID_DFR0 [27:24] says a PMU is there
 *   TPIDRURW = TPIDRURO = 0x5ec2e7ed
 *   CPACR: every coprocessor full access (B4.1.40; RAZ/WI where absent)
 */
    .syntax unified
    .arm
    .text
    .global _start
_start:
    mrc     p15, 0, r4, c0, c1, 1       @ ID_PFR1
    ubfx    r4, r4, #16, #4
    cmp     r4, #0
    movwne  r4, #0x303
    mcrne   p15, 0, r4, c14, c1, 0      @ CNTKCTL
    mrc     p15, 0, r4, c0, c1, 2       @ ID_DFR0
    ubfx    r4, r4, #24, #4
    cmp     r4, #0
    cmpne   r4, #0xF
    movne   r4, #1
    mcrne   p15, 0, r4, c9, c14, 0      @ PMUSERENR
    ldr     r4, =0x5ec2e7ed
    mcr     p15, 0, r4, c13, c0, 2      @ TPIDRURW
    mcr     p15, 0, r4, c13, c0, 3      @ TPIDRURO
    mvn     r4, #0xF0000000
    mcr     p15, 0, r4, c1, c0, 2       @ CPACR: cp0-cp13 full access
    isb
    ldr     pc, =MONITOR_ENTRY
    .ltorg
