/* Freestanding string helpers (GCC may emit calls to memcpy/memset). */
#include "string.h"
#include <stdint.h>

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;

    if ((((uintptr_t)dp | (uintptr_t)sp | n) & 3) == 0) {
        uint32_t *dw = d;
        const uint32_t *sw = s;
        for (; n >= 32; n -= 32, dw += 8, sw += 8) {     /* eight words a round */
            uint32_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
            dw[0] = a; dw[1] = b; dw[2] = c; dw[3] = e;
            a = sw[4]; b = sw[5]; c = sw[6]; e = sw[7];
            dw[4] = a; dw[5] = b; dw[6] = c; dw[7] = e;
        }
        for (; n; n -= 4)
            *dw++ = *sw++;
        return d;
    }
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;

    if ((((uintptr_t)dp | n) & 3) == 0) {
        uint32_t w = (unsigned char)c * 0x01010101u, *dw = d;
        /* eight words a round: a shadow L2 table (1 KiB) is cleared on
         * every allocation, on the shadow-fill path */
        for (; n >= 32; n -= 32, dw += 8) {
            dw[0] = w; dw[1] = w; dw[2] = w; dw[3] = w;
            dw[4] = w; dw[5] = w; dw[6] = w; dw[7] = w;
        }
        for (; n; n -= 4)
            *dw++ = w;
        return d;
    }
    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}
