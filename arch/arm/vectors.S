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
#include <hv/pv-abi.h>

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
    trap_save \handler
    .endm

/* trap_entry's second half: in SVC mode, resume address and SPSR pushed. */
    .macro trap_save handler
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

/*
 * guest_trap_entry HANDLER (LEAN_TRAP): trap_entry for an exception the
 * vector knows came from a guest (it tested the SPSR's mode), taken in SVC
 * mode: HANDLER runs on the monitor's stack (8-aligned: linker.ld) and
 * returns a guest frame to resume.
 */
    .macro guest_trap_entry handler
    srsdb   sp!, #PSR_MODE_SVC          @ push resume address and SPSR
    sub     sp, sp, #8
    stmia   sp, {sp, lr}^               @ User-bank SP and LR
    push    {r0-r12}
    mov     r0, sp
    ldr     sp, =__svc_stack_top
    bl      \handler
    b       guest_resume
    .endm

vec_reset:      trap_entry hv_trap_reserved, 0
vec_undef:
    srsdb   sp!, #PSR_MODE_SVC          @ push resume address and SPSR
    cps     #PSR_MODE_SVC
#if LEAN_TRAP_ON
/*
 * From a guest in ARM state: hv_trap_undef_arm(frame, the instruction),
 * read back where the guest just fetched it (as the FIT path does, the
 * shadow mapping of that fetch is still in place and readable at PL1).
 */
    sub     sp, sp, #8
    stmia   sp, {sp, lr}^
    push    {r0-r12}
    mov     r0, sp
    ldr     r2, [sp, #REGS_CPSR]
    and     r2, r2, #(PSR_MODE_MASK | PSR_T)
    cmp     r2, #PSR_MODE_USR
    bne     undef_other
    ldr     r1, [sp, #REGS_PC]
    ldr     r1, [r1, #-4]
#if FAST_CP15_ON
    movw    r2, #0xEE07
    cmp     r2, r1, lsr #16             @ MCR p15, 0, Rt, c7, ..., condition AL?
    beq     und_cache
und_not_cache:                          @ r0 = frame, r1 = the instruction
#endif
    ldr     sp, =__svc_stack_top
    bl      hv_trap_undef_arm
    b       guest_resume
#if FAST_CP15_ON
/*
 * FAST_CP15: a trapped cache maintenance operation by VA (MCR p15, 0, Rt,
 * c7, CRm, 1: ICIMVAU, DCIMVAC, DCCMVAC, DCCMVAU, DCCIMVAC; B4.2.1) from a
 * guest in a virtual privileged mode, done right here when the current
 * shadow space maps the VA (then the operation cannot abort), as the
 * FIT_CACHE path does for a patched one and as cp15.c's wr_cache_va() does
 * (DCIMVAC upgraded to clean+invalidate).  Anything else, or a VA not
 * mapped yet (the slow path fills the shadow for it), goes back to
 * und_not_cache.  The guest's registers are all in the frame: r2-r7 are
 * free here, r0 (frame = vCPU) and r1 (the instruction) are kept.
 */
und_cache:
    and     r2, r1, #0xFF0
    cmp     r2, #0xF30                  @ coprocessor 15, opc2 = 1, MCR
    bne     und_not_cache
    ldr     r2, [r0, #VCPU_VCPSR]
    tst     r2, #0xF                    @ virtual User mode: the UNDEF is the guest's
    beq     und_not_cache
    and     r2, r1, #0xF                @ CRm: 5, 6, 10, 11 or 14?
    movw    r3, #((1 << 5) | (1 << 6) | (1 << 10) | (1 << 11) | (1 << 14))
    lsr     r3, r3, r2
    tst     r3, #1
    beq     und_not_cache
#if FIT_ON
    @ FIT self-patches such an MCR into a FIT op on its first trap where it
    @ can (cp15_emulate(): SRFA page, guest MMU on): leave that to the slow
    @ path unless the address is known unpatchable (fit_known_unpatchable())
    ldr     r3, [r0, #VCPU_SRFA]
    cmp     r3, #0
    ldrne   r3, [r0, #VCPU_SCTLR]
    tstne   r3, #1                      @ SCTLR.M
    beq     1f                          @ no SRFA, or MMU off: never patched
    ldr     r3, [r0, #REGS_PC]
    sub     r3, r3, #4                  @ the MCR's address
    ubfx    r4, r3, #2, #3
    add     r4, r0, r4, lsl #2
    ldr     r4, [r4, #VCPU_FIT_NOPATCH]
    cmp     r4, r3
    bne     und_not_cache
1:
#endif
    ubfx    r3, r1, #12, #4             @ Rt
    cmp     r3, #13
    bhs     und_not_cache               @ SP, LR, PC: the slow path
    ldr     r3, [r0, r3, lsl #2]        @ its value: the frame's r0-r12
    mcr     p15, 0, r3, c7, c8, 2       @ mapped by the current space? (ATS1CUR, B4.2.4)
    isb
    mrc     p15, 0, r4, c7, c4, 0       @ PAR (the guest's PAR is virtual)
    tst     r4, #1
    bne     und_not_cache
    cmp     r2, #10
    mcreq   p15, 0, r3, c7, c10, 1      @ DCCMVAC
    cmp     r2, #11
    mcreq   p15, 0, r3, c7, c11, 1      @ DCCMVAU
    cmp     r2, #14
    cmpne   r2, #6
    mcreq   p15, 0, r3, c7, c14, 1      @ DCCIMVAC; DCIMVAC upgraded
    cmp     r2, #5
    mcreq   p15, 0, r3, c7, c5, 1       @ ICIMVAU
    mcreq   p15, 0, r3, c7, c5, 6       @ BPIALL (predictor entries for that code)
    dsb
    ldr     r4, =VCPU_STAT_CP15_CACHE   @ stats[TS_CP15_CACHE]++
    add     r4, r0, r4
    ldrd    r6, r7, [r4]
    adds    r6, r6, #1
    adc     r7, r7, #0
    strd    r6, r7, [r4]
    b       guest_resume                @ r0 = the frame: to the next instruction
#endif
undef_other:                            @ trap_entry's second half
    and     r2, r2, #PSR_MODE_MASK
    cmp     r2, #PSR_MODE_USR
    strne   lr, [sp, #REGS_LR]
    ldreq   sp, =__svc_stack_top
    bic     sp, sp, #7
    bl      hv_trap_undef
    b       arch_resume
#else
    trap_save hv_trap_undef
#endif
vec_svc:
#if FAST_SYSCALL_ON || FIT_ON || LEAN_TRAP_ON
/*
 * Fast paths, before any full save: r0-r3 go to the top slots of the frame
 * (restored by svc_slow), r1 = the running vCPU (its frame comes first).
 * Every instruction here is on the hot path (the FIT round trip target is
 * 30 instructions, SVC included), hence the folded tests.
 */
    stmdb   sp, {r0-r3}
    mrs     r0, spsr
    tst     r0, #(0xF | PSR_T)          @ User mode (0x10) in ARM state?
    bne     svc_not_arm_guest
    sub     r1, sp, #REGS_SIZE
    ldr     r2, [r1, #VCPU_VCPSR]
    tst     r2, #0xF                    @ virtual User mode (0x10)?
#if FAST_SYSCALL_ON
    beq     svc_syscall
#else
    beq     svc_slow
#endif
/*
 * A PV instruction (docs/pv-abi.md).  The SVC is read back from where the
 * guest just fetched it: the shadow mapping that fetch used is still in
 * place (only the monitor changes shadow tables) and readable at PL1.
 */
    ldr     r3, [lr, #-4]               @ the SVC (its condition passed)
    ubfx    r2, r3, #16, #8             @ imm24[23:16]: 0x3 system op, op
#if FIT_ON
/* FIT: in a virtual privileged mode, PV_SYS_FIT_LOAD/CACHE (pv-abi.h) are
 * done right here.  FIT_LOAD reads the SRFA page: only on a monitor that has
 * one (SRFA_ON: every running vCPU's page exists, srfa_init() or the guest
 * is not started); without it the slow path computes the word (fit.c). */
    cmp     r2, #(0x30 | PV_SYS_FIT_LOAD)
    bne     fit_not_load
#if SRFA_ON
/* FIT_LOAD: Rt[15:12] = SRFA word[9:0]; bits [11:10] reserved. */
    ubfx    r2, r3, #10, #6             @ Rt << 2 | reserved bits
    cmp     r2, #(13 << 2)              @ SP, LR, PC: reserved (pv_decode)
    tstlo   r2, #3                      @ (keeps C: an unrotated immediate)
    bhs     svc_slow
    bne     svc_slow                    @ the slow path stops the guest
    ldr     r0, [r1, #VCPU_SRFA]
    ubfx    r3, r3, #0, #10
    ldr     r0, [r0, r3, lsl #2]
#else
    b       svc_slow
#endif
/* fit_to_rt: r0 = the value, r2 = Rt << 2 (r0-r12): count the FIT op, put
 * the value in Rt and return to the guest. */
fit_to_rt:
    ldr     r3, [r1, #VCPU_FIT_HITS]
    add     r3, r3, #1
    str     r3, [r1, #VCPU_FIT_HITS]
    add     pc, pc, r2, lsl #2          @ 16 bytes per register (PC reads as . + 8)
    nop
    .irp    n, 0, 1, 2, 3               @ r0-r3: their saved slots
    str     r0, [sp, #(4 * \n - 16)]
    ldmdb   sp, {r0-r3}
    movs    pc, lr
    nop
    .endr
    .irp    n, 4, 5, 6, 7, 8, 9, 10, 11, 12
    mov     r\n, r0
    ldmdb   sp, {r0-r3}
    movs    pc, lr
    nop
    .endr
fit_not_load:
    sub     r0, r2, #0x30               @ the system op, if it is one
    cmp     r0, #PV_SYS_FIT_CACHE
    beq     fit_cache
#if LEAN_TRAP_ON
    blo     svc_pv                      @ hypercall, CPS...: hv_trap_pv()
#endif
    cmp     r0, #PV_SYS_FIT_STORE
    beq     fit_store
    cmp     r0, #PV_SYS_FIT_FPEXC
    beq     fit_fpexc
#endif
#if FAST_SYSCALL_ON && RET_USER_ON
/* RET_USER with the frame address in r0-r3 (Linux: r2), either K: svc_ret_user. */
    ldr     r0, =PV_ENCODE(PV_COND_AL, PV_RET_USER(0, 0))
    bic     r2, r3, #0x13
    cmp     r2, r0
    beq     svc_ret_user
#endif
#if FAST_SYSCALL_ON
/* The return half of a system call: MOVS PC, LR or SUBS PC, LR, #imm8
 * (PV data-processing with Rd = PC), unconditional, go to svc_excret with
 * r2 = the immediate. */
    ldr     r0, =PV_ENCODE(PV_COND_AL, PV_DP_PC(13, 0, 0, 14)) @ MOVS PC, LR (MOV, LR, no shift)
    subs    r2, r3, r0
    beq     svc_excret
    ldr     r0, =PV_ENCODE(PV_COND_AL, PV_DP_PC(2, 1, 14, 0))  @ SUBS PC, LR, #imm (SUB, immediate)
    sub     r2, r3, r0
    cmp     r2, #0x100                  @ an unrotated 8-bit immediate
    blo     svc_excret
#endif
svc_pv:
#if LEAN_TRAP_ON
    str     r3, [r1, #VCPU_TRAP_INSN]   @ any other PV instruction: hv_trap_pv()
    ldmdb   sp, {r0-r3}
    guest_trap_entry hv_trap_pv
#endif
svc_slow:
    ldmdb   sp, {r0-r3}
#endif
                trap_entry hv_trap_svc, 0
vec_pabt:       trap_entry hv_trap_pabt, 4
vec_dabt:       trap_entry hv_trap_dabt, 8
vec_reserved:   trap_entry hv_trap_reserved, 0
vec_irq:        trap_entry hv_trap_irq, 4
vec_fiq:        trap_entry hv_trap_fiq, 4

#if FAST_SYSCALL_ON || FIT_ON || LEAN_TRAP_ON
/* From the monitor itself, or from a guest in Thumb state: a Thumb system
 * call still takes the fast path, anything else the slow one. */
svc_not_arm_guest:
    tst     r0, #0xF
    bne     svc_slow
#if FAST_SYSCALL_ON
    sub     r1, sp, #REGS_SIZE
    ldr     r2, [r1, #VCPU_VCPSR]
    tst     r2, #0xF
    beq     svc_syscall
#endif
    b       svc_slow
#endif

#if FAST_SYSCALL_ON
#if VCPU_STAT_SYSCALL > 255 || VCPU_STAT_EXCRET > 255 || VCPU_STAT_RET_USER > 255
#error "LDRD/STRD below reach the trap statistics with an 8-bit offset only"
#endif
/*
 * System call: an SVC from the guest's virtual User mode.  Take the guest's
 * SVC exception right here, as vcpu_inject() would (ARM ARM B1.8.10
 * TakeSVCException: SPSR_svc = CPSR, LR_svc = next instruction, mode SVC,
 * CPSR.I set, T/E from SCTLR.TE/EE, IT cleared), and return straight into
 * the guest's vector.  vcpu_fast_update() allows it only when entering
 * virtual PL1 needs nothing but the DACR/CNTKCTL switch.
 * In: r0 = SPSR (the guest's real CPSR), r1 = vCPU, r2 = its virtual CPSR.
 */
svc_syscall:
    ldr     r3, [r1, #VCPU_FAST_SYSCALL]
    cmp     r3, #1
    bne     svc_slow
    @ banked registers: User's SP and LR out (to the SRFA too), SVC's SP in,
    @ and the virtual LR_svc = the return address (User-bank LR from here on)
    add     r3, r1, #VCPU_SP_USR
    stmia   r3, {sp}^
    add     r3, r1, #VCPU_LR_USR
    stmia   r3, {lr}^
#if SRFA_ON
    ldr     r3, [r1, #VCPU_SRFA]
    add     r3, r3, #PV_SRFA_SP(PV_SRFA_BANK_USR)
    stmia   r3, {sp, lr}^               @ SP then LR, as the SRFA lays them out
#endif
    add     r3, r1, #VCPU_SP_SVC
    ldmia   r3, {sp}^
    str     lr, [r1]                    @ (the frame's r0 word: scratch here)
    ldmia   r1, {lr}^
    @ virtual SPSR_svc = the old virtual CPSR: the real CPSR's flags, GE, E,
    @ IT, T with the virtual mode (User) and A/I/F.  The real CPSR is User
    @ mode with A, I, F clear (as every return to a guest leaves it, and
    @ User mode cannot change them), so that is an OR (J: kept 0)
    orr     r3, r0, r2
    bic     r3, r3, #PSR_J
    str     r3, [r1, #VCPU_SPSR_SVC]
    orr     r2, r2, #(PSR_MODE_SVC | PSR_I) @ virtual SVC (USR's bits are SVC's), I set
    str     r2, [r1, #VCPU_VCPSR]
    @ the real CPSR to return with: User mode, flags and GE kept, IT, T, E
    @ cleared, then T and E from SCTLR.TE/EE
    bic     r0, r0, #PSR_IT_LO
    bic     r0, r0, #(PSR_IT_HI | PSR_E)
    bic     r0, r0, #PSR_T
    bic     r0, r0, #PSR_J
    ldr     lr, [r1, #VCPU_SVC_ENTRY_BITS]
    orr     r0, r0, lr
    msr     spsr_fsxc, r0
#if SRFA_ON
    @ the SRFA follows (srfa.h): SPSR (current and SVC's), VCPSR = vcpu_cpsr()
    ldr     lr, [r1, #VCPU_SRFA]
    str     r3, [lr, #PV_SRFA_SPSR]
    str     r3, [lr, #PV_SRFA_SPSR_OF(PV_SRFA_BANK_SVC)]
    orr     r0, r0, r2                  @ real bits, virtual M (USR's bits are SVC's), A/I/F
    str     r0, [lr, #PV_SRFA_VCPSR]
#endif
    ldr     lr, [r1, #VCPU_SVC_VECTOR]
    @ virtual PL1: the kernel DACR, counter access; the exception return
    @ below synchronizes them (ARM ARM glossary, "Context synchronization
    @ operation": returning from an exception is one)
    mov     r3, #DACR_KERNEL
    mcr     p15, 0, r3, c3, c0, 0
    ldr     r3, [r1, #VCPU_CNTKCTL_KERNEL]
    cmp     r3, #0
    mcrne   p15, 0, r3, c14, c1, 0
    ldrd    r2, r3, [r1, #VCPU_STAT_SYSCALL]
    adds    r2, r2, #1
    adc     r3, r3, #0
    strd    r2, r3, [r1, #VCPU_STAT_SYSCALL]
    ldmdb   sp, {r0-r3}
    movs    pc, lr                      @ into the guest's SVC vector
#endif

#if FAST_SYSCALL_ON
/*
 * to_virtual_user: what the fast returns from virtual SVC to virtual User
 * mode below share (emulate_svc() does it in C: vcpu_exception_return()):
 * CPSR <- r3 as an exception return writes it (CPSRWriteByInstr, B1.3.3;
 * the callers checked User mode and J clear): the virtual CPSR gets User
 * mode and r3's A/I/F, the real one the rest; the SRFA follows (srfa.h:
 * VCPSR = vcpu_cpsr(), no SPSR in User mode, SVC's SP and LR banked now);
 * SVC's SP and LR out into the vCPU; virtual PL0: the guest's own counter
 * access (CNTKCTL).  The caller then sets the user DACR (after its last
 * access to guest kernel memory); the exception return that ends it
 * synchronizes both (ARM ARM glossary, "Context synchronization
 * operation").  In: r1 = vCPU, r3 = the CPSR to return with.  Out: r3 = the
 * real CPSR to return with (its T bit for BranchWritePC).  Clobbers r0, r2.
 */
    .macro  to_virtual_user
    and     r0, r3, #PSR_AIF
    orr     r0, r0, #PSR_MODE_USR
    str     r0, [r1, #VCPU_VCPSR]
    bic     r3, r3, #PSR_AIF            @ mode USR, J clear: checked
    msr     spsr_fsxc, r3
#if SRFA_ON
    orr     r0, r0, r3
    ldr     r2, [r1, #VCPU_SRFA]
    str     r0, [r2, #PV_SRFA_VCPSR]
    mov     r0, #0
    str     r0, [r2, #PV_SRFA_SPSR]
    add     r2, r2, #PV_SRFA_SP(PV_SRFA_BANK_SVC)
    stmia   r2, {sp, lr}^               @ SVC's SP and LR, banked now
#endif
    add     r0, r1, #VCPU_SP_SVC
    stmia   r0, {sp}^
    add     r0, r1, #VCPU_LR_SVC
    stmia   r0, {lr}^
    ldr     r2, [r1, #VCPU_CNTKCTL_KERNEL]
    cmp     r2, #0
    ldrne   r2, [r1, #VCPU_GUEST]
    ldrne   r2, [r2, #GUEST_CNTKCTL]
    andne   r2, r2, #3
    mcrne   p15, 0, r2, c14, c1, 0
    .endm

/*
 * Exception return from virtual SVC mode to virtual User mode (the return
 * from a system call), as emulate_svc() does it: SUBS PC, LR and MOVS PC, LR
 * (ARM ARM B9.3.20): CPSR <- SPSR_svc (CPSRWriteByInstr, B1.3.3), then
 * BranchWritePC(LR_svc - imm).  Only when nothing else is to be done on the
 * way: SPSR_svc says User mode (J clear), entering virtual PL0 needs nothing
 * but the DACR/CNTKCTL switch (vcpu_fast_update(), as for the entry), and
 * no virtual interrupt is signalled or may have become so (virq_dirty), so
 * none can become deliverable by the unmasking; the SRFA page is not in its
 * let-one-store-through state.  Anything else: the PV path.
 * In: r1 = vCPU, r2 = the immediate, r3 = the SVC.
 */
svc_excret:
    ldr     r0, [r1, #VCPU_VCPSR]
    and     r0, r0, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_SVC
    ldreq   r0, [r1, #VCPU_FAST_SYSCALL]
    cmpeq   r0, #1
    bne     svc_pv
    @ no interrupt signalled, none that may have become so (the page is then
    @ writable: srfa_publish(); the let-one-store-through state never
    @ outlives the trap that set it, srfa.c)
    ldr     r0, [r1, #VCPU_GUEST]
    ldrb    r3, [r0, #GUEST_VIRQ_DIRTY]
    ldrb    r0, [r0, #GUEST_VIRQ_SIGNALLED]
    orrs    r0, r0, r3
    bne     excret_decline
    ldr     r3, [r1, #VCPU_SPSR_SVC]    @ the CPSR to return with
    and     r0, r3, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_USR
    tsteq   r3, #PSR_J
    bne     excret_decline
    mov     lr, r2                      @ the immediate (LR_svc: from the vCPU below)
    to_virtual_user
    mov     r2, #DACR_USER
    mcr     p15, 0, r2, c3, c0, 0
    ldr     r0, [r1, #VCPU_LR_SVC]      @ the new PC from LR_svc
    sub     lr, r0, lr
    tst     r3, #PSR_T                  @ BranchWritePC (A2.3.1)
    bicne   lr, lr, #1
    biceq   lr, lr, #3
    @ User's SP and LR in
    add     r0, r1, #VCPU_SP_USR
    ldmia   r0, {sp}^
    add     r0, r1, #VCPU_LR_USR
    ldmia   r0, {lr}^
    ldrd    r2, r3, [r1, #VCPU_STAT_EXCRET]
    adds    r2, r2, #1
    adc     r3, r3, #0
    strd    r2, r3, [r1, #VCPU_STAT_EXCRET]
    ldmdb   sp, {r0-r3}
    movs    pc, lr                      @ into virtual User mode
excret_decline:
    ldr     r3, [lr, #-4]               @ the SVC again, for svc_pv
    b       svc_pv
#endif

#if FAST_SYSCALL_ON && RET_USER_ON
/*
 * RET_USER (docs/pv-abi.md) from virtual SVC mode into virtual User mode,
 * emulate_ret_user() in a few instructions: SPSR_svc <- the frame's CPSR
 * (MSR SPSR_fsxc), User r0|r1-r14 <- the frame (LDMDB Rn, {...}^), then the
 * exception return to the frame's PC as svc_excret does it.  Under the same
 * conditions as svc_excret, with the frame's CPSR naming User mode (J
 * clear) and both ends of the frame readable by the guest in its current
 * view (ATS1CUR, B4.2.4: the guest runs in User mode; the frame spans at
 * most two pages), so no load below can fault.  Anything else (a fault
 * included): the PV path, which decides.
 * In: r1 = vCPU, r3 = the SVC (Rn in r0-r3: its saved slot).
 */
svc_ret_user:
    ldr     r0, [r1, #VCPU_VCPSR]
    and     r0, r0, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_SVC
    ldreq   r0, [r1, #VCPU_FAST_SYSCALL]
    cmpeq   r0, #1
    bne     svc_pv
    ldr     r0, [r1, #VCPU_GUEST]
    ldrb    r2, [r0, #GUEST_VIRQ_DIRTY]
    ldrb    r0, [r0, #GUEST_VIRQ_SIGNALLED]
    orrs    r0, r0, r2
    bne     svc_pv
    and     r2, r3, #3
    sub     r0, sp, #16
    ldr     r2, [r0, r2, lsl #2]        @ Rn: the saved PC's address
    tst     r2, #3
    bne     svc_pv                      @ unaligned: an alignment fault
    sub     r0, r2, #PV_RET_USER_PC_OFF @ the frame's first word...
    mcr     p15, 0, r0, c7, c8, 2       @ ATS1CUR
    isb
    mrc     p15, 0, r0, c7, c4, 0       @ PAR (the guest's PAR is virtual)
    tst     r0, #1
    bne     svc_pv
    add     r0, r2, #4                  @ ...and its last
    mcr     p15, 0, r0, c7, c8, 2
    isb
    mrc     p15, 0, r0, c7, c4, 0
    tst     r0, #1
    bne     svc_pv
    ldr     r0, [r2, #4]                @ the CPSR to return with
    tst     r0, #PSR_J
    bne     svc_pv
    and     r0, r0, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_USR
    bne     svc_pv
    @ committed.  lr = Rn | K (Rn is word-aligned)
    and     r0, r3, #0x10
    orr     lr, r2, r0, lsr #4
    ldr     r3, [r2, #4]
    str     r3, [r1, #VCPU_SPSR_SVC]    @ MSR SPSR_fsxc (the SRFA's word too)
#if SRFA_ON
    ldr     r0, [r1, #VCPU_SRFA]
    str     r3, [r0, #PV_SRFA_SPSR_OF(PV_SRFA_BANK_SVC)]
#endif
    to_virtual_user
    ldrd    r2, r3, [r1, #VCPU_STAT_RET_USER]
    adds    r2, r2, #1
    adc     r3, r3, #0
    strd    r2, r3, [r1, #VCPU_STAT_RET_USER]
    bic     r0, lr, #1
    ldr     r2, [r0]                    @ the new PC: BranchWritePC (A2.3.1)
    mrs     r3, spsr
    tst     r3, #PSR_T
    bicne   r2, r2, #1
    biceq   r2, r2, #3
    tst     lr, #1                      @ K: r0 keeps its value (its slot)
    ldreq   r3, [r0, #-PV_RET_USER_PC_OFF]
    streq   r3, [sp, #-16]
    sub     r0, r0, #(PV_RET_USER_PC_OFF - 4)
    mov     lr, r2
    ldmia   r0, {r1-r14}^               @ User r1-r14 (B9.3.6)
    mov     r0, #DACR_USER              @ the frame read: virtual PL0 now
    mcr     p15, 0, r0, c3, c0, 0
    ldr     r0, [sp, #-16]
    movs    pc, lr                      @ into virtual User mode
#endif

#if FIT_ON
/* fit_rt LABEL: r0 = the guest's Rt[15:12] of the SVC in r3 (r0-r3 from
 * their slots), then on to LABEL; SP, LR and PC to the slow path, which
 * reads them.  Clobbers r2. */
    .macro  fit_rt label
    ubfx    r2, r3, #12, #4             @ Rt
    cmp     r2, #13
    bhs     svc_slow
    cmp     r2, #4
    sublo   r0, sp, #16
    ldrlo   r0, [r0, r2, lsl #2]
    blo     \label
    sub     r2, r2, #4
    add     pc, pc, r2, lsl #3
    nop
    .irp    n, 4, 5, 6, 7, 8, 9, 10, 11, 12
    mov     r0, r\n
    b       \label
    .endr
    .endm

/* FIT_STORE: TPIDRURO = Rt[15:12], what wr_tpidruro() (core/cp15.c) does:
 * the real register (the guest's User mode reads it natively) and the
 * vCPU's copy.  r3 = the SVC. */
fit_store:
    movw    r0, #0x0FFF                 @ reserved bits (only TPIDRURO so far)
    tst     r3, r0
    bne     svc_slow
    fit_rt  7f
7:  mcr     p15, 0, r0, c13, c0, 3      @ TPIDRURO
    str     r0, [r1, #VCPU_TPIDRURO]
    ldr     r2, [r1, #VCPU_FIT_HITS]
    add     r2, r2, #1
    str     r2, [r1, #VCPU_FIT_HITS]
    ldmdb   sp, {r0-r3}
    movs    pc, lr

/* FIT_FPEXC: VMRS Rt, FPEXC (L = 1) and VMSR FPEXC, Rt with EN = 0, what
 * vfp_sys_emulate() (core/vfp.c) does once the virtual CPACR grants cp10 at
 * PL1: cp10 = 1 or 3, that is bit 20 (B4.1.40; the virtual CPACR reads 0
 * where there is no VFP: wr_cpacr()).  Otherwise, or for a write that sets
 * EN (which VFP owner may use it is C's decision: vfp_update_access()), the
 * C path.  A write with EN = 0 turns the real unit off whoever owns it
 * (vfp_update_access() with the guest's EN clear); the exception return
 * that ends this path is a context synchronization operation, as the ISB of
 * arch_vfp_enable() is, so the guest's next VFP instruction, in whatever
 * mode, is UNDEFINED.  r3 = the SVC. */
fit_fpexc:
    movw    r0, #0x0FFE                 @ reserved bits
    tst     r3, r0
    bne     svc_slow
    ldr     r2, [r1, #VCPU_CPACR]
    tst     r2, #(1 << 20)              @ cp10 at PL1?
    beq     svc_slow                    @ no: the C path gives the UNDEF
    tst     r3, #1
    beq     1f
    ubfx    r2, r3, #12, #4             @ VMRS: Rt = the virtual FPEXC
    cmp     r2, #13
    bhs     svc_slow                    @ SP, LR, PC: the slow path stops the guest
    ldr     r0, [r1, #VCPU_FPEXC]
    lsl     r2, r2, #2
    b       fit_to_rt
1:  fit_rt  2f                          @ VMSR: r0 = the value written
2:  tst     r0, #FPEXC_EN_BIT
    bne     svc_pv                      @ EN = 1: C decides (r3 = the SVC)
    mov     r0, #0
    str     r0, [r1, #VCPU_FPEXC]       @ the virtual FPEXC keeps EN only
    .fpu    vfpv3
    vmrs    r0, fpexc
    bic     r0, r0, #FPEXC_EN_BIT
    vmsr    fpexc, r0
    b       fit_done                    @ count it, back to the guest

/* FIT_CACHE: maintenance op[3:0] by the VA in Rt[15:12] (r3 = the SVC). */
fit_cache:
    tst     r3, #0xFF0                  @ reserved bits
    bne     svc_slow
    and     r0, r3, #0xF
    cmp     r0, #PV_FIT_NCACHE
    bhs     svc_slow
    fit_rt  4f
4:  @ r0 = VA.  Only if the current shadow maps it (ATS1CUR, B4.2.4): then
    @ the operation cannot abort; else the slow path finds the memory.
    mcr     p15, 0, r0, c7, c8, 2
    isb
    mrc     p15, 0, r2, c7, c4, 0       @ PAR (the guest's PAR is virtual)
    tst     r2, #1
    bne     svc_slow
    and     r3, r3, #0xF
    add     pc, pc, r3, lsl #3
    nop
    mcr     p15, 0, r0, c7, c10, 1      @ 0 DCCMVAC
    b       fit_done
    mcr     p15, 0, r0, c7, c11, 1      @ 1 DCCMVAU
    b       fit_done
    mcr     p15, 0, r0, c7, c14, 1      @ 2 DCCIMVAC
    b       fit_done
    mcr     p15, 0, r0, c7, c14, 1      @ 3 DCIMVAC, upgraded to clean+invalidate
    b       fit_done
    mcr     p15, 0, r0, c7, c5, 1       @ 4 ICIMVAU
    b       fit_done
fit_done:
    ldr     r2, [r1, #VCPU_FIT_HITS]
    add     r2, r2, #1
    str     r2, [r1, #VCPU_FIT_HITS]
    ldmdb   sp, {r0-r3}
    movs    pc, lr
#endif

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

#if LEAN_TRAP_ON
/* guest_resume(struct arm_regs *f): arch_resume() for a frame known to be a
 * guest's (what sched_next() and sched_resume() return). */
guest_resume:
    mov     sp, r0
    pop     {r0-r12}
    ldmia   sp, {sp, lr}^               @ User-bank SP and LR
    add     sp, sp, #8
    rfeia   sp!                         @ pc, cpsr (ARM ARM B9.3.13)
#endif
    .ltorg
