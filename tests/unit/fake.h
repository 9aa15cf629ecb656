/*
 * Fake platform for the host unit tests: recorders for every external symbol
 * the monitor core needs (arch.h, mm.h guest memory, scheduler, guest
 * lifecycle, console) plus a flat fake guest RAM.
 */
#ifndef UNIT_FAKE_H
#define UNIT_FAKE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include "vcpu.h"
#include "guest.h"

#define FAKE_RAM_BASE   0x40000000u     /* guest IPA of the fake RAM */
#define FAKE_RAM_SIZE   0x00100000u     /* 1 MiB */
#define FAKE_PA_BASE    0x80000000u     /* what guest_ipa_to_pa() reports */

struct fake_state {
    uint32_t ram_base, ram_size;

    int stop_count;                 /* guest_stop() */
    char stop_msg[512];
    int exit_count, exit_status;    /* guest_exit() */
    int reset_count;                /* guest_reset() */
    int yield_count;                /* sched_yield() */
    enum vcpu_state yield_state;
    int remove_count;               /* sched_remove() */

    char console[8192];             /* guest_console_putc() */
    size_t console_len;
    int printf_count;               /* hv_printf()/hv_vprintf()/hv_puts() */
    char printf_buf[2048];
    int stats_count;                /* guest_print_stats() */

    int set_tls_count;              /* arch_set_tls() */
    uint32_t tls_rw, tls_ro;
    int align_count;                /* arch_set_alignment_check() */
    bool align_on;
    bool has_vfp;                   /* arch_has_vfp() result */
    int vfp_enable_count;           /* arch_vfp_enable() */
    bool vfp_on;
    int vfp_save_count, vfp_restore_count;
    uint32_t cycles;                /* arch_cycles() result */
    int cache_va_count;             /* arch_cache_op_va() */
    int prefill_count;              /* shadow_prefill() */
    unsigned cache_op;
    uint32_t cache_va;
    int icache_all_count, dcache_all_count;
    uint32_t id_regs[ID_NREGS];     /* arch_id_read() results */
    uint32_t dacr;                  /* arch_set_dacr() */
    int privilege_changes;          /* shadow_privilege_changed() */
    int shadow_activations, shadow_flushes, tlb_ops;
    bool virq_wake;                 /* virq_wake() result */
    int guest_wrote_count;          /* shadow_guest_wrote() */
    void *srfa_page;                /* shadow_srfa_map() */
    int srfa_protect_changes;       /* shadow_srfa_protect() changes */
    int sync_code_count;            /* arch_sync_code_pa() */
    int patch_asked;                /* shadow_patch_allowed() */
    bool patch_refused;             /* ... returns false */
    uint32_t patch_orig;            /* shadow_patch_record()'s original word */
    uint32_t sync_code_pa;
};

extern struct fake_state fake;
extern uint8_t fake_ram[FAKE_RAM_SIZE];

/* Reset every recorder, zero the RAM, default id registers, has_vfp = true. */
void fake_reset(void);
void fake_put32(uint32_t ipa, uint32_t val);
uint32_t fake_get32(uint32_t ipa);

#endif
