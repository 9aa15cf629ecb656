/*
 * Shadow page tables.
 *
 * The real MMU only ever walks tables built here.  A shadow space is one
 * 16 KiB L1 table (plus 1 KiB L2 tables from a bounded pool) with its own
 * real ASID; every guest caches up to g->spaces of them (its VM file's
 * spaces=N), keyed by (guest TTBR0, guest ASID) with LRU eviction, the flat
 * space used while the guest's MMU is off being one of them.
 *
 * Memory (issue 15 item 2).  Nothing a guest does makes the monitor
 * allocate: each guest's L1 tables (one per space) are reserved when it is
 * loaded (a guest that does not fit is not started, with a message saying
 * what it needs), and it may hold at most its quota of the pool's L2
 * tables, the pool divided among the VM's guests in proportion to their
 * spaces; at its quota it evicts its own least recently used space, never
 * another guest's.
 *
 * ASIDs (issue 16).  A space gets a real ASID when it becomes current
 * without one and keeps it while the VM's spaces fit in the 255 ASIDs;
 * beyond, the least recently used space of any guest that is not current
 * gives its ASID up (the TLB entries and branch predictions tagged with it
 * are dropped first, arch_asid_recycle()) and gets another one when it is
 * current again: its tables are kept, only the TLB has to refill.
 *
 * Spaces start empty and are filled on
 * demand: a guest access that faults in the shadow walks the guest's own
 * tables (mm/walk.c) and either injects the guest's fault or fills the
 * entry and retries.
 *
 * Privilege.  The CPU always runs the guest in User mode, so a shadow entry
 * can only express one set of PL0 permissions.  Domains supply the second:
 *   D0  the monitor window (PL1-only entries; client always)
 *   D1  guest-kernel-only mappings: client in virtual kernel mode, NO ACCESS
 *       in virtual user mode
 *   D3  mappings whose guest permissions are the same at PL1 and PL0
 *   D2  an L2-backed MiB in view UX (below): client in virtual user mode,
 *       NO ACCESS in virtual kernel mode
 * so a virtual mode switch is a single DACR write (DACR_GUEST_KERNEL /
 * DACR_GUEST_USER).  Sections are always single-class.  An L2-backed MiB
 * whose pages mix classes is kept in one "view" at a time: K (domain D1,
 * pages carry the guest's PL1 rights) or U (domain D3, pages carry the PL0
 * rights).  Each view only ever grants a subset of what the guest allows in
 * the other mode, so a wrong view can only cause a fault, never an access
 * the guest forbids; such a fault switches the MiB to the other view.
 *
 * PXN (B3.7.2) makes execute rights differ by mode too: a page the guest
 * lets PL0 execute but not PL1 ("PXN code", Linux's user text) is mapped XN
 * in every view but UX, a variant of U in domain D2 that only virtual user
 * mode can reach.  A user fetch from PXN code turns a U MiB into UX (its
 * entries stay valid: UX grants a superset); any kernel access to a UX MiB
 * faults on the domain and turns it back into U with every entry made XN,
 * so the kernel never runs with a PXN page executable.
 *
 * Every shadow mapping of guest RAM is Normal write-back memory, non-global
 * (tagged with the space's ASID), whatever the guest asked for: its
 * emulated devices are never mapped (every access traps).  The one
 * exception is a host device assigned to the guest (assign=, struct
 * guest.assign_pa/size): its pages, and no others outside guest RAM, are
 * mapped at IPA == PA as Device memory, XN, in 4 KiB pages only
 * (docs/memory-map.md, docs/devices.md).
 *
 * Coherence (per guest): (a) COH_TLB: the guest's TLB maintenance
 * invalidates shadow entries; (b) COH_WP: every guest page that holds a
 * descriptor a shadow entry was built from is write-protected in all spaces
 * (tracked); the first write to it drops every entry derived from it and
 * unprotects it, and it is protected again when a walk next reads it.
 * Invariant: a shadow entry derived from a guest table page exists only
 * while that page is tracked and mapped read-only everywhere.
 */
#include "shadow.h"
#include "mm.h"
#include <arch/arch.h>
#include <arch/memmap.h>
#include <arch/mmu-defs.h>
#include "../core/guest.h"
#include "../core/hv.h"
#include "../core/string.h"
#include "../core/idregs.h"

#define L2_NONE         0xFFFF
#define GL2_NONE        0xFFFFFFFFu

/* Page/MiB flags of guest RAM (coherence mode b). */
#define PG_TRACKED      1       /* holds guest descriptors shadow entries use */
#define PG_WMAPPED      2       /* may be mapped writable by some shadow entry */
#define PG_UEXEC        4       /* may be executable from virtual User mode by some entry */
#define PG_PATCHED      8       /* holds an instruction the monitor patched (core/fit.c) */
#define PG_L1TABLE      16      /* in the 16 KiB at a cached space's TTBR0: maybe its L1
                                   table (a filter: only these pages need a look at
                                   every space when written) */
#define MB_WMAPPED      1       /* a writable shadow section maps this MiB */
#define MB_UEXEC        2       /* a User-executable shadow section maps this MiB */
#define MB_HADTABLES    4       /* held a tracked page since the last flush:
                                   no sections (LAZY_WP would flip it) */

/*
 * Self-patched instructions (core/fit.c), per guest: where, what was
 * there, what the monitor put.  A patched instruction is an SVC that in
 * virtual User mode would be a system call instead of the UNDEF the
 * original gives, so it may only exist in pages no shadow entry lets
 * virtual User mode execute: a fill about to grant that first puts the
 * originals back (when the guest has not replaced them meanwhile).
 */
#define SHADOW_PATCHES  128
struct patch_rec { uint32_t ipa, orig, rep; };
static struct patch_rec patches[MAX_GUESTS][SHADOW_PATCHES];
static unsigned npatches[MAX_GUESTS];
static bool unpatched_table[MAX_GUESTS];   /* a restore rewrote a tracked table page */

enum view { VIEW_NEUTRAL, VIEW_K, VIEW_U, VIEW_UX };

struct shadow_space {
    struct guest *g;
    bool used;
    bool flat;                  /* guest MMU off: VA = IPA */
    uint32_t key_ttbr0;
    uint8_t key_asid;
    uint8_t asid;               /* real ASID; 0: none now (asid_assign()) */
    uint32_t *l1;
    uint32_t l1_pa;
    uint64_t l1_dirty;          /* chunks of 64 l1[] entries that may hold guest entries
                                   (a flush or a reuse clears only these) */
    uint64_t stamp;
    uint16_t l2_head;
    uint32_t super[8];          /* 16 MiB groups filled from guest supersections */
    bool inherit;               /* L1 entries were dropped: SPACE_INHERIT when next current */
};

/* Each guest's spaces, reserved by shadow_guest_init(). */
static struct shadow_space *spaces_of[MAX_GUESTS];
static unsigned nspaces[MAX_GUESTS];
static unsigned nspaces_reserved[MAX_GUESTS];   /* kept for a guest set up again */
#define FOR_EACH_SPACE(g, s) \
    for (struct shadow_space *s = spaces_of[(g)->id]; s < spaces_of[(g)->id] + nspaces[(g)->id]; s++)
static struct shadow_space *active;     /* the one TTBR0 points at */
/* Which space each real ASID names (NULL: free, nothing in the TLB). */
static struct shadow_space *asid_owner[ARCH_ASID_MAX + 1];
static uint64_t lru_clock;

/* The L2 pool and what each table belongs to. */
static uint32_t (*l2_pool)[256];
static uint16_t l2_next[SHADOW_L2_TABLES];
static struct shadow_space *l2_owner[SHADOW_L2_TABLES];
static uint16_t l2_l1idx[SHADOW_L2_TABLES];
static uint32_t l2_gl2[SHADOW_L2_TABLES];      /* guest L2 table it derives from */
static uint8_t l2_view[SHADOW_L2_TABLES];
static uint16_t l2_large[SHADOW_L2_TABLES];    /* 64 KiB groups from guest large pages */
static uint16_t l2_free = L2_NONE;
static unsigned l2_used[MAX_GUESTS];            /* L2 tables each guest holds */
/* An instruction's accesses (page-crossing fetch and data) need a few L2
 * tables: every guest's quota is at least this many. */
#define L2_QUOTA_MIN    8
_Static_assert(SHADOW_L2_TABLES >= L2_QUOTA_MIN * MAX_GUESTS, "the L2 pool is too small");
static unsigned vm_guests = 1, vm_spaces;       /* shadow_init(); 0: one guest, all of it */
static unsigned l2_quota[MAX_GUESTS];           /* l2_quota_set() */
/*
 * Reverse index: the shadow L2 tables built from each guest L2 table, hashed
 * by the guest table's IPA (1 KiB units), so that a write to a guest table
 * (coherence mode b: every trapped page-table store) finds what it
 * invalidates without scanning every shadow L2 table of every space.
 */
#define GL2_HASH_BITS   8
static uint16_t gl2_hash[1u << GL2_HASH_BITS];
static uint16_t gl2_next[SHADOW_L2_TABLES];
/* The per-space list of L2 tables is doubly linked: dropping one is O(1). */
static uint16_t l2_prev[SHADOW_L2_TABLES];

