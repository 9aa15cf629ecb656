/*
 * The shadow page-table builder (mm/shadow.c) with the real walker, on
 * fuzzed guest translation tables and a fuzzed sequence of guest actions:
 * accesses (load, store, fetch) from virtual kernel or user mode, table
 * writes, TLB maintenance, TTBR0/ASID switches, DACR/TTBCR changes, in
 * either coherence mode.  Linked with the unit tests' fake platform of
 * tests/unit/fake_shadow.c (4 MiB of guest RAM at IPA 0x40000000, host PA
 * 0x60000000; monitor memory is an arena at PA 0x10000000).
 *
 * "The CPU" is the real walker run over the shadow tables in User mode
 * with the DACR shadow.c set, as in tests/unit/test_shadow.c.
 *
 * Isolation invariants, checked after every access (only accesses fill
 * shadow entries; everything else drops them) and at the end:
 *   - every shadow descriptor outside the monitor window maps guest RAM
 *     only (host PA 0x60000000-0x603fffff), or, when the input gives the
 *     guest an assigned device (assign=, 2 pages right above its RAM), one
 *     of those pages at IPA == PA as a Device, XN small page; every shadow
 *     L2 table lives in monitor memory; the monitor window entries are
 *     unchanged;
 *   - an access the CPU allows through the shadow is one the guest's own
 *     tables allow in its current virtual mode, to the same address
 *     (always in coherence mode b; in mode a once the guest has done the
 *     TLB maintenance a real CPU would need);
 *   - shadow_fault() calls a fault the guest's only when the guest's own
 *     walk faults with that status, and "no memory" only for an IPA
 *     outside its RAM and its assigned device (or a fetch from the device);
 *     a repaired access works within a few repairs.
 */
#include "fuzz.h"
#include "unit.h"
#include "fake_shadow.h"
#include "../../mm/shadow.h"
#include <arch/memmap.h>
#include <arch/mmu-defs.h>

#define GID     2
#define GL1     0x40000000u     /* guest L1 table, 16 KiB */
#define GL2     0x40004000u     /* 16 guest L2 tables, 1 KiB each */
#define GL1B    0x40008000u     /* a second L1 (another process) */
#define PA(ipa) ((ipa) - SHF_RAM_IPA + SHF_RAM_PA)
#define DEV_PA  (SHF_RAM_IPA + SHF_RAM_SIZE)    /* the assigned device, when there is one */
#define DEV_SIZE 0x2000u

static struct guest G;
static struct vcpu *const V = &G.vcpu;
static bool stale;              /* mode a: a table write not yet followed by TLB maintenance */

static const uint16_t slots[16] = { 0x000, 0x001, 0x3FF, 0x400, 0x401, 0x402, 0x403, 0x7FF,
                                    0x800, 0xBEF, 0xBF0, 0xBFF, 0xC00, 0xC01, 0xFFE, 0xFFF };

static bool rd_arena(void *ctx, uint32_t pa, uint32_t *val)
{
    (void)ctx;
    if (!shf_pa_in_arena(pa))
        return false;
    *val = *shf_pa_to_ptr(pa);
    return true;
}

static uint32_t hw_access(uint32_t va, enum mmu_access acc, uint32_t *pa)
{
    struct mmu_regs m = { .sctlr = SCTLR_M, .ttbr0 = shf.l1_pa, .ttbcr = 0, .dacr = shf.dacr };
    struct walk_result r;
    uint32_t fsr = mmu_translate(&m, va, acc, false, rd_arena, NULL, &r);

    *pa = r.ipa;
    return fsr;
}

static uint32_t guest_access(uint32_t va, enum mmu_access acc, uint32_t *ipa)
{
    struct mmu_regs m;
    struct walk_result r;
    uint32_t fsr;

    if (!(V->cp15.sctlr & SCTLR_M)) {
        *ipa = va;
        return 0;
    }
    shadow_mmu_regs(V, &m);
    fsr = mmu_translate(&m, va, acc, vmode_privileged(V), shadow_read_ipa, &G, &r);
    *ipa = r.ipa;
    return fsr;
}

static bool in_ram_pa(uint32_t pa) { return pa - SHF_RAM_PA < SHF_RAM_SIZE; }
static bool assigned(uint32_t ipa) { return ipa - G.assign_pa < G.assign_size; }
/* Where the shadow must send a guest IPA: its RAM, or its device as is. */
static uint32_t expected_pa(uint32_t ipa) { return assigned(ipa) ? ipa : PA(ipa); }
/* A shadow small page of the assigned device: Shareable Device (TEX=000
 * C=0 B=1), nG, XN, whatever the guest asked for. */
static bool device_page(uint32_t e)
{
    const uint32_t attrs = 1u | 1u << 2 | 1u << 3 | 7u << 6 | 1u << 11;   /* XN B C TEX nG */

    return assigned(e & ~0xFFFu) && (e & attrs) == (1u | 1u << 2 | 1u << 11);
}

