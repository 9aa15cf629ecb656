/*
 * start.S - entry, stacks, vector table and exception entry/exit of the
 * test guests.  Every sensitive instruction goes through sensitive.S so
 * that the PV build (-DPV=1) contains none.
 */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm

/* ---- entry ------------------------------------------------------------- */
        .section .text.start, "ax"
        .global _start
        .type   _start, %function
_start:
        /* whatever the loader left us in: SVC, A/I/F masked */
        v_cpsid aif, MODE_SVC

        ldr     r0, =__stack_irq_top
        v_cps   MODE_IRQ
        mov     sp, r0
        ldr     r0, =__stack_abt_top
        v_cps   MODE_ABT
        mov     sp, r0
        ldr     r0, =__stack_und_top
        v_cps   MODE_UND
        mov     sp, r0
        ldr     r0, =__stack_fiq_top
        v_cps   MODE_FIQ
        mov     sp, r0
        ldr     r0, =__stack_usr_top
        v_cps   MODE_SYS                /* SYS shares SP/LR with USR */
        mov     sp, r0
        v_cps   MODE_SVC
        ldr     sp, =__stack_svc_top

        /* SCTLR: V=0 (use VBAR), A=0 (no alignment checking) */
        mrc     p15, 0, r0, c1, c0, 0
        bic     r0, r0, #SCTLR_V
        bic     r0, r0, #SCTLR_A
        mcr     p15, 0, r0, c1, c0, 0
        isb
        ldr     r0, =__vectors
        mcr     p15, 0, r0, c12, c0, 0  /* VBAR */
        isb

        /* zero .bss */
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
1:      cmp     r0, r1
        strlo   r2, [r0], #4
        blo     1b

        bl      main
        bl      gexit                   /* status = main's return value */
2:      b       2b
        .size   _start, . - _start
        .ltorg

/* ---- vector table ------------------------------------------------------ */
        .text
        .balign 32
        .global __vectors
__vectors:
        b       __vec_reset
        b       __vec_und
        b       __vec_svc
        b       __vec_pabt
        b       __vec_dabt
        b       __vec_hyp
        b       __vec_irq
        b       __vec_fiq

        .macro  vec_stub name, off
        .global \name
\name:
        stmdb   sp!, {r0-r12, lr}
        mov     r0, #\off
        b       __exc_common
        .endm

        vec_stub __vec_reset, VEC_RESET
        vec_stub __vec_und,   VEC_UND
        vec_stub __vec_pabt,  VEC_PABT
        vec_stub __vec_dabt,  VEC_DABT
        vec_stub __vec_hyp,   VEC_HYP
        vec_stub __vec_irq,   VEC_IRQ
        vec_stub __vec_fiq,   VEC_FIQ

        /* SVC: `svc #SVC_USER_RETURN` from User mode ends run_user() */
        .global __vec_svc
__vec_svc:
        stmdb   sp!, {r0-r12, lr}
        ldr     r0, [lr, #-4]           /* the SVC instruction (ARM state) */
        bic     r0, r0, #0xFF000000
        cmp     r0, #SVC_USER_RETURN
        bne     1f
        v_mrs   r1, spsr
        and     r2, r1, #MODE_MASK
        cmp     r2, #MODE_USR
        bne     1f
        ldr     r2, =__user_last_spsr
        str     r1, [r2]                /* CPSR of the user code at its SVC */
        ldr     r0, [sp]                /* user r0 = result */
        ldr     r3, =__run_user_sp
        ldr     sp, [r3]
        pop     {r4, r5}
        v_msr   cpsr, fsxc, r4          /* CPSR as at the run_user() call */
        pop     {r4-r12, pc}
1:      mov     r0, #VEC_SVC
        /* fall through */

/* r0 = vector offset; r0-r12, lr already pushed */
__exc_common:
        v_mrs   r1, spsr
        push    {r0, r1}                /* sp -> struct exc_frame */
        mov     r0, sp
        mov     r4, sp
        bic     sp, sp, #7
        bl      exc_dispatch
        mov     sp, r4
        pop     {r0, r1}
        v_msr   spsr, fsxc, r1
        v_ldm_ret ia, sp, 1, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, pc

/* ---- run_user(fn, arg, spsr) ------------------------------------------- */
        .global run_user
        .type   run_user, %function
run_user:
        push    {r4-r12, lr}
        v_mrs   r4, cpsr
        push    {r4, r5}
        ldr     r3, =__run_user_sp
        str     sp, [r3]
        mov     r12, r0
        ldr     r3, =__run_user_regs
        v_ldm_usr ia, r3, sp, lr        /* user SP = stack top, user LR = trampoline */
        nop
        v_msr   spsr, fsxc, r2
        mov     r0, r1
        mov     lr, r12
        v_movs_pc_lr
        .size   run_user, . - run_user

/* run_user_raw(fn, arg, spsr): like run_user but leaves the User SP/LR alone;
 * fn must end with `svc #SVC_USER_RETURN` itself. */
        .global run_user_raw
        .type   run_user_raw, %function
run_user_raw:
        push    {r4-r12, lr}
        v_mrs   r4, cpsr
        push    {r4, r5}
        ldr     r3, =__run_user_sp
        str     sp, [r3]
        v_msr   spsr, fsxc, r2
        mov     lr, r0
        mov     r0, r1
        v_movs_pc_lr
        .size   run_user_raw, . - run_user_raw
        .ltorg

        .section .usertext, "ax"
        .global __user_return
__user_return:
        svc     #SVC_USER_RETURN
1:      b       1b

        .section .rodata
        .balign 4
__run_user_regs:
        .word   __stack_usr_top, __user_return

        .bss
        .balign 4
        .global __run_user_sp
__run_user_sp:
        .space  4
        .global __user_last_spsr
__user_last_spsr:
        .space  4