/* ------------------------------------------------------------------------ */

static void count(struct guest *g, enum trap_class c)
{
    g->vcpu.stats[c]++;
}

/* Anything that can legitimately make the same access fault again. */
static void progress_reset(struct guest *g)
{
    g->mm.fault_repeat = 0;
}

static bool is_current(const struct shadow_space *s)
{
    return s->g->mm.cur == s;
}

static void clean(const void *p, size_t len)
{
    arch_dcache_clean_range(p, len);
}

static uint16_t l2_index_of(uint32_t l1desc)
{
    uint32_t pa = l1desc & ~0x3FFu;
    return (uint16_t)(((uintptr_t)arch_phys_to_virt(pa) - (uintptr_t)l2_pool) / 1024);
}

static unsigned gl2_bucket(uint32_t gl2)
{
    return ((gl2 >> 10) ^ (gl2 >> (10 + GL2_HASH_BITS))) & ((1u << GL2_HASH_BITS) - 1);
}

static void gl2_index_add(uint16_t k)
{
    uint16_t *head = &gl2_hash[gl2_bucket(l2_gl2[k])];

    gl2_next[k] = *head;
    *head = k;
}

static void gl2_index_del(uint16_t k)
{
    uint16_t *pp = &gl2_hash[gl2_bucket(l2_gl2[k])];

    while (*pp != L2_NONE && *pp != k)
        pp = &gl2_next[*pp];
    if (*pp == k)
        *pp = gl2_next[k];
}

/* An L2 table goes back to the pool (its space has already unlinked it). */
static void l2_release(uint16_t k)
{
    if (l2_gl2[k] != GL2_NONE)
        gl2_index_del(k);
    l2_used[l2_owner[k]->g->id]--;
    l2_owner[k] = NULL;
    l2_next[k] = l2_free;
    l2_free = k;
}

static void l2_unlink(struct shadow_space *s, uint16_t k)
{
    uint16_t n = l2_next[k], p = l2_prev[k];

    if (p == L2_NONE)
        s->l2_head = n;
    else
        l2_next[p] = n;
    if (n != L2_NONE)
        l2_prev[n] = p;
}

/* A guest's share of the L2 pool: the minimum, and of the rest the part
 * its spaces are of all the VM's (the quotas add up to at most the pool).
 * Worked out here, not on the shadow-fill path (a division). */
static void l2_quota_set(unsigned id)
{
    unsigned spaces = nspaces[id];

    if (!vm_spaces || spaces > vm_spaces)
        l2_quota[id] = SHADOW_L2_TABLES;
    else
        l2_quota[id] = L2_QUOTA_MIN +
                       (SHADOW_L2_TABLES - L2_QUOTA_MIN * vm_guests) * spaces / vm_spaces;
}

void shadow_init(unsigned nguests, unsigned spaces)
{
    vm_guests = nguests ? nguests : 1;
    vm_spaces = spaces;
    for (unsigned id = 0; id < MAX_GUESTS; id++)
        l2_quota_set(id);
}

/* TLB maintenance for a space's entries: none if it has no ASID now. */
static void space_tlb_flush(const struct shadow_space *s)
{
    if (s->asid)
        arch_tlb_flush_asid(s->asid);
}

static void space_tlb_flush_va(const struct shadow_space *s, uint32_t va)
{
    if (s->asid)
        arch_tlb_flush_va(va, s->asid);
}

/*
 * Give a space that is about to become current a real ASID: a free one,
 * else the one of the least recently used space (any guest's) that is not
 * the one the MMU uses now, whose entries leave the TLB first.
 */
static void asid_assign(struct shadow_space *s)
{
    struct shadow_space *victim = NULL;
    unsigned a;

    for (a = 1; a <= ARCH_ASID_MAX; a++) {
        struct shadow_space *o = asid_owner[a];
        if (!o)
            break;
        if (o != active && (!victim || o->stamp < victim->stamp))
            victim = o;
    }
    if (a > ARCH_ASID_MAX) {
        a = victim->asid;
        victim->asid = 0;
        arch_asid_recycle((uint8_t)a);
        count(s->g, TS_SHADOW_ASID);
    }
    asid_owner[a] = s;
    s->asid = (uint8_t)a;
}

static int pool_init(void)
{
    if (l2_pool)
        return 0;
    for (unsigned b = 0; b < (1u << GL2_HASH_BITS); b++)
        gl2_hash[b] = L2_NONE;
    l2_pool = pool_alloc(SHADOW_L2_TABLES * 1024, 1024);
    if (!l2_pool)
        return -1;
    for (unsigned i = 0; i < SHADOW_L2_TABLES; i++)
        l2_next[i] = i + 1 < SHADOW_L2_TABLES ? i + 1 : L2_NONE;
    l2_free = 0;
    return 0;
}

#define L1_CHUNK        64      /* l1[] entries per bit of l1_dirty */

/* Drop every entry of a space (window excepted); its L2s go back to the pool. */
static void space_clear(struct shadow_space *s)
{
    for (uint16_t k = s->l2_head; k != L2_NONE;) {
        uint16_t n = l2_next[k];
        l2_release(k);
        k = n;
    }
    s->l2_head = L2_NONE;
    if (s->g)
        s->g->mm.gen++;
    memset(s->super, 0, sizeof(s->super));
    for (uint64_t m = s->l1_dirty; m; m &= m - 1) {
        unsigned first = (unsigned)__builtin_ctzll(m) * L1_CHUNK;
        for (unsigned i = first; i < first + L1_CHUNK; i++)
            if (i < HV_WINDOW_L1_FIRST || i >= HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT)
                s->l1[i] = 0;
        clean(&s->l1[first], L1_CHUNK * 4);
    }
    s->l1_dirty = 0;
    space_tlb_flush(s);
}

/* Set entry idx (outside the window) of a space's L1 table, for the walker. */
static void l1_write(struct shadow_space *s, unsigned idx, uint32_t d)
{
    s->l1[idx] = d;
    s->l1_dirty |= 1ull << (idx / L1_CHUNK);
    clean(&s->l1[idx], 4);
}

/* Drop one L1 slot of a space (and its L2 table). */
static void space_drop_l1(struct shadow_space *s, unsigned idx, bool flush)
{
    uint32_t d = s->l1[idx];

    if ((d & 3) == L1_TYPE_TABLE) {
        uint16_t k = l2_index_of(d);
        l2_unlink(s, k);
        l2_release(k);
    }
    if (d) {
        s->l1[idx] = 0;
        clean(&s->l1[idx], 4);
        if (flush)
            space_tlb_flush(s);
    }
}

/* The guest of `keep` is at its L2 quota: evict its least recently used
 * space holding L2 tables (the current one only if no other holds any).
 * Its quota is reserved in the pool, so another guest's never goes. */
static void evict_some_l2(struct shadow_space *keep)
{
    struct shadow_space *victim = NULL;

    FOR_EACH_SPACE(keep->g, s) {
        if (s->used && s->l2_head != L2_NONE && s != keep &&
            (!victim || s->stamp < victim->stamp))
            victim = s;
    }
    if (!victim)
        victim = keep;
    count(victim->g, TS_SHADOW_EVICT);
    progress_reset(victim->g);  /* its next faults repeat ones repaired before */
    space_clear(victim);
}

/* A new L2 table of space s for L1 slot idx: empty, or a copy of `from`. */
static uint16_t l2_alloc(struct shadow_space *s, unsigned idx, uint32_t gl2, enum view view,
                         const uint32_t *from)
{
    uint16_t k;

    if (l2_used[s->g->id] >= l2_quota[s->g->id] || l2_free == L2_NONE)
        evict_some_l2(s);
    k = l2_free;
    l2_free = l2_next[k];
    l2_used[s->g->id]++;
    if (!from)
        memset(l2_pool[k], 0, 1024);
    else
        memcpy(l2_pool[k], from, 1024);
    l2_owner[k] = s;
    l2_l1idx[k] = idx;
    l2_gl2[k] = gl2;
    l2_view[k] = view;
    l2_large[k] = 0;
    l2_prev[k] = L2_NONE;
    l2_next[k] = s->l2_head;
    if (s->l2_head != L2_NONE)
        l2_prev[s->l2_head] = k;
    s->l2_head = k;
    if (gl2 != GL2_NONE)
        gl2_index_add(k);
    return k;
}

/* ---- spaces ---------------------------------------------------------- */

/* A new L1 table for a space: the monitor's window copied in. */
static uint32_t *l1_alloc(struct guest *g)
{
    uint32_t *l1 = pool_alloc(SZ_16K, SZ_16K);

    if (!l1)
        return NULL;
    memcpy(&l1[HV_WINDOW_L1_FIRST], arch_monitor_l1(), HV_WINDOW_MON_L1_COUNT * 4);
    l1[HV_GUESTVIS_L1] = g->mm.guestvis_l1desc;    /* its SRFA, if any */
    clean(&l1[HV_WINDOW_L1_FIRST], HV_WINDOW_L1_COUNT * 4);
    return l1;
}

