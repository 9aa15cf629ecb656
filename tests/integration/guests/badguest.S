/*
 * A misbehaving paravirtualized guest (no runtime, ARM state).  It checks
 * that bad hypercall arguments are refused with the documented errors and
 * that touching the monitor's memory faults, printing one line per check;
 * then it executes a reserved PV encoding, for which the monitor must stop
 * it with a clear message while its neighbours keep running.
 */
#include <hv/pv-abi.h>

#define HVC(nr) .inst PV_ENCODE(PV_COND_AL, PV_HVC(nr))

    .syntax unified
    .arm
    .section .text.start, "ax"
    .global _start
_start:
    ldr     sp, =stack_top
    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0          @ VBAR (emulated)

    @ 1. HC_WRITE from a pointer into the monitor window: -EFAULT (-14)
    ldr     r0, =0xBF000000
    mov     r1, #16
    HVC(HC_WRITE)
    cmn     r0, #14
    ldrne   r0, =msg_fail_efault
    ldreq   r0, =msg_ok_efault
    bl      puts

    @ 2. HC_WRITE longer than HC_WRITE_MAX: -EINVAL (-22)
    ldr     r0, =msg_ok_efault
    ldr     r1, =HC_WRITE_MAX + 1
    HVC(HC_WRITE)
    cmn     r0, #22
    ldrne   r0, =msg_fail_einval
    ldreq   r0, =msg_ok_einval
    bl      puts

    @ 3. unknown hypercall number: -ENOSYS (-38)
    HVC(200)
    cmn     r0, #38
    ldrne   r0, =msg_fail_enosys
    ldreq   r0, =msg_ok_enosys
    bl      puts

    @ 4. load from the monitor window: the guest's own data abort
    mov     r4, #0
    ldr     r1, =0xBF000000
    ldr     r2, [r1]
    cmp     r4, #1                          @ set by the abort handler
    ldrne   r0, =msg_fail_dabt
    ldreq   r0, =msg_ok_dabt
    bl      puts

    @ 5. a reserved PV system op: the monitor stops this guest here
    ldr     r0, =msg_reserved
    bl      puts
    .inst   PV_ENCODE(PV_COND_AL, PV_SYS(15, 0))
    ldr     r0, =msg_fail_alive
    bl      puts
    mov     r0, #1
    HVC(HC_EXIT)

/* puts(r0): NUL-terminated string via HC_PUTC */
puts:
    mov     r3, r0
1:  ldrb    r0, [r3], #1
    cmp     r0, #0
    bxeq    lr
    HVC(HC_PUTC)
    b       1b

    .align  5
vectors:
    b       .                   @ reset
    b       .                   @ undef
    b       .                   @ svc
    b       .                   @ prefetch abort
    b       dabt                @ data abort
    b       .
    b       .
    b       .
dabt:
    mov     r4, #1
    mrc     p15, 0, r5, c5, c0, 0           @ DFSR: must be an external abort (0x008)
    ldr     r6, =0x40F
    and     r5, r5, r6
    cmp     r5, #8
    movne   r4, #2
    .inst   PV_ENCODE(PV_COND_AL, PV_DP_PC(0x2, 1, 14, 4))   @ subs pc, lr, #4: resume after the load
msg_ok_efault:    .asciz "ok   hc-write-bad-pointer: -EFAULT\n"
msg_fail_efault:  .asciz "FAIL hc-write-bad-pointer\n"
msg_ok_einval:    .asciz "ok   hc-write-too-long: -EINVAL\n"
msg_fail_einval:  .asciz "FAIL hc-write-too-long\n"
msg_ok_enosys:    .asciz "ok   hc-unknown: -ENOSYS\n"
msg_fail_enosys:  .asciz "FAIL hc-unknown\n"
msg_ok_dabt:      .asciz "ok   load-from-monitor: data abort, DFSR=external abort\n"
msg_fail_dabt:    .asciz "FAIL load-from-monitor\n"
msg_reserved:     .asciz "executing a reserved PV encoding\n"
msg_fail_alive:   .asciz "FAIL still running after a reserved PV encoding\n"
    .align  3
    .ltorg
    .space  1024
stack_top:
