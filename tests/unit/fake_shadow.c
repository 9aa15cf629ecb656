/*
 * Fake platform for test_shadow (see fake_shadow.h): everything mm/shadow.c
 * calls outside itself and mm/walk.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include "fake_shadow.h"
#include "hv.h"
#include "../../mm/mm.h"
#include "idregs.h"
#include <arch/memmap.h>
#include <arch/mmu-defs.h>

struct shf_state shf;
uint8_t shf_ram[SHF_RAM_SIZE];
uint32_t shf_window[16];

static uint8_t arena[SHF_ARENA_SIZE] __attribute__((aligned(SZ_16K)));

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fake_shadow: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

void shf_reset(void)
{
    uint32_t l1_pa = shf.l1_pa;
    uint8_t asid = shf.asid;
    size_t used = shf.pool_used;
    uint32_t asid_l1[256];

    memcpy(asid_l1, shf.asid_l1, sizeof(asid_l1));  /* shadow.c keeps its ASIDs */
    memset(&shf, 0, sizeof(shf));
    memcpy(shf.asid_l1, asid_l1, sizeof(asid_l1));
    shf.l1_pa = l1_pa;
    shf.asid = asid;
    shf.pool_used = used;
    memset(shf_ram, 0, sizeof(shf_ram));
    /* the monitor window: PL1-only global sections in domain 0 */
    for (unsigned i = 0; i < 16; i++)
        shf_window[i] = (0x80000000u + (i << 20)) | HV_SECT_RAM;
}

static bool ram_has(uint32_t ipa, size_t len)
{
    return ipa >= SHF_RAM_IPA && (uint64_t)ipa - SHF_RAM_IPA + len <= SHF_RAM_SIZE;
}

void shf_put32(uint32_t ipa, uint32_t val)
{
    if (!ram_has(ipa, 4))
        die("shf_put32: IPA 0x%08x outside guest RAM", (unsigned)ipa);
    memcpy(&shf_ram[ipa - SHF_RAM_IPA], &val, 4);
}

uint32_t shf_get32(uint32_t ipa)
{
    uint32_t v;
    if (!ram_has(ipa, 4))
        die("shf_get32: IPA 0x%08x outside guest RAM", (unsigned)ipa);
    memcpy(&v, &shf_ram[ipa - SHF_RAM_IPA], 4);
    return v;
}

bool shf_pa_in_arena(uint32_t pa)
{
    return pa >= SHF_ARENA_PA && pa - SHF_ARENA_PA < SHF_ARENA_SIZE;
}

uint32_t *shf_pa_to_ptr(uint32_t pa)
{
    if (!shf_pa_in_arena(pa) || (pa & 3))
        die("PA 0x%08x is not monitor memory", (unsigned)pa);
    return (uint32_t *)(void *)&arena[pa - SHF_ARENA_PA];
}

/* ---- mm.h: the monitor pool -------------------------------------------- */
void *pool_alloc(size_t bytes, size_t align)
{
    size_t at = (shf.pool_used + align - 1) & ~(align - 1);

    if (shf.pool_fail || at + bytes > SHF_ARENA_SIZE || (shf.pool_limit && at + bytes > shf.pool_limit))
        return NULL;
    shf.pool_used = at + bytes;
    memset(&arena[at], 0, bytes);
    return &arena[at];
}

size_t pool_free_bytes(void)
{
    size_t end = shf.pool_limit ? shf.pool_limit : SHF_ARENA_SIZE;

    return end > shf.pool_used ? end - shf.pool_used : 0;
}

bool guest_ipa_to_pa(const struct guest *g, uint32_t ipa, uint32_t *pa)
{
    if (ipa - g->ram_ipa >= g->ram_size)
        return false;
    *pa = g->ram_pa + (ipa - g->ram_ipa);
    return true;
}

/* ---- arch.h ------------------------------------------------------------ */
uint32_t arch_virt_to_phys(const void *va)
{
    const uint8_t *p = va;

    if (p < arena || p >= arena + SHF_ARENA_SIZE)
        die("arch_virt_to_phys(%p): not monitor memory", va);
    return SHF_ARENA_PA + (uint32_t)(p - arena);
}

