/*
 * mm/walk.c: the guest short-descriptor translation table walker, checked
 * against the ARM ARM (ARMv7-A/R): B3.5 descriptor formats, B3.7 access
 * permissions and domains, B3.12/B3.13 fault priority and status codes.
 *
 * Guest tables live in the fake RAM (FAKE_RAM_BASE, 1 MiB); the walker reads
 * them through rd_ram() below, which also records every address it read.
 */
#include "unit.h"
#include "../../mm/walk.h"

#define ITER 20000
#define CHECK_TRUE_CTX(x, ...) CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

#define L1_AT       FAKE_RAM_BASE               /* 16 KiB, TTBR0 table */
#define L1B_AT      (FAKE_RAM_BASE + 0x4000)    /* 16 KiB, TTBR1 table */
#define L2_AT       (FAKE_RAM_BASE + 0x10000)   /* L2 tables, 1 KiB each */
#define OUTSIDE     0x30000000u                 /* no RAM there */

#define SCTLR_M_    1u
#define SCTLR_AFE_  (1u << 29)

/* ---- memory callbacks --------------------------------------------------- */

static uint32_t reads[8], nreads;

static bool rd_ram(void *ctx, uint32_t ipa, uint32_t *val)
{
    (void)ctx;
    if (nreads < 8)
        reads[nreads] = ipa;
    nreads++;
    if ((ipa & 3) || ipa < FAKE_RAM_BASE || ipa - FAKE_RAM_BASE > FAKE_RAM_SIZE - 4)
        return false;
    *val = fake_get32(ipa);
    return true;
}

/* Every read returns the same descriptor (address recording only). */
static uint32_t const_desc;
static bool rd_const(void *ctx, uint32_t ipa, uint32_t *val)
{
    (void)ctx;
    if (nreads < 8)
        reads[nreads] = ipa;
    nreads++;
    *val = const_desc;
    return true;
}

static int setup(void **state)
{
    fake_reset();
    nreads = 0;
    return 0;
}
#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

/* ---- descriptor builders (B3.5.1, B3.5.2) ------------------------------- */

static uint32_t sect(uint32_t base, unsigned dom, unsigned ap, bool xn, bool ng)
{
    return (base & 0xFFF00000u) | 2u | (xn ? 1u << 4 : 0) | (dom & 15) << 5 |
           (ap & 3) << 10 | (ap >> 2 & 1) << 15 | (ng ? 1u << 17 : 0);
}

static uint32_t supersect(uint32_t base, unsigned ap, bool xn)
{
    return (base & 0xFF000000u) | 2u | (1u << 18) | (xn ? 1u << 4 : 0) |
           (ap & 3) << 10 | (ap >> 2 & 1) << 15;
}

static uint32_t l1_table(uint32_t l2, unsigned dom)
{
    return (l2 & ~0x3FFu) | 1u | (dom & 15) << 5;
}

static uint32_t small_page(uint32_t base, unsigned ap, bool xn, bool ng)
{
    return (base & 0xFFFFF000u) | 2u | (xn ? 1u : 0) | (ap & 3) << 4 | (ap >> 2 & 1) << 9 |
           (ng ? 1u << 11 : 0);
}

static uint32_t large_page(uint32_t base, unsigned ap, bool xn, bool ng)
{
    return (base & 0xFFFF0000u) | 1u | (xn ? 1u << 15 : 0) | (ap & 3) << 4 | (ap >> 2 & 1) << 9 |
           (ng ? 1u << 11 : 0);
}

static void put_l1(uint32_t table, uint32_t va, uint32_t desc)
{
    fake_put32(table + 4 * (va >> 20), desc);
}

static void put_l2(uint32_t l2, uint32_t va, uint32_t desc)
{
    fake_put32(l2 + 4 * ((va >> 12) & 0xFF), desc);
}

static struct mmu_regs regs(uint32_t dacr)
{
    return (struct mmu_regs){ .sctlr = SCTLR_M_, .ttbr0 = L1_AT, .ttbr1 = L1B_AT,
                              .ttbcr = 0, .dacr = dacr };
}

#define DACR_ALL_CLIENT   0x55555555u
#define DACR_ALL_MANAGER  0xFFFFFFFFu

/* ---- independent reference (ARM ARM pseudocode, B3.15 / B3.7) ----------- */

static uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (uint32_t)(((uint64_t)x >> lo) & ((1ull << (hi - lo + 1)) - 1));
}

/* CheckPermission(): AP[2:0] with SCTLR.AFE forcing AP[0] = 1. */
static bool ref_ap_ok(unsigned ap, bool afe, bool priv, bool write)
{
    if (afe)
        ap |= 1;
    switch (ap) {
    case 0: return false;
    case 1: return priv;
    case 2: return priv || !write;
    case 3: return true;
    case 4: return false;           /* reserved: the walker treats it as no access */
    case 5: return priv && !write;
    default: return !write;          /* 110 (deprecated), 111 */
    }
}

struct ref {
    uint32_t fsr, ipa, size;
    unsigned dom, ap, level;
    bool xn, pxn;
};

static uint32_t fsr_of(unsigned fs, unsigned dom)
{
    /* DFSR: FS[3:0] at [3:0], Domain at [7:4], FS[4] at [10]. */
    return (fs & 15) | (dom & 15) << 4 | (fs >> 4 & 1) << 10;
}

