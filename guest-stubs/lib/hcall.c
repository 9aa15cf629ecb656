/*
 * hcall.c - the monitor's hypercalls (PV build) and their bare-metal
 * equivalents (native build: PL011 polling, semihosting exit).
 */
#include "guest.h"

#ifdef PV

long hc_abi_version(void) { return PV_HYPERCALL(HC_ABI_VERSION, 0, 0, 0, 0); }
long hc_putc(int c)       { return PV_HYPERCALL(HC_PUTC, c, 0, 0, 0); }
long hc_yield(void)       { return PV_HYPERCALL(HC_YIELD, 0, 0, 0, 0); }
long hc_stats(void)       { return PV_HYPERCALL(HC_STATS, 0, 0, 0, 0); }
long hc_guest_id(void)    { return PV_HYPERCALL(HC_GUEST_ID, 0, 0, 0, 0); }
long hc_features(void)    { return PV_HYPERCALL(HC_FEATURES, 0, 0, 0, 0); }

long hc_write(const void *buf, unsigned len)
{
    const char *p = buf;
    long done = 0;
    while (len) {
        unsigned n = len > HC_WRITE_MAX ? HC_WRITE_MAX : len;
        long r = PV_HYPERCALL(HC_WRITE, p, n, 0, 0);
        if (r < 0)
            return r;
        p += n;
        len -= n;
        done += n;
    }
    return done;
}

void hc_exit(int status)
{
    for (;;)
        PV_HYPERCALL(HC_EXIT, status & 0xFF, 0, 0, 0);
}

#else /* native */

#define UART_DR     (*(volatile uint32_t *)(UART_BASE + 0x00))
#define UART_FR     (*(volatile uint32_t *)(UART_BASE + 0x18))
#define UART_FR_TXFF (1u << 5)

long hc_abi_version(void) { return PV_ABI_VERSION; }
long hc_yield(void)       { return 0; }
long hc_stats(void)       { return 0; }
long hc_guest_id(void)    { return 0; }
long hc_features(void)    { return 0; }

long hc_putc(int c)
{
    while (UART_FR & UART_FR_TXFF)
        ;
    UART_DR = (uint32_t)(c & 0xFF);
    return 0;
}

long hc_write(const void *buf, unsigned len)
{
    const unsigned char *p = buf;
    for (unsigned i = 0; i < len; i++)
        hc_putc(p[i]);
    return len;
}

/* semihosting SYS_EXIT_EXTENDED; must run in a privileged mode */
void hc_exit(int status)
{
    static volatile uint32_t block[2];
    block[0] = 0x20026;             /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)(status & 0xFF);
    for (;;) {
        register uint32_t r0 __asm__("r0") = 0x20;
        register volatile uint32_t *r1 __asm__("r1") = block;
        __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    }
}

#endif

void gexit(int status)
{
    if (status < 0 || status > 255)
        status = 255;
    hc_exit(status);
}
