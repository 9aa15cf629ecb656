/*
 * bench_asm.S - the measured loops of the benchmark guest (bench.c).
 *
 * Every kernel has the same shape, so that the empty kernel measures the
 * loop and counter-read overhead of all of them:
 *
 *     uint32_t k_<name>(uint32_t n, uint32_t a1, uint32_t a2, uint32_t a3)
 *         r4 = n (>= 1), r5 = a1, r8 = a2, r9 = a3; pre_<name>
 *         t0 = PMCCNTR
 *     1:  op_<name>
 *         subs r4, r4, #1 ; bne 1b
 *         t1 = PMCCNTR
 *         return t1 - t0
 *
 * so (k_<name>(n) - k_empty(n)) / n is the cost of one op_<name>: the
 * instructions executed for it natively, and under the monitor the
 * instructions of the guest plus everything the monitor executes for it
 * (the guest's PMCCNTR is the real counter minus an offset).  Sensitive
 * instructions go through sensitive.S (real natively, PV SVCs with -DPV=1);
 * PMCCNTR is always read with a real MRC (a trap under the monitor).
 *
 * Exceptions during the benchmarks that need a handler of known length use
 * bench_vectors (VBAR is switched by bench.c around them):
 *   SVC   `movs pc, lr` right in the vector slot (the guest's own SVC,
 *         returned from at once)
 *   UND   bench_und_exit: ends run_user_raw() (the User-mode kernels end with
 *         UDF, since their SVCs return at once)
 *   IRQ   bench_irq: reads PMCCNTR first thing, then acknowledges the
 *         virtual timer interrupt
 *   else  the runtime's stubs (unexpected there: reported by exc.c)
 */
#include "armv7.h"
#include "sensitive.S"

        .syntax unified
        .arm

        .macro  rd_ccnt rd
        mrc     p15, 0, \rd, c9, c13, 0         @ PMCCNTR
        .endm

        .macro  KERNEL name
        .global k_\name
        .type   k_\name, %function
        .balign 32
k_\name:
        push    {r4-r11, lr}
        mov     r4, r0
        mov     r5, r1
        mov     r8, r2
        mov     r9, r3
        pre_\name
        rd_ccnt r6
1:      op_\name
        subs    r4, r4, #1
        bne     1b
        rd_ccnt r7
        sub     r0, r7, r6
        pop     {r4-r11, pc}
        .size   k_\name, . - k_\name
        .endm

        .macro  nothing
        .endm

/* ---- the empty loop: loop and counter-read overhead ------------------- */
        .macro  pre_empty
        .endm
        .macro  op_empty
        .endm

/* ---- null hypercall (PV only): HC_ABI_VERSION ------------------------- */
        .macro  pre_hvc
        .endm
        .macro  op_hvc
#ifdef PV
        v_hvc   HC_ABI_VERSION                  @ r0 = 1
#endif
        .endm

/* ---- trapped CP15 read: MRC CONTEXTIDR --------------------------------- */
        .macro  pre_cp15rd
        .endm
        .macro  op_cp15rd
        mrc     p15, 0, r0, c13, c0, 1
        .endm

/* ---- trapped CP15 read: MRC SCTLR --------------------------------------- */
        .macro  pre_sctlrrd
        .endm
        .macro  op_sctlrrd
        mrc     p15, 0, r0, c1, c0, 0
        .endm

/* ---- CP15 read through the SRFA page (PV) / the MRC it replaces -------- */
        .macro  pre_cp15srfa
        .endm
        .macro  op_cp15srfa
