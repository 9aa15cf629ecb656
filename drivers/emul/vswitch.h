/*
 * The monitor's virtual Ethernet switch: it connects the network ports of
 * the guests of one VM configuration.  Each port has a fixed MAC address
 * (from the VM file); there is no learning.  A unicast frame goes to the
 * one port whose MAC is its destination (dropped if none); a broadcast or
 * multicast frame (I/G bit set) goes to every other port.  A frame whose
 * source MAC is not its port's own is dropped, so a guest cannot make
 * replies reach it by sending as another.  No port ever sees a unicast
 * frame not addressed to it.
 */
#ifndef EMUL_VSWITCH_H
#define EMUL_VSWITCH_H

#include <stdint.h>
#include <stdbool.h>

#define VSWITCH_MAX_PORTS   8
#define ETH_ALEN            6
#define ETH_HLEN            14
#define ETH_FRAME_MAX       1518        /* 1500 payload + header + one VLAN tag, no FCS */

struct vswitch_port {
    uint8_t mac[ETH_ALEN];
    /* Hand a frame to the port's device: false if it could not take it. */
    bool (*deliver)(void *ctx, const uint8_t *frame, uint32_t len);
    void *ctx;
    unsigned long tx_frames, tx_dropped;    /* sent by this port; refused (size, spoofed, no such MAC) */
    unsigned long rx_frames, rx_dropped;    /* delivered to it; not taken (no buffer posted) */
};

struct vswitch {
    struct vswitch_port *port[VSWITCH_MAX_PORTS];
    unsigned nports;
};

/* Connect a port: -1 if the switch is full, the MAC is multicast or
 * already on the switch. */
int vswitch_attach(struct vswitch *sw, struct vswitch_port *p);
/* A frame from port `from`; returns how many ports took it. */
unsigned vswitch_send(struct vswitch *sw, struct vswitch_port *from, const uint8_t *frame,
                      uint32_t len);
#endif
