/*
 * A guest with a big image (PV only; issue 15 item 2, the test "big-image"
 * of run-all.sh): BLOB_KIB KiB of read-only data, all in its ELF file, so
 * that the monitor image that embeds it leaves little of the monitor's
 * 8 MiB for shadow page tables.  It checks a few bytes of the blob, prints
 * one line and exits 0.
 */
#include <stdint.h>
#ifndef PV
#define PV 1              /* a PV-only guest */
#endif
#include "bare.h"

static const volatile uint8_t blob[BLOB_KIB * 1024] = { 0xB1, [BLOB_KIB * 1024 - 1] = 0xB2 };

static void puts_(const char *s)
{
    for (; *s; s++) {
        register uint32_t r0 __asm__("r0") = (uint8_t)*s;
        __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_PUTC))) : "memory");
    }
}

int main(void)
{
    int good = blob[0] == 0xB1 && blob[sizeof blob - 1] == 0xB2 && blob[sizeof blob / 2] == 0;
    puts_(good ? "big: image intact\n" : "FAIL big: image damaged\n");
    return !good;
}
