/*
 * mm/gpmap.c and mm/guestmem.c for guests backed on demand (issue 19): the
 * host page pool (1 MiB chunks), each guest's IPA -> PA chunk map, first
 * touch, minimums, exhaustion (only the guest that needs memory is stopped),
 * release and zeroing, and copies across chunk boundaries (two IPA-adjacent
 * MiBs need not be adjacent in host memory).
 *
 * Host memory is an arena standing for POOL_MIB MiB of board RAM at
 * POOL_BASE; arch_physmap() points into it.
 */
#include "unit.h"
#include "../../core/guest.h"
#include "../../core/hv.h"
#include <stdlib.h>

#define POOL_BASE 0x80000000u
#define POOL_MIB  6u
#define MIB       0x100000u
#define RAM_IPA   0x40000000u
#define CHECK_TRUE_CTX(x, ...) CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

static uint8_t *arena;
static uint32_t pool_base = POOL_BASE;     /* where the arena's RAM is */
struct guest guests[MAX_GUESTS];
struct boot_info hv_boot_info;
static unsigned stops[MAX_GUESTS];
static char last_stop[512];

/* ---- the platform gpmap.c and guestmem.c link against ------------------- */

void *arch_physmap(unsigned slot, uint32_t pa)
{
    if (slot > 2 || pa < pool_base || pa - pool_base >= POOL_MIB * MIB)
        fail_msg("arch_physmap(%u, 0x%08x): outside the pool's RAM", slot, (unsigned)pa);
    return arena + (pa - pool_base);
}

void guest_stop(struct guest *g, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_stop, sizeof last_stop, fmt, ap);
    va_end(ap);
    stops[g->id]++;
    g->vcpu.state = VCPU_STOPPED;
    gpmap_release(g);                   /* as core/main.c does */
}

void hv_printf(const char *fmt, ...) { (void)fmt; }
void hv_vprintf(const char *fmt, va_list ap) { (void)fmt; (void)ap; }
void hv_panic(const char *fmt, ...)
{
    va_list ap;
    char b[256];

    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    fail_msg("hv_panic: %s", b);
    abort();
}
/* The monitor's pool: the maps come from here (mon_left bytes left). */
static size_t mon_left = 1u << 20;
void *pool_alloc(size_t bytes, size_t align)
{
    (void)align;
    if (bytes > mon_left)
        return NULL;
    mon_left -= bytes;
    return calloc(1, bytes ? bytes : 1);    /* (not freed: a test's maps live as long as it) */
}
size_t pool_free_bytes(void) { return mon_left; }
int shadow_guest_init(struct guest *g) { (void)g; return 0; }
void shadow_guest_wrote(struct guest *g, uint32_t ipa, uint32_t len) { (void)g; (void)ipa; (void)len; }
void shadow_mmu_regs(const struct vcpu *v, struct mmu_regs *m) { (void)v; (void)m; }
bool shadow_read_ipa(void *ctx, uint32_t ipa, uint32_t *val) { (void)ctx; (void)ipa; (void)val; return false; }
uint32_t ram_alloc(uint32_t size) { (void)size; return 0; }
bool ram_claim(uint32_t pa, uint32_t size) { (void)pa; (void)size; return false; }
int arch_guest_load_word(uint32_t va, uint32_t *out) { (void)va; (void)out; return -1; }
int arch_guest_load_words_pl0(uint32_t va, uint32_t *out, unsigned n) { (void)va; (void)out; (void)n; return -1; }

/* ---- helpers --------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    if (!arena)
        arena = malloc(POOL_MIB * MIB);
    memset(arena, 0xEE, POOL_MIB * MIB);      /* what an earlier user left */
    memset(guests, 0, sizeof guests);
    memset(stops, 0, sizeof stops);
    pool_base = POOL_BASE;
    mon_left = 1u << 20;
    gpool_init(POOL_BASE, POOL_MIB * MIB);
    return 0;
}

/* Guest `id`, `mib` MiB of RAM on demand, minimum `min` MiB, loaded. */
static struct guest *demand_guest(int id, unsigned mib, unsigned min)
{
    struct guest *g = &guests[id];

