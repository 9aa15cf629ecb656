/*
 * modes_asm.S - mode switching and banked register probes for modes.c.
 * While in a foreign mode these helpers touch only r0-r7 (r8-r12 are banked
 * in FIQ mode, SP/LR in every mode) and never the stack.
 */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm
        .text

/* probe_cps_<m>(): CPS #m, read CPSR, CPS back to SVC; returns the CPSR read */
        .macro  probe_cps m
        .global probe_cps_\m
probe_cps_\m:
        v_cps   \m
        v_mrs   r0, cpsr
        v_cps   MODE_SVC
        bx      lr
        .endm

/* probe_msr_<m>(): MSR CPSR_c to mode m (A/I/F unchanged), read, MSR back */
        .macro  probe_msr m
        .global probe_msr_\m
probe_msr_\m:
        v_mrs   r1, cpsr
        bic     r2, r1, #MODE_MASK
        orr     r2, r2, #\m
        v_msr   cpsr, c, r2
        v_mrs   r0, cpsr
        v_msr   cpsr, c, r1
        bx      lr
        .endm

/* probe_cpsie_<m>(): CPSIE if, #m; read; restore the whole CPSR with MSR */
        .macro  probe_cpsie m
        .global probe_cpsie_\m
probe_cpsie_\m:
        v_mrs   r1, cpsr
        v_cpsie if, \m
        v_mrs   r0, cpsr
        v_msr   cpsr, fsxc, r1
        bx      lr
        .endm

/* probe_cpsid_<m>(): CPSIE aif first (stays in SVC), then CPSID ai, #m */
        .macro  probe_cpsid m
        .global probe_cpsid_\m
probe_cpsid_\m:
        v_mrs   r1, cpsr
        v_cpsie aif
        v_cpsid ai, \m
        v_mrs   r0, cpsr
        v_msr   cpsr, fsxc, r1
        bx      lr
        .endm

        .irp    m, 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f
        probe_cps   \m
        probe_msr   \m
        probe_cpsie \m
        probe_cpsid \m
        .endr

/* ---- banked SP/LR ----------------------------------------------------------
 * void bank_test(uint32_t seed, uint32_t *out)
 * For IRQ ABT UND FIQ SYS: save SP/LR, write SP=(seed<<8)|m, LR=(seed<<8)|m|0x80;
 * in SVC LR=(seed<<8)|0x93.  Then `rounds` round trips through all modes,
 * alternating CPS and MSR.  Then read back into out[0..9] (IRQ..SYS, SP then
 * LR), out[10] = SVC LR, out[11] = 1 if SVC SP unchanged; restore originals.
 */
        .macro  each_mode what
        \what   MODE_IRQ
        \what   MODE_ABT
        \what   MODE_UND
        \what   MODE_FIQ
        \what   MODE_SYS
        .endm

        .macro  bk_write m
        v_cps   \m
        str     sp, [r5], #4
        str     lr, [r5], #4
        orr     r2, r0, #\m
        mov     sp, r2
        orr     lr, r0, #(\m | 0x80)
        .endm

        .macro  bk_trip_cps m
        v_cps   \m
        .endm

        .macro  bk_trip_msr m
        bic     r2, r6, #MODE_MASK
        orr     r2, r2, #\m
        v_msr   cpsr, c, r2
        .endm

        .macro  bk_read m
        v_cps   \m
        str     sp, [r7], #4
        str     lr, [r7], #4
        .endm

        .macro  bk_restore m
        v_cps   \m
        ldr     sp, [r5], #4
        ldr     lr, [r5], #4
        .endm

        .global bank_test
bank_test:
        push    {r4-r8, lr}
        v_mrs   r6, cpsr
        mov     r7, r1
        lsl     r0, r0, #8
        mov     r4, sp
        ldr     r5, =bank_save
        each_mode bk_write
        v_cps   MODE_SVC
        orr     lr, r0, #0x93
        mov     r3, #3
1:      each_mode bk_trip_cps
        v_cps   MODE_SVC
        each_mode bk_trip_msr
        v_msr   cpsr, c, r6
        subs    r3, r3, #1
        bne     1b
        each_mode bk_read
        v_cps   MODE_SVC
        str     lr, [r7], #4
        cmp     sp, r4
        moveq   r2, #1
        movne   r2, #0
        str     r2, [r7], #4
        ldr     r5, =bank_save
        each_mode bk_restore
        v_msr   cpsr, fsxc, r6
        pop     {r4-r8, pc}
        .ltorg

