/*
 * Instruction decoding: each trapped instruction is decoded once into named
 * fields, then dispatched through a table (core/emulate.c, core/cp15.c).
 * Pure functions of the instruction word: no vCPU state, host-testable.
 */
#ifndef CORE_DECODE_H
#define CORE_DECODE_H

#include <stdint.h>
#include <stdbool.h>

/* ---- paravirtual SVC encodings (include/hv/pv-abi.h) ------------------- */
enum pv_class {
    PV_NONE,            /* imm24 < 0x200000: the guest's own SVC */
    PV_C_LDM_EXCRET,
    PV_C_STM_USER,
    PV_C_LDM_USER,
    PV_C_DP_PC,
    PV_C_MSR_IMM,
    PV_C_MRS,
    PV_C_MSR_REG,
    PV_C_CPS,
    PV_C_SRS,
    PV_C_RFE,
    PV_C_HINT,
    PV_C_HVC,
    PV_C_FIT_LOAD,      /* fast instruction trap: Rd = SRFA word */
    PV_C_FIT_CACHE,     /* fast instruction trap: cache maintenance by VA */
    PV_C_RET_USER,      /* return to user from a saved frame (Rn, keep_r0) */
    PV_C_FIT_STORE,     /* fast instruction trap: TPIDRURO = Rt (rd) */
    PV_C_RET_MODE,      /* SPSR = CPSR EOR mode, then MOVS PC, LR */
    PV_C_FIT_FPEXC,     /* fast instruction trap: VMRS rd, FPEXC (load) / VMSR FPEXC, rd */
    PV_C_INVALID,       /* reserved encoding */
    PV_NCLASSES
};

struct pv_insn {
    enum pv_class cls;
    uint8_t cond;
    /* LDM/STM/SRS/RFE addressing */
    bool p, u, w;
    uint8_t rn;
    uint16_t list;          /* LDM lists include bit 15 for the exception return form */
    /* DP */
    uint8_t opcode;
    bool imm;               /* I bit: operand2 is an immediate */
    uint16_t operand2;
    /* MRS / MSR */
    bool spsr;              /* R bit */
    uint8_t mask;           /* MSR field mask: bit0 c, 1 x, 2 s, 3 f */
    uint8_t rd;
    uint16_t imm12;
    /* CPS */
    uint8_t imod;
    bool change_mode;
    uint8_t aif;            /* A=4 I=2 F=1 */
    uint8_t mode;
    /* HINT / HVC */
    uint8_t hint;
    uint8_t hvc_nr;
    /* FIT (rd is the register) */
    uint16_t word;          /* SRFA word index */
    uint8_t fit_op;         /* PV_FIT_DC* / PV_FIT_IC* */
    bool load;              /* FIT_FPEXC: VMRS (else VMSR) */
    /* RET_USER (rn is the frame's PC slot) */
    bool keep_r0;
};

/* Decode an ARM-state SVC instruction word.  Returns false if it is no SVC. */
bool pv_decode(uint32_t insn, struct pv_insn *out);
/* Re-encode (used by tests and tools to check the round trip). */
uint32_t pv_encode(const struct pv_insn *in);

/* ---- coprocessor register transfers (ARM ARM A8.8.98 MCR, A8.8.108 MRC,
 *      A8.8.99 MCRR, A8.8.109 MRRC) -------------------------------------- */
struct cp_insn {
    uint8_t cond;
    uint8_t coproc;
    bool read;              /* MRC/MRRC (to ARM register) */
    bool two_regs;          /* MCRR/MRRC */
    uint8_t opc1, crn, crm, opc2;
    uint8_t rt, rt2;
};
bool cp_decode(uint32_t insn, struct cp_insn *out);

/* ---- VFP system register moves (A8.8.347 VMRS, A8.8.349 VMSR) ---------- */
struct vfp_sys_insn {
    uint8_t cond;
    bool read;              /* VMRS */
    uint8_t reg;            /* 0 FPSID, 1 FPSCR, 6 MVFR1, 7 MVFR0, 8 FPEXC, 9 FPINST, 10 FPINST2 */
    uint8_t rt;
};
#define VFP_SYS_FPEXC 8         /* the reg field of VMRS/VMSR FPEXC */
bool vfp_sys_decode(uint32_t insn, struct vfp_sys_insn *out);

/* ---- single loads and stores (A5.3 LDR/STR word and byte; A5.2.8 extra
 *      load/store: halfword, signed byte/halfword, doubleword) ----------- */
struct ls_insn {
    uint8_t cond;
    bool load;
    bool sign;              /* LDRSB, LDRSH */
    bool unpriv;            /* LDRT/STRT family: PL0 access rights */
    bool index, add, wback; /* P, U, and whether Rn is written back */
    uint8_t size;           /* 1, 2, 4, or 8 (LDRD/STRD) */
    uint8_t rt, rt2, rn;
    bool reg;               /* register offset: Rm shifted by imm */
    uint8_t rm, shift_type, shift_imm;
    uint32_t imm;
};
/* False for anything else (including the UNPREDICTABLE/UNDEFINED forms). */
bool ls_decode(uint32_t insn, struct ls_insn *out);

/* ARM condition check against NZCV (A8.3). */
bool cond_passed(uint8_t cond, uint32_t cpsr);

/* Operand2 of a data-processing instruction (A5.2.1 shifts, A5.2.4 imm).
 * `rm_val` is the value of Rm (ignored for immediates). */
uint32_t dp_shifter(bool imm, uint16_t operand2, uint32_t rm_val, bool carry_in);
/* Data-processing ALU op (A5.2.1 table); false for TST/TEQ/CMP/CMN. */
bool dp_alu(uint8_t opcode, uint32_t rn, uint32_t op2, bool carry_in, uint32_t *result);

#endif
