/*
 * Shadow page tables: the translation tables the real MMU walks for a guest.
 * See mm/shadow.c for the design.
 */
#ifndef MM_SHADOW_H
#define MM_SHADOW_H

#include <stdint.h>
#include <stdbool.h>
#include "walk.h"

struct guest;
struct vcpu;

/* How shadow tables stay coherent with the guest's tables (per guest). */
enum coherence {
    COH_TLB,    /* (a) invalidated by the guest's trapped TLB maintenance */
    COH_WP,     /* (b) guest table pages write-protected: every write is seen */
};

enum fault_result {
    FAULT_FIXED,        /* shadow entry filled or repaired: retry the access */
    FAULT_GUEST,        /* the guest's own tables fault: inject with *fsr */
    FAULT_NO_MEMORY,    /* IPA outside guest RAM: synchronous external abort */
    FAULT_STOPPED,      /* the guest was stopped (monitor window, no progress) */
    FAULT_TABLE_WRITE,  /* a permitted write to a write-protected guest table
                           page (mode b): emulate the store, or unprotect */
};

/* Shadow address spaces cached per guest: its VM file's spaces=N, 1..this,
 * default SHADOW_SPACES_DEFAULT (tools/mkguests.py reads both), each a
 * 16 KiB L1 table reserved at load. */
#define SHADOW_SPACES_MAX   64
#define SHADOW_SPACES_DEFAULT 4
/* Bounded pool of 1 KiB shadow L2 tables, shared by the VM's guests.  A
 * Linux guest held at most 191 of them (24 or 32 spaces, 16 processes
 * switching: make bench ctx16), the bare-metal mmu test guest 12; memory left over
 * is better spent on spaces (docs/memory-map.md). */
#define SHADOW_L2_TABLES    512
/* The monitor's memory per guest for its shadow paging, reserved at load
 * (shadow_guest_init(); tools/mkguests.py reads these to refuse a VM that
 * cannot fit): per 4 KiB page of its RAM the page flags (1 byte) and, with
 * coherence=wp, the VA of its writable entries (4 more); per MiB the MiB
 * flags (1), tracked table pages (2) and writable section index (2); per
 * space its 16 KiB L1 table. */
#define SHADOW_BYTES_PER_PAGE 1
#define SHADOW_BYTES_PER_PAGE_WP 4
#define SHADOW_BYTES_PER_MIB  5
#define SHADOW_L1_BYTES     16384

/* Real DACR for the guest's virtual privilege (domains: 0 monitor, 1 guest
 * kernel-only, 2 guest user-only (user code the kernel may not execute:
 * PXN), 3 shared; see docs/memory-map.md). */
#define DACR_GUEST_KERNEL   0x45
#define DACR_GUEST_USER     0x51

/* The VM has `nguests` guests caching `spaces` shadow spaces in all: each
 * may hold a share of the L2 pool in proportion to its spaces (before the
 * first shadow_guest_init()). */
void shadow_init(unsigned nguests, unsigned spaces);
/* Reserve everything the guest's shadow paging will use (g->spaces spaces);
 * -1 (said why): it does not fit in the monitor's memory. */
int shadow_guest_init(struct guest *g);
/* Make the right shadow space current for the vCPU's MMU state. */
void shadow_activate(struct vcpu *v);
/* Guest changed TTBR1/TTBCR/DACR/SCTLR bits: every cached space is stale. */
void shadow_flush_guest(struct guest *g);
/* A guest restarted from its image: flush, and no guest page is a table any more. */
void shadow_guest_reset(struct guest *g);
/* A guest access faulted in the shadow; decide and repair. */
/* *ipa: the IPA the guest's tables give for va (when not FAULT_GUEST). */
enum fault_result shadow_fault(struct vcpu *v, uint32_t va, enum mmu_access acc, uint32_t *fsr,
                               uint32_t *ipa);
/* Fill the shadow entry a guest read of `va` would get, if the guest's
 * tables allow the read in the current virtual mode and it is guest RAM
 * outside the monitor window (cache maintenance by VA: FAST_CP15).
 * Never stops the guest or injects anything.  True if it is mapped now. */
bool shadow_prefill(struct vcpu *v, uint32_t va);
/* LAZY_WP: an emulated store into the tracked table page at ipa is done;
 * if nothing is built from that page any more, stop protecting it until the
 * next walk through it. */
void shadow_table_stored(struct guest *g, uint32_t ipa);
#ifndef SPACE_INHERIT
#define SPACE_INHERIT 1 /* make SPACE_INHERIT=0: every new space starts empty */
#endif
#ifndef LAZY_WP
#define LAZY_WP 1       /* make LAZY_WP=0: table pages stay protected until unprotected */
#endif
/* Give up protecting the table page `va` writes to (the store could not
 * be emulated): entries built from it are dropped. */
void shadow_unprotect(struct vcpu *v, uint32_t va);
/* Guest TLB maintenance (coherence mode a). */
enum tlb_op { TLB_ALL, TLB_MVA, TLB_ASID, TLB_MVA_ALL_ASID };
void shadow_tlb_op(struct vcpu *v, enum tlb_op op, uint32_t arg);
/* The monitor wrote guest memory at [ipa, ipa+len) on the guest's behalf. */
void shadow_guest_wrote(struct guest *g, uint32_t ipa, uint32_t len);
/* Virtual kernel <-> user switch: one DACR write. */
void shadow_privilege_changed(struct vcpu *v);
/* The SRFA page at PV_SRFA_VA in every space of the guest (kernel view
 * only; NULL: none), and whether guest stores to it trap (interrupt pending and masked). */
int shadow_srfa_map(struct guest *g, void *page);
void shadow_srfa_protect(struct guest *g, bool ro);
/* FIT self-patching (core/fit.c) of the instruction at `va`, IPA `ipa`:
 * allowed only if the CPU fetched it from that page (the active shadow
 * space maps `va` there); shadow entries that may let virtual User mode
 * execute the page are dropped first (all of the guest's).  A recorded patch
 * (the original word kept) is undone before any later entry lets virtual
 * User mode execute the page.  False: do not patch. */
bool shadow_patch_allowed(struct vcpu *v, uint32_t va, uint32_t ipa);
bool shadow_patch_record(struct guest *g, uint32_t ipa, uint32_t orig, uint32_t rep);
/* The guest's MMU registers as the walker wants them. */
void shadow_mmu_regs(const struct vcpu *v, struct mmu_regs *m);
/* Read a guest word at an IPA (walker callback; ctx = struct guest *). */
bool shadow_read_ipa(void *ctx, uint32_t ipa, uint32_t *val);

#endif
