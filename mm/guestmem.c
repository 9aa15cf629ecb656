/*
 * Guest RAM and the guest's address space.
 *
 * Each guest owns one static RAM region (its VM configuration), placed in
 * host RAM by ram_alloc().  With the guest's MMU off its virtual addresses
 * equal its intermediate physical addresses (IPA), so the table the MMU
 * walks maps the guest RAM flat, in 1 MiB sections, non-global under the
 * guest's ASID, accessible from User mode, plus the monitor window (global,
 * PL1 only).  Nothing else is mapped: any other guest access faults into
 * the monitor, which decides what the guest sees.
 */
#include "mm.h"
#include <arch/arch.h>
#include <arch/memmap.h>
#include <arch/mmu-defs.h>
#include "../core/guest.h"
#include "../core/hv.h"
#include "../core/string.h"

#define GUEST_SECT_RAM (L1_TYPE_SECT | L1_SECT_NORMAL_WBWA | L1_SECT_AP_ALL_RW | \
                        L1_SECT_NG | L1_DOMAIN(HV_DOMAIN_GUEST))

static bool overlaps_window(uint32_t base, uint32_t size)
{
    uint64_t end = (uint64_t)base + size;
    return base < HV_WINDOW_BASE + (uint64_t)HV_WINDOW_SIZE && end > HV_WINDOW_BASE;
}

int guest_mem_init(struct guest *g)
{
    if (!g->ram_size || (g->ram_size | g->ram_ipa) & (SZ_1M - 1)) {
        hv_printf("monitor: guest %d (%s): RAM 0x%08x+0x%x is not 1 MiB aligned\n",
                  g->id, g->name, (unsigned)g->ram_ipa, (unsigned)g->ram_size);
        return -1;
    }
    if ((uint64_t)g->ram_ipa + g->ram_size > 0x100000000ull || overlaps_window(g->ram_ipa, g->ram_size)) {
        hv_printf("monitor: guest %d (%s): RAM 0x%08x+0x%x overlaps the monitor window 0x%08x-0x%08x\n",
                  g->id, g->name, (unsigned)g->ram_ipa, (unsigned)g->ram_size,
                  HV_WINDOW_BASE, HV_WINDOW_BASE + HV_WINDOW_SIZE - 1);
        return -1;
    }
    g->ram_pa = ram_alloc(g->ram_size);
    if (!g->ram_pa) {
        hv_printf("monitor: guest %d (%s): not enough host RAM for %u MiB\n",
                  g->id, g->name, (unsigned)(g->ram_size >> 20));
        return -1;
    }
    g->l1 = pool_alloc(SZ_16K, SZ_16K);
    if (!g->l1) {
        hv_printf("monitor: guest %d (%s): monitor pool exhausted\n", g->id, g->name);
        return -1;
    }
    g->l1_pa = arch_virt_to_phys(g->l1);
    g->asid = (uint8_t)(g->id + 1);             /* ASID 0 is reserved (arch_switch_mm) */

    memcpy(&g->l1[HV_WINDOW_L1_FIRST], arch_monitor_l1(), HV_WINDOW_L1_COUNT * 4);
    for (uint32_t off = 0; off < g->ram_size; off += SZ_1M)
        g->l1[(g->ram_ipa + off) >> 20] = (g->ram_pa + off) | GUEST_SECT_RAM;
    arch_dcache_clean_range(g->l1, SZ_16K);
    return 0;
}

bool guest_ipa_to_pa(const struct guest *g, uint32_t ipa, uint32_t *pa)
{
    if (ipa - g->ram_ipa >= g->ram_size)
        return false;
    *pa = g->ram_pa + (ipa - g->ram_ipa);
    return true;
}

/* Copy between the monitor and guest IPA space, 1 MiB section at a time.
 * The whole range is checked first: a failing access changes nothing. */
static bool ipa_copy(struct guest *g, uint32_t ipa, void *buf, const void *src, size_t len)
{
    if (ipa - g->ram_ipa >= g->ram_size || len > g->ram_size - (ipa - g->ram_ipa))
        return false;
    while (len) {
        uint32_t pa;
        size_t chunk;
        uint8_t *p;

        if (!guest_ipa_to_pa(g, ipa, &pa))
            return false;
        chunk = SZ_1M - (pa & (SZ_1M - 1));
        if (chunk > len)
            chunk = len;
        if (chunk > g->ram_ipa + g->ram_size - ipa)
            chunk = g->ram_ipa + g->ram_size - ipa;
        p = arch_physmap(0, pa);
        if (buf)
            memcpy(buf, p, chunk);
        else if (src)
            memcpy(p, src, chunk);
        else
            memset(p, 0, chunk);
        if (buf)
            buf = (uint8_t *)buf + chunk;
        if (src)
            src = (const uint8_t *)src + chunk;
        ipa += chunk;
        len -= chunk;
    }
    return true;
}

/* Guest VA -> IPA.  The guest MMU is off (flat) in this build; the shadow
 * page-table walker of the memory issue replaces this. */
static bool guest_va_to_ipa(struct vcpu *v, uint32_t va, uint32_t *ipa)
{
    (void)v;
    *ipa = va;
    return true;
}

static uint32_t guest_access(struct vcpu *v, uint32_t va, void *buf, const void *src, size_t len)
{
    uint32_t ipa;

    if (!guest_va_to_ipa(v, va, &ipa))
        return FSR_TRANS_SECTION;
    if (!ipa_copy(v->guest, ipa, buf, src, len))
        return FSR_EXT_ABORT;
    return 0;
}

uint32_t guest_read(struct vcpu *v, uint32_t va, void *buf, size_t len)
{
    return guest_access(v, va, buf, NULL, len);
}

uint32_t guest_write(struct vcpu *v, uint32_t va, const void *buf, size_t len)
{
    return guest_access(v, va, NULL, buf, len);
}

bool guest_copy_to_ipa(struct guest *g, uint32_t ipa, const void *src, size_t len)
{
    return len == 0 || ipa_copy(g, ipa, NULL, src, len);
}

bool guest_zero_ipa(struct guest *g, uint32_t ipa, size_t len)
{
    return len == 0 || ipa_copy(g, ipa, NULL, NULL, len);
}
