/*
 * Emulated ARM PL011 UART (PrimeCell UART TRM, ARM DDI 0183).  Transmit is
 * instantaneous (the FIFO is always empty, TXRIS is raised by every write to
 * UARTDR, as a real UART does once the byte leaves), receive has a 32-byte
 * FIFO filled from the host console while the guest has focus.  Interrupts:
 * RX (bit 4), TX (bit 5), RX timeout (bit 6); UARTINTR = RIS & IMSC.
 * Identification registers report PL011 r1p4, as QEMU's model does, so
 * guests see the same device natively and virtualized.  Pure model.
 */
#include "pl011.h"
#include "../../core/vdev.h"
#include "../../core/guest.h"
#include <hv/board.h>

#define UARTDR      0x000
#define UARTRSR     0x004
#define UARTFR      0x018
#define UARTILPR    0x020
#define UARTIBRD    0x024
#define UARTFBRD    0x028
#define UARTLCR_H   0x02C
#define UARTCR      0x030
#define UARTIFLS    0x034
#define UARTIMSC    0x038
#define UARTRIS     0x03C
#define UARTMIS     0x040
#define UARTICR     0x044
#define UARTDMACR   0x048
#define FR_RXFE     (1u << 4)
#define FR_TXFF     (1u << 5)
#define FR_RXFF     (1u << 6)
#define FR_TXFE     (1u << 7)
#define INT_RX      (1u << 4)
#define INT_TX      (1u << 5)
#define INT_RT      (1u << 6)
#define LCR_FEN     (1u << 4)

static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

void vpl011_reset(struct vpl011 *u, void (*tx)(void *, char), void *ctx)
{
    *u = (struct vpl011){ .tx = tx, .ctx = ctx, .cr = 0x300, .ifls = 0x12 };
}

static unsigned rx_trigger(const struct vpl011 *u)
{
    /* IFLS RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 full (of 32 with FIFOs on). */
    static const unsigned eighths[8] = { 1, 2, 4, 6, 7, 7, 7, 7 };
    return (u->lcr_h & LCR_FEN) ? eighths[(u->ifls >> 3) & 7] * VPL011_FIFO / 8 : 1;
}

static void rx_update(struct vpl011 *u)
{
    u->ris &= ~(INT_RX | INT_RT);
    if (u->rx_count >= rx_trigger(u))
        u->ris |= INT_RX;
    else if (u->rx_count)
        u->ris |= INT_RT;       /* below the trigger: the receive timeout (no time model) */
}

bool vpl011_receive(struct vpl011 *u, uint8_t c)
{
    unsigned depth = (u->lcr_h & LCR_FEN) ? VPL011_FIFO : 1;

    if (u->rx_count >= depth)
        return false;
    u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO] = c;
    u->rx_count++;
    rx_update(u);
    return true;
}

bool vpl011_line(const struct vpl011 *u)
{
    return (u->ris & u->imsc) != 0;
}

uint32_t vpl011_read(void *dev, uint32_t off, unsigned size)
{
    struct vpl011 *u = dev;
    uint32_t v;

    if (off >= 0xFE0 && off < 0x1000)
        return (off & 3) ? 0 : ids[(off - 0xFE0) / 4];
    switch (off) {
    case UARTDR:
        if (!u->rx_count)
            return 0;
        v = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % VPL011_FIFO;
        u->rx_count--;
        rx_update(u);
        return v;
    case UARTRSR:   return 0;
    case UARTFR:
        return FR_TXFE | (u->rx_count ? 0 : FR_RXFE) |
               (u->rx_count >= ((u->lcr_h & LCR_FEN) ? VPL011_FIFO : 1) ? FR_RXFF : 0);
    case UARTILPR:  return u->ilpr;
    case UARTIBRD:  return u->ibrd;
    case UARTFBRD:  return u->fbrd;
    case UARTLCR_H: return u->lcr_h;
    case UARTCR:    return u->cr;
    case UARTIFLS:  return u->ifls;
    case UARTIMSC:  return u->imsc;
    case UARTRIS:   return u->ris;
    case UARTMIS:   return u->ris & u->imsc;
    case UARTDMACR: return u->dmacr;
    default:        return 0;
    }
}

void vpl011_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vpl011 *u = dev;

    switch (off) {
    case UARTDR:
        u->tx(u->ctx, (char)(val & 0xFF));
        u->ris |= INT_TX;
        break;
    case UARTILPR:  u->ilpr = val & 0xFF; break;
    case UARTIBRD:  u->ibrd = val & 0xFFFF; break;
    case UARTFBRD:  u->fbrd = val & 0x3F; break;
    case UARTLCR_H: u->lcr_h = val & 0xFF; rx_update(u); break;
    case UARTCR:    u->cr = val & 0xFF87; break;
    case UARTIFLS:  u->ifls = val & 0x3F; rx_update(u); break;
    case UARTIMSC:  u->imsc = val & 0x7FF; break;
    case UARTICR:
        u->ris &= ~val;
        if (u->rx_count)
            rx_update(u);       /* data still there: RX/RT stay asserted */
        break;
    case UARTDMACR: u->dmacr = val & 7; break;
    default:        break;      /* RSR/ECR, read-only: WI */
    }
}

/* ---- registry entry (core/vdev.h) -------------------------------------- */

/* Every guest has its UART where the board's is (unless its VM file left it
 * out: devices=, core/vdev.c). */
static bool uart_place(const struct board_desc *b, uint32_t *base, uint32_t *irq)
{
    *base = b->uart_base & ~0xFFFu;
    *irq = b->uart_irq;
    return true;
}

static void uart_tx(void *ctx, char c)
{
    struct vdev *d = ctx;

    d->svc->console_putc(d->guest, c);
}

static void uart_reset(struct vdev *d) { vpl011_reset(d->state, uart_tx, d); }

/* Reading UARTDR makes room in the FIFO for queued console input. */
static uint32_t uart_read(struct vdev *d, uint32_t off, unsigned size)
{
    uint32_t v = vpl011_read(d->state, off, size);

    if (off == UARTDR)
        d->svc->console_pump(d->guest);
    return v;
}

static void uart_write(struct vdev *d, uint32_t off, unsigned size, uint32_t val)
{
    vpl011_write(d->state, off, size, val);
}

static bool uart_line(struct vdev *d) { return vpl011_line(d->state); }

/* Device tree: the guest's console (tools/mkguests.py points /chosen and
 * serial0 at the node labelled uart0); NODE is the node name QEMU's tree for
 * the machine uses, CLK the board's UART clock (BOARD_DT_NODES). */
VDEV_TYPE(vdev_pl011) = {
    .name = "pl011", .vm_name = "uart",
    .dt_node = "uart0: %NODE%@%ADDR% {\n"
               "\tcompatible = \"arm,pl011\", \"arm,primecell\";\n"
               "\treg = <%BASE% %SIZE%>;\n"
               "\tinterrupts = <0 %SPI% 4>;\t\t/* SPI %IRQ% */\n"
               "\tclocks = <&%CLK%>, <&%CLK%>;\n"
               "\tclock-names = \"uartclk\", \"apb_pclk\";\n"
               "};\n",
    .mmio_size = 0x1000, .state_size = sizeof(struct vpl011),
    .place = uart_place, .reset = uart_reset, .read = uart_read, .write = uart_write,
    .line = uart_line,
};
