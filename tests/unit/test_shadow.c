/*
 * mm/shadow.c: the shadow page-table builder, linked with the real walker
 * (mm/walk.c) and the fake platform of fake_shadow.c.
 *
 * The guest's RAM is 4 MiB at IPA 0x40000000 (host-physical 0x60000000);
 * its translation tables are built there.  The shadow tables are inspected
 * through the L1 the fake arch_switch_mm() last installed, and "the CPU" is
 * simulated by running the real walker over the shadow tables in User mode
 * with the DACR shadow.c last set (hw_access()).
 */
#include "unit.h"
#include "fake_shadow.h"
#include "../../mm/shadow.h"
#include <arch/memmap.h>
#include <arch/mmu-defs.h>

#define CHECK_TRUE_CTX(x, ...) CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

#define GID         2
#define GL1         0x40000000u     /* guest L1 (TTBR0) table, 16 KiB */
#define GL2         0x40010000u     /* guest L2 tables from here, 1 KiB each */
#define DATA        0x40100000u     /* guest data: the upper 3 MiB */
#define RAM_END     (SHF_RAM_IPA + SHF_RAM_SIZE)
#define PA(ipa)     ((ipa) - SHF_RAM_IPA + SHF_RAM_PA)

#define SECT_NORMAL (L1_TYPE_SECT | L1_SECT_NORMAL_WBWA | L1_SECT_NG)
#define SECT_AP_RO  (L1_SECT_APX | L1_SECT_AP1 | L1_SECT_AP0)
/* small page, TEX=001 C B (Normal WBWA), nG */
#define PAGE_NORMAL ((1u << 1) | (1u << 6) | (1u << 3) | (1u << 2) | (1u << 11))
#define PAGE_AP_RW  (3u << 4)
#define PAGE_AP_RO  ((1u << 9) | (3u << 4))

static struct guest G;
static struct vcpu *const V = &G.vcpu;

/* ---- guest descriptors (ARM ARM B3.5) ----------------------------------- */

static uint32_t gsect(uint32_t ipa, unsigned dom, unsigned ap, bool xn)
{
    return (ipa & 0xFFF00000u) | 2u | (xn ? 1u << 4 : 0) | (dom & 15) << 5 |
           (ap & 3) << 10 | (ap >> 2 & 1) << 15;
}

static uint32_t gsupersect(uint32_t ipa, unsigned ap, bool xn)
{
    return (ipa & 0xFF000000u) | 2u | (1u << 18) | (xn ? 1u << 4 : 0) | (ap & 3) << 10 |
           (ap >> 2 & 1) << 15;
}

static uint32_t gtable(uint32_t l2, unsigned dom)
{
    return (l2 & ~0x3FFu) | 1u | (dom & 15) << 5;
}

static uint32_t gpage(uint32_t ipa, unsigned ap, bool xn)
{
    return (ipa & 0xFFFFF000u) | 2u | (xn ? 1u : 0) | (ap & 3) << 4 | (ap >> 2 & 1) << 9;
}

static uint32_t glarge(uint32_t ipa, unsigned ap, bool xn)
{
    return (ipa & 0xFFFF0000u) | 1u | (xn ? 1u << 15 : 0) | (ap & 3) << 4 | (ap >> 2 & 1) << 9;
}

static void set_l1(uint32_t va, uint32_t desc)
{
    shf_put32(GL1 + 4 * (va >> 20), desc);
}

static void set_l2(uint32_t l2, uint32_t va, uint32_t desc)
{
    shf_put32(l2 + 4 * ((va >> 12) & 0xFF), desc);
}

/* ---- the shadow as the MMU sees it -------------------------------------- */

static uint32_t *cur_l1(void)
{
    return shf_pa_to_ptr(shf.l1_pa);
}

static uint32_t sl1(uint32_t va)
{
    return cur_l1()[va >> 20];
}

static uint32_t sl2_in(const uint32_t *l1, uint32_t va)
{
    uint32_t d = l1[va >> 20];
    if ((d & 3) != L1_TYPE_TABLE)
        return 0;
    return shf_pa_to_ptr(d & ~0x3FFu)[(va >> 12) & 0xFF];
}

static uint32_t sl2(uint32_t va)
{
    return sl2_in(cur_l1(), va);
}

/* shadow_fault(), keeping the IPA it reports in last_ipa. */
static uint32_t last_ipa;
static enum fault_result sfault(uint32_t va, enum mmu_access acc, uint32_t *fsr)
{
    last_ipa = 0xDEADBEEF;
    return shadow_fault(V, va, acc, fsr, &last_ipa);
}

static bool rd_arena(void *ctx, uint32_t pa, uint32_t *val)
{
    if (!shf_pa_in_arena(pa))
        return false;
    *val = *shf_pa_to_ptr(pa);
    return true;
}

/* The real CPU: User mode, the shadow table, the DACR shadow.c set. */
static uint32_t hw_access(uint32_t va, enum mmu_access acc, uint32_t *pa)
{
    struct mmu_regs m = { .sctlr = SCTLR_M, .ttbr0 = shf.l1_pa, .ttbcr = 0, .dacr = shf.dacr };
    struct walk_result r;
    uint32_t fsr = mmu_translate(&m, va, acc, false, rd_arena, NULL, &r);

    if (!fsr && pa)
        *pa = r.ipa;
    return fsr;
}

/* The guest's own view: its tables, its mode. */
static uint32_t guest_access(uint32_t va, enum mmu_access acc, uint32_t *ipa)
{
    struct mmu_regs m;
    struct walk_result r;
    uint32_t fsr;

    shadow_mmu_regs(V, &m);
    fsr = mmu_translate(&m, va, acc, vmode_privileged(V), shadow_read_ipa, &G, &r);
    if (ipa)
        *ipa = r.ipa;
    return fsr;
}

/* A guest access: retry after each repair, as the trap handler does. */
static enum fault_result run(uint32_t va, enum mmu_access acc, uint32_t *fsr)
{
    uint32_t f = 0;

    for (int i = 0; i < 6; i++) {
        enum fault_result r;
        if (!hw_access(va, acc, NULL)) {
            if (fsr)
                *fsr = 0;
            return FAULT_FIXED;
        }
        r = sfault(va, acc, &f);
        if (r != FAULT_FIXED) {
            if (fsr)
                *fsr = f;
            return r;
        }
    }
    fail_msg("va 0x%08x access %d: still faulting after 6 repairs", (unsigned)va, acc);
    return FAULT_STOPPED;
}

static void set_mode(uint32_t mode)
{
    V->vcpsr = (V->vcpsr & ~PSR_MODE_MASK) | mode;
    shadow_privilege_changed(V);
}

static uint64_t stat(enum trap_class c)
{
    return V->stats[c];
}

/* ---- fixtures ------------------------------------------------------------ */

static unsigned setup_spaces = 4;   /* the VM file's default (test_lru counts on it) */

static int setup_coh(enum coherence coh, bool mmu_on)
{
    shf_reset();
    /* give back what the previous test left in shadow.c's static state */
    if (G.mm.page_flags) {
        G.mm.cur = NULL;
        shadow_flush_guest(&G);
    }
    memset(&G, 0, sizeof(G));
    G.id = GID;
    G.name = "shadow";
    G.ram_ipa = SHF_RAM_IPA;
    G.ram_size = SHF_RAM_SIZE;
    G.ram_pa = SHF_RAM_PA;
    G.spaces = setup_spaces;
    G.mm.coh = coh;
    V->guest = &G;
    V->state = VCPU_RUNNING;
    V->vcpsr = PSR_MODE_SVC | PSR_AIF;
    V->cp15.sctlr = mmu_on ? SCTLR_M : 0;
    V->cp15.ttbr0 = GL1 | 0x48;
    V->cp15.ttbcr = 0;
    V->cp15.dacr = 0x55555555u;     /* every guest domain: client */
    V->cp15.contextidr = 1;
    if (shadow_guest_init(&G)) {
        print_error("shadow_guest_init failed\n");
        return -1;
    }
    shadow_activate(V);
    return 0;
}

static int setup_off(void **state) { return setup_coh(COH_TLB, false); }
static int setup_tlb(void **state) { return setup_coh(COH_TLB, true); }
static int setup_wp(void **state)  { return setup_coh(COH_WP, true); }
static int setup_wp24(void **state)     /* spaces=24 */
{
    setup_spaces = 24;
    int r = setup_coh(COH_WP, true);
    setup_spaces = 4;
    return r;
}
#define TOFF(f) cmocka_unit_test_setup_teardown(f, setup_off, unit_ubsan_teardown)
#define TTLB(f) cmocka_unit_test_setup_teardown(f, setup_tlb, unit_ubsan_teardown)
#define TWP(f)  cmocka_unit_test_setup_teardown(f, setup_wp, unit_ubsan_teardown)
#define TWP24(f) cmocka_unit_test_setup_teardown(f, setup_wp24, unit_ubsan_teardown)

/* Every non-window entry of an L1 is empty. */
static unsigned l1_used(const uint32_t *l1)
{
    unsigned n = 0;
    for (unsigned i = 0; i < 4096; i++)
        if (l1[i] && (i < HV_WINDOW_L1_FIRST || i >= HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT))
            n++;
    return n;
}

static void check_window(const uint32_t *l1)
{
    for (unsigned i = 0; i < HV_WINDOW_MON_L1_COUNT; i++)
        CHECK_EQ_CTX(l1[HV_WINDOW_L1_FIRST + i], shf_window[i], "window entry %u", i);
    /* the last MiB is the guest's own (its SRFA page, if mapped) */
    CHECK_EQ_CTX(l1[HV_GUESTVIS_L1], G.mm.guestvis_l1desc, "guest-visible window MiB");
}

/* ---- the SRFA page ------------------------------------------------------- */

/* Mapped in the guest's kernel-only domain D1 at PV_SRFA_VA, execute-never,
 * writable; read-only (and the TLB entry of every ASID dropped) on demand. */
static void test_srfa_map_protect(void **state)
{
    uint32_t *l1 = cur_l1(), d, pte, *l2;
    int flushes;
    uint32_t *pg = pool_alloc(4096, 4096);
    CHECK_EQ(shadow_srfa_map(&G, pg), 0);
    d = l1[PV_SRFA_VA >> 20];
    CHECK_EQ_CTX(d & 3, 1u, "L1 entry of the SRFA MiB is a page table (0x%08x)", (unsigned)d);
    CHECK_EQ_CTX((d >> 5) & 0xF, 1u, "SRFA MiB in domain 1 (guest kernel only)");
    check_window(l1);
    l2 = shf_pa_to_ptr(d & ~0x3FFu);
    pte = l2[(PV_SRFA_VA >> 12) & 0xFF];
    CHECK_EQ_CTX(pte & ~0xFFFu, arch_virt_to_phys(pg), "SRFA PTE maps the page");
    CHECK_EQ_CTX(pte & 1u, 1u, "SRFA page is execute-never");
    CHECK_EQ_CTX((pte >> 4) & 3, 3u, "AP[1:0]=11");
    CHECK_EQ_CTX((pte >> 9) & 1, 0u, "APX=0: writable");
    CHECK_EQ_CTX((pte >> 11) & 1, 1u, "non-global (per ASID)");
    for (unsigned i = 0; i < 256; i++)
        if (i != ((PV_SRFA_VA >> 12) & 0xFF))
            CHECK_EQ_CTX(l2[i], 0u, "nothing else in the guest-visible MiB (entry %u)", i);

    flushes = shf.flush_va_count;
    shadow_srfa_protect(&G, true);
    pte = l2[(PV_SRFA_VA >> 12) & 0xFF];
    CHECK_EQ_CTX((pte >> 9) & 1, 1u, "APX=1: read-only while protected");
    CHECK_EQ_CTX((pte >> 4) & 3, 3u, "AP[1:0] kept");
    CHECK_TRUE(shf.flush_va_count > flushes);
    CHECK_EQ(shf.flush_va[shf.flush_va_count - 1], PV_SRFA_VA);
    flushes = shf.flush_va_count;
    shadow_srfa_protect(&G, true);              /* no change: no TLB work */
    CHECK_EQ(shf.flush_va_count, flushes);
    shadow_srfa_protect(&G, false);
    CHECK_EQ_CTX((l2[(PV_SRFA_VA >> 12) & 0xFF] >> 9) & 1, 0u, "writable again");
    /* a new space of the guest gets the entry too */
    V->cp15.contextidr = 77;
    shadow_activate(V);
    CHECK_EQ_CTX(cur_l1()[PV_SRFA_VA >> 20], d, "SRFA MiB in a newly made space");
    CHECK_EQ(shadow_srfa_map(&G, NULL), 0);     /* later tests: no SRFA */
    CHECK_EQ(cur_l1()[PV_SRFA_VA >> 20], 0u);
}

/* ---- MMU off ------------------------------------------------------------- */