/* ---- r8-r12 banked in FIQ mode only -----------------------------------------
 * void fiq_bank_test(uint32_t *out): out[0..4] r8-r12 read in SYS, [5..9] in
 * FIQ, [10..14] in IRQ, [15..19] back in SVC.  SVC/USR bank = 0x0808080n,
 * FIQ bank = 0xF8F8F8Fn (n = register number - 8).
 */
        .global fiq_bank_test
fiq_bank_test:
        push    {r4-r12, lr}
        v_mrs   r6, cpsr
        mov     r7, r0
        ldr     r8,  =0x08080800
        ldr     r9,  =0x08080801
        ldr     r10, =0x08080802
        ldr     r11, =0x08080803
        ldr     r12, =0x08080804
        v_cps   MODE_FIQ
        ldr     r8,  =0xF8F8F800
        ldr     r9,  =0xF8F8F801
        ldr     r10, =0xF8F8F802
        ldr     r11, =0xF8F8F803
        ldr     r12, =0xF8F8F804
        v_cps   MODE_SYS
        stmia   r7!, {r8-r12}
        v_cps   MODE_FIQ
        stmia   r7!, {r8-r12}
        v_cps   MODE_IRQ
        stmia   r7!, {r8-r12}
        v_msr   cpsr, fsxc, r6
        stmia   r7!, {r8-r12}
        pop     {r4-r12, pc}
        .ltorg

/* ---- USR/SYS sharing ---------------------------------------------------------
 * void sys_get_splr(uint32_t out[2]), sys_set_splr(uint32_t sp, uint32_t lr)
 * usr_get_splr_stm(uint32_t out[2])  (STM {sp, lr}^ from SVC)
 * usr_set_splr_ldm(const uint32_t in[2])  (LDM {sp, lr}^ from SVC)
 */
        .global sys_get_splr
sys_get_splr:
        v_mrs   r3, cpsr
        v_cps   MODE_SYS
        str     sp, [r0]
        str     lr, [r0, #4]
        v_msr   cpsr, c, r3
        bx      lr

        .global sys_set_splr
sys_set_splr:
        v_mrs   r3, cpsr
        mov     r2, lr
        v_cps   MODE_SYS
        mov     sp, r0
        mov     lr, r1
        v_msr   cpsr, c, r3
        bx      r2

        .global usr_get_splr_stm
usr_get_splr_stm:
        v_stm_usr ia, r0, sp, lr
        bx      lr

        .global usr_set_splr_ldm
usr_set_splr_ldm:
        v_ldm_usr ia, r0, sp, lr
        nop
        bx      lr

/* run_user_frame(frame, keep_r0, r0): like run_user_raw, but entering User
 * mode with the return-to-user operation (v_ret_user, docs/pv-abi.md) from
 * the 17-word frame (r0..r14, PC, CPSR); with keep_r0, r0 is not loaded and
 * holds the third argument.  The User code ends with svc #SVC_USER_RETURN. */
        .global run_user_frame
run_user_frame:
        push    {r4-r12, lr}
        v_mrs   r4, cpsr
        push    {r4, r5}
        ldr     r3, =__run_user_sp
        str     sp, [r3]
        add     r3, r0, #PV_RET_USER_PC_OFF
        mov     r0, r2
        cmp     r1, #0
        bne     1f
        v_ret_user 0, r3
1:      v_ret_user 1, r3
        .ltorg

/* User-mode probe entered with run_user_raw(): report SP/LR, set new ones.
 * r0 = pointer to { out_sp, out_lr, new_sp, new_lr } */
        .section .usertext, "ax"
        .global user_splr_probe
user_splr_probe:
        str     sp, [r0]
        str     lr, [r0, #4]
        ldr     sp, [r0, #8]
        ldr     lr, [r0, #12]
        mrs     r0, cpsr                /* real MRS: this runs in User mode */
        svc     #SVC_USER_RETURN

/* User-mode probe for run_user_frame(): r0-r14 stored below SP (which the
 * frame points at a buffer's end), the CPSR returned. */
        .global user_regs_probe
user_regs_probe:
        .inst   0xE90D7FFF              /* stmdb sp, {r0-r14} (no writeback) */
        mrs     r0, cpsr
        svc     #SVC_USER_RETURN

        .bss
        .balign 4
bank_save:
        .space  4 * 16
