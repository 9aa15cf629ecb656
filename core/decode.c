/*
 * Instruction decoders (see decode.h).  Pure functions, host-testable.
 */
#include "decode.h"
#include <hv/pv-abi.h>

static inline uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Args bits each system op may use; anything else set is a reserved
 * encoding and stops the guest rather than being guessed at. */
static const struct {
    enum pv_class cls;
    uint16_t allowed;
} pv_sys_ops[16] = {
    [PV_SYS_MRS]     = { PV_C_MRS,     0x010F },
    [PV_SYS_MSR_REG] = { PV_C_MSR_REG, 0x01FF },
    [PV_SYS_CPS]     = { PV_C_CPS,     0x07FF },
    [PV_SYS_SRS]     = { PV_C_SRS,     0x00FF },
    [PV_SYS_RFE]     = { PV_C_RFE,     0x00EF },
    [PV_SYS_HINT]    = { PV_C_HINT,    0x0007 },
    [PV_SYS_HVC]     = { PV_C_HVC,     0x00FF },
    [PV_SYS_FIT_LOAD]  = { PV_C_FIT_LOAD,  0xF3FF },
    [PV_SYS_FIT_CACHE] = { PV_C_FIT_CACHE, 0xF00F },
    [PV_SYS_RET_USER]  = { PV_C_RET_USER,  0x001F },
    [PV_SYS_FIT_STORE] = { PV_C_FIT_STORE, 0xF000 },
    [PV_SYS_RET_MODE]  = { PV_C_RET_MODE,  0x001F },
    [PV_SYS_FIT_FPEXC] = { PV_C_FIT_FPEXC, 0xF001 },
};

static void decode_sys(uint32_t imm, struct pv_insn *o)
{
    unsigned op = bits(imm, 19, 16);
    uint32_t args = bits(imm, 15, 0);

    if (pv_sys_ops[op].cls == PV_NONE || (args & ~pv_sys_ops[op].allowed)) {
        o->cls = PV_C_INVALID;
        return;
    }
    o->cls = pv_sys_ops[op].cls;
    switch (o->cls) {
    case PV_C_MRS:
        o->spsr = bits(args, 8, 8);
        o->rd = bits(args, 3, 0);
        break;
    case PV_C_MSR_REG:
        o->spsr = bits(args, 8, 8);
        o->mask = bits(args, 7, 4);
        o->rn = bits(args, 3, 0);
        break;
    case PV_C_CPS:
        o->imod = bits(args, 10, 9);
        o->change_mode = bits(args, 8, 8);
        o->aif = bits(args, 7, 5);
        o->mode = bits(args, 4, 0);
        break;
    case PV_C_SRS:
        o->p = bits(args, 7, 7);
        o->u = bits(args, 6, 6);
        o->w = bits(args, 5, 5);
        o->mode = bits(args, 4, 0);
        break;
    case PV_C_RFE:
        o->p = bits(args, 7, 7);
        o->u = bits(args, 6, 6);
        o->w = bits(args, 5, 5);
        o->rn = bits(args, 3, 0);
        break;
    case PV_C_HINT:
        o->hint = bits(args, 2, 0);
        if (o->hint > PV_HINT_SEV)
            o->cls = PV_C_INVALID;
        break;
    case PV_C_HVC:
        o->hvc_nr = bits(args, 7, 0);
        break;
    case PV_C_FIT_LOAD:
        o->rd = bits(args, 15, 12);
        o->word = bits(args, 9, 0);
        /* SP, LR and PC are not FIT targets (the fast path only writes r0-r12) */
        if (o->rd >= 13)
            o->cls = PV_C_INVALID;
        break;
    case PV_C_FIT_CACHE:
        o->rd = bits(args, 15, 12);
        o->fit_op = bits(args, 3, 0);
        if (o->fit_op >= PV_FIT_NCACHE || o->rd == 15)
            o->cls = PV_C_INVALID;
        break;
    case PV_C_RET_MODE:
        o->mode = bits(args, 4, 0);
        break;
    case PV_C_FIT_STORE:
        o->rd = bits(args, 15, 12);
        if (o->rd >= 13)
            o->cls = PV_C_INVALID;      /* r0-r12 only, as FIT_LOAD */
        break;
    case PV_C_FIT_FPEXC:
        o->rd = bits(args, 15, 12);
        o->load = bits(args, 0, 0);
        if (o->rd >= 13)
            o->cls = PV_C_INVALID;      /* r0-r12 only, as FIT_LOAD */
        break;
    case PV_C_RET_USER:
        o->keep_r0 = bits(args, 4, 4);
        o->rn = bits(args, 3, 0);
        if (o->rn == 15)
            o->cls = PV_C_INVALID;
        break;
    default:
        break;
    }
}

