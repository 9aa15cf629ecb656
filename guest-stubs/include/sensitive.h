/*
 * sensitive.h - C access to the sensitive-instruction macros of sensitive.S.
 *
 * The GNU as macros of sensitive.S (v_mrs, v_msr, v_cps, ...) are made
 * available to every inline asm statement of the translation unit: the
 * build preprocesses sensitive.S once per flavour into
 * $(B)/guests/inc/{native,pv}/sensitive.inc and passes -Wa,-I<that dir>;
 * this header .include's it at file scope (GCC emits top-level asm before
 * any function).  Inline asm may therefore use the macros directly with
 * compiler-allocated registers, e.g.
 *
 *     uint32_t v;
 *     __asm__ volatile("v_mrs %0, cpsr" : "=r"(v));
 *     __asm__ volatile("v_msr spsr, fsxc, %0" :: "r"(v));
 *     __asm__ volatile("v_msri cpsr, c, %c0" :: "i"(MODE_SVC | PSR_I | PSR_F));
 *
 * (%c prints an "i" operand without '#').  The same source gives real
 * instructions normally and the PV SVC encodings of <hv/pv-abi.h> with
 * -DPV=1.  Convenience wrappers follow.
 */
#ifndef GUEST_SENSITIVE_H
#define GUEST_SENSITIVE_H

#include <stdint.h>
#include <hv/pv-abi.h>
#include "armv7.h"

__asm__(".include \"sensitive.inc\"");

#define SV_STR_(x) #x
#define SV_STR(x)  SV_STR_(x)

/* MRS */
static inline uint32_t read_cpsr(void)
{
    uint32_t v;
    __asm__ volatile("v_mrs %0, cpsr" : "=r"(v) :: "memory");
    return v;
}

static inline uint32_t read_spsr(void)
{
    uint32_t v;
    __asm__ volatile("v_mrs %0, spsr" : "=r"(v) :: "memory");
    return v;
}

/* MSR register form; fields is a bare token: c, x, s, f or any combination */
#define WRITE_CPSR(fields, val) \
    __asm__ volatile("v_msr cpsr, " #fields ", %0" :: "r"((uint32_t)(val)) : "memory", "cc")
#define WRITE_SPSR(fields, val) \
    __asm__ volatile("v_msr spsr, " #fields ", %0" :: "r"((uint32_t)(val)) : "memory")
/* MSR immediate form; imm must be a compile-time ARM modified immediate */
#define WRITE_CPSR_IMM(fields, imm) \
    __asm__ volatile("v_msri cpsr, " #fields ", %c0" :: "i"(imm) : "memory", "cc")
#define WRITE_SPSR_IMM(fields, imm) \
    __asm__ volatile("v_msri spsr, " #fields ", %c0" :: "i"(imm) : "memory")

static inline void write_spsr(uint32_t v) { WRITE_SPSR(fsxc, v); }

/* ---- SRFA fast paths (PV guests only; include/hv/pv-abi.h) -------------
 * Reads of the virtual CPU state and IRQ masking without a trap, through
 * the shared page at PV_SRFA_VA (virtual privileged modes only).  The base
 * is formed with one MVN (0xBFFFFFFF), so each access is 2-4 instructions. */
#define SRFA_READ(off) ({ uint32_t _b, _v;                                     \
    __asm__ volatile("mvn %0, #0x40000000\n\tldr %1, [%0, #%c2]"              \
                     : "=&r"(_b), "=r"(_v) : "i"(PV_SRFA_DISP(off)) : "memory"); _v; })
/* CPSID/CPSIE through the SRFA's VCPSR word: flags untouched.  Unmasking
 * while an interrupt is pending traps once on the store (the page is
 * read-only then) and the interrupt is taken right after it. */
#define SRFA_CPS(op, bits) do { uint32_t _b, _t;                               \
    __asm__ volatile("mvn %0, #0x40000000\n\t"                                \
                     "ldr %1, [%0, #%c2]\n\t"                                 \
                     op " %1, %1, #%c3\n\t"                                   \
                     "str %1, [%0, #%c2]"                                      \
                     : "=&r"(_b), "=&r"(_t) : "i"(PV_SRFA_DISP(PV_SRFA_VCPSR)),\
                       "i"(bits) : "memory"); } while (0)
#define SRFA_CPSID_I()      SRFA_CPS("orr", 0x80)
#define SRFA_CPSIE_I()      SRFA_CPS("bic", 0x80)
/* MRC of a CP15 register mirrored by the SRFA (PV_SRFA_CP15_LIST name) */
#define SRFA_CP15(idx)      SRFA_READ(PV_SRFA_CP15_OFF(idx))
/* The FIT op for the same read: one SVC handled in the monitor's vector. */
#define FIT_LOAD_R0(word) ({ register uint32_t _r0 __asm__("r0");              \
    __asm__ volatile(".word %c1" : "=r"(_r0) : "i"(PV_ENCODE(PV_COND_AL,        \
                     PV_FIT_LOAD(0, (word)))) : "memory"); _r0; })

/* CPS; aif is a bare token (a, i, f, ai, aif, ...).  Changing the mode from
 * C is only safe in code that does not touch the stack afterwards. */
#define CPSID(aif)              __asm__ volatile("v_cpsid " #aif ::: "memory")
#define CPSIE(aif)              __asm__ volatile("v_cpsie " #aif ::: "memory")
#define CPSID_MODE(aif, mode)   __asm__ volatile("v_cpsid " #aif ", %c0" :: "i"(mode) : "memory")
#define CPSIE_MODE(aif, mode)   __asm__ volatile("v_cpsie " #aif ", %c0" :: "i"(mode) : "memory")
#define CPS_MODE(mode)          __asm__ volatile("v_cps %c0" :: "i"(mode) : "memory")

/* hints; cond is a bare condition suffix (eq, ne, ..., al) */
#define WFI()                   __asm__ volatile("v_wfi" ::: "memory")
#define WFE()                   __asm__ volatile("v_wfe" ::: "memory")
#define SEV()                   __asm__ volatile("v_sev" ::: "memory")
#define YIELD_HINT()            __asm__ volatile("v_yield" ::: "memory")
#define WFI_COND(cond)          __asm__ volatile("v_wfi " #cond ::: "memory")
#define WFE_COND(cond)          __asm__ volatile("v_wfe " #cond ::: "memory")

/* hypercall (PV build only): r0-r3 in, r0 out, r1-r3 and flags preserved */
#ifdef PV
#define PV_HYPERCALL(nr, a0, a1, a2, a3) ({                                   \
    register uint32_t _r0 __asm__("r0") = (uint32_t)(a0);                     \
    register uint32_t _r1 __asm__("r1") = (uint32_t)(a1);                     \
    register uint32_t _r2 __asm__("r2") = (uint32_t)(a2);                     \
    register uint32_t _r3 __asm__("r3") = (uint32_t)(a3);                     \
    __asm__ volatile("v_hvc %c4"                                              \
                     : "+r"(_r0) : "r"(_r1), "r"(_r2), "r"(_r3), "i"(nr)      \
                     : "memory");                                             \
    (long)_r0; })
#endif

#endif /* GUEST_SENSITIVE_H */
