/*
 * FIT, the fast instruction trap (ARMvisor).  Hot trapped instructions are
 * handled in the SVC vector itself (arch/arm/vectors.S) without the full
 * world switch into C: PV_SYS_FIT_LOAD (a register from the SRFA page) and
 * PV_SYS_FIT_CACHE (cache maintenance by VA).  The guest gets them either
 * from its own build/pvpatch, or from self-patching: the first time the slow
 * path emulates an MRC of an SRFA-mirrored CP15 register or a cache
 * maintenance MCR in guest-kernel-only code, the monitor rewrites the
 * instruction in guest memory into the FIT encoding.
 */
#ifndef CORE_FIT_H
#define CORE_FIT_H

#include "vcpu.h"
#include "decode.h"

#ifndef FIT
#define FIT 1           /* make FIT=0: no vector fast path, no self-patching */
#endif

/* The slow path emulated the coprocessor instruction `c` at `a`
 * successfully: rewrite it into the FIT op `imm24` (PV_FIT_LOAD/CACHE, with
 * c's condition) if that is safe. */
void fit_self_patch(struct vcpu *v, uint32_t a, const struct cp_insn *c, uint32_t imm24);
/* `a` was found unpatchable since the last fit_forget() (fit_self_patch()
 * would return at once: callers on a hot path skip the call). */
static inline bool fit_known_unpatchable(const struct vcpu *v, uint32_t a)
{
    return v->fit_nopatch[(a >> 2) & 7] == a;
}
/* The guest's translations may have changed: addresses found unpatchable
 * (their page reachable from PL0) are looked at again. */
static inline void fit_forget(struct vcpu *v)
{
    if (v->fit_nopatch_next) {
        for (unsigned k = 0; k < 8; k++)
            v->fit_nopatch[k] = 1;      /* never an ARM instruction address */
        v->fit_nopatch_next = 0;
    }
}
/* The PV_FIT_* cache op for MCR p15, 0, Rt, c7, crm, opc2, or -1. */
int fit_cache_op_of(unsigned crm, unsigned opc2);
/* The C side of the FIT ops (vectors.S hands over what it does not do). */
int fit_emulate(struct vcpu *v, const struct pv_insn *i, uint32_t a);
/* The FIT ops counted by the vector path, into stats[TS_FIT]. */
void fit_fold_stats(struct vcpu *v);

#endif