static struct ref ref_translate(const struct mmu_regs *m, uint32_t va, enum mmu_access acc,
                                bool pl1)
{
    struct ref r = { 0 };
    unsigned n = bits(m->ttbcr, 2, 0);
    bool afe = m->sctlr & SCTLR_AFE_;
    uint32_t l1a, d, l2a, p;
    bool use1 = n != 0 && bits(va, 31, 32 - n) != 0;

    if (use1 ? bits(m->ttbcr, 5, 5) : bits(m->ttbcr, 4, 4)) {
        r.fsr = fsr_of(0x05, 0);
        return r;
    }
    if (use1)
        l1a = (bits(m->ttbr1, 31, 14) << 14) | (bits(va, 31, 20) << 2);
    else
        l1a = (bits(m->ttbr0, 31, 14 - n) << (14 - n)) | (bits(va, 31 - n, 20) << 2);
    if (!rd_ram(NULL, l1a, &d)) {
        r.fsr = fsr_of(0x0C, 0);
        return r;
    }
    /* With PXN (B3.5.1): bits[1:0] = 0b11 is a section with PXN = 1; a
     * page table's bit 2 is PXN for its pages.  Without: 0b11 faults. */
    switch (bits(d, 1, 0)) {
    case 3:
        if (!m->pxn) {
            r.fsr = fsr_of(0x05, 0);
            return r;
        }
        r.pxn = true;
        /* fall through: a section */
    case 2:
        goto section;
    case 0:
        r.fsr = fsr_of(0x05, 0);
        return r;
    case 1:
        r.dom = bits(d, 8, 5);
        r.pxn = m->pxn && bits(d, 2, 2);
        r.level = 2;
        l2a = (bits(d, 31, 10) << 10) | (bits(va, 19, 12) << 2);
        if (!rd_ram(NULL, l2a, &p)) {
            r.fsr = fsr_of(0x0E, r.dom);
            return r;
        }
        if (bits(p, 1, 0) == 0) {
            r.fsr = fsr_of(0x07, r.dom);
            return r;
        }
        if (bits(p, 1, 0) == 1) {
            r.size = 1u << 16;
            r.ipa = (bits(p, 31, 16) << 16) | bits(va, 15, 0);
            r.xn = bits(p, 15, 15);
        } else {
            r.size = 1u << 12;
            r.ipa = (bits(p, 31, 12) << 12) | bits(va, 11, 0);
            r.xn = bits(p, 0, 0);
        }
        r.ap = bits(p, 9, 9) << 2 | bits(p, 5, 4);
        break;
    section:
        r.level = 1;
        if (bits(d, 18, 18)) {
            r.size = 1u << 24;
            r.ipa = (bits(d, 31, 24) << 24) | bits(va, 23, 0);
            r.dom = 0;
        } else {
            r.size = 1u << 20;
            r.ipa = (bits(d, 31, 20) << 20) | bits(va, 19, 0);
            r.dom = bits(d, 8, 5);
        }
        r.xn = bits(d, 4, 4);
        r.ap = bits(d, 15, 15) << 2 | bits(d, 11, 10);
        break;
    }
    /* Access flag (checked in the walk, before the domain). */
    if (afe && !(r.ap & 1)) {
        r.fsr = fsr_of(r.level == 1 ? 0x03 : 0x06, r.dom);
        return r;
    }
    /* CheckDomain(). */
    switch (bits(m->dacr, 2 * r.dom + 1, 2 * r.dom)) {
    case 0:
    case 2:
        r.fsr = fsr_of(r.level == 1 ? 0x09 : 0x0B, r.dom);
        return r;
    case 3:
        return r;                   /* manager: neither AP nor XN */
    }
    /* CheckPermission(); XN faults only in a client domain (B3.7.2);
     * an instruction fetch needs read permission. */
    if (!ref_ap_ok(r.ap, afe, pl1, acc == ACC_WRITE) ||
        (acc == ACC_EXEC && (r.xn || (pl1 && r.pxn))))
        r.fsr = fsr_of(r.level == 1 ? 0x0D : 0x0F, r.dom);
    return r;
}

/* ---- fsr helpers -------------------------------------------------------- */

static void test_fsr_make_status(void **state)
{
    for (uint32_t fs = 0; fs < 32; fs++)
        for (uint32_t dom = 0; dom < 16; dom++) {
            uint32_t f = fsr_make(fs, dom);
            CHECK_EQ_CTX(f, (fs & 15) | dom << 4 | (fs >> 4) << 10, "fs 0x%02x dom %u",
                         (unsigned)fs, (unsigned)dom);
            CHECK_EQ_CTX(fsr_status(f), fs, "fs 0x%02x dom %u", (unsigned)fs, (unsigned)dom);
            /* WnR (bit 11) and the domain do not leak into the status */
            CHECK_EQ_CTX(fsr_status(f | 1u << 11), fs, "fs 0x%02x with WnR", (unsigned)fs);
        }
    CHECK_EQ(fsr_make(FS_TRANS_SECTION, 0), 0x005);
    CHECK_EQ(fsr_make(FS_TRANS_PAGE, 7), 0x077);
    CHECK_EQ(fsr_make(FS_EXT_WALK_L2, 0xA), 0x0AE);
    CHECK_EQ(fsr_make(0x16, 0), 0x406);     /* async external abort: FS[4] at bit 10 */
    CHECK_EQ(fsr_make(FS_DOMAIN_PAGE, 0x1F), 0x0FB);  /* domain is 4 bits */
    /* the status codes themselves (Table B3-23) */
    CHECK_EQ(FS_ALIGNMENT, 0x01);
    CHECK_EQ(FS_AF_SECTION, 0x03);
    CHECK_EQ(FS_TRANS_SECTION, 0x05);
    CHECK_EQ(FS_AF_PAGE, 0x06);
    CHECK_EQ(FS_TRANS_PAGE, 0x07);
    CHECK_EQ(FS_EXT_ABORT, 0x08);
    CHECK_EQ(FS_DOMAIN_SECTION, 0x09);
    CHECK_EQ(FS_DOMAIN_PAGE, 0x0B);
    CHECK_EQ(FS_EXT_WALK_L1, 0x0C);
    CHECK_EQ(FS_PERM_SECTION, 0x0D);
    CHECK_EQ(FS_EXT_WALK_L2, 0x0E);
    CHECK_EQ(FS_PERM_PAGE, 0x0F);
}

/* ---- formats ------------------------------------------------------------ */

