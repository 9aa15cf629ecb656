/*
 * exc_asm.S - exception triggers and a second vector table (xvec) whose
 * handlers use each exception-return form, for exc.c.
 */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm
        .text

/* Each trigger: void trig_X(uint32_t cpsr, uint32_t rec[2], uint32_t addr)
 * sets CPSR := cpsr (flags, GE, A/I/F; mode must stay SVC), records the
 * CPSR before the exception in rec[0], executes the faulting instruction at
 * the global label trig_X_insn, records the CPSR after the return in rec[1]
 * and restores the original CPSR. */
        .macro  trig_begin name
        .global \name
\name:
        push    {r4-r7, lr}
        v_mrs   r4, cpsr
        v_msr   cpsr, fsxc, r0
        v_mrs   r5, cpsr
        .endm

        .macro  trig_end
        v_mrs   r6, cpsr
        v_msr   cpsr, fsxc, r4
        stm     r1, {r5, r6}
        pop     {r4-r7, pc}
        .endm

        trig_begin trig_und
        .global trig_und_insn
trig_und_insn:
        udf     #0x1234
        trig_end

        trig_begin trig_svc
        .global trig_svc_insn
trig_svc_insn:
        svc     #0x42
        trig_end

        trig_begin trig_bkpt
        .global trig_bkpt_insn
trig_bkpt_insn:
        bkpt    #0x12
        trig_end

        /* LDM from a non word-aligned address: alignment fault whatever
         * SCTLR.A says (ARM ARM A3.2.1, Table A3-1) */
        trig_begin trig_ldm
        .global trig_ldm_insn
trig_ldm_insn:
        ldm     r2, {r3, r7}
        trig_end

        /* LDR / STR to an unaligned address with SCTLR.A = 1 */
        .macro  trig_sctlr_a name, insn
        .global \name
\name:
        push    {r4-r8, lr}
        mrc     p15, 0, r8, c1, c0, 0
        orr     r3, r8, #SCTLR_A
        mcr     p15, 0, r3, c1, c0, 0
        isb
        v_mrs   r4, cpsr
        v_msr   cpsr, fsxc, r0
        v_mrs   r5, cpsr
        .global \name\()_insn
\name\()_insn:
        \insn
        v_mrs   r6, cpsr
        v_msr   cpsr, fsxc, r4
        mcr     p15, 0, r8, c1, c0, 0
        isb
        stm     r1, {r5, r6}
        pop     {r4-r8, pc}
        .endm

        trig_sctlr_a trig_ldr_a, "ldr r3, [r2]"
        trig_sctlr_a trig_str_a, "str r3, [r2]"

/* ---- xvec: one handler per return form ------------------------------------
 * xrec = { count, vector, cpsr in handler, spsr, lr, extra } */
        .balign 32
        .global xvec
xvec:
        b       .                       @ reset
        b       xv_und
        b       xv_svc
        b       xv_pabt
        b       xv_dabt
        b       .
        b       .
        b       .

        .macro  xrecord vec, lrreg, spsrreg
        ldr     r0, =xrec
        ldr     r1, [r0]
        add     r1, r1, #1
        str     r1, [r0]
        mov     r1, #\vec
        str     r1, [r0, #4]
        v_mrs   r1, cpsr
        str     r1, [r0, #8]
        str     \spsrreg, [r0, #12]
        str     \lrreg, [r0, #16]
        .endm

        /* UNDEF: return with MOVS PC, LR (LR_und = next instruction) */
xv_und:
        push    {r0-r2}
        v_mrs   r2, spsr
        xrecord VEC_UND, lr, r2
        pop     {r0-r2}
        v_movs_pc_lr

        /* SVC: return with LDM sp!, {r0-r3, pc}^ */
xv_svc:
        push    {r0-r3, lr}
        v_mrs   r2, spsr
        xrecord VEC_SVC, lr, r2
        v_ldm_ret ia, sp, 1, r0, r1, r2, r3, pc

        /* prefetch abort (BKPT): SRSDB to the SVC stack, CPS to SVC, RFEIA
         * from there; LR_abt = BKPT + 4 is the next instruction */
xv_pabt:
        v_srs   db, 1, MODE_SVC
        v_cps   MODE_SVC
        push    {r0-r3}
        ldr     r2, [sp, #16]           @ saved LR_abt
        ldr     r3, [sp, #20]           @ saved SPSR_abt
        xrecord VEC_PABT, r2, r3
        v_mrs   r1, cpsr
        str     r1, [r0, #20]           @ extra: CPSR after the CPS
        pop     {r0-r3}
        v_rfe   ia, sp, 1

        /* data abort: return with SUBS PC, LR, #4 (skips the faulting
         * instruction: LR_abt = instruction + 8) */
xv_dabt:
        push    {r0-r2}
        v_mrs   r2, spsr
        xrecord VEC_DABT, lr, r2
        pop     {r0-r2}
        v_subs_pc_lr 4
        .ltorg

/* ---- User-mode code ---------------------------------------------------------- */
        .section .usertext, "ax"

/* SVC from User mode: flags N and V set, svc #0x42, return the CPSR after */
        .global user_svc_probe
user_svc_probe:
        msr     cpsr_f, #0x90000000
        .global user_svc_insn
user_svc_insn:
        svc     #0x42
        mrs     r0, cpsr
        bx      lr

/* registers across UNDEF and SVC taken from User mode:
 * stores r0-r12, lr after both exceptions into user_regs[0..13],
 * SP before/after into user_regs[14], [15] */
        .global user_regs_probe
user_regs_probe:
        push    {r4-r11, lr}
        ldr     r0, =user_regs
        str     sp, [r0, #56]
        ldr     r0,  =0x00A0A0A0
        ldr     r1,  =0x01A1A1A1
        ldr     r2,  =0x02A2A2A2
        ldr     r3,  =0x03A3A3A3
        ldr     r4,  =0x04A4A4A4
        ldr     r5,  =0x05A5A5A5
        ldr     r6,  =0x06A6A6A6
        ldr     r7,  =0x07A7A7A7
        ldr     r8,  =0x08A8A8A8
        ldr     r9,  =0x09A9A9A9
        ldr     r10, =0x0AAAAAAA
        ldr     r11, =0x0BABABAB
        ldr     r12, =0x0CACACAC
        ldr     lr,  =0x0EAEAEAE
        .global user_regs_udf
user_regs_udf:
        udf     #0x77
        svc     #0x43
        push    {r0-r12, lr}
        ldr     r0, =user_regs
        mov     r1, sp
        mov     r2, #14
1:      ldr     r3, [r1], #4
        str     r3, [r0], #4
        subs    r2, r2, #1
        bne     1b
        add     sp, sp, #56
        str     sp, [r0, #4]            @ user_regs[15]
        pop     {r4-r11, pc}
        .ltorg

        .bss
        .balign 4
        .global xrec, user_regs
xrec:
        .space  4 * 6
user_regs:
        .space  4 * 16
