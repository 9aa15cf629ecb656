/* Emulated PL011 UART for a guest (output to the guest's console). */
#ifndef EMUL_PL011_H
#define EMUL_PL011_H
#include <stdint.h>
struct guest;
struct vpl011 {
    struct guest *g;
    uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr, ilpr;
};
int vpl011_attach(struct guest *g, struct vpl011 *u, uint32_t base);
#endif