/*
 * Everything the guest's shadow paging will ever use is taken from the
 * monitor's pool here, at load: the L2 pool (first guest), the page flags
 * and its g->spaces spaces with their L1 tables.  A guest that does not fit
 * is refused (-1) with a message saying what it needs.
 */
int shadow_guest_init(struct guest *g)
{
    unsigned pages = g->ram_size >> 12, mibs = g->ram_size >> 20, n = g->spaces;
    size_t before = pool_free_bytes();
    bool reuse = spaces_of[g->id] && nspaces_reserved[g->id] >= n;  /* set up again */
    /* upper bound: alignment of the 16 KiB L1 tables and the arrays included */
    bool wp = g->mm.coh == COH_WP;
    size_t need = (l2_pool ? 0 : SHADOW_L2_TABLES * 1024 + 1024) +
                  (size_t)pages * (SHADOW_BYTES_PER_PAGE + (wp ? SHADOW_BYTES_PER_PAGE_WP : 0)) +
                  (size_t)mibs * SHADOW_BYTES_PER_MIB + 5 * 4 +
                  (reuse ? 0 : n * sizeof(struct shadow_space) + 8 + (n + 1) * SZ_16K);
    bool ok;

    if (n < 1 || n > SHADOW_SPACES_MAX) {
        hv_printf("monitor: guest %d (%s): spaces=%u: the shadow spaces cached per guest are "
                  "1 to %u\n", g->id, g->name, n, SHADOW_SPACES_MAX);
        return -1;
    }
    /* The per-page and per-MiB records (SHADOW_BYTES_PER_PAGE, _PER_MIB);
     * where a page is mapped writable only matters when table pages are
     * write-protected (coherence=wp: revoke_writable()), so only those
     * guests pay 4 bytes a page more for it (512 KiB for 512 MiB). */
    g->mm.page_wva = NULL;
    ok = !pool_init() && (g->mm.page_flags = pool_alloc(pages, 4)) != NULL &&
         (!wp || (g->mm.page_wva = pool_alloc(pages * 4, 4)) != NULL) &&
         (g->mm.mb_flags = pool_alloc(mibs, 4)) != NULL &&
         (g->mm.mb_tracked = pool_alloc(mibs * 2, 4)) != NULL &&
         (g->mm.mb_wsect = pool_alloc(mibs * 2, 4)) != NULL;
    if (ok && !reuse) {
        ok = (spaces_of[g->id] = pool_alloc(n * sizeof(struct shadow_space), 8)) != NULL;
        nspaces_reserved[g->id] = ok ? n : 0;
    }
    nspaces[g->id] = ok ? n : 0;
    FOR_EACH_SPACE(g, s) {
        if (!ok)
            break;
        s->g = g;
        s->l2_head = L2_NONE;
        ok = s->l1 || (s->l1 = l1_alloc(g)) != NULL;
        if (ok)
            s->l1_pa = arch_virt_to_phys(s->l1);
    }
    if (!ok) {
        nspaces[g->id] = 0;
        /* (one line: the console prints at most 255 characters at once) */
        hv_printf("monitor: guest %d (%s): its shadow page tables need up to %u KiB of the "
                  "monitor's memory (spaces=%u, page flags%s), %u KiB were left: give the VM "
                  "fewer or smaller guests or images, or fewer spaces=\n", g->id, g->name,
                  (unsigned)(need / 1024), n,
                  before >= SHADOW_L2_TABLES * 1024 || l2_pool ? "" : ", L2 pool",
                  (unsigned)(before / 1024));
        return -1;
    }
    l2_quota_set(g->id);
    return 0;
}

static void space_inherit(struct guest *g, struct shadow_space *s);

/*
 * PG_L1TABLE on the pages of the 16 KiB at space s's TTBR0 (a superset of
 * its L1 table, whatever TTBCR.N), or off again unless another cached space
 * has its table there too.  With dozens of cached spaces, a store into a
 * guest table would otherwise look at every one of them.
 */
static void l1_pages_mark(struct guest *g, const struct shadow_space *s, bool on)
{
    uint32_t t0 = s->key_ttbr0 & ~(SZ_16K - 1);

    if (!g->mm.page_flags || s->flat)
        return;
    if (!on)
        FOR_EACH_SPACE(g, c)
            if (c != s && c->used && !c->flat && (c->key_ttbr0 & ~(SZ_16K - 1)) == t0)
                return;
    for (uint32_t i = 0; i < SZ_16K / 0x1000; i++) {
        uint32_t a = t0 + i * 0x1000;
        if (a - g->ram_ipa >= g->ram_size)
            continue;
        if (on)
            g->mm.page_flags[(a - g->ram_ipa) >> 12] |= PG_L1TABLE;
        else
            g->mm.page_flags[(a - g->ram_ipa) >> 12] &= ~PG_L1TABLE;
    }
}

static struct shadow_space *space_get(struct guest *g, bool flat, uint32_t ttbr0, uint8_t asid)
{
    struct shadow_space *victim = NULL;

    /* In coherence mode (b) a space is keyed by TTBR0 alone: its entries
     * are always exactly what a walk of the guest's current tables gives
     * (the guest's TLB maintenance is ignored), whatever the ASID, so the
     * two halves of a context switch (CONTEXTIDR, then TTBR0, or the other
     * way round: B3.10.4) need no space of their own for the state in
     * between.  In mode (a) an ASID's entries may legitimately be stale
     * until the guest invalidates them, so the ASID is part of the key. */
    bool any_asid = g->mm.coh == COH_WP;

    FOR_EACH_SPACE(g, c)
        if (c->used && c->flat == flat &&
            (flat || (c->key_ttbr0 == ttbr0 && (any_asid || c->key_asid == asid))))
            return c;
    FOR_EACH_SPACE(g, c) {
        if (!c->used) {
            victim = c;
            break;
        }
        if (!is_current(c) && (!victim || c->stamp < victim->stamp))
            victim = c;
    }
    if (!victim)
        victim = g->mm.cur;     /* spaces=1: the current one is the only one */
    /* Its L1 table was reserved by shadow_guest_init(). */
    if (victim->used) {
        count(g, TS_SHADOW_EVICT);
        progress_reset(g);
        l1_pages_mark(g, victim, false);
    }
    space_clear(victim);
    victim->used = true;
    victim->flat = flat;
    victim->key_ttbr0 = ttbr0;
    victim->key_asid = asid;
    l1_pages_mark(g, victim, true);
    if (SPACE_INHERIT && !flat && g->mm.coh == COH_WP && g->mm.page_flags)
        space_inherit(g, victim);
    return victim;
}

void shadow_mmu_regs(const struct vcpu *v, struct mmu_regs *m)
{
    m->sctlr = v->cp15.sctlr;
    m->ttbr0 = v->cp15.ttbr0;
    m->ttbr1 = v->cp15.ttbr1;
    m->ttbcr = v->cp15.ttbcr;
    m->dacr = v->cp15.dacr;
    m->pxn = vid_has_pxn();
}

void shadow_privilege_changed(struct vcpu *v)
{
    arch_set_dacr(vmode_privileged(v) ? DACR_GUEST_KERNEL : DACR_GUEST_USER);
}

void shadow_activate(struct vcpu *v)
{
    struct guest *g = v->guest;
    bool flat = !(v->cp15.sctlr & SCTLR_M);
    struct shadow_space *s = space_get(g, flat, v->cp15.ttbr0 & ~0x7Fu, v->cp15.contextidr & 0xFF);

    /* A space whose L1 entries a store into its table dropped (a Linux
     * pgd reused for a new process: its kernel half is rewritten) gets
     * them back from the space in use now, where they are the same. */
    if (SPACE_INHERIT && s->inherit && g->mm.cur != s && g->mm.coh == COH_WP && !flat)
        space_inherit(g, s);
    s->inherit = false;
    s->stamp = ++lru_clock;
    if (g->mm.cur != s)
        progress_reset(g);
    g->mm.cur = s;
    if (!s->asid)
        asid_assign(s);         /* (the ASID of `active` is never taken) */
    if (active != s) {
        active = s;
        arch_switch_mm(s->l1_pa, s->asid);
    }
    shadow_privilege_changed(v);
}

void shadow_flush_guest(struct guest *g)
{
    progress_reset(g);
    g->mm.gen++;
    FOR_EACH_SPACE(g, s) {
        if (s->used) {
            space_clear(s);
            if (!is_current(s))
                s->used = false;
        }
    }
    /* No shadow entry is left, so nothing maps a page writable any more.
     * Table pages stay tracked (write-protected, writes emulated): tracking
     * with nothing derived costs only those writes, while forgetting it
     * made every walk through another process's tables re-track a page of
     * a MiB the kernel's linear map had made writable again, and flush
     * everything again (two processes taking turns flushed each other's
     * shadows at every switch). */
    if (g->mm.page_flags) {
        for (uint32_t p = 0; p < g->ram_size >> 12; p++)
            g->mm.page_flags[p] &= PG_TRACKED | PG_PATCHED;
        memset(g->mm.mb_flags, 0, g->ram_size >> 20);
        if (g->mm.page_wva)
            memset(g->mm.page_wva, 0, (g->ram_size >> 12) * 4);
        memset(g->mm.mb_wsect, 0, (g->ram_size >> 20) * sizeof(*g->mm.mb_wsect));
        if (g->mm.cur && g->mm.cur->used)
            l1_pages_mark(g, g->mm.cur, true);     /* the one space still keyed */
    }
    count(g, TS_SHADOW_FLUSH);
}

