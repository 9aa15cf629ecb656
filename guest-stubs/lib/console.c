/* console.c - output and the check helpers of the test guests. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "guest.h"

unsigned g_checks, g_failed;

void gputc(char c)
{
    hc_putc((unsigned char)c);
}

void gputs(const char *s)
{
    hc_write(s, strlen(s));
}

static char g_buf[512];

static int gvprintf(const char *fmt, va_list ap)
{
    int n = vsnprintf(g_buf, sizeof g_buf, fmt, ap);
    gputs(g_buf);
    return n;
}

int gprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = gvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int check(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;
    g_checks++;
    if (!ok)
        g_failed++;
    gprintf("%s %s: ", ok ? "ok  " : "FAIL", name);
    va_start(ap, fmt);
    gvprintf(fmt, ap);
    va_end(ap);
    gputc('\n');
    return ok;
}

int check_eq(const char *name, const char *what, uint32_t got, uint32_t expected)
{
    if (got == expected)
        return check(name, 1, "%s=0x%08lx", what, (unsigned long)got);
    return check(name, 0, "%s=0x%08lx expected 0x%08lx", what,
                 (unsigned long)got, (unsigned long)expected);
}

int test_result(const char *guest)
{
    gprintf("RESULT %s: %u checks, %u failed\n", guest, g_checks, g_failed);
    return g_failed > 255 ? 255 : (int)g_failed;
}
