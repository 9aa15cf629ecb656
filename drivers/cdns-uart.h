/* Cadence UART host driver (Xilinx Zynq-7000 "UART controller", UG585
 * chapter 19 and appendix B.33), polled, receive interrupts optional. */
#ifndef DRIVERS_CDNS_UART_H
#define DRIVERS_CDNS_UART_H
#include <stdint.h>
void cdns_uart_init(volatile void *base);
void cdns_uart_putc(volatile void *base, char c);
int cdns_uart_getc(volatile void *base);
void cdns_uart_rx_irq_enable(volatile void *base);
#endif
