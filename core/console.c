/*
 * Monitor console output.  Guest output is line-buffered per guest and each
 * line is tagged with the guest's id and name, so the lines of guests that
 * run at once never interleave mid-line.
 */
#include "hv.h"
#include "string.h"
#include "guest.h"
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

void guest_console_putc(struct guest *g, char c)
{
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
    if ((unsigned char)c < 0x20 && c != '\t')
        c = '?';                            /* no terminal control from guests */
    g->line[g->line_len++] = c;
    if (g->line_len == sizeof(g->line) - 1)
        guest_console_flush(g);
}
