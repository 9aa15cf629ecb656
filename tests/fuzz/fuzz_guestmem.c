/*
 * The monitor's accesses to guest memory by guest virtual address
 * (mm/guestmem.c guest_access_as: hypercall buffers, emulated loads and
 * stores), with the real walker (mm/walk.c), on fuzzed guest translation
 * tables, MMU registers, addresses, lengths (up to 8 KiB, across pages and
 * the end of RAM) and privilege.  The platform around them is faked here:
 * 2 MiB of guest RAM at IPA 0x40000000 (host PA 0x80000000) behind
 * arch_physmap(), the shadow hooks reduced to what guestmem.c asks.
 *
 * Invariants, against a byte-by-byte oracle (each byte walked on its own,
 * B3.5, with the guest's registers and the access's privilege, through the
 * tables as they are when the access starts: a store may rewrite them):
 *   - success only if every byte translates without a fault to an IPA in
 *     the guest's RAM; then a read returns, and a write changes, exactly
 *     those bytes and nothing else in RAM;
 *   - a failure changes nothing at all (guestmem.c promises it: HC_WRITE
 *     prints nothing from a bad buffer) and returns a short-descriptor
 *     fault status, and the oracle finds some byte that fails.
 */
#include "fuzz.h"
#include "vcpu.h"
#include "guest.h"
#include "../../mm/mm.h"
#include "../../mm/walk.h"
#include "../../mm/shadow.h"
#include <arch/mmu-defs.h>

#define RAM_IPA 0x40000000u
#define RAM_SZ  0x200000u
#define RAM_PA  0x80000000u
#define MAXLEN  0x2000u

static uint8_t ram[RAM_SZ], before[RAM_SZ];
static struct guest G;
static unsigned wrote;

/* ---- the platform guestmem.c needs -------------------------------------- */
void *arch_physmap(unsigned slot, uint32_t pa)
{
    FUZZ_CHECK(pa - RAM_PA < RAM_SZ, "physmap of PA 0x%08x outside guest RAM", pa);
    return &ram[pa - RAM_PA];
}
int arch_guest_load_word(uint32_t va, uint32_t *out) { return -1; }
int arch_guest_load_words_pl0(uint32_t va, uint32_t *out, unsigned n) { return -1; }
uint32_t ram_alloc(uint32_t size) { return 0; }
bool ram_claim(uint32_t pa, uint32_t size) { return false; }
int shadow_guest_init(struct guest *g) { return 0; }
void shadow_guest_wrote(struct guest *g, uint32_t ipa, uint32_t len) { wrote += len; }
void shadow_mmu_regs(const struct vcpu *v, struct mmu_regs *m)
{
    *m = (struct mmu_regs){ v->cp15.sctlr, v->cp15.ttbr0, v->cp15.ttbr1, v->cp15.ttbcr,
                            v->cp15.dacr, false };
}
bool shadow_read_ipa(void *ctx, uint32_t ipa, uint32_t *val)
{
    if ((ipa & 3) || ipa - RAM_IPA >= RAM_SZ)
        return false;
    memcpy(val, &ram[ipa - RAM_IPA], 4);
    return true;
}
struct boot_info hv_boot_info;
void hv_printf(const char *fmt, ...) { }
/* mm/gpmap.c (guests backed on demand; this guest is placed statically,
 * so it never takes a map from the monitor's pool) */
void *pool_alloc(size_t bytes, size_t align) { (void)bytes; (void)align; return NULL; }
size_t pool_free_bytes(void) { return 0; }
void guest_stop(struct guest *g, const char *fmt, ...)
{
    fprintf(stderr, "guest_stop: %s\n", fmt);
    abort();
}
void hv_panic(const char *fmt, ...)
{
    fprintf(stderr, "hv_panic: %s\n", fmt);
    abort();
}