/* A guest restarted from its image: no shadow entry, and no page is a table. */
void shadow_guest_reset(struct guest *g)
{
    npatches[g->id] = 0;                /* the image is loaded again */
    shadow_flush_guest(g);
    if (g->mm.page_flags) {
        memset(g->mm.page_flags, 0, g->ram_size >> 12);
        memset(g->mm.mb_tracked, 0, (g->ram_size >> 20) * sizeof(*g->mm.mb_tracked));
        if (g->mm.cur && g->mm.cur->used)
            l1_pages_mark(g, g->mm.cur, true);
    }
}

/* ---- guest memory callbacks -------------------------------------------- */

bool shadow_read_ipa(void *ctx, uint32_t ipa, uint32_t *val)
{
    struct guest *g = ctx;
    uint32_t pa;

    if ((ipa & 3) || !guest_ipa_to_pa(g, ipa, &pa))
        return false;
    *val = *(volatile uint32_t *)arch_physmap(1, pa);
    return true;
}

/* ---- coherence mode (b): tracking guest table pages ---------------------- */

static void drop_derived(struct guest *g, uint32_t page_ipa);

static uint32_t ram_page(const struct guest *g, uint32_t ipa)
{
    return (ipa - g->ram_ipa) >> 12;
}

/* ---- self-patched instructions (core/fit.c) ------------------------------ */

/* Put back the original of every patched instruction in [lo, lo + len)
 * that still holds the monitor's word. */
static void unpatch_range(struct guest *g, uint32_t lo, uint32_t len)
{
    struct patch_rec *r = patches[g->id];
    uint32_t pa;

    for (unsigned k = npatches[g->id]; k-- > 0;) {
        if (r[k].ipa - lo >= len)
            continue;
        if (guest_ipa_to_pa(g, r[k].ipa, &pa)) {
            volatile uint32_t *w = arch_physmap(1, pa);
            if (*w == r[k].rep) {
                *w = r[k].orig;
                arch_sync_code_pa(pa, 4);
                /* (called from fill(): dropping what was derived from a
                 * table page here could pull the table being filled away;
                 * shadow_fault() flushes once the fill is done) */
                if (g->mm.page_flags[ram_page(g, r[k].ipa)] & PG_TRACKED)
                    unpatched_table[g->id] = true;
            }
        }
        r[k] = r[--npatches[g->id]];
    }
    for (uint32_t a = lo & ~0xFFFu; a < lo + len; a += 0x1000)
        g->mm.page_flags[ram_page(g, a)] &= ~PG_PATCHED;
}

/* A shadow entry is about to let virtual User mode execute guest RAM at
 * [ipa, ipa + len): no patched instruction may stay there. */
static void user_exec_granted(struct guest *g, uint32_t ipa, uint32_t len)
{
    bool any = false;

    if (len == SZ_1M) {
        g->mm.mb_flags[ram_page(g, ipa) >> 8] |= MB_UEXEC;
        if (npatches[g->id])
            for (uint32_t p = ram_page(g, ipa); p < ram_page(g, ipa) + 256; p++)
                any |= g->mm.page_flags[p] & PG_PATCHED;
    } else {
        g->mm.page_flags[ram_page(g, ipa)] |= PG_UEXEC;
        any = g->mm.page_flags[ram_page(g, ipa)] & PG_PATCHED;
    }
    if (any)
        unpatch_range(g, ipa, len);
}

/* The PA the real MMU maps `va` to in shadow space `s` (shadow entries are
 * sections and small pages only). */
static bool space_pa(const struct shadow_space *s, uint32_t va, uint32_t *pa)
{
    uint32_t d = s->l1[va >> 20], e;

    if ((d & 3) == L1_TYPE_SECT) {
        *pa = (d & 0xFFF00000u) | (va & 0xFFFFFu);
        return true;
    }
    if ((d & 3) != L1_TYPE_TABLE)
        return false;
    e = l2_pool[l2_index_of(d)][(va >> 12) & 0xFF];
    if (!(e & 2))
        return false;
    *pa = (e & 0xFFFFF000u) | (va & 0xFFFu);
    return true;
}

bool shadow_patch_allowed(struct vcpu *v, uint32_t va, uint32_t ipa)
{
    struct guest *g = v->guest;
    struct shadow_space *s = g->mm.cur;
    uint32_t pa, fetched;
    unsigned p;

    if (!s || s->flat || !g->mm.page_flags || !guest_ipa_to_pa(g, ipa, &pa) ||
        npatches[g->id] == SHADOW_PATCHES)
        return false;
    /* What the CPU fetched: the guest may have remapped `va` since and not
     * yet done its TLB maintenance (coherence by TLB maintenance). */
    if (!space_pa(s, va, &fetched) || (fetched ^ pa) & ~0xFFFu)
        return false;
    /* No alias of the page executable from virtual User mode, in any
     * space: where some entry may be one (the flat space of the MMU-off
     * boot, a user mapping), drop them all (the guest refaults what it
     * uses) rather than leave the instruction on the slow path for good. */
    p = ram_page(g, ipa);
    if ((g->mm.page_flags[p] & PG_UEXEC) || (g->mm.mb_flags[p >> 8] & MB_UEXEC)) {
        shadow_flush_guest(g);
        shadow_activate(v);
    }
    return true;
}

bool shadow_patch_record(struct guest *g, uint32_t ipa, uint32_t orig, uint32_t rep)
{
    unsigned n = npatches[g->id];

    if (n == SHADOW_PATCHES || !g->mm.page_flags)
        return false;
    patches[g->id][n] = (struct patch_rec){ ipa, orig, rep };
    npatches[g->id] = n + 1;
    g->mm.page_flags[ram_page(g, ipa)] |= PG_PATCHED;
    return true;
}

static bool needs_track(struct guest *g, uint32_t ipa)
{
    return !(g->mm.page_flags[ram_page(g, ipa)] & PG_TRACKED);
}

static bool maybe_writable(struct guest *g, uint32_t ipa)
{
    uint32_t p = ram_page(g, ipa);
    return (g->mm.page_flags[p] & PG_WMAPPED) || (g->mm.mb_flags[p >> 8] & MB_WMAPPED);
}

static void mark_tracked(struct guest *g, uint32_t ipa)
{
    uint32_t p = ram_page(g, ipa);

    if (!(g->mm.page_flags[p] & PG_TRACKED)) {
        g->mm.page_flags[p] |= PG_TRACKED;
        g->mm.mb_tracked[p >> 8]++;
        g->mm.mb_flags[p >> 8] |= MB_HADTABLES;
    }
}

/*
 * Where the writable shadow entries of a page of guest RAM are.  A page
 * that becomes a table (a Linux page table is a page the kernel just
 * zeroed through its linear map) must lose them; flushing every space for
 * it made each fork flush everything several times.  So fill() records,
 * per page, the VA of its writable L2 entries (the same in every space: a
 * kernel's linear map) and, per MiB, the L1 index of its writable sections;
 * a second, different place that still holds such an entry makes the
 * record "multiple" (then the flush, as before).  Entries are verified
 * against the page's address before they are dropped: a record may be
 * stale (the entry dropped since), never incomplete.
 */
#define WVA_VALID   1u          /* page_wva[]: VA page | flags */
#define WVA_MULTI   2u
#define WS_VALID    0x4000u     /* mb_wsect[]: L1 index | flags */
#define WS_MULTI    0x8000u

/* The shadow L2 entry for va in space s, or NULL. */
static uint32_t *l2_entry(struct shadow_space *s, uint32_t va)
{
    unsigned idx = va >> 20;
    uint32_t d = s->l1[idx];

    if ((d & 3) != L1_TYPE_TABLE ||
        (idx >= HV_WINDOW_L1_FIRST && idx < HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT))
        return NULL;
    return &l2_pool[l2_index_of(d)][(va >> 12) & 0xFF];
}

static bool page_mapped_at(struct guest *g, uint32_t va, uint32_t pa)
{
    FOR_EACH_SPACE(g, s) {
        uint32_t *e;
        if (s->used && (e = l2_entry(s, va)) && *e && (*e & ~0xFFFu) == pa)
            return true;
    }
    return false;
}

static bool sect_mapped_at(struct guest *g, unsigned idx, uint32_t mb_pa)
{
    FOR_EACH_SPACE(g, s) {
        if (s->used && (s->l1[idx] & 3) == L1_TYPE_SECT && (s->l1[idx] & 0xFFF00000u) == mb_pa)
            return true;
    }
    return false;
}

