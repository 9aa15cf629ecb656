/*
 * hog.c - starvation test, PV only (GUEST_PV_ONLY in guests.mk): the
 * neighbour of three sleepers (tests/sleeper.c) in the integration test
 * "starvation".  It masks interrupts (CPSR.I, through the sensitive macros)
 * and spins, never yielding, reading the guest-visible clock (vclock.h:
 * CNTVCT on qemu-virt, which does not trap; SP804 timer 2 on
 * qemu-vexpress-a9, an MMIO read that traps) until HOG_MS of it have
 * passed, then prints one line and exits 0.  Only the monitor's host timer
 * can take the CPU away from it.
 */
#include "guest.h"
#include "vclock.h"

#ifndef PV
#error "hog is a PV-only guest (see guests.mk GUEST_PV_ONLY)"
#endif

#define HOG_MS  2000

int main(void)
{
    CPSID(aif);
    clk_start();
    while (clk_us() < HOG_MS * 1000ull)
        ;
    uint32_t cpsr = read_cpsr();
    if (!(cpsr & PSR_I)) {
        gprintf("FAIL hog: CPSR.I found clear after spinning\n");
        return 1;
    }
    gprintf("hog: spun %d ms of guest time with interrupts masked, never yielding\n", HOG_MS);
    return 0;
}