static void test_mmu_off_flat(void **state)
{
    uint32_t fsr = 0xDEAD, pa;

    CHECK_EQ(shf.dacr, DACR_GUEST_KERNEL);
    CHECK_EQ(l1_used(cur_l1()), 0);
    check_window(cur_l1());
    CHECK_EQ(sfault(0x40123456, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(fsr, 0);
    /* flat 1 MiB section: Normal WBWA, nG, domain 3, AP=011, executable */
    CHECK_EQ(sl1(0x40123456), PA(0x40100000) | L1_TYPE_SECT | L1_SECT_TEX(1) | L1_SECT_C |
             L1_SECT_B | L1_SECT_NG | L1_SECT_AP1 | L1_SECT_AP0 | L1_DOMAIN(3));
    CHECK_EQ(l1_used(cur_l1()), 1);
    CHECK_EQ(stat(TS_SHADOW_FILL), 1);
    /* the CPU can now do everything there, in both virtual modes */
    for (unsigned acc = ACC_READ; acc <= ACC_EXEC; acc++) {
        CHECK_EQ(hw_access(0x401FFFFC, acc, &pa), 0);
        CHECK_EQ(pa, PA(0x401FFFFC));
    }
    set_mode(PSR_MODE_USR);
    CHECK_EQ(shf.dacr, DACR_GUEST_USER);
    CHECK_EQ(run(0x40300000, ACC_WRITE, NULL), FAULT_FIXED);
    CHECK_EQ(sl1(0x40300000), PA(0x40300000) | 0x1C0E | L1_SECT_NG | L1_DOMAIN(3));
    CHECK_EQ(hw_access(0x40000000, ACC_READ, NULL), 0x005);    /* not filled yet */
    CHECK_EQ(hw_access(0x40123456, ACC_EXEC, NULL), 0);
    /* no RAM: an external abort for the guest; the window: never mapped */
    CHECK_EQ(sfault(0x3FFFFFFC, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(last_ipa, 0x3FFFFFFC);
    CHECK_EQ(sfault(RAM_END, ACC_WRITE, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sfault(0xBF000000, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sfault(0xBFFFFFFF, ACC_EXEC, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sl1(0x3FF00000), 0);
    CHECK_EQ(shf.stop_count, 0);
    check_window(cur_l1());
    CHECK_EQ(hw_access(0xBF000000, ACC_READ, NULL), 0x00D);    /* PL1-only at PL0 */
}

/* ---- sections ------------------------------------------------------------ */

static void test_section_kernel_only(void **state)
{
    uint32_t fsr, pa;

    set_l1(0xC0000000, gsect(DATA, 0, 1, false));           /* PL1 RW, PL0 none */
    set_l1(0xC0100000, gsect(DATA + 0x100000, 5, 5, true));  /* PL1 RO, XN */
    CHECK_EQ(run(0xC0000010, ACC_READ, &fsr), FAULT_FIXED);
    /* reachable only through domain 1, with PL0 RW standing for PL1 RW */
    CHECK_EQ(sl1(0xC0000000), PA(DATA) | SECT_NORMAL | L1_SECT_AP_ALL_RW | L1_DOMAIN(1));
    CHECK_EQ(hw_access(0xC0000010, ACC_WRITE, &pa), 0);
    CHECK_EQ(pa, PA(DATA + 0x10));
    CHECK_EQ(hw_access(0xC00FFFFC, ACC_EXEC, NULL), 0);
    CHECK_EQ(run(0xC0100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0xC0100000), PA(DATA + 0x100000) | SECT_NORMAL | SECT_AP_RO |
             L1_SECT_XN | L1_DOMAIN(1));
    CHECK_EQ(hw_access(0xC0100000, ACC_WRITE, NULL), 0x01D);
    CHECK_EQ(hw_access(0xC0100000, ACC_EXEC, NULL), 0x01D);
    /* the guest's own permission fault for the write, its domain (5) */
    CHECK_EQ(sfault(0xC0100000, ACC_WRITE, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x05D);

    /* virtual user mode: domain 1 is no access, the guest's own fault */
    set_mode(PSR_MODE_USR);
    CHECK_EQ(shf.dacr, DACR_GUEST_USER);
    CHECK_EQ(hw_access(0xC0000010, ACC_READ, NULL), 0x019);
    CHECK_EQ(run(0xC0000010, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00D);
    CHECK_EQ(fsr, guest_access(0xC0000010, ACC_READ, NULL));
    CHECK_EQ(sl1(0xC0000000), PA(DATA) | SECT_NORMAL | L1_SECT_AP_ALL_RW | L1_DOMAIN(1));
    /* and back */
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(hw_access(0xC0000010, ACC_READ, NULL), 0);
    /* the DACR values: domain 0 client always, 1 client only in kernel mode,
     * 3 client always, 2 unused */
    CHECK_EQ(DACR_GUEST_KERNEL & 3, 1);
    CHECK_EQ(DACR_GUEST_KERNEL >> 2 & 3, 1);
    CHECK_EQ(DACR_GUEST_KERNEL >> 6 & 3, 1);
    CHECK_EQ(DACR_GUEST_USER & 3, 1);
    CHECK_EQ(DACR_GUEST_USER >> 2 & 3, 0);
    CHECK_EQ(DACR_GUEST_USER >> 6 & 3, 1);
}

static void test_section_user(void **state)
{
    uint32_t fsr;

    set_l1(0x00100000, gsect(DATA, 0, 3, false));           /* RW everywhere */
    set_l1(0x00200000, gsect(DATA + 0x100000, 2, 7, true));  /* RO everywhere, XN */
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00100000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00100000), PA(DATA) | SECT_NORMAL | L1_SECT_AP_ALL_RW | L1_DOMAIN(3));
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00200000), PA(DATA + 0x100000) | SECT_NORMAL | SECT_AP_RO | L1_SECT_XN |
             L1_DOMAIN(3));
    CHECK_EQ(run(0x00200000, ACC_WRITE, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x02D);
    CHECK_EQ(run(0x00200000, ACC_EXEC, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x02D);
    /* domain 3 works in both modes without a refill */
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(hw_access(0x00100000, ACC_WRITE, NULL), 0);
    CHECK_EQ(hw_access(0x00200000, ACC_READ, NULL), 0);
    /* a manager domain ignores AP and XN: full access */
    V->cp15.dacr = 0x55555555u | 3u << 4;   /* guest domain 2: manager */
    shadow_flush_guest(&G);
    CHECK_EQ(run(0x00200000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00200000), PA(DATA + 0x100000) | SECT_NORMAL | L1_SECT_AP_ALL_RW |
             L1_DOMAIN(3));
    /* a supersection: one shadow section per MiB touched */
    for (uint32_t va = 0x01000000; va < 0x02000000; va += 0x100000)
        set_l1(va, gsupersect(0x40000000, 3, false));
    CHECK_EQ(run(0x01234567, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x01200000), PA(0x40200000) | SECT_NORMAL | L1_SECT_AP_ALL_RW | L1_DOMAIN(3));
    /* ...whose MiBs beyond guest RAM are the guest's external abort */
    CHECK_EQ(run(0x01400000, ACC_READ, &fsr), FAULT_NO_MEMORY);
}

/* A section whose PL1 and PL0 rights differ but are both non-empty
 * (AP=010) cannot be one section: it is split into pages with views. */
static void test_section_mixed_split(void **state)
{
    uint32_t fsr;

    set_l1(0x00300000, gsect(DATA, 0, 2, false));
    CHECK_EQ(run(0x00300000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00300000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(1));
    CHECK_EQ(sl2(0x00300000), PA(DATA) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00301000), 0);
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00301000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00300000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(3));
    CHECK_EQ(sl2(0x00301000), PA(DATA + 0x1000) | PAGE_NORMAL | PAGE_AP_RO);
    CHECK_EQ(sl2(0x00300000), 0);           /* dropped with the view change */
    CHECK_EQ(stat(TS_SHADOW_VIEW), 1);
    CHECK_EQ(run(0x00301000, ACC_WRITE, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00D);
    CHECK_EQ(fsr, guest_access(0x00301000, ACC_WRITE, NULL));
}

/* ---- pages --------------------------------------------------------------- */

static void test_small_and_large_pages(void **state)
{
    uint32_t fsr, pa;
    const uint32_t l2 = GL2;

    set_l1(0x00400000, gtable(l2, 4));
    set_l2(l2, 0x00403000, gpage(0x40205000, 3, true));        /* RW, XN */
    set_l2(l2, 0x00404000, gpage(0x40206000, 6, false));       /* RO (deprecated) */
    for (uint32_t va = 0x00410000; va < 0x00420000; va += 0x1000)
        set_l2(l2, va, glarge(0x40330000, 3, false));
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00403ABC, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00400000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(3));
    CHECK_TRUE(shf_pa_in_arena(sl1(0x00400000) & ~0x3FFu));
    CHECK_EQ(sl2(0x00403000), PA(0x40205000) | PAGE_NORMAL | PAGE_AP_RW | 1);
    CHECK_EQ(hw_access(0x00403ABC, ACC_READ, &pa), 0);
    CHECK_EQ(pa, PA(0x40205ABC));
    CHECK_EQ(hw_access(0x00403ABC, ACC_EXEC, NULL), 0x03F);
    CHECK_EQ(run(0x00403ABC, ACC_EXEC, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x04F);
    CHECK_EQ(run(0x00404000, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00404000), PA(0x40206000) | PAGE_NORMAL | PAGE_AP_RO);
    /* the other pages of the MiB stay unmapped */
    CHECK_EQ(sl2(0x00405000), 0);
    CHECK_EQ(run(0x00405000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x047);
    /* a large page: shadowed 4 KiB at a time */
    CHECK_EQ(run(0x00415678, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00415000), PA(0x40335000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00414000), 0);
    CHECK_EQ(hw_access(0x00415678, ACC_WRITE, &pa), 0);
    CHECK_EQ(pa, PA(0x40335678));
}

static void test_no_memory(void **state)
{
    uint32_t fsr;

    set_l1(0x00100000, gsect(0x10000000, 0, 3, false));
    CHECK_EQ(sfault(0x00100123, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(last_ipa, 0x10000123);     /* for the MMIO lookup */
    CHECK_EQ(sl1(0x00100000), 0);
    set_l1(0x00200000, gtable(GL2, 0));
    set_l2(GL2, 0x00201000, gpage(RAM_END, 3, false));
    set_l2(GL2, 0x00202000, gpage(RAM_END - 0x1000, 3, false));
    CHECK_EQ(sfault(0x00201000, ACC_WRITE, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sl2(0x00201000), 0);
    CHECK_EQ(sfault(0x00202FFF, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00202000), PA(RAM_END - 0x1000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(shf.stop_count, 0);
}

/* ---- an assigned device (assign=) ----------------------------------------- */

#define DEV_PA      0x0a003000u     /* two assigned pages: 0x0a003000-0x0a004fff */
#define PAGE_DEVICE ((1u << 1) | (1u << 2) | (1u << 11))    /* Shareable Device, nG */

/* Through the guest's own section at another VA: only the assigned pages
 * are filled, each as a Device page at IPA == PA, XN, with the guest's
 * rights; the rest of that MiB, a fetch, and the same IPAs once the
 * assignment is gone are "no memory" (the guest's external abort). */
static void test_assigned_device(void **state)
{
    uint32_t fsr, pa;

    G.assign_pa = DEV_PA;
    G.assign_size = 0x2000;
    set_l1(0x20000000, gsect(0x0a000000, 0, 3, false));        /* RW, executable for the guest */
    set_l1(0x20100000, gsect(0x0a000000, 0, 7, false));        /* read-only alias */
    CHECK_EQ(sfault(0x20003e08, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ_CTX(sl1(0x20000000) & 3, (uint32_t)L1_TYPE_TABLE, "pages, never a section");
    CHECK_EQ(sl2(0x20003000), DEV_PA | PAGE_DEVICE | PAGE_AP_RW | 1u);
    CHECK_EQ(hw_access(0x20003e08, ACC_WRITE, &pa), 0);
    CHECK_EQ(pa, DEV_PA + 0xe08);
    CHECK_EQ(run(0x20004ffc, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x20004000), (DEV_PA + 0x1000) | PAGE_DEVICE | PAGE_AP_RW | 1u);
    CHECK_EQ(sfault(0x20100000 + 0x3000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x20103000), DEV_PA | PAGE_DEVICE | PAGE_AP_RO | 1u);
    /* the neighbouring pages of the same MiB, and a fetch from the device */
    CHECK_EQ(sfault(0x20002ffc, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(last_ipa, 0x0a002ffc);
    CHECK_EQ(sfault(0x20005000, ACC_WRITE, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sfault(0x20000000, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sfault(0x20003000, ACC_EXEC, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sl2(0x20002000), 0);
    CHECK_EQ(sl2(0x20005000), 0);
    CHECK_EQ(sl2(0x20000000), 0);
    /* no assignment (another guest's view of the same IPAs): nothing */
    G.assign_pa = G.assign_size = 0;
    shadow_flush_guest(&G);
    shadow_activate(V);
    CHECK_EQ(sfault(0x20003e08, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sl1(0x20000000), 0);
    CHECK_EQ(shf.stop_count, 0);
}

/* With the MMU off the guest reaches its device at its physical address,
 * as a Device page too, not inside a flat section. */
static void test_assigned_device_mmu_off(void **state)
{
    uint32_t fsr;

    G.assign_pa = DEV_PA;
    G.assign_size = 0x1000;
    CHECK_EQ(sfault(DEV_PA + 0x70, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(fsr, 0);
    CHECK_EQ_CTX(sl1(DEV_PA) & 3, (uint32_t)L1_TYPE_TABLE, "pages, never a section");
    CHECK_EQ(sl2(DEV_PA), DEV_PA | PAGE_DEVICE | PAGE_AP_RW | 1u);
    CHECK_EQ(sfault(DEV_PA + 0x1000, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sfault(DEV_PA - 4, ACC_READ, &fsr), FAULT_NO_MEMORY);
    CHECK_EQ(sl2(DEV_PA + 0x1000), 0);
    CHECK_EQ(sl2(DEV_PA - 0x1000), 0);
    G.assign_pa = G.assign_size = 0;
}

static void test_guest_faults(void **state)
{
    uint32_t fsr;

    /* L1 fault */
    CHECK_EQ(sfault(0x00500000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x005);
    /* L2 fault, with the L1 entry's domain */
    set_l1(0x00600000, gtable(GL2, 7));
    CHECK_EQ(sfault(0x00600000, ACC_WRITE, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x077);
    /* domain fault */
    set_l1(0x00700000, gsect(DATA, 9, 3, false));
    V->cp15.dacr = 0x55555555u & ~(3u << 18);
    CHECK_EQ(sfault(0x00700000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x099);
    /* permission fault in user mode on a kernel-only page */
    set_l2(GL2, 0x00601000, gpage(DATA, 1, false));
    set_mode(PSR_MODE_USR);
    CHECK_EQ(sfault(0x00601000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x07F);
    /* the walk hit no RAM (L2 table outside RAM): the guest's external abort */
    set_l1(0x00800000, gtable(0x20000000, 3));
    CHECK_EQ(sfault(0x00800000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x03E);
    CHECK_EQ(stat(TS_DABT), 0);     /* counted once, by the trap handler */
    /* each is exactly the walker's answer, and nothing was filled */
    static const uint32_t vas[] = { 0x00500000, 0x00600000, 0x00700000, 0x00601000, 0x00800000 };
    for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
        CHECK_EQ_CTX(sfault(vas[i], ACC_READ, &fsr), FAULT_GUEST, "va 0x%08x", (unsigned)vas[i]);
        CHECK_EQ_CTX(fsr, guest_access(vas[i], ACC_READ, NULL), "va 0x%08x", (unsigned)vas[i]);
    }
    CHECK_EQ(l1_used(cur_l1()), 0);
    CHECK_EQ(stat(TS_SHADOW_FILL), 0);
}

/* ---- containment ---------------------------------------------------------- */

static void test_monitor_window(void **state)
{
    uint32_t fsr;

    /* unmapped by the guest there: the guest's own fault */
    CHECK_EQ(sfault(0xBF000000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x005);
    CHECK_EQ(shf.stop_count, 0);
    /* mapped by the guest: stopped, never filled */
    set_l1(0xBF100000, gsect(DATA, 0, 3, false));
    CHECK_EQ(sfault(0xBF100004, ACC_WRITE, &fsr), FAULT_STOPPED);
    CHECK_EQ(shf.stop_count, 1);
    CHECK_TRUE(strstr(shf.stop_msg, "0xbf100004") != NULL);
    CHECK_EQ(G.vcpu.state, VCPU_STOPPED);
    check_window(cur_l1());
    set_l1(0xBFF00000, gtable(GL2, 0));
    set_l2(GL2, 0xBFFFF000, gpage(DATA, 3, false));
    CHECK_EQ(sfault(0xBFFFFFFF, ACC_READ, &fsr), FAULT_STOPPED);
    CHECK_EQ(shf.stop_count, 2);
    check_window(cur_l1());
    /* just outside: fine */
    set_l1(0xBEF00000, gsect(DATA, 0, 3, false));
    set_l1(0xC0000000, gsect(DATA, 0, 3, false));
    CHECK_EQ(sfault(0xBEFFFFFF, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sfault(0xC0000000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(shf.stop_count, 2);
    CHECK_EQ(l1_used(cur_l1()), 2);
}

static void test_no_progress(void **state)
{
    uint32_t fsr;

    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    set_l1(0x00200000, gsect(DATA, 0, 3, false));
    /* alternating accesses make progress */
    for (int i = 0; i < 20; i++)
        CHECK_EQ_CTX(sfault(i & 1 ? 0x00100000 : 0x00200000, ACC_READ, &fsr),
                     FAULT_FIXED, "round %d", i);
    /* a different access kind at the same VA is progress too */
    for (int i = 0; i < 20; i++)
        CHECK_EQ_CTX(sfault(0x00100000, i & 1 ? ACC_READ : ACC_WRITE, &fsr),
                     FAULT_FIXED, "round %d", i);
    CHECK_EQ(shf.stop_count, 0);
    /* the same access "fixed" over and over: the limit is 8 repairs */
    int fixed = 0;
    enum fault_result r;
    while ((r = sfault(0x00100040, ACC_WRITE, &fsr)) == FAULT_FIXED && fixed < 100)
        fixed++;
    CHECK_EQ(r, FAULT_STOPPED);
    CHECK_EQ(fixed, 8);
    CHECK_EQ(shf.stop_count, 1);
    CHECK_TRUE(strstr(shf.stop_msg, "no progress") != NULL);
}

/* A guest that remaps one VA over and over (a copy/zero window: write the
 * PTE, TLBIMVA, store) has each store repaired once per remap.  That is
 * progress, not a shadow that cannot represent the access: the guest must
 * not be stopped. */
static void test_no_progress_tlb_remap(void **state)
{
    uint32_t fsr, pa;
    const uint32_t win = 0x00F00000;

    set_l1(win, gtable(GL2, 0));
    for (uint32_t i = 0; i < 16; i++) {
        set_l2(GL2, win, gpage(DATA + (i << 12), 3, false));
        shadow_tlb_op(V, TLB_MVA, win);
        CHECK_EQ_CTX(run(win, ACC_WRITE, &fsr), FAULT_FIXED,
                     "remap %u of VA 0x%08x (stopped: \"%s\")", (unsigned)i, (unsigned)win,
                     shf.stop_msg);
        CHECK_EQ_CTX(hw_access(win, ACC_WRITE, &pa), 0, "remap %u", (unsigned)i);
        CHECK_EQ_CTX(pa, PA(DATA + (i << 12)), "remap %u", (unsigned)i);
    }
    CHECK_EQ(shf.stop_count, 0);
}

/* ---- kernel/user views ------------------------------------------------------ */

static void test_view_switch(void **state)
{
    uint32_t fsr, pa;
    const uint32_t l2 = GL2 + 0x400;

    set_l1(0x00500000, gtable(l2, 0));
    set_l2(l2, 0x00500000, gpage(DATA, 1, false));             /* kernel only */
    set_l2(l2, 0x00501000, gpage(DATA + 0x1000, 3, false));    /* user RW */
    set_l2(l2, 0x00502000, gpage(DATA + 0x2000, 2, false));    /* PL1 RW, PL0 RO */

    /* kernel mode: view K, domain 1, pages carry the PL1 rights */
    CHECK_EQ(run(0x00500000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00501000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00502000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00500000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(1));
    CHECK_EQ(sl2(0x00500000), PA(DATA) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00501000), PA(DATA + 0x1000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00502000), PA(DATA + 0x2000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(stat(TS_SHADOW_VIEW), 0);

    /* user mode: nothing of view K is reachable (domain 1 no access) */
    set_mode(PSR_MODE_USR);
    CHECK_EQ(hw_access(0x00500000, ACC_READ, NULL), 0x01B);
    CHECK_EQ(hw_access(0x00501000, ACC_READ, NULL), 0x01B);
    /* a user fault on the user page switches the MiB to view U */
    CHECK_EQ(sfault(0x00501000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(stat(TS_SHADOW_VIEW), 1);
    CHECK_EQ(sl1(0x00500000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(3));
    CHECK_EQ(sl2(0x00501000), PA(DATA + 0x1000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00500000), 0);                   /* the kernel-only page is gone */
    CHECK_EQ(sl2(0x00502000), 0);                   /* so is the mixed page */
    CHECK_EQ(hw_access(0x00500000, ACC_READ, NULL), 0x037);
    CHECK_EQ(hw_access(0x00501000, ACC_WRITE, &pa), 0);
    CHECK_EQ(pa, PA(DATA + 0x1000));
    /* the kernel-only page stays the guest's fault in user mode */
    CHECK_EQ(run(0x00500000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00F);
    /* the mixed page comes back read-only (PL0 rights) */
    CHECK_EQ(run(0x00502000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00502000), PA(DATA + 0x2000) | PAGE_NORMAL | PAGE_AP_RO);
    CHECK_EQ(run(0x00502000, ACC_WRITE, &fsr), FAULT_GUEST);
    CHECK_EQ(stat(TS_SHADOW_VIEW), 1);

    /* back in kernel mode: the user page works as is (neutral rights)... */
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(hw_access(0x00501000, ACC_WRITE, NULL), 0);
    /* ...a kernel write to the mixed page goes back to view K */
    CHECK_EQ(run(0x00502000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(stat(TS_SHADOW_VIEW), 2);
    CHECK_EQ(sl1(0x00500000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(1));
    CHECK_EQ(sl2(0x00502000), PA(DATA + 0x2000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(sl2(0x00501000), 0);
    /* the TLB entries of the dropped pages were invalidated */
    bool seen = false;
    for (int i = 0; i < shf.flush_va_count && i < SHF_LOG; i++)
        seen |= shf.flush_va[i] == 0x00501000 && shf.flush_va_asid[i] == shf.asid;
    CHECK_TRUE(seen);
}

/* Random guest tables, random accesses in random modes: the CPU (walking
 * the shadow in User mode) never allows what the guest's tables forbid in
 * the current virtual mode, and every access the guest allows completes. */
static void soundness(uint32_t seed, int iter, bool pxn)
{
    uint32_t vas[64];
    unsigned nvas = 0;

    shf.pxn = pxn;

    V->cp15.dacr = 0;
    for (unsigned d = 0; d < 16; d++) {
        static const uint32_t types[] = { 1, 1, 1, 3, 0 };
        V->cp15.dacr |= types[unit_rand(&seed) % 5] << 2 * d;
    }
    for (unsigned k = 0; k < 8; k++)
        for (unsigned e = 0; e < 256; e++) {
            uint32_t x = unit_rand(&seed);
            uint32_t ipa = SHF_RAM_IPA + (x >> 4) % (SHF_RAM_SIZE + 0x40000);
            uint32_t d = (x & 7) == 0 ? 0 : (x & 7) == 1 ? glarge(ipa, x >> 8 & 7, x >> 11 & 1)
                                                        : gpage(ipa, x >> 8 & 7, x >> 11 & 1);
            if ((x >> 8 & 7) == 4)
                d &= ~(1u << 9);    /* no reserved AP=100 */
            shf_put32(GL2 + k * 0x400 + 4 * e, d);
        }
    for (unsigned i = 0; i < 64; i++) {
        uint32_t x = unit_rand(&seed), d;
        switch (x & 3) {
        case 0: d = 0; break;
        case 1:
            d = gtable(GL2 + (x >> 4 & 7) * 0x400, x >> 8 & 15) | (pxn && (x >> 21 & 1) ? 1u << 2 : 0);
            break;
        default:
            d = gsect(SHF_RAM_IPA + (x >> 12) % 5 * 0x100000, x >> 8 & 15, x >> 16 & 7,
                      x >> 20 & 1) | (pxn && (x >> 21 & 1) ? 1u : 0);
            if ((x >> 16 & 7) == 4)
                d &= ~(1u << 15);
        }
        shf_put32(GL1 + 4 * i, d);
    }
    for (int it = 0; it < iter; it++) {
        uint32_t x = unit_rand(&seed);
        uint32_t va = (x & 1) && nvas ? vas[(x >> 1) % nvas] : (unit_rand(&seed) % (64u << 20)) & ~3u;
        enum mmu_access acc = (x >> 8) % 3;
        uint32_t gfsr, gipa, gpa = 0, fsr, pa = 0;
        enum fault_result r = FAULT_FIXED;
        int tries = 0;

        if ((x >> 12 & 7) == 0)
            set_mode(vmode_privileged(V) ? PSR_MODE_USR : PSR_MODE_SVC);
        if (nvas < 64)
            vas[nvas++] = va;
        gfsr = guest_access(va, acc, &gipa);
        bool ram = guest_ipa_to_pa(&G, gipa, &gpa);
        while (hw_access(va, acc, &pa) && tries++ < 4) {
            r = sfault(va, acc, &fsr);
            if (r != FAULT_FIXED)
                break;
        }
        const char *ctx = vmode_privileged(V) ? "kernel" : "user";
        if (!hw_access(va, acc, &pa)) {
            CHECK_EQ_CTX(gfsr, 0, "%s va 0x%08x acc %d: the CPU allows what the guest forbids",
                         ctx, (unsigned)va, acc);
            CHECK_EQ_CTX(pa, gpa, "%s va 0x%08x acc %d", ctx, (unsigned)va, acc);
        } else if (gfsr) {
            CHECK_EQ_CTX(r, FAULT_GUEST, "%s va 0x%08x acc %d", ctx, (unsigned)va, acc);
            CHECK_EQ_CTX(fsr, gfsr, "%s va 0x%08x acc %d", ctx, (unsigned)va, acc);
        } else if (!ram) {
            CHECK_EQ_CTX(r, FAULT_NO_MEMORY, "%s va 0x%08x acc %d", ctx, (unsigned)va, acc);
        } else {
            CHECK_TRUE_CTX(r == FAULT_TABLE_WRITE && acc == ACC_WRITE && G.mm.coh == COH_WP,
                           "%s va 0x%08x acc %d: result %d, the guest allows it", ctx,
                           (unsigned)va, acc, r);
            /* emulate the store as the monitor does: a descriptor changes
             * (one bit of it, or it goes), the shadow hears of it, and the
             * page may stop being protected (LAZY_WP) */
            uint32_t w = last_ipa & ~3u, old = shf_get32(w);
            uint32_t nv = (x >> 20) & 1 ? old ^ (1u << ((x >> 21) % 20)) : 0;
            shf_put32(w, nv);
            shadow_guest_wrote(&G, w, 4);
            shadow_table_stored(&G, w);
        }
        /* nothing mapped anywhere grants more than the guest does now */
        for (unsigned j = 0; j < nvas; j += 7)
            for (unsigned a = ACC_READ; a <= ACC_EXEC; a++)
                if (!hw_access(vas[j], a, &pa)) {
                    CHECK_EQ_CTX(guest_access(vas[j], a, &gipa), 0, "%s va 0x%08x acc %u",
                                 ctx, (unsigned)vas[j], a);
                    CHECK_TRUE(guest_ipa_to_pa(&G, gipa, &gpa));
                    CHECK_EQ_CTX(pa, gpa, "%s va 0x%08x acc %u", ctx, (unsigned)vas[j], a);
                }
    }
    CHECK_EQ(shf.stop_count, 0);
}

static void test_soundness_tlb(void **state)
{
    soundness(0x13579BDF, 6000, false);
}

static void test_soundness_wp(void **state)
{
    soundness(0x2468ACE1, 6000, false);
}

/* The same with PXN in the virtual CPU: PXN sections and tables. */
static void test_soundness_pxn_tlb(void **state)
{
    soundness(0x0BADF00D, 6000, true);
}

static void test_soundness_pxn_wp(void **state)
{
    soundness(0x5EED1234, 6000, true);
}

/* PXN code (user-executable, not kernel-executable; Linux's user text) in
 * a MiB with user data: the user executes it in view UX (domain 2, kernel
 * no access); a kernel access turns the MiB back into view U with nothing
 * executable, so a kernel fetch is the guest's permission fault, and the
 * user's next fetch makes it UX again. */
static void test_pxn_views(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2 + 0x800;

    shf.pxn = true;
    set_l1(0x00600000, gtable(l2, 0) | 1u << 2);               /* PXNTABLE */
    set_l2(l2, 0x00600000, gpage(DATA, 3, false));             /* user text */
    set_l2(l2, 0x00601000, gpage(DATA + 0x1000, 3, true));     /* user data */

    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00601000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00600000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00600000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(3));
    CHECK_EQ(sl2(0x00600000) & 1, 1);                           /* XN until fetched */
    CHECK_EQ(run(0x00600000, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00600000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(2));
    CHECK_EQ(sl2(0x00600000) & 1, 0);
    CHECK_EQ(sl2(0x00601000) & 1, 1);                           /* kept, still XN */

    /* kernel: domain 2 is no access; its fetch is the guest's fault */
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(hw_access(0x00600000, ACC_EXEC, NULL), 0x02B);
    CHECK_EQ(run(0x00600000, ACC_EXEC, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00F);
    /* a kernel read of the data page: view U, nothing executable */
    CHECK_EQ(run(0x00601000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00600000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(3));
    CHECK_EQ(sl2(0x00600000) & 1, 1);
    CHECK_EQ(hw_access(0x00600000, ACC_EXEC, NULL) & 0xF, 0xF);
    CHECK_EQ(run(0x00600000, ACC_EXEC, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00F);
    CHECK_EQ(run(0x00600000, ACC_READ, &fsr), FAULT_FIXED);     /* reading it is fine */

    /* user again: the fetch works and the MiB is UX again */
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00600000, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x00600000) & 0x3FF, L1_TYPE_TABLE | L1_DOMAIN(2));
    CHECK_EQ(run(0x00601000, ACC_READ, &fsr), FAULT_FIXED);

    /* a PXN section: the kernel's fetch is a section permission fault */
    set_l1(0x00700000, gsect(DATA, 0, 3, false) | 3);
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(run(0x00700000, ACC_EXEC, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x00D);
    CHECK_EQ(run(0x00700000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(hw_access(0x00700000, ACC_EXEC, NULL) & 0xF, 0xF);
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00700000, ACC_EXEC, &fsr), FAULT_FIXED);
    set_mode(PSR_MODE_SVC);
    CHECK_TRUE(hw_access(0x00700000, ACC_EXEC, NULL) != 0);
    CHECK_EQ(shf.stop_count, 0);
}

/* ---- self-patching (core/fit.c): only what was fetched, never User-reachable */

static void test_patch_fetched_page_only(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2 + 0xC00, text = DATA + 0x5000, other = DATA + 0x6000;

    set_l1(0x00800000, gtable(l2, 0));
    set_l2(l2, 0x00800000, gpage(text, 1, false));              /* kernel text */
    CHECK_EQ(run(0x00800010, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    /* the guest remaps the VA and has not done its TLB maintenance yet:
     * the CPU still runs the old page; the new one is not what it fetched */
    set_l2(l2, 0x00800000, gpage(other, 1, false));
    CHECK_FALSE(shadow_patch_allowed(V, 0x00800010, other + 0x10));
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    /* not in the shadow at all: nothing was fetched there */
    CHECK_FALSE(shadow_patch_allowed(V, 0x00801010, text + 0x10));
}

static void test_patch_user_alias(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2 + 0xC00, text = DATA + 0x5000;
    const uint32_t rep = 0xEF000000u | 0x123, orig = 0xEE1D3F30u;

    set_l1(0x00800000, gtable(l2, 0));
    set_l2(l2, 0x00800000, gpage(text, 1, false));              /* kernel-only */
    set_l2(l2, 0x00805000, gpage(text, 3, false));              /* a User alias */
    CHECK_EQ(run(0x00800010, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    /* patched and recorded; then User mode executes the alias: the shadow
     * puts the original back before mapping it */
    shf_put32(text + 0x10, orig);
    CHECK_TRUE(shadow_patch_record(&G, text + 0x10, orig, rep));
    shf_put32(text + 0x10, rep);
    shf_put32(text + 0x20, orig);
    CHECK_TRUE(shadow_patch_record(&G, text + 0x20, orig, rep));
    shf_put32(text + 0x20, 0xE1A00000);                         /* the guest rewrote it */
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00805010, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_EQ(shf_get32(text + 0x10), orig);
    CHECK_EQ(shf_get32(text + 0x20), 0xE1A00000);               /* left as the guest wrote */
    CHECK_TRUE(shf.sync_code_count >= 1);
    /* the page is User-executable now: patching it again first drops
     * every shadow entry (the alias with them) */
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(run(0x00800010, ACC_EXEC, &fsr), FAULT_FIXED);
    uint64_t flushes = stat(TS_SHADOW_FLUSH);
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    CHECK_EQ(stat(TS_SHADOW_FLUSH), flushes + 1);
    CHECK_EQ(l1_used(cur_l1()), 0);
    /* ... and no entry: the CPU cannot have fetched it there */
    CHECK_FALSE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    /* a User-executable section over the page (e.g. MMU off: flat) too */
    CHECK_EQ(run(0x00800010, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    CHECK_TRUE(shadow_patch_record(&G, text + 0x10, orig, rep));
    shf_put32(text + 0x10, rep);
    set_l1(0x00900000, gsect(DATA, 0, 3, false));
    set_mode(PSR_MODE_USR);
    CHECK_EQ(run(0x00905000, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_EQ(shf_get32(text + 0x10), orig);
    set_mode(PSR_MODE_SVC);
    CHECK_EQ(run(0x00800010, ACC_EXEC, &fsr), FAULT_FIXED);
    CHECK_TRUE(sl1(0x00905000) != 0);
    CHECK_TRUE(shadow_patch_allowed(V, 0x00800010, text + 0x10));
    CHECK_EQ(sl1(0x00905000), 0);                           /* the section is gone */
    CHECK_EQ(shf.stop_count, 0);
}

/* Mode (b): a restored instruction in a page that is also a guest table:
 * the shadow built from that table is dropped once the fill is done. */
static void test_patch_restore_in_table_page(void **state)
{
    uint32_t fsr;

    set_l1(0x00A00000, gsect(SHF_RAM_IPA, 0, 3, false));       /* GL1's MiB, User RWX */
    CHECK_TRUE(shadow_patch_record(&G, GL1 + 0x100, 0x11, 0));
    set_mode(PSR_MODE_USR);
    uint64_t flushes = stat(TS_SHADOW_FLUSH);
    CHECK_EQ(run(0x00A00000, ACC_EXEC, &fsr), FAULT_FIXED);     /* GL1 itself: tracked */
    CHECK_EQ(shf_get32(GL1 + 0x100), 0x11);
    CHECK_TRUE(stat(TS_SHADOW_FLUSH) > flushes);
    CHECK_EQ(shf.stop_count, 0);
}

/* ---- coherence (a): the guest's TLB maintenance ------------------------------ */

static void test_tlb_mva(void **state)
{
    uint32_t fsr;
    int va_flushes;

    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    set_l1(0x00200000, gtable(GL2, 0));
    set_l2(GL2, 0x00200000, gpage(DATA, 3, false));
    set_l2(GL2, 0x00201000, gpage(DATA + 0x1000, 3, false));
    set_l1(0x00300000, gsect(DATA, 0, 2, false));                 /* split section */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00201000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00300000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00301000, ACC_READ, &fsr), FAULT_FIXED);
    va_flushes = shf.flush_va_count;

    /* a page: only that page's entry (and its TLB entry) */
    shadow_tlb_op(V, TLB_MVA, 0x00201ABC);
    CHECK_EQ(sl2(0x00201000), 0);
    CHECK_TRUE(sl2(0x00200000) != 0);
    CHECK_EQ(shf.flush_va_count, va_flushes + 1);
    CHECK_EQ(shf.flush_va[va_flushes], 0x00201000);
    CHECK_EQ(shf.flush_va_asid[va_flushes], shf.asid);
    /* a section */
    shadow_tlb_op(V, TLB_MVA, 0x00100000);
    CHECK_EQ(sl1(0x00100000), 0);
    /* a guest section shadowed by pages: the whole MiB */
    shadow_tlb_op(V, TLB_MVA_ALL_ASID, 0x00301000);
    CHECK_EQ(sl1(0x00300000), 0);
    /* the refills see the new guest descriptors */
    set_l2(GL2, 0x00201000, gpage(DATA + 0x7000, 7, false));
    CHECK_EQ(run(0x00201000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00201000), PA(DATA + 0x7000) | PAGE_NORMAL | PAGE_AP_RO);
    /* the window is never touched */
    shadow_tlb_op(V, TLB_MVA, 0xBF000000);
    check_window(cur_l1());
    CHECK_TRUE(sl2(0x00200000) != 0);
}

static void test_tlb_all(void **state)
{
    uint32_t fsr;

    for (uint32_t va = 0x00100000; va < 0x00800000; va += 0x100000)
        set_l1(va, gsect(DATA, 0, 3, false));
    set_l1(0x00900000, gtable(GL2, 0));
    set_l2(GL2, 0x00900000, gpage(DATA, 3, false));
    for (uint32_t va = 0x00100000; va < 0x00800000; va += 0x100000)
        CHECK_EQ(run(va, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00900000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(l1_used(cur_l1()), 8);
    int asid_flushes = shf.flush_asid_count;
    shadow_tlb_op(V, TLB_ALL, 0);
    CHECK_EQ(l1_used(cur_l1()), 0);
    check_window(cur_l1());
    CHECK_TRUE(shf.flush_asid_count > asid_flushes);
    CHECK_EQ(shf.flush_asid_last, shf.asid);
    /* and refills */
    CHECK_EQ(run(0x00900000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(l1_used(cur_l1()), 1);
}

static void test_tlb_asid(void **state)
{
    uint32_t fsr, *l1_a, *l1_b;

    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    /* space A: ASID 1 (current since setup) */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    l1_a = cur_l1();
    uint8_t asid_a = shf.asid;
    /* space B: same TTBR0, ASID 2 */
    V->cp15.contextidr = 2;
    shadow_activate(V);
    l1_b = cur_l1();
    CHECK_TRUE(l1_a != l1_b);
    CHECK_TRUE(shf.asid != asid_a);
    CHECK_EQ(l1_used(l1_b), 0);     /* a new space starts empty */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(l1_used(l1_a), 1);
    CHECK_EQ(l1_used(l1_b), 1);
    /* TLBIASID 2: only B */
    shadow_tlb_op(V, TLB_ASID, 2);
    CHECK_EQ(l1_used(l1_a), 1);
    CHECK_EQ(l1_used(l1_b), 0);
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    /* TLBIASID 1 (bits above 7 ignored): only A */
    shadow_tlb_op(V, TLB_ASID, 0x101);
    CHECK_EQ(l1_used(l1_a), 0);
    CHECK_EQ(l1_used(l1_b), 1);
    /* an ASID no space has: nothing */
    shadow_tlb_op(V, TLB_ASID, 9);
    CHECK_EQ(l1_used(l1_b), 1);
    /* TLBIMVA drops the VA in every space (global guest entries) */
    V->cp15.contextidr = 1;
    shadow_activate(V);
    CHECK_TRUE(cur_l1() == l1_a);
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    shadow_tlb_op(V, TLB_MVA, 0x00100000);
    CHECK_EQ(l1_used(l1_a), 0);
    CHECK_EQ(l1_used(l1_b), 0);
    /* TLB maintenance is ignored in mode (b) */
    G.mm.coh = COH_WP;
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    shadow_tlb_op(V, TLB_ALL, 0);
    CHECK_EQ(l1_used(l1_a), 1);
}

/* TLBIMVA of any address inside a guest large page (or supersection)
 * invalidates the whole translation (ARM ARM B3.10: the TLB entry that
 * matches the MVA is the one for the 64 KiB page / 16 MiB supersection);
 * every shadow entry derived from it must go. */
static void test_tlb_mva_large_mappings(void **state)
{
    uint32_t fsr;

    set_l1(0x00400000, gtable(GL2, 0));
    for (uint32_t va = 0x00400000; va < 0x00410000; va += 0x1000)
        set_l2(GL2, va, glarge(0x40330000, 3, false));
    CHECK_EQ(run(0x00401000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00402000, ACC_READ, &fsr), FAULT_FIXED);
    /* the guest remaps the large page, then invalidates it by one MVA */
    for (uint32_t va = 0x00400000; va < 0x00410000; va += 0x1000)
        set_l2(GL2, va, glarge(0x40340000, 3, false));
    shadow_tlb_op(V, TLB_MVA, 0x00401000);
    CHECK_EQ(sl2(0x00401000), 0);
    CHECK_EQ_CTX(sl2(0x00402000), 0, "stale shadow entry for 0x00402000 (part of the large "
                 "page invalidated by TLBIMVA 0x00401000) still maps PA 0x%08x",
                 (unsigned)(sl2(0x00402000) & ~0xFFFu));

    for (uint32_t va = 0x01000000; va < 0x02000000; va += 0x100000)
        set_l1(va, gsupersect(0x40000000, 3, false));
    CHECK_EQ(run(0x01100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x01200000, ACC_READ, &fsr), FAULT_FIXED);
    for (uint32_t va = 0x01000000; va < 0x02000000; va += 0x100000)
        set_l1(va, 0);
    shadow_tlb_op(V, TLB_MVA, 0x01100000);
    CHECK_EQ(sl1(0x01100000), 0);
    CHECK_EQ_CTX(sl1(0x01200000), 0, "stale shadow section for 0x01200000 (part of the "
                 "supersection invalidated by TLBIMVA 0x01100000)");
}

/* ---- coherence (b): write protection ---------------------------------------- */

static void test_wp_tables_read_only(void **state)
{
    uint32_t fsr, pa;
    const uint32_t l2 = GL2;

    set_l1(0x00100000, gtable(l2, 0));
    set_l2(l2, 0x00100000, gpage(DATA, 3, false));
    /* the guest also maps its own table pages, user RW */
    set_l1(0x00200000, gtable(l2 + 0x400, 0));
    set_l2(l2 + 0x400, 0x00200000, gpage(l2, 3, false));     /* the L2 table page */
    set_l2(l2 + 0x400, 0x00201000, gpage(GL1, 3, false));    /* an L1 table page */
    set_l2(l2 + 0x400, 0x00202000, gpage(GL1 + 0x3000, 3, false)); /* L1 page not walked */
    set_l1(0x80000000, gsect(SHF_RAM_IPA, 0, 3, false));      /* the whole table MiB */

    CHECK_EQ(run(0x00100000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00100000), PA(DATA) | PAGE_NORMAL | PAGE_AP_RW);
    /* reads of table pages are mapped, read-only */
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00200000), PA(l2) | PAGE_NORMAL | PAGE_AP_RO);
    CHECK_EQ(run(0x00201000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00201000), PA(GL1) | PAGE_NORMAL | PAGE_AP_RO);
    CHECK_EQ(hw_access(0x00200000, ACC_WRITE, NULL), 0x03F);
    /* a write to a table page: the store is the monitor's to emulate */
    uint64_t ptw = stat(TS_SHADOW_PT_WRITE);
    CHECK_EQ(sfault(0x00200010, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    CHECK_EQ(sfault(0x00201004, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    CHECK_EQ(stat(TS_SHADOW_PT_WRITE), ptw + 2);
    CHECK_EQ(sl2(0x00200000), PA(l2) | PAGE_NORMAL | PAGE_AP_RO);
    /* an L1 table page no walk has read is ordinary memory */
    CHECK_EQ(run(0x00202000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00202000), PA(GL1 + 0x3000) | PAGE_NORMAL | PAGE_AP_RW);
    /* a writable guest section over the table MiB: split, table pages RO */
    CHECK_EQ(run(0x80000000 + (l2 - SHF_RAM_IPA), ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x80000000) & 3, L1_TYPE_TABLE);
    CHECK_EQ(sl2(0x80000000 + (l2 - SHF_RAM_IPA)), PA(l2) | PAGE_NORMAL | PAGE_AP_RO);
    CHECK_EQ(run(0x80050000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x80050000), PA(0x40050000) | PAGE_NORMAL | PAGE_AP_RW);
    CHECK_EQ(hw_access(0x80050000, ACC_WRITE, &pa), 0);
    CHECK_EQ(pa, PA(0x40050000));
    CHECK_EQ(sfault(0x80000000, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
}

/* A flush drops every entry but keeps the table pages tracked (their writes
 * still trap and are emulated); a guest reset forgets them. */
static void test_wp_tracking_survives_flush(void **state)
{
    uint32_t fsr;
    (void)state;

    set_l1(0x00100000, gtable(GL2, 0));
    set_l2(GL2, 0x00100000, gpage(DATA, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    shadow_flush_guest(&G);
    CHECK_EQ(l1_used(cur_l1()), 0);
    CHECK_TRUE(G.mm.page_flags[(GL2 - G.ram_ipa) >> 12] & 1);     /* PG_TRACKED */
    CHECK_TRUE(G.mm.page_flags[(GL1 - G.ram_ipa) >> 12] & 1);
    shadow_guest_reset(&G);
    CHECK_EQ(G.mm.page_flags[(GL2 - G.ram_ipa) >> 12], 0);
    /* (PG_L1TABLE, 16: the table of the space still current, a filter) */
    CHECK_EQ(G.mm.page_flags[(GL1 - G.ram_ipa) >> 12], 16);
}

static void test_wp_guest_wrote(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2;

    set_l1(0x00100000, gtable(l2, 0));
    set_l2(l2, 0x00100000, gpage(DATA, 3, false));
    set_l2(l2, 0x00101000, gpage(DATA + 0x1000, 3, false));
    set_l1(0x00200000, gsect(DATA + 0x100000, 0, 3, false));
    set_l1(0x00300000, gtable(GL2 + 0x1000, 0));           /* another L2 page */
    set_l2(GL2 + 0x1000, 0x00300000, gpage(DATA, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00101000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00300000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(l1_used(cur_l1()), 3);

    /* the monitor stored into the L2 table page: what derives from it goes */
    uint64_t flushes = stat(TS_SHADOW_FLUSH);
    set_l2(l2, 0x00101000, gpage(DATA + 0x5000, 3, false));
    shadow_guest_wrote(&G, l2 + 4, 4);
    CHECK_EQ(sl1(0x00100000), 0);
    CHECK_TRUE(sl1(0x00200000) != 0);
    CHECK_TRUE(sl1(0x00300000) != 0);
    CHECK_TRUE(stat(TS_SHADOW_FLUSH) > flushes);
    CHECK_EQ(run(0x00101000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00101000), PA(DATA + 0x5000) | PAGE_NORMAL | PAGE_AP_RW);
    /* a store into the same page but outside the 1 KiB L2 table (where
     * Linux keeps its software PTEs) drops nothing */
    shadow_guest_wrote(&G, l2 + 0x800, 4);
    CHECK_TRUE(sl1(0x00100000) != 0);
    CHECK_EQ(l1_used(cur_l1()), 3);
    /* a store into the L1 table drops the entries of the descriptors it
     * wrote, and only those */
    shadow_guest_wrote(&G, GL1 + 4 * 2, 4);
    CHECK_EQ(sl1(0x00200000), 0);
    CHECK_TRUE(sl1(0x00100000) != 0);
    CHECK_TRUE(sl1(0x00300000) != 0);
    shadow_guest_wrote(&G, GL1 + 4 * 1, 12);       /* descriptors 1-3 */
    CHECK_EQ(l1_used(cur_l1()), 0);
    /* writes to untracked memory change nothing */
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    shadow_guest_wrote(&G, DATA, 0x1000);
    shadow_guest_wrote(&G, GL1 + 0x2000, 4);       /* L1 page no walk used */
    shadow_guest_wrote(&G, GL1 + 0xFFC, 8);        /* descriptors 1023-1024 */
    CHECK_EQ(l1_used(cur_l1()), 1);
    /* an unaligned range that overlaps descriptor 2 by one byte */
    shadow_guest_wrote(&G, GL1 + 4 * 2 - 3, 4);
    CHECK_EQ(l1_used(cur_l1()), 0);
}

static void test_wp_unprotect(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2;

    set_l1(0x00100000, gtable(l2, 0));
    set_l2(l2, 0x00100000, gpage(DATA, 3, false));
    set_l1(0x80000000, gsect(SHF_RAM_IPA, 0, 3, false));   /* the table MiB, RW */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sfault(0x80010000, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    CHECK_EQ(last_ipa, l2);
    /* the store could not be emulated: stop protecting that page */
    shadow_unprotect(V, 0x80010000);
    CHECK_EQ(sl1(0x00100000), 0);                   /* derived entries dropped */
    CHECK_EQ(run(0x80010000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x80010000), PA(l2) | PAGE_NORMAL | PAGE_AP_RW);
    /* the next walk through that table protects it again: the writable
     * mapping built in between does not survive */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_TRUE(sl2(0x80010000) == 0 || (sl2(0x80010000) & PAGE_AP_RO) == PAGE_AP_RO);
    CHECK_EQ(sfault(0x80010000, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
}

/* In mode (b) a walk that tracks two new table pages must leave both
 * tracked, even when tracking the second one needs a flush (it was mapped
 * writable before): otherwise entries derived from the first page outlive
 * a store into it. */
static void test_wp_track_keeps_first_page(void **state)
{
    uint32_t fsr;
    const uint32_t l2a = GL2, pageb = GL2 + 0x1000;

    /* X: its L2 table (page A) maps page B read/write */
    set_l1(0x00100000, gtable(l2a, 0));
    set_l2(l2a, 0x00100000, gpage(pageb, 3, false));
    CHECK_EQ(run(0x00100000, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(sl2(0x00100000), PA(pageb) | PAGE_NORMAL | PAGE_AP_RW);
    /* Y: the guest makes page B an L2 table; its walk reads the L1 page
     * (already tracked) and B (mapped writable: tracking it flushes) */
    set_l1(0x00200000, gtable(pageb, 0));
    set_l2(pageb, 0x00200000, gpage(DATA, 3, false));
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_TRUE(sl1(0x00200000) != 0);
    /* the writable X mapping of B is gone (B is a table page now) */
    CHECK_TRUE(sl2(0x00100000) == 0 || (sl2(0x00100000) & PAGE_AP_RO) == PAGE_AP_RO);
    /* a store into Y's L1 descriptor must drop Y's entry */
    shf_put32(GL1 + 4 * 2, 0);
    shadow_guest_wrote(&G, GL1 + 4 * 2, 4);
    CHECK_EQ_CTX(sl1(0x00200000), 0, "shadow entry for VA 0x00200000 survived a store into "
                 "the guest L1 descriptor it was built from (L1 table page no longer tracked)");
    /* the guest now sees its own translation fault, not the old mapping */
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_GUEST);
    CHECK_EQ(fsr, 0x005);
}

/* ---- space cache --------------------------------------------------------------- */

static void activate(uint32_t ttbr0, uint8_t asid)
{
    V->cp15.ttbr0 = ttbr0;
    V->cp15.contextidr = asid;
    shadow_activate(V);
}

static void test_lru(void **state)
{
    uint32_t fsr, l1[8];

    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
    /* keys 1..4: (TTBR0, ASID) pairs; setup made (GL1, 1) current already */
    activate(GL1 | 0x48, 1);
    l1[1] = shf.l1_pa;
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    activate(GL1, 2);
    l1[2] = shf.l1_pa;
    activate(GL1 + 0x4000, 2);      /* same ASID, another TTBR0: another key */
    l1[3] = shf.l1_pa;
    activate(GL1 + 0x4000, 1);
    l1[4] = shf.l1_pa;
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
    for (int i = 1; i <= 4; i++)
        for (int j = 1; j < i; j++)
            CHECK_TRUE_CTX(l1[i] != l1[j], "keys %d and %d share an L1", i, j);
    /* TTBR0 attribute bits are not part of the key */
    activate(GL1 | 0x19, 1);
    CHECK_EQ(shf.l1_pa, l1[1]);
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
    CHECK_TRUE(sl1(0x00100000) != 0);       /* still cached, with its entry */
    /* key 5: the least recently used (key 2) goes */
    activate(GL1 + 0x8000, 3);
    l1[5] = shf.l1_pa;
    CHECK_EQ(stat(TS_SHADOW_EVICT), 1);
    CHECK_EQ(l1[5], l1[2]);
    CHECK_EQ(l1_used(cur_l1()), 0);
    check_window(cur_l1());
    activate(GL1 + 0x4000, 2);              /* key 3: cached */
    CHECK_EQ(shf.l1_pa, l1[3]);
    CHECK_EQ(stat(TS_SHADOW_EVICT), 1);
    activate(GL1, 2);                       /* key 2 again: evicts key 4 */
    CHECK_EQ(stat(TS_SHADOW_EVICT), 2);
    CHECK_EQ(shf.l1_pa, l1[4]);
    activate(GL1, 1);                       /* key 1 survived */
    CHECK_EQ(shf.l1_pa, l1[1]);
    CHECK_TRUE(sl1(0x00100000) != 0);

    /* random activations over 7 keys: the current space is never the victim */
    uint32_t seed = 0xABCDEF01, cur_pa = shf.l1_pa, prev_key = 0;
    for (uint32_t k = 0; k < 7; k++)
        shf_put32(GL1 + k * 0x4000 + 4 * 1, gsect(DATA, 0, 3, false));
    for (int i = 0; i < 500; i++) {
        uint32_t k = unit_rand(&seed) % 7;
        uint64_t ev = stat(TS_SHADOW_EVICT);
        /* (a new VA each round: repeated repairs of one access would trip
         * the no-progress check, see test_no_progress_tlb_remap) */
        CHECK_EQ_CTX(run(0x00100000 + 4 * (uint32_t)i, ACC_READ, &fsr), FAULT_FIXED, "round %d", i);
        activate(GL1 + k * 0x4000, (uint8_t)(k + 1));
        if (k != prev_key)
            CHECK_TRUE_CTX(shf.l1_pa != cur_pa, "round %d: key %u took the current space", i,
                           (unsigned)k);
        else
            CHECK_EQ(stat(TS_SHADOW_EVICT), ev);
        cur_pa = shf.l1_pa;
        prev_key = k;
    }
    /* MMU off uses the flat space, a fifth one that is just another entry */
    V->cp15.sctlr = 0;
    shadow_activate(V);
    CHECK_EQ(run(0x40000000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sl1(0x40000000) & 0xFFF00000u, PA(0x40000000));
}

/* Mode (b): a space is keyed by TTBR0 alone (mm/shadow.c space_get): a
 * change of ASID keeps it and its entries, a change of TTBR0 does not. */
static void test_wp_asid_shares_space(void **state)
{
    uint32_t fsr, first;

    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    first = shf.l1_pa;
    activate(GL1, 2);
    CHECK_EQ(shf.l1_pa, first);
    CHECK_TRUE(sl1(0x00100000) != 0);
    activate(GL1 + 0x4000, 2);                  /* another table: another space */
    CHECK_TRUE(shf.l1_pa != first);
    activate(GL1 | 0x48, 0);                    /* the reserved ASID, say (B3.10.4) */
    CHECK_EQ(shf.l1_pa, first);
    CHECK_TRUE(sl1(0x00100000) != 0);
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
}

/*
 * Mode (b): a store into guest L2 tables drops exactly the shadow L2 tables
 * built from the 1 KiB tables it overlaps, in every space (found through the
 * reverse index), and nothing else: the model is the definition, "a shadow
 * L1 slot backed by guest L2 table T is empty after a write overlapping T".
 */
static void test_wp_reverse_index(void **state)
{
    enum { NSP = 3, NT = 8, NMB = 12 };
    uint32_t seed = 0x5EED1234, fsr, l1pa[NSP], tab[NSP][NMB];

    /* NSP L1 tables (16 KiB apart), each mapping NMB MiBs through one of NT
     * guest L2 tables (two pages of four), each L2 mapping its first page */
    for (unsigned t = 0; t < NT; t++)
        for (unsigned e = 0; e < 256; e++)
            shf_put32(GL2 + t * 0x400 + 4 * e, gpage(DATA + e * 0x1000, 3, false));
    for (unsigned sp = 0; sp < NSP; sp++) {
        for (unsigned mb = 0; mb < NMB; mb++) {
            tab[sp][mb] = unit_rand(&seed) % NT;
            shf_put32(GL1 + sp * 0x4000 + 4 * (mb + 1), gtable(GL2 + tab[sp][mb] * 0x400, 0));
        }
    }
    for (int round = 0; round < 200; round++) {
        for (unsigned sp = 0; sp < NSP; sp++) {
            activate(GL1 + sp * 0x4000, (uint8_t)(sp + 1));
            l1pa[sp] = shf.l1_pa;
            for (unsigned mb = 0; mb < NMB; mb++)
                CHECK_EQ_CTX(run((mb + 1) << 20, ACC_READ, &fsr), FAULT_FIXED, "round %d", round);
        }
        uint32_t x = unit_rand(&seed);
        uint32_t lo = GL2 + (x % (NT * 0x400)), len = 1 + (x >> 16) % 0x900;
        shadow_guest_wrote(&G, lo, len);
        for (unsigned sp = 0; sp < NSP; sp++) {
            const uint32_t *l1 = shf_pa_to_ptr(l1pa[sp]);
            for (unsigned mb = 0; mb < NMB; mb++) {
                uint32_t t = GL2 + tab[sp][mb] * 0x400;
                bool hit = t < lo + len && t + 0x400 > lo;
                CHECK_EQ_CTX(l1[mb + 1] == 0, hit, "round %d: space %u MiB %u (table 0x%08x, "
                             "write 0x%08x+0x%x)", round, sp, mb + 1, (unsigned)t, (unsigned)lo,
                             (unsigned)len);
            }
        }
    }
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
}

/* FAST_MMIO's cached translations live as long as mm.gen: it must change
 * whenever a translation may change (TLB maintenance in mode a, a store
 * into a tracked table in mode b, a flush, a space cleared for reuse). */
static void test_gen_tracks_translation_changes(void **state)
{
    uint32_t fsr, gen;

    set_l1(0x00100000, gtable(GL2, 0));
    set_l2(GL2, 0x00100000, gpage(DATA, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    gen = G.mm.gen;
    shadow_tlb_op(V, TLB_MVA, 0x00300000);
    CHECK_TRUE(G.mm.gen != gen);
    gen = G.mm.gen;
    shadow_flush_guest(&G);
    CHECK_TRUE(G.mm.gen != gen);
    gen = G.mm.gen;
    for (unsigned k = 1; k <= G.spaces; k++)
        activate(GL1 + k * 0x4000, (uint8_t)k);         /* one space is cleared for reuse */
    CHECK_TRUE(G.mm.gen != gen);
}

static void test_gen_wp_table_store(void **state)
{
    uint32_t fsr, gen;

    set_l1(0x00100000, gtable(GL2, 0));
    set_l2(GL2, 0x00100000, gpage(DATA, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    gen = G.mm.gen;
    shadow_guest_wrote(&G, GL2 + 0x200, 4);     /* a tracked table page */
    CHECK_TRUE(G.mm.gen != gen);
}

/*
 * Mode (b): a page that becomes a table loses its writable shadow entries
 * in every space, found through the records of fill() (no flush: other
 * entries survive); at two different VAs the records give up and flush.
 * Either way nothing maps it writable afterwards.
 */
static void revoke_case(bool sections, bool two_vas)
{
    uint32_t fsr, l1a, l1b;
    const uint32_t pt = DATA + 0x3000;          /* the page that becomes a table */
    const uint32_t va1 = 0x00400000, va2 = 0x00500000;

    /* both spaces: VA 0x00100000 -> a data page (the unrelated entry), and
     * va1 (and va2) -> pt's page (or MiB) writable */
    for (unsigned sp = 0; sp < 2; sp++) {
        uint32_t l1 = GL1 + sp * 0x4000;
        shf_put32(l1 + 4 * 1, gtable(GL2, 0));
        if (sections) {
            shf_put32(l1 + 4 * (va1 >> 20), gsect(pt, 0, 3, false));
            shf_put32(l1 + 4 * (va2 >> 20), gsect(pt, 0, 3, false));
        } else {
            shf_put32(l1 + 4 * (va1 >> 20), gtable(GL2 + 0x400, 0));
            shf_put32(l1 + 4 * (va2 >> 20), gtable(GL2 + 0x400, 0));
        }
    }
    set_l2(GL2, 0x00100000, gpage(DATA, 3, false));
    set_l2(GL2 + 0x400, va1 + (pt & 0xFF000), gpage(pt, 3, false));
    set_l2(GL2 + 0x400, va2 + (pt & 0xFF000), gpage(pt, 3, false));
    const uint32_t x1 = va1 + (pt & 0xFF000), x2 = va2 + (pt & 0xFF000);
    activate(GL1 + 0x4000, 2);
    l1b = shf.l1_pa;
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(x1, ACC_WRITE, &fsr), FAULT_FIXED);
    activate(GL1, 1);
    l1a = shf.l1_pa;
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(x1, ACC_WRITE, &fsr), FAULT_FIXED);
    if (two_vas)
        CHECK_EQ(run(x2, ACC_WRITE, &fsr), FAULT_FIXED);
    CHECK_EQ(hw_access(x1, ACC_WRITE, NULL), 0);
    /* pt becomes an L2 table: a walk through it tracks it */
    shf_put32(GL1 + 4 * 8, gtable(pt, 0));
    shf_put32(pt, gpage(DATA + 0x1000, 3, false));
    CHECK_EQ(run(0x00800000, ACC_READ, &fsr), FAULT_FIXED);
    /* nothing maps it writable any more, in either space */
    const uint32_t *la = shf_pa_to_ptr(l1a), *lb = shf_pa_to_ptr(l1b);
    for (int k = 0; k < 2; k++) {
        const uint32_t *l1 = k ? lb : la;
        uint32_t xs[2] = { x1, x2 };
        for (int j = 0; j < 2; j++) {
            uint32_t d = l1[xs[j] >> 20];
            CHECK_TRUE_CTX((d & 3) != L1_TYPE_SECT || (d & 0xFFF00000u) != (PA(pt) & 0xFFF00000u) ||
                           (d & L1_SECT_APX), "space %d VA 0x%08x: a writable section of the table's MiB",
                           k, (unsigned)xs[j]);
            uint32_t e = sl2_in(l1, xs[j]);
            CHECK_TRUE_CTX(e == 0 || (e & ~0xFFFu) != PA(pt) || (e & PAGE_AP_RO) == PAGE_AP_RO,
                           "space %d VA 0x%08x: the table page still writable", k, (unsigned)xs[j]);
        }
    }
    CHECK_EQ(sfault(x1, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    /* one place: no flush (the unrelated entries survive); two: flushed */
    CHECK_EQ(sl2_in(la, 0x00100000) != 0, !two_vas);
    CHECK_EQ(sl2_in(lb, 0x00100000) != 0, !two_vas);
}

static void test_wp_revoke_pages(void **state) { revoke_case(false, false); }
static void test_wp_revoke_sections(void **state) { revoke_case(true, false); }
static void test_wp_revoke_two_places(void **state) { revoke_case(false, true); }

/*
 * LAZY_WP: once a store has dropped everything built from a table page, the
 * page is no longer protected (stores to it are the guest's own), until a
 * walk through it protects it again; a page something is still built from,
 * or an L1 table in use, stays protected.
 */
static void test_wp_lazy_release(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2 + 0x2000;           /* one guest L2 page: two 1 KiB tables */

    set_l1(0x00100000, gtable(l2, 0));
    set_l1(0x00200000, gtable(l2 + 0x400, 0));
    set_l2(l2, 0x00100000, gpage(DATA, 3, false));
    set_l2(l2 + 0x400, 0x00200000, gpage(DATA + 0x1000, 3, false));
    set_l1(0x80000000, gsect(SHF_RAM_IPA, 0, 3, false));   /* the table MiB, RW */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    const uint32_t l2va = 0x80000000 + (l2 - SHF_RAM_IPA);
    CHECK_EQ(sfault(l2va, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    /* a store into the first table: the second is still in use */
    shadow_guest_wrote(&G, l2 + 4, 4);
    shadow_table_stored(&G, l2 + 4);
    CHECK_EQ(sl1(0x00100000), 0);
    CHECK_TRUE(sl1(0x00200000) != 0);
    CHECK_EQ(sfault(l2va, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    /* a store into the second: nothing is built from the page any more */
    shadow_guest_wrote(&G, l2 + 0x404, 4);
    shadow_table_stored(&G, l2 + 0x404);
    CHECK_EQ(sl1(0x00200000), 0);
    CHECK_EQ(run(l2va, ACC_WRITE, &fsr), FAULT_FIXED);      /* the guest's own now */
    CHECK_EQ(sl2(l2va) & PAGE_AP_RO, PAGE_AP_RW);
    /* a walk through it protects it again: the writable entry goes */
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_TRUE(sl2(l2va) == 0 || (sl2(l2va) & PAGE_AP_RO) == PAGE_AP_RO);
    CHECK_EQ(sfault(l2va, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
    /* the L1 table in use stays protected whatever was dropped */
    shadow_guest_wrote(&G, GL1 + 4 * 0x300, 4);
    shadow_table_stored(&G, GL1 + 4 * 0x300);
    const uint32_t l1va = 0x80000000 + (GL1 - SHF_RAM_IPA);
    CHECK_EQ(sfault(l1va + 4 * 0x300, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
}

/*
 * SPACE_INHERIT: a new space starts with the entries of the last space that
 * come from a global section whose descriptor is the same in both tables
 * (kept as a section, or a split one copied), and nothing else; a later
 * change to the new table's descriptor drops the copy.
 */
static void test_wp_space_inherit(void **state)
{
    uint32_t fsr, pa;
    const uint32_t A = GL1, B = GL1 + 0x4000;
    const uint32_t v0 = 0x30000000, v1 = 0x30100000, v2 = 0x30200000, v3 = 0x30300000;

    for (int t = 0; t < 2; t++) {
        uint32_t l1 = t ? B : A;
        shf_put32(l1 + 4 * (v0 >> 20), gsect(DATA, 0, 3, false));                  /* same, global */
        shf_put32(l1 + 4 * (v1 >> 20), gsect(t ? DATA + 0x100000 : DATA, 0, 3, false)); /* differs */
        shf_put32(l1 + 4 * (v2 >> 20), gsect(DATA, 0, 3, false) | (1u << 17));     /* non-global */
        shf_put32(l1 + 4 * (v3 >> 20), gsect(SHF_RAM_IPA, 0, 3, false));           /* the tables' MiB */
    }
    activate(A, 1);
    for (uint32_t va = v0; va <= v3; va += 0x100000)
        CHECK_EQ(run(va + 0x8000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ((sl1(v3) & 3), L1_TYPE_TABLE);     /* split: the MiB holds tracked tables */
    activate(B, 2);
    CHECK_TRUE(sl1(v0) != 0);
    CHECK_EQ(sl1(v1), 0);
    CHECK_EQ(sl1(v2), 0);
    CHECK_EQ_CTX(sl1(v3) & 3, L1_TYPE_TABLE, "v3 in the new space: 0x%08x", (unsigned)sl1(v3));
    CHECK_TRUE(sl2(v3 + 0x8000) != 0);
    /* what was copied is what the guest's tables give */
    CHECK_EQ(hw_access(v0 + 0x5000, ACC_READ, &pa), 0);
    CHECK_EQ(pa, PA(DATA + 0x5000));
    CHECK_EQ(hw_access(v3 + 0x8000, ACC_READ, &pa), 0);
    CHECK_EQ(pa, PA(SHF_RAM_IPA + 0x8000));
    CHECK_TRUE(stat(TS_SHADOW_INHERIT) > 0);
    /* the new table's descriptor changes: the copy goes */
    shf_put32(B + 4 * (v0 >> 20), gsect(DATA + 0x200000, 0, 3, false));
    shadow_guest_wrote(&G, B + 4 * (v0 >> 20), 4);
    CHECK_EQ(sl1(v0), 0);
    CHECK_EQ(run(v0 + 0x5000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(hw_access(v0 + 0x5000, ACC_READ, &pa), 0);
    CHECK_EQ(pa, PA(DATA + 0x200000 + 0x5000));
    /* the descriptor is rewritten with the one A has (a reused Linux pgd
     * gets the kernel's entries again): dropped, then back from the space
     * in use at the next switch, without a fault */
    shf_put32(B + 4 * (v0 >> 20), gsect(DATA, 0, 3, false));
    shadow_guest_wrote(&G, B + 4 * (v0 >> 20), 4);
    CHECK_EQ(sl1(v0), 0);
    activate(A, 1);
    CHECK_TRUE(sl1(v0) != 0);
    activate(B, 2);
    CHECK_TRUE(sl1(v0) != 0);
    CHECK_EQ(hw_access(v0 + 0x5000, ACC_READ, &pa), 0);
    CHECK_EQ(pa, PA(DATA + 0x5000));
}

/* LAZY_WP: three trapped stores in a row into one table page (a bulk
 * update, more than one Linux PTE) release it even though another table
 * in it was still in use: what that one built goes too. */
static void test_wp_lazy_release_run(void **state)
{
    uint32_t fsr;
    const uint32_t l2 = GL2 + 0x2000;

    set_l1(0x00100000, gtable(l2, 0));
    set_l1(0x00200000, gtable(l2 + 0x400, 0));
    set_l2(l2, 0x00100000, gpage(DATA, 3, false));
    set_l2(l2 + 0x400, 0x00200000, gpage(DATA + 0x1000, 3, false));
    set_l1(0x80000000, gsect(SHF_RAM_IPA, 0, 3, false));
    CHECK_EQ(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    const uint32_t l2va = 0x80000000 + (l2 - SHF_RAM_IPA);
    for (int k = 1; k <= 3; k++) {
        CHECK_EQ_CTX(sfault(l2va + 4 * k, ACC_WRITE, &fsr), FAULT_TABLE_WRITE, "store %d", k);
        shadow_guest_wrote(&G, l2 + 4 * k, 4);
        shadow_table_stored(&G, l2 + 4 * k);
        CHECK_EQ_CTX(sl1(0x00200000) != 0, k < 3, "store %d: the other table's entries", k);
    }
    CHECK_EQ(run(l2va, ACC_WRITE, &fsr), FAULT_FIXED);     /* released */
    CHECK_EQ(sl2(l2va) & PAGE_AP_RO, PAGE_AP_RW);
    /* and protected again by the next walk through it */
    CHECK_EQ(run(0x00200000, ACC_READ, &fsr), FAULT_FIXED);
    CHECK_EQ(sfault(l2va, ACC_WRITE, &fsr), FAULT_TABLE_WRITE);
}

static void test_l2_pool_exhaustion(void **state)
{
    uint32_t fsr, *other;
    const unsigned n = SHADOW_L2_TABLES + 100;

    /* every MiB below the window uses the same guest L2 table */
    for (unsigned i = 0; i < n; i++)
        shf_put32(GL1 + 4 * i, gtable(GL2, 0));
    set_l2(GL2, 0, gpage(DATA, 3, false));
    /* another space holds 3 L2 tables */
    for (uint32_t i = 0; i < 3; i++)
        CHECK_EQ(run(i << 20, ACC_READ, &fsr), FAULT_FIXED);
    other = cur_l1();
    CHECK_EQ(l1_used(other), 3);
    activate(GL1, 2);
    CHECK_TRUE(cur_l1() != other);
    CHECK_EQ(stat(TS_SHADOW_EVICT), 0);
    for (uint32_t i = 0; i < n; i++) {
        CHECK_EQ_CTX(run(i << 20, ACC_READ, &fsr), FAULT_FIXED, "MiB %u", (unsigned)i);
        CHECK_EQ_CTX(sl2(i << 20), PA(DATA) | PAGE_NORMAL | PAGE_AP_RW, "MiB %u", (unsigned)i);
        if (i == SHADOW_L2_TABLES - 3) {
            /* the pool ran dry: the other space went first, not this one */
            CHECK_EQ(stat(TS_SHADOW_EVICT), 1);
            CHECK_EQ(l1_used(other), 0);
            CHECK_EQ(l1_used(cur_l1()), SHADOW_L2_TABLES - 2);
        }
    }
    /* then the current space itself had to be cleared */
    CHECK_EQ(stat(TS_SHADOW_EVICT), 2);
    CHECK_EQ(l1_used(cur_l1()), n - SHADOW_L2_TABLES);
    check_window(cur_l1());
    check_window(other);
}

/*
 * Issue 15 item 2: a guest's shadow paging allocates nothing at run time
 * (its L1 tables were reserved at load; the pool may be dry afterwards),
 * holds at most its quota of L2 tables, evicting its own spaces at the
 * quota, never another guest's; a guest that does not fit is refused at
 * load with a message, not a panic.
 */
static enum fault_result run_on(struct vcpu *v, uint32_t va, enum mmu_access acc)
{
    uint32_t f, ipa;

    for (int i = 0; i < 6; i++) {
        enum fault_result r;
        if (!hw_access(va, acc, NULL))
            return FAULT_FIXED;
        if ((r = shadow_fault(v, va, acc, &f, &ipa)) != FAULT_FIXED)
            return r;
    }
    fail_msg("va 0x%08x: still faulting after 6 repairs", (unsigned)va);
    return FAULT_STOPPED;
}

static void test_l2_quota(void **state)
{
    static struct guest G2, G3;
    const unsigned quota = SHADOW_L2_TABLES / 4, n = quota + 40;
    uint32_t *l1_g2;

    shadow_init(4, 4 * G.spaces);   /* four guests like this one */
    /* a second guest, same RAM and tables, with 10 L2 tables of its own */
    G2 = G;
    G2.id = GID + 1;
    G2.name = "other";
    G2.vcpu.guest = &G2;
    G2.mm.page_flags = NULL;
    G2.mm.cur = NULL;
    CHECK_EQ(shadow_guest_init(&G2), 0);
    for (unsigned i = 0; i < n; i++)
        shf_put32(GL1 + 4 * i, gtable(GL2, 0));
    set_l2(GL2, 0, gpage(DATA, 3, false));
    shf.pool_fail = true;           /* nothing is allocated from here on */
    shadow_activate(&G2.vcpu);
    for (uint32_t i = 0; i < 10; i++)
        CHECK_EQ_CTX(run_on(&G2.vcpu, i << 20, ACC_READ), FAULT_FIXED, "other guest, MiB %u", (unsigned)i);
    l1_g2 = cur_l1();
    CHECK_EQ(l1_used(l1_g2), 10);

    /* this guest: another space first (3 tables), then the current one
     * past its quota: its own spaces go, the other guest's never */
    shadow_activate(V);
    for (uint32_t i = 0; i < 3; i++)
        CHECK_EQ(run(i << 20, ACC_READ, NULL), FAULT_FIXED);
    uint32_t *first = cur_l1();
    activate(GL1, 2);
    CHECK_TRUE(cur_l1() != first);
    for (uint32_t i = 0; i < n; i++) {
        CHECK_EQ_CTX(run(i << 20, ACC_READ, NULL), FAULT_FIXED, "MiB %u", (unsigned)i);
        CHECK_TRUE_CTX(l1_used(first) + l1_used(cur_l1()) <= quota, "MiB %u: %u + %u tables, quota %u",
                       (unsigned)i, l1_used(first), l1_used(cur_l1()), quota);
        if (i == quota - 3) {
            CHECK_EQ(stat(TS_SHADOW_EVICT), 1);     /* its older space went first */
            CHECK_EQ(l1_used(first), 0);
        }
    }
    CHECK_EQ(stat(TS_SHADOW_EVICT), 2);             /* then its current one */
    CHECK_EQ(l1_used(cur_l1()), n - quota);
    CHECK_EQ(l1_used(l1_g2), 10);
    CHECK_EQ(G2.vcpu.stats[TS_SHADOW_EVICT], 0);
    CHECK_EQ(shf.stop_count, 0);
    check_window(l1_g2);

    /* a third guest that does not fit in what is left: refused, said why */
    G3 = G;
    G3.id = GID + 2;
    G3.name = "big";
    G3.vcpu.guest = &G3;
    G3.mm.page_flags = NULL;
    G3.mm.cur = NULL;
    int printed = shf.printf_count;
    CHECK_EQ(shadow_guest_init(&G3), -1);
    CHECK_TRUE(shf.printf_count > printed);
    shf.pool_fail = false;

    /* give the pool back for the tests after this one */
    G2.mm.cur = NULL;
    shadow_flush_guest(&G2);
    shadow_init(1, 0);
}


/*
 * Issue 16: spaces=N.  A guest with 24 cached spaces switches among 24
 * address spaces (a Linux guest's processes) without evicting any: each
 * keeps its L1 table, its entries and its own real ASID.
 */
#define MANY_L1     0x40200000u     /* guest L1 tables of the many-space tests, 16 KiB apart */

static void test_many_spaces(void **state)
{
    enum { N = 24 };
    uint32_t l1pa[N], fsr;
    uint8_t asid[N];

    for (unsigned k = 0; k < N; k++)
        shf_put32(MANY_L1 + k * 0x4000 + 4 * 1, gsect(DATA, 0, 3, false));
    for (unsigned k = 0; k < N; k++) {
        activate(MANY_L1 + k * 0x4000, (uint8_t)(k + 1));
        CHECK_EQ_CTX(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED, "space %u", k);
        l1pa[k] = shf.l1_pa;
        asid[k] = shf.asid;
        CHECK_TRUE_CTX(asid[k] != 0, "space %u: ASID 0", k);
        for (unsigned j = 0; j < k; j++) {
            CHECK_TRUE_CTX(l1pa[j] != l1pa[k], "spaces %u and %u share an L1", j, k);
            CHECK_TRUE_CTX(asid[j] != asid[k], "spaces %u and %u share ASID %u", j, k, asid[k]);
        }
    }
    /* (the setup's space went, the least recently used of 25 keys) */
    CHECK_EQ(stat(TS_SHADOW_EVICT), 1);
    /* all of them again, backwards: same table, same ASID, entry kept */
    for (unsigned k = N; k-- > 0;) {
        uint64_t fills = stat(TS_SHADOW_FILL);
        activate(MANY_L1 + k * 0x4000, (uint8_t)(k + 1));
        CHECK_EQ_CTX(shf.l1_pa, l1pa[k], "space %u", k);
        CHECK_EQ_CTX(shf.asid, asid[k], "space %u", k);
        CHECK_EQ_CTX(run(0x00100000, ACC_READ, &fsr), FAULT_FIXED, "space %u", k);
        CHECK_EQ_CTX(stat(TS_SHADOW_FILL), fills, "space %u refilled", k);
    }
    CHECK_EQ(stat(TS_SHADOW_EVICT), 1);
    /* a 25th key: the least recently used (space N-1, now) goes */
    shf_put32(MANY_L1 + N * 0x4000 + 4 * 1, gsect(DATA, 0, 3, false));
    activate(MANY_L1 + N * 0x4000, N + 1);
    CHECK_EQ(stat(TS_SHADOW_EVICT), 2);
    CHECK_EQ(shf.l1_pa, l1pa[N - 1]);
    CHECK_EQ(shf.asid, asid[N - 1]);    /* a reused space keeps its ASID (flushed) */
    CHECK_EQ(l1_used(cur_l1()), SPACE_INHERIT ? 1 : 0);    /* (the same global section) */
    CHECK_EQ_CTX(shf.asid_conflicts, 0, "%s", shf.asid_conflict_msg);
}

/*
 * Real ASIDs are 8 bits: beyond 255 spaces in the VM, the least recently
 * used space that is not current gives its ASID up, after the ASID's TLB
 * entries are dropped (arch_asid_recycle), and gets another one when it is
 * current again, its tables intact.  The fake checks every switch: an ASID
 * never names two tables without a recycle in between, never 0, and the
 * current one is never recycled.
 */
static void test_asid_recycling(void **state)
{
    enum { NG = 4, NS = SHADOW_SPACES_MAX };
    static struct guest GS[NG];
    static uint32_t l1pa[NG][NS];
    static uint8_t asid[NG][NS];
    unsigned free_before = 0, n = 0;
    uint64_t counted = 0;

    _Static_assert(NG * NS > ARCH_ASID_MAX, "the test needs more spaces than ASIDs");
    for (unsigned a = 1; a <= ARCH_ASID_MAX; a++)
        free_before += !shf.asid_l1[a];     /* (earlier tests' spaces hold the others) */
    for (unsigned k = 0; k < NS; k++)
        shf_put32(MANY_L1 + k * 0x4000 + 4 * 1, gsect(DATA, 0, 3, false));
    for (unsigned i = 0; i < NG; i++) {
        GS[i] = G;
        GS[i].id = GID + 1 + (int)i;
        GS[i].name = "many";
        GS[i].spaces = NS;
        GS[i].vcpu.guest = &GS[i];
        GS[i].mm.page_flags = NULL;
        GS[i].mm.cur = NULL;
        memset(GS[i].vcpu.stats, 0, sizeof(GS[i].vcpu.stats));
        CHECK_EQ(shadow_guest_init(&GS[i]), 0);
    }
    int recycles = shf.recycle_count;
    for (unsigned i = 0; i < NG; i++) {
        for (unsigned k = 0; k < NS; k++, n++) {
            struct vcpu *v = &GS[i].vcpu;
            v->cp15.ttbr0 = MANY_L1 + k * 0x4000;
            v->cp15.contextidr = k + 1;
            shadow_activate(v);
            CHECK_EQ_CTX(run_on(v, 0x00100000, ACC_READ), FAULT_FIXED, "guest %u space %u", i, k);
            l1pa[i][k] = shf.l1_pa;
            asid[i][k] = shf.asid;
            CHECK_TRUE_CTX(asid[i][k] != 0, "guest %u space %u: ASID 0", i, k);
            /* new spaces take free ASIDs first, then recycled ones */
            CHECK_EQ_CTX(shf.recycle_count - recycles, n + 1 > free_before ? n + 1 - free_before : 0,
                         "guest %u space %u", i, k);
            CHECK_EQ_CTX(shf.asid_conflicts, 0, "%s", shf.asid_conflict_msg);
        }
    }
    for (unsigned i = 0; i < NG; i++)
        counted += GS[i].vcpu.stats[TS_SHADOW_ASID];
    CHECK_EQ(counted, (uint64_t)(shf.recycle_count - recycles));
    /* least recently used first: the spaces of earlier tests, then the
     * first of these, whose ASID now names another table; the second's
     * still names its own */
    CHECK_TRUE(shf.asid_l1[asid[0][0]] != l1pa[0][0]);
    CHECK_EQ(shf.asid_l1[asid[0][1]], l1pa[0][1]);
    CHECK_EQ(shf.asid_l1[asid[NG - 1][NS - 1]], l1pa[NG - 1][NS - 1]);
    /* the first space again: its tables were kept (no fill), it gets an
     * ASID back (the second's, the least recently used now) */
    struct vcpu *v0 = &GS[0].vcpu;
    uint64_t fills = GS[0].vcpu.stats[TS_SHADOW_FILL];
    recycles = shf.recycle_count;
    v0->cp15.ttbr0 = MANY_L1;
    v0->cp15.contextidr = 1;
    shadow_activate(v0);
    CHECK_EQ(shf.l1_pa, l1pa[0][0]);
    CHECK_EQ(shf.recycle_count, recycles + 1);
    CHECK_EQ(shf.recycle_last, asid[0][1]);
    CHECK_EQ(shf.asid, asid[0][1]);
    CHECK_EQ(run_on(v0, 0x00100000, ACC_READ), FAULT_FIXED);
    CHECK_EQ(GS[0].vcpu.stats[TS_SHADOW_FILL], fills);
    CHECK_EQ_CTX(shf.asid_conflicts, 0, "%s", shf.asid_conflict_msg);
    CHECK_EQ(shf.stop_count, 0);

    /* give the L2 pool and the current space back for the tests after this one */
    for (unsigned i = 0; i < NG; i++) {
        GS[i].mm.cur = NULL;
        shadow_flush_guest(&GS[i]);
    }
    shadow_activate(V);
}

/*
 * A guest whose spaces do not fit in what is left of the monitor's memory
 * is refused at load (-1, a message), never later; so are counts outside
 * 1..SHADOW_SPACES_MAX.  The same guest with fewer spaces fits.
 */
static void test_spaces_refused(void **state)
{
    static struct guest GB;
    int printed;

    GB = G;
    GB.id = MAX_GUESTS - 1;
    GB.name = "big";
    GB.vcpu.guest = &GB;
    GB.mm.page_flags = NULL;
    GB.mm.cur = NULL;
    /* room for about 12 spaces */
    shf.pool_limit = shf.pool_used + 12 * SZ_16K + SHF_RAM_SIZE / 4096 * 5;
    GB.spaces = 20;
    printed = shf.printf_count;
    CHECK_EQ(shadow_guest_init(&GB), -1);
    CHECK_TRUE(shf.printf_count > printed);
    GB.spaces = 0;
    printed = shf.printf_count;
    CHECK_EQ(shadow_guest_init(&GB), -1);
    CHECK_TRUE(shf.printf_count > printed);
    GB.spaces = SHADOW_SPACES_MAX + 1;
    CHECK_EQ(shadow_guest_init(&GB), -1);
    GB.spaces = 8;
    CHECK_EQ(shadow_guest_init(&GB), 0);
    shf.pool_limit = 0;
    /* and it works: a space of its own, a fill */
    GB.vcpu.cp15.ttbr0 = GL1;
    shadow_activate(&GB.vcpu);
    set_l1(0x00100000, gsect(DATA, 0, 3, false));
    CHECK_EQ(run_on(&GB.vcpu, 0x00100000, ACC_READ), FAULT_FIXED);
    CHECK_EQ(shf.stop_count, 0);
    GB.mm.cur = NULL;
    shadow_flush_guest(&GB);
    shadow_activate(V);
}

/*
 * Issue 19: a guest above 64 MiB.  Its per-page and per-MiB records are
 * sized from its RAM and reserved at load (SHADOW_BYTES_PER_PAGE(_WP)/_MIB): a
 * 512 MiB guest that does not fit is refused with a message; one that fits
 * maps MiBs 300 and 511 (the top) of its RAM as sections at the right
 * host PA, records them writable in MiB slots beyond 64, and a flush
 * forgets them.
 */
static void test_big_guest(void **state)
{
    static struct guest GB;
    const uint32_t mib = 512, top = mib - 1;
    int printed;

    GB = G;
    GB.id = MAX_GUESTS - 2;
    GB.name = "big";
    GB.vcpu.guest = &GB;
    GB.ram_size = mib << 20;
    GB.spaces = 2;
    GB.mm.page_flags = NULL;
    GB.mm.cur = NULL;
    /* the page records fit, the MiB records and the L1 tables do not */
    shf.pool_limit = shf.pool_used + (mib << 20) / 4096 * (SHADOW_BYTES_PER_PAGE + SHADOW_BYTES_PER_PAGE_WP) + 64;
    printed = shf.printf_count;
    CHECK_EQ(shadow_guest_init(&GB), -1);
    CHECK_TRUE(shf.printf_count > printed);
    shf.pool_limit = 0;
    GB.mm.page_flags = NULL;
    size_t before = pool_free_bytes();
    CHECK_EQ(shadow_guest_init(&GB), 0);
    /* the records reserved now (its spaces' L1 tables may be an earlier
     * test's guest's of the same slot, kept) */
    CHECK_TRUE(before - pool_free_bytes() >= (size_t)(mib << 20) / 4096 * (SHADOW_BYTES_PER_PAGE + SHADOW_BYTES_PER_PAGE_WP) +
                                             mib * SHADOW_BYTES_PER_MIB);
    GB.vcpu.cp15.ttbr0 = GL1;
    shadow_activate(&GB.vcpu);
    set_l1(0x00100000, gsect(GB.ram_ipa + (300u << 20), 0, 3, false));
    set_l1(0x00200000, gsect(GB.ram_ipa + (top << 20), 0, 3, false));
    CHECK_EQ(run_on(&GB.vcpu, 0x00100000, ACC_WRITE), FAULT_FIXED);
    CHECK_EQ(run_on(&GB.vcpu, 0x00200000, ACC_WRITE), FAULT_FIXED);
    CHECK_EQ(sl1(0x00100000) & 0xFFF00000u, GB.ram_pa + (300u << 20));
    CHECK_EQ(sl1(0x00200000) & 0xFFF00000u, GB.ram_pa + (top << 20));
    CHECK_EQ(GB.mm.mb_flags[300] & 1, 1);      /* MB_WMAPPED */
    CHECK_EQ(GB.mm.mb_flags[top] & 1, 1);
    CHECK_EQ(GB.mm.mb_wsect[top] & 0xFFFu, 0x002u);     /* its L1 index */
    CHECK_EQ(shf.stop_count, 0);
    shadow_flush_guest(&GB);
    CHECK_EQ(GB.mm.mb_flags[300], 0);
    CHECK_EQ(GB.mm.mb_wsect[top], 0);
    GB.mm.cur = NULL;
    shadow_activate(V);
    /* coherence=tlb: no record of where pages are mapped writable (only
     * coherence=wp asks), 1 byte a page */
    GB.mm.coh = COH_TLB;
    GB.mm.page_flags = NULL;
    before = pool_free_bytes();
    CHECK_EQ(shadow_guest_init(&GB), 0);
    CHECK_TRUE(GB.mm.page_wva == NULL);
    CHECK_TRUE(before - pool_free_bytes() < (size_t)(mib << 20) / 4096 * 2);
    shadow_activate(&GB.vcpu);
    CHECK_EQ(run_on(&GB.vcpu, 0x00200000, ACC_WRITE), FAULT_FIXED);
    CHECK_EQ(sl1(0x00200000) & 0xFFF00000u, GB.ram_pa + (top << 20));
    shadow_flush_guest(&GB);
    GB.mm.cur = NULL;
    shadow_activate(V);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TOFF(test_mmu_off_flat), TTLB(test_srfa_map_protect),
        TTLB(test_section_kernel_only), TTLB(test_section_user), TTLB(test_section_mixed_split),
        TTLB(test_small_and_large_pages), TTLB(test_no_memory), TTLB(test_guest_faults),
        TTLB(test_assigned_device), TWP(test_assigned_device), TOFF(test_assigned_device_mmu_off),
        TTLB(test_monitor_window), TTLB(test_no_progress), TTLB(test_no_progress_tlb_remap),
        TTLB(test_view_switch),
        TTLB(test_soundness_tlb), TWP(test_soundness_wp),
        TTLB(test_soundness_pxn_tlb), TWP(test_soundness_pxn_wp), TTLB(test_pxn_views),
        TTLB(test_patch_fetched_page_only), TTLB(test_patch_user_alias),
        TWP(test_patch_restore_in_table_page),
        TTLB(test_tlb_mva), TTLB(test_tlb_all), TTLB(test_tlb_asid),
        TTLB(test_tlb_mva_large_mappings),
        TWP(test_wp_tables_read_only), TWP(test_wp_guest_wrote), TWP(test_wp_tracking_survives_flush), TWP(test_wp_unprotect),
        TWP(test_wp_track_keeps_first_page),
        TTLB(test_lru), TTLB(test_l2_pool_exhaustion), TTLB(test_l2_quota),
        TWP(test_wp_asid_shares_space), TWP(test_wp_reverse_index),
        TTLB(test_gen_tracks_translation_changes), TWP(test_gen_wp_table_store),
        TWP(test_wp_revoke_pages), TWP(test_wp_revoke_sections), TWP(test_wp_revoke_two_places),
        TWP(test_wp_lazy_release), TWP(test_wp_lazy_release_run), TWP(test_wp_space_inherit),
        TWP24(test_many_spaces), TTLB(test_asid_recycling), TTLB(test_spaces_refused), TWP(test_big_guest),
    };
    return UNIT_RUN("shadow", tests);
}
