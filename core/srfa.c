/*
 * SRFA, the shadow register file (see srfa.h and docs/pv-abi.md).
 */
#include "srfa.h"
#include "decode.h"
#include "emulate.h"
#include "guest.h"
#include "hv.h"
#include "string.h"
#include "exception.h"
#include <arch/memmap.h>
#include "../mm/mm.h"
#include "../mm/shadow.h"

#define W(off)  ((off) / 4)

int srfa_init(struct vcpu *v)
{
    if (!SRFA)
        return 0;
    v->srfa = pool_alloc(SZ_4K, SZ_4K);
    if (!v->srfa || shadow_srfa_map(v->guest, v->srfa))
        return -1;
    srfa_reset(v);
    return 0;
}

void srfa_reset(struct vcpu *v)
{
    if (!v->srfa)
        return;
    memset(v->srfa, 0, SZ_4K);
    v->srfa[W(PV_SRFA_MAGIC)] = PV_SRFA_MAGIC_VALUE;
    v->srfa[W(PV_SRFA_VERSION)] = PV_SRFA_VERSION_VALUE;
    v->srfa_dirty = SRFA_D_ALL;
}

static void publish_banked(struct vcpu *v, uint32_t *p)
{
    enum vbank cur = vcpu_bank_of(vmode(v));

    for (unsigned b = 0; b < NBANKS; b++) {
        /* the current mode's are live in the registers: their value now */
        p[W(PV_SRFA_SP(b))] = b == cur ? v->regs.sp : v->bank_sp[b];
        p[W(PV_SRFA_LR(b))] = b == cur ? v->regs.lr : v->bank_lr[b];
        if (b != BANK_USR)
            p[W(PV_SRFA_SPSR_OF(b))] = v->spsr[b];
    }
}

uint32_t srfa_word(struct vcpu *v, unsigned word)
{
    enum vbank cur = vcpu_bank_of(vmode(v));
    uint32_t off = 4 * word;

    switch (off) {
    case PV_SRFA_VCPSR:   return vcpu_cpsr(v);
    case PV_SRFA_SPSR:    return cur != BANK_USR ? v->spsr[cur] : 0;
    case PV_SRFA_PENDING: return v->guest->virq_signalled ? 1 : 0;
    case PV_SRFA_MAGIC:   return PV_SRFA_MAGIC_VALUE;
    case PV_SRFA_VERSION: return PV_SRFA_VERSION_VALUE;
    }
    if (off >= PV_SRFA_SP(0) && off < PV_SRFA_SP(NBANKS)) {
        enum vbank b = (off - PV_SRFA_SP(0)) / 8;
        bool lr = (off - PV_SRFA_SP(0)) % 8;
        if (b == cur)                   /* live in the registers */
            return lr ? v->regs.lr : v->regs.sp;
        return lr ? v->bank_lr[b] : v->bank_sp[b];
    }
    if (off >= PV_SRFA_SPSR_OF(1) && off < PV_SRFA_SPSR_OF(NBANKS))
        return v->spsr[(off - PV_SRFA_SPSR_OF(1)) / 4 + 1];
    if (off >= PV_SRFA_CP15 && off < PV_SRFA_CP15_OFF(PV_SRFA_CP15_COUNT))
        return cp15_srfa_word(v, (off - PV_SRFA_CP15) / 4);
    return 0;
}

/* After a reset: every group.  Apart, so that srfa_publish(), on every
 * full return to a guest, saves few registers. */
static void __attribute__((noinline)) publish_dirty(struct vcpu *v, uint32_t *p)
{
    if (v->srfa_dirty & SRFA_D_BANKED)
        publish_banked(v, p);
    if (v->srfa_dirty & SRFA_D_CP15)
        cp15_srfa_publish(v, &p[W(PV_SRFA_CP15)]);
    v->srfa_dirty = 0;
}

void srfa_publish(struct vcpu *v)
{
    uint32_t *p = v->srfa;
    struct guest *g = v->guest;
    enum vbank b;
    uint32_t spsr;

    if (!p)
        return;
    /* Only the current mode's words can have changed without a store of
     * their own (srfa.h): the virtual CPSR, the SPSR the guest may have
     * written through vcpu_spsr().  USR and SYS (bank USR) have none. */
    b = vcpu_bank_of(vmode(v));
    spsr = b != BANK_USR ? v->spsr[b] : 0;
    p[W(PV_SRFA_VCPSR)] = vcpu_cpsr(v);
    p[W(PV_SRFA_SPSR)] = spsr;
    if (b != BANK_USR)
        p[W(PV_SRFA_SPSR_OF(b))] = spsr;
    p[W(PV_SRFA_PENDING)] = g->virq_signalled ? 1 : 0;
    if (v->srfa_dirty)
        publish_dirty(v, p);
    if (v->srfa_noprotect)
        v->srfa_noprotect = false;      /* this once: the store must run (below) */
    else if (g->mm.srfa_ro != (g->virq_signalled && (v->vcpsr & PSR_I)))
        shadow_srfa_protect(g, !g->mm.srfa_ro);
}

/* The emulated store's memory: the page itself.  A part of the access
 * beyond the page (an STRD or unaligned word at its end) is an ordinary
 * guest store, through the guest's own tables, with the fault they give
 * (B3.13): with the MMU off, 0xC0000000 is no memory, an external abort; a
 * translation fault there would be impossible. */
static uint32_t srfa_access(struct vcpu *v, void *ctx, uint32_t addr, unsigned size,
                            bool write, bool pl1, uint32_t *val)
{
    uint8_t *b = (uint8_t *)v->srfa;

    if (!write)
        return 0;
    for (unsigned k = 0; k < size; k++) {       /* little-endian guest data */
        uint32_t off = addr + k - PV_SRFA_VA, fsr;
        uint8_t byte = (uint8_t)(*val >> (8 * k));
        if (off < SZ_4K) {
            b[off] = byte;
            continue;
        }
        fsr = guest_access_as(v, addr + k, NULL, &byte, 1, pl1);
        if (fsr)
            return fsr;
    }
    return 0;
}

bool srfa_store_fault(struct vcpu *v, uint32_t dfar)
{
    uint32_t a = v->regs.pc, insn;
    struct ls_insn i;

    if (!v->srfa || (dfar & ~0xFFFu) != PV_SRFA_VA || !vmode_privileged(v) ||
        !v->guest->mm.srfa_ro)
        return false;
    v->stats[TS_SRFA_STORE]++;
    if (!(v->regs.cpsr & PSR_T) && !guest_fetch_insn(v, a, &insn) && ls_decode(insn, &i) &&
        !i.load && !i.unpriv) {
        int r = emulate_load_store(v, a, &i, srfa_access, NULL);
        if (r == EMU_UNDEF)
            vcpu_inject_undef(v, a, false);
        srfa_sync_in(v);                    /* the store may have unmasked */
        return true;
    }
    /* A store the emulator does not do (STM, Thumb...): let it run; the
     * interrupt is then taken at the next trap instead of right away. */
    shadow_srfa_protect(v->guest, false);
    v->srfa_noprotect = true;
    return true;
}