static void check_tables(void)
{
    const uint32_t *l1 = shf_pa_to_ptr(shf.l1_pa);

    /* an ASID never names two tables without a TLB flush between (fake_shadow.c) */
    FUZZ_CHECK(!shf.asid_conflicts, "%s", shf.asid_conflict_msg);

    for (unsigned i = 0; i < 4096; i++) {
        uint32_t d = l1[i];
        if (i >= HV_WINDOW_L1_FIRST && i < HV_WINDOW_L1_FIRST + HV_WINDOW_MON_L1_COUNT) {
            FUZZ_CHECK(d == shf_window[i - HV_WINDOW_L1_FIRST], "window L1[%u] = %08x", i, d);
            continue;
        }
        if (i == HV_GUESTVIS_L1) {
            FUZZ_CHECK(d == G.mm.guestvis_l1desc, "guest-visible MiB L1 = %08x", d);
            continue;
        }
        if ((d & 3) == L1_TYPE_SECT) {
            FUZZ_CHECK(!(d & L1_SECT_SUPER) && in_ram_pa(d & 0xFFF00000u),
                       "shadow L1[%u] = %08x maps outside guest RAM", i, d);
        } else if ((d & 3) == L1_TYPE_TABLE) {
            uint32_t l2pa = d & ~0x3FFu;
            FUZZ_CHECK(shf_pa_in_arena(l2pa), "shadow L1[%u] = %08x: L2 outside monitor memory",
                       i, d);
            const uint32_t *l2 = shf_pa_to_ptr(l2pa);
            for (unsigned e = 0; e < 256; e++)
                FUZZ_CHECK(!(l2[e] & 3) || ((l2[e] & 2) && (in_ram_pa(l2[e] & ~0xFFFu) ||
                                                             device_page(l2[e]))),
                           "shadow L2 of VA %08x entry %u = %08x maps outside guest RAM and "
                           "is not its assigned device's Device XN page", i << 20, e, l2[e]);
        } else {
            FUZZ_CHECK(d == 0, "shadow L1[%u] = %08x (reserved type)", i, d);
        }
    }
}

/* One guest access, repaired as trap.c does. */
static void access(uint32_t va, enum mmu_access acc)
{
    uint32_t pa, ipa, gfsr, fsr, sipa;

    for (int i = 0; i < 4; i++) {
        if (!hw_access(va, acc, &pa)) {
            gfsr = guest_access(va, acc, &ipa);
            if (!stale || G.mm.coh == COH_WP) {
                FUZZ_CHECK(!gfsr, "va %08x acc %d: the CPU allows it through the shadow, the "
                           "guest's tables fault 0x%x (mode 0x%x)", va, acc, gfsr, vmode(V));
                FUZZ_CHECK(expected_pa(ipa) == pa, "va %08x: shadow PA %08x, guest IPA %08x", va, pa,
                           ipa);
            }
            return;
        }
        switch (shadow_fault(V, va, acc, &fsr, &sipa)) {
        case FAULT_FIXED:
            continue;
        case FAULT_GUEST:
            gfsr = guest_access(va, acc, &ipa);
            FUZZ_CHECK(gfsr == fsr, "va %08x acc %d: shadow says guest fault 0x%x, guest walk "
                       "0x%x", va, acc, fsr, gfsr);
            return;
        case FAULT_NO_MEMORY:
            FUZZ_CHECK(sipa - SHF_RAM_IPA >= SHF_RAM_SIZE, "va %08x: 'no memory' for IPA %08x "
                       "inside RAM", va, sipa);
            FUZZ_CHECK(!assigned(sipa) || acc == ACC_EXEC, "va %08x acc %d: 'no memory' for IPA "
                       "%08x of its assigned device", va, acc, sipa);
            return;
        case FAULT_STOPPED:
            FUZZ_CHECK(shf.stop_msg[0], "stopped without a message");
            return;
        case FAULT_TABLE_WRITE:
            FUZZ_CHECK(G.mm.coh == COH_WP && acc == ACC_WRITE, "table write fault for acc %d", acc);
            return;
        }
    }
    /* FAULT_FIXED four times and the CPU still faults: the monitor would
     * stop the guest ("no progress") after eight; a builder bug either way. */
    FUZZ_CHECK(0, "va %08x acc %d mode 0x%x: still faulting after 4 repairs", va, acc, vmode(V));
}

/* A guest descriptor built from fuzz bytes. */
static uint32_t desc(struct fin *f)
{
    uint8_t k = fin_u8(f);
    uint32_t x = fin_u32(f), ipa = k & 0x80 ? x : SHF_RAM_IPA + (x % SHF_RAM_SIZE);

    if ((k & 0x60) == 0x60)             /* around the assigned device: its pages, neighbours */
        ipa = DEV_PA - 0x1000 + (x % (DEV_SIZE + 0x2000));

    switch (k & 3) {
    case 0: return x;
    case 1: return (ipa & 0xFFF00000u) | (x & 0x000BFDFCu) | 2;                /* section */
    case 2: return (fin_u8(f) & 0x80 ? x & ~0x3FFu : GL2 + (x & 0x3C00u)) | (x & 0x1E0u) | 1;
    default: return (ipa & 0xFFFFF000u) | (x & 0xFFEu) | (k & 4 ? 1 : 2);     /* L2 entry */
    }
}