static void test_section(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t va = 0x12345678;

    put_l1(L1_AT, va, sect(0x87600000, 5, 3, true, true) | 0xC | (5u << 12) | (1u << 16));
    CHECK_EQ(mmu_walk(&m, va, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.level, 1);
    CHECK_EQ(r.size, 0x100000);
    CHECK_EQ(r.va_base, 0x12300000);
    CHECK_EQ(r.ipa_base, 0x87600000);
    CHECK_EQ(r.ipa, 0x87645678);
    CHECK_EQ(r.domain, 5);
    CHECK_EQ(r.dtype, 1);
    CHECK_EQ(r.ap, 3);
    CHECK_TRUE(r.xn);
    CHECK_TRUE(r.ng);
    CHECK_EQ(r.perm_pl1, PERM_R | PERM_W);
    CHECK_EQ(r.perm_pl0, PERM_R | PERM_W);
    CHECK_EQ(r.l1_desc_ipa, L1_AT + 4 * 0x123);
    CHECK_EQ(r.l2_desc_ipa, 0);
    CHECK_EQ(nreads, 1);

    /* AP[2] is bit 15, AP[1:0] bits 11:10; XN and nG clear */
    put_l1(L1_AT, va, sect(0xFFF00000, 15, 6, false, false));
    CHECK_EQ(mmu_walk(&m, va, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ap, 6);
    CHECK_EQ(r.domain, 15);
    CHECK_FALSE(r.xn);
    CHECK_FALSE(r.ng);
    CHECK_EQ(r.ipa, 0xFFF45678);
    CHECK_EQ(mmu_check(&m, &r, ACC_READ, false), 0);
    CHECK_EQ(mmu_check(&m, &r, ACC_WRITE, true), fsr_make(FS_PERM_SECTION, 15));
}

static void test_supersection(void **state)
{
    /* Domain 0 is manager, every other domain no access: a supersection is
     * in domain 0 whatever bits [8:5] (extended base address) hold. */
    struct mmu_regs m = regs(0x3);
    struct walk_result r;

    for (uint32_t va = 0x23000000; va < 0x24000000; va += 0x00100000) {
        put_l1(L1_AT, va, supersect(0x5A000000, 1, true));   /* PL1 only */
    }
    for (uint32_t off = 0; off < 0x1000000; off += 0x0123457) {
        uint32_t va = 0x23000000 + off;
        CHECK_EQ_CTX(mmu_translate(&m, va, ACC_EXEC, false, rd_ram, NULL, &r), 0, "va 0x%08x",
                     (unsigned)va);
        CHECK_EQ(r.level, 1);
        CHECK_EQ(r.size, 0x1000000);
        CHECK_EQ(r.va_base, 0x23000000);
        CHECK_EQ(r.ipa_base, 0x5A000000);
        CHECK_EQ_CTX(r.ipa, 0x5A000000 + off, "va 0x%08x", (unsigned)va);
        CHECK_EQ(r.domain, 0);
        CHECK_EQ(r.dtype, 3);
        CHECK_EQ(r.l1_desc_ipa, L1_AT + 4 * (va >> 20));
    }
    /* client domain 0: AP and XN apply, faults report domain 0 */
    m.dacr = 0xFFFFFFFDu;   /* domain 0 client, all others manager */
    CHECK_EQ(mmu_translate(&m, 0x23456789, ACC_READ, false, rd_ram, NULL, &r),
             fsr_make(FS_PERM_SECTION, 0));
    CHECK_EQ(mmu_translate(&m, 0x23456789, ACC_READ, true, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x23456789, ACC_EXEC, true, rd_ram, NULL, &r),
             fsr_make(FS_PERM_SECTION, 0));
    m.dacr = 0xFFFFFFFCu;   /* domain 0 no access */
    CHECK_EQ(mmu_translate(&m, 0x23456789, ACC_READ, true, rd_ram, NULL, &r),
             fsr_make(FS_DOMAIN_SECTION, 0));
}

static void test_small_page(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t va = 0x00ABC123, l2 = L2_AT + 0x400;

    put_l1(L1_AT, va, l1_table(l2, 9) | 0x1C);    /* bits 4:2 (SBZ/NS/PXN) ignored */
    put_l2(l2, va, small_page(0x40077000, 2, true, true) | 0x1CC);
    CHECK_EQ(mmu_walk(&m, va, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.level, 2);
    CHECK_EQ(r.size, 0x1000);
    CHECK_EQ(r.va_base, 0x00ABC000);
    CHECK_EQ(r.ipa_base, 0x40077000);
    CHECK_EQ(r.ipa, 0x40077123);
    CHECK_EQ(r.domain, 9);
    CHECK_EQ(r.ap, 2);
    CHECK_TRUE(r.xn);
    CHECK_TRUE(r.ng);
    CHECK_EQ(r.perm_pl1, PERM_R | PERM_W);
    CHECK_EQ(r.perm_pl0, PERM_R);
    CHECK_EQ(r.l1_desc_ipa, L1_AT + 4 * 0xA);
    CHECK_EQ(r.l2_desc_ipa, l2 + 4 * 0xBC);
    CHECK_EQ(nreads, 2);
    CHECK_EQ(reads[0], L1_AT + 4 * 0xA);
    CHECK_EQ(reads[1], l2 + 4 * 0xBC);

    /* AP[2] at bit 9; XN (bit 0) clear; bit 15 is a base bit, not XN */
    put_l2(l2, va, small_page(0x40078000, 5, false, false));
    CHECK_EQ(mmu_walk(&m, va, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ap, 5);
    CHECK_FALSE(r.xn);
    CHECK_FALSE(r.ng);
    CHECK_EQ(r.ipa, 0x40078123);
    CHECK_EQ(mmu_check(&m, &r, ACC_EXEC, true), 0);
    CHECK_EQ(mmu_check(&m, &r, ACC_READ, false), fsr_make(FS_PERM_PAGE, 9));

    /* The L2 table address has 1 KiB granularity: bits 9:0 of the L1 entry */
    put_l1(L1_AT, va, l1_table(l2 + 0x400, 9));
    put_l2(l2 + 0x400, va, small_page(0x40079000, 3, false, false));
    CHECK_EQ(mmu_walk(&m, va, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ipa, 0x40079123);
    CHECK_EQ(r.l2_desc_ipa, l2 + 0x400 + 4 * 0xBC);
}

static void test_large_page(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t l2 = L2_AT;

    put_l1(L1_AT, 0x00500000, l1_table(l2, 4));
    /* a large page is 16 consecutive identical L2 entries (B3.5.2) */
    for (uint32_t va = 0x00530000; va < 0x00540000; va += 0x1000)
        put_l2(l2, va, large_page(0x12340000, 1, true, false));
    for (uint32_t off = 0; off < 0x10000; off += 0x777) {
        uint32_t va = 0x00530000 + off;
        CHECK_EQ_CTX(mmu_walk(&m, va, rd_ram, NULL, &r), 0, "va 0x%08x", (unsigned)va);
        CHECK_EQ(r.level, 2);
        CHECK_EQ(r.size, 0x10000);
        CHECK_EQ(r.va_base, 0x00530000);
        CHECK_EQ(r.ipa_base, 0x12340000);
        CHECK_EQ_CTX(r.ipa, 0x12340000 + off, "va 0x%08x", (unsigned)va);
        CHECK_EQ(r.domain, 4);
        CHECK_EQ(r.ap, 1);
        CHECK_TRUE(r.xn);
        CHECK_EQ(r.l2_desc_ipa, l2 + 4 * ((va >> 12) & 0xFF));
    }
    /* XN is bit 15 for large pages; bit 0 is the type */
    put_l2(l2, 0x00530000, large_page(0x12340000, 7, false, true));
    CHECK_EQ(mmu_walk(&m, 0x00530000, rd_ram, NULL, &r), 0);
    CHECK_FALSE(r.xn);
    CHECK_TRUE(r.ng);
    CHECK_EQ(r.ap, 7);
    /* bits 14:12 (TEX) do not leak into the address */
    put_l2(l2, 0x00531000, large_page(0x12340000, 3, false, false) | 0x7000);
    CHECK_EQ(mmu_walk(&m, 0x00531234, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ipa, 0x12341234);
    CHECK_FALSE(r.xn);
}

/* ---- TTBR0/TTBR1 selection --------------------------------------------- */

static void test_ttbcr_selection(void **state)
{
    uint32_t seed = 0x5EED0001;

    const_desc = sect(0, 0, 3, false, false);
    for (unsigned n = 0; n < 8; n++)
        for (int i = 0; i < 2000; i++) {
            uint32_t va = unit_rand(&seed);
            uint32_t size0 = 0x4000u >> n;
            /* base aligned to the table size; the low bits hold attributes
             * (and junk the walker must ignore) */
            uint32_t t0 = (unit_rand(&seed) & ~(size0 - 1)) | (unit_rand(&seed) & (size0 - 1));
            uint32_t t1 = unit_rand(&seed);
            struct mmu_regs m = { .sctlr = 1, .ttbr0 = t0, .ttbr1 = t1, .ttbcr = n,
                                  .dacr = DACR_ALL_CLIENT };
            struct walk_result r;
            bool use1;
            uint32_t exp;

            if (i < 4)      /* the boundary VAs */
                va = (uint32_t[]){ 0, 0xFFFFFFFFu, n ? (1u << (32 - n)) - 1 : 0x7FFFFFFF,
                                   n ? 1u << (32 - n) : 0x80000000u }[i];
            /* VA[31:32-N] all zero selects TTBR0 (B3.5.4) */
            use1 = n && (va >> (32 - n)) != 0;
            exp = use1 ? (t1 & 0xFFFFC000u) + 4 * (va >> 20)
                       : (t0 & ~(size0 - 1)) + 4 * ((va >> 20) & ((0x1000u >> n) - 1));
            nreads = 0;
            CHECK_EQ_CTX(mmu_walk(&m, va, rd_const, NULL, &r), 0, "N=%u va 0x%08x", n, (unsigned)va);
            CHECK_EQ_CTX(nreads, 1, "N=%u va 0x%08x", n, (unsigned)va);
            CHECK_EQ_CTX(reads[0], exp, "N=%u va 0x%08x ttbr0 0x%08x ttbr1 0x%08x", n,
                         (unsigned)va, (unsigned)t0, (unsigned)t1);
            CHECK_EQ(r.l1_desc_ipa, exp);
            /* the TTBR0 table never extends past 16 KiB >> N */
            if (!use1)
                CHECK_TRUE(reads[0] - (t0 & ~(size0 - 1)) < size0);
        }
}

static void test_ttbcr_real_tables(void **state)
{
    /* N = 2: TTBR0 covers VA[31:30] == 0 with a 4 KiB table; the rest uses TTBR1 */
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t t0 = FAKE_RAM_BASE + 0x9000;      /* 4 KiB aligned, not 16 KiB */

    m.ttbcr = 2;
    m.ttbr0 = t0 | 0x59;        /* IRGN/S/RGN/NOS attributes */
    m.ttbr1 = L1B_AT | 0x3FFF;
    fake_put32(t0 + 4 * 0x3FF, sect(0x40100000, 2, 3, false, false));
    fake_put32(L1B_AT + 4 * 0x400, sect(0x40200000, 3, 3, false, false));
    fake_put32(L1B_AT + 4 * 0xFFF, sect(0x40300000, 4, 3, false, false));
    CHECK_EQ(mmu_walk(&m, 0x3FF00004, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ipa, 0x40100004);
    CHECK_EQ(r.domain, 2);
    CHECK_EQ(mmu_walk(&m, 0x40000008, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ipa, 0x40200008);
    CHECK_EQ(r.domain, 3);
    CHECK_EQ(r.l1_desc_ipa, L1B_AT + 4 * 0x400);
    CHECK_EQ(mmu_walk(&m, 0xFFFFFFFC, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.ipa, 0x403FFFFC);
    /* an entry in the TTBR1 table at an index TTBR0 would use is not used */
    fake_put32(L1B_AT + 4 * 0x3FF, sect(0x40400000, 5, 3, false, false));
    CHECK_EQ(mmu_walk(&m, 0x3FF00004, rd_ram, NULL, &r), 0);
    CHECK_EQ(r.domain, 2);
}

static void test_pd0_pd1(void **state)
{
    struct walk_result r;
    const uint32_t pd0 = 1u << 4, pd1 = 1u << 5;

    const_desc = sect(0x40000000, 1, 3, false, false);
    for (unsigned n = 0; n < 4; n++) {
        struct mmu_regs m = { .sctlr = 1, .ttbr0 = L1_AT, .ttbr1 = L1B_AT, .dacr = DACR_ALL_CLIENT };
        uint32_t lo = 0x00100000, hi = 0xF0000000;

        /* PD0: a TTBR0 VA faults without a walk; TTBR1 VAs still walk */
        m.ttbcr = n | pd0;
        nreads = 0;
        CHECK_EQ_CTX(mmu_walk(&m, lo, rd_const, NULL, &r), 0x005, "N=%u", n);
        CHECK_EQ_CTX(nreads, 0, "N=%u", n);
        CHECK_EQ_CTX(mmu_translate(&m, hi, ACC_READ, true, rd_const, NULL, &r),
                     n ? 0 : 0x005, "N=%u", n);
        /* PD1: only TTBR1 VAs (none when N = 0) */
        m.ttbcr = n | pd1;
        nreads = 0;
        CHECK_EQ_CTX(mmu_walk(&m, lo, rd_const, NULL, &r), 0, "N=%u", n);
        CHECK_EQ_CTX(nreads, 1, "N=%u", n);
        nreads = 0;
        CHECK_EQ_CTX(mmu_walk(&m, hi, rd_const, NULL, &r), n ? 0x005 : 0, "N=%u", n);
        CHECK_EQ_CTX(nreads, n ? 0 : 1, "N=%u", n);
    }
}

/* ---- translation faults and external aborts ----------------------------- */

static void test_l1_faults(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t va = 0x00700000;

    /* invalid (type 0) and reserved (type 3): section translation fault,
     * domain 0 whatever bits 8:5 hold */
    uint32_t bad[] = { 0, 0xFFFFFFFCu, 3, 0xFFFFFFFFu, 3 | 0xF << 5, 0x40000000 | 0x1E0 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        put_l1(L1_AT, va, bad[i]);
        CHECK_EQ_CTX(mmu_walk(&m, va, rd_ram, NULL, &r), 0x005, "L1 desc 0x%08x", (unsigned)bad[i]);
        CHECK_EQ_CTX(mmu_translate(&m, va, ACC_WRITE, false, rd_ram, NULL, &r), 0x005,
                     "L1 desc 0x%08x", (unsigned)bad[i]);
        CHECK_EQ(r.l1_desc_ipa, L1_AT + 4 * 7);
    }
    /* a translation fault wins over a no-access domain */
    m.dacr = 0;
    put_l1(L1_AT, va, 0);
    CHECK_EQ(mmu_translate(&m, va, ACC_READ, true, rd_ram, NULL, &r), 0x005);
}

static void test_l2_faults(void **state)
{
    struct mmu_regs m = regs(0);        /* every domain no access */
    struct walk_result r;
    const uint32_t va = 0x00801000, l2 = L2_AT + 0x800;

    put_l1(L1_AT, va, l1_table(l2, 0xC));
    uint32_t bad[] = { 0, 0xFFFFFFFCu, 0x40000000 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        put_l2(l2, va, bad[i]);
        /* page translation fault, with the L1 entry's domain; over the domain fault */
        CHECK_EQ_CTX(mmu_translate(&m, va, ACC_READ, true, rd_ram, NULL, &r), 0x0C7,
                     "L2 desc 0x%08x", (unsigned)bad[i]);
        CHECK_EQ(r.l2_desc_ipa, l2 + 4);
    }
}

static void test_walk_external_aborts(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;

    /* L1 table outside RAM: 0x00C, domain not valid (0) */
    m.ttbr0 = OUTSIDE;
    CHECK_EQ(mmu_walk(&m, 0x00100000, rd_ram, NULL, &r), 0x00C);
    CHECK_EQ(mmu_translate(&m, 0x00100000, ACC_EXEC, false, rd_ram, NULL, &r), 0x00C);
    CHECK_EQ(fsr_status(mmu_walk(&m, 0x00100000, rd_ram, NULL, &r)), FS_EXT_WALK_L1);
    /* TTBR1 table outside RAM */
    m.ttbr0 = L1_AT;
    m.ttbr1 = OUTSIDE;
    m.ttbcr = 1;
    CHECK_EQ(mmu_walk(&m, 0x80000000, rd_ram, NULL, &r), 0x00C);
    /* L2 table outside RAM: 0x00E with the L1 entry's domain */
    m.ttbcr = 0;
    put_l1(L1_AT, 0x00200000, l1_table(OUTSIDE + 0x400, 6));
    CHECK_EQ(mmu_walk(&m, 0x00200000, rd_ram, NULL, &r), 0x06E);
    CHECK_EQ(r.domain, 6);
    CHECK_EQ(r.l2_desc_ipa, OUTSIDE + 0x400);
    /* the external abort is reported before the domain check */
    m.dacr = 0;
    CHECK_EQ(mmu_translate(&m, 0x00200000, ACC_READ, true, rd_ram, NULL, &r), 0x06E);
    /* an L2 table ending exactly at the end of RAM: its last entry is read */
    put_l1(L1_AT, 0x00300000, l1_table(FAKE_RAM_BASE + FAKE_RAM_SIZE - 0x400, 2));
    m.dacr = DACR_ALL_CLIENT;
    CHECK_EQ(mmu_walk(&m, 0x003FF000, rd_ram, NULL, &r), 0x027);   /* last entry: zero, in RAM */
}

/* ---- permissions -------------------------------------------------------- */

/* Every AP[2:0] with AFE = 0 (Table B3-8), both levels, PL1 and PL0, R/W/X. */
static void test_ap_full_model(void **state)
{
    static const char *const acc_name[] = { "read", "write", "exec" };
    /* [ap] = { PL1 read, PL1 write, PL0 read, PL0 write } */
    static const bool table[8][4] = {
        { 0, 0, 0, 0 },     /* 000 no access */
        { 1, 1, 0, 0 },     /* 001 PL1 only */
        { 1, 1, 1, 0 },     /* 010 PL0 read-only */
        { 1, 1, 1, 1 },     /* 011 full */
        { 0, 0, 0, 0 },     /* 100 reserved */
        { 1, 0, 0, 0 },     /* 101 PL1 read-only */
        { 1, 0, 1, 0 },     /* 110 read-only (deprecated) */
        { 1, 0, 1, 0 },     /* 111 read-only */
    };
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t sva = 0x01000000, pva = 0x01100000, l2 = L2_AT;

    put_l1(L1_AT, pva, l1_table(l2, 13));
    for (unsigned ap = 0; ap < 8; ap++)
        for (unsigned xn = 0; xn < 2; xn++) {
            put_l1(L1_AT, sva, sect(0x40000000, 13, ap, xn, false));
            put_l2(l2, pva, small_page(0x40000000, ap, xn, false));
            for (unsigned pl1 = 0; pl1 < 2; pl1++)
                for (unsigned acc = ACC_READ; acc <= ACC_EXEC; acc++) {
                    bool rd = table[ap][pl1 ? 0 : 2], wr = table[ap][pl1 ? 1 : 3];
                    bool ok = acc == ACC_WRITE ? wr : rd && !(acc == ACC_EXEC && xn);
                    CHECK_EQ_CTX(mmu_translate(&m, sva, acc, pl1, rd_ram, NULL, &r),
                                 ok ? 0 : 0x0DD, "section AP=%u XN=%u PL%u %s", ap, xn,
                                 pl1 ? 1 : 0, acc_name[acc]);
                    CHECK_EQ_CTX(mmu_translate(&m, pva, acc, pl1, rd_ram, NULL, &r),
                                 ok ? 0 : 0x0DF, "page AP=%u XN=%u PL%u %s", ap, xn,
                                 pl1 ? 1 : 0, acc_name[acc]);
                }
            /* mmu_ap_perms agrees */
            uint8_t p1, p0;
            mmu_ap_perms(ap, false, &p1, &p0);
            CHECK_EQ_CTX(p1, (table[ap][0] ? PERM_R : 0) | (table[ap][1] ? PERM_W : 0), "AP=%u", ap);
            CHECK_EQ_CTX(p0, (table[ap][2] ? PERM_R : 0) | (table[ap][3] ? PERM_W : 0), "AP=%u", ap);
        }
}

/* AFE = 1: AP[0] is the access flag; AP[2:1] select the permissions (B3-9). */
static void test_ap_simplified_model(void **state)
{
    static const uint8_t pl1_of[4] = { PERM_R | PERM_W, PERM_R | PERM_W, PERM_R, PERM_R };
    static const uint8_t pl0_of[4] = { 0, PERM_R | PERM_W, 0, PERM_R };
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t sva = 0x02000000, pva = 0x02100000, l2 = L2_AT;

    m.sctlr |= SCTLR_AFE_;
    put_l1(L1_AT, pva, l1_table(l2, 11));
    for (unsigned ap = 0; ap < 8; ap++) {
        uint8_t p1, p0;
        put_l1(L1_AT, sva, sect(0x40000000, 11, ap, false, false));
        put_l2(l2, pva, small_page(0x40000000, ap, false, false));
        mmu_ap_perms(ap, true, &p1, &p0);
        CHECK_EQ_CTX(p1, pl1_of[ap >> 1], "AP=%u", ap);
        CHECK_EQ_CTX(p0, pl0_of[ap >> 1], "AP=%u", ap);
        if (!(ap & 1)) {
            /* access flag clear: access flag fault, whatever the access */
            for (unsigned acc = ACC_READ; acc <= ACC_EXEC; acc++) {
                CHECK_EQ_CTX(mmu_translate(&m, sva, acc, true, rd_ram, NULL, &r), 0x0B3, "AP=%u", ap);
                CHECK_EQ_CTX(mmu_translate(&m, pva, acc, false, rd_ram, NULL, &r), 0x0B6, "AP=%u", ap);
            }
            CHECK_EQ_CTX(mmu_walk(&m, sva, rd_ram, NULL, &r), 0x0B3, "AP=%u", ap);
            /* the mapping is still described */
            CHECK_EQ(r.ipa, 0x40000000);
            CHECK_EQ(r.ap, ap);
            continue;
        }
        for (unsigned pl1 = 0; pl1 < 2; pl1++) {
            uint8_t p = pl1 ? pl1_of[ap >> 1] : pl0_of[ap >> 1];
            CHECK_EQ_CTX(mmu_translate(&m, sva, ACC_READ, pl1, rd_ram, NULL, &r),
                         (p & PERM_R) ? 0 : 0x0BD, "AP=%u PL%u read", ap, pl1);
            CHECK_EQ_CTX(mmu_translate(&m, pva, ACC_WRITE, pl1, rd_ram, NULL, &r),
                         (p & PERM_W) ? 0 : 0x0BF, "AP=%u PL%u write", ap, pl1);
        }
    }
    /* the access flag fault is reported before a domain fault */
    m.dacr = 0;
    put_l1(L1_AT, sva, sect(0x40000000, 11, 2, false, false));
    CHECK_EQ(mmu_translate(&m, sva, ACC_READ, true, rd_ram, NULL, &r), 0x0B3);
    /* ...but after a translation fault */
    put_l2(l2, pva, 0);
    CHECK_EQ(mmu_translate(&m, pva, ACC_READ, true, rd_ram, NULL, &r), 0x0B7);
}

static void test_domains(void **state)
{
    struct walk_result r;
    const uint32_t l2 = L2_AT;

    for (unsigned dom = 0; dom < 16; dom++) {
        uint32_t sva = 0x03000000 + (dom << 20), pva = 0x04000000 + (dom << 20);
        put_l1(L1_AT, sva, sect(0x40000000, dom, 0, true, false));     /* AP=000, XN */
        put_l1(L1_AT, pva, l1_table(l2, dom));
    }
    put_l2(l2, 0, small_page(0x40000000, 0, true, false));

    for (unsigned dom = 0; dom < 16; dom++)
        for (unsigned type = 0; type < 4; type++) {
            /* every other domain the opposite of what is tested */
            uint32_t dacr = (type ^ 3) * 0x55555555u;
            dacr = (dacr & ~(3u << 2 * dom)) | type << 2 * dom;
            struct mmu_regs m = regs(dacr);
            uint32_t sva = 0x03000000 + (dom << 20), pva = 0x04000000 + (dom << 20);
            uint32_t exp_s, exp_p;

            switch (type) {
            case 0:
            case 2:                  /* no access; reserved behaves as no access */
                exp_s = fsr_make(FS_DOMAIN_SECTION, dom);
                exp_p = fsr_make(FS_DOMAIN_PAGE, dom);
                break;
            case 1:                  /* client: AP=000 faults */
                exp_s = fsr_make(FS_PERM_SECTION, dom);
                exp_p = fsr_make(FS_PERM_PAGE, dom);
                break;
            default:                 /* manager: neither AP nor XN checked */
                exp_s = exp_p = 0;
            }
            for (unsigned acc = ACC_READ; acc <= ACC_EXEC; acc++)
                for (unsigned pl1 = 0; pl1 < 2; pl1++) {
                    CHECK_EQ_CTX(mmu_translate(&m, sva, acc, pl1, rd_ram, NULL, &r), exp_s,
                                 "section domain %u type %u acc %u PL%u", dom, type, acc, pl1);
                    CHECK_EQ(r.dtype, type);
                    CHECK_EQ(r.domain, dom);
                    CHECK_EQ_CTX(mmu_translate(&m, pva, acc, pl1, rd_ram, NULL, &r), exp_p,
                                 "page domain %u type %u acc %u PL%u", dom, type, acc, pl1);
                    CHECK_EQ(r.dtype, type);
                }
        }
}

static void test_xn(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t l2 = L2_AT;

    put_l1(L1_AT, 0x05000000, sect(0x40000000, 1, 3, true, false));
    put_l1(L1_AT, 0x05100000, l1_table(l2, 2));
    put_l2(l2, 0x05100000, small_page(0x40000000, 3, true, false));
    put_l2(l2, 0x05101000, small_page(0x40000000, 3, false, false));
    for (unsigned pl1 = 0; pl1 < 2; pl1++) {
        CHECK_EQ(mmu_translate(&m, 0x05000000, ACC_EXEC, pl1, rd_ram, NULL, &r), 0x01D);
        CHECK_EQ(mmu_translate(&m, 0x05000000, ACC_READ, pl1, rd_ram, NULL, &r), 0);
        CHECK_EQ(mmu_translate(&m, 0x05000000, ACC_WRITE, pl1, rd_ram, NULL, &r), 0);
        CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_EXEC, pl1, rd_ram, NULL, &r), 0x02F);
        CHECK_EQ(mmu_translate(&m, 0x05101000, ACC_EXEC, pl1, rd_ram, NULL, &r), 0);
    }
    /* execute needs read permission (AP=001 at PL0) */
    put_l2(l2, 0x05101000, small_page(0x40000000, 1, false, false));
    CHECK_EQ(mmu_translate(&m, 0x05101000, ACC_EXEC, false, rd_ram, NULL, &r), 0x02F);
    CHECK_EQ(mmu_translate(&m, 0x05101000, ACC_EXEC, true, rd_ram, NULL, &r), 0);
    /* mmu_check on a walk result agrees with mmu_translate */
    CHECK_EQ(mmu_walk(&m, 0x05000000, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_check(&m, &r, ACC_EXEC, true), 0x01D);
    CHECK_EQ(mmu_check(&m, &r, ACC_READ, false), 0);
}

/* PXN (B3.7.2): a PL1 fetch from a PXN section, or from a page of a
 * table whose L1 descriptor has PXN, is a permission fault (section /
 * page, with the domain); PL0 fetches and all data accesses are not
 * affected; manager domains check neither XN nor PXN.  Without PXN in the
 * virtual CPU, 0b11 L1 descriptors are translation faults and bit 2 of a
 * table descriptor is ignored. */
static void test_pxn(void **state)
{
    struct mmu_regs m = regs(DACR_ALL_CLIENT);
    struct walk_result r;
    const uint32_t l2 = L2_AT;

    m.pxn = true;
    put_l1(L1_AT, 0x05000000, sect(0x40000000, 1, 3, false, false) | 3);   /* PXN section */
    put_l1(L1_AT, 0x05100000, l1_table(l2, 2) | 1u << 2);                  /* PXNTABLE */
    put_l2(l2, 0x05100000, small_page(0x40000000, 3, false, false));
    put_l2(l2, 0x05110000, large_page(0x40000000, 3, false, false));
    put_l1(L1_AT, 0x05200000, l1_table(l2, 2));                            /* no PXN */
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_EXEC, true, rd_ram, NULL, &r), 0x01D);
    CHECK_TRUE(r.pxn && !r.xn && r.level == 1 && r.ipa == 0x40000010);
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_EXEC, false, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_READ, true, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_WRITE, true, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_EXEC, true, rd_ram, NULL, &r), 0x02F);
    CHECK_EQ(mmu_translate(&m, 0x05110004, ACC_EXEC, true, rd_ram, NULL, &r), 0x02F);
    CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_EXEC, false, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_WRITE, true, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05200000, ACC_EXEC, true, rd_ram, NULL, &r), 0);
    CHECK_TRUE(!r.pxn);
    /* XN and PXN: still a permission fault at PL0 */
    put_l2(l2, 0x05101000, small_page(0x40000000, 3, true, false));
    CHECK_EQ(mmu_translate(&m, 0x05101000, ACC_EXEC, false, rd_ram, NULL, &r), 0x02F);
    /* manager domain: nothing checked */
    m.dacr = 0xFFFFFFFFu;
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_EXEC, true, rd_ram, NULL, &r), 0);
    CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_EXEC, true, rd_ram, NULL, &r), 0);
    /* domain no access: the domain fault, not the permission fault */
    m.dacr = 0;
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_EXEC, true, rd_ram, NULL, &r), 0x019);
    /* without PXN in the virtual CPU */
    m = regs(DACR_ALL_CLIENT);
    CHECK_EQ(mmu_translate(&m, 0x05000010, ACC_READ, true, rd_ram, NULL, &r), 0x005);
    CHECK_EQ(mmu_translate(&m, 0x05100000, ACC_EXEC, true, rd_ram, NULL, &r), 0);
    CHECK_TRUE(!r.pxn);
}

