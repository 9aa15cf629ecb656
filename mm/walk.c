/*
 * Guest translation table walker (see walk.h).
 */
#include "walk.h"

#define SCTLR_AFE (1u << 29)

void mmu_ap_perms(uint8_t ap, bool afe, uint8_t *pl1, uint8_t *pl0)
{
    /* Table B3-8 (AFE = 0, full model) and B3-9 (AFE = 1, simplified model,
     * AP[0] is the access flag). */
    static const uint8_t full[8][2] = {
        { 0, 0 },                           /* 000 no access */
        { PERM_R | PERM_W, 0 },             /* 001 PL1 RW */
        { PERM_R | PERM_W, PERM_R },        /* 010 PL1 RW, PL0 RO */
        { PERM_R | PERM_W, PERM_R | PERM_W },/* 011 full access */
        { 0, 0 },                           /* 100 reserved */
        { PERM_R, 0 },                      /* 101 PL1 RO */
        { PERM_R, PERM_R },                 /* 110 RO (deprecated) */
        { PERM_R, PERM_R },                 /* 111 RO */
    };
    static const uint8_t simple[4][2] = {
        { PERM_R | PERM_W, 0 },             /* AP[2:1] = 00 */
        { PERM_R | PERM_W, PERM_R | PERM_W },/* 01 */
        { PERM_R, 0 },                      /* 10 */
        { PERM_R, PERM_R },                 /* 11 */
    };
    if (afe) {
        *pl1 = simple[ap >> 1][0];
        *pl0 = simple[ap >> 1][1];
    } else {
        *pl1 = full[ap & 7][0];
        *pl0 = full[ap & 7][1];
    }
}

uint32_t mmu_walk(const struct mmu_regs *m, uint32_t va, mmu_read_fn rd, void *ctx,
                  struct walk_result *r)
{
    unsigned n = m->ttbcr & 7;
    bool use_ttbr1 = n && (va >> (32 - n));
    uint32_t l1_base, l1_index, desc, l2;
    bool afe = m->sctlr & SCTLR_AFE;

    *r = (struct walk_result){ 0 };
    /* TTBCR.PD0/PD1: no walk, a section translation fault (B4.1.154). */
    if ((!use_ttbr1 && (m->ttbcr & (1u << 4))) || (use_ttbr1 && (m->ttbcr & (1u << 5))))
        return fsr_make(FS_TRANS_SECTION, 0);
    if (use_ttbr1) {
        l1_base = m->ttbr1 & ~0x3FFFu;
        l1_index = va >> 20;
    } else {
        l1_base = m->ttbr0 & ~((1u << (14 - n)) - 1);
        l1_index = (va >> 20) & ((1u << (12 - n)) - 1);
    }
    r->l1_desc_ipa = l1_base + 4 * l1_index;
    if (!rd(ctx, r->l1_desc_ipa, &desc))
        return fsr_make(FS_EXT_WALK_L1, 0);

    /* With PXN, bits[1:0] = 0b11 is a section whose PXN (bit 0) is set. */
    unsigned type = desc & 3;
    if (type == 3 && m->pxn) {
        type = 2;
        r->pxn = true;
    }
    switch (type) {
    case 1:                                         /* page table */
        r->domain = (desc >> 5) & 0xF;
        r->pxn = m->pxn && (desc & (1u << 2));      /* for every page of the table */
        r->level = 2;
        r->l2_desc_ipa = (desc & ~0x3FFu) + 4 * ((va >> 12) & 0xFF);
        if (!rd(ctx, r->l2_desc_ipa, &l2))
            return fsr_make(FS_EXT_WALK_L2, r->domain);
        if ((l2 & 3) == 0)
            return fsr_make(FS_TRANS_PAGE, r->domain);
        if ((l2 & 3) == 1) {                        /* large page, 64 KiB */
            r->size = 0x10000;
            r->ipa_base = l2 & 0xFFFF0000u;
            r->xn = l2 & (1u << 15);
        } else {                                    /* small page, 4 KiB */
            r->size = 0x1000;
            r->ipa_base = l2 & 0xFFFFF000u;
            r->xn = l2 & 1;
        }
        r->ap = ((l2 >> 4) & 3) | (((l2 >> 9) & 1) << 2);
        r->ng = l2 & (1u << 11);
        break;
    case 2:                                         /* section or supersection */
        r->level = 1;
        if (desc & (1u << 18)) {
            r->size = 0x1000000;
            r->ipa_base = desc & 0xFF000000u;
            r->domain = 0;                          /* supersections: domain 0 */
        } else {
            r->size = 0x100000;
            r->ipa_base = desc & 0xFFF00000u;
            r->domain = (desc >> 5) & 0xF;
        }
        r->xn = desc & (1u << 4);
        r->ap = ((desc >> 10) & 3) | (((desc >> 15) & 1) << 2);
        r->ng = desc & (1u << 17);
        break;
    default:                                        /* fault, or reserved (no PXN) */
        return fsr_make(FS_TRANS_SECTION, 0);
    }
    r->va_base = va & ~(r->size - 1);
    r->ipa = r->ipa_base + (va & (r->size - 1));
    r->dtype = (m->dacr >> (2 * r->domain)) & 3;
    mmu_ap_perms(r->ap, afe, &r->perm_pl1, &r->perm_pl0);
    /* Access flag (AFE = 1: AP[0] is the flag), checked before the domain. */
    if (afe && !(r->ap & 1))
        return fsr_make(r->level == 1 ? FS_AF_SECTION : FS_AF_PAGE, r->domain);
    return 0;
}

uint32_t mmu_check(const struct mmu_regs *m, const struct walk_result *r,
                   enum mmu_access acc, bool pl1)
{
    uint8_t perm = pl1 ? r->perm_pl1 : r->perm_pl0;
    bool section = r->level == 1;

    if (r->dtype == 0 || r->dtype == 2)             /* no access, reserved */
        return fsr_make(section ? FS_DOMAIN_SECTION : FS_DOMAIN_PAGE, r->domain);
    if (r->dtype == 3)                              /* manager: no permission checks */
        return 0;
    /* XN and PXN are only checked in a client domain (B3.7.2). */
    if ((acc == ACC_WRITE && !(perm & PERM_W)) || !(perm & PERM_R) ||
        (acc == ACC_EXEC && (r->xn || (pl1 && r->pxn))))
        return fsr_make(section ? FS_PERM_SECTION : FS_PERM_PAGE, r->domain);
    return 0;
}

uint32_t mmu_translate(const struct mmu_regs *m, uint32_t va, enum mmu_access acc, bool pl1,
                       mmu_read_fn rd, void *ctx, struct walk_result *r)
{
    uint32_t fsr = mmu_walk(m, va, rd, ctx, r);
    return fsr ? fsr : mmu_check(m, r, acc, pl1);
}
