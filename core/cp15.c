/*
 * CP15 emulation: MCR/MRC (and MCRR/MRRC) of the system control coprocessor
 * trapped from the guest (ARM ARM B4.1, register summary B3.17 "Organization
 * of the CP15 registers in a VMSA implementation").
 *
 * One table entry per register or operation, keyed by {CRn, opc1, CRm, opc2}.
 * Identification registers read the real CPU's values, so native and
 * virtualized runs of a guest see the same CPU.
 */
#include "emulate.h"
#include "exception.h"
#include "decode.h"
#include "guest.h"
#include "hv.h"
#include "vfp.h"
#include <arch/mmu-defs.h>
#include <stddef.h>
#include "../mm/mm.h"
#include "../mm/shadow.h"
#include "virq.h"
#include "srfa.h"
#include "fit.h"
#include "idregs.h"

#define R   1u          /* readable at PL1 */
#define W   2u          /* writable at PL1 */
#define U0  4u          /* also from PL0 when the PMU says so (PMUSERENR.EN) */

struct cp15_reg;
typedef uint32_t (*rd_fn)(struct vcpu *, const struct cp15_reg *);
typedef int (*wr_fn)(struct vcpu *, const struct cp15_reg *, uint32_t);

struct cp15_reg {
    uint8_t crn, opc1, crm, opc2;
    uint8_t flags;
    uint8_t stat;               /* trap_class for statistics */
    int16_t field;              /* offsetof(struct vcp15, x), or -1 */
    uint32_t wmask;             /* writable bits for plain fields */
    rd_fn rd;
    wr_fn wr;
    uint32_t arg;
};

#define FIELD(f) ((int16_t)offsetof(struct vcp15, f))

static uint32_t *field_ptr(struct vcpu *v, const struct cp15_reg *r)
{
    return (uint32_t *)((uint8_t *)&v->cp15 + r->field);
}

/* ---- readers ---------------------------------------------------------- */

/*
 * Identification registers: what core/idregs.c makes of the real ones
 * (docs/id-registers.md).  ID_PFR0.State3 (ThumbEE), for one, reads 0:
 * TEECR is PL1-only (A2.10), which a deprivileged guest kernel cannot
 * reach, and its handler base TEEHBR would be one real register shared by
 * every guest.  The monitor sets the real TEECR.XED (arch_thumbee_lock), so
 * TEEHBR accesses from any guest UNDEF, and Linux, seeing no ThumbEE,
 * leaves it alone (__v7_setup, thumbee.c).
 */
static uint32_t rd_id(struct vcpu *v, const struct cp15_reg *r)
{
    return vid_read((enum arch_id_reg)r->arg);
}

static uint32_t rd_zero(struct vcpu *v, const struct cp15_reg *r)
{
    return 0;
}

/*
 * CCSIDR (B4.1.19) as the guest sees it: the real line size and write
 * policy, but one set of one way (NumSets, Associativity = 0).  A guest
 * uses the geometry only to loop set/way maintenance over the cache
 * (B2.2.6), which the monitor turns into one whole-cache operation per level
 * anyway (wr_cache_all): a one-line geometry makes that loop one trap per
 * level instead of one per line.
 */
#define CCSIDR_GEOMETRY 0x0FFFFFF8u     /* [27:13] NumSets - 1, [12:3] Associativity - 1 */

static uint32_t rd_ccsidr(struct vcpu *v, const struct cp15_reg *r)
{
    return arch_ccsidr_read(v->cp15.csselr) & ~CCSIDR_GEOMETRY;
}

static uint32_t rd_pmccntr(struct vcpu *v, const struct cp15_reg *r)
{
    bool counting = (v->cp15.pmcr & 1) && (v->cp15.pmcnten & (1u << 31));
    return counting ? arch_cycles() - v->cp15.pmccntr_base : v->cp15.pmccntr_frozen;
}

/* ---- writers ---------------------------------------------------------- */

static int wr_field(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    uint32_t *p = field_ptr(v, r);
    *p = (*p & ~r->wmask) | (val & r->wmask);
    return EMU_DONE;
}

/* SCTLR (B4.1.130).  The bits the virtual CPU implements as writable. */
#define SCTLR_WMASK (SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_SW | SCTLR_Z | SCTLR_I | \
                     SCTLR_V | SCTLR_RR | SCTLR_TRE | SCTLR_AFE | SCTLR_TE)

static int wr_sctlr(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    uint32_t old = v->cp15.sctlr;

    wr_field(v, r, val);
    /* Alignment checking of the guest's own accesses happens in hardware. */
    arch_set_alignment_check(v->cp15.sctlr & SCTLR_A);
    /* Translation regime changes: AFE/TRE change what descriptors mean;
     * M selects between the flat and the translated spaces. */
    if ((old ^ v->cp15.sctlr) & (SCTLR_AFE | SCTLR_TRE))
        shadow_flush_guest(v->guest);
    if ((old ^ v->cp15.sctlr) & (SCTLR_M | SCTLR_AFE | SCTLR_TRE))
        shadow_activate(v);
    vcpu_fast_update(v);                /* SCTLR.V/TE/EE: the SVC fast path */
    return EMU_DONE;
}

