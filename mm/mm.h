/* Memory management: monitor page pool, host RAM for guests, guest memory. */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "shadow.h"

struct shadow_space;
struct mmio_region;

/* Per-guest memory-virtualization state (mm/shadow.c). */
struct guest_mm {
    enum coherence coh;
    struct shadow_space *cur;       /* the space the MMU walks now */
    /* Per page and per MiB of guest RAM, sized from its RAM and reserved
     * at load (shadow_guest_init(); SHADOW_BYTES_PER_PAGE/_MIB). */
    uint8_t *page_flags;            /* per 4 KiB page of guest RAM */
    uint8_t *mb_flags;              /* per MiB of guest RAM */
    uint16_t *mb_tracked;           /* tracked table pages per MiB */
    /* Where writable shadow entries of guest RAM may be (mode b), so that a
     * page becoming a table is unprotected everywhere without a flush:
     * per page the VA of its writable L2 entries, per MiB the L1 index of
     * its writable sections (mm/shadow.c: WVA_*, WS_*). */
    uint32_t *page_wva;
    uint32_t tw_page;               /* LAZY_WP: the table page of the last */
    unsigned tw_count;              /* trapped stores, how many in a row */
    uint16_t *mb_wsect;             /* per MiB */
    uint32_t fault_va;              /* no-progress detection: last repaired */
    int fault_acc;
    uint32_t fault_pc;
    uint32_t unprotect_pc, unprotect_va; /* table stores that cannot be emulated */
    unsigned unprotect_repeat;
    unsigned fault_repeat;
    /* The guest-visible MiB of the monitor window (the SRFA page). */
    uint32_t *guestvis_l2;
    uint32_t guestvis_l1desc;       /* its L1 entry in every space, 0: none */
    bool srfa_ro;
    /* Bumped whenever a translation of the guest that the monitor may hold
     * outside the shadow tables can have changed: any shadow entry dropped
     * or space cleared, guest TLB maintenance (mode a), a flush. */
    uint32_t gen;
    /* FAST_MMIO (core/mmio.c): the last device page a guest access hit, as
     * the guest's tables translated it, valid while gen and the current
     * space are unchanged; ok: bit (pl1 * 2 + write) per access allowed. */
    struct {
        uint32_t va_page, ipa_page, gen;
        const struct shadow_space *space;
        const struct mmio_region *region;
        uint8_t ok;
    } mmio_tc;
};

struct guest;
struct vcpu;

void mm_init(void);
/* Zeroed memory from the monitor's pool (monitor RAM), or NULL. */
void *pool_alloc(size_t bytes, size_t align);
size_t pool_free_bytes(void);
/* 1 MiB aligned host-physical RAM for a guest, or 0. */
uint32_t ram_alloc(uint32_t size);
/* A statically placed region: inside the board's RAM and clear of the monitor. */
bool ram_claim(uint32_t pa, uint32_t size);

/*
 * Guest RAM backed on demand (mm/gpmap.c, VM file backing=demand): the host
 * page pool (1 MiB chunks) and each demand guest's IPA -> PA chunk map.
 */
/* At boot, before any guest is loaded: the board's RAM less the monitor,
 * its disk images and the static guests (mm/pagealloc.c). */
void guest_pool_init(void);
/* The pool is [base, base + size) less what gpool_take() removes. */
void gpool_init(uint32_t base, uint32_t size);
/* Not for guests on demand (the monitor, disks, static guests); false if a
 * chunk of the range was already out of the pool. */
bool gpool_take(uint32_t pa, uint32_t size);
/* A demand guest: reserve its minimum (bytes); -1 (said why) if it does not fit. */
int gpmap_init(struct guest *g, uint32_t min_bytes);
/* The PA of a demand guest's IPA (inside its RAM), backing its chunk (zeroed)
 * on first touch; false, with the guest stopped, when the pool is dry. */
