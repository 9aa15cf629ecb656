/*
 * Short-descriptor translation table format (ARM ARM B3.5).
 * Assembly-safe: only #defines.
 */
#ifndef ARCH_MMU_DEFS_H
#define ARCH_MMU_DEFS_H

/* First-level descriptors (B3.5.1) */
#define L1_TYPE_MASK        0x3
#define L1_TYPE_FAULT       0x0
#define L1_TYPE_TABLE       0x1
#define L1_TYPE_SECT        0x2
#define L1_SECT_B           (1 << 2)
#define L1_SECT_C           (1 << 3)
#define L1_SECT_XN          (1 << 4)
#define L1_DOMAIN(d)        ((d) << 5)
#define L1_SECT_AP0         (1 << 10)
#define L1_SECT_AP1         (1 << 11)
#define L1_SECT_TEX(t)      ((t) << 12)
#define L1_SECT_APX         (1 << 15)
#define L1_SECT_S           (1 << 16)
#define L1_SECT_NG          (1 << 17)
#define L1_SECT_SUPER       (1 << 18)

/* AP[2:0] for sections (B3.7.1, with SCTLR.AFE = 0) */
#define L1_SECT_AP_PL1_RW   (L1_SECT_AP0)                   /* AP=001 */
#define L1_SECT_AP_PL1_RO   (L1_SECT_APX | L1_SECT_AP0)     /* AP=101 */
#define L1_SECT_AP_ALL_RW   (L1_SECT_AP1 | L1_SECT_AP0)     /* AP=011 */

/* Memory types with SCTLR.TRE = 0 (B3.8.2) */
#define L1_SECT_NORMAL_WBWA (L1_SECT_TEX(1) | L1_SECT_C | L1_SECT_B)
#define L1_SECT_DEVICE      (L1_SECT_B)                      /* Shareable Device */

/* Small page descriptors (B3.5.1): XN, type, B, C, AP[1:0], TEX, APX, nG */
#define L2_SMALL_XN         (1 << 0)
#define L2_TYPE_SMALL       (1 << 1)
#define L2_SMALL_AP0        (1 << 4)
#define L2_SMALL_APX        (1 << 9)
#define L2_SMALL_NORMAL_WBWA ((1 << 6) | (1 << 3) | (1 << 2))   /* TEX=001 C B */
#define L2_SMALL_PL1_RW     (L2_TYPE_SMALL | L2_SMALL_NORMAL_WBWA | L2_SMALL_AP0)
#define L2_SMALL_PL1_RO     (L2_SMALL_PL1_RW | L2_SMALL_APX)

/* Domains the monitor uses (issue 3 refines the guest side). */
#define HV_DOMAIN_MONITOR   0
#define HV_DOMAIN_GUEST     1
#define HV_DACR             0x55555555      /* every domain: client */

/* The monitor's own sections: PL1 RW, global. */
#define HV_SECT_RAM         (L1_TYPE_SECT | L1_SECT_NORMAL_WBWA | L1_SECT_AP_PL1_RW | L1_DOMAIN(HV_DOMAIN_MONITOR))
#define HV_SECT_DEV         (L1_TYPE_SECT | L1_SECT_DEVICE | L1_SECT_XN | L1_SECT_AP_PL1_RW | L1_DOMAIN(HV_DOMAIN_MONITOR))

/* SCTLR bits (B4.1.130) */
#define SCTLR_M     (1 << 0)
#define SCTLR_A     (1 << 1)
#define SCTLR_C     (1 << 2)
#define SCTLR_SW    (1 << 10)
#define SCTLR_Z     (1 << 11)
#define SCTLR_I     (1 << 12)
#define SCTLR_V     (1 << 13)
#define SCTLR_RR    (1 << 14)
#define SCTLR_HA    (1 << 17)
#define SCTLR_EE    (1 << 25)
#define SCTLR_NMFI  (1 << 27)
#define SCTLR_TRE   (1 << 28)
#define SCTLR_AFE   (1 << 29)
#define SCTLR_TE    (1 << 30)

/* TTBR0 walk attributes: RGN = 01 (outer WBWA); on cores with the
 * Multiprocessing Extensions IRGN[0] (bit 6) = 1 gives inner WBWA. */
#define TTBR_WALK_ATTRS     0x48

#endif
