/* Emulation of trapped guest instructions. */
#ifndef CORE_EMULATE_H
#define CORE_EMULATE_H
#include "vcpu.h"

enum emu_result {
    EMU_DONE,       /* emulated; continue at the next instruction (regs.pc) */
    EMU_BRANCHED,   /* emulated; regs.pc/mode already set (exception return, injection) */
    EMU_UNDEF,      /* a real CPU would take the Undefined Instruction exception */
    EMU_STOPPED,    /* the guest was stopped (guest_stop) */
};

/* SVC trap from a guest: PV instruction, hypercall, or the guest's own SVC. */
void emulate_svc(struct vcpu *v);
/* MRS: the execution state bits read as 0 (B9.3.9). */
#define EMU_MRS_READ_MASK 0xF8FF03DFu
struct pv_insn;
/* The PV return-to-user operation (PV_SYS_RET_USER) at `insn_addr`: EMU_*. */
int emulate_ret_user(struct vcpu *v, const struct pv_insn *i, uint32_t insn_addr);
/* PV_SYS_RET_MODE at `insn_addr`: EMU_*; and the SPSR it writes for x. */
int emulate_ret_mode(struct vcpu *v, const struct pv_insn *i, uint32_t insn_addr);
uint32_t emulate_ret_mode_spsr(const struct vcpu *v, uint32_t x);
/* UNDEF trap from a guest: privileged instruction, VFP, or truly undefined. */
void emulate_undef(struct vcpu *v);
/* A single load/store (struct ls_insn) at insn_addr, performed through
 * `access`, which returns 0 or a fault status (then a Data Abort is
 * injected with DFAR = the faulting address).  PC moves past it. */
struct ls_insn;
typedef uint32_t (*ls_access_fn)(struct vcpu *v, void *ctx, uint32_t addr, unsigned size,
                                 bool write, bool pl1, uint32_t *val);
int emulate_load_store(struct vcpu *v, uint32_t insn_addr, const struct ls_insn *i,
                       ls_access_fn access, void *ctx);
/* A store that hit a write-protected guest table page (mode b); fault_ipa:
 * what the guest's tables translate fault_va to (write permitted at the
 * current privilege), or ~0 if not known. */
void emulate_table_write(struct vcpu *v, uint32_t fault_va, uint32_t fault_ipa);
/* CP15 register transfer (core/cp15.c). */
struct cp_insn;
int cp15_emulate(struct vcpu *v, const struct cp_insn *i, uint32_t insn_addr);
/* LEAN_TRAP: if `insn`, the ARM instruction of the UNDEF trap of `v`, is an
 * unconditional MRC of a CP15 register of the table, emulate it (exactly as
 * cp15_emulate() would) and return true; anything else is left to
 * emulate_undef(). */
bool cp15_read_fast(struct vcpu *v, uint32_t insn);
/* FAST_CP15: the same for an unconditional MCR to a CP15 register or
 * operation of the table (not the generic timer, Rt not PC) from a mode
 * allowed to write it: cp15_emulate() without the generic decode. */
bool cp15_write_fast(struct vcpu *v, uint32_t insn);
/* All of the SRFA's CP15 words (after a reset). */
void cp15_srfa_publish(struct vcpu *v, uint32_t *words);
/* One of them (index in PV_SRFA_CP15_LIST). */
uint32_t cp15_srfa_word(struct vcpu *v, unsigned idx);
/* CP14: the trivial Jazelle registers (core/cp15.c). */
int cp14_emulate(struct vcpu *v, const struct cp_insn *i, uint32_t a);
/* The SRFA CP15 index an MRC of the register reads, or -1. */
int cp15_srfa_index(unsigned crn, unsigned opc1, unsigned crm, unsigned opc2);
/* Hypercall (core/hypercall.c); inline, it is on the lean hypercall path. */
extern int (*const hypercall_table[HC_COUNT])(struct vcpu *);
/* The hypercalls that change nothing but r0 and the guest's console output
 * (no scheduling, no device state): after them the lean path needs no
 * scheduling checks (core/trap.c).  Any other one gets them. */
#define HYPERCALLS_PURE ((1u << HC_ABI_VERSION) | (1u << HC_PUTC) | (1u << HC_WRITE) | \
                         (1u << HC_STATS) | (1u << HC_GUEST_ID) | (1u << HC_FEATURES))
int hypercall_unknown(struct vcpu *v, unsigned nr);
static inline int hypercall(struct vcpu *v, unsigned nr)
{
    int (*fn)(struct vcpu *) = nr < HC_COUNT ? hypercall_table[nr] : NULL;
    int ret = fn ? fn(v) : hypercall_unknown(v, nr);

    if (v->state != VCPU_EXITED && v->state != VCPU_STOPPED)
        v->regs.r[0] = (uint32_t)ret;   /* a guest that left gets no result */
    return EMU_DONE;
}
#endif
