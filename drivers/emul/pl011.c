/*
 * Emulated ARM PL011 UART (PrimeCell UART TRM, ARM DDI 0183): transmit goes
 * to the guest's tagged console line; the transmitter is always ready.
 * Receive and interrupts belong to the device-virtualization work (the
 * virtual GIC); until then RX is empty and RIS/MIS read 0.
 * Identification registers report PL011 r1p4, as QEMU's model does, so
 * guests see the same device natively and virtualized.
 */
#include "pl011.h"
#include "../../core/mmio.h"
#include "../../core/guest.h"

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
#define FR_TXFE     (1u << 7)

static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

static uint32_t vpl011_read(void *dev, uint32_t off, unsigned size)
{
    struct vpl011 *u = dev;

    if (off >= 0xFE0 && off < 0x1000)
        return (off & 3) ? 0 : ids[(off - 0xFE0) / 4];
    switch (off) {
    case UARTDR:    return 0;                   /* RX empty */
    case UARTRSR:   return 0;
    case UARTFR:    return FR_TXFE | FR_RXFE;
    case UARTILPR:  return u->ilpr;
    case UARTIBRD:  return u->ibrd;
    case UARTFBRD:  return u->fbrd;
    case UARTLCR_H: return u->lcr_h;
    case UARTCR:    return u->cr;
    case UARTIFLS:  return u->ifls;
    case UARTIMSC:  return u->imsc;
    case UARTDMACR: return u->dmacr;
    default:        return 0;                   /* RIS, MIS, reserved: RAZ */
    }
}

static void vpl011_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct vpl011 *u = dev;

    switch (off) {
    case UARTDR:    guest_console_putc(u->g, (char)(val & 0xFF)); break;
    case UARTILPR:  u->ilpr = val & 0xFF; break;
    case UARTIBRD:  u->ibrd = val & 0xFFFF; break;
    case UARTFBRD:  u->fbrd = val & 0x3F; break;
    case UARTLCR_H: u->lcr_h = val & 0xFF; break;
    case UARTCR:    u->cr = val & 0xFF87; break;
    case UARTIFLS:  u->ifls = val & 0x3F; break;
    case UARTIMSC:  u->imsc = val & 0x7FF; break;
    case UARTDMACR: u->dmacr = val & 7; break;
    default:        break;                      /* RSR/ECR, ICR, read-only: WI */
    }
}

static const struct mmio_ops vpl011_ops = { vpl011_read, vpl011_write };

int vpl011_attach(struct guest *g, struct vpl011 *u, uint32_t base)
{
    *u = (struct vpl011){ .g = g, .cr = 0x300, .ifls = 0x12 };
    return mmio_register(g, "pl011", base, 0x1000, &vpl011_ops, u);
}
