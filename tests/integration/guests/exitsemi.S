/*
 * A bare-metal program that ends through ARM semihosting SYS_EXIT_EXTENDED
 * (0x20) with ADP_Stopped_ApplicationExit and status 5, as outside test
 * programs do: natively QEMU exits with 5; patched by pvpatch
 * --semihosting-exit it must make the monitor (and QEMU) exit with 5 too.
 */
    .syntax unified
    .arm
    .global _start
_start:
    ldr     sp, =stack_top              @ (the pvpatch shim pushes a register)
    mov     r0, #0x20                   @ SYS_EXIT_EXTENDED
    adr     r1, block
    svc     #0x123456
1:  b       1b
    .align  2
block:
    .word   0x20026                     @ ADP_Stopped_ApplicationExit
    .word   5
    .ltorg
    .space  64
stack_top:
