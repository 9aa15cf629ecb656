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
/* Fast instruction trap (FIT) ops: handled in the monitor's SVC vector
 * without a full world switch.  The monitor's self-patching writes them over
 * trapped MRC/MCR instructions; guests and tools may also use them directly. */
#define PV_SYS_FIT_LOAD  7  /* args: Rt[15:12] word[9:0]  Rt = SRFA word (not PC, SP, LR) */
#define PV_SYS_FIT_CACHE 8  /* args: Rt[15:12] op[3:0]   cache maintenance by VA in Rt  */
/* Return to user from a saved frame (docs/pv-abi.md): with Rn = the address of
 * the saved PC, [Rn - 60 .. Rn - 4] = r0..r14, [Rn] = PC, [Rn + 4] = CPSR (Linux's
 * struct pt_regs), it is MSR SPSR_fsxc, [Rn + 4]; LDMDB Rn, {r0|r1 - r14}^;
 * exception return to [Rn].  K (keep r0): r0 is not loaded. */
#define PV_SYS_RET_USER  9  /* args: K[4] Rn[3:0] */
/* FIT store: MCR p15, 0, Rt, c13, c0, 3 (TPIDRURO, which Linux writes at every
 * context switch: User mode may read it, only PL1 write it). */
#define PV_SYS_FIT_STORE 10 /* args: Rt[15:12] (r0-r12); [11:0] = 0 (TPIDRURO) */
/* Return into another mode (docs/pv-abi.md): SPSR <- (the CPSR as MRS reads
 * it) EOR x, then MOVS PC, LR.  Linux's vector stubs switch to SVC mode so. */
#define PV_SYS_RET_MODE  11 /* args: x[4:0] (mode bits to flip) */
/* FIT FPEXC: VMRS Rt, FPEXC (L = 1) / VMSR FPEXC, Rt (L = 0), which Linux's
 * lazy VFP switch executes at every context switch (docs/pv-abi.md). */
#define PV_SYS_FIT_FPEXC 12 /* args: Rt[15:12] (r0-r12) L[0]; [11:1] = 0 */

#define PV_MRS(r, rd)               PV_SYS(PV_SYS_MRS, ((r) << 8) | (rd))
#define PV_MSR_REG(r, mask, rn)     PV_SYS(PV_SYS_MSR_REG, ((r) << 8) | ((mask) << 4) | (rn))
#define PV_CPS(imod, m, aif, mode)  PV_SYS(PV_SYS_CPS, ((imod) << 9) | ((m) << 8) | ((aif) << 5) | (mode))
#define PV_SRS(p, u, w, mode)       PV_SYS(PV_SYS_SRS, ((p) << 7) | ((u) << 6) | ((w) << 5) | (mode))
#define PV_RFE(p, u, w, rn)         PV_SYS(PV_SYS_RFE, ((p) << 7) | ((u) << 6) | ((w) << 5) | (rn))
#define PV_HINT(h)                  PV_SYS(PV_SYS_HINT, (h))
#define PV_HVC(nr)                  PV_SYS(PV_SYS_HVC, (nr))
#define PV_FIT_LOAD(rt, word)       PV_SYS(PV_SYS_FIT_LOAD, ((rt) << 12) | ((word) & 0x3FF))
#define PV_FIT_CACHE(rt, op)        PV_SYS(PV_SYS_FIT_CACHE, ((rt) << 12) | ((op) & 0xF))
#define PV_RET_USER(keep_r0, rn)    PV_SYS(PV_SYS_RET_USER, ((keep_r0) << 4) | (rn))
#define PV_FIT_STORE(rt)            PV_SYS(PV_SYS_FIT_STORE, (rt) << 12)
#define PV_RET_MODE(x)              PV_SYS(PV_SYS_RET_MODE, (x) & 0x1F)
#define PV_FIT_FPEXC(rt, l)         PV_SYS(PV_SYS_FIT_FPEXC, ((rt) << 12) | ((l) & 1))
#define PV_RET_USER_PC_OFF  60      /* the saved PC's offset in the frame (15 words) */

