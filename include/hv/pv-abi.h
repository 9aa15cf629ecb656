/*
 * Paravirtual ABI between the monitor and its guests (version 1).
 *
 * Shared, unchanged, by the monitor (decoder), the guest stubs (encoder
 * macros) and tools.  Usable from C and from assembly (only #defines).
 * The prose version of this file is docs/pv-abi.md; keep them in step.
 *
 * Every sensitive instruction that does not trap in User mode is replaced
 * by ONE `SVC` instruction that keeps the original condition field and
 * carries the operands in its 24-bit immediate:
 *
 *     cond 1111 imm24            (ARM ARM A8.8.228, SVC encoding A1)
 *
 * An SVC whose condition fails does not trap, so conditional execution is
 * preserved for free.  The monitor reads the SVC back from guest memory
 * and interprets imm24 as follows, but ONLY when the guest is in a virtual
 * privileged mode.  An SVC executed in virtual User mode is always the
 * guest's own system call and is reflected to the guest kernel's SVC
 * vector, whatever its immediate.
 *
 *  imm24 bits        class                 fields
 *  [23:22] = 11      LDM (exception return) P[21] U[20] W[19] Rn[18:15] list[14:0] (+PC)
 *  [23:22] = 10      STM (user registers)   P[21] U[20] Rn[19:16] list[15:0]
 *  [23:21] = 011     LDM (user registers)   P[20] U[19] Rn[18:15] list[14:0]
 *  [23:21] = 010     data-processing, S=1, Rd=PC (SUBS PC,LR,#4 / MOVS PC,LR ...)
 *                                           opcode[20:17] I[16] Rn[15:12] operand2[11:0]
 *  [23:20] = 0011    system op              op[19:16] args[15:0]   (see PV_SYS_*)
 *  [23:20] = 0010    MSR immediate          R[16] mask[15:12] imm12[11:0], [19:17]=0
 *  [23:21] = 000     not PV: the guest's own SVC, delivered to the guest as an
 *                    SVC exception in every mode (covers `svc #0`, 0x123456 ...)
 */
#ifndef HV_PV_ABI_H
#define HV_PV_ABI_H

#define PV_ABI_VERSION          1

/* SVC instruction (ARM state) with condition `cond` and payload imm24. */
#ifdef __ASSEMBLER__
#define PV_UNSIGNED(x)          x
#else
#define PV_UNSIGNED(x)          x##u        /* no signed shift overflow in C */
#endif
#define PV_SVC_BASE             0x0F000000
#define PV_ENCODE(cond, imm24)  ((((cond) & PV_UNSIGNED(0xF)) << 28) | PV_SVC_BASE | ((imm24) & 0xFFFFFF))
#define PV_COND_AL              0xE

/* ---- class prefixes ---------------------------------------------------- */
#define PV_LDM_EXCRET(p, u, w, rn, list15) \
    (0xC00000 | ((p) << 21) | ((u) << 20) | ((w) << 19) | ((rn) << 15) | ((list15) & 0x7FFF))
#define PV_STM_USER(p, u, rn, list16) \
    (0x800000 | ((p) << 21) | ((u) << 20) | ((rn) << 16) | ((list16) & 0xFFFF))
#define PV_LDM_USER(p, u, rn, list15) \
    (0x600000 | ((p) << 20) | ((u) << 19) | ((rn) << 15) | ((list15) & 0x7FFF))
#define PV_DP_PC(opcode, i, rn, op2) \
    (0x400000 | ((opcode) << 17) | ((i) << 16) | ((rn) << 12) | ((op2) & 0xFFF))
#define PV_MSR_IMM(r, mask, imm12) \
    (0x200000 | ((r) << 16) | ((mask) << 12) | ((imm12) & 0xFFF))
#define PV_SYS(op, args)        (0x300000 | ((op) << 16) | ((args) & 0xFFFF))