    g->id = id;
    g->name = "t";
    g->ram_ipa = RAM_IPA;
    g->ram_size = mib * MIB;
    g->flags = GUEST_F_DEMAND;
    g->vcpu.guest = g;
    CHECK_EQ(guest_mem_init(g, false, 0, min * MIB), 0);
    gpmap_loaded(g);
    g->vcpu.state = VCPU_RUNNING;
    return g;
}

static unsigned backed(const struct guest *g)
{
    struct gpmap_info i;

    gpmap_info(g, &i);
    return i.backed;
}

static unsigned pool_free(void)
{
    struct gpmap_info i;

    gpmap_info(&guests[0], &i);
    return i.pool_free;
}

static bool all_zero(uint32_t pa, uint32_t len)
{
    for (uint32_t k = 0; k < len; k++)
        if (arena[pa - pool_base + k])
            return false;
    return true;
}

/* ---- tests ------------------------------------------------------------------ */

/* Nothing is backed until touched; a touch backs exactly its MiB, zeroed;
 * the same MiB translates to the same chunk. */
static void test_first_touch(void **state)
{
    struct guest *g = demand_guest(0, 16, 0);
    uint32_t pa, pa2;

    (void)state;
    CHECK_EQ(backed(g), 0);
    CHECK_EQ(pool_free(), POOL_MIB);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 5 * MIB + 0x1234, &pa));
    CHECK_EQ(pa & (MIB - 1), 0x1234);
    CHECK_TRUE(all_zero(pa & ~(MIB - 1), MIB));
    CHECK_EQ(backed(g), 1);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 5 * MIB + 0xFFFFC, &pa2));
    CHECK_EQ(pa2, (pa & ~(MIB - 1)) + 0xFFFFC);
    CHECK_EQ(backed(g), 1);
    CHECK_EQ(pool_free(), POOL_MIB - 1);
    CHECK_FALSE(guest_ipa_to_pa(g, RAM_IPA + 16 * MIB, &pa));   /* not its RAM */
    CHECK_FALSE(guest_ipa_to_pa(g, RAM_IPA - 4, &pa));
    CHECK_EQ(backed(g), 1);
}

/* The pool runs dry: the guest that needs the chunk is stopped (once), its
 * chunks come back; another guest is untouched. */
static void test_exhaustion(void **state)
{
    struct guest *a = demand_guest(0, 16, 0), *b = demand_guest(1, 16, 0);
    uint32_t pa;

    (void)state;
    CHECK_TRUE(guest_ipa_to_pa(b, RAM_IPA, &pa));
    for (unsigned k = 0; k < POOL_MIB - 1; k++)
        CHECK_TRUE_CTX(guest_ipa_to_pa(a, RAM_IPA + k * MIB, &pa), "MiB %u", k);
    CHECK_EQ(pool_free(), 0);
    CHECK_FALSE(guest_ipa_to_pa(a, RAM_IPA + 9 * MIB, &pa));
    CHECK_EQ(stops[0], 1);
    CHECK_EQ(stops[1], 0);
    CHECK_TRUE(strstr(last_stop, "IPA 0x40900000") != NULL);
    CHECK_TRUE(strstr(last_stop, "5 MiB backed of 16 MiB configured, minimum 0 MiB") != NULL);
    CHECK_EQ(pool_free(), POOL_MIB - 1);        /* a's chunks are back */
    CHECK_FALSE(guest_ipa_to_pa(a, RAM_IPA, &pa));      /* stopped: nothing more */
    CHECK_EQ(stops[0], 1);
    CHECK_TRUE(guest_ipa_to_pa(b, RAM_IPA + MIB, &pa)); /* b goes on */
    CHECK_EQ(backed(b), 2);
}

/* A minimum is reserved: others cannot take it; its owner always gets it. */
static void test_minimum(void **state)
{
    struct guest *a, *b;
    uint32_t pa;

    (void)state;
    a = demand_guest(0, 16, 4);
    b = demand_guest(1, 16, 0);
    CHECK_TRUE(guest_ipa_to_pa(b, RAM_IPA, &pa));
    CHECK_TRUE(guest_ipa_to_pa(b, RAM_IPA + MIB, &pa));
    CHECK_FALSE(guest_ipa_to_pa(b, RAM_IPA + 2 * MIB, &pa));    /* would eat a's minimum */
    CHECK_EQ(stops[1], 1);
    for (unsigned k = 0; k < 4; k++)
        CHECK_TRUE_CTX(guest_ipa_to_pa(a, RAM_IPA + k * MIB, &pa), "MiB %u of its minimum", k);
    CHECK_TRUE(guest_ipa_to_pa(a, RAM_IPA + 4 * MIB, &pa));     /* b's 2 MiB came back */
    CHECK_EQ(stops[0], 0);
}

