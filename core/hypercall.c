/*
 * Hypercalls (include/hv/pv-abi.h, docs/pv-abi.md).  Every argument is
 * validated before anything changes; errors come back as negative values in
 * r0 and are counted.
 */
#include "emulate.h"
#include "guest.h"
#include "sched.h"
#include "hv.h"
#include "fit.h"
#include "../mm/mm.h"

static int hc_abi_version(struct vcpu *v)
{
    return PV_ABI_VERSION;
}

static int hc_putc(struct vcpu *v)
{
    guest_console_putc(v->guest, (char)v->regs.r[0]);
    return 0;
}

static int hc_write(struct vcpu *v)
{
    static char buf[HC_WRITE_MAX];      /* the monitor is single-threaded */
    uint32_t va = v->regs.r[0], len = v->regs.r[1];

    if (len > HC_WRITE_MAX)
        return PV_EINVAL;
    if (va + len < va)
        return PV_EFAULT;
    /* guest_read() checks every page before copying anything, so a bad
     * pointer prints nothing. */
    if (len && guest_read(v, va, buf, len))
        return PV_EFAULT;
    for (uint32_t k = 0; k < len; k++)
        guest_console_putc(v->guest, buf[k]);
    return (int)len;
}

static int hc_yield(struct vcpu *v)
{
    sched_yield(v, VCPU_READY);
    return 0;
}

static int hc_exit(struct vcpu *v)
{
    if (v->regs.r[0] > 255)
        return PV_EINVAL;
    guest_exit(v->guest, (int)v->regs.r[0]);
    return 0;
}

static int hc_stats(struct vcpu *v)
{
    guest_print_stats(v->guest);
    return 0;
}

static int hc_guest_id(struct vcpu *v)
{
    return v->guest->id;
}

static int hc_features(struct vcpu *v)
{
    return (v->srfa ? PV_FEAT_SRFA : 0) | (FIT ? PV_FEAT_FIT : 0) |
           (v->fast_syscall ? PV_FEAT_FAST_SYSCALL : 0);
}

/*
 * A board-level power-off or restart the guest asked for (PSCI, or the
 * board's system registers: drivers/emul/sysregs.c).  Power-off ends the
 * guest like HC_EXIT 0; a restart reloads it from its image, as a board
 * reset would, and says so with its trap counts: that is how a guest crash
 * (Linux with panic=-1) is reported.
 */
void guest_power_request(struct guest *g, bool restart, const char *how)
{
    if (!restart) {
        hv_printf("monitor: guest %d (%s) powered off (%s)\n", g->id, g->name, how);
        guest_exit(g, 0);
        return;
    }
    g->resets++;
    hv_printf("monitor: guest %d (%s) asked for a system reset (%s): restarting it (reset %u)\n",
              g->id, g->name, how, (unsigned)g->resets);
    guest_print_stats(g);
    guest_reset(g);             /* on failure it stops the guest, with a message */
}

/*
 * PSCI 0.2 (ARM DEN 0022D §5) for a one-vCPU guest.  SYSTEM_OFF ends the
 * guest like HC_EXIT 0; SYSTEM_RESET restarts it from its image, as a board
 * reset would (a Linux guest does this after a panic with panic=-1), and
 * says so on the console: that is how a guest crash is reported.
 */
static int hc_psci(struct vcpu *v)
{
    struct guest *g = v->guest;

    switch (v->regs.r[0]) {
    case PV_PSCI_VERSION:
        return 0x00000002;
    case PV_PSCI_MIGRATE_INFO_TYPE:
        return 2;
    case PV_PSCI_SYSTEM_OFF:
        guest_power_request(g, false, "PSCI SYSTEM_OFF");
        return 0;
    case PV_SMCCC_VENDOR_EXIT:
        /* PSCI SYSTEM_OFF has no status: this call is the way a guest
         * kernel (or a test program using the SMCCC conduit) tells a
         * harness pass from fail. */
        if (v->regs.r[1] > 255)
            return PV_PSCI_INVALID_PARAMETERS;
        hv_printf("monitor: guest %d (%s) ended through the vendor hypervisor call with "
                  "status %u\n", g->id, g->name, (unsigned)v->regs.r[1]);
        guest_exit(g, (int)v->regs.r[1]);
        return 0;
    case PV_PSCI_SYSTEM_RESET:
        guest_power_request(g, true, "PSCI SYSTEM_RESET");
        return 0;               /* r0 = 0: the boot protocol's (docs/guest-boot.md) */
    default:
        return PV_PSCI_NOT_SUPPORTED;
    }
}

int (*const hypercall_table[HC_COUNT])(struct vcpu *) = {
    [HC_ABI_VERSION] = hc_abi_version,
    [HC_PUTC]        = hc_putc,
    [HC_WRITE]       = hc_write,
    [HC_YIELD]       = hc_yield,
    [HC_EXIT]        = hc_exit,
    [HC_STATS]       = hc_stats,
    [HC_GUEST_ID]    = hc_guest_id,
    [HC_FEATURES]    = hc_features,
    [HC_PSCI]        = hc_psci,
};

/* A guest can issue unknown hypercalls in a loop: the first few are
 * reported, then one line says the rest are not, so that no guest can flood
 * the monitor's console (docs/security.md). */
#define HC_UNKNOWN_REPORTS 8

static void report_unknown(struct vcpu *v, unsigned nr)
{
    struct guest *g = v->guest;

    if (g->hc_unknown_reported < HC_UNKNOWN_REPORTS)
        hv_printf("monitor: guest %d (%s): unknown hypercall %u at 0x%08x, returning -ENOSYS\n",
                  g->id, g->name, nr, (unsigned)(v->regs.pc - 4));
    else if (g->hc_unknown_reported == HC_UNKNOWN_REPORTS)
        hv_printf("monitor: guest %d (%s): unknown hypercall %u at 0x%08x; further unknown "
                  "hypercalls of this guest get -ENOSYS unreported\n", g->id, g->name, nr,
                  (unsigned)(v->regs.pc - 4));
    if (g->hc_unknown_reported <= HC_UNKNOWN_REPORTS)
        g->hc_unknown_reported++;
}

int hypercall_unknown(struct vcpu *v, unsigned nr)
{
    report_unknown(v, nr);
    return PV_ENOSYS;
}
