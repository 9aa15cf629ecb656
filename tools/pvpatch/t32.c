/*
 * Thumb (T32) scan.  pvpatch does not rewrite Thumb code: the PV ABI is
 * ARM-state only (an SVC from Thumb is always the guest's own, and trapped
 * Thumb instructions are not emulated; docs/pv-abi.md).  Thumb code that
 * only computes (libgcc's division helpers, newlib's string functions) runs
 * the same in User mode, so with --thumb=scan pvpatch accepts it after
 * checking that no instruction below is in it.  ARM ARM A6.2 (16-bit) and
 * A6.3 (32-bit encodings).
 */
#include "a32.h"

static uint16_t hw_at(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* A6.2.5 miscellaneous 16-bit instructions: CPS, and the hints of A6.2.5
 * "If-Then and hints" (YIELD, WFE, WFI, SEV; NOP and IT are harmless). */
static const char *t16_why(uint16_t hw)
{
    if ((hw & 0xFFE8) == 0xB660)
        return "Thumb CPS";
    if ((hw & 0xFF0F) == 0xBF00 && ((hw >> 4) & 0xF) >= 1 && ((hw >> 4) & 0xF) <= 4)
        return "Thumb WFI/WFE/YIELD/SEV hint";
    return 0;
}

/* A6.3.4 branches and miscellaneous control, with hw1[9:7] = 111 (else it
 * is the conditional branch B T3). */
static const char *t32_misc_why(uint16_t hw1, uint16_t hw2)
{
    unsigned op = (hw1 >> 4) & 0x7F, op1 = (hw2 >> 12) & 0x7;

    if ((op1 & 5) != 0 || ((hw1 >> 7) & 7) != 7)
        return 0;                                       /* B, BL, BLX, B T3 */
    if ((op & 0x7E) == 0x38)
        return "Thumb MSR";
    if (op == 0x3A)
        return (hw2 & 0x0700) ? "Thumb CPS"
             : ((hw2 & 0xFF) >= 1 && (hw2 & 0xFF) <= 4) ? "Thumb WFI/WFE/YIELD/SEV hint" : 0;
    if (op == 0x3D)
        return "Thumb SUBS PC, LR / ERET";
    if ((op & 0x7E) == 0x3E)
        return "Thumb MRS";
    if (op == 0x7E && op1 == 0)
        return "Thumb HVC";
    if (op == 0x7F && op1 == 0)
        return "Thumb SMC";
    return 0;
}

static const char *t32_why(uint16_t hw1, uint16_t hw2)
{
    if ((hw1 & 0xF800) == 0xF000 && (hw2 & 0x8000))
        return t32_misc_why(hw1, hw2);
    if ((hw1 & 0xFFC0) == 0xE800 || (hw1 & 0xFFC0) == 0xE980)     /* A6.3.5 */
        return (hw1 & 0x0010) ? "Thumb RFE" : "Thumb SRS";
    if ((hw1 & 0xEC00) == 0xEC00)                                   /* A6.3.18 */
        return "Thumb coprocessor, VFP or Advanced SIMD instruction (not emulated from Thumb)";
    if ((hw1 & 0xFF10) == 0xF900)                                   /* A7.7 */
        return "Thumb Advanced SIMD load/store (not emulated from Thumb)";
    return 0;
}

unsigned t32_scan(const uint8_t *p, uint32_t n, const char **why)
{
    uint16_t hw1;

    *why = 0;
    if (n < 2)
        return 0;
    hw1 = hw_at(p);
    if ((hw1 >> 11) < 0x1D) {
        *why = t16_why(hw1);
        return 2;
    }
    if (n < 4)
        return 0;
    *why = t32_why(hw1, hw_at(p + 2));
    return 4;
}