/* Minimums that do not fit are refused when the guest is loaded. */
static void test_minimum_refused(void **state)
{
    struct guest *g = &guests[1];

    (void)state;
    demand_guest(0, 16, 4);
    g->id = 1;
    g->name = "t";
    g->ram_ipa = RAM_IPA;
    g->ram_size = 16 * MIB;
    g->flags = GUEST_F_DEMAND;
    CHECK_EQ(guest_mem_init(g, false, 0, 3 * MIB), -1);     /* 4 + 3 > 6 */
    CHECK_EQ(guest_mem_init(g, false, 0, 2 * MIB), 0);
    CHECK_EQ(guest_mem_init(&guests[2], false, 0, 0), -1);   /* (no RAM size) */
    g = &guests[3];
    g->id = 3;
    g->ram_ipa = RAM_IPA;
    g->ram_size = 2 * MIB;
    g->flags = GUEST_F_DEMAND;
    CHECK_EQ(guest_mem_init(g, false, 0, 4 * MIB), -1);     /* above its RAM */
}

/* Released chunks go to the next guest zeroed, whatever the last one wrote. */
static void test_release_zeroes(void **state)
{
    struct guest *a = demand_guest(0, 16, 0), *b;
    uint8_t pattern[256];
    uint32_t pa_a, pa_b;
    struct gpmap_info i;

    (void)state;
    memset(pattern, 0x5A, sizeof pattern);
    CHECK_TRUE(guest_copy_to_ipa(a, RAM_IPA + 3 * MIB, pattern, sizeof pattern));
    CHECK_TRUE(guest_ipa_to_pa(a, RAM_IPA + 3 * MIB, &pa_a));
    CHECK_EQ(arena[pa_a - pool_base], 0x5A);
    a->vcpu.state = VCPU_EXITED;
    gpmap_release(a);
    CHECK_EQ(pool_free(), POOL_MIB);
    CHECK_EQ(arena[pa_a - pool_base], 0x5A);    /* zeroed when handed out, not now */
    b = demand_guest(1, 16, 0);
    CHECK_TRUE(guest_ipa_to_pa(b, RAM_IPA + 7 * MIB, &pa_b));
    CHECK_EQ(pa_b, pa_a);                       /* lowest free first: a's chunk */
    CHECK_TRUE(all_zero(pa_b, MIB));
    gpmap_info(b, &i);
    CHECK_EQ(i.reused, 1);
    CHECK_FALSE(guest_ipa_to_pa(a, RAM_IPA + 3 * MIB, &pa_a)); /* a released: no more */
}

/* Reset: chunks back, the guest may be backed again (its reload). */
static void test_reset(void **state)
{
    struct guest *a = demand_guest(0, 16, 2);
    uint32_t pa;

    (void)state;
    CHECK_TRUE(guest_ipa_to_pa(a, RAM_IPA + 3 * MIB, &pa));
    guest_mem_reset(a);
    CHECK_EQ(backed(a), 0);
    CHECK_EQ(pool_free(), POOL_MIB);
    gpmap_loaded(a);
    CHECK_TRUE(guest_ipa_to_pa(a, RAM_IPA + 3 * MIB, &pa));
    CHECK_TRUE(all_zero(pa & ~(MIB - 1), MIB));
}

/* A copy across a MiB boundary whose two chunks are not adjacent (nor in
 * order) in host memory lands in both, each at its own PA. */
