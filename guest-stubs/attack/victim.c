/*
 * victim.c - isolation test, PV only (GUEST_PV_ONLY in guests.mk): the
 * neighbour of tests/attacker.c.  It fills 384 KiB of its RAM with canary
 * values (each word a function of its address), prints "victim ready",
 * then yields (HC_YIELD) N_YIELDS times, re-checking every canary after
 * each yield, and reports "victim canaries intact" (exit 0) or FAIL with
 * the first bad address (exit 1).  MMU off: VA = IPA.
 */
#include "guest.h"

#ifndef PV
#error "victim is a PV-only guest (see guests.mk GUEST_PV_ONLY)"
#endif

#define RB          ((uint32_t)RAM_BASE)
#define CANARY_OFF  0x600000u
#define CANARY_LEN  0x60000u                /* 384 KiB */
#define N_YIELDS    800

static inline uint32_t canary(uint32_t a)
{
    return (a * 0x9E3779B1u) ^ 0xC0FFEE11u;
}

/* returns the first bad address, or 0 */
static uint32_t scan(uint32_t *got)
{
    for (uint32_t a = RB + CANARY_OFF; a < RB + CANARY_OFF + CANARY_LEN; a += 4) {
        uint32_t v = *(volatile uint32_t *)a;
        if (v != canary(a)) {
            *got = v;
            return a;
        }
    }
    return 0;
}

int main(void)
{
    uint32_t bad = 0, got = 0;
    unsigned i;

    for (uint32_t a = RB + CANARY_OFF; a < RB + CANARY_OFF + CANARY_LEN; a += 4)
        *(volatile uint32_t *)a = canary(a);
    gprintf("victim: %u KiB of canaries at IPA 0x%08lx-0x%08lx\n", CANARY_LEN >> 10,
            (unsigned long)(RB + CANARY_OFF), (unsigned long)(RB + CANARY_OFF + CANARY_LEN - 1));
    gprintf("victim ready\n");
    for (i = 0; i < N_YIELDS && !bad; i++) {
        hc_yield();
        bad = scan(&got);
    }
    if (bad)
        check("canaries", 0, "victim canary at IPA 0x%08lx changed after %u yields: "
              "0x%08lx expected 0x%08lx", (unsigned long)bad, i, (unsigned long)got,
              (unsigned long)canary(bad));
    else
        check("canaries", 1, "victim canaries intact (%u words re-checked after each of %u yields)",
              CANARY_LEN / 4, N_YIELDS);
    return test_result("victim");
}