#ifdef PV
        mvn     r0, #0x40000000                 @ PV_SRFA_BASE
        ldr     r0, [r0, #PV_SRFA_DISP(PV_SRFA_CP15_OFF(41))]   @ CONTEXTIDR
#else
        mrc     p15, 0, r0, c13, c0, 1
#endif
        .endm

/* ---- CP15 read as a FIT op (PV) / the MRC it replaces ------------------- */
        .macro  pre_fitrd
        .endm
        .macro  op_fitrd
#ifdef PV
        .word   PV_ENCODE(PV_COND_AL, PV_FIT_LOAD(0, PV_SRFA_CP15 / 4 + 41))
#else
        mrc     p15, 0, r0, c13, c0, 1
#endif
        .endm

/* ---- IRQ enable/disable pair through the SRFA's VCPSR word (PV) --------- */
        .macro  pre_cpssrfa
        .endm
        .macro  op_cpssrfa
#ifdef PV
        mvn     r0, #0x40000000
        ldr     r1, [r0, #PV_SRFA_DISP(PV_SRFA_VCPSR)]
        bic     r1, r1, #PSR_I
        str     r1, [r0, #PV_SRFA_DISP(PV_SRFA_VCPSR)]
        mvn     r0, #0x40000000
        ldr     r1, [r0, #PV_SRFA_DISP(PV_SRFA_VCPSR)]
        orr     r1, r1, #PSR_I
        str     r1, [r0, #PV_SRFA_DISP(PV_SRFA_VCPSR)]
#else
        cpsie   i
        cpsid   i
#endif
        .endm

/* ---- TLBIMVA as a paravirtualized guest runs it: a NOP ------------------ */
        .macro  pre_tlbnop
        .endm
        .macro  op_tlbnop
#ifdef PV
        nop
#else
        mcr     p15, 0, r5, c8, c7, 1
#endif
        .endm

/* ---- IRQ enable/disable pair (CPSR.I is set on entry and on exit) ------ */
        .macro  pre_cps
        .endm
        .macro  op_cps
        v_cpsie i
        v_cpsid i
        .endm

/* ---- TLBIMVA of a mapped VA: r5 = VA | ASID ---------------------------- */
        .macro  pre_tlbimva
        .endm
        .macro  op_tlbimva
        mcr     p15, 0, r5, c8, c7, 1
        .endm

/* ---- a load from a fresh 4 KiB page each iteration: r5 = first VA,
 *      r8 = 4096 -------------------------------------------------------- */
        .macro  pre_fill
        .endm
        .macro  op_fill
        ldr     r0, [r5], r8
        .endm

/* ---- context switch A -> B -> A (B3.10.4: through the reserved ASID 0),
 *      a load after each: r5 = TTBR0 of A, r8 = TTBR0 of B, r9 = VA,
 *      ASIDs 1 (A) and 2 (B) -------------------------------------------- */
        .macro  pre_ctxsw
        .endm
        .macro  switch_to ttbr, asid
        mov     r0, #0
        mcr     p15, 0, r0, c13, c0, 1          @ CONTEXTIDR = 0
        isb
        mcr     p15, 0, \ttbr, c2, c0, 0        @ TTBR0
        isb
        mov     r0, #\asid
        mcr     p15, 0, r0, c13, c0, 1          @ CONTEXTIDR = ASID
        isb
        ldr     r1, [r9]
        .endm
        .macro  op_ctxsw
        switch_to r8, 2
        switch_to r5, 1
        .endm

/* ---- MMIO store without side effects: r5 = value, r8 = UARTIBRD -------- */
        .macro  pre_mmio
        .endm
        .macro  op_mmio
        str     r5, [r8]
        .endm

/* ---- CP15 write without effect: CONTEXTIDR = r5 (its value) ---------- */
        .macro  pre_cp15wr
        .endm
        .macro  op_cp15wr
        mcr     p15, 0, r5, c13, c0, 1
        .endm

/* ---- MMIO load without side effects: r8 = UARTIBRD ---------------------- */
        .macro  pre_mmiord
        .endm
        .macro  op_mmiord
        ldr     r0, [r8]
        .endm

/* ---- cache maintenance by VA, trapped: DCCMVAC of r5 (a line of guest
 *      RAM; not a sensitive instruction, so the PV build traps it too) --- */
        .macro  pre_dccmvac
        .endm
        .macro  op_dccmvac
        mcr     p15, 0, r5, c7, c10, 1
        .endm

/* ---- UART TX: r5 = string, r8 = UARTDR; uarttx0 is its baseline ------- */
        .macro  pre_uarttx
        .endm
        .macro  op_uarttx
        ldrb    r0, [r5], #1
        str     r0, [r8]
        .endm
        .macro  pre_uarttx0
        .endm
        .macro  op_uarttx0
        ldrb    r0, [r5], #1
        .endm

/* ---- exception return PL1 -> PL1: MOVS PC, LR with SPSR = CPSR --------- */
        .macro  pre_excret
        v_mrs   r0, cpsr
        v_msr   spsr, fsxc, r0
        adr     lr, 2f
        .endm
        .macro  op_excret
        v_movs_pc_lr                            @ -> 2f
2:
        .endm

/* ---- SVC from SVC mode to `movs pc, lr` (needs bench_vectors) ---------- */
        .macro  pre_svcpl1
        .endm
        .macro  op_svcpl1
        svc     #0
        .endm

        .text
        KERNEL  empty
        KERNEL  hvc
        KERNEL  cp15rd
        KERNEL  sctlrrd
        KERNEL  cps
        KERNEL  cp15srfa
        KERNEL  fitrd
        KERNEL  cpssrfa
        KERNEL  tlbimva
        KERNEL  tlbnop
        KERNEL  fill
        KERNEL  ctxsw
        KERNEL  mmio
        KERNEL  mmiord
        KERNEL  cp15wr
        KERNEL  dccmvac
        KERNEL  uarttx
        KERNEL  uarttx0
        KERNEL  excret
        KERNEL  svcpl1

/* uint32_t k_b2b(void): two back-to-back counter reads */
        .global k_b2b
        .type   k_b2b, %function
k_b2b:
        rd_ccnt r1
        rd_ccnt r2
        sub     r0, r2, r1
        bx      lr
        .size   k_b2b, . - k_b2b

/* uint32_t k_touch1(uint32_t addr): one load from addr between two counter
 * reads (the first touch of a MiB: bench.c's first-touch-mib) */
        .global k_touch1
        .type   k_touch1, %function
k_touch1:
        rd_ccnt r1
        ldr     r3, [r0]
        rd_ccnt r2
        sub     r0, r2, r1
        bx      lr
        .size   k_touch1, . - k_touch1

/* ---- virtual IRQ delivery ----------------------------------------------
 * uint32_t k_virq(uint32_t n): n times: arm the virtual timer with TVAL = 0
 * (pending at once) while CPSR.I is set, t0 = PMCCNTR, CPSIE i; the
 * interrupt is taken before the next instruction and bench_irq stores
 * t1 = PMCCNTR (its first instruction) in bench_irq_t1.  Returns the sum of
 * t1 - t0 (each includes one counter-read overhead).  Needs bench_vectors
 * and the GIC set up; bench_irq_count counts the interrupts taken. */
        .global k_virq
        .type   k_virq, %function
k_virq:
        push    {r4-r11, lr}
        mov     r4, r0
        mov     r10, #0
        ldr     r11, =bench_irq_t1
1:
#ifdef IRQ_GTIMER
        mov     r0, #0
        mcr     p15, 0, r0, c14, c3, 1          @ CNTV_CTL = 0
        mcr     p15, 0, r0, c14, c3, 0          @ CNTV_TVAL = 0
        mov     r0, #1
        mcr     p15, 0, r0, c14, c3, 1          @ CNTV_CTL = ENABLE
        isb
#endif
        rd_ccnt r6
        v_cpsie i
        v_cpsid i
        ldr     r7, [r11]
        sub     r7, r7, r6
        add     r10, r10, r7
        subs    r4, r4, #1
        bne     1b
        mov     r0, r10
        pop     {r4-r11, pc}
        .size   k_virq, . - k_virq
        .ltorg

/* ---- User-mode kernels (run_user_raw(u_<name>, n, USR)) -----------------
 * Real instructions in both builds; PMUSERENR.EN lets User mode read the
 * counter (under the monitor: a trap, emulated).  They end with UDF, which
 * bench_und_exit turns into the return of run_user_raw() with r0. */
        .macro  UKERNEL name
        .global u_\name
        .type   u_\name, %function
        .balign 32
u_\name:
        mov     r4, r0
        rd_ccnt r6
1:      op_\name
        subs    r4, r4, #1
        bne     1b
        rd_ccnt r7
        sub     r0, r7, r6
        udf     #0
        .size   u_\name, . - u_\name
        .endm

        .macro  op_usvc
        svc     #0                              @ the guest's own system call
        .endm

        .section .usertext, "ax"
        UKERNEL empty
        UKERNEL usvc

        .global u_b2b
        .type   u_b2b, %function
u_b2b:
        rd_ccnt r1
        rd_ccnt r2
        sub     r0, r2, r1
        udf     #0
        .size   u_b2b, . - u_b2b

/* ---- the benchmark vector table ---------------------------------------- */
        .text
        .balign 32
        .global bench_vectors
bench_vectors:
        b       __vec_reset
        b       bench_und_exit
        v_movs_pc_lr                            @ SVC: return at once
        b       __vec_pabt
        b       __vec_dabt
        b       __vec_hyp
        b       bench_irq
        b       __vec_fiq

/* UDF from a User-mode kernel: return from run_user_raw() with r0, as the
 * runtime's `svc #SVC_USER_RETURN` path does (lib/start.S) */
bench_und_exit:
        v_cps   MODE_SVC
        ldr     r3, =__run_user_sp
        ldr     sp, [r3]
        pop     {r4, r5}
        v_msr   cpsr, fsxc, r4                  @ CPSR as at the run_user_raw() call
        pop     {r4-r12, pc}

/* the virtual timer's interrupt: t1 first, then IAR, mask the timer, EOIR */
bench_irq:
        rd_ccnt r12                             @ t1 (r12: scratch of k_virq)
        push    {r0-r3}
        ldr     r0, =bench_irq_t1
        str     r12, [r0]
        ldr     r0, =bench_irq_count
        ldr     r1, [r0]
        add     r1, r1, #1
        str     r1, [r0]
#ifdef GICC_BASE
        ldr     r1, =GICC_BASE
        ldr     r2, [r1, #0x0C]                 @ GICC_IAR
#ifdef IRQ_GTIMER
        mov     r3, #0
        mcr     p15, 0, r3, c14, c3, 1          @ CNTV_CTL = 0: line down
        isb
#endif
        str     r2, [r1, #0x10]                 @ GICC_EOIR
        dsb
#endif
        pop     {r0-r3}
        v_subs_pc_lr 4
        .ltorg

        .bss
        .balign 4
        .global bench_irq_t1, bench_irq_count
bench_irq_t1:
        .space  4
bench_irq_count:
        .space  4
