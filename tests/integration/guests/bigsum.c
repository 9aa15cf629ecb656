/*
 * A guest whose image is larger than the monitor's 8 MiB (PV only; issue 19
 * item 5, the scenario "big-payload" of run-all.sh): PAYLOAD, a file the
 * test writes with a deterministic pattern, is linked into its read-only
 * data.  It checksums all of it (CRC-32, the one of zlib and IEEE 802.3:
 * reflected polynomial 0xEDB88320, initial and final value ~0) and prints
 * the size and the sum; the test compares them with the host's
 * (python3 zlib.crc32).  So every byte of the image must have reached guest RAM intact,
 * whichever way it came (embedded after the monitor, or staged by the boot
 * loader from a FIT).
 *
 *   gcc ... -DPAYLOAD='"path/to/payload.bin"' bigsum.c
 */
#include <stdint.h>
#ifndef PV
#define PV 1              /* a PV-only guest */
#endif
#include "bare.h"

__asm__(".pushsection .rodata.payload, \"a\"\n"
        ".balign 4\n"
        "payload: .incbin \"" PAYLOAD "\"\n"
        "payload_end:\n"
        ".popsection\n");
extern const uint8_t payload[], payload_end[];

static void putc_(char c)
{
    register uint32_t r0 __asm__("r0") = (uint8_t)c;
    __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_PUTC))) : "memory");
}

static void puts_(const char *s)
{
    for (; *s; s++)
        putc_(*s);
}

static void putdec(uint32_t v)
{
    char b[12];
    int n = 0;

    do
        b[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        putc_(b[--n]);
}

static void puthex(uint32_t v)
{
    for (int k = 28; k >= 0; k -= 4)
        putc_("0123456789abcdef"[(v >> k) & 15]);
}

static uint32_t crc_table[256];

int main(void)
{
    const volatile uint8_t *p = payload;
    uint32_t n = (uint32_t)(payload_end - payload), crc = ~0u;

    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (uint32_t k = 0; k < n; k++)
        crc = crc_table[(crc ^ p[k]) & 0xFF] ^ (crc >> 8);
    puts_("bigsum: ");
    putdec(n);
    puts_(" bytes, crc32 0x");
    puthex(~crc);
    puts_("\n");
    return 0;
}