bool pv_decode(uint32_t insn, struct pv_insn *o)
{
    uint32_t imm = insn & 0xFFFFFF;

    if ((insn & 0x0F000000) != PV_SVC_BASE || (insn >> 28) == 0xF)
        return false;
    *o = (struct pv_insn){ .cond = insn >> 28 };

    switch (bits(imm, 23, 22)) {
    case 3:
        o->cls = PV_C_LDM_EXCRET;
        o->p = bits(imm, 21, 21);
        o->u = bits(imm, 20, 20);
        o->w = bits(imm, 19, 19);
        o->rn = bits(imm, 18, 15);
        o->list = bits(imm, 14, 0) | 0x8000;
        return true;
    case 2:
        o->cls = PV_C_STM_USER;
        o->p = bits(imm, 21, 21);
        o->u = bits(imm, 20, 20);
        o->rn = bits(imm, 19, 16);
        o->list = bits(imm, 15, 0);
        return true;
    default:
        break;
    }
    switch (bits(imm, 23, 21)) {
    case 3:
        o->cls = PV_C_LDM_USER;
        o->p = bits(imm, 20, 20);
        o->u = bits(imm, 19, 19);
        o->rn = bits(imm, 18, 15);
        o->list = bits(imm, 14, 0);
        return true;
    case 2:
        o->cls = PV_C_DP_PC;
        o->opcode = bits(imm, 20, 17);
        o->imm = bits(imm, 16, 16);
        o->rn = bits(imm, 15, 12);
        o->operand2 = bits(imm, 11, 0);
        /* Register-shifted-register forms with Rd = PC are UNPREDICTABLE
         * (A8.8.x "SUBS PC, LR and related instructions"): not encodable. */
        if (!o->imm && (o->operand2 & 0x10))
            o->cls = PV_C_INVALID;
        return true;
    case 1:
        if (bits(imm, 20, 20)) {
            decode_sys(imm, o);
        } else {
            o->cls = bits(imm, 19, 17) ? PV_C_INVALID : PV_C_MSR_IMM;
            o->spsr = bits(imm, 16, 16);
            o->mask = bits(imm, 15, 12);
            o->imm12 = bits(imm, 11, 0);
        }
        return true;
    default:
        o->cls = PV_NONE;
        return true;
    }
}