/* ---- the oracle ---------------------------------------------------------- */
/* The IPA of one byte as the guest's tables give it, or false. */
static bool byte_ok(uint32_t va, bool write, bool pl1, uint32_t *ipa)
{
    struct mmu_regs m;
    struct walk_result w;

    *ipa = va;
    if (G.vcpu.cp15.sctlr & SCTLR_M) {
        shadow_mmu_regs(&G.vcpu, &m);
        if (mmu_translate(&m, va, write ? ACC_WRITE : ACC_READ, pl1, shadow_read_ipa, NULL, &w))
            return false;
        *ipa = w.ipa;
    }
    return *ipa - RAM_IPA < RAM_SZ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    static uint8_t buf[MAXLEN], src[MAXLEN];
    static uint32_t ipas[MAXLEN];
    struct vcpu *v = &G.vcpu;

    memset(&G, 0, sizeof(G));
    G.ram_ipa = RAM_IPA;
    G.ram_size = RAM_SZ;
    G.ram_pa = RAM_PA;
    v->guest = &G;
    memset(ram, 0, 0x10000);            /* L1 at +0, L2 tables at +0x8000: the first 64 KiB */
    uint8_t cfg = fin_u8(&f);
    uint32_t vas[16] = { RAM_IPA }, nva = 1;
    v->cp15.sctlr = cfg & 1 ? SCTLR_M : 0;
    v->cp15.ttbr0 = RAM_IPA;                        /* L1 at +0 (TTBCR.N = 0) */
    v->cp15.ttbr1 = RAM_IPA;
    v->cp15.ttbcr = cfg & 2 ? fin_u8(&f) & 7 : 0;
    v->cp15.dacr = cfg & 4 ? fin_u32(&f) : 0x55555555u;
    /* up to 32 descriptors: L1 entries (sections into RAM or elsewhere, L2
     * tables at +0x8000..) and L2 entries, remembering the VAs they map */
    for (unsigned n = fin_u8(&f) & 31; n; n--) {
        uint8_t kind = fin_u8(&f);
        uint32_t idx = fin_u16(&f) & 0xFFF, x = fin_u32(&f), d, at;
        uint32_t ipa = kind & 0x80 ? x : RAM_IPA + (x % RAM_SZ);
        switch (kind & 3) {
        case 0: d = (ipa & 0xFFF00000u) | (x & 0x000BFDFCu) | 2; break;          /* section */
        case 1: d = (RAM_IPA + 0x8000 + (x & 0x7C00)) | (x & 0x1E0) | 1; break;  /* table */
        case 2: d = (ipa & 0xFFFFF000u) | (x & 0xFFE) | 2; break;                /* small page */
        default: d = x; break;
        }
        if ((kind & 3) == 2) {                      /* an L2 entry: in one of the L2 tables */
            at = 0x8000 + (idx & 0x1F) * 0x400 + (x >> 12 & 0xFF) * 4;
        } else {
            at = idx * 4;
            if (nva < 16)
                vas[nva++] = idx << 20;
        }
        memcpy(&ram[at], &d, 4);
    }
    for (int k = 0; k < 8 && fin_more(&f); k++) {
        uint8_t how = fin_u8(&f);
        bool write = how & 1, pl1 = how & 2;
        uint32_t va = fin_u32(&f), len = fin_u16(&f) % (MAXLEN + 1), res, ipa;
        if (how & 4)                                /* in a MiB a descriptor maps */
            va = vas[(how >> 3) % nva] + (va & 0xFFFFF);
        else if (how & 8)                           /* near its RAM, its end, pages */
            va = RAM_IPA + (va % (RAM_SZ + 0x2000)) - 0x1000;
        for (uint32_t i = 0; i < len; i++)
            src[i] = (uint8_t)(va + i * 7 + k);
        memcpy(before, ram, RAM_SZ);
        memset(buf, 0xA5, sizeof(buf));
        /* the oracle, as the tables are when the access starts */
        bool all_ok = true;
        for (uint32_t i = 0; i < len && all_ok; i++)
            all_ok = byte_ok(va + i, write, pl1, &ipas[i]);
        wrote = 0;
        res = guest_access_as(v, va, write ? NULL : buf, write ? src : NULL, len, pl1);
        if (res) {
            FUZZ_CHECK(!memcmp(before, ram, RAM_SZ), "va %08x len %u: failed (0x%x) but RAM changed",
                       va, len, res);
            FUZZ_CHECK(!all_ok, "va %08x len %u %s pl1=%d: failed 0x%x, but every byte is "
                       "reachable", va, len, write ? "write" : "read", pl1, res);
            FUZZ_CHECK((res & ~0x4FFu) == 0 && res != 0, "va %08x: status 0x%x", va, res);
            continue;
        }
        FUZZ_CHECK(all_ok, "va %08x len %u %s pl1=%d: succeeded, but a byte is not reachable",
                   va, len, write ? "write" : "read", pl1);
        for (uint32_t i = 0; i < len; i++) {
            ipa = ipas[i];
            uint8_t want = write ? src[i] : before[ipa - RAM_IPA];
            uint8_t got = write ? ram[ipa - RAM_IPA] : buf[i];
            FUZZ_CHECK(got == want, "va %08x + %u (ipa %08x): %s 0x%02x expected 0x%02x", va, i,
                       ipa, write ? "RAM has" : "read", got, want);
            if (write)
                before[ipa - RAM_IPA] = src[i];
        }
        if (write)
            FUZZ_CHECK(!memcmp(before, ram, RAM_SZ), "va %08x len %u: bytes outside the access "
                       "changed", va, len);
        FUZZ_CHECK(wrote == (write ? len : 0), "shadow told of %u written bytes, expected %u",
                   wrote, write ? len : 0);
    }
    return 0;
}
