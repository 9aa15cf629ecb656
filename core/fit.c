/*
 * FIT, the fast instruction trap: the C side (see fit.h).
 */
#include "fit.h"
#include "emulate.h"
#include "guest.h"
#include "hv.h"
#include "srfa.h"
#include "vfp.h"
#include <arch/mmu-defs.h>
#include "../mm/mm.h"
#include "../mm/shadow.h"

/* PV_FIT_* cache op <-> MCR p15, 0, Rt, c7, CRm, opc2 */
static const struct { uint8_t crm, opc2; } fit_cache_ops[PV_FIT_NCACHE] = {
    [PV_FIT_DCCMVAC]  = { 10, 1 },
    [PV_FIT_DCCMVAU]  = { 11, 1 },
    [PV_FIT_DCCIMVAC] = { 14, 1 },
    [PV_FIT_DCIMVAC]  = { 6, 1 },
    [PV_FIT_ICIMVAU]  = { 5, 1 },
};

int fit_emulate(struct vcpu *v, const struct pv_insn *i, uint32_t a)
{
    v->stats[TS_FIT]++;
    if (i->cls == PV_C_FIT_LOAD) {
        /* The word as published; without a page (make SRFA=0) the same
         * value computed from the vCPU, so that a guest patched with
         * pvpatch --fit runs on any monitor (issue 15 item 1). */
        vcpu_set_reg(v, i->rd, v->srfa ? v->srfa[i->word] : srfa_word(v, i->word));
        return EMU_DONE;
    }
    if (i->cls == PV_C_FIT_FPEXC) {
        /* What the vector path declined (VMSR with EN = 1, CPACR denying
         * cp10, FIT=0): exactly the VMRS/VMSR FPEXC it stands for. */
        struct vfp_sys_insn f = { .cond = i->cond, .read = i->load, .reg = VFP_SYS_FPEXC,
                                  .rt = i->rd };
        return vfp_sys_emulate(v, &f);
    }
    /* FIT_CACHE the vector path declined (VA not mapped, SP/LR operand), or
     * FIT_STORE (the vector path takes them all, but with FIT=0): exactly
     * the MCR it stands for. */
    struct cp_insn c = {
        .cond = i->cond, .coproc = 15, .read = false, .opc1 = 0, .crn = 7,
        .crm = fit_cache_ops[i->fit_op].crm, .opc2 = fit_cache_ops[i->fit_op].opc2,
        .rt = i->rd,
    };
    if (i->cls == PV_C_FIT_STORE) {
        c.crn = 13;                                 /* TPIDRURO: c13, c0, 3 */
        c.crm = 0;
        c.opc2 = 3;
    }
    return cp15_emulate(v, &c, a);
}

void fit_fold_stats(struct vcpu *v)
{
    v->stats[TS_FIT] += v->fit_hits;
    v->fit_hits = 0;
}

int fit_cache_op_of(unsigned crm, unsigned opc2)
{
    for (unsigned op = 0; op < PV_FIT_NCACHE; op++)
        if (fit_cache_ops[op].crm == crm && fit_cache_ops[op].opc2 == opc2)
            return (int)op;
    return -1;
}

/*
 * Patch only code the guest can reach in its privileged modes alone: a FIT
 * op is an SVC, which in virtual User mode would be a system call instead of
 * the UNDEF a CP15 access from PL0 gives.  So: guest MMU on, the page
 * executable at PL1 and not accessible at PL0 (a client domain), as a Linux
 * kernel's text is.  With the MMU off every page is reachable from both.
 * And only the instruction the CPU fetched, in a page no alias lets virtual
 * User mode execute (the shadow knows both, and undoes the patch before it
 * ever maps the page User-executable: shadow_patch_allowed()).
 */
void fit_self_patch(struct vcpu *v, uint32_t a, const struct cp_insn *c, uint32_t imm24)
{
    struct guest *g = v->guest;
    struct mmu_regs m;
    struct walk_result w;
    uint32_t rep, pa;

    if (!v->srfa || c->rt > 12 || c->cond == 0xF || c->two_regs || !vmode_privileged(v) ||
        !(v->cp15.sctlr & SCTLR_M) || (v->regs.cpsr & PSR_T))
        return;
    /* Direct-mapped by address: one compare on every trap of an
     * instruction found unpatchable before (a hot, PL0-reachable MRC). */
    uint32_t *nopatch = &v->fit_nopatch[(a >> 2) & 7];
    if (fit_known_unpatchable(v, a))
        return;                         /* walked before: not patchable */
    rep = PV_ENCODE(c->cond, imm24);
    shadow_mmu_regs(v, &m);
    uint32_t orig;
    if (mmu_walk(&m, a, shadow_read_ipa, g, &w) || w.dtype != 1 || w.perm_pl0 || w.xn ||
        w.pxn || !guest_ipa_to_pa(g, w.ipa, &pa) || !shadow_patch_allowed(v, a, w.ipa) ||
        !shadow_read_ipa(g, w.ipa, &orig)) {
        *nopatch = a;
        v->fit_nopatch_next = 1;        /* fit_forget() has something to forget */
        return;
    }
    if (!shadow_patch_record(g, w.ipa, orig, rep) || !guest_copy_to_ipa(g, w.ipa, &rep, 4))
        return;
    shadow_guest_wrote(g, w.ipa, 4);
    /* The new instruction must be what the core fetches next time: clean the
     * line to the point of unification, then invalidate the instruction
     * cache and the branch predictor (ARM ARM B2.2.9, "Ordering of cache and
     * branch predictor maintenance operations"; self-modifying code). */
    arch_sync_code_pa(pa, 4);
    v->stats[TS_FIT_PATCH]++;
}