/* PV_SYS_FIT_CACHE operations (the MCR p15, 0, Rt, c7, CRm, opc2 they stand for) */
#define PV_FIT_DCCMVAC  0   /* c7, c10, 1 */
#define PV_FIT_DCCMVAU  1   /* c7, c11, 1 */
#define PV_FIT_DCCIMVAC 2   /* c7, c14, 1 */
#define PV_FIT_DCIMVAC  3   /* c7, c6, 1: performed as clean+invalidate */
#define PV_FIT_ICIMVAU  4   /* c7, c5, 1 */
#define PV_FIT_NCACHE   5

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
#define HC_FEATURES     7   /* -> PV_FEAT_* bits: the fast paths this monitor has   */
#define HC_PSCI         8   /* r0 = PSCI function ID (PV_PSCI_*), r1-r3 args -> PSCI status */
#define HC_COUNT        9

/* PSCI 0.2 (ARM DEN 0022) through HC_PSCI: what a guest kernel's "arm,psci-0.2"
 * driver with method "hvc" calls (pvpatch --psci turns its HVC #0 into
 * PV_HVC(HC_PSCI)).  One vCPU per guest: no CPU_ON, no suspend. */
#define PV_PSCI_VERSION            0x84000000u  /* -> 0x00000002 (0.2)              */
#define PV_PSCI_MIGRATE_INFO_TYPE  0x84000006u  /* -> 2: no Trusted OS to migrate   */
#define PV_PSCI_SYSTEM_OFF         0x84000008u  /* the guest stops (exit status 0)  */
#define PV_PSCI_SYSTEM_RESET       0x84000009u  /* the monitor restarts the guest   */
#define PV_PSCI_NOT_SUPPORTED      (-1)
#define PV_PSCI_INVALID_PARAMETERS (-2)
/* SMCCC (ARM DEN 0028) Vendor Specific Hypervisor Service (OEN 6), SMC32
 * fast call, through the same conduit: end the guest with exit status r1
 * (0..255; else INVALID_PARAMETERS).  The monitor's exit status reflects it
 * (docs/pv-abi.md "Ending a guest"). */
#define PV_SMCCC_VENDOR_EXIT       0x86000001u

#define PV_FEAT_SRFA    1   /* the SRFA page is mapped at PV_SRFA_VA              */
#define PV_FEAT_FIT     2   /* FIT ops take the vector fast path; self-patching    */
#define PV_FEAT_FAST_SYSCALL 4  /* guest system calls reflected in the vector     */

#define HC_WRITE_MAX    4096

/* ---- SRFA: the shadow register file (docs/pv-abi.md) --------------------
 * One 4 KiB page per vCPU, mapped by the monitor at PV_SRFA_VA in the
 * guest's kernel view only: virtual privileged modes can read it (and write
 * PV_SRFA_VCPSR), virtual User mode gets the fault an unmapped address gives.
 * It mirrors the virtual CPU state so that reading it costs no trap.
 *
 * Addressing with one scratch register and no literal pool:
 *     mvn   rX, #0x40000000              @ rX = 0xBFFFFFFF = PV_SRFA_BASE
 *     ldr   rY, [rX, #PV_SRFA_DISP(off)] @ the word at PV_SRFA_VA + off
 *
 * PV_SRFA_VCPSR is the only word the guest may write, and the monitor takes
 * only the A, I and F bits from it (everything else is rewritten from its own
 * state).  While a virtual IRQ or FIQ is pending but masked, the monitor maps
 * the page read-only: the store that unmasks (or any store) then traps once,
 * the monitor completes it and delivers the interrupt.  Every other word is
 * written by the monitor only, before the guest next runs.
 */
#define PV_SRFA_VA          0xBFFFF000
#define PV_SRFA_BASE        0xBFFFFFFF      /* mvn rX, #0x40000000 */
#define PV_SRFA_DISP(off)   ((off) - 0xFFF) /* offset from PV_SRFA_BASE */
#define PV_SRFA_MAGIC_VALUE 0x53524641      /* "SRFA" */
#define PV_SRFA_VERSION_VALUE 1

