/*
 * vfp - VFP register state survives yields (two instances with different
 * VFP_SEED run concurrently under the monitor).  Enables VFP with CPACR
 * cp10/cp11 = full access and FPEXC.EN (ARM ARM B4.1.40, B6.1.5), loads a
 * seed-specific pattern into d0-d15 and FPSCR, yields repeatedly (HC_YIELD
 * under the monitor, nothing natively) and verifies after each yield.
 * Prints only pass/fail, never the pattern.
 */
#include "guest.h"

#ifndef VFP_SEED
#error "build with -DVFP_SEED=N"
#endif

#define ROUNDS 8
/* FPSCR bits that are plain RW on VFPv3 without short vectors/trap support:
 * N Z C V, DN, FZ, RMode, IDC, IXC UFC OFC DZC IOC */
#define FPSCR_RW_MASK 0xF3C0009F

uint32_t vfp_enable(void);                          /* returns FPEXC */
void vfp_load(const uint64_t d[16], uint32_t fpscr);
uint32_t vfp_store(uint64_t d[16]);                 /* returns FPSCR */

static uint64_t pattern[16], readback[16];

int main(void)
{
    gprintf("vfp: VFP state across yields\n");
    uint32_t x = 0x9E3779B9u * VFP_SEED + 0x7F4A7C15u;
    for (int i = 0; i < 16; i++) {
        uint32_t hi, lo;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5; hi = x;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5; lo = x;
        pattern[i] = ((uint64_t)hi << 32) | lo;
    }
    uint32_t fpscr = (x ^ (0x5A5A5A5Au * VFP_SEED)) & FPSCR_RW_MASK;

    uint32_t fpexc = vfp_enable();
    check_eq("vfp-fpexc-en", "FPEXC.EN", fpexc & 0x40000000, 0x40000000);
    vfp_load(pattern, fpscr);
    for (int r = 1; r <= ROUNDS; r++) {
        hc_yield();
        uint32_t got = vfp_store(readback) & FPSCR_RW_MASK;
        unsigned bad = 0;
        for (int i = 0; i < 16; i++)
            bad += readback[i] != pattern[i];
        check(r == 1 ? "vfp-round-1" : r == ROUNDS ? "vfp-round-last" : "vfp-round",
              bad == 0 && got == fpscr, "round %d: %u of d0-d15 differ, FPSCR %s",
              r, bad, got == fpscr ? "intact" : "differs");
    }
    return test_result("vfp" SV_STR(VFP_SEED));
}
