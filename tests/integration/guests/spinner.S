/*
 * A guest that computes without ever yielding or trapping (a busy loop of
 * ~4e7 instructions per round, 4 rounds), printing one line per round.
 * Two of them at once only both finish in time if the monitor preempts
 * them on the host timer.
 */
#include <hv/pv-abi.h>

#define HVC(nr) .inst PV_ENCODE(PV_COND_AL, PV_HVC(nr))

    .syntax unified
    .arm
    .global _start
_start:
    ldr     sp, =stack_top
    mov     r5, #0
1:  ldr     r4, =20000000
2:  subs    r4, r4, #1
    bne     2b
    add     r5, r5, #1
    ldr     r0, =msg
    bl      puts
    add     r0, r5, #'0'
    HVC(HC_PUTC)
    mov     r0, #'\n'
    HVC(HC_PUTC)
    cmp     r5, #4
    blt     1b
    mov     r0, #0
    HVC(HC_EXIT)

puts:
    mov     r3, r0
1:  ldrb    r0, [r3], #1
    cmp     r0, #0
    bxeq    lr
    HVC(HC_PUTC)
    b       1b

msg: .asciz "spinning, round "
    .align  3
    .ltorg
    .space  256
stack_top:
