/*
 * Fake platform for test_shadow (mm/shadow.c + mm/walk.c only).
 *
 * Monitor memory: pool_alloc() hands out a static arena that the fake
 * arch_virt_to_phys()/arch_phys_to_virt() place at SHF_ARENA_PA (the host is
 * 64-bit; shadow descriptors hold 32-bit physical addresses).  Guest RAM:
 * SHF_RAM_SIZE bytes at IPA SHF_RAM_IPA, host-physical SHF_RAM_PA, backed by
 * shf_ram[] and reached through arch_physmap().
 */
#ifndef UNIT_FAKE_SHADOW_H
#define UNIT_FAKE_SHADOW_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include "vcpu.h"
#include "guest.h"

#define SHF_ARENA_PA    0x10000000u
#define SHF_ARENA_SIZE  0x01000000u     /* 16 MiB: the L2 pool, L1s (hundreds of
                                           spaces: test_asid_recycling), page flags */
#define SHF_RAM_IPA     0x40000000u
#define SHF_RAM_SIZE    0x00400000u     /* 4 MiB of guest RAM */
#define SHF_RAM_PA      0x60000000u

#define SHF_LOG         64

struct shf_state {
    /* arch_switch_mm(): the last values persist across shf_reset(), since
     * shadow.c only switches when the space changes */
    uint32_t l1_pa;
    uint8_t asid;
    int switch_count;
    uint32_t dacr;                      /* arch_set_dacr() */
    int dacr_count;
    int flush_all_count;                /* arch_tlb_flush_all() */
    int flush_asid_count;               /* arch_tlb_flush_asid() */
    uint8_t flush_asid_last;
    int flush_va_count;                 /* arch_tlb_flush_va() */
    uint32_t flush_va[SHF_LOG];
    uint8_t flush_va_asid[SHF_LOG];
    int physmap_count;                  /* arch_physmap() */
    int stop_count;                     /* guest_stop() */
    char stop_msg[256];
    int printf_count;
    size_t pool_used;                   /* bytes of the arena handed out */
    bool pool_fail;                     /* make pool_alloc() return NULL */
    size_t pool_limit;                  /* nonzero: pool_alloc() fails beyond it */
    bool pxn;                           /* vid_has_pxn(): the virtual CPU has PXN */
    int sync_code_count;                /* arch_sync_code_pa() */
    /* ASIDs: the L1 table each one was last current with (arch_switch_mm),
     * forgotten when arch_asid_recycle() frees it; switching to a table
     * with an ASID that names another one, or to ASID 0, or recycling the
     * current ASID is a conflict (stale TLB entries could be used) */
    uint32_t asid_l1[256];
    int asid_conflicts;
    char asid_conflict_msg[128];
    int recycle_count;                  /* arch_asid_recycle() */
    uint8_t recycle_last;
};

extern struct shf_state shf;
extern uint8_t shf_ram[SHF_RAM_SIZE];
extern uint32_t shf_window[16];         /* what arch_monitor_l1() returns */

/* Reset the recorders (not l1_pa/asid/asid_l1, not the arena) and zero guest RAM. */
void shf_reset(void);
void shf_put32(uint32_t ipa, uint32_t val);
uint32_t shf_get32(uint32_t ipa);
/* Fake PA of monitor memory <-> host pointer; abort outside the arena. */
uint32_t *shf_pa_to_ptr(uint32_t pa);
bool shf_pa_in_arena(uint32_t pa);

#endif