#define PV_SRFA_VCPSR       0x000   /* virtual CPSR: M[4:0], T, F, I, A, E; GE, IT and
                                       flags as of the last trap (the live flags are the
                                       real APSR's) */
#define PV_SRFA_SPSR        0x004   /* SPSR of the current virtual mode (0 in USR/SYS) */
#define PV_SRFA_PENDING     0x008   /* bit 0: a virtual IRQ is pending, bit 1: a virtual
                                       FIQ; whether or not it is masked */
#define PV_SRFA_MAGIC       0x00C   /* PV_SRFA_MAGIC_VALUE */
#define PV_SRFA_VERSION     0x010   /* PV_SRFA_VERSION_VALUE */
/* Banked SP and LR of every mode, in pairs: USR(=SYS) FIQ IRQ SVC ABT UND.
 * For the current mode the live values are the real registers. */
#define PV_SRFA_BANKED      0x020
#define PV_SRFA_BANK_USR    0
#define PV_SRFA_BANK_FIQ    1
#define PV_SRFA_BANK_IRQ    2
#define PV_SRFA_BANK_SVC    3
#define PV_SRFA_BANK_ABT    4
#define PV_SRFA_BANK_UND    5
#define PV_SRFA_SP(bank)    (PV_SRFA_BANKED + 8 * (bank))
#define PV_SRFA_LR(bank)    (PV_SRFA_BANKED + 8 * (bank) + 4)
/* SPSR of every mode that has one: FIQ IRQ SVC ABT UND (bank numbers 1-5). */
#define PV_SRFA_SPSRS       0x050
#define PV_SRFA_SPSR_OF(bank) (PV_SRFA_SPSRS + 4 * ((bank) - 1))
/* CP15 registers, one word each at PV_SRFA_CP15 + 4 * index.  The list
 * X(name, index, CRn, opc1, CRm, opc2): exactly these MRCs read the word. */
#define PV_SRFA_CP15        0x080
#define PV_SRFA_CP15_LIST(X) \
    X(MIDR,        0,  0, 0, 0, 0)  X(CTR,       1,  0, 0, 0, 1) \
    X(TLBTR,       2,  0, 0, 0, 3)  X(MPIDR,     3,  0, 0, 0, 5) \
    X(REVIDR,      4,  0, 0, 0, 6)  X(ID_PFR0,   5,  0, 0, 1, 0) \
    X(ID_PFR1,     6,  0, 0, 1, 1)  X(ID_DFR0,   7,  0, 0, 1, 2) \
    X(ID_AFR0,     8,  0, 0, 1, 3)  X(ID_MMFR0,  9,  0, 0, 1, 4) \
    X(ID_MMFR1,   10,  0, 0, 1, 5)  X(ID_MMFR2, 11,  0, 0, 1, 6) \
    X(ID_MMFR3,   12,  0, 0, 1, 7)  X(ID_ISAR0, 13,  0, 0, 2, 0) \
    X(ID_ISAR1,   14,  0, 0, 2, 1)  X(ID_ISAR2, 15,  0, 0, 2, 2) \
    X(ID_ISAR3,   16,  0, 0, 2, 3)  X(ID_ISAR4, 17,  0, 0, 2, 4) \
    X(ID_ISAR5,   18,  0, 0, 2, 5)  X(CCSIDR,   19,  0, 1, 0, 0) \
    X(CLIDR,      20,  0, 1, 0, 1)  X(AIDR,     21,  0, 1, 0, 7) \
    X(CSSELR,     22,  0, 2, 0, 0)  X(SCTLR,    23,  1, 0, 0, 0) \
    X(ACTLR,      24,  1, 0, 0, 1)  X(CPACR,    25,  1, 0, 0, 2) \
    X(TTBR0,      26,  2, 0, 0, 0)  X(TTBR1,    27,  2, 0, 0, 1) \
    X(TTBCR,      28,  2, 0, 0, 2)  X(DACR,     29,  3, 0, 0, 0) \
    X(DFSR,       30,  5, 0, 0, 0)  X(IFSR,     31,  5, 0, 0, 1) \
    X(ADFSR,      32,  5, 0, 1, 0)  X(AIFSR,    33,  5, 0, 1, 1) \
    X(DFAR,       34,  6, 0, 0, 0)  X(IFAR,     35,  6, 0, 0, 2) \
    X(PAR,        36,  7, 0, 4, 0)  X(PRRR,     37, 10, 0, 2, 0) \
    X(NMRR,       38, 10, 0, 2, 1)  X(VBAR,     39, 12, 0, 0, 0) \
    X(FCSEIDR,    40, 13, 0, 0, 0)  X(CONTEXTIDR, 41, 13, 0, 0, 1) \
    X(TPIDRPRW,   42, 13, 0, 0, 4)
#define PV_SRFA_CP15_COUNT  43
#define PV_SRFA_CP15_OFF(index) (PV_SRFA_CP15 + 4 * (index))
#define PV_SRFA_WORDS       1024

#define PV_EPERM        (-1)
#define PV_EFAULT       (-14)
#define PV_EINVAL       (-22)
#define PV_ENOSYS       (-38)

#endif /* HV_PV_ABI_H */
