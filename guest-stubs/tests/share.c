/*
 * share.c - CPU share measurement, PV only (GUEST_PV_ONLY in guests.mk): the
 * neighbour of a guest that resets itself at every boot in the integration
 * test "reset-loop" (issue 15 item 3).  It spins on the guest-visible clock
 * of vclock.h for SHARE_MS of it and adds up the steps between two
 * consecutive reads that are short (it ran through them); a longer step is
 * time the CPU spent elsewhere (another guest, or the monitor on its
 * behalf).  It prints its share of the elapsed time in percent and exits 0;
 * the test asks for at least a quarter (two guests: a fair share is half).
 * The number is a measurement: only the test judges it.
 */
#include "guest.h"
#include "vclock.h"

#ifndef PV
#error "share is a PV-only guest (see guests.mk GUEST_PV_ONLY)"
#endif

#define SHARE_MS    3000
#define GAP_US      1000        /* a longer step between two reads: not running */

int main(void)
{
    uint64_t last, now, ran = 0;

    clk_start();
    last = clk_us();
    while ((now = clk_us()) < SHARE_MS * 1000ull) {
        if (now - last < GAP_US)
            ran += now - last;
        last = now;
    }
    gprintf("share: ran %u%% of %d ms of guest time\n", (unsigned)(ran * 100 / now), SHARE_MS);
    return 0;
}