bool gpmap_pa(const struct guest *g, uint32_t ipa, uint32_t *pa);
/* Exit/stop: every chunk back to the pool (said on the console). */
void gpmap_release(struct guest *g);
/* Reset: chunks back, the guest may get them again (its image is reloaded
 * next; gpmap_loaded() when done). */
void gpmap_reset(struct guest *g);
void gpmap_loaded(struct guest *g);
/* A demand guest's MiB at `ipa` is backed now (false: not yet, or a static guest). */
bool gpmap_backed(const struct guest *g, uint32_t ipa);
/* Give the chunk backing MiB `ipa` of a demand guest back to the pool (its
 * balloon holds the whole MiB).  The caller has removed every mapping of it
 * (shadow entries, TLB); the next touch backs a new, zeroed chunk. */
void gpmap_unback(struct guest *g, uint32_t ipa);
struct gpmap_info {
    unsigned configured, backed, min, reused;    /* MiB (reused: chunks other guests held before) */
    unsigned ballooned;                          /* MiB given back by its balloon so far */
    unsigned pool_free, pool_total, pool_reserved;
};
/* Its numbers; false for a statically placed guest (backed = min = configured). */
bool gpmap_info(const struct guest *g, struct gpmap_info *i);
void gpmap_print(const struct guest *g);

/* Guest RAM and its shadow address spaces. */
/* ram_pa: its static placement, 0: allocate; demand_min: with GUEST_F_DEMAND, its minimum (bytes). */
int guest_mem_init(struct guest *g, bool coherence_wp, uint32_t ram_pa, uint32_t demand_min);
/* Exit, stop: a demand guest's chunks back to the pool. */
void guest_mem_release(struct guest *g);
/* Before reloading its image: a static guest's RAM cleared, a demand guest's given back. */
void guest_mem_reset(struct guest *g);
bool guest_ipa_to_pa(const struct guest *g, uint32_t ipa, uint32_t *pa);

/*
 * Access guest memory at a guest virtual address with the guest's own view
 * of memory.  Returns 0, or the short-descriptor fault status (DFSR FS
 * encoding, WnR not included) a CPU would report for the access.
 */
uint32_t guest_read(struct vcpu *v, uint32_t va, void *buf, size_t len);
/* The instruction word the running guest just trapped on (fast path: through
 * the MMU's current translation; falls back to guest_read). */
uint32_t guest_fetch_insn(struct vcpu *v, uint32_t va, uint32_t *insn);
/* n words at a word-aligned va of the running guest, as guest_read() gives
 * them (fast path: through the MMU's current translation with the rights the
 * guest has there; falls back to guest_read). */
uint32_t guest_read_words(struct vcpu *v, uint32_t va, uint32_t *w, unsigned n);
uint32_t guest_write(struct vcpu *v, uint32_t va, const void *buf, size_t len);
/* The same with explicit privilege (LDRT/STRT use PL0 rights). */
uint32_t guest_access_as(struct vcpu *v, uint32_t va, void *buf, const void *src, size_t len, bool pl1);
/* Host-physical copy into guest RAM at an IPA (loader). */
bool guest_copy_to_ipa(struct guest *g, uint32_t ipa, const void *src, size_t len);
bool guest_zero_ipa(struct guest *g, uint32_t ipa, size_t len);
/* Copy host RAM at physical pa (outside the monitor's window: a guest
 * image) into guest RAM at an IPA (loader). */
bool guest_copy_pa_to_ipa(struct guest *g, uint32_t ipa, uint32_t pa, size_t len);
/* Host-physical copy out of guest RAM at an IPA (device models, virtio). */
bool guest_copy_from_ipa(struct guest *g, uint32_t ipa, void *dst, size_t len);

/* Fault status codes (ARM ARM B3.13.3, short-descriptor FSR encodings). */
#define FSR_ALIGNMENT       0x001
#define FSR_DEBUG           0x002
#define FSR_EXT_ABORT       0x008
#define FSR_TRANS_SECTION   0x005
#define FSR_TRANS_PAGE      0x007
#define FSR_WNR             (1u << 11)

#endif