static int wr_vbar(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    wr_field(v, r, val);
    vcpu_fast_update(v);
    return EMU_DONE;
}

/* TTBR0 and CONTEXTIDR select the shadow space (cached per (TTBR0, ASID)). */
static int wr_mmu_select(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    wr_field(v, r, val);
    if (v->cp15.sctlr & SCTLR_M)
        shadow_activate(v);
    return EMU_DONE;
}

/*
 * TTBCR (B4.1.153): N, and PD0/PD1 where the board's CPU has the Security
 * Extensions.  The guest is told of none (ID_PFR1.Security = 0: idregs.c),
 * which makes bits [5:4] UNK/SBZP, writing them UNPREDICTABLE: honouring
 * them there keeps a guest that probes them behaving as on the board, and
 * is RAZ/WI elsewhere, as the board's CPU is.  EAE: RAZ/WI (no LPAE).
 */
static uint32_t ttbcr_wmask(void)
{
    return (arch_id_read(ID_PFR1) & 0xF0u) ? 0x37u : 0x07u;
}

/* TTBR1, TTBCR, DACR are part of every translation: drop all shadows. */
static int wr_mmu_global(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    uint32_t *p = field_ptr(v, r), old = *p;

    wr_field(v, r, val);
    if (*p != old && (v->cp15.sctlr & SCTLR_M)) {
        shadow_flush_guest(v->guest);
        shadow_activate(v);
    }
    return EMU_DONE;
}

static int wr_ttbcr(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    return wr_mmu_global(v, r, val & ttbcr_wmask());
}

static int wr_tlb(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    shadow_tlb_op(v, (enum tlb_op)r->arg, val);
    return EMU_DONE;
}

static int wr_cpacr(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    /* cp10/cp11 must be set alike (B4.1.40); ASEDIS/D32DIS kept as written.
     * Without VFP the fields are RAZ/WI. */
    v->cp15.cpacr = arch_has_vfp() ? (val & 0xC0F00000) : 0;
    vfp_update_access(v);
    vcpu_fast_update(v);
    return EMU_DONE;
}

static int wr_tpidruro(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    v->cp15.tpidruro = val;
    arch_set_tls(arch_get_tpidrurw(), val);
    return EMU_DONE;
}

static int wr_tpidrurw(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    arch_set_tls(val, v->cp15.tpidruro);
    return EMU_DONE;
}

static uint32_t rd_tpidrurw(struct vcpu *v, const struct cp15_reg *r)
{
    return arch_get_tpidrurw();
}

static int wr_nop(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    return EMU_DONE;
}

/* Cache maintenance by VA: with the guest MMU off a VA is an IPA; inside
 * guest RAM it is mapped at the same VA in the current table, so the
 * operation runs on it directly.  Elsewhere there is nothing cached.
 * Invalidation is upgraded to clean+invalidate: data the guest discards
 * must not be data the monitor wrote for it (prior-art.md). */
static int wr_cache_va(struct vcpu *v, const struct cp15_reg *r, uint32_t va)
{
    struct mmu_regs m;
    struct walk_result w;
    uint32_t ipa = va, pa;

    /* Normally the VA is mapped in the shadow space in use: operate on it. */
    if (arch_guest_cache_op(r->arg, va) == 0)
        return EMU_DONE;
    /* FAST_CP15: map it as a guest read would, so that the next operation
     * on that page (a loop over its lines, trapped or FIT) is done in the
     * vector; the guest's tables decide, as for any shadow fill. */
    if (FAST_CP15 && shadow_prefill(v, va) && arch_guest_cache_op(r->arg, va) == 0)
        return EMU_DONE;
    /* Not (yet) shadowed: find the memory through the guest's own view and
     * operate on the monitor's alias of it (PIPT data caches); for the
     * instruction cache, invalidate everything rather than rely on an alias. */
    if (v->cp15.sctlr & SCTLR_M) {
        shadow_mmu_regs(v, &m);
        if (mmu_walk(&m, va, shadow_read_ipa, v->guest, &w))
            return EMU_DONE;    /* no translation: nothing the guest could have cached */
        ipa = w.ipa;
    }
    if (!guest_ipa_to_pa(v->guest, ipa, &pa))
        return EMU_DONE;        /* not RAM: uncached */
    if (r->arg == CACHE_IC_INVAL)
        arch_icache_inval_all();
    else
        arch_cache_op_va(r->arg, (uint32_t)(uintptr_t)arch_physmap(0, pa));
    return EMU_DONE;
}

