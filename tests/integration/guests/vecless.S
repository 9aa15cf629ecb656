/*
 * A guest with no exception vectors that jumps outside its RAM: the prefetch
 * abort's own vector cannot be fetched either.  The monitor must stop it
 * with a clear message instead of spinning on recursive aborts.
 * VBAR is pointed at an IPA with neither RAM nor a device (0x30000000 on
 * every board) rather than left at its reset value 0: on boards with RAM at
 * 0 (RealView PB-A8) the reset vectors are RAM holding zeros, i.e. NOPs.
 * (Under the monitor the MCR traps and is emulated.)
 */
    .syntax unified
    .arm
    .global _start
_start:
    mov     r0, #0x30000000
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb
    bx      r0
