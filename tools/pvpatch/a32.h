/*
 * A32 (ARM state) instruction classification for the binary paravirtualizer.
 *
 * Every instruction word is decoded ONCE into `struct a32` (named fields),
 * through the table in a32.c; the rewriter (rewrite.c) and the verifier
 * dispatch on `cls`.  Pure functions of the word: host-testable.
 *
 * References are to the ARM Architecture Reference Manual, ARMv7-A/R
 * edition (DDI 0406C): A5 (encoding tables), A8.8 and B9.3 (instructions).
 */
#ifndef PVPATCH_A32_H
#define PVPATCH_A32_H

#include <stdint.h>
#include <stdbool.h>

enum a32_class {
    A32_OTHER = 0,      /* nothing pvpatch cares about */
    /* ---- sensitive: do not trap in User mode; must become PV SVCs ---- */
    A32_CPS,            /* B9.3.2 */
    A32_MRS,            /* B9.3.8  MRS Rd, CPSR|SPSR */
    A32_MRS_BANKED,     /* B9.3.9  MRS Rd, <banked register> */
    A32_MSR_REG,        /* B9.3.12 MSR CPSR|SPSR_<fields>, Rn */
    A32_MSR_BANKED,     /* B9.3.10 MSR <banked register>, Rn */
    A32_MSR_IMM,        /* B9.3.11 MSR CPSR|SPSR_<fields>, #imm */
    A32_SRS,            /* B9.3.17 */
    A32_RFE,            /* B9.3.13 */
    A32_LDM_EXCRET,     /* B9.3.5  LDM Rn{!}, {..., pc}^ */
    A32_LDM_USER,       /* B9.3.6  LDM Rn, {...}^ */
    A32_STM_USER,       /* B9.3.16 STM Rn, {...}^ */
    A32_DP_PC,          /* B9.3.20 SUBS PC, LR and related (S=1, Rd=PC) */
    A32_HINT,           /* A8.8.424 WFI, A8.8.423 WFE, A8.8.425 YIELD, A8.8.168 SEV */
    A32_HYP,            /* SMC (B9.3.14), HVC (B9.3.4), ERET (B9.3.3): refused */
    A32_UNPRED,         /* a sensitive encoding the ARM ARM calls UNPREDICTABLE: refused */
    /* ---- trap anyway; rewritten only on request ---------------------- */
    A32_TLB_BP,         /* MCR TLB maintenance (c8) / BPIALL, BPIMVA, BPIALLIS */
    A32_CP15_MIRROR,    /* MRC of a CP15 register mirrored in the SRFA page */
    A32_CACHE_VA,       /* MCR cache maintenance by VA (DCCMVAC ... ICIMVAU) */
    A32_TPIDRURO_W,     /* MCR TPIDRURO (c13, c0, 3) */
    A32_FPEXC,          /* A8.8.347 VMRS Rt, FPEXC / A8.8.349 VMSR FPEXC, Rt */
    A32_SEMIHOST,       /* SVC #0x123456: the ARM semihosting trap */
    /* ---- reported only ------------------------------------------------ */
    A32_UNPRIV_LS,      /* LDRT/STRT family: no PV encoding (docs/pv-abi.md) */
    A32_NCLASSES
};

/* True for the classes that must not be left in privileged guest code. */
bool a32_sensitive(enum a32_class c);
const char *a32_class_name(enum a32_class c);

struct a32 {
    uint32_t word;
    enum a32_class cls;
    uint8_t cond;
    /* LDM/STM/SRS/RFE addressing */
    bool p, u, w;
    uint8_t rn;
    uint16_t list;
    /* data-processing */
    uint8_t opcode;
    bool imm;
    uint16_t operand2;
    /* MRS/MSR */
    bool spsr;              /* R bit */
    uint8_t mask;           /* field mask: c=1 x=2 s=4 f=8 */
    uint8_t rd;             /* MRS Rd, MRC Rt, MCR Rt */
    uint16_t imm12;
    uint8_t sysm;           /* banked: M:m1 (5 bits) */
    /* CPS */
    uint8_t imod;
    bool change_mode;
    uint8_t aif;
    uint8_t mode;
    /* hints */
    uint8_t hint;           /* PV_HINT_* */
    /* CP15 */
    uint8_t cp_index;       /* A32_CP15_MIRROR: index in PV_SRFA_CP15_LIST */
    uint8_t fit_op;         /* A32_CACHE_VA: PV_FIT_* */
    bool vmrs;              /* A32_FPEXC: VMRS (else VMSR) */
    /* A32_HYP, A32_UNPRED: what it is / why it cannot be handled */
    const char *why;
};

/* Decode `w` (ARM state).  Always fills *out; returns out->cls. */
enum a32_class a32_classify(uint32_t w, struct a32 *out);

/* ---- encoders for the instructions pvpatch emits (trampolines) -------- */
/* ARM modified immediate (A5.2.4): true and *imm12 if v is encodable. */
bool a32_mod_imm(uint32_t v, uint16_t *imm12);
uint32_t a32_b(uint8_t cond, uint32_t from, uint32_t to);   /* A8.8.18 B */
bool a32_b_in_range(uint32_t from, uint32_t to);
uint32_t a32_dp_imm(uint8_t cond, uint8_t opcode, bool s, uint8_t rd, uint8_t rn, uint16_t imm12);
uint32_t a32_dp_reg(uint8_t cond, uint8_t opcode, bool s, uint8_t rd, uint8_t rn, uint8_t rm);
uint32_t a32_ldr_imm(uint8_t rt, uint8_t rn, int32_t off);  /* A8.8.63 LDR (imm), AL */
uint32_t a32_str_imm(uint8_t rt, uint8_t rn, int32_t off);  /* A8.8.204 STR (imm), AL */
uint32_t a32_push(uint16_t list);                           /* STMDB sp!, {list} */
uint32_t a32_pop(uint16_t list);                            /* LDMIA sp!, {list} */
uint32_t a32_mrs_apsr(uint8_t rd);                          /* A8.8.109 MRS Rd, APSR */
uint32_t a32_msr_apsr_nzcvq(uint8_t rn);                    /* A8.8.113 MSR APSR_nzcvq, Rn */
uint32_t a32_movw(uint8_t cond, uint8_t rd, uint16_t imm16);
uint32_t a32_movt(uint8_t cond, uint8_t rd, uint16_t imm16);
uint32_t a32_svc(uint8_t cond, uint32_t imm24);

#define A32_NOP         0xE320F000u     /* A8.8.120 NOP (hint) */
#define A32_SEMIHOST_SVC 0x123456u      /* ARM semihosting, ARM state */

enum { DP_AND = 0, DP_EOR = 1, DP_SUB = 2, DP_RSB = 3, DP_ADD = 4, DP_TST = 8, DP_TEQ = 9,
       DP_ORR = 12, DP_MOV = 13, DP_BIC = 14, DP_MVN = 15 };
enum { COND_EQ = 0, COND_NE = 1, COND_AL = 14 };

/* ---- Thumb (T32) ------------------------------------------------------- */
/* Scan one Thumb instruction at p (n bytes left).  Returns its length
 * (2 or 4; 0 if a 32-bit instruction is cut off), and sets *why to a
 * description if it is a system-level instruction the monitor cannot run in
 * a virtual privileged mode (CPS, MRS/MSR, SRS/RFE, SUBS PC/ERET, hints,
 * SMC/HVC, coprocessor / VFP / Advanced SIMD), else NULL. */
unsigned t32_scan(const uint8_t *p, uint32_t n, const char **why);

#endif
