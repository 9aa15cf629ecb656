/*
 * attacker_asm.S - access probes of the isolation attacker (attacker.c).
 *
 * Each probe is ONE load/store (or an indirect call) at a global label so
 * that attacker.c's abort hooks can tell their own faults from any other:
 *   data abort:      LR_abt = insn + 8, resume at insn + 4 (ARM ARM B1.8.3)
 *   prefetch abort:  resume at att_exec_ret with r0 set by the hook
 */
        .syntax unified
        .arm
        .text

/* uint32_t att_ldr(uint32_t va) */
        .global att_ldr, att_ldr_insn
att_ldr:
att_ldr_insn:
        ldr     r0, [r0]
        bx      lr

/* void att_str(uint32_t va, uint32_t val) */
        .global att_str, att_str_insn
att_str:
att_str_insn:
        str     r1, [r0]
        bx      lr

/* uint32_t att_exec(uint32_t va): branch to va */
        .global att_exec, att_exec_ret
att_exec:
        push    {r4, lr}
        blx     r0
att_exec_ret:
        pop     {r4, pc}
