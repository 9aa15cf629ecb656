/*
 * What tests/unit/fake_arch.c and fake_shadow.c expect from the unit-test
 * support (unit.h) besides cmocka, for the fuzz harnesses: a UBSan report
 * counter and CHECK_EQ.  The harnesses build with -fno-sanitize-recover, so
 * a UBSan report aborts before anything looks at the counter.
 */
#include <stdio.h>
#include <stdlib.h>
#include "unit.h"

int unit_ubsan_reports;

int unit_ubsan_teardown(void **state)
{
    (void)state;
    return unit_ubsan_reports ? -1 : 0;
}

void unit_check_eq(uint64_t act, uint64_t exp, const char *act_s, const char *exp_s,
                   const char *file, int line, const char *ctx_fmt, ...)
{
    if (act == exp)
        return;
    fprintf(stderr, "%s:%d: %s is 0x%llx, expected %s = 0x%llx\n", file, line, act_s,
            (unsigned long long)act, exp_s, (unsigned long long)exp);
    abort();
}
