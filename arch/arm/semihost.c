/*
 * ARM semihosting (QEMU -semihosting): SYS_EXIT_EXTENDED ends QEMU with an
 * exit status.  Only called when the board says semihosting is available;
 * on hardware without a debugger the SVC would not be intercepted.
 */
#include <arch/arch.h>
#include <hv/board.h>

#define SYS_EXIT_EXTENDED           0x20
#define ADP_Stopped_ApplicationExit 0x20026

void arch_exit(int status)
{
    if (board.semihosting) {
        uint32_t block[2] = { ADP_Stopped_ApplicationExit, (uint32_t)status };
        register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
        register uint32_t *r1 __asm__("r1") = block;
        __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    }
    arch_halt();
}
