/*
 * Guest RAM backed on demand (VM file: backing=demand, issue 19).
 *
 * The host page pool: the board's RAM that neither the monitor (its 8 MiB,
 * the virtio disk images) nor a statically placed guest (at=, or packed at
 * build time) holds, in 1 MiB chunks.  Each demand guest has an IPA -> PA
 * chunk map, owned here; guest_ipa_to_pa() (mm/guestmem.c) asks it, so the
 * first touch of a chunk by any path (shadow fill, emulated access, virtio
 * copies, the loader) backs it.
 *
 * Why 1 MiB chunks: every chunk is 1 MiB aligned in IPA and in PA, so a
 * guest MiB is always contiguous in host memory: the shadow MMU keeps
 * mapping whole MiBs as sections (one TLB entry) and every caller that
 * checks the two ends of a range inside one MiB (guest_access_as, the
 * shadow's section test, ipa_copy's per-MiB steps) stays right without a
 * change.  4 KiB or 64 KiB chunks would back less memory for a sparse guest
 * but break both.  The map is one word per MiB of the guest's RAM, taken
 * from the monitor's pool when the guest is loaded (4 KiB for 1 GiB).
 *
 * Policy (docs/memory-map.md): a guest may have a guaranteed minimum
 * (min=), reserved when it is loaded and kept for the life of the monitor
 * (a reset or a console `reset N` gets it again); its configured RAM is the
 * maximum.  A chunk above its minimum comes from what the others' unused
 * minimums leave of the pool; when there is none the guest that needed it
 * is stopped with a message naming it, the IPA and the sizes — never the
 * monitor, never another guest.
 *
 * Release: when a guest exits, is stopped or reset, its chunks go back to
 * the pool.  Chunks are zeroed when they are handed out, not when they come
 * back: one place covers both the first use of board RAM (whatever the boot
 * loader or an earlier run left there) and reuse, and a chunk is never
 * reachable by a guest between its release and that zeroing (the guest that
 * held it never runs again on its old shadow tables).
 */
#include "mm.h"
#include <arch/arch.h>
#include <arch/memmap.h>
#include "../core/guest.h"
#include "../core/hv.h"
#include "../core/string.h"

#define CHUNK_SHIFT 20
#define CHUNK       (1u << CHUNK_SHIFT)
#define POOL_MAX_CHUNKS BOARD_RAM_MAX_MIB  /* core/guest.h */
#define BACKED          1u              /* in a map entry (a chunk may be at PA 0) */

static struct {
    uint32_t base;                      /* PA of chunk 0 */
    unsigned nchunks, nfree, total;     /* total: chunks in the pool at boot */
    uint32_t used[POOL_MAX_CHUNKS / 32];    /* handed out or never in the pool */
    uint32_t held[POOL_MAX_CHUNKS / 32];    /* handed out to a guest before */
} pool;

struct gpmap {
    bool demand;
    bool dead;                          /* stopped or exited: no more chunks */
    bool loading;                       /* its image is being loaded: not running yet */
    unsigned min, backed, reused;       /* chunks */
    unsigned ballooned;                 /* chunks its balloon gave back */
    unsigned nchunks;                   /* its RAM, in chunks: pa[]'s length */
    uint32_t *pa;                       /* chunk PA | BACKED, 0: not backed */
};

static struct gpmap maps[MAX_GUESTS];

static bool bit(const uint32_t *b, unsigned i) { return b[i / 32] >> (i % 32) & 1; }
static void set_bit(uint32_t *b, unsigned i) { b[i / 32] |= 1u << (i % 32); }
static void clr_bit(uint32_t *b, unsigned i) { b[i / 32] &= ~(1u << (i % 32)); }

void gpool_init(uint32_t base, uint32_t size)
{
    memset(&pool, 0, sizeof(pool));
    for (unsigned k = 0; k < MAX_GUESTS; k++) {     /* (their maps stay theirs) */
        uint32_t *pa = maps[k].pa;
        unsigned n = maps[k].nchunks;
        memset(&maps[k], 0, sizeof(maps[k]));
        maps[k].pa = pa;
        maps[k].nchunks = n;
    }
    pool.base = (base + CHUNK - 1) & ~(CHUNK - 1);
    size -= pool.base - base;
    pool.nchunks = size >> CHUNK_SHIFT;
    if (pool.nchunks > POOL_MAX_CHUNKS)
        pool.nchunks = POOL_MAX_CHUNKS;
    pool.nfree = pool.total = pool.nchunks;
}