/* ---- property: random tables and registers against the reference -------- */

static uint32_t rand_l1(uint32_t *s)
{
    uint32_t x = unit_rand(s);
    switch (x & 7) {
    case 0: return x & ~3u;                                     /* fault */
    case 1: return (unit_rand(s) & ~3u) | 3;                     /* reserved */
    case 2: case 3: {                                           /* page table */
        uint32_t l2 = (x >> 8 & 7) == 7 ? OUTSIDE + ((x >> 12 & 15) << 10)
                                        : L2_AT + ((x >> 12 & 15) << 10);
        return l2 | 1 | (unit_rand(s) & 0x3FC);
    }
    default:                                                    /* (super)section */
        return (unit_rand(s) & ~3u) | 2;
    }
}

static uint32_t rand_l2(uint32_t *s)
{
    uint32_t x = unit_rand(s);
    if ((x & 7) == 0)
        return x & ~3u;
    return (x & 8) ? x : x | 2;         /* any type, mostly small pages */
}

static void test_property_vs_reference(void **state)
{
    uint32_t seed = 0xC0FFEE11;
    unsigned seen[32] = { 0 };

    /* TTBR0 table (16 KiB), TTBR1 table, 16 L2 tables: all random */
    for (uint32_t a = L1_AT; a < L1_AT + 0x8000; a += 4)
        fake_put32(a, rand_l1(&seed));
    for (uint32_t a = L2_AT; a < L2_AT + 16 * 0x400; a += 4)
        fake_put32(a, rand_l2(&seed));

    for (int i = 0; i < ITER; i++) {
        uint32_t x = unit_rand(&seed);
        unsigned n = x & 3;
        struct mmu_regs m = {
            .sctlr = SCTLR_M_ | ((x & 4) ? SCTLR_AFE_ : 0),
            .ttbr0 = L1_AT | (unit_rand(&seed) & ((0x4000u >> n) - 1)),
            .ttbr1 = L1B_AT | (unit_rand(&seed) & 0x3FFF),
            .ttbcr = n | ((x >> 3 & 7) == 0 ? 1u << 4 : 0) | ((x >> 6 & 7) == 0 ? 1u << 5 : 0),
            .dacr = unit_rand(&seed),
            .pxn = x >> 20 & 1,
        };
        uint32_t va = unit_rand(&seed);
        enum mmu_access acc = (x >> 9) % 3;

        if ((x >> 12 & 15) == 0)     /* a table base with no RAM behind it */
            m.ttbr0 = OUTSIDE;
        if ((x >> 16 & 15) == 0)
            m.ttbr1 = OUTSIDE + 0x4000;
        bool pl1 = x >> 11 & 1;
        struct walk_result r;
        struct ref e = ref_translate(&m, va, acc, pl1);
        uint32_t got = mmu_translate(&m, va, acc, pl1, rd_ram, NULL, &r);

        CHECK_EQ_CTX(got, e.fsr, "va 0x%08x acc %d PL%d sctlr 0x%08x ttbcr 0x%x dacr 0x%08x",
                     (unsigned)va, acc, pl1, (unsigned)m.sctlr, (unsigned)m.ttbcr,
                     (unsigned)m.dacr);
        if (e.size) {                /* a mapping was found */
            CHECK_EQ_CTX(r.ipa, e.ipa, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.size, e.size, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.domain, e.dom, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.ap, e.ap, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.xn, e.xn, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.pxn, e.pxn, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.level, e.level, "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.va_base, va & ~(e.size - 1), "va 0x%08x", (unsigned)va);
            CHECK_EQ_CTX(r.ipa_base, e.ipa & ~(e.size - 1), "va 0x%08x", (unsigned)va);
        }
        /* mmu_translate == mmu_walk then mmu_check */
        uint32_t w = mmu_walk(&m, va, rd_ram, NULL, &r);
        CHECK_EQ_CTX(w ? w : mmu_check(&m, &r, acc, pl1), got, "va 0x%08x", (unsigned)va);
        seen[fsr_status(got)]++;
    }
    /* the random tables reached every outcome */
    static const uint8_t outcomes[] = { 0, 0x03, 0x05, 0x06, 0x07, 0x09, 0x0B, 0x0C, 0x0D,
                                        0x0E, 0x0F };
    for (size_t k = 0; k < sizeof(outcomes); k++)
        CHECK_TRUE_CTX(seen[outcomes[k]] >= 20, "status 0x%02x seen %u times", outcomes[k],
                       seen[outcomes[k]]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fsr_make_status), T(test_section), T(test_supersection), T(test_small_page),
        T(test_large_page), T(test_ttbcr_selection), T(test_ttbcr_real_tables),
        T(test_pd0_pd1), T(test_l1_faults), T(test_l2_faults), T(test_walk_external_aborts),
        T(test_ap_full_model), T(test_ap_simplified_model), T(test_domains), T(test_xn), T(test_pxn),
        T(test_property_vs_reference),
    };
    return UNIT_RUN("walk", tests);
}
