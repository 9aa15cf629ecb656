/*
 * Guest RAM backed on demand (issue 19; run-all.sh "demand-*"; PV only).
 * Touches the MiBs of its RAM listed in TOUCH_MIB (offsets from its RAM
 * base, a C initializer list): every word of each must read zero first —
 * fresh memory, whoever held it before (the zeroing check) — then holds a
 * pattern that is read back.  With SPIN=N it first spins N loop iterations,
 * so that guests started beside it have run (the overcommit scenario: it
 * allocates after the guest that ran the pool dry was stopped).  With
 * RAM_MIB=N (its RAM size), a listed MiB N-1 is its top MiB, whose last
 * 64 KiB hold its device tree: only the part below is touched, and the
 * tree's magic must still be there afterwards.
 */
#include <stdint.h>
#ifndef PV
#define PV 1
#endif
#include "bare.h"

#ifndef RAM_BASE
#define RAM_BASE 0x40000000u
#endif
#ifndef SPIN
#define SPIN 0
#endif
#ifndef RAM_MIB
#define RAM_MIB 0
#endif
#define DTB_AREA 0x10000u       /* the top 64 KiB: the device tree (docs/memory-map.md) */

static const uint32_t touch[] = { TOUCH_MIB };

static void putc_(char c)
{
    register uint32_t r0 __asm__("r0") = (uint8_t)c;
    __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_PUTC))) : "memory");
}

static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

static void puthex(uint32_t v)
{
    puts_("0x");
    for (int k = 28; k >= 0; k -= 4)
        putc_("0123456789abcdef"[v >> k & 15]);
}

static void putdec(uint32_t v)
{
    char b[12];
    int n = 0;

    do
        b[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        putc_(b[--n]);
}

int main(void)
{
    unsigned n = sizeof touch / sizeof touch[0];

#if SPIN
    for (volatile uint32_t k = 0; k < SPIN; k++)
        ;
#endif
    for (unsigned t = 0; t < n; t++) {
        volatile uint32_t *p = (volatile uint32_t *)(RAM_BASE + (touch[t] << 20));
        uint32_t words = ((1u << 20) - (RAM_MIB && touch[t] == RAM_MIB - 1u ? DTB_AREA : 0)) / 4;
        for (uint32_t w = 0; w < words; w++)
            if (p[w]) {
                puts_("FAIL demand: word at ");
                puthex((uint32_t)(uintptr_t)&p[w]);
                puts_(" is ");
                puthex(p[w]);
                puts_(" before first use (expected 0: fresh memory is zeroed)\n");
                return 1;
            }
        for (uint32_t w = 0; w < words; w++)
            p[w] = (uint32_t)(uintptr_t)&p[w] ^ 0xA5C30000u;
        for (uint32_t w = 0; w < words; w += 997)
            if (p[w] != ((uint32_t)(uintptr_t)&p[w] ^ 0xA5C30000u)) {
                puts_("FAIL demand: pattern lost at ");
                puthex((uint32_t)(uintptr_t)&p[w]);
                putc_('\n');
                return 1;
            }
    }
    if (RAM_MIB) {
        /* its device tree, right above what it wrote: FDT magic 0xd00dfeed, big-endian */
        volatile uint32_t *dtb = (volatile uint32_t *)(RAM_BASE + (RAM_MIB << 20) - DTB_AREA);
        if (*dtb != 0xedfe0dd0u) {
            puts_("FAIL demand: no device tree magic at ");
            puthex((uint32_t)(uintptr_t)dtb);
            puts_(": ");
            puthex(*dtb);
            putc_('\n');
            return 1;
        }
        puts_("demand: device tree intact at ");
        puthex((uint32_t)(uintptr_t)dtb);
        putc_('\n');
    }
    puts_("demand: ");
    putdec(n);
    puts_(" MiB touched, each all zero before first use, pattern kept\n");
    return 0;
}
