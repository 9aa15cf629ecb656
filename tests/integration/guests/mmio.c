/*
 * MMIO emulation test: every single load/store form against a PL011 UART,
 * built twice (native: the board's real PL011 under QEMU; PV: the monitor's
 * emulated PL011 at the same address).  Both must print the same lines.
 * The console itself is the UART's data register, in both builds.
 * Build: -DUART=<base> [-DPV]; start code and exit below.
 */
#include <stdint.h>
#include "bare.h"

#define R(off) ((volatile uint32_t *)(UART + (off)))
static int failures;

static void putc_(char c) { *R(0) = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}
static void check(const char *name, uint32_t got, uint32_t exp)
{
    puts_(got == exp ? "ok   " : "FAIL ");
    puts_(name);
    puts_(": ");
    puthex(got);
    if (got != exp) {
        puts_(" expected ");
        puthex(exp);
        failures++;
    }
    putc_('\n');
}

/*
 * CPSR.E = 1 (SETEND BE, A2.4.3): byte, halfword and word stores and loads
 * of a device register are big-endian; checked on the GIC distributor's
 * priority bytes of the UART's interrupt (GICD_IPRIORITYR, 8 bits each).
 * Only the one access runs with E = 1 (the stack would be big-endian too).
 */
#define BE(insn) "setend be\n\t" insn "\n\tsetend le"

static void big_endian(void)
{
    volatile uint8_t *pb = (volatile uint8_t *)(GICD + 0x400 + (UART_IRQ & ~3u));
    volatile uint32_t *pw = (volatile uint32_t *)pb;
    uint32_t saved = *pw, v;
    unsigned lane = UART_IRQ & 3;

    *pw = 0;
    __asm__ volatile(BE("strb %0, [%1]") : : "r"(0xA0u), "r"(pb + lane) : "memory");
    check("be-strb-lands-as-is", pb[lane], 0xA0);
    *pw = 0;
    __asm__ volatile(BE("strh %0, [%1]") : : "r"(0xC080u), "r"(pb) : "memory");
    check("be-strh-msb-first", *pw, 0x000080C0);
    __asm__ volatile(BE("str %0, [%1]") : : "r"(0x10203040u), "r"(pw) : "memory");
    check("be-str-msb-first", *pw, 0x40302010);
    *pw = 0xD0C0B0A0;
    __asm__ volatile(BE("ldr %0, [%1]") : "=r"(v) : "r"(pw) : "memory");
    check("be-ldr", v, 0xA0B0C0D0);
    __asm__ volatile(BE("ldrh %0, [%1]") : "=r"(v) : "r"(pb) : "memory");
    check("be-ldrh", v, 0xA0B0);
    __asm__ volatile(BE("ldrb %0, [%1]") : "=r"(v) : "r"(pb + 1) : "memory");
    check("be-ldrb", v, 0xB0);
    *pw = saved;
}

int main(void);
int main(void)
{
    uint32_t a, b, base;
    static const uint32_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    static const char *const names[8] = { "ldr-periphid0", "ldr-periphid1", "ldr-periphid2",
        "ldr-periphid3", "ldr-pcellid0", "ldr-pcellid1", "ldr-pcellid2", "ldr-pcellid3" };

    puts_("mmio: PL011 through every load/store form\n");
    for (int i = 0; i < 8; i++)
        check(names[i], *R(0xFE0 + 4 * i), ids[i]);

    base = UART + 0xFF4;                        /* PCellID1 = 0xF0 */
    __asm__ volatile("ldrb %0, [%1]" : "=r"(a) : "r"(base));
    check("ldrb", a, 0xF0);
    __asm__ volatile("ldrsb %0, [%1]" : "=r"(a) : "r"(base));
    check("ldrsb", a, 0xFFFFFFF0);
    __asm__ volatile("ldrh %0, [%1]" : "=r"(a) : "r"(base));
    check("ldrh", a, 0xF0);
    __asm__ volatile("ldrsh %0, [%1]" : "=r"(a) : "r"(base));
    check("ldrsh", a, 0xF0);

    base = UART + 0xFE0;
    {
        register uint32_t lo __asm__("r2"), hi __asm__("r3");
        __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(base));
        a = lo;
        b = hi;
        check("ldrd-lo", a, 0x11);
        check("ldrd-hi", b, 0x10);
    }
    __asm__ volatile("ldr %0, [%1, #8]!" : "=r"(a), "+r"(base));
    check("ldr-pre-wb", a, 0x14);
    check("ldr-pre-wb-base", base - UART, 0xFE8);
    __asm__ volatile("ldr %0, [%1], #-4" : "=r"(a), "+r"(base));
    check("ldr-post", a, 0x14);
    check("ldr-post-base", base - UART, 0xFE4);
    b = 3;
    __asm__ volatile("ldr %0, [%1, %2, lsl #2]" : "=r"(a) : "r"(base), "r"(b));
    check("ldr-reg-lsl", a, 0x0D);              /* 0xFE4 + 12 = PCellID0 */
    __asm__ volatile("ldr %0, [%1, -%2, lsl #2]" : "=r"(a) : "r"(base), "r"(1));
    check("ldr-reg-sub", a, 0x11);
    __asm__ volatile("ldrh %0, [%1, #12]!" : "=r"(a), "+r"(base));
    check("ldrh-pre-wb", a, 0x0D);
    check("ldrh-pre-wb-base", base - UART, 0xFF0);

    /* Writes: the control and baud-rate registers read back; DR prints. */
    *R(0x24) = 0x1234;
    check("str-ibrd", *R(0x24), 0x1234);
    base = UART + 0x24;
    a = 0x27;
    __asm__ volatile("strh %1, [%0]" : : "r"(base), "r"(a) : "memory");
    check("strh-ibrd", *R(0x24), 0x27);
    a = 0x05;
    __asm__ volatile("strb %1, [%0, #4]" : : "r"(base), "r"(a) : "memory");
    check("strb-fbrd", *R(0x28), 0x05);
    check("ldr-fr", *R(0x18) & 0xB8, 0x90);      /* TXFE, RXFE; not busy, not full */
    check("ldr-cr", *R(0x30), 0x300);
    base = UART;
    {
        register uint32_t c1 __asm__("r4") = 'S', c2 __asm__("r5") = 0;
        __asm__ volatile("strd %0, %1, [%2]" : : "r"(c1), "r"(c2), "r"(base) : "memory");
    }
    a = 'T';
    __asm__ volatile("str %1, [%0], #0" : "+r"(base) : "r"(a) : "memory");
    putc_('\n');
    big_endian();
    puts_("RESULT mmio: ");
    putc_('0' + failures / 10);
    putc_('0' + failures % 10);
    puts_(" failed\n");
    return failures;
}
