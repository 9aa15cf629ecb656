/*
 * vfp - VFP register state survives yields (two instances with different
 * VFP_SEED run concurrently under the monitor).  Enables VFP with CPACR
 * cp10/cp11 = full access and FPEXC.EN (ARM ARM B4.1.40, B6.1.5), loads a
 * seed-specific pattern into d0-d15 and FPSCR, yields repeatedly (HC_YIELD
 * under the monitor, nothing natively) and verifies after each yield.
 * Then what Linux's lazy VFP switch does at every task switch: VMSR FPEXC
 * with EN = 0 (after a VMRS of it), a yield (the other instance takes the
 * unit), a VFP instruction that must be UNDEFINED, EN = 1 again, and the
 * registers must be intact (A8.8.347 VMRS, A8.8.349 VMSR; FPEXC.EN).
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

static uint64_t pattern[16], readback[16];

uint32_t vfp_enable(void);                          /* returns FPEXC */
void vfp_load(const uint64_t d[16], uint32_t fpscr);
uint32_t vfp_store(uint64_t d[16]);                 /* returns FPSCR */
uint32_t vfp_fpexc_read(void);
void vfp_fpexc_write(uint32_t fpexc);
void vfp_touch(void);                               /* vmov.f64 d0, d0 */

#define FPEXC_EN 0x40000000u

static volatile unsigned undefs;

static int on_undef(struct exc_frame *f)
{
    (void)f;                /* resume after it: f->pc is LR = the instruction + 4 */
    undefs++;
    return 1;
}

/* Off, UNDEFINED while off (also after another guest had the unit), on. */
static void lazy_switch_round(uint32_t fpscr)
{
    uint32_t fpexc = vfp_fpexc_read(), got;
    unsigned bad = 0;

    vfp_fpexc_write(fpexc & ~FPEXC_EN);
    check_eq("vfp-off-read", "FPEXC.EN after VMSR EN=0", vfp_fpexc_read() & FPEXC_EN, 0);
    hc_yield();
    undefs = 0;
    vfp_touch();
    check_eq("vfp-off-undef", "UNDEFs of a VFP instruction with EN=0", undefs, 1);
    vfp_fpexc_write(fpexc);
    check_eq("vfp-on-read", "FPEXC.EN after VMSR EN=1", vfp_fpexc_read() & FPEXC_EN, FPEXC_EN);
    vfp_touch();
    check_eq("vfp-on-runs", "UNDEFs of a VFP instruction with EN=1", undefs, 1);
    got = vfp_store(readback) & FPSCR_RW_MASK;
    for (int i = 0; i < 16; i++)
        bad += readback[i] != pattern[i];
    check("vfp-off-on-intact", bad == 0 && got == fpscr, "%u of d0-d15 differ, FPSCR %s",
          bad, got == fpscr ? "intact" : "differs");
}


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
    exc_hook_t old = exc_set_hook(VEC_UND, on_undef);
    for (int r = 0; r < 3; r++)
        lazy_switch_round(fpscr);
    exc_set_hook(VEC_UND, old);
    return test_result("vfp" SV_STR(VFP_SEED));
}
