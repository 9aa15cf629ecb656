/* cp15_asm.S - User-mode probes of cp15.c (real instructions, run in USR) */
#include "armv7.h"
        .syntax unified
        .arm
        .section .usertext, "ax"

        .global user_read_tpidruro
user_read_tpidruro:
        mrc     p15, 0, r0, c13, c0, 3
        bx      lr

        .global user_rw_tpidrurw        @ r0 = new value, returns the old one
user_rw_tpidrurw:
        mrc     p15, 0, r1, c13, c0, 2
        mcr     p15, 0, r0, c13, c0, 2
        mov     r0, r1
        bx      lr

        .global user_write_tpidruro, user_write_tpidruro_insn
user_write_tpidruro:
user_write_tpidruro_insn:
        mcr     p15, 0, r0, c13, c0, 3  @ PL1 only: UNDEFINED in User mode
        bx      lr