static void test_boundary_copy(void **state)
{
    struct guest *g = demand_guest(0, 16, 0);
    uint8_t in[64], out[64];
    uint32_t pa0, pa1;

    (void)state;
    for (unsigned k = 0; k < sizeof in; k++)
        in[k] = (uint8_t)(k + 1);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 9 * MIB, &pa1));   /* backed first: lower PA */
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 2 * MIB, &pa0));   /* (a chunk between) */
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 8 * MIB, &pa0));
    CHECK_TRUE(pa0 != pa1 + MIB && pa0 + MIB != pa1);
    CHECK_TRUE(guest_copy_to_ipa(g, RAM_IPA + 9 * MIB - 32, in, sizeof in));
    CHECK_EQ(memcmp(arena + pa0 - pool_base + MIB - 32, in, 32), 0);
    CHECK_EQ(memcmp(arena + pa1 - pool_base, in + 32, 32), 0);
    CHECK_TRUE(guest_copy_from_ipa(g, RAM_IPA + 9 * MIB - 32, out, sizeof out));
    CHECK_EQ(memcmp(in, out, sizeof in), 0);
    /* a copy into untouched MiBs backs every one of them first */
    CHECK_TRUE(guest_zero_ipa(g, RAM_IPA + 11 * MIB - 8, MIB + 16));
    CHECK_EQ(backed(g), 6);
}

/* A copy that cannot be backed entirely changes nothing. */
static void test_copy_all_or_nothing(void **state)
{
    struct guest *g = demand_guest(0, 16, 0);
    uint8_t in[64];
    uint32_t pa;

    (void)state;
    memset(in, 0x77, sizeof in);
    for (unsigned k = 0; k < POOL_MIB; k++)
        CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + k * MIB, &pa));
    /* MiB 5 is backed, MiB 6 cannot be: the guest is stopped, nothing written */
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 5 * MIB, &pa));
    CHECK_FALSE(guest_copy_to_ipa(g, RAM_IPA + 6 * MIB - 32, in, sizeof in));
    CHECK_TRUE(all_zero(pa & ~(MIB - 1), MIB));
    CHECK_EQ(stops[0], 1);
}

/* A guest image in host RAM outside the monitor's window (issue 19 item
 * 5) copied into a demand guest: the source crosses a host MiB, the
 * destination a guest MiB whose two chunks are not adjacent; every byte
 * lands at its IPA.  Out of the guest's RAM: refused, nothing backed. */
static void test_copy_from_host_pa(void **state)
{
    const uint32_t img = POOL_BASE + 0x80000, len = 0x180000;      /* 1.5 MiB from 0.5 MiB */
    struct guest *g;
    uint32_t pa, sum_in = 0, sum_out = 0;
    uint8_t out[256];

    (void)state;
    CHECK_TRUE(gpool_take(POOL_BASE, 2 * MIB));                /* the image's RAM */
    for (uint32_t k = 0; k < len; k++) {
        arena[img - pool_base + k] = (uint8_t)(k * 7 + (k >> 11));
        sum_in += arena[img - pool_base + k];
    }
    g = demand_guest(0, 16, 0);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 4 * MIB, &pa));   /* MiB 4 first: 3 and 4 apart */
    CHECK_TRUE(guest_copy_pa_to_ipa(g, RAM_IPA + 3 * MIB + 0x40000, img, len));
    CHECK_EQ(backed(g), 2);
    for (uint32_t k = 0; k < len; k += sizeof out) {
        CHECK_TRUE(guest_copy_from_ipa(g, RAM_IPA + 3 * MIB + 0x40000 + k, out, sizeof out));
        for (unsigned i = 0; i < sizeof out; i++)
            sum_out += out[i];
        CHECK_EQ_CTX(memcmp(out, arena + img - pool_base + k, sizeof out), 0, "at image offset 0x%x", (unsigned)k);
    }
    CHECK_EQ(sum_in, sum_out);
    CHECK_FALSE(guest_copy_pa_to_ipa(g, RAM_IPA + 16 * MIB - 0x100, img, 0x200));
    CHECK_EQ(backed(g), 2);
    CHECK_TRUE(guest_copy_pa_to_ipa(g, RAM_IPA, img, 0));
}

/* Ranges taken out of the pool (monitor, static guests) are never handed out. */
static void test_take(void **state)
{
    struct guest *g;
    uint32_t pa;

    (void)state;
    CHECK_TRUE(gpool_take(POOL_BASE + MIB, 2 * MIB));
    CHECK_FALSE(gpool_take(POOL_BASE + 2 * MIB, MIB));          /* already out */
    g = demand_guest(0, 16, 0);
    CHECK_EQ(pool_free(), POOL_MIB - 2);
    for (unsigned k = 0; k < POOL_MIB - 2; k++) {
        CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + k * MIB, &pa));
        CHECK_TRUE_CTX(pa < POOL_BASE + MIB || pa >= POOL_BASE + 3 * MIB, "MiB %u at 0x%08x", k, (unsigned)pa);
    }
    CHECK_FALSE(guest_ipa_to_pa(g, RAM_IPA + 10 * MIB, &pa));
}