/*
 * Data cache maintenance by set/way (DCISW, DCCSW, DCCISW; B4.2.1) names
 * lines of the real cache, which a guest cannot meaningfully pick: it is
 * meant for whole-cache maintenance in a loop over every set and way of a
 * level (B2.2.6; Linux v7_flush_dcache_all).  Each op would cost a full
 * clean+invalidate of the real hierarchy (thousands of set/way ops), for
 * each of the guest's thousands of iterations.  The monitor cleans and
 * invalidates everything once per level, on the op for set 0 and way 0 —
 * the last one of the usual descending loops — which is a superset of the
 * loop's effect when the loop ends; the other ops do nothing.  Rt =
 * way << (32 - A) | set << L | level << 1 (B4.2.1), so set 0 / way 0 is
 * "only level bits set".
 */
static int wr_cache_all(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    if (r->arg == 1) {
        if ((val & ~0xEu) == 0)
            arch_dcache_clean_inval_all();      /* set/way: whole cache, upgraded */
    } else {
        arch_icache_inval_all();
    }
    return EMU_DONE;
}

/* VA to PA translation operations (B4.2.4): with the guest MMU off the
 * result is the flat IPA; PAR.F set for addresses outside the guest. */
static int wr_ats(struct vcpu *v, const struct cp15_reg *r, uint32_t va)
{
    /* ATS1C{P,U}{R,W} (B4.2.4): r->arg bit 0 = write, bit 1 = PL0.  PAR holds
     * the IPA the guest believes is physical, or F=1 and FS[5:1]. */
    struct mmu_regs m;
    struct walk_result w;
    uint32_t fsr;

    if (!(v->cp15.sctlr & SCTLR_M)) {
        v->cp15.par = va & ~0xFFFu;
        return EMU_DONE;
    }
    shadow_mmu_regs(v, &m);
    fsr = mmu_translate(&m, va, (r->arg & 1) ? ACC_WRITE : ACC_READ, !(r->arg & 2),
                        shadow_read_ipa, v->guest, &w);
    if (fsr)
        v->cp15.par = 1u | ((fsr & 0xF) << 1) | (((fsr >> 10) & 1) << 5);
    else
        v->cp15.par = (w.ipa & ~0xFFFu) | (w.ng ? (1u << 11) : 0);
    return EMU_DONE;
}

static int wr_pmcr(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    uint32_t now = rd_pmccntr(v, r);

    if (val & (1u << 2))                        /* C: reset the cycle counter */
        now = 0;
    v->cp15.pmcr = val & 0x39;                  /* E, DP, X, D (no event counters) */
    v->cp15.pmccntr_frozen = now;
    v->cp15.pmccntr_base = arch_cycles() - now;
    return EMU_DONE;
}

static int wr_pmcnten(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    uint32_t now = rd_pmccntr(v, r);

    val &= 1u << 31;                            /* only the cycle counter exists */
    if (r->arg)
        v->cp15.pmcnten |= val;
    else
        v->cp15.pmcnten &= ~val;
    v->cp15.pmccntr_frozen = now;
    v->cp15.pmccntr_base = arch_cycles() - now;
    return EMU_DONE;
}

static int wr_pmccntr(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    v->cp15.pmccntr_frozen = val;
    v->cp15.pmccntr_base = arch_cycles() - val;
    return EMU_DONE;
}

static uint32_t rd_pmcr(struct vcpu *v, const struct cp15_reg *r)
{
    /* IMP and IDCODE from the real PMCR's MIDR-derived fields would differ
     * between boards; report N = 0 event counters. */
    return v->cp15.pmcr & 0x39;
}

static uint32_t rd_pmcnten(struct vcpu *v, const struct cp15_reg *r)
{
    return v->cp15.pmcnten;
}

/* PMINTENSET/PMINTENCLR (B4.1.120/121): only the cycle counter's bit 31
 * exists.  The enable is kept for the guest to read back; the virtual
 * machine has no PMU interrupt (none in its device tree), so nothing is
 * ever signalled. */
static int wr_pminten(struct vcpu *v, const struct cp15_reg *r, uint32_t val)
{
    val &= 1u << 31;
    if (r->arg)
        v->cp15.pminten |= val;
    else
        v->cp15.pminten &= ~val;
    return EMU_DONE;
}

#define ID(crn, o1, crm, o2, id) { crn, o1, crm, o2, R, TS_CP15_READ, -1, 0, rd_id, NULL, id }
#define RW(crn, o1, crm, o2, f, m) { crn, o1, crm, o2, R | W, TS_CP15_WRITE, FIELD(f), m, NULL, wr_field, 0 }
#define RWF(crn, o1, crm, o2, f, m, w) { crn, o1, crm, o2, R | W, TS_CP15_WRITE, FIELD(f), m, NULL, w, 0 }
#define OP(crn, o1, crm, o2, cls, w, arg) { crn, o1, crm, o2, W, cls, -1, 0, NULL, w, arg }