bool gpool_take(uint32_t pa, uint32_t size)
{
    uint64_t lo = pa, hi = (uint64_t)pa + size;
    bool clear = true;

    if (lo < pool.base)
        lo = pool.base;
    for (uint64_t a = lo & ~(uint64_t)(CHUNK - 1); a < hi; a += CHUNK) {
        unsigned i = (unsigned)((a - pool.base) >> CHUNK_SHIFT);
        if (i >= pool.nchunks)
            break;
        if (bit(pool.used, i)) {
            clear = false;
            continue;
        }
        set_bit(pool.used, i);
        pool.nfree--;
        pool.total--;
    }
    return clear;
}

/* Chunks the loaded demand guests' minimums still claim (none for `self`). */
static unsigned reserved(const struct gpmap *self)
{
    unsigned r = 0;

    for (unsigned k = 0; k < MAX_GUESTS; k++)
        if (&maps[k] != self && maps[k].demand && maps[k].backed < maps[k].min)
            r += maps[k].min - maps[k].backed;
    return r;
}

int gpmap_init(struct guest *g, uint32_t min_bytes)
{
    struct gpmap *m = &maps[g->id];
    unsigned min = min_bytes >> CHUNK_SHIFT, res = reserved(m), n = g->ram_size >> CHUNK_SHIFT;
    uint32_t *pa = m->pa;

    /* The map, one word per MiB, is the guest's for the life of the
     * monitor: reserved once, at its first load. */
    if (!pa || m->nchunks < n)
        pa = pool_alloc(n * sizeof(*pa), 4);
    memset(m, 0, sizeof(*m));
    if (!pa) {
        hv_printf("monitor: guest %d (%s): its map of %u MiB on demand needs %u bytes of the monitor's "
                  "memory, %u were left\n", g->id, g->name, n, (unsigned)(n * sizeof(*pa)),
                  (unsigned)pool_free_bytes());
        return -1;
    }
    m->pa = pa;
    m->nchunks = n;
    memset(pa, 0, n * sizeof(*pa));
    if (g->ram_size > POOL_MAX_CHUNKS * CHUNK || min_bytes > g->ram_size || (min_bytes & (CHUNK - 1))) {
        hv_printf("monitor: guest %d (%s): min=%u MiB: not whole MiB or above its %u MiB of RAM\n",
                  g->id, g->name, (unsigned)(min_bytes >> 20), (unsigned)(g->ram_size >> 20));
        return -1;
    }
    if (pool.nfree < res || pool.nfree - res < min) {
        hv_printf("monitor: guest %d (%s): its guaranteed minimum (min=) of %u MiB does not fit: "
                  "the guest memory pool has %u MiB free, %u MiB of them reserved for other guests' minimums\n",
                  g->id, g->name, min, pool.nfree, res);
        return -1;
    }
    m->demand = true;
    m->loading = true;
    m->min = min;
    return 0;
}

/* A free chunk, lowest first, zeroed: its PA | BACKED; 0 if none. */
static uint32_t chunk_alloc(struct gpmap *m)
{
    for (unsigned i = 0; i < pool.nchunks; i++) {
        uint32_t pa;
        if (bit(pool.used, i))
            continue;
        set_bit(pool.used, i);
        pool.nfree--;
        if (bit(pool.held, i))
            m->reused++;
        set_bit(pool.held, i);
        pa = pool.base + (i << CHUNK_SHIFT);
        memset(arch_physmap(0, pa), 0, CHUNK);
        return pa | BACKED;
    }
    return 0;
}

static void chunk_free(uint32_t entry)
{
    unsigned i = ((entry & ~BACKED) - pool.base) >> CHUNK_SHIFT;

    clr_bit(pool.used, i);
    pool.nfree++;
}

