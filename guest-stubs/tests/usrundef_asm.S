/* usrundef_asm.S - User-mode probes (real instructions, run in USR) */
#include "armv7.h"
        .syntax unified
        .arm
        .section .usertext, "ax"

        .macro  probe name, n, insn
        .global \name, \name\()_insn
\name:
        msr     cpsr_f, #0x60000000     @ Z, C
        ldr     r0, =0xDEAD0000 + \n
\name\()_insn:
        \insn
        bx      lr
        .endm

        probe   u_udf,          1, "udf #0x99"
        probe   u_mrc_sctlr,    2, "mrc p15, 0, r0, c1, c0, 0"
        probe   u_mcr_tpidruro, 3, "mcr p15, 0, r1, c13, c0, 3"
        probe   u_mrc_midr,     4, "mrc p15, 0, r0, c0, c0, 0"
        probe   u_mcr_iciallu,  5, "mcr p15, 0, r1, c7, c5, 0"
        probe   u_mrc_dacr,     6, "mrc p15, 0, r0, c3, c0, 0"
        .ltorg
