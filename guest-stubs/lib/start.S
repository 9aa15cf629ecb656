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
        /* SPSR_svc is UNKNOWN at reset and the IRQ entry saves and restores
         * it (writing a reserved mode to an SPSR is UNPREDICTABLE, B1.3.3
         * SPSRWriteByInstr): give it a valid value */
        v_mrs   r0, cpsr
        v_msr   spsr, fsxc, r0

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

/* ---- IRQ: re-entrant entry; the hook runs in SVC mode -------------------
 * A second IRQ would overwrite only the IRQ-mode banked LR and SPSR, so the
 * stub moves them (and r0) through a 3-word scratch area below SP_irq to
 * the SVC stack and calls the hook in SVC mode with CPSR.I still set (as on
 * entry).  The hook may clear CPSR.I to let a higher priority interrupt
 * preempt it (nested IRQs, as real kernels do): every nesting level has its
 * own frame on the SVC stack.  The interrupted context's LR_svc and SPSR_svc
 * are saved and restored as well, so SVC-mode code may be interrupted
 * anywhere.  As for the other vectors, frame.pc is the exception LR
 * (LR_irq = return address + 4) and the hook sets the resume address.
 *
 * SVC stack from sp upwards (80 bytes):
 *   +0   struct exc_frame { vector, spsr, r0-r12, pc }
 *   +64  SPSR_svc, LR_svc of the interrupted context
 *   +72  { pc, cpsr } for RFE, copied from frame.pc/frame.spsr after the hook */
        .global __vec_irq
__vec_irq:
        stmdb   sp, {r0, lr}            @ [sp-8] = r0, [sp-4] = LR_irq
        v_mrs   lr, spsr
        str     lr, [sp, #-12]          @ [sp-12] = SPSR_irq
        sub     r0, sp, #12
        v_cps   MODE_SVC                @ CPSR.I stays set
        sub     sp, sp, #80
        str     lr, [sp, #68]           @ LR_svc of the interrupted context
        add     lr, sp, #12
        stmia   lr, {r1-r12}            @ frame.r[1..12]
        v_mrs   r1, spsr
        str     r1, [sp, #64]           @ SPSR_svc of the interrupted context
        ldmia   r0, {r1, r2, r3}        @ SPSR_irq, r0, LR_irq
        mov     r0, #VEC_IRQ
        stmia   sp, {r0, r1, r2}        @ frame.vector, frame.spsr, frame.r[0]
        str     r3, [sp, #60]           @ frame.pc
        mov     r0, sp
        mov     r4, sp
        bic     sp, sp, #7
        bl      exc_dispatch
        mov     sp, r4
        v_cpsid i                       @ the hook may have unmasked IRQs
        ldr     r0, [sp, #60]           @ resume address
        ldr     r1, [sp, #4]            @ resume CPSR
        add     r2, sp, #72
        stmia   r2, {r0, r1}
        ldr     r0, [sp, #64]
        v_msr   spsr, fsxc, r0
        ldr     lr, [sp, #68]
        add     sp, sp, #8
        ldmia   sp, {r0-r12}
        add     sp, sp, #64             @ -> the RFE pair at +72
        v_rfe   ia, sp, 1
        .size   __vec_irq, . - __vec_irq

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
