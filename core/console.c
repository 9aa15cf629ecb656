/*
 * Monitor console output.  Guest output is line-buffered per guest and each
 * line is tagged with the guest's id and name, so the lines of guests that
 * run at once never interleave mid-line.
 */
#include "hv.h"
#include "string.h"
#include "guest.h"
#include "confilter.h"
#include <hv/board.h>

void hv_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            board_uart_putc('\r');
        board_uart_putc(*s);
    }
}

void hv_vprintf(const char *fmt, va_list ap)
{
    char buf[256];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    hv_puts(buf);
}

void hv_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hv_vprintf(fmt, ap);
    va_end(ap);
}

void guest_console_flush(struct guest *g)
{
    if (!g->line_len)
        return;
    g->line[g->line_len] = 0;
    hv_printf("[g%d] %s\n", g->id, g->line);
    g->line_len = 0;
}

/* Bytes of one character stay on one line. */
static void line_append(struct guest *g, const uint8_t *b, unsigned n)
{
    if (g->line_len + n > sizeof(g->line) - 1)
        guest_console_flush(g);
    for (unsigned k = 0; k < n; k++)
        g->line[g->line_len++] = (char)b[k];
    if (g->line_len == sizeof(g->line) - 1)
        guest_console_flush(g);
}

void guest_console_putc(struct guest *g, char c)
{
    uint8_t out[5];
    unsigned n;

    if (c == '\n' || c == '\r') {
        n = confilter_end(&g->con_filter, out);     /* an unfinished character */
        if (n)
            line_append(g, out, n);
    }
    if (c == '\n') {
        if (!g->line_len) {
            hv_printf("[g%d] \n", g->id);
            return;
        }
        guest_console_flush(g);
        return;
    }
    if (c == '\r')
        return;
    /* No terminal control from guests (core/confilter.h). */
    n = confilter_byte(&g->con_filter, (uint8_t)c, out);
    if (n)
        line_append(g, out, n);
}
