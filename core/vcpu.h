/*
 * Virtual CPU: the guest-visible ARMv7-A state the monitor keeps in software.
 *
 * The guest (kernel and user) always runs in hardware User mode.  Its
 * condition flags, GE, E, IT and T bits live in the real CPSR (regs.cpsr);
 * the virtual mode and the virtual A/I/F masks live in `vcpsr`.  The
 * registers of the current virtual mode are the real ones (regs); the banked
 * copies of every other mode are kept here (ARM ARM B1.3.2).
 */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include <arch/arch.h>
#include <hv/pv-abi.h>

#ifndef FAST_SYSCALL
#define FAST_SYSCALL 1      /* make FAST_SYSCALL=0 turns the fast path off */
#endif
/* Lean trap paths (core/trap.c): hypercalls and CP15 reads handled without
 * the generic decode and emulation, and back into the same vCPU without a
 * scheduling decision when nothing that needs one changed
 * (sched_resume()).  make LEAN_TRAP=0 turns them off. */
#ifndef LEAN_TRAP
#define LEAN_TRAP 1
#endif
/* FAST_CP15 (issue 16): trapped cache maintenance by VA done in the UNDEF
 * vector (its LEAN_TRAP path), other CP15 writes without the generic decode (cp15_write_fast()),
 * and cache maintenance that finds no shadow entry fills one.
 * FAST_MMIO: emulated device accesses through a per-vCPU cache of the
 * guest's translation of the device page (core/mmio.c).  make FAST_CP15=0,
 * FAST_MMIO=0 turn them off. */
#ifndef FAST_CP15
#define FAST_CP15 1
#endif
#ifndef FAST_MMIO
#define FAST_MMIO 1
#endif
/* RET_USER (docs/pv-abi.md, PV_SYS_RET_USER): the return-to-user operation
 * on the lean trap path (core/trap.c), its frame read through the MMU's
 * current translation; `make linux` then has pvpatch use it (--ret-user).
 * make RET_USER=0: the generic path, and a guest kernel without it. */
#ifndef RET_USER
#define RET_USER 1
#endif
/* Whether guests get a generic timer (qemu-virt): core/virq.c. */
bool board_has_generic_timer_for_guests(void);

/* Register banks: SYS shares USR's (ARM ARM B1.3.2, Table B1-2). */
enum vbank { BANK_USR, BANK_FIQ, BANK_IRQ, BANK_SVC, BANK_ABT, BANK_UND, NBANKS };

/* Trap statistics classes: what made the guest leave User mode. */
enum trap_class {
    TS_HYPERCALL, TS_SYSCALL, TS_GUEST_SVC,
    TS_PV_CPS, TS_PV_MRS, TS_PV_MSR, TS_PV_EXCRET, TS_PV_LDMSTM_USER, TS_PV_SRS_RFE, TS_PV_HINT,
    TS_PV_RET_USER,
    TS_CP15_READ, TS_CP15_WRITE, TS_CP15_CACHE, TS_CP15_TLB, TS_VFP_SWITCH, TS_VFP_SYSREG,
    TS_UNDEF_INJECTED, TS_PABT, TS_DABT, TS_IRQ, TS_RESCHED,
    TS_SHADOW_FILL, TS_SHADOW_EVICT, TS_SHADOW_FLUSH, TS_SHADOW_VIEW, TS_SHADOW_PT_WRITE,
    TS_MMIO, TS_VIRQ, TS_CONSOLE_DROP, TS_SRFA_STORE, TS_FIT, TS_FIT_PATCH,
    TS_SHADOW_RELEASE, TS_SHADOW_INHERIT, TS_SHADOW_ASID,
    TS_NCLASSES
};
extern const char *const trap_class_name[TS_NCLASSES];

/* Virtual CP15 registers (ARM ARM B4.1). */
struct vcp15 {
    uint32_t sctlr, actlr, cpacr;
    uint32_t ttbr0, ttbr1, ttbcr, dacr;
    uint32_t dfsr, ifsr, adfsr, aifsr, dfar, ifar, par;
    uint32_t prrr, nmrr, vbar, fcseidr, contextidr;
    uint32_t tpidrurw, tpidruro, tpidrprw;
    uint32_t csselr;
    /* PMU: cycle counter only (PMCR.N = 0). */
    uint32_t pmcr, pmcnten, pmovsr, pmuserenr, pminten, pmselr;
    uint32_t pmccntr_base;      /* guest PMCCNTR = real - base while counting */
    uint32_t pmccntr_frozen;    /* value while stopped */
};

enum vcpu_state { VCPU_READY, VCPU_RUNNING, VCPU_WFI, VCPU_PAUSED, VCPU_EXITED, VCPU_STOPPED };

struct guest;

struct vcpu {
    /* The frame the vector stubs fill while this vCPU runs (vectors.S). */
    struct arm_regs regs;
    /* Trap statistics, right after the frame: within LDRD/STRD's offset
     * range, which the vector's fast paths use (vectors.S). */
    uint64_t stats[TS_NCLASSES];

    uint32_t vcpsr;                     /* virtual M[4:0], A, I, F */
    uint32_t bank_sp[NBANKS], bank_lr[NBANKS], spsr[NBANKS];
    uint32_t usr_r8_12[5];              /* User bank r8-r12 while in FIQ mode */
    uint32_t fiq_r8_12[5];              /* FIQ bank r8-r12 otherwise */

