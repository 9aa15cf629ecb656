/* ARM PrimeCell UART (PL011) host driver, polled. */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H
#include <stdint.h>
void pl011_init(volatile void *base);
void pl011_putc(volatile void *base, char c);
int pl011_getc(volatile void *base);
void pl011_rx_irq_enable(volatile void *base);
#endif
