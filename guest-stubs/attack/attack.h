/*
 * attack.h - helpers shared by the attack guests (guest-stubs/attack/attack-NAME.c,
 * PV only; tests/integration/run-all.sh "attacks" runs them beside victim.c).
 *
 * run_word() executes ONE arbitrary instruction word from a RAM buffer,
 * with r0-r3 as arguments and r0 as the result: the encodings an attacker
 * wants (PV SVCs with any immediate, raw sensitive instructions the PV build
 * would otherwise rewrite) without writing them into the image, where
 * check-pv.sh and the monitor's self-patching would see them.
 */
#ifndef GUEST_ATTACK_H
#define GUEST_ATTACK_H

#include <stdint.h>
#include "guest.h"

#define RB          ((uint32_t)RAM_BASE)
#define RAM_SIZE    0x1000000u                  /* the VM file gives 16 MiB */
#define WINDOW_VA   0xBF000000u                 /* the monitor's window (docs/memory-map.md) */
#define INSN_RET    0xE12FFF1Eu                 /* BX LR */
#define INSN_UDF    0xE7F000F0u                 /* UDF #0 (A8.8.247) */

/* ARM encodings of the sensitive instructions (ARM ARM A8/B9) */
#define A_MRS_CPSR(rd)  (0xE10F0000u | (rd) << 12)       /* B9.3.8 */
#define A_MRS_SPSR(rd)  (0xE14F0000u | (rd) << 12)
#define A_MSR_CPSR_C(imm) (0xE321F000u | (imm))         /* B9.3.10, field c */
#define A_MSR_SPSR_FSXC(rn) (0xE16FF000u | (rn))         /* B9.3.12 */
#define A_CPS_MODE(m)   (0xF1020000u | (m))               /* B9.3.2 */
#define A_CPSID_AIF_MODE(m) (0xF10E01C0u | (m))
#define A_MOVS_PC_LR    0xE1B0F00Eu                       /* B9.3.20 */
#define A_LDM_SP_PC_HAT 0xE8DD8000u                       /* LDMIA sp, {pc}^ B9.3.5 */
#define A_RFEIA(rn)     (0xF8900A00u | (rn) << 16)        /* B9.3.13 */
#define A_SRSDB_SP(m)   (0xF94D0500u | (m))               /* B9.3.16, no writeback */

static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

/* Make new code in [p, p+n) visible to instruction fetches (B2.2.9). */
static inline void code_sync(const void *p, unsigned n)
{
    for (uintptr_t a = (uintptr_t)p & ~31u; a < (uintptr_t)p + n; a += 32)
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" :: "r"(a) : "memory");   /* DCCMVAU */
    dsb();
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 0" :: "r"(0) : "memory");        /* ICIALLU */
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 6" :: "r"(0) : "memory");        /* BPIALL */
    dsb();
    isb();
}

static uint32_t att_code[8] __attribute__((aligned(32)));
/* the address of the word run_word() executes (exception hooks match on it) */
#define ATT_WORD_VA ((uint32_t)&att_code[0])

typedef uint32_t (*att_fn_t)(uint32_t, uint32_t, uint32_t, uint32_t);

static inline uint32_t run_word(uint32_t w, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    att_code[0] = w;
    att_code[1] = INSN_RET;
    code_sync(att_code, 8);
    return ((att_fn_t)(uintptr_t)att_code)(a0, a1, a2, a3);
}

/* Up to 7 instruction words in a row, then BX LR (no stack use in between). */
static inline uint32_t run_seq(const uint32_t *w, unsigned n, uint32_t a0, uint32_t a1)
{
    for (unsigned i = 0; i < n && i < 7; i++)
        att_code[i] = w[i];
    att_code[n < 7 ? n : 7] = INSN_RET;
    code_sync(att_code, sizeof att_code);
    return ((att_fn_t)(uintptr_t)att_code)(a0, a1, 0, 0);
}

/* A PV hypercall with any number (the library's are compile-time constants). */
static inline long raw_hvc(unsigned nr, uint32_t a0, uint32_t a1)
{
    return (long)run_word(PV_ENCODE(0xE, PV_HVC(nr & 0xFF)), a0, a1, 0, 0);
}

/* The real CPSR (unpatched MRS: in User mode it reads the real one). */
static inline uint32_t real_cpsr(void) { return run_word(A_MRS_CPSR(0), 0, 0, 0, 0); }

#endif
