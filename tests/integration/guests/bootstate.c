/*
 * Boot state handed over by the boot loader (PV only; issue 15 item 4).
 * Run under a monitor started by bootstub.S, which leaves PL0 access to the
 * host's timers, PMU and thread ID registers open (CNTKCTL = 0x303,
 * PMUSERENR.EN = 1, TPIDRURW = TPIDRURO = 0x5ec2e7ed, CPACR all access).
 * The guest runs in User mode, so an instruction it executes reaches the
 * real register exactly when PL0 access is enabled; the monitor must have
 * closed every such door at boot.  Checked, where the host has the feature
 * (as the guest's ID_PFR1 / ID_DFR0 say):
 *   cntp-ctl, cntv-ctl  CNTP_CTL / CNTV_CTL read 0: the guest's own virtual
 *                       timers, never enabled (the host's physical timer is
 *                       the running scheduling tick: ENABLE = 1)
 *   pmuserenr           PMUSERENR (readable at PL0 on any CPU with a PMU)
 *                       reads 0: the PMU is not the guest's to use
 *   tpidrurw, tpidruro  0: nothing of the boot loader's reaches a guest
 * Output and exit through hypercalls; exit status = number of failures.
 */
#include <stdint.h>
#ifndef PV
#define PV 1              /* a PV-only guest */
#endif
#include "bare.h"

static int failures, checks;

#define HVC1(nr, a) \
    ({ register uint32_t r0 __asm__("r0") = (a); \
       __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(nr))) : "memory"); \
       r0; })
#define MRC(opc1, crn, crm, opc2) \
    ({ uint32_t v_; __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v_)); v_; })

static void putc_(char c) { HVC1(HC_PUTC, (uint8_t)c); }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}
static void putdec(uint32_t v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
    while (n)
        putc_(b[--n]);
}
static void check0(const char *name, uint32_t got)
{
    checks++;
    puts_(got == 0 ? "ok   " : "FAIL ");
    puts_(name);
    puts_(": ");
    puthex(got);
    puts_(got == 0 ? "\n" : " expected 0\n");
    if (got)
        failures++;
}

int main(void)
{
    uint32_t pfr1 = MRC(0, c0, c1, 1), dfr0 = MRC(0, c0, c1, 2), perfmon = (dfr0 >> 24) & 0xF;

    if ((pfr1 >> 16) & 0xF) {                           /* generic timer */
        check0("cntp-ctl", MRC(0, c14, c2, 1));
        check0("cntv-ctl", MRC(0, c14, c3, 1));
    }
    if (perfmon >= 1 && perfmon != 0xF)
        check0("pmuserenr", MRC(0, c9, c14, 0));
    check0("tpidrurw", MRC(0, c13, c0, 2));
    check0("tpidruro", MRC(0, c13, c0, 3));
    puts_("RESULT bootstate: ");
    putdec((uint32_t)checks);
    puts_(" checks, ");
    putdec((uint32_t)failures);
    puts_(" failed\n");
    return failures;
}