static const struct cp15_reg cp15_regs[] = {
    /* c0: identification (B4.1.105 MIDR ...) */
    ID(0, 0, 0, 0, ID_MIDR), ID(0, 0, 0, 1, ID_CTR), ID(0, 0, 0, 2, ID_TCMTR),
    ID(0, 0, 0, 3, ID_TLBTR), ID(0, 0, 0, 4, ID_MIDR), ID(0, 0, 0, 5, ID_MPIDR),
    ID(0, 0, 0, 6, ID_REVIDR), ID(0, 0, 0, 7, ID_MIDR),
    ID(0, 0, 1, 0, ID_PFR0), ID(0, 0, 1, 1, ID_PFR1), ID(0, 0, 1, 2, ID_DFR0),
    ID(0, 0, 1, 3, ID_AFR0), ID(0, 0, 1, 4, ID_MMFR0), ID(0, 0, 1, 5, ID_MMFR1),
    ID(0, 0, 1, 6, ID_MMFR2), ID(0, 0, 1, 7, ID_MMFR3),
    ID(0, 0, 2, 0, ID_ISAR0), ID(0, 0, 2, 1, ID_ISAR1), ID(0, 0, 2, 2, ID_ISAR2),
    ID(0, 0, 2, 3, ID_ISAR3), ID(0, 0, 2, 4, ID_ISAR4), ID(0, 0, 2, 5, ID_ISAR5),
    { 0, 1, 0, 0, R, TS_CP15_READ, -1, 0, rd_ccsidr, NULL, 0 },
    ID(0, 1, 0, 1, ID_CLIDR), ID(0, 1, 0, 7, ID_AIDR),
    RW(0, 2, 0, 0, csselr, 0xF),
    /* c1: system control */
    RWF(1, 0, 0, 0, sctlr, SCTLR_WMASK, wr_sctlr),
    RW(1, 0, 0, 1, actlr, 0),                           /* RAZ/WI for the guest */
    RWF(1, 0, 0, 2, cpacr, 0xC0F00000, wr_cpacr),
    /* c2, c3: translation table base, control, domains */
    RWF(2, 0, 0, 0, ttbr0, 0xFFFFFFFF, wr_mmu_select),
    RWF(2, 0, 0, 1, ttbr1, 0xFFFFFFFF, wr_mmu_global),
    RWF(2, 0, 0, 2, ttbcr, 0x37, wr_ttbcr),             /* N, PD0, PD1 (no LPAE) */
    RWF(3, 0, 0, 0, dacr, 0xFFFFFFFF, wr_mmu_global),
    /* c5, c6: fault status and address */
    RW(5, 0, 0, 0, dfsr, 0x00001CFF), RW(5, 0, 0, 1, ifsr, 0x0000140F),
    RW(5, 0, 1, 0, adfsr, 0), RW(5, 0, 1, 1, aifsr, 0),
    RW(6, 0, 0, 0, dfar, 0xFFFFFFFF), RW(6, 0, 0, 2, ifar, 0xFFFFFFFF),
    /* c7: cache maintenance, address translation (B4.2) */
    RW(7, 0, 4, 0, par, 0xFFFFFFFF),
    OP(7, 0, 1, 0, TS_CP15_CACHE, wr_cache_all, 0),     /* ICIALLUIS */
    OP(7, 0, 1, 6, TS_CP15_CACHE, wr_nop, 0),           /* BPIALLIS */
    OP(7, 0, 5, 0, TS_CP15_CACHE, wr_cache_all, 0),     /* ICIALLU */
    OP(7, 0, 5, 1, TS_CP15_CACHE, wr_cache_va, CACHE_IC_INVAL),  /* ICIMVAU */
    OP(7, 0, 5, 4, TS_CP15_CACHE, wr_nop, 0),           /* CP15ISB (trap = done) */
    OP(7, 0, 5, 6, TS_CP15_CACHE, wr_nop, 0),           /* BPIALL: predictor is the monitor's */
    OP(7, 0, 5, 7, TS_CP15_CACHE, wr_nop, 0),           /* BPIMVA */
    OP(7, 0, 6, 1, TS_CP15_CACHE, wr_cache_va, CACHE_DC_CLEAN_INVAL), /* DCIMVAC, upgraded */
    OP(7, 0, 6, 2, TS_CP15_CACHE, wr_cache_all, 1),     /* DCISW, upgraded */
    OP(7, 0, 8, 0, TS_CP15_WRITE, wr_ats, 0), OP(7, 0, 8, 1, TS_CP15_WRITE, wr_ats, 1),
    OP(7, 0, 8, 2, TS_CP15_WRITE, wr_ats, 2), OP(7, 0, 8, 3, TS_CP15_WRITE, wr_ats, 3),
    OP(7, 0, 10, 1, TS_CP15_CACHE, wr_cache_va, CACHE_DC_CLEAN),     /* DCCMVAC */
    OP(7, 0, 10, 2, TS_CP15_CACHE, wr_cache_all, 1),    /* DCCSW, upgraded */
    OP(7, 0, 10, 4, TS_CP15_CACHE, wr_nop, 0),          /* CP15DSB */
    OP(7, 0, 10, 5, TS_CP15_CACHE, wr_nop, 0),          /* CP15DMB */
    OP(7, 0, 11, 1, TS_CP15_CACHE, wr_cache_va, CACHE_DC_CLEAN_POU), /* DCCMVAU */
    OP(7, 0, 14, 1, TS_CP15_CACHE, wr_cache_va, CACHE_DC_CLEAN_INVAL), /* DCCIMVAC */
    OP(7, 0, 14, 2, TS_CP15_CACHE, wr_cache_all, 1),    /* DCCISW */
    /* c8: TLB maintenance (B4.2.3): invalidates shadow entries in coherence
     * mode (a); in mode (b) the shadows are never stale. */
    OP(8, 0, 3, 0, TS_CP15_TLB, wr_tlb, TLB_ALL),  OP(8, 0, 3, 1, TS_CP15_TLB, wr_tlb, TLB_MVA),
    OP(8, 0, 3, 2, TS_CP15_TLB, wr_tlb, TLB_ASID), OP(8, 0, 3, 3, TS_CP15_TLB, wr_tlb, TLB_MVA_ALL_ASID),
    OP(8, 0, 5, 0, TS_CP15_TLB, wr_tlb, TLB_ALL),  OP(8, 0, 5, 1, TS_CP15_TLB, wr_tlb, TLB_MVA),
    OP(8, 0, 5, 2, TS_CP15_TLB, wr_tlb, TLB_ASID),
    OP(8, 0, 6, 0, TS_CP15_TLB, wr_tlb, TLB_ALL),  OP(8, 0, 6, 1, TS_CP15_TLB, wr_tlb, TLB_MVA),
    OP(8, 0, 6, 2, TS_CP15_TLB, wr_tlb, TLB_ASID),
    OP(8, 0, 7, 0, TS_CP15_TLB, wr_tlb, TLB_ALL),  OP(8, 0, 7, 1, TS_CP15_TLB, wr_tlb, TLB_MVA),
    OP(8, 0, 7, 2, TS_CP15_TLB, wr_tlb, TLB_ASID), OP(8, 0, 7, 3, TS_CP15_TLB, wr_tlb, TLB_MVA_ALL_ASID),
    /* c9: performance monitors (B4.1.116 ff.): the cycle counter, PMCR.N = 0 */
    { 9, 0, 12, 0, R | W | U0, TS_CP15_WRITE, -1, 0, rd_pmcr, wr_pmcr, 0 },
    { 9, 0, 12, 1, R | W | U0, TS_CP15_WRITE, -1, 0, rd_pmcnten, wr_pmcnten, 1 },
    { 9, 0, 12, 2, R | W | U0, TS_CP15_WRITE, -1, 0, rd_pmcnten, wr_pmcnten, 0 },
    { 9, 0, 12, 3, R | W | U0, TS_CP15_WRITE, FIELD(pmovsr), 0, NULL, wr_field, 0 },
    { 9, 0, 12, 4, W | U0, TS_CP15_WRITE, -1, 0, NULL, wr_nop, 0 },          /* PMSWINC */
    { 9, 0, 12, 5, R | W | U0, TS_CP15_WRITE, FIELD(pmselr), 0x1F, NULL, wr_field, 0 }, /* PMSELR */
    { 9, 0, 12, 6, R | U0, TS_CP15_READ, -1, 0, rd_zero, NULL, 0 },          /* PMCEID0 */
    { 9, 0, 12, 7, R | U0, TS_CP15_READ, -1, 0, rd_zero, NULL, 0 },          /* PMCEID1 */
    { 9, 0, 13, 0, R | W | U0, TS_CP15_READ, -1, 0, rd_pmccntr, wr_pmccntr, 0 },
    /* PMXEVTYPER, PMXEVCNTR (B4.1.126/125): with PMCR.N = 0 no PMSELR.SEL
     * selects an event counter (UNPREDICTABLE: RAZ/WI here; SEL = 31, the
     * cycle counter's filter in PMUv2, counts everything: RAZ/WI too). */
    { 9, 0, 13, 1, R | W | U0, TS_CP15_WRITE, -1, 0, rd_zero, wr_nop, 0 },
    { 9, 0, 13, 2, R | W | U0, TS_CP15_WRITE, -1, 0, rd_zero, wr_nop, 0 },
    { 9, 0, 14, 0, R | W, TS_CP15_WRITE, FIELD(pmuserenr), 1, NULL, wr_field, 0 },
    { 9, 0, 14, 1, R | W, TS_CP15_WRITE, FIELD(pminten), 0, NULL, wr_pminten, 1 }, /* PMINTENSET */
    { 9, 0, 14, 2, R | W, TS_CP15_WRITE, FIELD(pminten), 0, NULL, wr_pminten, 0 }, /* PMINTENCLR */
    /* c10: memory remap */
    RW(10, 0, 2, 0, prrr, 0xFFFFFFFF), RW(10, 0, 2, 1, nmrr, 0xFFFFFFFF),
    /* c12: vector base (B4.1.156): bits [4:0] RES0 */
    RWF(12, 0, 0, 0, vbar, 0xFFFFFFE0, wr_vbar),
    { 12, 0, 1, 0, R, TS_CP15_READ, -1, 0, rd_zero, NULL, 0 },               /* ISR */
    /* c13: process, context and thread ID */
    RW(13, 0, 0, 0, fcseidr, 0),                        /* no FCSE in ARMv7 with MP: RAZ/WI */
    RWF(13, 0, 0, 1, contextidr, 0xFFFFFFFF, wr_mmu_select),
    { 13, 0, 0, 2, R | W, TS_CP15_WRITE, -1, 0, rd_tpidrurw, wr_tpidrurw, 0 },
    RWF(13, 0, 0, 3, tpidruro, 0xFFFFFFFF, wr_tpidruro),
    RW(13, 0, 0, 4, tpidrprw, 0xFFFFFFFF),
};

