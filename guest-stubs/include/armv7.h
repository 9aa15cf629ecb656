/*
 * ARMv7-A architectural constants for the test guests (C and assembly).
 * ARM ARM ARMv7-A/R (DDI 0406C) B1.3.3 "Program Status Registers".
 */
#ifndef GUEST_ARMV7_H
#define GUEST_ARMV7_H

#define MODE_USR    0x10
#define MODE_FIQ    0x11
#define MODE_IRQ    0x12
#define MODE_SVC    0x13
#define MODE_ABT    0x17
#define MODE_UND    0x1B
#define MODE_SYS    0x1F
#define MODE_MASK   0x1F

#define PSR_T       (1 << 5)
#define PSR_F       (1 << 6)
#define PSR_I       (1 << 7)
#define PSR_A       (1 << 8)
#define PSR_E       (1 << 9)
#define PSR_GE_MASK 0x000F0000
#define PSR_J       (1 << 24)
#define PSR_Q       (1 << 27)
#define PSR_V       (1 << 28)
#define PSR_C       (1 << 29)
#define PSR_Z       (1 << 30)
#define PSR_N       (1 << 31)
#define PSR_NZCVQ   0xF8000000
#define PSR_IT_MASK 0x0600FC00      /* IT[1:0] = bits 26:25, IT[7:2] = bits 15:10 */
#define PSR_EXEC_MASK (PSR_IT_MASK | PSR_J | PSR_T)
/* bits A,I,F,T,M plus E: the "control" part we compare after mode changes */
#define PSR_CTL_MASK 0x3FF

/* Exception vector offsets (B1.8.1) */
#define VEC_RESET   0x00
#define VEC_UND     0x04
#define VEC_SVC     0x08
#define VEC_PABT    0x0C
#define VEC_DABT    0x10
#define VEC_HYP     0x14
#define VEC_IRQ     0x18
#define VEC_FIQ     0x1C

/* SCTLR bits (B4.1.130) */
#define SCTLR_M     (1 << 0)
#define SCTLR_A     (1 << 1)
#define SCTLR_V     (1 << 13)

/* SVC immediates used by the runtime itself (guest's own SVCs, imm24 < 0x200000) */
#define SVC_USER_RETURN 0xF0        /* run_user(): the user function is done, r0 = result */

#endif /* GUEST_ARMV7_H */
