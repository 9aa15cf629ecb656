/*
 * irq_asm.S - unmask points for irq.c: the interrupt must be taken as soon
 * as CPSR.I is cleared.  Each routine stores 1 to *seq, clears CPSR.I, then
 * stores 2, 3, 4, 5 (one instruction pair each) and masks IRQs again; the
 * IRQ handler records *seq at entry, so 1 means "taken before the first
 * instruction after the unmask".
 *
 *   void unmask_cpsie(volatile uint32_t *seq)   CPSIE i
 *   void unmask_msr(volatile uint32_t *seq)     MSR CPSR_c, Rn
 */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm
        .text

        .macro  seq_stores
        mov     r1, #2
        str     r1, [r0]
        mov     r1, #3
        str     r1, [r0]
        mov     r1, #4
        str     r1, [r0]
        mov     r1, #5
        str     r1, [r0]
        .endm

        .global unmask_cpsie
        .type   unmask_cpsie, %function
unmask_cpsie:
        mov     r1, #1
        str     r1, [r0]
        v_cpsie i
        seq_stores
        v_cpsid i
        bx      lr
        .size   unmask_cpsie, . - unmask_cpsie

        .global unmask_msr
        .type   unmask_msr, %function
unmask_msr:
        v_mrs   r2, cpsr
        bic     r2, r2, #PSR_I
        mov     r1, #1
        str     r1, [r0]
        v_msr   cpsr, c, r2
        seq_stores
        v_cpsid i
        bx      lr
        .size   unmask_msr, . - unmask_msr
