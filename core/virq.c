/*
 * Virtual interrupt delivery and the virtual generic timer.
 *
 * Delivery (GICv2 + ARM ARM B1.8.10): the IRQ exception is taken when the
 * vGIC's CPU interface signals an interrupt and the vCPU's CPSR.I is clear.
 * The monitor checks this every time it returns to a guest, so an interrupt
 * that becomes pending, or a guest that unmasks (CPS/MSR, exception return),
 * sees it at the very next instruction boundary.  A vCPU in WFI sleeps
 * until its vGIC signals one (whatever CPSR.I says, as on hardware).
 *
 * Generic timer (ARM ARM B8): the guest sees the host's counter (CNTPCT;
 * CNTVCT equal, as CNTVOFF is 0), so its time never runs backwards and keeps
 * running while it is descheduled; its CNTP/CNTV timers are compared against
 * it whenever the monitor looks, and the earliest deadline over all guests
 * is programmed into the host's virtual timer so a sleeping guest wakes on
 * time.
 */
#include "virq.h"
#include "guest.h"
#include "exception.h"
#include "emulate.h"
#include "decode.h"
#include "hv.h"
#include <arch/arch.h>
#include <arch/gtimer.h>
#include <hv/board.h>
#include "mcon.h"
#include "virtio_dev.h"

#define A9_PERIPHCLK_HZ 100000000       /* as QEMU's vexpress-a9 */
#define SP804_CLK_HZ    1000000
#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define CTL_ISTATUS 4u

/*
 * An assigned device's interrupt (assign=...:IRQ) is the guest's virtual
 * interrupt of the same ID, backed by the physical one, as a GIC with
 * virtualization support does it for hardware-mapped interrupts:
 *   IDLE    the SPI is enabled at the host distributor;
 *   FIRED   it fired: the monitor masked it there (and EOIed it, so the
 *           host CPU interface is free again) and raised the guest's
 *           virtual line, which the guest sees as pending;
 *   ACTIVE  the guest acknowledged it (IAR);
 * when the guest deactivates it (EOIR, or GICD_ICACTIVER) the virtual line
 * drops and the SPI is unmasked: a level-triggered device that still
 * asserts it fires again at once, one that was serviced stays quiet.  The
 * line is masked while the guest handles it, so a device the guest leaves
 * asserted cannot storm the monitor; a stopped guest's stays masked.
 * Nothing but that one guest's vGIC ever sees the interrupt.
 */
enum { HWIRQ_IDLE, HWIRQ_FIRED, HWIRQ_ACTIVE };

static bool vgic_active(const struct vgic *d, unsigned id)
{
    return (d->active[id / 32] >> (id % 32)) & 1u;
}

/* After each guest access to its GIC: has it taken or finished the
 * hardware-backed interrupt? */
static void hwirq_after(struct vcpu *v, void *dev)
{
    struct guest *g = v->guest;
    unsigned id = g->assign_irq;

    (void)dev;
    if (!id)
        return;
    if (g->assign_irq_state == HWIRQ_FIRED && vgic_active(&g->gic, id))
        g->assign_irq_state = HWIRQ_ACTIVE;
    if (g->assign_irq_state == HWIRQ_ACTIVE && !vgic_active(&g->gic, id)) {
        vgic_set_line(&g->gic, id, false);
        g->assign_irq_state = HWIRQ_IDLE;
        g->virq_dirty = true;
        irqc_enable(id);
    }
}

void virq_assign_irq_start(struct guest *g)
{
    g->assign_irq_state = HWIRQ_IDLE;
    if (g->assign_irq)
        irqc_enable(g->assign_irq);
}

bool virq_assigned_irq(unsigned id)
{
    for (unsigned i = 0; i < nguests; i++) {
        struct guest *g = &guests[i];

        if (!g->assign_irq || g->assign_irq != id)
            continue;
        irqc_disable(id);
        if (g->assign_irq_state == HWIRQ_IDLE) {
            g->assign_irq_state = HWIRQ_FIRED;
            vgic_set_line(&g->gic, id, true);
            g->virq_dirty = true;
        }
        return true;
    }
    return false;
}

static const struct mmio_ops gicd_ops = { vgic_dist_read, vgic_dist_write, hwirq_after };
/* Reading the UART makes room in its FIFO for queued console input. */
static uint32_t uart_read_hook(void *dev, uint32_t off, unsigned size)
{
    struct vpl011 *u = dev;
    uint32_t v = vpl011_read(dev, off, size);

    if (off == 0)
        console_pump(u->ctx);
    return v;
}

static const struct mmio_ops uart_ops = { uart_read_hook, vpl011_write, NULL };

static void uart_tx(void *ctx, char c)
{
    guest_console_putc(ctx, c);
}
static const struct mmio_ops gicc_ops = { vgic_cpu_read, vgic_cpu_write, hwirq_after };

/* A guest reprogramming a timer moves the host deadline. */
static void sp804_write_hook(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    vsp804_write(dev, off, size, val);
    virq_program_deadline();
}

static void a9timer_write_hook(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    va9timer_write(dev, off, size, val);
    virq_program_deadline();
}

/* What a guest asked of the machine through its system registers. */
static void sysregs_after(struct vcpu *v, void *dev)
{
    struct vsysregs *s = dev;
    enum sysregs_request r = s->request;

    s->request = SYSREQ_NONE;
    if (r != SYSREQ_NONE)
        guest_power_request(v->guest, r == SYSREQ_RESTART, "board system registers");
}

static const struct mmio_ops sysregs_ops = { vsysregs_read, vsysregs_write, sysregs_after };
static const struct mmio_ops sp804_ops = { vsp804_read, sp804_write_hook, NULL };
static const struct mmio_ops a9timer_ops = { va9timer_read, a9timer_write_hook, NULL };