/*
 * Lookup by CRn: the table is grouped by CRn, so an index of where each
 * group starts (built once) leaves a scan of a few entries (a trap is hot).
 */
#define NREGS (sizeof(cp15_regs) / sizeof(cp15_regs[0]))
static uint8_t crn_first[17];
/* Entry + 1 of every {CRn, opc1, CRm, opc2} (14 bits), 0: none: a trap is
 * hot, so the lookup is one load. */
static uint8_t cp15_key[16 * 8 * 16 * 8];
#define CP15_KEY(crn, opc1, crm, opc2) ((crn) << 10 | (opc1) << 7 | (crm) << 3 | (opc2))
int cp15_srfa_index(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2);
static int8_t srfa_idx_of[NREGS];       /* SRFA CP15 word of each entry, or -1 */

static void cp15_index(void)
{
    unsigned k = 0;

    for (unsigned crn = 0; crn < 16; crn++) {
        crn_first[crn] = (uint8_t)k;
        while (k < NREGS && cp15_regs[k].crn == crn)
            k++;
    }
    crn_first[16] = (uint8_t)k;
    for (unsigned j = 0; j < NREGS; j++)
        cp15_key[CP15_KEY(cp15_regs[j].crn, cp15_regs[j].opc1, cp15_regs[j].crm,
                          cp15_regs[j].opc2)] = (uint8_t)(j + 1);
    for (unsigned j = 0; j < NREGS; j++)
        srfa_idx_of[j] = (int8_t)cp15_srfa_index(cp15_regs[j].crn, cp15_regs[j].opc1,
                                                 cp15_regs[j].crm, cp15_regs[j].opc2);
    /* The table must stay grouped by CRn (checked by the unit tests too). */
    if (k != NREGS)
        hv_panic("cp15_regs[] is not grouped by CRn (entry %u)", k);
}

