/*
 * A guest that touches its (emulated) UART with LDM, which no device model
 * can be handed as one offset/size/value: the monitor must stop it with a
 * message naming the instruction.  Built with -DUART=<base>.
 */
    .syntax unified
    .arm
    .global _start
_start:
    ldr     r1, =UART
    ldm     r1, {r2, r3}
    b       .
    .ltorg
