/*
 * UART receive test: characters typed on the console reach this guest's
 * PL011 receive interrupt through its GIC.  Built twice from one source:
 * native (the board's PL011 and GIC) and -DPV (the monitor's emulated ones;
 * the console focus starts on guest 0).  Both must print the same lines.
 * Build: -DUART=<base> -DUART_IRQ=<id> -DGICD=<base> -DGICC=<base> [-DPV].
 * It stops at 'q'.  With -DDEMO it is the interactive demo guest of
 * `make run` instead: it echoes each line typed to it and never stops.
 */
#include <stdint.h>
#define BARE_OWN_START    /* its own: vectors and an IRQ stack */
#include "bare.h"

/* PV encodings as assembler text: GAS evaluates the expression (without
 * the C-only unsigned suffixes). */
#undef PV_UNSIGNED
#define PV_UNSIGNED(x) x
#define STR(x) #x
#define XSTR(x) STR(x)
#ifdef PV
#define S(native, pv) ".inst " XSTR(pv) "\n"
#else
#define S(native, pv) native "\n"
#endif
#define CPSIE_I   S("cpsie i", PV_ENCODE(PV_COND_AL, PV_CPS(PV_CPS_IMOD_ENABLE, 0, PV_CPS_I, 0)))
#define CPSID_I   S("cpsid i", PV_ENCODE(PV_COND_AL, PV_CPS(PV_CPS_IMOD_DISABLE, 0, PV_CPS_I, 0)))
#define CPS_IRQ   S("cps #0x12", PV_ENCODE(PV_COND_AL, PV_CPS(0, 1, 0, 0x12)))
#define CPS_SVC   S("cps #0x13", PV_ENCODE(PV_COND_AL, PV_CPS(0, 1, 0, 0x13)))
#define WFI       S("wfi", PV_ENCODE(PV_COND_AL, PV_HINT(PV_HINT_WFI)))
#define MOVS_PC_LR S("movs pc, lr", PV_ENCODE(PV_COND_AL, PV_DP_PC(0xD, 0, 0, 14)))

#define R32(a) (*(volatile uint32_t *)(a))
#define DR      (UART + 0x00)
#define FR      (UART + 0x18)
#define LCR_H   (UART + 0x2C)
#define IMSC    (UART + 0x38)
#define ICR     (UART + 0x44)

static volatile int done, irqs, received;
static char got[64];

static void putc_(char c) { R32(DR) = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putdec(unsigned v) { char b[12]; int n = 0; do b[n++] = '0' + v % 10; while (v /= 10); while (n) putc_(b[--n]); }

void irq_handler(void);
void irq_handler(void)
{
    uint32_t iar = R32(GICC + 0x0C), id = iar & 0x3FF;

    if (id == 1023)
        return;
    irqs++;
    if (id == UART_IRQ) {
        while (!(R32(FR) & (1u << 4))) {
            char c = (char)(R32(DR) & 0xFF);
            if (received < (int)sizeof(got) - 1)
                got[received] = c;
            received++;
#ifdef DEMO
            if (c == '\r' || c == '\n') {
                got[received - 1 < (int)sizeof(got) ? received - 1 : (int)sizeof(got) - 1] = 0;
                puts_("you typed: \"");
                puts_(got);
                puts_("\" (received in my UART interrupt handler)\n");
                received = 0;
            }
#else
            puts_("rx in irq: '");
            putc_(c >= 0x20 && c < 0x7F ? c : '?');
            puts_("'\n");
            if (c == 'q')
                done = 1;
#endif
        }
        R32(ICR) = (1u << 4) | (1u << 6);
    } else {
        puts_("FAIL unexpected interrupt ");
        putdec(id);
        putc_('\n');
    }
    R32(GICC + 0x10) = iar;
}

int main(void);
int main(void)
{
    R32(GICD + 0x100 + (UART_IRQ / 32) * 4) = 1u << (UART_IRQ % 32);   /* ISENABLER */
    *(volatile uint8_t *)(GICD + 0x400 + UART_IRQ) = 0xA0;              /* priority */
    *(volatile uint8_t *)(GICD + 0x800 + UART_IRQ) = 0x01;              /* CPU 0 */
    R32(GICD + 0x000) = 1;
    R32(GICC + 0x004) = 0xF0;                                           /* PMR */
    R32(GICC + 0x000) = 1;
    R32(LCR_H) = R32(LCR_H) | (1u << 4);                                /* FIFOs on */
    R32(IMSC) = (1u << 4) | (1u << 6);                                  /* RX, RX timeout */
    /* Ready only now: the harness types its input when it sees this line,
     * and a byte that arrived before the FIFOs were on would have
     * overwritten the one-character holding register (overrun).  Bytes
     * arriving from here wait in the FIFO; their interrupt is taken at
     * CPSIE, after the line is out. */
#ifdef DEMO
    puts_("echo: type a line and press Enter; Ctrl-A three times switches the console\n");
#else
    puts_("uartrx: waiting for input, 'q' ends\n");
#endif
    __asm__ volatile(CPSIE_I ::: "memory");
    while (!done)
        __asm__ volatile(WFI ::: "memory");
    __asm__ volatile(CPSID_I ::: "memory");
    got[received < (int)sizeof(got) ? received : (int)sizeof(got) - 1] = 0;
    puts_("uartrx: received ");
    putdec(received);
    puts_(" bytes in interrupts: \"");
    puts_(got);
    puts_("\"\nRESULT uartrx: ");
    puts_(irqs > 0 && received > 0 ? "ok\n" : "FAIL\n");
    return !(irqs > 0 && received > 0);
}

__asm__(".pushsection .text.start, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        CPS_IRQ
        "  ldr sp, =irq_stack_top\n"
        CPS_SVC
        "  ldr sp, =stack_top\n"
        "  ldr r0, =vectors\n"
        "  mcr p15, 0, r0, c12, c0, 0\n"        /* VBAR */
        "  bl main\n"
        "  b guest_exit\n"
        "  .align 5\n"
        "vectors:\n"
        "  b .\n  b .\n  b .\n  b .\n  b .\n  b .\n"
        "  b irq_entry\n"
        "  b .\n"
        "irq_entry:\n"
        "  sub lr, lr, #4\n"
        "  push {r0-r3, r12, lr}\n"
        "  bl irq_handler\n"
        "  pop {r0-r3, r12, lr}\n"
        MOVS_PC_LR
        ".ltorg\n"
        ".popsection\n"
        ".pushsection .bss\n"
        ".align 3\n"
        ".space 2048\n"
        "irq_stack_top:\n"
        ".space 4096\n"
        "stack_top:\n"
        ".popsection\n");