static const struct cp15_reg *cp15_lookup(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2)
{
    unsigned k;

    if (!crn_first[16])
        cp15_index();
    if (crn > 15 || opc1 > 7 || crm > 15 || opc2 > 7)
        return NULL;
    k = cp15_key[CP15_KEY(crn, opc1, crm, opc2)];
    return k ? &cp15_regs[k - 1] : NULL;
}

/* ---- the SRFA's CP15 words (include/hv/pv-abi.h PV_SRFA_CP15_LIST) ----- */

/* What an MRC of the register returns at PL1 (0 if it is not in the table;
 * the unit tests check every SRFA register is). */
static uint32_t cp15_read_pl1(struct vcpu *v, unsigned crn, unsigned opc1, unsigned crm,
                              unsigned opc2)
{
    const struct cp15_reg *r = cp15_lookup(crn, opc1, crm, opc2);

    if (!r || !(r->flags & R))
        return 0;
    return r->rd ? r->rd(v, r) : *field_ptr(v, r);
}

/* Every CP15 word of the SRFA (after a reset; afterwards each word is
 * updated where the monitor changes its register: cp15_emulate(), aborts). */
void cp15_srfa_publish(struct vcpu *v, uint32_t *w)
{
#define X(name, idx, crn, o1, crm, o2) w[idx] = cp15_read_pl1(v, crn, o1, crm, o2);
    PV_SRFA_CP15_LIST(X)
#undef X
}

