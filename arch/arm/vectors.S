/*
 * Exception vector table: one line per entry, each funnelling into one C
 * function per exception kind (arch/arch.h).
 *
 * Every stub builds a struct arm_regs on the SVC stack.  While a guest runs,
 * sp_svc points just past the guest's own frame inside its struct vcpu, so
 * the guest's registers land directly in its vcpu; the stub then moves to the
 * monitor's C stack.  A trap taken while the monitor itself runs (SVC mode:
 * an IRQ during idle, or a monitor fault) just nests on the current stack.
 * The C handler returns the frame to resume, possibly another vCPU's.
 */
#include <arch/psr.h>
#include <asm-offsets.h>

    .syntax unified
    .arm
    .section .vectors, "ax"
    .align  5
    .global hv_vectors
hv_vectors:
    b       vec_reset               @ 0x00 Reset: never taken once running
    b       vec_undef               @ 0x04 Undefined: privileged or undefined guest instruction
    b       vec_svc                 @ 0x08 SVC: PV instruction, hypercall or guest system call
    b       vec_pabt                @ 0x0C Prefetch abort: guest instruction fetch fault, BKPT
    b       vec_dabt                @ 0x10 Data abort: guest data access fault
    b       vec_reserved            @ 0x14 Not used (Hyp trap on VE cores)
    b       vec_irq                 @ 0x18 IRQ: host interrupts (timer, UART)
    b       vec_fiq                 @ 0x1C FIQ: not used by the monitor

/*
 * trap_entry HANDLER, ADJUST: LR - ADJUST is the resume address (arch.h).
 * SRS stores {LR, SPSR} onto the SVC stack (ARM ARM B9.3.16), which works
 * from every exception mode without touching that mode's own stack.
 */
    .macro trap_entry handler, adjust
    .if \adjust
    sub     lr, lr, #\adjust
    .endif
    srsdb   sp!, #PSR_MODE_SVC          @ push resume address and SPSR
    cps     #PSR_MODE_SVC
    sub     sp, sp, #8
    stmia   sp, {sp, lr}^               @ User-bank SP and LR (no writeback with ^)
    push    {r0-r12}
    mov     r0, sp                      @ r0 = struct arm_regs *
    ldr     r2, [sp, #REGS_CPSR]
    and     r2, r2, #PSR_MODE_MASK
    cmp     r2, #PSR_MODE_USR
    strne   lr, [sp, #REGS_LR]          @ from the monitor: its own LR_svc, which
                                        @ the call below would clobber
    ldreq   sp, =__svc_stack_top        @ from a guest: onto the monitor's C stack
    bic     sp, sp, #7                  @ AAPCS: 8-byte aligned stack at calls
    bl      \handler
    b       arch_resume
    .endm

vec_reset:      trap_entry hv_trap_reserved, 0
vec_undef:      trap_entry hv_trap_undef, 0
vec_svc:        trap_entry hv_trap_svc, 0
vec_pabt:       trap_entry hv_trap_pabt, 4
vec_dabt:       trap_entry hv_trap_dabt, 8
vec_reserved:   trap_entry hv_trap_reserved, 0
vec_irq:        trap_entry hv_trap_irq, 4
vec_fiq:        trap_entry hv_trap_fiq, 4

/*
 * arch_resume(struct arm_regs *f): restore f and return from the exception.
 * When f is a guest's frame, sp_svc ends up just past it, ready for the
 * guest's next trap.  A frame of the monitor itself (an interrupt during
 * idle) holds the monitor's LR_svc in its lr slot instead of the User one.
 */
    .text
    .global arch_resume
arch_resume:
    mov     sp, r0
    ldr     r2, [sp, #REGS_CPSR]
    and     r2, r2, #PSR_MODE_MASK
    cmp     r2, #PSR_MODE_USR
    bne     1f
    pop     {r0-r12}
    ldmia   sp, {sp, lr}^               @ User-bank SP and LR
    add     sp, sp, #8
    rfeia   sp!                         @ pc, cpsr (ARM ARM B9.3.13)
1:  ldr     lr, [sp, #REGS_LR]          @ back into the monitor: its LR_svc
    pop     {r0-r12}
    add     sp, sp, #8
    rfeia   sp!
    .ltorg
