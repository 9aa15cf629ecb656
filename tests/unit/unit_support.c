/*
 * Test support shared by every unit test binary (unit.h): the CHECK_EQ
 * reporter and the UndefinedBehaviorSanitizer report counter.  Kept apart
 * from the fakes so binaries with their own fake platform (test_shadow) can
 * link it.
 */
#include <stdio.h>
#include <stdarg.h>
#include "unit.h"

int unit_ubsan_reports;

/* Weak in libubsan: called once per UndefinedBehaviorSanitizer report. */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
    unit_ubsan_reports++;
}

int unit_ubsan_teardown(void **state)
{
    if (unit_ubsan_reports) {
        print_error("FAIL: %d UndefinedBehaviorSanitizer report(s) during this test "
                    "(see the 'runtime error' line above)\n", unit_ubsan_reports);
        unit_ubsan_reports = 0;
        return -1;
    }
    return 0;
}

void unit_check_eq(uint64_t act, uint64_t exp, const char *act_s, const char *exp_s,
                   const char *file, int line, const char *ctx_fmt, ...)
{
    char ctx[256] = "";
    va_list ap;

    if (act == exp)
        return;
    if (ctx_fmt) {
        va_start(ap, ctx_fmt);
        vsnprintf(ctx, sizeof(ctx), ctx_fmt, ap);
        va_end(ap);
    }
    print_error("%s:%d: %s is 0x%llx (%lld), expected %s = 0x%llx (%lld)%s%s\n",
                file, line, act_s, (unsigned long long)act, (long long)act,
                exp_s, (unsigned long long)exp, (long long)exp,
                ctx[0] ? " -- " : "", ctx);
    _fail(file, line);
}
