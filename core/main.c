/*
 * Monitor start-up, guest lifecycle and shutdown.
 */
#include <arch/arch.h>
#include <arch/memmap.h>
#include <hv/board.h>
#include "guest.h"
#include "sched.h"
#include "hv.h"
#include "string.h"
#include "mcon.h"
#include "../mm/mm.h"

struct guest guests[MAX_GUESTS];
unsigned nguests;

void hv_banner(void);               /* core/banner.c */

void hv_main(void);
void hv_main(void)
{
    arch_mmu_init();
    arch_thumbee_lock();
    arch_pl0_access_reset();
    board_init();
    hv_banner();
    mm_init();
    if (guests_load_all() == 0) {
        hv_printf("monitor: no guest could be started\n");
        arch_exit(126);
    }
    console_start();
    board_console_rx_start();
    board_tick_start(SCHED_HZ);
    arch_resume(sched_next());
}

static int final_status;

void guest_exit(struct guest *g, int status)
{
    guest_console_flush(g);
    g->exit_status = status;
    g->vcpu.state = VCPU_EXITED;
    hv_printf("monitor: guest %d (%s) exited with status %d\n", g->id, g->name, status);
    guest_print_stats(g);
    if (status && !final_status)
        final_status = status;
    sched_remove(&g->vcpu);
    guest_mem_release(g);               /* demand guests: chunks back to the pool */
}

void guest_stop(struct guest *g, const char *fmt, ...)
{
    struct vcpu *v = &g->vcpu;
    uint32_t insn = 0, pc = v->trap_addr;
    va_list ap;

    guest_console_flush(g);
    if (guest_read(v, pc, &insn, 4))
        insn = 0;
    hv_printf("monitor: guest %d (%s) STOPPED: ", g->id, g->name);
    va_start(ap, fmt);
    hv_vprintf(fmt, ap);
    va_end(ap);
    hv_printf("\nmonitor:   guest pc=0x%08x insn=0x%08x cpsr=0x%08x (virtual)\n",
              (unsigned)pc, (unsigned)insn, (unsigned)vcpu_cpsr(v));
    hv_dump_regs(&v->regs);
    g->exit_status = -1;
    v->state = VCPU_STOPPED;
    if (!final_status)
        final_status = 100;
    guest_print_stats(g);
    sched_remove(v);
    guest_mem_release(g);
}

void hv_finish(void) __attribute__((noreturn));
void hv_finish(void)
{
    hv_printf("monitor: all guests finished:");
    for (unsigned i = 0; i < nguests; i++)
        if (guests[i].vcpu.state == VCPU_STOPPED && !final_status)
            final_status = 100;
    for (unsigned i = 0; i < nguests; i++)
        hv_printf(" %s=%s%d", guests[i].name,
                  guests[i].vcpu.state == VCPU_STOPPED ? "stopped/" : "", guests[i].exit_status);
    hv_printf("\nmonitor: exit status %d\n", final_status);
    arch_exit(final_status);
}