/* Power-on state of the guest's devices. */
void virq_reset(struct guest *g)
{
    g->virq_dirty = true;
    vgic_reset(&g->gic);
    vpl011_reset(&g->uart, uart_tx, g);
    g->vtimer[0] = g->vtimer[1] = (struct vtimer){ 0 };
    g->cntkctl = 0;
    if (board.vsp804_base)
        vsp804_reset(&g->sp804, SP804_CLK_HZ, board_time_ns);
    if (board.va9timer_base)
        va9timer_reset(&g->a9timer, A9_PERIPHCLK_HZ, board_time_ns);
    if (board.vsysregs_base)
        vsysregs_reset(&g->sysregs, (enum sysregs_kind)board.sysregs_kind, board.sys_id,
                       board.sys_procid0, board_time_ns);
    virtio_dev_reset(g);
    /* the virtual line is low again: the physical one may fire */
    if (g->assign_irq && g->assign_irq_state != HWIRQ_IDLE)
        virq_assign_irq_start(g);
}

int virq_attach(struct guest *g)
{
    virq_reset(g);
    /* The virtual machine mirrors the board: its devices where the board's
     * are; the VM file may leave the optional ones out (devices=). */
    if ((!(g->flags & GUEST_F_NO_UART) &&
         mmio_register(g, "pl011", board.uart_base & ~0xFFFu, 0x1000, &uart_ops, &g->uart)) ||
        mmio_register(g, "gic-dist", board.gic_dist_base, 0x1000, &gicd_ops, &g->gic) ||
        mmio_register(g, "gic-cpu", board.gic_cpu_base, board.gic_cpu_size, &gicc_ops, &g->gic))
        return -1;
    if (board.vsp804_base && !(g->flags & GUEST_F_NO_SP804) &&
        mmio_register(g, "sp804", board.vsp804_base, 0x1000, &sp804_ops, &g->sp804))
        return -1;
    if (board.va9timer_base && !(g->flags & GUEST_F_NO_A9TIMER) &&
        mmio_register(g, "a9-timer", board.va9timer_base, 0x20, &a9timer_ops, &g->a9timer))
        return -1;
    if (board.vsysregs_base &&
        mmio_register(g, "sysregs", board.vsysregs_base, 0x1000, &sysregs_ops, &g->sysregs))
        return -1;
    return virtio_dev_attach(g);
}

static bool has_gtimer(void)
{
    return board.generic_timer;
}

static void vtimer_update(struct guest *g)
{
    uint64_t now;

    vgic_set_line(&g->gic, board.uart_irq, vpl011_line(&g->uart));
    if (board.vsp804_base)
        vgic_set_line(&g->gic, board.vsp804_irq, vsp804_line(&g->sp804));
    if (board.va9timer_base)
        vgic_set_line(&g->gic, board.va9timer_irq, va9timer_line(&g->a9timer));
    virtio_dev_update_lines(g);
    if (!has_gtimer())
        return;
    now = gtimer_count();
    for (int t = 0; t < 2; t++) {
        struct vtimer *vt = &g->vtimer[t];
        bool fire = (vt->ctl & CTL_ENABLE) && now >= vt->cval;
        vgic_set_line(&g->gic, t ? VTIMER_VIRT_PPI : VTIMER_PHYS_PPI, fire && !(vt->ctl & CTL_IMASK));
    }
}

bool virq_wake(struct vcpu *v)
{
    struct guest *g = v->guest;

    vtimer_update(g);
    g->virq_signalled = vgic_irq_signalled(&g->gic);
    g->virq_dirty = false;
    return g->virq_signalled;
}

void virq_deliver(struct vcpu *v)
{
    struct guest *g = v->guest;

    /* The vGIC's output only changes when its devices are touched, a host
     * deadline passes or console input arrives, which set virq_dirty; the
     * unmask check itself is cheap, so it runs on every return. */
    if (g->virq_dirty) {
        vtimer_update(g);
        g->virq_signalled = vgic_irq_signalled(&g->gic);
        g->virq_dirty = false;
    }
    if (g->virq_signalled && !(v->vcpsr & PSR_I)) {
        v->stats[TS_VIRQ]++;
        vcpu_inject(v, VEXC_IRQ, v->regs.pc + 4);   /* LR_irq = next instruction + 4 */
    }
}

static void program_mmio_deadline(void)
{
    uint64_t best = ~0ull, t;

    for (unsigned i = 0; i < nguests; i++) {
        struct guest *g = &guests[i];
        if (g->vcpu.state == VCPU_EXITED || g->vcpu.state == VCPU_STOPPED)
            continue;
        if (board.vsp804_base && (t = vsp804_next_event(&g->sp804)) < best)
            best = t;
        if (board.va9timer_base && (t = va9timer_next_event(&g->a9timer)) < best)
            best = t;
    }
    board_deadline(best);
}

void virq_program_deadline(void)
{
    uint64_t best = ~0ull, now;

    if (!has_gtimer()) {
        program_mmio_deadline();
        return;
    }
    now = gtimer_count();
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

void virq_deadline_irq(void)
{
    board_deadline_ack();
    /* The host virtual timer fired: lines are updated when each guest is
     * next considered (virq_dirty: what its vGIC signals is looked at again
     * before it runs, or a guest spinning with CPSR.I clear would never see
     * the interrupt); re-arm for what is still ahead. */
    for (unsigned i = 0; i < nguests; i++) {
        vtimer_update(&guests[i]);
        guests[i].virq_dirty = true;
    }
    virq_program_deadline();
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
