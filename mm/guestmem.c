/*
 * Guest RAM and the guest's address space.
 *
 * Each guest owns one RAM region (its VM configuration): placed in host
 * RAM at build time (or by ram_alloc()), or, with backing=demand, backed
 * 1 MiB chunk by chunk at first touch (mm/gpmap.c; guest_ipa_to_pa() is the
 * one place that asks).  The translation tables the MMU walks for it are
 * shadow tables (mm/shadow.c); this file accesses guest memory for the
 * monitor: by IPA (loader) or by guest virtual address (emulation,
 * hypercall buffers), always inside the guest's RAM.
 */
#include "mm.h"
#include <arch/arch.h>
#include <arch/memmap.h>
#include <arch/mmu-defs.h>
#include "../core/guest.h"
#include "../core/hv.h"
#include "../core/string.h"
#include "walk.h"

static bool overlaps_window(uint32_t base, uint32_t size)
{
    uint64_t end = (uint64_t)base + size;
    return base < HV_WINDOW_BASE + (uint64_t)HV_WINDOW_SIZE && end > HV_WINDOW_BASE;
}

int guest_mem_init(struct guest *g, bool coherence_wp, uint32_t ram_pa, uint32_t demand_min)
{
    if (!g->ram_size || (g->ram_size | g->ram_ipa) & (SZ_1M - 1) || (g->ram_size >> 20) > GUEST_RAM_MAX_MIB) {
        hv_printf("monitor: guest %d (%s): RAM 0x%08x+0x%x is not 1 MiB aligned or above %u MiB\n",
                  g->id, g->name, (unsigned)g->ram_ipa, (unsigned)g->ram_size, (unsigned)GUEST_RAM_MAX_MIB);
        return -1;
    }
    if ((uint64_t)g->ram_ipa + g->ram_size > 0x100000000ull || overlaps_window(g->ram_ipa, g->ram_size)) {
        hv_printf("monitor: guest %d (%s): RAM 0x%08x+0x%x overlaps the monitor window 0x%08x-0x%08x\n",
                  g->id, g->name, (unsigned)g->ram_ipa, (unsigned)g->ram_size,
                  HV_WINDOW_BASE, HV_WINDOW_BASE + HV_WINDOW_SIZE - 1);
        return -1;
    }
    if (g->flags & GUEST_F_DEMAND) {
        /* Backed chunk by chunk at first touch (mm/gpmap.c). */
        if (gpmap_init(g, demand_min))
            return -1;
        g->ram_pa = 0;
    } else if (ram_pa) {
        /* Placed at build time (tools/mkguests.py); the monitor may still have
         * been loaded elsewhere (u-boot), so check against where it is now. */
        if (!ram_claim(ram_pa, g->ram_size)) {
            hv_printf("monitor: guest %d (%s): its RAM at 0x%08x-0x%08x is outside the board's RAM "
                      "or overlaps the monitor at 0x%08x-0x%08x (VM file: at=)\n", g->id, g->name,
                      (unsigned)ram_pa, (unsigned)(ram_pa + g->ram_size - 1),
                      (unsigned)hv_boot_info.phys_base,
                      (unsigned)(hv_boot_info.phys_base + HV_RAM_SIZE - 1));
            return -1;
        }
        g->ram_pa = ram_pa;
    } else {
        g->ram_pa = ram_alloc(g->ram_size);
        /* out of the demand guests' pool too (never yet handed out) */
        if (g->ram_pa && !gpool_take(g->ram_pa, g->ram_size))
            g->ram_pa = 0;
    }
    if (!g->ram_pa && !(g->flags & GUEST_F_DEMAND)) {
        hv_printf("monitor: guest %d (%s): not enough host RAM for %u MiB\n",
                  g->id, g->name, (unsigned)(g->ram_size >> 20));
        return -1;
    }
    g->mm.coh = coherence_wp ? COH_WP : COH_TLB;
    if (shadow_guest_init(g))
        return -1;                      /* it said what it needs */
    return 0;
}

void guest_mem_release(struct guest *g)
{
    if (g->flags & GUEST_F_DEMAND)
        gpmap_release(g);
}

void guest_mem_reset(struct guest *g)
{
    if (g->flags & GUEST_F_DEMAND)
        gpmap_reset(g);         /* new chunks are zeroed as they are touched */
    else
        guest_zero_ipa(g, g->ram_ipa, g->ram_size);
}

/* For a demand guest this backs the chunk on first touch: every access to
 * guest memory by IPA comes here, so one place decides. */
bool guest_ipa_to_pa(const struct guest *g, uint32_t ipa, uint32_t *pa)
{
    if (ipa - g->ram_ipa >= g->ram_size)
        return false;
    if (g->flags & GUEST_F_DEMAND)
        return gpmap_pa(g, ipa, pa);
    *pa = g->ram_pa + (ipa - g->ram_ipa);
    return true;
}

/* Copy between the monitor and guest IPA space, 1 MiB section at a time
 * (guest RAM is contiguous in host memory only within a MiB: a demand
 * guest's chunks, mm/gpmap.c).  The whole range is checked, and backed,
 * first: a failing access changes nothing. */
static bool ipa_copy_check(struct guest *g, uint32_t ipa, size_t len)
{
    uint32_t pa;

    if (ipa - g->ram_ipa >= g->ram_size || len > g->ram_size - (ipa - g->ram_ipa))
        return false;
    if (len && (g->flags & GUEST_F_DEMAND))
        for (uint32_t mb = (ipa - g->ram_ipa) >> 20; mb <= (ipa - g->ram_ipa + len - 1) >> 20; mb++)
            if (!guest_ipa_to_pa(g, g->ram_ipa + (mb << 20), &pa))
                return false;
    return true;
}

