/*
 * SRFA: the shadow register file, a page per vCPU shared with the guest
 * kernel (layout: include/hv/pv-abi.h, docs/pv-abi.md).
 *
 * Invariant: while the guest runs, the A/I/F bits of the SRFA's VCPSR word
 * are the virtual CPSR's (the guest flips them with plain stores); while the
 * monitor runs, vcpu->vcpsr is.  srfa_sync_in() moves them in at every trap
 * from the guest, srfa_publish() writes the monitor's state out before the
 * guest runs again.  Nothing else is ever read back from the page.
 */
#ifndef CORE_SRFA_H
#define CORE_SRFA_H

#include "vcpu.h"

#ifndef SRFA
#define SRFA 1          /* make SRFA=0: no page (guests must not use it) */
#endif

/* Word indexes of the CP15 registers (PV_SRFA_CP15_LIST). */
enum {
#define X(name, idx, crn, o1, crm, o2) SRFA_CP15_##name = idx,
    PV_SRFA_CP15_LIST(X)
#undef X
};

/* Store a CP15 word the monitor just changed (no-op without a page). */
static inline void srfa_set_cp15(struct vcpu *v, unsigned idx, uint32_t val)
{
    if (v->srfa)
        v->srfa[PV_SRFA_CP15 / 4 + idx] = val;
}

/* Groups of words to republish (vcpu->srfa_dirty): only after a reset.
 * Otherwise each word is stored where its register changes: CP15 words by
 * cp15_emulate() and the aborts, the banked SP/LR/SPSR of a mode when the
 * vCPU leaves it or writes it from another mode (srfa_set_bank()), the
 * current mode's SPSR and the VCPSR at every srfa_publish(). */
#define SRFA_D_BANKED   1u      /* banked SP/LR, SPSRs */
#define SRFA_D_CP15     2u      /* every CP15 word */
#define SRFA_D_ALL      3u

/* Banked registers of mode bank `b` (enum vbank = the SRFA's bank numbers),
 * which is not the current one: the SRFA words follow the vCPU's copies.
 * Keeping them current where they change costs a few stores per mode
 * change instead of republishing all 17 words on every such trap. */
static inline void srfa_set_bank(struct vcpu *v, enum vbank b)
{
    uint32_t *p = v->srfa;

    if (!p)
        return;
    p[PV_SRFA_SP(b) / 4] = v->bank_sp[b];
    p[PV_SRFA_LR(b) / 4] = v->bank_lr[b];
    if (b != BANK_USR)
        p[PV_SRFA_SPSR_OF(b) / 4] = v->spsr[b];
}

/* Allocate and map the guest's page (once, at load). */
int srfa_init(struct vcpu *v);
/* SRFA word `word` (PV_SRFA_WORDS of them) as srfa_publish() leaves it,
 * computed from the vCPU: what FIT_LOAD reads (fit_emulate()), also where
 * there is no page (make SRFA=0: a guest patched with pvpatch --fit still
 * gets the register its MRC read).  0 for words the layout leaves unused. */
uint32_t srfa_word(struct vcpu *v, unsigned word);

/* Back to power-on contents (guest reset). */
void srfa_reset(struct vcpu *v);

static inline void srfa_sync_in(struct vcpu *v)
{
    _Static_assert(PSR_AIF == 7u << 6, "A, I, F are CPSR[8:6]");
    if (v->srfa)        /* a bit-field insert: this is on every trap's path */
        v->vcpsr = (v->vcpsr & ~PSR_AIF) | (((v->srfa[PV_SRFA_VCPSR / 4] >> 6) & 7) << 6);
}

/* Before the guest runs: the state it may read, and whether its stores to
 * the page must trap (an interrupt is pending and masked). */
void srfa_publish(struct vcpu *v);

/* A data abort at `dfar`: a store to the read-only SRFA page?  Then complete
 * it (the monitor delivers the interrupt on the way out) and return true. */
bool srfa_store_fault(struct vcpu *v, uint32_t dfar);

#endif
