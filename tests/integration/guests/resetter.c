/*
 * Reset loop (PV only; issue 15 item 3, the test "reset-loop" of
 * run-all.sh): at every boot it asks for a system reset at once (PSCI
 * SYSTEM_RESET through HC_PSCI), so nearly all the CPU time it gets is
 * spent by the monitor on its behalf: clearing its RAM, reloading its
 * image, printing its reset line.  That time must count against it, or its
 * neighbours starve.  It never ends by itself.  Built with -DSPIN it spins
 * forever instead: the test's baseline, a neighbour that uses all the CPU
 * it is given.
 */
#include <stdint.h>
#ifndef PV
#define PV 1              /* a PV-only guest */
#endif
#include "bare.h"

int main(void)
{
#ifdef SPIN
    for (;;)
        __asm__ volatile("" ::: "memory");
#else
    register uint32_t r0 __asm__("r0") = PV_PSCI_SYSTEM_RESET;
    __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_PSCI))) : "memory");
    return 1;                   /* not reached: the reset restarts it */
#endif
}