/* fill() made page p (at pa) writable at va through an L2 entry. */
static void record_wpage(struct guest *g, uint32_t p, uint32_t va, uint32_t pa)
{
    uint32_t *slot, vp = va & ~0xFFFu;

    if (!g->mm.page_wva)                /* coherence=tlb: never asked */
        return;
    slot = &g->mm.page_wva[p];
    if (*slot & WVA_MULTI)
        return;
    if ((*slot & WVA_VALID) && (*slot & ~0xFFFu) != vp && page_mapped_at(g, *slot & ~0xFFFu, pa))
        *slot |= WVA_MULTI;
    else
        *slot = vp | WVA_VALID;
}

/* fill() made MiB mb (at mb_pa) writable through a section at L1 index idx. */
static void record_wsect(struct guest *g, uint32_t mb, unsigned idx, uint32_t mb_pa)
{
    uint16_t *slot = &g->mm.mb_wsect[mb];

    if (*slot & WS_MULTI)
        return;
    if ((*slot & WS_VALID) && (*slot & 0xFFFu) != idx && sect_mapped_at(g, *slot & 0xFFFu, mb_pa))
        *slot |= WS_MULTI;
    else
        *slot = (uint16_t)(idx | WS_VALID);
}

/*
 * Drop every writable shadow mapping of the page at ipa (and the sections
 * of its MiB) from the records, in every space.  False if the records say
 * "multiple": the caller flushes instead.
 */
static bool revoke_writable(struct guest *g, uint32_t ipa)
{
    uint32_t p = ram_page(g, ipa), mb = p >> 8, pa, mb_pa;

    if (!g->mm.page_wva || !guest_ipa_to_pa(g, ipa & ~0xFFFu, &pa) ||
        !guest_ipa_to_pa(g, ipa & ~0xFFFFFu, &mb_pa))
        return false;
    if ((g->mm.mb_flags[mb] & MB_WMAPPED) && (g->mm.mb_wsect[mb] & WS_MULTI))
        return false;
    if ((g->mm.page_flags[p] & PG_WMAPPED) && (g->mm.page_wva[p] & WVA_MULTI))
        return false;
    if (g->mm.mb_flags[mb] & MB_WMAPPED) {
        unsigned idx = g->mm.mb_wsect[mb] & 0xFFFu;
        if (g->mm.mb_wsect[mb] & WS_VALID)
            FOR_EACH_SPACE(g, s) {
                if (s->used && (s->l1[idx] & 3) == L1_TYPE_SECT &&
                    (s->l1[idx] & 0xFFF00000u) == mb_pa)
                    space_drop_l1(s, idx, true);
            }
        g->mm.mb_flags[mb] &= ~MB_WMAPPED;
        g->mm.mb_wsect[mb] = 0;
    }
    if (g->mm.page_flags[p] & PG_WMAPPED) {
        uint32_t va = g->mm.page_wva[p] & ~0xFFFu;
        if (g->mm.page_wva[p] & WVA_VALID)
            FOR_EACH_SPACE(g, s) {
                uint32_t *e;
                if (s->used && (e = l2_entry(s, va)) && *e && (*e & ~0xFFFu) == pa) {
                    *e = 0;
                    clean(e, 4);
                    space_tlb_flush_va(s, va);
                }
            }
        g->mm.page_flags[p] &= ~PG_WMAPPED;
        g->mm.page_wva[p] = 0;
    }
    g->mm.gen++;
    count(g, TS_SHADOW_FLUSH);
    return true;
}

/*
 * A walk read descriptors from these pages (L1, and L2 or ~0): protect them
 * (mode b).  If a page to protect may be mapped writable somewhere, those
 * mappings are dropped first (revoke_writable(), or every shadow entry of
 * the guest when the records cannot say where they are), then both pages
 * are marked, so no flush can undo the protection of one of them.
 */
static bool track(struct guest *g, uint32_t l1_ipa, uint32_t l2_ipa)
{
    bool two = l2_ipa != ~0u, flush = false;

    if (needs_track(g, l1_ipa) && maybe_writable(g, l1_ipa))
        flush = !revoke_writable(g, l1_ipa);
    if (!flush && two && needs_track(g, l2_ipa) && maybe_writable(g, l2_ipa))
        flush = !revoke_writable(g, l2_ipa);
    if (flush)
        shadow_flush_guest(g);
    mark_tracked(g, l1_ipa);
    if (two)
        mark_tracked(g, l2_ipa);
    return flush;
}

/* A guest descriptor word at an IPA of guest RAM, through physmap slot 2
 * (space_inherit() reads two tables in turn: each keeps its own slot). */
static bool read_desc2(struct guest *g, uint32_t ipa, uint32_t *val)
{
    uint32_t pa;

    if ((ipa & 3) || !guest_ipa_to_pa(g, ipa, &pa))
        return false;
    *val = *(volatile uint32_t *)arch_physmap(2, pa);
    return true;
}

/*
 * SPACE_INHERIT (coherence mode b): a new space starts with the entries of
 * the guest's most recently used space that derive from a global guest
 * section whose descriptor is the same word in both translation tables.  A
 * kernel's mappings are the same in every process's table (Linux copies
 * them into each new one), so a new process no longer faults in every
 * kernel page it touches, one trap each.  Sound because in mode (b) an
 * entry is exactly what a walk gives: the same descriptor, the same walk
 * (the same TTBCR, DACR, SCTLR for both), and the new table's descriptor
 * page is tracked first, so a later change to it drops the copy.  Only
 * sections (kept as a section, or split into a shadow L2 table that is
 * copied as it is); supersections, guest L2 tables and non-global
 * descriptors are left to faults.
 */
static void space_inherit(struct guest *g, struct shadow_space *s)
{
    struct shadow_space *d = NULL;
    unsigned n = g->vcpu.cp15.ttbcr & 7, split = 4096u >> n;
    uint32_t size0 = SZ_16K >> n, base1 = g->vcpu.cp15.ttbr1 & ~(SZ_16K - 1);

    FOR_EACH_SPACE(g, c) {
        if (c != s && c->used && !c->flat && (!d || c->stamp > d->stamp))
            d = c;
    }
    if (!d)
        return;
    uint32_t t0 = s->key_ttbr0 & ~(size0 - 1), d0 = d->key_ttbr0 & ~(size0 - 1);
    /* The new TTBR0 table's pages are tracked before anything is copied
     * from them (a flush now would leave nothing to copy). */
    for (uint32_t a = t0; a < t0 + size0; a += 0x1000)
        if (guest_ipa_to_pa(g, a, &(uint32_t){ 0 }) && track(g, a, ~0u))
            return;
    for (unsigned idx = 0; idx < 4096; idx++) {
        if (!(idx % L1_CHUNK) && !(d->l1_dirty & (1ull << (idx / L1_CHUNK)))) {
            idx += L1_CHUNK - 1;        /* nothing there */
            continue;
        }
        if (!(idx & 7) && !(d->l1[idx] | d->l1[idx + 1] | d->l1[idx + 2] | d->l1[idx + 3] |
                            d->l1[idx + 4] | d->l1[idx + 5] | d->l1[idx + 6] | d->l1[idx + 7])) {
            idx += 7;                   /* eight empty entries (most of a table) */
            continue;
        }
        uint32_t e = d->l1[idx], tv, dv;
        uint16_t k = 0;
        bool table = (e & 3) == L1_TYPE_TABLE;

        if (!e || s->l1[idx] || (idx >= HV_WINDOW_L1_FIRST && idx < HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT) ||
            (d->super[idx >> 9] & (1u << ((idx >> 4) & 31))))
            continue;
        if (table) {
            k = l2_index_of(e);
            if (l2_gl2[k] != GL2_NONE || l2_free == L2_NONE)
                continue;               /* from a guest L2 table; or no room */
        } else if ((e & 3) != L1_TYPE_SECT) {
            continue;
        }
        uint32_t ta = idx < split ? t0 + 4 * idx : base1 + 4 * idx;
        uint32_t da = idx < split ? d0 + 4 * idx : base1 + 4 * idx;
        if (!shadow_read_ipa(g, ta, &tv) || !read_desc2(g, da, &dv) || tv != dv ||
            (tv & 3) != 2 || (tv & (1u << 18)) || (tv & (1u << 17)))
            continue;                   /* not the same global section */
        if (table) {
            uint16_t nk = l2_alloc(s, idx, GL2_NONE, l2_view[k], l2_pool[k]);
            l2_large[nk] = l2_large[k];
            clean(l2_pool[nk], 1024);
            e = arch_virt_to_phys(l2_pool[nk]) | (e & 0x3FFu);
        }
        l1_write(s, idx, e);
    }
    count(g, TS_SHADOW_INHERIT);
}

static void untrack(struct guest *g, uint32_t ipa)
{
    uint32_t p = ram_page(g, ipa);

    if (!(g->mm.page_flags[p] & PG_TRACKED))
        return;
    drop_derived(g, ipa & ~0xFFFu);
    g->mm.page_flags[p] &= ~PG_TRACKED;
    g->mm.mb_tracked[p >> 8]--;
}

