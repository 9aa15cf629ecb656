/*
 * Guest console output filter (see confilter.h).  UTF-8: RFC 3629 lead
 * bytes c2-f4; c0/c1 and f5-ff never start a character.
 */
#include "confilter.h"
#include <stdbool.h>

static unsigned continuation_bytes(uint8_t lead)
{
    if (lead >= 0xC2 && lead <= 0xDF)
        return 1;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 2;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 3;
    return 0;                   /* a stray continuation byte, c0/c1, f5-ff */
}

/* A byte an 8-bit terminal takes as a C1 control. */
static int is_c1(uint8_t b)
{
    return b >= 0x80 && b <= 0x9F;
}

unsigned confilter_end(struct confilter *f, uint8_t out[1])
{
    unsigned n = f->len ? 1 : 0;

    if (n)
        out[0] = '?';
    f->len = f->need = 0;
    return n;
}

unsigned confilter_byte(struct confilter *f, uint8_t b, uint8_t out[5])
{
    unsigned n = 0;

    if (f->need) {
        if ((b & 0xC0) == 0x80) {
            f->seq[f->len++] = b;
            if (--f->need)
                return 0;
            /* complete: printed only if no byte of it is a C1 control */
            for (unsigned k = 0; k < f->len; k++)
                if (is_c1(f->seq[k])) {
                    f->len = 0;
                    out[0] = '?';
                    return 1;
                }
            for (n = 0; n < f->len; n++)
                out[n] = f->seq[n];
            f->len = 0;
            return n;
        }
        n = confilter_end(f, out);          /* cut short: '?', then b itself */
    }
    if (b >= 0x80) {
        f->need = (uint8_t)continuation_bytes(b);
        if (!f->need) {
            out[n++] = '?';
            return n;
        }
        f->seq[0] = b;
        f->len = 1;
        return n;
    }
    out[n++] = (b < 0x20 && b != '\t') || b == 0x7F ? '?' : b;
    return n;
}
