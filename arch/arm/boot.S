/*
 * Entry point, as loaded by QEMU -kernel (ELF) or handed over by u-boot
 * bootm/bootz (Linux boot protocol: MMU and D-cache off, SVC mode, r2 = FDT).
 *
 * Runs at its physical address with the MMU off, so until the jump to the
 * virtual window everything here is position independent.  It builds a
 * boot translation table that maps the 8 MiB of monitor RAM into the window
 * (arch/memmap.h) plus an identity section for the instructions around the
 * MMU switch-on, enables MMU and caches, and continues in C.
 */
#include <arch/memmap.h>
#include <arch/mmu-defs.h>
#include <arch/psr.h>

#ifndef BOARD_UART_TX_OFFSET
#define BOARD_UART_TX_OFFSET 0      /* the UART's transmit register (PL011: UARTDR) */
#endif

    .syntax unified
    .arm
    .section .text.boot, "ax"
    .global _start
_start:
    mrs     r9, cpsr                    @ boot CPSR, kept for the banner
    mov     r10, r2                     @ FDT pointer from the boot loader
    cpsid   aif, #PSR_MODE_SVC          @ SVC mode, all interrupts masked

    @ r4 = physical _start, r5 = virtual _start, r11 = phys - virt
    adr     r4, _start
    ldr     r5, =_start
    sub     r11, r4, r5
    ldr     r0, =0xFFFFF
    tst     r4, r0
    bne     misaligned_load             @ sections need a 1 MiB aligned image

    @ MMU, caches and alignment checking off (u-boot hands over with them off,
    @ but a warm restart may not).  Then invalidate TLBs, I-cache, predictor.
    mrc     p15, 0, r8, c1, c0, 0       @ SCTLR at entry
    bic     r0, r8, #(SCTLR_M | SCTLR_A | SCTLR_C)
    bic     r0, r0, #(SCTLR_I | SCTLR_Z)
    mcr     p15, 0, r0, c1, c0, 0
    isb
    mov     r0, #0
    mcr     p15, 0, r0, c8, c7, 0       @ TLBIALL
    mcr     p15, 0, r0, c7, c5, 0       @ ICIALLU
    mcr     p15, 0, r0, c7, c5, 6       @ BPIALL
    dsb
    isb

    @ Zero the boot L1 table (physical address = virtual + r11).
    ldr     r6, =hv_master_l1
    add     r6, r6, r11
    mov     r0, #0
    mov     r1, #4096
1:  str     r0, [r6], #4
    subs    r1, r1, #1
    bne     1b
    sub     r6, r6, #SZ_16K

    @ Window: HV_RAM_SIZE of sections -> physical image base.
    ldr     r0, =HV_SECT_RAM
    orr     r0, r0, r4                  @ first physical section
    add     r1, r6, #(HV_WINDOW_L1_FIRST * 4)
    mov     r2, #(HV_RAM_SIZE >> 20)
2:  str     r0, [r1], #4
    add     r0, r0, #SZ_1M
    subs    r2, r2, #1
    bne     2b

    @ Identity section for the code that turns the MMU on.
    ldr     r0, =HV_SECT_RAM
    orr     r0, r0, r4
    lsr     r1, r4, #20
    str     r0, [r6, r1, lsl #2]

    @ TTBCR = 0 (TTBR0 only), DACR: all client, ASID 0, TTBR0 = boot table.
    mov     r0, #0
    mcr     p15, 0, r0, c2, c0, 2       @ TTBCR
    mcr     p15, 0, r0, c13, c0, 1      @ CONTEXTIDR
    ldr     r0, =HV_DACR
    mcr     p15, 0, r0, c3, c0, 0       @ DACR
    orr     r0, r6, #TTBR_WALK_ATTRS
    mcr     p15, 0, r0, c2, c0, 0       @ TTBR0
    dsb
    isb

    @ MMU + caches + branch prediction on; vectors via VBAR (V=0),
    @ TEX remap and access flag off, no alignment checking for now.
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #SCTLR_V
    bic     r0, r0, #SCTLR_A
    bic     r0, r0, #(SCTLR_TRE | SCTLR_AFE | SCTLR_TE | SCTLR_EE)
    orr     r0, r0, #(SCTLR_M | SCTLR_C)
    orr     r0, r0, #(SCTLR_I | SCTLR_Z)
    mcr     p15, 0, r0, c1, c0, 0
    isb
    ldr     pc, =start_virtual

start_virtual:
    @ Now at the window address.  Exception vectors first, so that anything
    @ going wrong from here on is reported rather than silently hanging.
    ldr     r0, =hv_vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb

    @ Exception-mode stacks (only used to report a monitor fault) and the
    @ SVC stack for C code: one each, above its guard page (linker.ld).
    cps     #PSR_MODE_IRQ
    ldr     sp, =__irq_stack_top
    cps     #PSR_MODE_ABT
    ldr     sp, =__abt_stack_top
    cps     #PSR_MODE_UND
    ldr     sp, =__und_stack_top
    cps     #PSR_MODE_FIQ
    ldr     sp, =__fiq_stack_top
    cps     #PSR_MODE_SVC
    ldr     sp, =__svc_stack_top

    @ Clear .bss except the boot L1 table, which is in use.
    ldr     r0, =__bss_start
    add     r0, r0, #SZ_16K
    ldr     r1, =__bss_end
    mov     r2, #0
3:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     3b

    ldr     r0, =hv_boot_info
    str     r4, [r0, #0]                @ phys_base
    str     r10, [r0, #4]               @ fdt
    str     r9, [r0, #8]                @ boot_cpsr
    str     r8, [r0, #12]               @ boot_sctlr
    bl      hv_main
    b       arch_halt

    @ The image must sit on a 1 MiB boundary; say so on the UART (still at its
    @ physical address, MMU off) and stop.
misaligned_load:
    adr     r1, misaligned_msg
    ldr     r2, =BOARD_UART_PHYS + BOARD_UART_TX_OFFSET
4:  ldrb    r0, [r1], #1
    cmp     r0, #0
    beq     5f
    str     r0, [r2]
    b       4b
5:  wfi
    b       5b
misaligned_msg:
    .asciz  "monitor: image not loaded at a 1 MiB aligned address; load it at e.g. 0x40100000\r\n"
    .align  2
    .ltorg

    .section .bss.l1, "aw", %nobits
    .align  14
    .global hv_master_l1
hv_master_l1:
    .space  SZ_16K
