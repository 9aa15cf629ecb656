/*
 * Virtual switch: forwarding by the fixed MAC of each port (see vswitch.h).
 */
#include "vswitch.h"

static bool mac_eq(const uint8_t *a, const uint8_t *b)
{
    for (unsigned k = 0; k < ETH_ALEN; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

/* I/G bit: the least significant bit of the first octet (IEEE 802). */
static bool group_addr(const uint8_t *mac)
{
    return mac[0] & 1;
}

int vswitch_attach(struct vswitch *sw, struct vswitch_port *p)
{
    if (sw->nports == VSWITCH_MAX_PORTS || group_addr(p->mac))
        return -1;
    for (unsigned i = 0; i < sw->nports; i++)
        if (mac_eq(sw->port[i]->mac, p->mac))
            return -1;
    sw->port[sw->nports++] = p;
    return 0;
}

static bool give(struct vswitch_port *to, const uint8_t *frame, uint32_t len)
{
    if (!to->deliver(to->ctx, frame, len)) {
        to->rx_dropped++;
        return false;
    }
    to->rx_frames++;
    return true;
}

unsigned vswitch_send(struct vswitch *sw, struct vswitch_port *from, const uint8_t *frame,
                      uint32_t len)
{
    unsigned taken = 0;
    bool matched = false;

    if (len < ETH_HLEN || len > ETH_FRAME_MAX || !mac_eq(frame + ETH_ALEN, from->mac)) {
        from->tx_dropped++;
        return 0;
    }
    for (unsigned i = 0; i < sw->nports; i++) {
        struct vswitch_port *to = sw->port[i];

        if (to == from)
            continue;
        if (group_addr(frame) || mac_eq(frame, to->mac)) {
            matched = true;
            taken += give(to, frame, len);
        }
    }
    if (matched)
        from->tx_frames++;
    else
        from->tx_dropped++;         /* unicast to no port on the switch */
    return taken;
}
