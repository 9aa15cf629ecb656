/*
 * mmu_asm.S - access probes for mmu.c.
 *
 * Every probe is ONE load/store (or an indirect call) at a global label, so
 * that the abort hooks of mmu.c can recognise the faulting instruction and
 * resume after it:
 *   data abort:      LR_abt = insn + 8, resume at insn + 4 (ARM ARM B1.8.3)
 *   prefetch abort:  resume at exec_probe_ret (PL1) or __user_return (PL0)
 * LDRT/STRT (A8.8.92 / A8.8.210) are the unprivileged accesses: executed at
 * PL1 they are checked as PL0 accesses (B3.7.1).  They stay real
 * instructions in both builds (under the monitor the guest already runs in
 * User mode, so they trap nothing: the monitor's shadow tables decide).
 */
#include "armv7.h"

        .syntax unified
        .arm
        .text

/* uint32_t probe_ldr(uint32_t va): PL1 load */
        .global probe_ldr, probe_ldr_insn
probe_ldr:
probe_ldr_insn:
        ldr     r0, [r0]
        bx      lr

/* void probe_str(uint32_t va, uint32_t val): PL1 store */
        .global probe_str, probe_str_insn
probe_str:
probe_str_insn:
        str     r1, [r0]
        bx      lr

/* uint32_t probe_ldrt(uint32_t va): unprivileged load from PL1 */
        .global probe_ldrt, probe_ldrt_insn
probe_ldrt:
        mov     r1, r0                  @ Rt == Rn with write-back: UNPREDICTABLE
probe_ldrt_insn:
        ldrt    r0, [r1]
        bx      lr

/* void probe_strt(uint32_t va, uint32_t val): unprivileged store from PL1 */
        .global probe_strt, probe_strt_insn
probe_strt:
probe_strt_insn:
        strt    r1, [r0]
        bx      lr

/* uint64_t probe_ldrd(uint32_t va): PL1 doubleword load (r0, r1) */
        .global probe_ldrd, probe_ldrd_insn
probe_ldrd:
        mov     r2, r0
probe_ldrd_insn:
        ldrd    r0, r1, [r2]
        bx      lr

/* uint32_t exec_probe(uint32_t va): call the code at va (PL1); a prefetch
 * abort resumes at exec_probe_ret with r0 set by the hook */
        .global exec_probe, exec_probe_ret
exec_probe:
        push    {r4, lr}
        blx     r0
exec_probe_ret:
        pop     {r4, pc}

/* ---- User-mode probes (run_user) -------------------------------------- */
        .section .usertext, "ax"

        .global user_ldr, user_ldr_insn
user_ldr:
user_ldr_insn:
        ldr     r0, [r0]
        bx      lr

/* stores USER_STORE_VAL (0xFEEDBEEF, = mmu.c's STORE_VAL) */
        .global user_str, user_str_insn
user_str:
        movw    r1, #0xBEEF
        movt    r1, #0xFEED
user_str_insn:
        str     r1, [r0]
        mov     r0, #0
        bx      lr