/* ---- system ops (imm24[23:20] = 0011) ---------------------------------- */
#define PV_SYS_MRS      0   /* args: R[8] Rd[3:0]                 MRS Rd, CPSR|SPSR      */
#define PV_SYS_MSR_REG  1   /* args: R[8] mask[7:4] Rn[3:0]       MSR CPSR|SPSR_<mask>, Rn */
#define PV_SYS_CPS      2   /* args: imod[10:9] M[8] A[7] I[6] F[5] mode[4:0]            */
#define PV_SYS_SRS      3   /* args: P[7] U[6] W[5] mode[4:0]     SRS{DA,DB,IA,IB} SP!, #mode */
#define PV_SYS_RFE      4   /* args: P[7] U[6] W[5] Rn[3:0]       RFE{DA,DB,IA,IB} Rn!   */
#define PV_SYS_HINT     5   /* args: hint[2:0] 0 NOP 1 YIELD 2 WFE 3 WFI 4 SEV           */
#define PV_SYS_HVC      6   /* args: nr[7:0]  hypercall, r0-r3 in, r0 out                */

#define PV_MRS(r, rd)               PV_SYS(PV_SYS_MRS, ((r) << 8) | (rd))
#define PV_MSR_REG(r, mask, rn)     PV_SYS(PV_SYS_MSR_REG, ((r) << 8) | ((mask) << 4) | (rn))
#define PV_CPS(imod, m, aif, mode)  PV_SYS(PV_SYS_CPS, ((imod) << 9) | ((m) << 8) | ((aif) << 5) | (mode))
#define PV_SRS(p, u, w, mode)       PV_SYS(PV_SYS_SRS, ((p) << 7) | ((u) << 6) | ((w) << 5) | (mode))
#define PV_RFE(p, u, w, rn)         PV_SYS(PV_SYS_RFE, ((p) << 7) | ((u) << 6) | ((w) << 5) | (rn))
#define PV_HINT(h)                  PV_SYS(PV_SYS_HINT, (h))
#define PV_HVC(nr)                  PV_SYS(PV_SYS_HVC, (nr))

/* CPS imod values (as in the real encoding) */
#define PV_CPS_IMOD_NONE    0
#define PV_CPS_IMOD_ENABLE  2   /* CPSIE */
#define PV_CPS_IMOD_DISABLE 3   /* CPSID */
/* CPS aif bits */
#define PV_CPS_A            4
#define PV_CPS_I            2
#define PV_CPS_F            1

/* MSR field mask bits (c x s f) */
#define PV_MSR_C            1
#define PV_MSR_X            2
#define PV_MSR_S            4
#define PV_MSR_F            8

#define PV_HINT_NOP     0
#define PV_HINT_YIELD   1
#define PV_HINT_WFE     2
#define PV_HINT_WFI     3
#define PV_HINT_SEV     4

/* ---- hypercalls (PV_SYS_HVC) -------------------------------------------
 * Arguments in r0-r3, result in r0; r1-r3 and flags are preserved.
 * Negative results are errors (Linux errno values).
 */
#define HC_ABI_VERSION  0   /* -> PV_ABI_VERSION                                   */
#define HC_PUTC         1   /* r0 = byte                          -> 0             */
#define HC_WRITE        2   /* r0 = guest VA, r1 = length <= HC_WRITE_MAX -> length */
#define HC_YIELD        3   /* give up the rest of the time slice -> 0             */
#define HC_EXIT         4   /* r0 = status (0..255); does not return               */
#define HC_STATS        5   /* print this guest's trap statistics -> 0             */
#define HC_GUEST_ID     6   /* -> this guest's id (0-based)                        */
#define HC_COUNT        7

#define HC_WRITE_MAX    4096

#define PV_EPERM        (-1)
#define PV_EFAULT       (-14)
#define PV_EINVAL       (-22)
#define PV_ENOSYS       (-38)

#endif /* HV_PV_ABI_H */