/*
 * LAZY_WP: after a store into the tracked page at ipa (emulated), stop
 * protecting it if no shadow entry is built from it any more: not an L1
 * table of any space (TTBR0 tables of the cached spaces, TTBR1's), and no
 * shadow L2 table derived from a guest L2 table in it.  The guest's next
 * stores to it (a Linux kernel updates a whole page table at fork, exit,
 * mprotect: the first store drops what was built from it) then run
 * natively; the next walk through it protects it again (track()).
 */
/* Trapped stores in a row into one table page after which it is released
 * whatever is still built from it (one Linux PTE update is two stores). */
#define LAZY_WP_RUN 3

void shadow_table_stored(struct guest *g, uint32_t ipa)
{
    uint32_t page = ipa & ~0xFFFu, p;
    unsigned n = g->vcpu.cp15.ttbcr & 7;
    uint32_t size0 = SZ_16K >> n, base1 = g->vcpu.cp15.ttbr1 & ~(SZ_16K - 1);

    if (!LAZY_WP || g->mm.coh != COH_WP || !g->mm.page_flags || page - g->ram_ipa >= g->ram_size)
        return;
    p = ram_page(g, page);
    if (!(g->mm.page_flags[p] & PG_TRACKED))
        return;
    if (n && page - base1 < SZ_16K)
        return;                         /* the TTBR1 table (TTBCR.N != 0) */
    if (g->mm.page_flags[p] & PG_L1TABLE)
        FOR_EACH_SPACE(g, s)
            if (s->used && !s->flat && page - (s->key_ttbr0 & ~(size0 - 1)) < size0)
                return;                 /* an L1 table in use */
    /* Stores in a row into one page: a bulk update (fork, exit, mprotect),
     * not the two words of one Linux PTE (its own and the hardware one):
     * drop what the rest of the page built too, and release it. */
    if (page == g->mm.tw_page) {
        if (g->mm.tw_count < 255)
            g->mm.tw_count++;
    } else {
        g->mm.tw_page = page;
        g->mm.tw_count = 1;
    }
    if (g->mm.tw_count >= LAZY_WP_RUN) {
        drop_derived(g, page);
    } else {
        for (uint32_t t = page; t < page + 0x1000; t += 0x400)
            for (uint16_t i = gl2_hash[gl2_bucket(t)]; i != L2_NONE; i = gl2_next[i])
                if (l2_gl2[i] == t && l2_owner[i] && l2_owner[i]->g == g)
                    return;             /* a shadow L2 table built from it */
    }
    g->mm.page_flags[p] &= ~PG_TRACKED;
    g->mm.mb_tracked[p >> 8]--;
    count(g, TS_SHADOW_RELEASE);
}

/*
 * Drop every shadow entry built from a guest descriptor that lies in
 * [lo, hi) (guest RAM, within one page).  Only the L1 indices whose
 * descriptor address falls in the range are looked at, and only the shadow
 * L2 tables derived from a guest L2 table (1 KiB) that overlaps it: a write
 * to a word no shadow entry was built from (Linux keeps its own software
 * PTEs in the same page as the hardware ones) drops nothing.
 */
static void drop_l1_range(struct guest *g, struct shadow_space *s, uint32_t lo, uint32_t hi)
{
    unsigned n = g->vcpu.cp15.ttbcr & 7;
    uint32_t size0 = SZ_16K >> n, split = 4096u >> n;
    uint32_t base1 = g->vcpu.cp15.ttbr1 & ~(SZ_16K - 1);
    bool dropped = false;

    /* L1 descriptors: this space's TTBR0 table (16 KiB >> N, indices
     * below 2^(12-N)) and the guest's TTBR1 table (indices above). */
    uint32_t base0 = s->key_ttbr0 & ~(size0 - 1);
    const struct { uint32_t base; unsigned first, end; } tab[2] = {
        { base0, 0, split }, { base1, split, 4096 },
    };
    for (unsigned t = 0; t < 2; t++) {
        uint32_t tlo = tab[t].base + 4 * tab[t].first, thi = tab[t].base + 4 * tab[t].end;
        if (hi <= tlo || lo >= thi)
            continue;
        unsigned first = ((lo > tlo ? lo : tlo) - tab[t].base) / 4;
        unsigned end = ((hi < thi ? hi : thi) - tab[t].base + 3) / 4;
        for (unsigned idx = first; idx < end; idx++) {
            if (!(idx & 7) && idx + 8 <= end &&
                !(s->l1[idx] | s->l1[idx + 1] | s->l1[idx + 2] | s->l1[idx + 3] |
                  s->l1[idx + 4] | s->l1[idx + 5] | s->l1[idx + 6] | s->l1[idx + 7])) {
                idx += 7;           /* eight empty entries */
                continue;
            }
            if (!s->l1[idx] ||
                (idx >= HV_WINDOW_L1_FIRST && idx < HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT))
                continue;
            space_drop_l1(s, idx, false);
            dropped = true;
            s->inherit = true;
        }
    }
    if (dropped)
        space_tlb_flush(s);
}

static void drop_derived_range(struct guest *g, uint32_t lo, uint32_t hi)
{
    unsigned n = g->vcpu.cp15.ttbcr & 7;
    uint32_t base1 = g->vcpu.cp15.ttbr1 & ~(SZ_16K - 1);
    /* Only the spaces' L1 tables hold L1 descriptors: the pages marked
     * PG_L1TABLE, and the TTBR1 table when TTBCR.N != 0 (lo and hi are in
     * one page of guest RAM). */
    bool ttbr1 = n && hi > base1 + 4 * (4096u >> n) && lo < base1 + SZ_16K;

    progress_reset(g);
    g->mm.gen++;
    if (ttbr1 || (g->mm.page_flags[ram_page(g, lo)] & PG_L1TABLE))
        FOR_EACH_SPACE(g, s)
            if (s->used && !s->flat && (ttbr1 || !((s->key_ttbr0 ^ lo) & ~(SZ_16K - 1))))
                drop_l1_range(g, s, lo, hi);    /* (its TTBR0 table is in those 16 KiB) */
    /* L2 descriptors: shadow L2 tables built from an overlapping guest
     * table (1 KiB each), found through the reverse index. */
    for (uint32_t t = lo & ~0x3FFu; t - (lo & ~0x3FFu) < hi - (lo & ~0x3FFu); t += 0x400) {
        for (uint16_t i = gl2_hash[gl2_bucket(t)]; i != L2_NONE;) {
            uint16_t nx = gl2_next[i];
            struct shadow_space *s = l2_owner[i];
            if (l2_gl2[i] == t && s && s->g == g) {
                space_drop_l1(s, l2_l1idx[i], false);
                space_tlb_flush(s);
            }
            i = nx;
        }
    }
    count(g, TS_SHADOW_FLUSH);
}

/* Drop every shadow entry built from a descriptor in this guest page. */
static void drop_derived(struct guest *g, uint32_t page_ipa)
{
    drop_derived_range(g, page_ipa, page_ipa + 0x1000);
}

void shadow_guest_wrote(struct guest *g, uint32_t ipa, uint32_t len)
{
    if (g->mm.coh != COH_WP || !g->mm.page_flags || !len)
        return;
    for (uint32_t p = ipa & ~0xFFFu; p < ipa + len; p += 0x1000) {
        uint32_t lo = p > ipa ? p : ipa, hi = p + 0x1000 < ipa + len ? p + 0x1000 : ipa + len;
        if (g->mm.page_flags[ram_page(g, p)] & PG_TRACKED)
            drop_derived_range(g, lo, hi);
    }
}

/* ---- filling ------------------------------------------------------------ */

/* Real AP bits for a set of PL0 permissions: RW -> AP=011, R -> APX=1 AP=11. */
static uint32_t sect_ap(uint8_t perm)
{
    return (perm & PERM_W) ? L1_SECT_AP_ALL_RW : (L1_SECT_APX | L1_SECT_AP1 | L1_SECT_AP0);
}

static uint32_t page_ap(uint8_t perm)
{
    return (perm & PERM_W) ? (3u << 4) : ((1u << 9) | (3u << 4));
}

#define L2_SMALL_NORMAL ((1u << 1) | (1u << 6) | (1u << 3) | (1u << 2) | (1u << 11))  /* TEX=001 C B nG */
/* Shareable Device (TEX=000 C=0 B=1, ARM ARM B3.8.2 table B3-10), nG: an
 * assigned device's page. */
#define L2_SMALL_DEVICE ((1u << 1) | (1u << 2) | (1u << 11))

/* ---- the guest-visible MiB of the window (SRFA) ------------------------- */

#define GUESTVIS_SRFA_IDX   ((PV_SRFA_VA >> 12) & 0xFF)
#define GUESTVIS_AP_RW      (3u << 4)                   /* AP=011: full access */
#define GUESTVIS_AP_RO      ((1u << 9) | (3u << 4))     /* APX=1 AP=11: read-only */

/*
 * Map `page` (monitor memory) at PV_SRFA_VA in every space of the guest:
 * one L2 table of the guest's own, in domain D1, so only the virtual kernel
 * view (DACR_GUEST_KERNEL) reaches it; execute-never.
 */