static void set_mode(uint32_t mode)
{
    V->vcpsr = (V->vcpsr & ~PSR_MODE_MASK) | mode;
    shadow_privilege_changed(V);
}

static void setup(enum coherence coh, bool mmu_on)
{
    static bool once;

    if (once) {
        G.mm.cur = NULL;
        shadow_flush_guest(&G);         /* back to clean static state */
        /* the fuzzer only ever writes guest RAM below GL1B + 16 KiB: clear
         * that rather than all 4 MiB (shf_reset) on every input */
        memset(shf_ram, 0, GL1B + 0x4000 - SHF_RAM_IPA);
        shf.stop_count = 0;
        shf.stop_msg[0] = 0;
    } else {
        shf_reset();
    }
    if (!once) {
        memset(&G, 0, sizeof(G));
        G.id = GID;
        G.name = "fuzz";
        G.ram_ipa = SHF_RAM_IPA;
        G.ram_size = SHF_RAM_SIZE;
        G.ram_pa = SHF_RAM_PA;
        G.spaces = 4;                   /* the VM file's default */
        if (shadow_guest_init(&G))
            abort();
        once = true;
    }
    G.mm.coh = coh;
    V->guest = &G;
    V->state = VCPU_RUNNING;
    V->vcpsr = PSR_MODE_SVC | PSR_AIF;
    V->cp15.sctlr = mmu_on ? SCTLR_M : 0;
    V->cp15.ttbr0 = GL1;
    V->cp15.ttbr1 = GL1;
    V->cp15.ttbcr = 0;
    V->cp15.dacr = 0x55555555u;
    V->cp15.contextidr = 1;
    stale = false;
    shadow_activate(V);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    uint8_t cfg = fin_u8(&f);

    setup(cfg & 1 ? COH_WP : COH_TLB, !(cfg & 2));
    shf.pxn = cfg & 4;                  /* a virtual CPU with PXN (the UX view) */
    G.assign_pa = DEV_PA;               /* an assigned device (assign=), or none */
    G.assign_size = cfg & 8 ? DEV_SIZE : 0;
    /* initial tables: up to 32 descriptors */
    for (unsigned n = fin_u8(&f) & 31; n; n--) {
        uint8_t w = fin_u8(&f);
        uint32_t at = w & 0x80 ? GL2 + (fin_u16(&f) & 0x3FFC)
                               : GL1 + 4 * slots[w & 15] + (w & 0x40 ? 0x8000 : 0);
        shf_put32(at, desc(&f));
    }
    for (int step = 0; step < 48 && fin_more(&f) && V->state != VCPU_STOPPED; step++) {
        uint8_t op = fin_u8(&f);
        uint32_t va = (uint32_t)slots[op >> 4] << 20 | (fin_u16(&f) & 0xFF) << 12;
        uint32_t x, at;

        switch (op & 15) {
        case 0: case 1: case 2:         /* (only accesses fill: check after each) */
            access(va, (enum mmu_access)(op & 3));
            check_tables();
            break;
        case 3: case 4: case 5:         /* the same, from virtual user mode */
            set_mode(PSR_MODE_USR);
            access(va, (enum mmu_access)((op & 15) - 3));
            set_mode(PSR_MODE_SVC);
            check_tables();
            break;
        case 6:                         /* a table write (coherence b: emulated, seen) */
            x = fin_u8(&f);
            at = x & 0x80 ? GL2 + (fin_u16(&f) & 0x3FFC) : GL1 + 4 * slots[x & 15];
            shf_put32(at, desc(&f));
            if (G.mm.coh == COH_WP) {
                shadow_guest_wrote(&G, at, 4);
                shadow_table_stored(&G, at);    /* as emulate_table_write(): LAZY_WP */
            } else
                stale = true;
            break;
        case 7:                         /* TLBIALL */
            shadow_tlb_op(V, TLB_ALL, 0);
            stale = false;
            break;
        case 8: shadow_tlb_op(V, TLB_MVA, va | (V->cp15.contextidr & 0xFF)); break;
        case 9: shadow_tlb_op(V, TLB_ASID, V->cp15.contextidr & 0xFF); break;
        case 10: shadow_tlb_op(V, TLB_MVA_ALL_ASID, va); break;
        case 11:                        /* switch process: TTBR0 + ASID */
            V->cp15.ttbr0 = fin_u8(&f) & 1 ? GL1B : GL1;
            V->cp15.contextidr = fin_u8(&f);
            shadow_activate(V);
            break;
        case 12:                        /* DACR, TTBCR: every cached space is stale */
            V->cp15.dacr = fin_u32(&f);
            V->cp15.ttbcr = fin_u8(&f) & 7;
            shadow_flush_guest(&G);
            shadow_activate(V);
            stale = false;
            break;
        case 13: set_mode(PSR_MODE_USR); break;
        case 14: set_mode(PSR_MODE_SVC); break;
        default:                        /* MMU on/off */
            V->cp15.sctlr ^= SCTLR_M;
            shadow_flush_guest(&G);
            shadow_activate(V);
            stale = false;
            break;
        }
    }
    check_tables();
    return 0;
}
