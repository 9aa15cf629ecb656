/* Program status register fields (ARM ARM B1.3.3). Assembly-safe. */
#ifndef ARCH_PSR_H
#define ARCH_PSR_H

#define PSR_MODE_MASK   0x1F
#define PSR_MODE_USR    0x10
#define PSR_MODE_FIQ    0x11
#define PSR_MODE_IRQ    0x12
#define PSR_MODE_SVC    0x13
#define PSR_MODE_MON    0x16
#define PSR_MODE_ABT    0x17
#define PSR_MODE_HYP    0x1A
#define PSR_MODE_UND    0x1B
#define PSR_MODE_SYS    0x1F

#define PSR_T           (1 << 5)
#define PSR_F           (1 << 6)
#define PSR_I           (1 << 7)
#define PSR_A           (1 << 8)
#define PSR_E           (1 << 9)
#define PSR_IT_HI       0x0000FC00      /* IT[7:2] */
#define PSR_GE          0x000F0000
#define PSR_J           (1 << 24)
#define PSR_IT_LO       0x06000000      /* IT[1:0] */
#define PSR_Q           (1 << 27)
#define PSR_V           (1 << 28)
#define PSR_C           (1 << 29)
#define PSR_Z           (1 << 30)
#define PSR_N           (1u << 31)
#define PSR_NZCVQ       0xF8000000
#define PSR_AIF         (PSR_A | PSR_I | PSR_F)
#define PSR_IT          (PSR_IT_HI | PSR_IT_LO)

#endif
