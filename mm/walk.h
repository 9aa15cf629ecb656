/*
 * Guest translation table walker: ARMv7 short-descriptor format (ARM ARM
 * B3.5), with the fault checks of B3.12/B3.13 in the order the architecture
 * prioritizes them: translation, access flag, domain, permission.
 * Pure: reads guest memory through a callback, host-testable.
 */
#ifndef MM_WALK_H
#define MM_WALK_H

#include <stdint.h>
#include <stdbool.h>

/* The guest's MMU registers (virtual CP15), and whether the virtual CPU
 * implements the PXN attribute (ID_MMFR0.VMSA >= 0b0100, B4.1.89): then
 * an L1 descriptor with bits[1:0] = 0b11 is a section with PXN = 1 and bit 2
 * of a page-table descriptor is PXN (B3.5.1); else 0b11 is a translation
 * fault and bit 2 is ignored. */
struct mmu_regs {
    uint32_t sctlr, ttbr0, ttbr1, ttbcr, dacr;
    bool pxn;
};

enum mmu_access { ACC_READ, ACC_WRITE, ACC_EXEC };

/* Permission bits for one privilege level. */
#define PERM_R 1
#define PERM_W 2

struct walk_result {
    uint32_t ipa;               /* translation of the VA */
    uint32_t size;              /* 16M, 1M, 64K or 4K mapping */
    uint32_t va_base, ipa_base; /* the whole mapping */
    uint8_t level;              /* 1: section/supersection, 2: page */
    uint8_t domain;
    uint8_t dtype;              /* DACR field: 0 none, 1 client, 2 reserved, 3 manager */
    uint8_t ap;                 /* AP[2:0] */
    bool xn, ng;
    bool pxn;                   /* privileged execute-never (B3.7.2): PL1 fetches fault */
    uint8_t perm_pl1, perm_pl0; /* what the AP grants (client domain) */
    uint32_t l1_desc_ipa;       /* where the descriptors were read */
    uint32_t l2_desc_ipa;       /* level 2 only */
};

/* Reads one guest word at an IPA; false if nothing is there. */
typedef bool (*mmu_read_fn)(void *ctx, uint32_t ipa, uint32_t *val);

/*
 * Translate `va`; returns 0, or a fault status in DFSR/IFSR layout
 * (FS[3:0], domain [7:4] where valid, FS[4] at bit 10; no WnR).
 * The result describes the mapping even when the access check fails.
 */
uint32_t mmu_walk(const struct mmu_regs *m, uint32_t va, mmu_read_fn rd, void *ctx,
                  struct walk_result *r);
/* Check an access of kind `acc` at PL1 (`pl1`) or PL0 against a mapping. */
uint32_t mmu_check(const struct mmu_regs *m, const struct walk_result *r,
                   enum mmu_access acc, bool pl1);
/* Walk + check. */
uint32_t mmu_translate(const struct mmu_regs *m, uint32_t va, enum mmu_access acc, bool pl1,
                       mmu_read_fn rd, void *ctx, struct walk_result *r);

/* AP[2:0] (and SCTLR.AFE) -> permissions at PL1 and PL0 (B3.7.1). */
void mmu_ap_perms(uint8_t ap, bool afe, uint8_t *pl1, uint8_t *pl0);

/* Short-descriptor fault status codes (B3.13.3, Table B3-23). */
#define FS_ALIGNMENT        0x01
#define FS_AF_SECTION       0x03
#define FS_TRANS_SECTION    0x05
#define FS_AF_PAGE          0x06
#define FS_TRANS_PAGE       0x07
#define FS_EXT_ABORT        0x08
#define FS_DOMAIN_SECTION   0x09
#define FS_DOMAIN_PAGE      0x0B
#define FS_EXT_WALK_L1      0x0C
#define FS_PERM_SECTION     0x0D
#define FS_EXT_WALK_L2      0x0E
#define FS_PERM_PAGE        0x0F

static inline uint32_t fsr_make(uint32_t fs, uint32_t domain)
{
    return (fs & 0xF) | ((fs & 0x10) << 6) | ((domain & 0xF) << 4);
}
static inline uint32_t fsr_status(uint32_t fsr)
{
    return (fsr & 0xF) | ((fsr >> 6) & 0x10);
}

#endif
