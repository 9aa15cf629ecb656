/*
 * Virtual interrupt delivery, and the wiring of each guest's devices.
 *
 * Delivery (GICv2 + ARM ARM B1.8.10): the IRQ exception is taken when the
 * vGIC's CPU interface signals an interrupt and the vCPU's CPSR.I is clear.
 * The monitor checks this every time it returns to a guest, so an interrupt
 * that becomes pending, or a guest that unmasks (CPS/MSR, exception return),
 * sees it at the very next instruction boundary.  A vCPU in WFI sleeps
 * until its vGIC signals one (whatever CPSR.I says, as on hardware).
 *
 * Devices: the vGIC (owned here: it is where every line ends), the
 * registry's instances (core/vdev.h: UART, timers, system registers,
 * virtio) and the generic timer (core/vtimer.c, a CP15 device).  The lines
 * are looked at and the host deadline is programmed by iterating over them;
 * no device model is named here.
 */
#include "virq.h"
#include "guest.h"
#include "exception.h"
#include "emulate.h"
#include "decode.h"
#include "hv.h"
#include <arch/arch.h>
#include <hv/board.h>
#include "mcon.h"
#include "virtio_dev.h"
#include "vtimer.h"
#include "vdev.h"


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
static const struct mmio_ops gicc_ops = { vgic_cpu_read, vgic_cpu_write, hwirq_after };

/* What the monitor does for its device models (core/vdev.h). */
const struct vdev_services vdev_monitor = {
    .now_ns = board_time_ns,
    .console_putc = guest_console_putc,
    .console_pump = console_pump,
    .power = guest_power_request,
    .deadline_changed = virq_program_deadline,
};

/* Power-on state of the guest's devices. */
void virq_reset(struct guest *g)
{
    g->virq_dirty = true;
    vgic_reset(&g->gic);
    vtimer_reset(g);
    vdev_reset_all(g);
    /* the virtual line is low again: the physical one may fire */
    if (g->assign_irq && g->assign_irq_state != HWIRQ_IDLE)
        virq_assign_irq_start(g);
}

int virq_attach(struct guest *g)
{
    virq_reset(g);
    /* The virtual machine mirrors the board: its devices where the board's
     * are; the VM file may leave the optional ones out (devices=). */
    if (vdev_attach_board(g, &board, &vdev_monitor) ||
        mmio_register(g, "gic-dist", board.gic_dist_base, 0x1000, &gicd_ops, &g->gic) ||
        mmio_register(g, "gic-cpu", board.gic_cpu_base, board.gic_cpu_size, &gicc_ops, &g->gic))
        return -1;
    return virtio_dev_attach(g);
}

/* Every device's interrupt line into the guest's vGIC. */
static void update_lines(struct guest *g)
{
    vdev_update_lines(g);
    vtimer_update_lines(g);
}

bool virq_wake(struct vcpu *v)
{
    struct guest *g = v->guest;

    update_lines(g);
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
        update_lines(g);
        g->virq_signalled = vgic_irq_signalled(&g->gic);
        g->virq_dirty = false;
    }
    if (g->virq_signalled && !(v->vcpsr & PSR_I)) {
        v->stats[TS_VIRQ]++;
        vcpu_inject(v, VEXC_IRQ, v->regs.pc + 4);   /* LR_irq = next instruction + 4 */
    }
}

static bool guest_runs(const struct guest *g)
{
    return g->vcpu.state != VCPU_EXITED && g->vcpu.state != VCPU_STOPPED;
}

/* The host deadline: on a board with a generic timer the guests' generic
 * timers (core/vtimer.c), else the earliest next_event of any instance of
 * a guest that may still run. */
void virq_program_deadline(void)
{
    uint64_t best = ~0ull, t;

    if (vtimer_available()) {
        vtimer_program_deadline();
        return;
    }
    for (unsigned i = 0; i < nguests; i++)
        if (guest_runs(&guests[i]) && (t = vdev_next_event(&guests[i])) < best)
            best = t;
    board_deadline(best);
}

void virq_deadline_irq(void)
{
    board_deadline_ack();
    /* The host virtual timer fired: lines are updated when each guest is
     * next considered (virq_dirty: what its vGIC signals is looked at again
     * before it runs, or a guest spinning with CPSR.I clear would never see
     * the interrupt); re-arm for what is still ahead. */
    for (unsigned i = 0; i < nguests; i++) {
        update_lines(&guests[i]);
        guests[i].virq_dirty = true;
    }
    virq_program_deadline();
}