int shadow_srfa_map(struct guest *g, void *page)
{
    uint32_t *l2 = g->mm.guestvis_l2;

    if (!l2 && page && !(l2 = pool_alloc(1024, 1024)))
        return -1;
    if (l2) {
        l2[GUESTVIS_SRFA_IDX] = page ? arch_virt_to_phys(page) | L2_SMALL_NORMAL |
                                       GUESTVIS_AP_RW | 1u : 0;
        clean(l2, 1024);
    }
    g->mm.guestvis_l2 = page ? l2 : NULL;
    g->mm.guestvis_l1desc = page ? arch_virt_to_phys(l2) | L1_TYPE_TABLE | L1_DOMAIN(1) : 0;
    g->mm.srfa_ro = false;
    FOR_EACH_SPACE(g, s) {                  /* tables made before */
        if (s->l1) {
            s->l1[HV_GUESTVIS_L1] = g->mm.guestvis_l1desc;
            clean(&s->l1[HV_GUESTVIS_L1], 4);
        }
    }
    return 0;
}

/* Read-only while an interrupt is pending and masked (docs/pv-abi.md). */
void shadow_srfa_protect(struct guest *g, bool ro)
{
    uint32_t *pte;

    if (g->mm.srfa_ro == ro || !g->mm.guestvis_l2)
        return;
    g->mm.srfa_ro = ro;
    pte = &g->mm.guestvis_l2[GUESTVIS_SRFA_IDX];
    *pte = (*pte & ~GUESTVIS_AP_RO) | (ro ? GUESTVIS_AP_RO : GUESTVIS_AP_RW);
    clean(pte, 4);
    /* Non-global entry: every ASID of this guest may hold it. */
    FOR_EACH_SPACE(g, s)
        if (s->used)
            space_tlb_flush_va(s, PV_SRFA_VA);
}

static enum fault_result fill(struct vcpu *v, struct shadow_space *s, uint32_t va,
                              const struct walk_result *w, bool pl1, enum mmu_access acc)
{
    struct guest *g = v->guest;
    uint32_t page_ipa = w->ipa & ~0xFFFu, pa, idx = va >> 20;
    uint8_t pl1p = w->perm_pl1, pl0p = w->perm_pl0;
    bool xn = w->xn, pxn = w->pxn, wp = false;

    if (w->dtype == 3) {                            /* manager: nothing checked */
        pl1p = pl0p = PERM_R | PERM_W;
        xn = pxn = false;
    }
    /* PXN code: PL0 may execute it, PL1 may not. */
    bool pxn_code = pxn && !xn && (pl0p & PERM_R);
    /* The guest's assigned device (assign=): the one range outside its RAM
     * that it reaches directly, at IPA == PA, always as Device memory and
     * never executable (a fetch from it is a bus error, as for a device
     * that returns no instructions); only ever in 4 KiB pages, so no
     * section can reach past it. */
    bool dev = page_ipa - g->assign_pa < g->assign_size;
    if (dev) {
        if (acc == ACC_EXEC)
            return FAULT_NO_MEMORY;
        pa = page_ipa;
        xn = true;
        pxn_code = false;
    } else if (!guest_ipa_to_pa(g, page_ipa, &pa))
        return FAULT_NO_MEMORY;
    if (!dev && g->mm.coh == COH_WP && (g->mm.page_flags[ram_page(g, page_ipa)] & PG_TRACKED))
        wp = true;

    /* A whole single-class MiB of guest RAM: one shadow section. */
    uint32_t mb_ipa = w->ipa & ~0xFFFFFu, mb_pa, tmp;
    bool single = (pl1p == pl0p && !pxn_code) || pl0p == 0;
    if (w->level == 1 && single && !dev && guest_ipa_to_pa(g, mb_ipa, &mb_pa) &&
        guest_ipa_to_pa(g, mb_ipa + 0xFFFFF, &tmp) &&
        (g->mm.coh != COH_WP || (!g->mm.mb_tracked[ram_page(g, mb_ipa) >> 8] &&
                                 !(g->mm.mb_flags[ram_page(g, mb_ipa) >> 8] & MB_HADTABLES)))) {
        uint8_t perm = pl0p ? pl0p : pl1p;
        uint32_t d = mb_pa | L1_TYPE_SECT | L1_SECT_NORMAL_WBWA | L1_SECT_NG | sect_ap(perm) |
                     L1_DOMAIN(pl0p ? 3 : 1) | (xn || pxn ? L1_SECT_XN : 0);
        if ((s->l1[idx] & 3) == L1_TYPE_TABLE || s->l1[idx])
            space_drop_l1(s, idx, true);
        if (pl0p && (perm & PERM_R) && !(xn || pxn))
            user_exec_granted(g, mb_ipa, SZ_1M);
        l1_write(s, idx, d);
        if (perm & PERM_W) {
            g->mm.mb_flags[ram_page(g, mb_ipa) >> 8] |= MB_WMAPPED;
            record_wsect(g, ram_page(g, mb_ipa) >> 8, idx, mb_pa);
        }
        if (w->size == 0x1000000)
            s->super[idx >> 9] |= 1u << ((idx >> 4) & 31);
        return FAULT_FIXED;
    }

    /* Otherwise one 4 KiB page in an L2 table.  Pages whose rights are the
     * same at PL1 and PL0 fit any view; the others need the view of the
     * mode accessing them (see the top of this file). */
    bool neutral = pl1p == pl0p;
    bool user_exec = !pl1 && acc == ACC_EXEC && pxn_code;
    uint32_t gl2 = w->level == 2 ? (w->l2_desc_ipa & ~0x3FFu) : GL2_NONE;
    uint16_t k;

    if ((s->l1[idx] & 3) != L1_TYPE_TABLE) {
        if (s->l1[idx])
            space_drop_l1(s, idx, true);
        k = l2_alloc(s, idx, gl2, VIEW_NEUTRAL, NULL);
    } else {
        k = l2_index_of(s->l1[idx]);
        if (l2_gl2[k] != gl2) {                     /* derived from another table now */
            space_drop_l1(s, idx, true);
            k = l2_alloc(s, idx, gl2, VIEW_NEUTRAL, NULL);
        }
    }
    enum view cur = l2_view[k], want = cur;
    if (cur == VIEW_NEUTRAL && !neutral)
        want = pl1 ? VIEW_K : (user_exec ? VIEW_UX : VIEW_U);
    else if (cur == VIEW_K && !pl1)
        want = user_exec ? VIEW_UX : VIEW_U;
    else if (cur == VIEW_U && pl1 && !neutral)
        want = VIEW_K;
    else if (cur == VIEW_UX && pl1)
        want = neutral ? VIEW_U : VIEW_K;
    else if (user_exec)
        want = VIEW_UX;
    if (want != cur) {
        if (cur == VIEW_UX && want == VIEW_U) {
            /* The kernel touched a UX MiB: its entries keep their (PL0)
             * rights but none may stay executable in domain D3. */
            for (unsigned e = 0; e < 256; e++)
                if (l2_pool[k][e] && !(l2_pool[k][e] & 1u)) {
                    l2_pool[k][e] |= 1u;                /* XN */
                    space_tlb_flush_va(s, (idx << 20) | (e << 12));
                }
            clean(l2_pool[k], 1024);
            count(g, TS_SHADOW_VIEW);
        } else if (cur != VIEW_NEUTRAL && !(cur == VIEW_U && want == VIEW_UX)) {
            /* K <-> U/UX, UX -> K: the entries carry the other mode's
             * rights: drop them.  (Into UX from U or neutral, every entry
             * is a subset of what UX grants: kept.) */
            for (unsigned e = 0; e < 256; e++)
                if (l2_pool[k][e]) {
                    l2_pool[k][e] = 0;
                    space_tlb_flush_va(s, (idx << 20) | (e << 12));
                }
            clean(l2_pool[k], 1024);
            count(g, TS_SHADOW_VIEW);
        }
        l2_view[k] = want;
    }
    enum view view = l2_view[k];
    uint8_t perm = view == VIEW_K ? pl1p : pl0p;
    if (wp)
        perm &= ~PERM_W;
    uint32_t dom = view == VIEW_K ? 1 : view == VIEW_UX ? 2 : 3;
    xn = xn || (pxn && view != VIEW_UX);
    if (!(perm & PERM_R))
        return FAULT_GUEST;     /* unreachable: the walk allowed this access */
    l1_write(s, idx, arch_virt_to_phys(l2_pool[k]) | L1_TYPE_TABLE | L1_DOMAIN(dom));
    unsigned e = (va >> 12) & 0xFF;
    bool was_valid = l2_pool[k][e] != 0;
    if (view != VIEW_K && !xn)
        user_exec_granted(g, page_ipa, 0x1000);
    l2_pool[k][e] = (pa & ~0xFFFu) | (dev ? L2_SMALL_DEVICE : L2_SMALL_NORMAL) | page_ap(perm) |
                    (xn ? 1u : 0);
    clean(&l2_pool[k][e], 4);
    if (was_valid)
        space_tlb_flush_va(s, va & ~0xFFFu);
    if ((perm & PERM_W) && !dev) {      /* (no write tracking of devices) */
        g->mm.page_flags[ram_page(g, page_ipa)] |= PG_WMAPPED;
        record_wpage(g, ram_page(g, page_ipa), va, pa);
    }
    /* A TLB entry for a 64 KiB page or 16 MiB supersection covers all of
     * it: remember, so that invalidating one address drops all of it. */
    if (w->size == 0x10000)
        l2_large[k] |= 1u << (e >> 4);
    else if (w->size == 0x1000000)
        s->super[idx >> 9] |= 1u << ((idx >> 4) & 31);
    return FAULT_FIXED;
}

