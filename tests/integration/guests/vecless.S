/*
 * A guest with no exception vectors (VBAR = 0 at reset, nothing mapped
 * there) that jumps outside its RAM: the prefetch abort's own vector cannot
 * be fetched either.  The monitor must stop it with a clear message instead
 * of spinning on recursive aborts.
 */
    .syntax unified
    .arm
    .global _start
_start:
    mov     r0, #0x00001000
    bx      r0
