/* Monitor panics: cause, PC and registers, then stop (exit under QEMU). */
#include "hv.h"
#include <arch/arch.h>

void hv_dump_regs(const struct arm_regs *f)
{
    for (int i = 0; i < 13; i += 4) {
        for (int j = i; j < i + 4 && j < 13; j++)
            hv_printf("r%-2d=0x%08x ", j, (unsigned)f->r[j]);
        hv_printf("\n");
    }
    hv_printf("sp_usr=0x%08x lr_usr=0x%08x pc=0x%08x spsr=0x%08x\n",
              (unsigned)f->sp, (unsigned)f->lr, (unsigned)f->pc, (unsigned)f->cpsr);
}

void hv_panic(const char *fmt, ...)
{
    va_list ap;

    hv_printf("\nmonitor: PANIC: ");
    va_start(ap, fmt);
    hv_vprintf(fmt, ap);
    va_end(ap);
    hv_printf("\n");
    arch_exit(125);
}