/*
 * A guest access faulted in the shadow.  Walk the guest's tables as the CPU
 * would for the virtual mode; a guest fault is the guest's; anything else is
 * the shadow's to repair.
 */
enum fault_result shadow_fault(struct vcpu *v, uint32_t va, enum mmu_access acc, uint32_t *fsr,
                               uint32_t *ipa)
{
    struct guest *g = v->guest;
    struct shadow_space *s = g->mm.cur;
    struct walk_result w;
    struct mmu_regs m;
    bool pl1 = vmode_privileged(v);
    enum fault_result r;

    if (!s)
        return FAULT_NO_MEMORY;
    if (s->flat) {
        /* MMU off: flat, everything permitted (B3.2.1). */
        w = (struct walk_result){ .ipa = va, .size = SZ_1M, .level = 1, .dtype = 1,
                                  .perm_pl1 = PERM_R | PERM_W, .perm_pl0 = PERM_R | PERM_W };
        *fsr = 0;
    } else {
        shadow_mmu_regs(v, &m);
        *fsr = mmu_translate(&m, va, acc, pl1, shadow_read_ipa, g, &w);
        if (*fsr)
            return FAULT_GUEST;
    }
    *ipa = w.ipa;
    if (va >= HV_WINDOW_BASE && va - HV_WINDOW_BASE < HV_WINDOW_SIZE) {
        if (s->flat)
            return FAULT_NO_MEMORY;
        guest_stop(g, "maps VA 0x%08x inside the monitor window 0x%08x-0x%08x "
                   "(docs/memory-map.md)", (unsigned)va, HV_WINDOW_BASE,
                   HV_WINDOW_BASE + HV_WINDOW_SIZE - 1);
        return FAULT_STOPPED;
    }

    /* The same access faulting again and again right after being repaired
     * means the shadow cannot represent it: a monitor bug, contained to
     * this guest rather than a silent livelock.  Everything that can
     * legitimately undo a repair (the guest's TLB maintenance or table
     * writes, an eviction, a switch of space) resets the count, and `va` is
     * the address the CPU reported (DFAR/IFAR), not the PC: an access that
     * crosses into another page faults there, and repairing the PC's page
     * again was no progress (issue 15: a Thumb instruction at a page end). */
    if (va == g->mm.fault_va && (int)acc == g->mm.fault_acc && v->regs.pc == g->mm.fault_pc &&
        g->mm.fault_repeat >= 8) {
        guest_stop(g, "shadow paging made no progress on VA 0x%08x (access %d)", (unsigned)va, acc);
        return FAULT_STOPPED;
    }

    if (g->mm.coh == COH_WP && acc == ACC_WRITE && g->mm.page_flags &&
        guest_ipa_to_pa(g, w.ipa, &(uint32_t){ 0 }) &&
        (g->mm.page_flags[ram_page(g, w.ipa)] & PG_TRACKED)) {
        /* A write to a protected guest table page: the store is emulated
         * (guest_write() drops what was built from the old contents). */
        count(g, TS_SHADOW_PT_WRITE);
        return FAULT_TABLE_WRITE;
    }
    if (!s->flat && g->mm.coh == COH_WP) {
        /* Both descriptors were read from guest RAM (else the walk faulted). */
        track(g, w.l1_desc_ipa, w.level == 2 ? w.l2_desc_ipa : ~0u);
        s = g->mm.cur;          /* tracking may have flushed */
    }
    r = fill(v, s, va, &w, pl1, acc);
    if (unpatched_table[g->id]) {
        /* A restored instruction was in a page the guest also uses as a
         * translation table (mode b): what was built from it is stale. */
        unpatched_table[g->id] = false;
        shadow_flush_guest(g);
        shadow_activate(v);
        return r;
    }
    if (r == FAULT_FIXED) {
        count(g, TS_SHADOW_FILL);
        if (va == g->mm.fault_va && (int)acc == g->mm.fault_acc && v->regs.pc == g->mm.fault_pc &&
            g->mm.fault_repeat) {
            g->mm.fault_repeat++;
        } else {
            g->mm.fault_va = va;
            g->mm.fault_acc = acc;
            g->mm.fault_pc = v->regs.pc;
            g->mm.fault_repeat = 1;
        }
    }
    return r;
}

bool shadow_prefill(struct vcpu *v, uint32_t va)
{
    struct guest *g = v->guest;
    struct shadow_space *s = g->mm.cur;
    struct walk_result w;
    struct mmu_regs m;
    bool pl1 = vmode_privileged(v);

    if (!s || (va >= HV_WINDOW_BASE && va - HV_WINDOW_BASE < HV_WINDOW_SIZE))
        return false;
    if (s->flat) {
        w = (struct walk_result){ .ipa = va, .size = SZ_1M, .level = 1, .dtype = 1,
                                  .perm_pl1 = PERM_R | PERM_W, .perm_pl0 = PERM_R | PERM_W };
    } else {
        shadow_mmu_regs(v, &m);
        if (mmu_translate(&m, va, ACC_READ, pl1, shadow_read_ipa, g, &w))
            return false;
    }
    if (!guest_ipa_to_pa(g, w.ipa, &(uint32_t){ 0 }))
        return false;
    if (!s->flat && g->mm.coh == COH_WP) {
        track(g, w.l1_desc_ipa, w.level == 2 ? w.l2_desc_ipa : ~0u);
        s = g->mm.cur;
    }
    if (fill(v, s, va, &w, pl1, ACC_READ) != FAULT_FIXED)
        return false;
    count(g, TS_SHADOW_FILL);
    return true;
}

void shadow_unprotect(struct vcpu *v, uint32_t va)
{
    struct mmu_regs m;
    struct walk_result w;

    shadow_mmu_regs(v, &m);
    if (!mmu_walk(&m, va, shadow_read_ipa, v->guest, &w) &&
        guest_ipa_to_pa(v->guest, w.ipa, &(uint32_t){ 0 }))
        untrack(v->guest, w.ipa);
}

/* ---- coherence mode (a): the guest's TLB maintenance -------------------- */

static void drop_va(struct shadow_space *s, uint32_t va)
{
    unsigned idx = va >> 20;
    uint32_t d = s->l1[idx];

    if (idx >= HV_WINDOW_L1_FIRST && idx < HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT)
        return;
    if (s->super[idx >> 9] & (1u << ((idx >> 4) & 31))) {
        /* Part of a guest supersection: the whole 16 MiB goes. */
        s->super[idx >> 9] &= ~(1u << ((idx >> 4) & 31));
        for (unsigned i = idx & ~15u; i < (idx & ~15u) + 16; i++)
            if (s->l1[i] && (i < HV_WINDOW_L1_FIRST || i >= HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT))
                space_drop_l1(s, i, false);
        space_tlb_flush(s);
        return;
    }
    if ((d & 3) == L1_TYPE_TABLE) {
        uint16_t k = l2_index_of(d);
        unsigned e = (va >> 12) & 0xFF, first = e, n = 1;
        if (l2_gl2[k] == GL2_NONE) {
            space_drop_l1(s, idx, true);            /* split of a guest section */
            return;
        }
        if (l2_large[k] & (1u << (e >> 4))) {       /* a guest 64 KiB page */
            l2_large[k] &= ~(1u << (e >> 4));
            first = e & ~15u;
            n = 16;
        }
        for (unsigned i = first; i < first + n; i++)
            if (l2_pool[k][i]) {
                l2_pool[k][i] = 0;
                space_tlb_flush_va(s, (idx << 20) | (i << 12));
            }
        clean(&l2_pool[k][first], 4 * n);
    } else if (d) {
        space_drop_l1(s, idx, true);
    }
}

void shadow_tlb_op(struct vcpu *v, enum tlb_op op, uint32_t arg)
{
    struct guest *g = v->guest;

    if (g->mm.coh != COH_TLB)
        return;                 /* mode (b): shadows never go stale */
    progress_reset(g);
    g->mm.gen++;
    FOR_EACH_SPACE(g, s) {
        if (!s->used || s->flat)
            continue;
        switch (op) {
        case TLB_ALL:
            space_clear(s);
            break;
        case TLB_ASID:
            if (s->key_asid == (arg & 0xFF))
                space_clear(s);
            break;
        case TLB_MVA:
        case TLB_MVA_ALL_ASID:
            /* Global guest entries live in every space: drop the VA everywhere. */
            drop_va(s, arg & ~0xFFFu);
            break;
        }
    }
    count(g, TS_SHADOW_FLUSH);
}
