/*
 * Rewriting one classified A32 instruction (a32.h) into what the guest must
 * run instead: a PV SVC (include/hv/pv-abi.h), a NOP, a FIT op, or a branch
 * to a trampoline (SRFA fast paths, semihosting shim).  Pure: the caller
 * places trampolines and writes the words.
 */
#ifndef PVPATCH_REWRITE_H
#define PVPATCH_REWRITE_H

#include "a32.h"

struct rw_opts {
    bool nop_tlb;           /* TLB / branch predictor maintenance -> NOP */
    bool fit;               /* mirrored MRC -> FIT_LOAD, cache by VA -> FIT_CACHE */
    bool srfa;              /* SRFA sequences through trampolines */
    bool srfa_mrs_exact;    /* MRS CPSR via SRFA merges the live flags */
    bool srfa_msr;          /* MSR CPSR_c keeping the mode via SRFA (needs a stack in every mode) */
    bool srfa_stm;          /* STM {SP, LR}^ via SRFA (needs a stack) */
    bool semihost;          /* SVC #0x123456 exits -> HC_EXIT shim */
    bool psci;              /* HVC #0 (the SMCCC/PSCI conduit) -> PV_HVC(HC_PSCI) */
    bool ret_user;          /* Linux's return-to-user sequence -> PV_RET_USER (pvpatch.c) */
};

enum rw_kind { RW_KEEP, RW_INPLACE, RW_TRAMP, RW_REFUSE };

/* how an instruction was handled (report columns) */
enum rw_how { HOW_KEPT, HOW_PV, HOW_SRFA, HOW_NOP, HOW_FIT, HOW_SHIM, HOW_REFUSED, HOW_N };
const char *rw_how_name(enum rw_how h);

#define RW_TRAMP_MAX 24

struct rw {
    enum rw_kind kind;
    enum rw_how how;
    uint32_t word;                  /* RW_INPLACE */
    uint8_t branch_cond;            /* RW_TRAMP: condition of the branch to the body */
    uint32_t body[RW_TRAMP_MAX];    /* RW_TRAMP: position independent; `b back` follows */
    unsigned n;
    const char *why;                /* RW_REFUSE (and notes for RW_KEEP) */
};

/* tramp_ok: false inside --skip-range (only in-place rewrites there). */
void rw_rewrite(const struct a32 *in, const struct rw_opts *opt, bool tramp_ok, struct rw *out);

/* The PV SVC for a sensitive instruction, if it has one (0 otherwise). */
uint32_t rw_pv_word(const struct a32 *in);

#endif
