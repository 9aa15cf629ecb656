/*
 * The guest translation table walker (mm/walk.c) on fuzzed MMU registers,
 * fuzzed table contents and fuzzed addresses.  The guest's memory is 64 KiB
 * of fuzzer bytes at IPA 0x40000000 (reads elsewhere report "no memory",
 * as for IPAs outside a guest's RAM).
 *
 * Invariants (ARM ARM B3.5, B3.13):
 *   - a walk only reads through the callback (ASan checks the rest);
 *   - a fault status is one of the short-descriptor codes of Table B3-23
 *     and carries no bits outside FS, domain and FS[4];
 *   - a successful translation lies inside the mapping it reports, whose
 *     size is 4K, 64K, 1M or 16M and whose bases are aligned to it;
 *   - mmu_translate() = mmu_walk() + mmu_check().
 */
#include "fuzz.h"
#include "../../mm/walk.h"

#define MEM_IPA 0x40000000u
#define MEM_SZ  0x10000u

static uint8_t mem[MEM_SZ];

static bool rd(void *ctx, uint32_t ipa, uint32_t *val)
{
    (void)ctx;
    if (ipa - MEM_IPA > MEM_SZ - 4 || (ipa & 3))
        return false;
    memcpy(val, &mem[ipa - MEM_IPA], 4);
    return true;
}

static bool valid_fs(uint32_t fs)
{
    switch (fs) {
    case FS_ALIGNMENT: case FS_AF_SECTION: case FS_TRANS_SECTION: case FS_AF_PAGE:
    case FS_TRANS_PAGE: case FS_EXT_ABORT: case FS_DOMAIN_SECTION: case FS_DOMAIN_PAGE:
    case FS_EXT_WALK_L1: case FS_PERM_SECTION: case FS_EXT_WALK_L2: case FS_PERM_PAGE:
        return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct mmu_regs m;
    size_t n = size > MEM_SZ ? MEM_SZ : size;

    m.sctlr = fin_u32(&f);
    m.ttbr0 = MEM_IPA + (fin_u32(&f) & 0x1FFFF) - 0x800;    /* mostly inside, sometimes not */
    m.ttbr1 = fin_u8(&f) & 1 ? fin_u32(&f) : MEM_IPA + (fin_u16(&f) & 0xC000);
    m.ttbcr = fin_u32(&f);
    m.dacr = fin_u32(&f);
    m.pxn = (m.sctlr >> 1) & 1;         /* (SCTLR.A: no meaning to the walker) */
    memset(mem, 0, sizeof(mem));
    memcpy(mem, data, n);               /* the tables are the input itself, seen again */

    for (int k = 0; k < 16 && fin_more(&f); k++) {
        uint32_t va = fin_u32(&f), fsr, fsr2, chk;
        uint8_t how = fin_u8(&f);
        enum mmu_access acc = (enum mmu_access)(how % 3);
        bool pl1 = how & 4;
        struct walk_result r, r2;

        memset(&r, 0, sizeof(r));
        memset(&r2, 0, sizeof(r2));
        fsr = mmu_translate(&m, va, acc, pl1, rd, NULL, &r);
        FUZZ_CHECK((fsr & ~0x4FFu) == 0, "va %08x: fault status 0x%x has stray bits", va, fsr);
        if (fsr)
            FUZZ_CHECK(valid_fs(fsr_status(fsr)), "va %08x: fault status 0x%x", va, fsr);
        fsr2 = mmu_walk(&m, va, rd, NULL, &r2);
        chk = fsr2 ? fsr2 : mmu_check(&m, &r2, acc, pl1);
        FUZZ_CHECK(chk == fsr, "va %08x: translate 0x%x, walk+check 0x%x", va, fsr, chk);
        if (fsr)
            continue;
        FUZZ_CHECK(r.size == 0x1000 || r.size == 0x10000 || r.size == 0x100000 ||
                   r.size == 0x1000000, "va %08x: mapping size 0x%x", va, r.size);
        FUZZ_CHECK(!(r.va_base & (r.size - 1)) && !(r.ipa_base & (r.size - 1)),
                   "va %08x: bases %08x/%08x not aligned to 0x%x", va, r.va_base, r.ipa_base,
                   r.size);
        FUZZ_CHECK(va - r.va_base < r.size && r.ipa == r.ipa_base + (va - r.va_base),
                   "va %08x -> ipa %08x outside mapping va %08x ipa %08x size 0x%x", va, r.ipa,
                   r.va_base, r.ipa_base, r.size);
    }
    return 0;
}