/* Board RAM at PA 0 (RealView PB-A8, Zynq): the chunk at PA 0 is a chunk
 * like any other (not "unbacked"). */
static void test_chunk_at_pa0(void **state)
{
    struct guest *g;
    uint32_t pa;

    (void)state;
    pool_base = 0;
    gpool_init(0, POOL_MIB * MIB);
    g = demand_guest(0, 16, 0);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 0x10, &pa));
    CHECK_EQ(pa, 0x10);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 0x20, &pa));
    CHECK_EQ(pa, 0x20);
    CHECK_EQ(backed(g), 1);
    CHECK_EQ(pool_free(), POOL_MIB - 1);
    gpmap_release(g);
    CHECK_EQ(pool_free(), POOL_MIB);
}

/* Issue 19: a 512 MiB guest (a map of 512 chunks, beyond the old 64).
 * MiBs 100, 300 and 511 (its top) are backed by distinct zeroed chunks;
 * a copy across MiBs 299/300 lands in two chunks; all three come back.
 * Its map comes from the monitor's pool: when that is short, the guest is
 * refused at load and nothing is backed. */
static void test_big_map(void **state)
{
    struct guest *g = demand_guest(0, 512, 0), *h = &guests[1];
    uint32_t pa[3], q, w = 0x5A5AA5A5u, r = 0;
    const unsigned mb[3] = { 100, 300, 511 };

    (void)state;
    for (unsigned k = 0; k < 3; k++) {
        CHECK_TRUE_CTX(guest_ipa_to_pa(g, RAM_IPA + mb[k] * MIB + 0xFFFFC, &pa[k]), "MiB %u", mb[k]);
        CHECK_EQ_CTX(pa[k] & (MIB - 1), 0xFFFFC, "MiB %u", mb[k]);
        CHECK_TRUE_CTX(all_zero(pa[k] & ~(MIB - 1), MIB), "MiB %u", mb[k]);
        for (unsigned j = 0; j < k; j++)
            CHECK_TRUE_CTX((pa[k] ^ pa[j]) >> 20, "MiBs %u and %u share a chunk", mb[k], mb[j]);
    }
    CHECK_EQ(backed(g), 3);
    CHECK_TRUE(guest_copy_to_ipa(g, RAM_IPA + 300 * MIB - 2, &w, 4));   /* MiB 299 | 300 */
    CHECK_EQ(backed(g), 4);
    CHECK_TRUE(guest_copy_from_ipa(g, RAM_IPA + 300 * MIB - 2, &r, 4));
    CHECK_EQ(r, w);
    CHECK_TRUE(guest_ipa_to_pa(g, RAM_IPA + 300 * MIB, &q));
    CHECK_EQ(q, pa[1] & ~(MIB - 1));
    CHECK_EQ(arena[q - pool_base], 0x5A);
    CHECK_FALSE(guest_ipa_to_pa(g, RAM_IPA + 512 * MIB, &q));
    gpmap_release(g);
    CHECK_EQ(pool_free(), POOL_MIB);
    /* a second one, whose 2 KiB map the monitor cannot hold */
    mon_left = 512 * 4 - 4;
    h->id = 1;
    h->name = "short";
    h->ram_ipa = RAM_IPA;
    h->ram_size = 512 * MIB;
    h->flags = GUEST_F_DEMAND;
    h->vcpu.guest = h;
    CHECK_EQ(guest_mem_init(h, false, 0, 0), -1);
    CHECK_EQ(pool_free(), POOL_MIB);
    { struct gpmap_info i; CHECK_FALSE(gpmap_info(h, &i)); }   /* not a guest on demand */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, unit_ubsan_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_first_touch), T(test_exhaustion), T(test_minimum), T(test_minimum_refused),
        T(test_release_zeroes), T(test_reset), T(test_boundary_copy), T(test_copy_all_or_nothing),
        T(test_take), T(test_chunk_at_pa0), T(test_copy_from_host_pa), T(test_big_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
