/*
 * Shared by the standalone test guests (one C file each, no runtime):
 * guest_exit() — semihosting SYS_EXIT_EXTENDED natively, the HC_EXIT
 * hypercall with -DPV — and, unless BARE_OWN_START is defined, a _start that
 * sets up a 4 KiB stack, calls main(r0, r1, r2) and exits with its result.
 */
#ifndef BARE_H
#define BARE_H
#include <stdint.h>
#include <hv/pv-abi.h>

void guest_exit(int status) __attribute__((noreturn));

#ifdef PV
void guest_exit(int status)
{
    register uint32_t r0 __asm__("r0") = (uint32_t)status;
    __asm__ volatile(".inst %c1" : : "r"(r0), "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_EXIT))));
    for (;;)
        ;
}
#else
void guest_exit(int status)
{
    uint32_t block[2] = { 0x20026, (uint32_t)status };     /* ADP_Stopped_ApplicationExit */
    register uint32_t r0 __asm__("r0") = 0x20;              /* SYS_EXIT_EXTENDED */
    register uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        ;
}
#endif

#ifndef BARE_OWN_START
__asm__(".pushsection .text.start, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "  ldr sp, =stack_top\n"
        "  bl main\n"
        "  b guest_exit\n"
        ".ltorg\n"
        ".popsection\n"
        ".pushsection .bss\n"
        ".align 3\n"
        ".space 4096\n"
        "stack_top:\n"
        ".popsection\n");
#endif
#endif