bool gpmap_pa(const struct guest *g, uint32_t ipa, uint32_t *pa)
{
    struct gpmap *m = &maps[g->id];
    uint32_t off = ipa - g->ram_ipa;
    unsigned c = off >> CHUNK_SHIFT, res;

    if (m->pa[c]) {
        *pa = (m->pa[c] & ~BACKED) + (off & (CHUNK - 1));
        return true;
    }
    if (m->dead)
        return false;
    res = reserved(m);
    if (m->backed >= m->min && pool.nfree <= res) {
        /* The guest is the one that needs memory: it alone stops.  (Its
         * struct is only const because translation is a lookup for every
         * other caller.) */
        struct guest *gw = (struct guest *)g;
        m->dead = true;
        if (!m->loading)
            guest_stop(gw, "guest memory pool dry: IPA 0x%08x needs a new 1 MiB chunk; the guest has "
                       "%u MiB backed of %u MiB configured, minimum %u MiB; the pool has %u MiB free, "
                       "all reserved for other guests' minimums (%u MiB)", (unsigned)ipa, m->backed,
                       (unsigned)(g->ram_size >> 20), m->min, pool.nfree, res);
        else
            hv_printf("monitor: guest %d (%s): guest memory pool dry loading IPA 0x%08x: "
                      "%u MiB backed of %u MiB configured, minimum %u MiB; pool %u MiB free, %u MiB reserved\n",
                      g->id, g->name, (unsigned)ipa, m->backed, (unsigned)(g->ram_size >> 20), m->min,
                      pool.nfree, res);
        return false;
    }
    m->pa[c] = chunk_alloc(m);
    if (!m->pa[c])                      /* nfree > 0 or a minimum said so */
        hv_panic("guest memory pool: %u chunks free but none found", pool.nfree);
    m->backed++;
    *pa = (m->pa[c] & ~BACKED) + (off & (CHUNK - 1));
    return true;
}

static bool in_map(const struct guest *g, uint32_t ipa, unsigned *c)
{
    *c = (ipa - g->ram_ipa) >> CHUNK_SHIFT;
    return ipa - g->ram_ipa < g->ram_size && *c < maps[g->id].nchunks;
}

bool gpmap_backed(const struct guest *g, uint32_t ipa)
{
    const struct gpmap *m = &maps[g->id];
    unsigned c;

    return m->demand && in_map(g, ipa, &c) && m->pa[c];
}

void gpmap_unback(struct guest *g, uint32_t ipa)
{
    struct gpmap *m = &maps[g->id];
    unsigned c;

    if (!m->demand || !in_map(g, ipa, &c) || !m->pa[c])
        return;
    chunk_free(m->pa[c]);
    m->pa[c] = 0;
    m->backed--;
    m->ballooned++;
}

static void release(struct gpmap *m)
{
    for (unsigned c = 0; c < m->nchunks; c++)
        if (m->pa[c]) {
            chunk_free(m->pa[c]);
            m->pa[c] = 0;
        }
    m->backed = 0;
}

void gpmap_release(struct guest *g)
{
    struct gpmap *m = &maps[g->id];
    unsigned backed = m->backed;

    if (!m->demand)
        return;
    gpmap_print(g);
    m->dead = true;
    release(m);
    hv_printf("monitor: guest %d (%s): %u MiB of guest memory back to the pool "
              "(pool: %u MiB free of %u)\n", g->id, g->name, backed, pool.nfree, pool.total);
}

void gpmap_reset(struct guest *g)
{
    struct gpmap *m = &maps[g->id];

    release(m);
    m->dead = false;
    m->loading = true;
}

void gpmap_loaded(struct guest *g)
{
    maps[g->id].loading = false;
}

bool gpmap_info(const struct guest *g, struct gpmap_info *i)
{
    const struct gpmap *m = &maps[g->id];

    i->configured = g->ram_size >> 20;
    i->backed = m->demand ? m->backed : i->configured;
    i->min = m->demand ? m->min : i->configured;
    i->reused = m->reused;
    i->ballooned = m->ballooned;
    i->pool_free = pool.nfree;
    i->pool_total = pool.total;
    i->pool_reserved = reserved(NULL);
    return m->demand;
}

void gpmap_print(const struct guest *g)
{
    struct gpmap_info i;

    if (gpmap_info(g, &i))
        hv_printf(i.ballooned ? "monitor: guest %d (%s): memory on demand: configured %u MiB, backed %u MiB, "
                                "minimum %u MiB (%u chunks reused from the pool so far); %u MiB given back "
                                "by its balloon\n"
                              : "monitor: guest %d (%s): memory on demand: configured %u MiB, backed %u MiB, "
                                "minimum %u MiB (%u chunks reused from the pool so far)\n",
                  g->id, g->name, i.configured, i.backed, i.min, i.reused, i.ballooned);
}