uint32_t pv_encode(const struct pv_insn *i)
{
    uint32_t imm;

    switch (i->cls) {
    case PV_C_LDM_EXCRET: imm = PV_LDM_EXCRET(i->p, i->u, i->w, i->rn, i->list); break;
    case PV_C_STM_USER:   imm = PV_STM_USER(i->p, i->u, i->rn, i->list); break;
    case PV_C_LDM_USER:   imm = PV_LDM_USER(i->p, i->u, i->rn, i->list); break;
    case PV_C_DP_PC:      imm = PV_DP_PC(i->opcode, i->imm, i->rn, i->operand2); break;
    case PV_C_MSR_IMM:    imm = PV_MSR_IMM(i->spsr, i->mask, i->imm12); break;
    case PV_C_MRS:        imm = PV_MRS(i->spsr, i->rd); break;
    case PV_C_MSR_REG:    imm = PV_MSR_REG(i->spsr, i->mask, i->rn); break;
    case PV_C_CPS:        imm = PV_CPS(i->imod, i->change_mode, i->aif, i->mode); break;
    case PV_C_SRS:        imm = PV_SRS(i->p, i->u, i->w, i->mode); break;
    case PV_C_RFE:        imm = PV_RFE(i->p, i->u, i->w, i->rn); break;
    case PV_C_HINT:       imm = PV_HINT(i->hint); break;
    case PV_C_HVC:        imm = PV_HVC(i->hvc_nr); break;
    case PV_C_FIT_LOAD:   imm = PV_FIT_LOAD(i->rd, i->word); break;
    case PV_C_FIT_CACHE:  imm = PV_FIT_CACHE(i->rd, i->fit_op); break;
    case PV_C_RET_USER:   imm = PV_RET_USER(i->keep_r0, i->rn); break;
    case PV_C_FIT_STORE:  imm = PV_FIT_STORE(i->rd); break;
    case PV_C_RET_MODE:   imm = PV_RET_MODE(i->mode); break;
    case PV_C_FIT_FPEXC:  imm = PV_FIT_FPEXC(i->rd, i->load); break;
    default:              return 0;
    }
    return PV_ENCODE(i->cond, imm);
}

bool cp_decode(uint32_t insn, struct cp_insn *o)
{
    *o = (struct cp_insn){ .cond = insn >> 28, .coproc = bits(insn, 11, 8) };
    if ((insn & 0x0F000010) == 0x0E000010) {           /* MCR / MRC */
        o->opc1 = bits(insn, 23, 21);
        o->read = bits(insn, 20, 20);
        o->crn = bits(insn, 19, 16);
        o->rt = bits(insn, 15, 12);
        o->opc2 = bits(insn, 7, 5);
        o->crm = bits(insn, 3, 0);
        return true;
    }
    if ((insn & 0x0FE00000) == 0x0C400000) {           /* MCRR / MRRC */
        o->two_regs = true;
        o->read = bits(insn, 20, 20);
        o->rt2 = bits(insn, 19, 16);
        o->rt = bits(insn, 15, 12);
        o->opc1 = bits(insn, 7, 4);
        o->crm = bits(insn, 3, 0);
        return true;
    }
    return false;
}

bool vfp_sys_decode(uint32_t insn, struct vfp_sys_insn *o)
{
    uint32_t op = insn & 0x0FF00FFF;

    if (op != 0x0EF00A10 && op != 0x0EE00A10)
        return false;
    o->cond = insn >> 28;
    o->read = (op == 0x0EF00A10);
    o->reg = bits(insn, 19, 16);
    o->rt = bits(insn, 15, 12);
    return true;
}

bool cond_passed(uint8_t cond, uint32_t cpsr)
{
    bool n = cpsr >> 31 & 1, z = cpsr >> 30 & 1, c = cpsr >> 29 & 1, v = cpsr >> 28 & 1;
    bool r;

    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = !z && n == v; break;
    default: return true;           /* AL (and the unconditional space) */
    }
    return (cond & 1) ? !r : r;
}

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    n &= 31;
    return n ? (x >> n) | (x << (32 - n)) : x;
}

uint32_t dp_shifter(bool imm, uint16_t op2, uint32_t rm, bool carry_in)
{
    unsigned amount = bits(op2, 11, 7);

    if (imm)
        return ror32(bits(op2, 7, 0), bits(op2, 11, 8) * 2);
    switch (bits(op2, 6, 5)) {
    case 0: return rm << amount;                                  /* LSL */
    case 1: return amount ? rm >> amount : 0;                     /* LSR #32 */
    case 2: return amount ? (uint32_t)((int32_t)rm >> amount)     /* ASR */
                          : (uint32_t)((int32_t)rm >> 31);
    default: return amount ? ror32(rm, amount)                    /* ROR / RRX */
                           : ((uint32_t)carry_in << 31) | (rm >> 1);
    }
}

