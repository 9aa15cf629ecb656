/*
 * virtio-net test guest (PV, VM file: virtio=net), run as guests 0, 1, 2 of
 * one VM on the monitor's switch (MAC 52:54:00:00:00:<id+1>).  Guest 0
 * pings guest 1 (three rounds, resending until the pong arrives: a frame
 * sent before the receiver posted buffers is dropped), then broadcasts
 * "bye" until guests 1 and 2 both acknowledge.  Guest 2 only listens: it
 * must see none of the unicast ping/pong traffic.  Every guest checks that
 * each frame it receives is addressed to it or broadcast, never its own.
 * Prints ok/FAIL lines and "RESULT vnet: N checks, M failed".
 * Build: -DPV -DUART=<base> -DVIO=<first virtio slot>.
 */
#include "vdrv.h"

#define RXQ 0
#define TXQ 1
#define HDR 12
#define FRAME 60
#define ETHERTYPE 0x88B5            /* IEEE local experimental */

static struct vq q[2];
static volatile uint8_t rxbuf[VDRV_NUM][HDR + 1518];
static volatile uint8_t txhdr[HDR], txframe[FRAME];
static uint8_t me[6], peer[3][6];
static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
static unsigned rx_frames, bad_dst, own, unicast_seen;

static uint32_t guest_id(void)
{
    register uint32_t r0 __asm__("r0");
    __asm__ volatile(".inst %c1" : "=r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_GUEST_ID))) : "memory");
    return r0;
}

static int mac_eq(const volatile uint8_t *a, const uint8_t *b)
{
    for (int k = 0; k < 6; k++)
        if (a[k] != b[k])
            return 0;
    return 1;
}

static void send(const uint8_t *dst, char kind, uint8_t seq)
{
    uint16_t head;
    uint32_t len;

    for (int k = 0; k < 6; k++) {
        txframe[k] = dst[k];
        txframe[6 + k] = me[k];
    }
    txframe[12] = ETHERTYPE >> 8;
    txframe[13] = ETHERTYPE & 0xFF;
    txframe[14] = (uint8_t)kind;
    txframe[15] = seq;
    vput(&q[TXQ], 0, txhdr, HDR, VD_NEXT, 1);
    vput(&q[TXQ], 1, txframe, FRAME, 0, 0);
    vavail(&q[TXQ], 0);
    vnotify(TXQ);
    while (vused(&q[TXQ], &head, &len))
        ;
}

/* Handle every received frame with fn(kind, seq, source index or -1). */
static void poll(void (*fn)(char, uint8_t, int))
{
    uint16_t head;
    uint32_t len;
    int any = 0;

    while (vused(&q[RXQ], &head, &len)) {
        volatile uint8_t *f = rxbuf[head % VDRV_NUM] + HDR;
        int from = -1;

        rx_frames++;
        if (!mac_eq(f, me) && !mac_eq(f, bcast))
            bad_dst++;
        if (mac_eq(f + 6, me))
            own++;
        if (mac_eq(f, me))
            unicast_seen++;
        for (int i = 0; i < 3; i++)
            if (mac_eq(f + 6, peer[i]))
                from = i;
        if (len == HDR + FRAME && f[12] == (ETHERTYPE >> 8) && f[13] == (ETHERTYPE & 0xFF))
            fn((char)f[14], f[15], from);
        vavail(&q[RXQ], head);
        any = 1;
    }
    if (any)
        vnotify(RXQ);
}

static int pong_for, acks, ready2;
static int done;
static void on_g0(char kind, uint8_t seq, int from)
{
    if (kind == 'R' && from == 2)
        ready2 = 1;
    if (kind == 'O' && from == 1 && seq == pong_for)
        pong_for = -1;
    if (kind == 'A' && (from == 1 || from == 2))
        acks |= 1 << from;
}
static void on_g1(char kind, uint8_t seq, int from)
{
    if (kind == 'P' && from == 0)
        send(peer[0], 'O', seq);
    if (kind == 'B' && from == 0) {
        send(peer[0], 'A', 0);
        done = 1;
    }
}
static void on_g2(char kind, uint8_t seq __attribute__((unused)), int from)
{
    if (kind == 'P' || kind == 'O')
        bad_dst += 100;             /* another pair's unicast reached us */
    if (kind == 'B' && from == 0) {
        send(peer[0], 'A', 0);
        done = 1;
    }
}

int main(void);
int main(void)
{
    uint32_t id = guest_id();

    vputs("vnet: guest ");
    vputdec(id);
    vputs(" on the monitor's virtual switch\n");
    for (int i = 0; i < 3; i++) {
        const uint8_t m[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, (uint8_t)(i + 1) };
        for (int k = 0; k < 6; k++)
            peer[i][k] = m[k];
    }
    check("setup", vsetup(2, q, 2) == 0xF, vrd(V_STATUS));
    check("device-id-net", vrd(V_DEVICE_ID) == 1, vrd(V_DEVICE_ID));
    for (int k = 0; k < 6; k++)
        me[k] = *(volatile uint8_t *)(vbase + V_CONFIG + k);   /* config bytes: byte reads */
    check("mac-from-config", id < 3 && mac_eq(me, peer[id]), me[5]);
    check("link-up", (vrd(V_CONFIG + 4) >> 16 & 0xFFFF) == 1, vrd(V_CONFIG + 4));
    for (uint16_t i = 0; i < VDRV_NUM; i++) {
        vput(&q[RXQ], i, rxbuf[i], sizeof(rxbuf[i]), VD_WRITE, 0);
        vavail(&q[RXQ], i);
    }
    vnotify(RXQ);

    if (id == 0) {
        /* guest 2 has posted its buffers before any unicast flows */
        while (!ready2) {
            vyield();
            poll(on_g0);
        }
        for (int r = 0; r < 3; r++) {
            pong_for = r;
            while (pong_for >= 0) {
                send(peer[1], 'P', (uint8_t)r);
                vyield();
                poll(on_g0);
            }
        }
        check("ping-pong-3-rounds", 1, 0);
        while (acks != 6) {
            send(bcast, 'B', 0);
            vyield();
            poll(on_g0);
        }
        check("broadcast-acked-by-1-and-2", 1, 0);
    } else {
        while (!done) {
            if (id == 2)
                send(peer[0], 'R', 0);      /* listening: tell guest 0 */
            vyield();
            poll(id == 1 ? on_g1 : on_g2);
        }
        check(id == 1 ? "answered-pings-and-bye" : "got-broadcast", 1, 0);
    }
    check("frames-only-for-me-or-broadcast", bad_dst == 0, bad_dst);
    check("never-my-own-frame", own == 0, own);
    if (id == 2)
        check("no-unicast-of-others", unicast_seen == 0 && rx_frames > 0, unicast_seen);
    vputs("received ");
    vputdec(rx_frames);
    vputs(" frames\n");
    vwr(V_STATUS, 0);
    vputs("RESULT vnet: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
