/* Per-guest trap statistics by class. */
#include "guest.h"
#include "hv.h"
#include "fit.h"

const char *const trap_class_name[TS_NCLASSES] = {
    [TS_HYPERCALL] = "hypercall", [TS_SYSCALL] = "guest-syscall", [TS_GUEST_SVC] = "guest-svc",
    [TS_PV_CPS] = "pv-cps", [TS_PV_MRS] = "pv-mrs", [TS_PV_MSR] = "pv-msr",
    [TS_PV_EXCRET] = "pv-exception-return", [TS_PV_LDMSTM_USER] = "pv-ldm/stm-user",
    [TS_PV_SRS_RFE] = "pv-srs/rfe", [TS_PV_HINT] = "pv-wfi/wfe/yield/sev",
    [TS_PV_RET_USER] = "pv-return-to-user",
    [TS_CP15_READ] = "cp15-read", [TS_CP15_WRITE] = "cp15-write",
    [TS_CP15_CACHE] = "cp15-cache-maint", [TS_CP15_TLB] = "cp15-tlb-maint",
    [TS_VFP_SWITCH] = "vfp-lazy-switch", [TS_VFP_SYSREG] = "vfp-sysreg",
    [TS_UNDEF_INJECTED] = "undef-injected", [TS_PABT] = "prefetch-abort",
    [TS_DABT] = "data-abort", [TS_IRQ] = "host-irq", [TS_RESCHED] = "descheduled",
    [TS_SHADOW_FILL] = "shadow-fill", [TS_SHADOW_EVICT] = "shadow-evict",
    [TS_SHADOW_FLUSH] = "shadow-invalidate", [TS_SHADOW_VIEW] = "shadow-view-switch",
    [TS_SHADOW_PT_WRITE] = "guest-table-write", [TS_MMIO] = "mmio", [TS_VIRQ] = "virq-delivered",
    [TS_CONSOLE_DROP] = "console-input-dropped", [TS_SRFA_STORE] = "srfa-store-trapped",
    [TS_FIT] = "fast-trap (FIT)", [TS_FIT_PATCH] = "fit-self-patch",
    [TS_SHADOW_RELEASE] = "table-page-released", [TS_SHADOW_INHERIT] = "space-inherited",
    [TS_SHADOW_ASID] = "asid-recycled",
};

void guest_print_stats(struct guest *g)
{
    uint64_t total = 0;

    fit_fold_stats(&g->vcpu);
    guest_console_flush(g);
    hv_printf("monitor: guest %d (%s) trap statistics:\n", g->id, g->name);
    for (int c = 0; c < TS_NCLASSES; c++) {
        if (!g->vcpu.stats[c])
            continue;
        hv_printf("monitor:   %-22s %10llu\n", trap_class_name[c],
                  (unsigned long long)g->vcpu.stats[c]);
        if (c != TS_RESCHED)
            total += g->vcpu.stats[c];
    }
    hv_printf("monitor:   %-22s %10llu\n", "total", (unsigned long long)total);
}
