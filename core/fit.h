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

/* The slow path emulated the coprocessor instruction `insn` at `a`
 * successfully: rewrite it into a FIT op if that is safe. */
void fit_self_patch(struct vcpu *v, uint32_t a, uint32_t insn, const struct cp_insn *c);
/* The C side of the FIT ops (vectors.S hands over what it does not do). */
int fit_emulate(struct vcpu *v, const struct pv_insn *i, uint32_t a);
/* The FIT ops counted by the vector path, into stats[TS_FIT]. */
void fit_fold_stats(struct vcpu *v);

#endif