    struct vcp15 cp15;
    struct vfp_state vfp;
    uint32_t cpacr_vfp_ok;              /* guest CPACR grants cp10/cp11 */

    /* For the system-call fast path in the SVC vector (arch/arm/vectors.S),
     * kept up to date by vcpu_fast_update(): */
    uint32_t fast_syscall;              /* 1: reflect guest SVCs in the stub */
    uint32_t svc_vector;                /* the guest's SVC vector address */
    uint32_t svc_entry_bits;            /* CPSR.T/E on exception entry (TE, EE) */
    uint32_t cntkctl_kernel;            /* CNTKCTL to set at virtual PL1, 0: none */
    uint32_t fit_hits;                  /* FIT fast-path ops (folded into stats[TS_FIT]) */
    uint32_t trap_insn;                 /* LEAN_TRAP: the PV SVC the vector read */

    /* SRFA (core/srfa.h): the shared page, NULL without one */
    uint32_t *srfa;
    uint32_t srfa_dirty;                /* SRFA_D_* groups to republish */
    bool srfa_noprotect;                /* leave the page writable for one store */
    /* FIT self-patching: instruction addresses found unpatchable, by
     * address bits [4:2]; fit_nopatch_next != 0: some are recorded */
    uint32_t fit_nopatch[8];
    unsigned fit_nopatch_next;

    struct guest *guest;
    uint32_t trap_addr;                 /* the instruction that trapped (messages) */
    enum vcpu_state state;
    uint32_t slice_left;                /* nonzero while its turn lasts (core/sched.c) */
    int64_t credit_ns;                  /* CPU time left of its turns; < 0: overspent */
};

/* ---- register access, in the current virtual mode ----------------------- */
static inline uint32_t vmode(const struct vcpu *v) { return v->vcpsr & PSR_MODE_MASK; }
static inline bool vmode_privileged(const struct vcpu *v) { return vmode(v) != PSR_MODE_USR; }
/* A mode that has an SPSR (not USR or SYS). */
static inline bool vmode_has_spsr(const struct vcpu *v)
{
    return vmode(v) != PSR_MODE_USR && vmode(v) != PSR_MODE_SYS;
}

bool vcpu_mode_valid(uint32_t mode);
/* Inline: every mode change and SRFA publication asks. */
static inline enum vbank vcpu_bank_of(uint32_t mode)
{
    switch (mode) {
    case PSR_MODE_FIQ: return BANK_FIQ;
    case PSR_MODE_IRQ: return BANK_IRQ;
    case PSR_MODE_SVC: return BANK_SVC;
    case PSR_MODE_ABT: return BANK_ABT;
    case PSR_MODE_UND: return BANK_UND;
    default:           return BANK_USR;     /* USR and SYS */
    }
}

/* Rn for the instruction at `insn_addr` (R15 reads as insn_addr + 8, ARM). */
uint32_t vcpu_reg(const struct vcpu *v, unsigned n, uint32_t insn_addr);
void vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val);
/* The User-mode registers, whatever the current virtual mode (LDM/STM ^). */
uint32_t vcpu_user_reg(const struct vcpu *v, unsigned n);
void vcpu_set_user_reg(struct vcpu *v, unsigned n, uint32_t val);
/* Banked SP of any mode (SRS). */
uint32_t vcpu_banked_sp(const struct vcpu *v, uint32_t mode);
void vcpu_set_banked_sp(struct vcpu *v, uint32_t mode, uint32_t val);

/* The full guest-visible CPSR (inline: every return to a guest publishes it
 * in the SRFA).  Flags, GE, E, IT and T are live in the real CPSR; J is
 * always 0. */
static inline uint32_t vcpu_cpsr(const struct vcpu *v)
{
    return (v->regs.cpsr & ~(PSR_MODE_MASK | PSR_AIF | PSR_J)) |
           (v->vcpsr & (PSR_MODE_MASK | PSR_AIF));
}
uint32_t *vcpu_spsr(struct vcpu *v);    /* NULL in USR/SYS */
/* Change the virtual mode, swapping banked registers. */
void vcpu_set_mode(struct vcpu *v, uint32_t mode);
/*
 * CPSRWriteByInstr (ARM ARM B1.3.3 pseudocode): write `val` under `bytemask`
 * with the privilege of the current virtual mode.  Returns false for an
 * UNPREDICTABLE write (bad mode), in which case nothing changed.
 */
bool vcpu_write_cpsr(struct vcpu *v, uint32_t val, unsigned bytemask, bool excp_return);
/* Exception return: CPSR <- SPSR, then BranchWritePC(pc). */
bool vcpu_exception_return(struct vcpu *v, uint32_t new_cpsr, uint32_t pc);

void vcpu_reset(struct vcpu *v, uint32_t entry);
/* Recompute the fast-path fields after SCTLR, VBAR or CPACR changed. */
void vcpu_fast_update(struct vcpu *v);
/* Make regs safe to return to: real User mode, host interrupts unmasked. */
void vcpu_sanitize_frame(struct vcpu *v);

#endif