/* One CP15 word of the SRFA (index in PV_SRFA_CP15_LIST), as
 * cp15_srfa_publish() would store it; 0 for an index past the list. */
uint32_t cp15_srfa_word(struct vcpu *v, unsigned idx)
{
    switch (idx) {
#define X(name, i, crn, o1, crm, o2) case i: return cp15_read_pl1(v, crn, o1, crm, o2);
    PV_SRFA_CP15_LIST(X)
#undef X
    }
    return 0;
}

/* The SRFA word an MRC of {crn, opc1, crm, opc2} reads, or -1 (FIT patching). */
int cp15_srfa_index(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2)
{
#define X(name, idx, c, o1, m, o2) \
    if (crn == (c) && opc1 == (o1) && crm == (m) && opc2 == (o2)) return idx;
    PV_SRFA_CP15_LIST(X)
#undef X
    return -1;
}

/*
 * MRC p15 with condition AL (A8.8.108, encoding A1):
 *     1110 1110 opc1:3 1 CRn Rt 1111 opc2:3 1 CRm
 * Not a VFP instruction, so the lazy VFP switch has nothing to do with it;
 * CRn = 14 (generic timer) and Rt = PC take the full path.
 */
#define MRC_AL_MASK  0xFF100F10u
#define MRC_AL_BITS  0xEE100F10u

/*
 * The rarer parts of cp15_read_fast() are apart, each reached by a tail
 * call, so that the common case (a plain field, an instruction known not to
 * be patchable) saves no registers: FIT self-patching of the MRC `insn` at
 * `a` (SRFA CP15 word `idx`), a register with a reader function, the
 * lookup index not built yet.
 */
static bool __attribute__((noinline)) read_fast_patch(struct vcpu *v, uint32_t a, uint32_t insn,
                                                      int idx)
{
    struct cp_insn c = { .cond = 0xE, .coproc = 15, .read = true, .opc1 = (insn >> 21) & 7,
                         .crn = (insn >> 16) & 0xF, .crm = insn & 0xF, .opc2 = (insn >> 5) & 7,
                         .rt = (insn >> 12) & 0xF };

    fit_self_patch(v, a, &c, PV_FIT_LOAD(c.rt, PV_SRFA_CP15 / 4 + (unsigned)idx));
    return true;
}

static inline bool read_fast_done(struct vcpu *v, uint32_t insn, int k)
{
    uint32_t a = v->regs.pc - 4;

    if (FIT && srfa_idx_of[k] >= 0 && !fit_known_unpatchable(v, a))
        return read_fast_patch(v, a, insn, srfa_idx_of[k]);
    return true;
}

static bool __attribute__((noinline)) read_fast_rd(struct vcpu *v, uint32_t insn, int k)
{
    const struct cp15_reg *r = &cp15_regs[k];

    ((uint32_t *)&v->regs)[(insn >> 12) & 0xF] = r->rd(v, r);
    return read_fast_done(v, insn, k);
}

static bool __attribute__((noinline, cold)) read_fast_first(struct vcpu *v, uint32_t insn)
{
    cp15_index();
    return cp15_read_fast(v, insn);
}

bool cp15_read_fast(struct vcpu *v, uint32_t insn)
{
    uint32_t key;
    unsigned rt;
    const struct cp15_reg *r;
    int k;

    if ((insn & MRC_AL_MASK) != MRC_AL_BITS)
        return false;
    rt = (insn >> 12) & 0xF;
    /* CP15_KEY(CRn, opc1, CRm, opc2) straight from the encoding */
    key = ((insn >> 6) & 0x3C00) | ((insn >> 14) & 0x380) | ((insn & 0xF) << 3) | ((insn >> 5) & 7);
    if (rt == 15 || (key >> 10) == 14)
        return false;
    if (__builtin_expect(!crn_first[16], 0))
        return read_fast_first(v, insn);
    k = cp15_key[key] - 1;
    if (k < 0)
        return false;
    r = &cp15_regs[k];
    if (!(r->flags & R) || (!vmode_privileged(v) && !((r->flags & U0) && (v->cp15.pmuserenr & 1))))
        return false;                   /* the UNDEF the full path injects */
    v->stats[TS_CP15_READ]++;
    if (r->rd)
        return read_fast_rd(v, insn, k);
    /* vcpu_set_reg(): r0-r12, SP, LR are the frame's first 15 words */
    _Static_assert(offsetof(struct arm_regs, sp) == 13 * 4 &&
                   offsetof(struct arm_regs, lr) == 14 * 4, "frame layout");
    ((uint32_t *)&v->regs)[rt] = *field_ptr(v, r);
    return read_fast_done(v, insn, k);
}