void *arch_phys_to_virt(uint32_t pa)
{
    if (!shf_pa_in_arena(pa))
        die("arch_phys_to_virt(0x%08x): not monitor memory", (unsigned)pa);
    return &arena[pa - SHF_ARENA_PA];
}

void *arch_physmap(unsigned slot, uint32_t pa)
{
    if (slot >= HV_PHYSMAP_SLOTS)
        die("arch_physmap: bad slot %u", slot);
    if (pa < SHF_RAM_PA || pa - SHF_RAM_PA >= SHF_RAM_SIZE)
        die("arch_physmap(%u, 0x%08x): not guest RAM", slot, (unsigned)pa);
    shf.physmap_count++;
    return &shf_ram[pa - SHF_RAM_PA];
}

const uint32_t *arch_monitor_l1(void)
{
    return shf_window;
}

void arch_switch_mm(uint32_t l1_pa, uint8_t asid)
{
    if (!shf_pa_in_arena(l1_pa) || (l1_pa & (SZ_16K - 1)))
        die("arch_switch_mm(0x%08x): not a 16 KiB aligned table in monitor memory",
            (unsigned)l1_pa);
    if (!asid || (shf.asid_l1[asid] && shf.asid_l1[asid] != l1_pa)) {
        if (!shf.asid_conflicts)
            snprintf(shf.asid_conflict_msg, sizeof(shf.asid_conflict_msg),
                     "ASID %u switched to with table 0x%08x, still naming 0x%08x",
                     asid, (unsigned)l1_pa, (unsigned)shf.asid_l1[asid]);
        shf.asid_conflicts++;
    }
    shf.asid_l1[asid] = l1_pa;
    shf.l1_pa = l1_pa;
    shf.asid = asid;
    shf.switch_count++;
}

void arch_asid_recycle(uint8_t asid)
{
    if (!asid || asid == shf.asid) {
        if (!shf.asid_conflicts)
            snprintf(shf.asid_conflict_msg, sizeof(shf.asid_conflict_msg),
                     "ASID %u recycled while %s", asid, asid ? "current" : "reserved");
        shf.asid_conflicts++;
    }
    shf.asid_l1[asid] = 0;
    shf.recycle_count++;
    shf.recycle_last = asid;
}

void arch_tlb_flush_all(void)
{
    shf.flush_all_count++;
}

void arch_tlb_flush_asid(uint8_t asid)
{
    shf.flush_asid_count++;
    shf.flush_asid_last = asid;
}

void arch_tlb_flush_va(uint32_t va, uint8_t asid)
{
    if (shf.flush_va_count < SHF_LOG) {
        shf.flush_va[shf.flush_va_count] = va;
        shf.flush_va_asid[shf.flush_va_count] = asid;
    }
    shf.flush_va_count++;
}

void arch_sync_code_pa(uint32_t pa, size_t len)
{
    shf.sync_code_count++;
}

bool vid_has_pxn(void)
{
    return shf.pxn;
}

void arch_set_dacr(uint32_t dacr)
{
    shf.dacr = dacr;
    shf.dacr_count++;
}

void arch_dcache_clean_range(const void *va, size_t len)
{
}

/* ---- guest lifecycle, console ------------------------------------------- */
void guest_stop(struct guest *g, const char *fmt, ...)
{
    va_list ap;

    shf.stop_count++;
    va_start(ap, fmt);
    vsnprintf(shf.stop_msg, sizeof(shf.stop_msg), fmt, ap);
    va_end(ap);
    g->exit_status = -1;
    g->vcpu.state = VCPU_STOPPED;
}

void hv_vprintf(const char *fmt, va_list ap)
{
    shf.printf_count++;
}

void hv_printf(const char *fmt, ...)
{
    shf.printf_count++;
}

void hv_panic(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "hv_panic: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}
