/*
 * Cadence UART (as in the Xilinx Zynq-7000: Zynq-7000 SoC Technical
 * Reference Manual UG585, chapter 19 "UART Controller", register reference
 * appendix B.33 "UART Controller (UART)").  The boot loader has set the
 * baud rate (115200 8N1 on the Zybo Z7 / ZedBoard); the monitor keeps it.
 *
 * Receive interrupts: the RX FIFO trigger (level 1) and the receiver
 * timeout.  The channel interrupt status bits are sticky (write 1 to
 * clear), so cdns_uart_getc() clears them whenever it finds the FIFO empty:
 * the monitor's interrupt handler reads until -1, which leaves the
 * level-sensitive interrupt line low.
 */
#include "cdns-uart.h"

#define CR          0x00    /* Control_reg0 */
#define IER         0x08    /* Intrpt_en_reg0 */
#define IDR         0x0C    /* Intrpt_dis_reg0 */
#define ISR         0x14    /* Chnl_int_sts_reg0, write 1 to clear */
#define RTOR        0x1C    /* Rcvr_timeout_reg0 */
#define RTRIG       0x20    /* Rcvr_FIFO_trigger_level0 */
#define SR          0x2C    /* Channel_sts_reg0 */
#define FIFO        0x30    /* TX_RX_FIFO0 */

#define CR_RX_EN    (1u << 2)
#define CR_RX_DIS   (1u << 3)
#define CR_TX_EN    (1u << 4)
#define CR_TX_DIS   (1u << 5)
#define SR_REMPTY   (1u << 1)
#define SR_TFUL     (1u << 4)
#define IXR_RTRIG   (1u << 0)   /* RX FIFO reached its trigger level */
#define IXR_TIMEOUT (1u << 8)   /* receiver timeout */
#define IXR_ALL     0x1FFFu

static inline volatile uint32_t *reg(volatile void *base, unsigned off)
{
    return (volatile uint32_t *)((volatile char *)base + off);
}

void cdns_uart_init(volatile void *base)
{
    *reg(base, IDR) = IXR_ALL;                  /* no interrupts until asked */
    *reg(base, ISR) = IXR_ALL;
    *reg(base, CR) = (*reg(base, CR) & ~(CR_RX_DIS | CR_TX_DIS)) | CR_RX_EN | CR_TX_EN;
}

void cdns_uart_putc(volatile void *base, char c)
{
    while (*reg(base, SR) & SR_TFUL)
        ;
    *reg(base, FIFO) = (unsigned char)c;
}

int cdns_uart_getc(volatile void *base)
{
    if (*reg(base, SR) & SR_REMPTY) {
        *reg(base, ISR) = IXR_RTRIG | IXR_TIMEOUT;
        if (*reg(base, SR) & SR_REMPTY)         /* nothing arrived meanwhile */
            return -1;
    }
    return *reg(base, FIFO) & 0xFF;
}

void cdns_uart_rx_irq_enable(volatile void *base)
{
    *reg(base, RTRIG) = 1;                      /* interrupt on the first byte */
    *reg(base, RTOR) = 10;                      /* and after 4 x 10 idle bit times */
    *reg(base, ISR) = IXR_RTRIG | IXR_TIMEOUT;
    *reg(base, IER) = IXR_RTRIG | IXR_TIMEOUT;
}