static bool ipa_copy(struct guest *g, uint32_t ipa, void *buf, const void *src, size_t len)
{
    uint32_t pa;

    if (!ipa_copy_check(g, ipa, len))
        return false;
    while (len) {
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

/* The longest access any caller makes is HC_WRITE's 4 KiB at any offset
 * (2 pages); one page more for host-side tests. */
#define ACCESS_MAX_PAGES 3

/*
 * Guest virtual memory, as the guest's current virtual mode sees it: with
 * the guest MMU on, through its own tables (the walk checks permissions),
 * else flat.  Every page is translated and checked before anything is
 * copied, so a faulting access changes nothing; the copy then uses those
 * translations, so a store that rewrites the tables mapping its own later
 * part still lands where they said when it started (as a CPU's would,
 * through its TLB) and never re-walks half-written tables.
 */
uint32_t guest_access_as(struct vcpu *v, uint32_t va, void *buf, const void *src, size_t len, bool pl1)
{
    struct guest *g = v->guest;
    bool write = src != NULL, mmu = v->cp15.sctlr & SCTLR_M;
    uint32_t ipas[ACCESS_MAX_PAGES], a = va, pa;
    size_t left = len, chunk;
    unsigned n = 0;
    struct mmu_regs m;
    struct walk_result w;

    if (((va & 0xFFFu) + (uint64_t)len + 0xFFF) >> 12 > ACCESS_MAX_PAGES)
        hv_panic("guest_access_as: %u bytes at 0x%08x: longer than any caller needs",
                 (unsigned)len, (unsigned)va);
    if (mmu)
        shadow_mmu_regs(v, &m);
    for (; left; a += chunk, left -= chunk) {
        uint32_t ipa = a;
        chunk = 0x1000 - (a & 0xFFF);
        if (chunk > left)
            chunk = left;
        if (mmu) {
            uint32_t fsr = mmu_translate(&m, a, write ? ACC_WRITE : ACC_READ, pl1,
                                         shadow_read_ipa, g, &w);
            if (fsr)
                return fsr;
            ipa = w.ipa;
        }
        if (!guest_ipa_to_pa(g, ipa, &pa) || !guest_ipa_to_pa(g, ipa + chunk - 1, &pa))
            return FSR_EXT_ABORT;
        ipas[n++] = ipa;
    }
    for (a = va, left = len, n = 0; left; a += chunk, left -= chunk, n++) {
        chunk = 0x1000 - (a & 0xFFF);
        if (chunk > left)
            chunk = left;
        ipa_copy(g, ipas[n], buf, src, chunk);
        if (write)
            shadow_guest_wrote(g, ipas[n], chunk);
        if (buf)
            buf = (uint8_t *)buf + chunk;
        if (src)
            src = (const uint8_t *)src + chunk;
    }
    return 0;
}

uint32_t guest_read(struct vcpu *v, uint32_t va, void *buf, size_t len)
{
    return guest_access_as(v, va, buf, NULL, len, vmode_privileged(v));
}

uint32_t guest_write(struct vcpu *v, uint32_t va, const void *buf, size_t len)
{
    return guest_access_as(v, va, NULL, buf, len, vmode_privileged(v));
}

bool guest_copy_to_ipa(struct guest *g, uint32_t ipa, const void *src, size_t len)
{
    return len == 0 || ipa_copy(g, ipa, NULL, src, len);
}

/* The physmap slot of the source of guest_copy_pa_to_ipa(): ipa_copy()
 * maps the destination in slot 0 (and backs chunks through it); slot 1 is
 * otherwise the shadow's, which maps again on every access. */
#define SRC_SLOT 1

/* From host RAM outside the monitor's window (a guest image: the loader).
 * One source MiB at a time, each copied by ipa_copy(); the whole
 * destination is checked, and backed, first, as there. */
bool guest_copy_pa_to_ipa(struct guest *g, uint32_t ipa, uint32_t pa, size_t len)
{
    if (len && !ipa_copy_check(g, ipa, len))
        return false;
    while (len) {
        size_t chunk = SZ_1M - (pa & (SZ_1M - 1));
        if (chunk > len)
            chunk = len;
        if (!ipa_copy(g, ipa, NULL, arch_physmap(SRC_SLOT, pa), chunk))
            return false;
        ipa += chunk;
        pa += chunk;
        len -= chunk;
    }
    return true;
}

bool guest_copy_from_ipa(struct guest *g, uint32_t ipa, void *dst, size_t len)
{
    return len == 0 || ipa_copy(g, ipa, dst, NULL, len);
}

bool guest_zero_ipa(struct guest *g, uint32_t ipa, size_t len)
{
    return len == 0 || ipa_copy(g, ipa, NULL, NULL, len);
}

/* The guest runs in User mode whatever its virtual mode, so a User-rights
 * load through its current shadow space succeeds only where the guest's own
 * access would; where it fails (not yet shadowed, or a real fault) the walk
 * of the guest's tables decides. */
uint32_t guest_read_words(struct vcpu *v, uint32_t va, uint32_t *w, unsigned n)
{
    if (n && !(va & 3) && arch_guest_load_words_pl0(va, w, n) == 0)
        return 0;
    return guest_read(v, va, w, 4 * (size_t)n);
}

uint32_t guest_fetch_insn(struct vcpu *v, uint32_t va, uint32_t *insn)
{
    if (!(va & 3) && arch_guest_load_word(va, insn) == 0)
        return 0;
    return guest_read(v, va, insn, 4);
}
