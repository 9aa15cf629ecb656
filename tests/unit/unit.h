/* Common helpers for the host unit tests. */
#ifndef UNIT_UNIT_H
#define UNIT_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake.h"
#include "../../mm/mm.h"

/* Number of UndefinedBehaviorSanitizer reports so far (fake_arch.c). */
extern int unit_ubsan_reports;

/* Equality check that names the expression and both values (hex and dec),
 * plus an optional printf-style context. */
void unit_check_eq(uint64_t act, uint64_t exp, const char *act_s, const char *exp_s,
                   const char *file, int line, const char *ctx_fmt, ...)
    __attribute__((format(printf, 7, 8)));
#define CHECK_EQ(act, exp) \
    unit_check_eq((uint64_t)(act), (uint64_t)(exp), #act, #exp, __FILE__, __LINE__, NULL)
#define CHECK_EQ_CTX(act, exp, ...) \
    unit_check_eq((uint64_t)(act), (uint64_t)(exp), #act, #exp, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_TRUE(x)   CHECK_EQ(!!(x), 1)
#define CHECK_FALSE(x)  CHECK_EQ(!!(x), 0)

/* Per-test teardown: fails the test if UBSan reported anything during it. */
int unit_ubsan_teardown(void **state);

/* The vCPU under test, inside a guest (hypercalls use v->guest). */
extern struct guest unit_guest;
#define UNIT_GUEST_ID    3
#define UNIT_ENTRY       (FAKE_RAM_BASE + 0x8000)
#define UNIT_BOOT_SCTLR  0x70C5387Fu   /* what vcpu_reset() masks down */
/* Per-test fixture: fake_reset(), zeroed guest, hv_boot_info.boot_sctlr =
 * UNIT_BOOT_SCTLR, vcpu_reset(v, UNIT_ENTRY).  *state = the vcpu. */
int unit_vcpu_setup(void **state);
/* Drops the VFP owner and checks for UBSan reports. */
int unit_vcpu_teardown(void **state);
#define TV(f) cmocka_unit_test_setup_teardown(f, unit_vcpu_setup, unit_vcpu_teardown)

/* Deterministic PRNG (xorshift32) for property tests. */
static inline uint32_t unit_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* An SVC instruction word, built without the signed shift of PV_ENCODE. */
static inline uint32_t svc_word(uint32_t cond, uint32_t imm24)
{
    return (cond << 28) | 0x0F000000u | (imm24 & 0xFFFFFFu);
}

/* Run a cmocka group with stdout unbuffered so diagnostics interleave. */
#define UNIT_RUN(name, tests) \
    (setvbuf(stdout, NULL, _IONBF, 0), cmocka_run_group_tests_name(name, tests, NULL, NULL))

#endif
