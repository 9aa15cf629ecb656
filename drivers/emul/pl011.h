/* Emulated PL011 UART for a guest: TX to its console line, RX from the
 * host console while the guest has focus, RX/TX interrupts. */
#ifndef EMUL_PL011_H
#define EMUL_PL011_H
#include <stdint.h>
#include <stdbool.h>

#define VPL011_FIFO 32

struct vpl011 {
    void (*tx)(void *ctx, char c);  /* where transmitted bytes go */
    void *ctx;
    uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr, ilpr;
    uint32_t ris;
    uint8_t rx[VPL011_FIFO];
    unsigned rx_head, rx_count;
};

void vpl011_reset(struct vpl011 *u, void (*tx)(void *, char), void *ctx);
uint32_t vpl011_read(void *dev, uint32_t off, unsigned size);
void vpl011_write(void *dev, uint32_t off, unsigned size, uint32_t val);
/* A byte arrives on the receive line; false if the FIFO is full. */
bool vpl011_receive(struct vpl011 *u, uint8_t c);
/* The interrupt output (UARTINTR): any masked interrupt status. */
bool vpl011_line(const struct vpl011 *u);
extern const struct vdev_type vdev_pl011;     /* its registry entry */
#endif
