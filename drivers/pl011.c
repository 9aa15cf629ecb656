/*
 * PL011 host console: polled transmit, polled receive.
 * Register offsets from the PL011 TRM (DDI 0183).
 */
#include "pl011.h"

#define UARTDR      0x000
#define UARTFR      0x018
#define UARTIMSC    0x038
#define UARTICR     0x044
#define UARTCR      0x030
#define FR_TXFF     (1 << 5)
#define FR_RXFE     (1 << 4)
#define CR_UARTEN   (1 << 0)
#define CR_TXE      (1 << 8)
#define CR_RXE      (1 << 9)

static inline volatile uint32_t *reg(volatile void *base, unsigned off)
{
    return (volatile uint32_t *)((volatile char *)base + off);
}

void pl011_init(volatile void *base)
{
    /* Keep the boot loader's baud rate; make sure TX/RX are on, and no
     * interrupts until the monitor console asks for them. */
    *reg(base, UARTIMSC) = 0;
    *reg(base, UARTICR) = 0x7FF;
    *reg(base, UARTCR) |= CR_UARTEN | CR_TXE | CR_RXE;
}

void pl011_putc(volatile void *base, char c)
{
    while (*reg(base, UARTFR) & FR_TXFF)
        ;
    *reg(base, UARTDR) = (unsigned char)c;
}

int pl011_getc(volatile void *base)
{
    if (*reg(base, UARTFR) & FR_RXFE)
        return -1;
    return *reg(base, UARTDR) & 0xFF;
}

/* Receive and receive-timeout interrupts on (the console input). */
void pl011_rx_irq_enable(volatile void *base)
{
    *reg(base, UARTIMSC) = (1u << 4) | (1u << 6);
}
