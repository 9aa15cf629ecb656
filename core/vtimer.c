/*
 * The virtual generic timer (ARM ARM B8): a CP15 device, not an MMIO one,
 * so not a registry instance (core/vdev.h); its state lives in struct guest
 * (vtimer[], cntkctl) and its accesses come from the CP15 emulation.
 *
 * The guest sees the host's counter (CNTPCT; CNTVCT equal, as CNTVOFF is
 * 0), so its time never runs backwards and keeps running while it is
 * descheduled; its CNTP/CNTV timers are compared against it whenever the
 * monitor looks, and the earliest deadline over all guests is programmed
 * into the host's virtual timer so a sleeping guest wakes on time.
 */
#include "vtimer.h"
#include "virq.h"
#include "guest.h"
#include "emulate.h"
#include "decode.h"
#include "hv.h"
#include <arch/arch.h>
#include <arch/gtimer.h>
#include <hv/board.h>

#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define CTL_ISTATUS 4u

static bool has_gtimer(void)
{
    return board.generic_timer;
}

bool vtimer_available(void)
{
    return has_gtimer();
}

void vtimer_reset(struct guest *g)
{
    g->vtimer[0] = g->vtimer[1] = (struct vtimer){ 0 };
    g->cntkctl = 0;
}

void vtimer_update_lines(struct guest *g)
{
    uint64_t now;

    if (!has_gtimer())
        return;
    now = gtimer_count();
    for (int t = 0; t < 2; t++) {
        struct vtimer *vt = &g->vtimer[t];
        bool fire = (vt->ctl & CTL_ENABLE) && now >= vt->cval;
        vgic_set_line(&g->gic, t ? VTIMER_VIRT_PPI : VTIMER_PHYS_PPI, fire && !(vt->ctl & CTL_IMASK));
    }
}

void vtimer_program_deadline(void)
{
    uint64_t best = ~0ull, now = gtimer_count();

    for (unsigned i = 0; i < nguests; i++) {
        struct guest *g = &guests[i];
        if (g->vcpu.state == VCPU_EXITED || g->vcpu.state == VCPU_STOPPED)
            continue;
        for (int t = 0; t < 2; t++)
            if ((g->vtimer[t].ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE &&
                g->vtimer[t].cval > now && g->vtimer[t].cval < best)
                best = g->vtimer[t].cval;
    }
    gtimer_deadline(best != ~0ull, best);
}

/* ---- generic timer CP15 registers (B8.2, B4.1.21 ff.) ------------------ */

#define CNTKCTL_PL0PCTEN 1u
#define CNTKCTL_PL0VCTEN 2u
#define CNTKCTL_PL0VTEN  (1u << 8)
#define CNTKCTL_PL0PTEN  (1u << 9)

void vtimer_privilege_changed(struct vcpu *v)
{
    /* Counter reads run natively in User mode when the guest allows them at
     * its PL0 (and always at its PL1): no trap. */
    if (has_gtimer())
        gtimer_set_pl0_access(vmode_privileged(v) ? 3u : (v->guest->cntkctl & 3u));
}

static bool pl0_allowed(const struct vcpu *v, uint32_t bit)
{
    return vmode_privileged(v) || (v->guest->cntkctl & bit);
}

int vtimer_cp15(struct vcpu *v, const struct cp_insn *i, uint32_t a)
{
    struct guest *g = v->guest;
    uint64_t now;

    if (!has_gtimer() || i->coproc != 15)
        return EMU_UNDEF;
    now = gtimer_count();
    g->virq_dirty = true;
    v->stats[i->read ? TS_CP15_READ : TS_CP15_WRITE]++;
    if (i->two_regs) {
        uint64_t *cv = NULL, val;
        switch (i->opc1) {
        case 0: if (!pl0_allowed(v, CNTKCTL_PL0PCTEN) || !i->read) return EMU_UNDEF;
                val = now; break;                               /* CNTPCT */
        case 1: if (!pl0_allowed(v, CNTKCTL_PL0VCTEN) || !i->read) return EMU_UNDEF;
                val = now; break;                               /* CNTVCT */
        case 2: if (!pl0_allowed(v, CNTKCTL_PL0PTEN)) return EMU_UNDEF;
                cv = &g->vtimer[0].cval; val = *cv; break;      /* CNTP_CVAL */
        case 3: if (!pl0_allowed(v, CNTKCTL_PL0VTEN)) return EMU_UNDEF;
                cv = &g->vtimer[1].cval; val = *cv; break;      /* CNTV_CVAL */
        default: return EMU_UNDEF;                              /* CNTVOFF: Hyp */
        }
        if (i->read) {
            vcpu_set_reg(v, i->rt, (uint32_t)val);
            vcpu_set_reg(v, i->rt2, (uint32_t)(val >> 32));
        } else {
            *cv = ((uint64_t)vcpu_reg(v, i->rt2, a) << 32) | vcpu_reg(v, i->rt, a);
            virq_program_deadline();
        }
        return EMU_DONE;
    }
    if (i->opc1 != 0 || i->crn != 14)
        return EMU_UNDEF;
    if (i->crm == 0 && i->opc2 == 0) {                          /* CNTFRQ */
        if (!i->read || (!vmode_privileged(v) && !(g->cntkctl & 3)))
            return EMU_UNDEF;
        vcpu_set_reg(v, i->rt, gtimer_freq());
        return EMU_DONE;
    }
    if (i->crm == 1 && i->opc2 == 0) {                          /* CNTKCTL */
        if (!vmode_privileged(v))
            return EMU_UNDEF;
        if (i->read)
            vcpu_set_reg(v, i->rt, g->cntkctl);
        else
            g->cntkctl = vcpu_reg(v, i->rt, a) & 0x3FF;
        return EMU_DONE;
    }
    if ((i->crm == 2 || i->crm == 3) && i->opc2 <= 1) {
        int t = i->crm == 3;
        struct vtimer *vt = &g->vtimer[t];
        if (!pl0_allowed(v, t ? CNTKCTL_PL0VTEN : CNTKCTL_PL0PTEN))
            return EMU_UNDEF;
        if (i->opc2 == 0) {                                     /* TVAL */
            if (i->read)
                vcpu_set_reg(v, i->rt, (uint32_t)(vt->cval - now));
            else
                vt->cval = now + (int64_t)(int32_t)vcpu_reg(v, i->rt, a);
        } else {                                                /* CTL */
            if (i->read)
                vcpu_set_reg(v, i->rt, vt->ctl | (((vt->ctl & CTL_ENABLE) && now >= vt->cval) ? CTL_ISTATUS : 0));
            else
                vt->ctl = vcpu_reg(v, i->rt, a) & (CTL_ENABLE | CTL_IMASK);
        }
        if (!i->read)
            virq_program_deadline();
        return EMU_DONE;
    }
    return EMU_UNDEF;
}

bool board_has_generic_timer_for_guests(void)
{
    return board.generic_timer;
}
