/* psr_asm.S - helpers of psr.c */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm
        .text

/* void spsr_bank_test(const uint32_t vals[5], uint32_t out[5])
 * writes SPSR of SVC IRQ ABT UND FIQ (in that order), then reads them all */
        .macro  sp_w m
        v_cps   \m
        ldr     r2, [r0], #4
        v_msr   spsr, fsxc, r2
        .endm
        .macro  sp_r m
        v_cps   \m
        v_mrs   r2, spsr
        str     r2, [r1], #4
        .endm

        .global spsr_bank_test
spsr_bank_test:
        v_mrs   r3, cpsr
        sp_w    MODE_SVC
        sp_w    MODE_IRQ
        sp_w    MODE_ABT
        sp_w    MODE_UND
        sp_w    MODE_FIQ
        sp_r    MODE_SVC
        sp_r    MODE_IRQ
        sp_r    MODE_ABT
        sp_r    MODE_UND
        sp_r    MODE_FIQ
        v_msr   cpsr, fsxc, r3
        bx      lr

/* User-mode code: real instructions (this is what a user program does) */
        .section .usertext, "ax"
        .global user_msr_probe
user_msr_probe:                 @ r0 = value for MSR CPSR_fsxc
        msr     cpsr_fsxc, r0
        mrs     r0, cpsr
        bx      lr

        .global user_msr_imm_probe
user_msr_imm_probe:
        msr     cpsr_f, #0x50000000
        msr     cpsr_c, #0x13           @ ignored in User mode
        mrs     r0, cpsr
        bx      lr