/*
 * CP14 opc1 = 7: the Jazelle registers of the trivial Jazelle extension
 * (ARM ARM A2.10, B1.15: JIDR, JOSCR, JMCR; CRm = 0, opc2 = 0), which
 * ARMv7-A requires and ID_PFR0.State2 advertises where the CPU says so:
 * read-as-zero, writes ignored, at PL1 (BXJ runs natively: with JMCR.JE = 0
 * as the monitor's host state it is BX).  Anything else in CP14 (debug) is
 * not advertised (idregs.c) and UNDEFINED.
 */
int cp14_emulate(struct vcpu *v, const struct cp_insn *i, uint32_t a)
{
    if (i->two_regs || i->opc1 != 7 || i->crn > 2 || i->crm || i->opc2 || i->rt == 15 ||
        !((vid_read(ID_PFR0) >> 8) & 0xF) || !vmode_privileged(v))
        return EMU_UNDEF;
    v->stats[i->read ? TS_CP15_READ : TS_CP15_WRITE]++;
    if (i->read)
        vcpu_set_reg(v, i->rt, 0);
    return EMU_DONE;
}

/*
 * MCR p15 with condition AL (A8.8.99, encoding A1):
 *     1110 1110 opc1:3 0 CRn Rt 1111 opc2:3 1 CRm
 */
#define MCR_AL_MASK  0xFF100F10u
#define MCR_AL_BITS  0xEE000F10u

bool cp15_write_fast(struct vcpu *v, uint32_t insn)
{
    struct cp_insn c = { .cond = 0xE, .coproc = 15, .read = false, .opc1 = (insn >> 21) & 7,
                         .crn = (insn >> 16) & 0xF, .crm = insn & 0xF, .opc2 = (insn >> 5) & 7,
                         .rt = (insn >> 12) & 0xF };
    const struct cp15_reg *r;

    if (!FAST_CP15 || (insn & MCR_AL_MASK) != MCR_AL_BITS || c.rt == 15 || c.crn == 14)
        return false;
    r = cp15_lookup(c.crn, c.opc1, c.crm, c.opc2);
    if (!r || !(r->flags & W) || (!vmode_privileged(v) && !((r->flags & U0) && (v->cp15.pmuserenr & 1))))
        return false;                   /* the UNDEF the full path injects */
    if (cp15_emulate(v, &c, v->regs.pc - 4) == EMU_UNDEF)
        vcpu_inject_undef(v, v->regs.pc - 4, false);
    return true;
}

int cp15_emulate(struct vcpu *v, const struct cp_insn *i, uint32_t a)
{
    const struct cp15_reg *r = NULL;
    uint32_t val;

    if ((i->two_regs && i->crm == 14) || (!i->two_regs && i->crn == 14))
        return vtimer_cp15(v, i, a);    /* generic timer (core/virq.c) */
    if (i->two_regs || i->rt == 15)
        return EMU_UNDEF;               /* no 64-bit CP15 registers without LPAE */
    r = cp15_lookup(i->crn, i->opc1, i->crm, i->opc2);
    if (!r || !(r->flags & (i->read ? R : W)))
        return EMU_UNDEF;
    if (!vmode_privileged(v) && !((r->flags & U0) && (v->cp15.pmuserenr & 1)))
        return EMU_UNDEF;               /* a PL0 access to a PL1 register */

    v->stats[i->read ? TS_CP15_READ : r->stat]++;
    if (i->read) {
        val = r->rd ? r->rd(v, r) : *field_ptr(v, r);
        vcpu_set_reg(v, i->rt, val);
        if (FIT && srfa_idx_of[r - cp15_regs] >= 0)
            fit_self_patch(v, a, i, PV_FIT_LOAD(i->rt, PV_SRFA_CP15 / 4 + srfa_idx_of[r - cp15_regs]));
        return EMU_DONE;
    }
    fit_forget(v);                      /* mappings may have changed */
    int res = r->wr(v, r, vcpu_reg(v, i->rt, a));
    if (v->srfa) {                      /* the SRFA follows what it changed */
        int k = srfa_idx_of[r - cp15_regs];
        if (k >= 0)
            srfa_set_cp15(v, (unsigned)k, r->rd ? r->rd(v, r) : *field_ptr(v, r));
        if (k == SRFA_CP15_CSSELR)
            srfa_set_cp15(v, SRFA_CP15_CCSIDR, rd_ccsidr(v, NULL));
        if (r->wr == wr_ats)
            srfa_set_cp15(v, SRFA_CP15_PAR, v->cp15.par);
    }
    if (FIT && r->wr == wr_cache_va && res == EMU_DONE) {
        int op = fit_cache_op_of(i->crm, i->opc2);
        if (op >= 0)
            fit_self_patch(v, a, i, PV_FIT_CACHE(i->rt, op));
    }
    return res;
}
