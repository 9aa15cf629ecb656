/*
 * The board's system registers at 0x10000000 (Versatile Express V2M-P1
 * motherboard, ARM DUI 0447; RealView PB-A8, ARM DUI 0417 4.3), built twice:
 * natively against QEMU's model and under the monitor (drivers/emul/
 * sysregs.c).  Both must print the same lines: SYS_ID, SYS_PROCID0, the
 * 24 MHz counter running, SYS_FLAGS set/clear, SYS_LED, and on vexpress
 * the power-off through SYS_CFGCTRL, which ends the run with status 0
 * (natively QEMU exits; under the monitor the guest ends).
 * Build: -DUART=<base> [-DPV]; the board is told by SYS_ID's HBI field.
 */
#include <stdint.h>
#include "bare.h"

#define SYS(off) (*(volatile uint32_t *)(0x10000000u + (off)))
#define U(off) (*(volatile uint32_t *)(UART + (off)))
static int failures;

static void putc_(char c) { U(0) = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}
static void check(const char *name, int ok, uint32_t v)
{
    puts_(ok ? "ok   " : "FAIL ");
    puts_(name);
    puts_(": ");
    puthex(v);
    putc_('\n');
    failures += !ok;
}

int main(void);
int main(void)
{
    puts_("sysregs: the board's system registers\n");
    check("sys-id", 1, SYS(0x00));
    check("sys-procid0", 1, SYS(0x84));
    uint32_t c0 = SYS(0x5C), c1;
    for (volatile int i = 0; i < 200000; i++)
        ;
    c1 = SYS(0x5C);
    check("sys-24mhz-runs", c1 != c0, 0);
    SYS(0x34) = 0xFFFFFFFF;                             /* FLAGSCLR */
    SYS(0x30) = 0x00A0000F;                             /* FLAGSSET */
    SYS(0x34) = 0x00000005;
    check("sys-flags", SYS(0x30) == 0x00A0000A, SYS(0x30));
    SYS(0x34) = 0xFFFFFFFF;
    SYS(0x08) = 0x5;                                    /* LED */
    check("sys-led", (SYS(0x08) & 0xFF) == 0x5, SYS(0x08) & 0xFF);
    if (((SYS(0x00) >> 16) & 0xFFF) == 0x190) {         /* V2M-P1 (HBI-0190) */
    /* SYS_CFGDATA / SYS_CFGCTRL: start | write | function 8 (shutdown),
     * site 0 (motherboard), position 0, device 0 */
    puts_("RESULT sysregs: powering off through SYS_CFGCTRL\n");
    if (failures)
        return failures;
    SYS(0xA0) = 0;
    SYS(0xA8) = 0;
    SYS(0xA4) = (1u << 31) | (1u << 30) | (8u << 20);
    for (volatile int i = 0; i < 10000000; i++)
        ;
    puts_("FAIL sys-cfg-shutdown: still running\n");
    return 1;
    }
    puts_("RESULT sysregs: done\n");
    return failures;
}