bool dp_alu(uint8_t opcode, uint32_t rn, uint32_t op2, bool c, uint32_t *res)
{
    switch (opcode) {
    case 0x0: *res = rn & op2; break;             /* AND */
    case 0x1: *res = rn ^ op2; break;             /* EOR */
    case 0x2: *res = rn - op2; break;             /* SUB */
    case 0x3: *res = op2 - rn; break;             /* RSB */
    case 0x4: *res = rn + op2; break;             /* ADD */
    case 0x5: *res = rn + op2 + c; break;         /* ADC */
    case 0x6: *res = rn + ~op2 + c; break;        /* SBC */
    case 0x7: *res = op2 + ~rn + c; break;        /* RSC */
    case 0xC: *res = rn | op2; break;             /* ORR */
    case 0xD: *res = op2; break;                  /* MOV */
    case 0xE: *res = rn & ~op2; break;            /* BIC */
    case 0xF: *res = ~op2; break;                 /* MVN */
    default:  return false;                       /* TST TEQ CMP CMN */
    }
    return true;
}

bool ls_decode(uint32_t insn, struct ls_insn *o)
{
    bool p = bits(insn, 24, 24), w = bits(insn, 21, 21);

    *o = (struct ls_insn){ .cond = insn >> 28, .rn = bits(insn, 19, 16), .rt = bits(insn, 15, 12),
                           .index = p, .add = bits(insn, 23, 23), .load = bits(insn, 20, 20) };
    if (o->cond == 0xF)
        return false;
    if (bits(insn, 27, 26) == 1) {                  /* LDR/STR{B}{T} */
        if (bits(insn, 25, 25) && bits(insn, 4, 4))
            return false;                           /* media instructions */
        o->size = bits(insn, 22, 22) ? 1 : 4;
        o->reg = bits(insn, 25, 25);
        if (o->reg) {
            o->rm = bits(insn, 3, 0);
            o->shift_type = bits(insn, 6, 5);
            o->shift_imm = bits(insn, 11, 7);
        } else {
            o->imm = bits(insn, 11, 0);
        }
    } else if (bits(insn, 27, 25) == 0 && bits(insn, 7, 7) && bits(insn, 4, 4) &&
               bits(insn, 6, 5) != 0) {             /* extra load/store */
        unsigned op2 = bits(insn, 6, 5);
        bool imm = bits(insn, 22, 22);
        if (!p && w && op2 != 1 && !o->load)
            return false;                           /* no STRDT */
        if (!o->load) {
            o->size = op2 == 1 ? 2 : 8;
            if (op2 == 2)
                o->load = true;                     /* LDRD has L = 0 */
        } else {
            o->size = op2 == 2 ? 1 : 2;                 /* LDRH, LDRSB, LDRSH */
            o->sign = op2 != 1;
        }
        if (o->size == 8) {
            if (o->rt & 1 || o->rt == 14)
                return false;                       /* UNPREDICTABLE Rt */
            o->rt2 = o->rt + 1;
            if (!p && w)
                return false;
        }
        o->reg = !imm;
        if (imm)
            o->imm = (bits(insn, 11, 8) << 4) | bits(insn, 3, 0);
        else
            o->rm = bits(insn, 3, 0);
    } else {
        return false;
    }
    o->unpriv = !p && w;
    o->wback = !p || w;
    if (o->wback && (o->rn == 15 || (o->load && o->rn == o->rt) || (o->size == 8 && o->rn == o->rt2)))
        return false;                               /* UNPREDICTABLE writeback */
    if (o->reg && o->rm == 15)
        return false;
    return true;
}
