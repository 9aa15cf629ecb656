/*
 * A minimal virtio-mmio driver for the bare-metal test guests (vnet.c,
 * vblk.c): register access, negotiation, split queues of VDRV_NUM entries
 * in the guest's .bss, submitting chains, polling the used ring.  Build
 * with -DPV -DUART=<base> -DVIO=<first slot> (slots 0x200 apart).
 */
#ifndef VDRV_H
#define VDRV_H
#include <stdint.h>
#include "bare.h"

#define R32(a) (*(volatile uint32_t *)(a))
#define VDRV_NUM 8
#define V_DEVICE_ID   0x008
#define V_DRV_F       0x020
#define V_DRV_F_SEL   0x024
#define V_QSEL        0x030
#define V_QNUM        0x038
#define V_QREADY      0x044
#define V_QNOTIFY     0x050
#define V_ISR         0x060
#define V_IACK        0x064
#define V_STATUS      0x070
#define V_QDESC_LO    0x080
#define V_QDRV_LO     0x090
#define V_QDEV_LO     0x0A0
#define V_CONFIG      0x100
#define VD_NEXT  1
#define VD_WRITE 2

struct vdesc { uint32_t addr_lo, addr_hi, len; uint16_t flags, next; };
struct vq {
    volatile struct vdesc desc[VDRV_NUM] __attribute__((aligned(16)));
    volatile struct { uint16_t flags, idx, ring[VDRV_NUM], used_event; } avail __attribute__((aligned(4)));
    volatile struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[VDRV_NUM]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
    uint16_t seen;              /* used entries consumed */
};

static uint32_t vbase;
#pragma GCC diagnostic ignored "-Wunused-function"
static uint32_t vrd(uint32_t off) { return R32(vbase + off); }
static void vwr(uint32_t off, uint32_t v) { R32(vbase + off) = v; }

static void vputc(char c) { R32(UART) = (uint8_t)c; }
static void vputs(const char *s) { while (*s) vputc(*s++); }
static void vputdec(uint32_t v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n--)
        vputc(b[n]);
}
static void vputhex(uint32_t v)
{
    vputs("0x");
    for (int i = 28; i >= 0; i -= 4)
        vputc("0123456789abcdef"[(v >> i) & 0xF]);
}

static unsigned checks, failures;
static void check(const char *name, int ok, uint32_t got)
{
    checks++;
    vputs(ok ? "ok " : "FAIL ");
    vputs(name);
    if (!ok) {
        failures++;
        vputs(": ");
        vputhex(got);
    }
    vputc('\n');
}

static void vzero(volatile void *p, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        ((volatile uint8_t *)p)[k] = 0;
}

static __attribute__((unused)) void vyield(void)
{
    __asm__ volatile(".inst %c0" : : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_YIELD))) : "r0", "memory");
}

/* Reset the device in slot `slot`, negotiate VERSION_1 only, set up nq
 * queues, DRIVER_OK; returns Status (0xF when accepted). */
static uint32_t vsetup(unsigned slot, struct vq *q, unsigned nq)
{
    vbase = VIO + 0x200 * slot;
    vwr(V_STATUS, 0);
    vwr(V_STATUS, 1);
    vwr(V_STATUS, 3);
    vwr(V_DRV_F_SEL, 0);
    vwr(V_DRV_F, 0);
    vwr(V_DRV_F_SEL, 1);
    vwr(V_DRV_F, 1);                            /* VIRTIO_F_VERSION_1 */
    vwr(V_STATUS, 0xB);
    for (unsigned i = 0; i < nq; i++) {
        vzero(&q[i], sizeof(q[i]));
        vwr(V_QSEL, i);
        vwr(V_QNUM, VDRV_NUM);
        vwr(V_QDESC_LO, (uint32_t)q[i].desc);
        vwr(V_QDRV_LO, (uint32_t)&q[i].avail);
        vwr(V_QDEV_LO, (uint32_t)&q[i].used);
        vwr(V_QREADY, 1);
    }
    vwr(V_STATUS, 0xF);
    return vrd(V_STATUS);
}

static void vput(struct vq *q, unsigned i, const volatile void *addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    q->desc[i].addr_lo = (uint32_t)addr;
    q->desc[i].addr_hi = 0;
    q->desc[i].len = len;
    q->desc[i].flags = flags;
    q->desc[i].next = next;
}

/* Make chain `head` of queue qi available (no notification). */
static void vavail(struct vq *q, uint16_t head)
{
    q->avail.ring[q->avail.idx % VDRV_NUM] = head;
    q->avail.idx = (uint16_t)(q->avail.idx + 1);
}

static void vnotify(unsigned qi) { vwr(V_QNOTIFY, qi); }

/* The next used entry of q, if any: its chain head and length. */
static int vused(struct vq *q, uint16_t *head, uint32_t *len)
{
    if (q->seen == q->used.idx)
        return 0;
    *head = (uint16_t)q->used.ring[q->seen % VDRV_NUM].id;
    *len = q->used.ring[q->seen % VDRV_NUM].len;
    q->seen++;
    return 1;
}
/* One virtio-blk request on q's descriptors 0-2 (header, data, status;
 * no data descriptor when len is 0): the status byte, 0xFF if the device
 * did not complete it; *used_len the used length (vblk.c, vhostblk.c). */
static volatile struct { uint32_t type, reserved; uint32_t sector_lo, sector_hi; } vblk_hdr;
static volatile uint8_t vblk_status;
static __attribute__((unused)) uint8_t vblk_request(struct vq *q, uint32_t type, uint32_t sector,
                                                    volatile uint8_t *data, uint32_t len, int in,
                                                    uint32_t *used_len)
{
    uint16_t head;

    vblk_hdr.type = type;
    vblk_hdr.reserved = 0;
    vblk_hdr.sector_lo = sector;
    vblk_hdr.sector_hi = 0;
    vblk_status = 0xEE;
    vput(q, 0, &vblk_hdr, 16, VD_NEXT, len ? 1 : 2);
    if (len)
        vput(q, 1, data, len, (uint16_t)(VD_NEXT | (in ? VD_WRITE : 0)), 2);
    vput(q, 2, &vblk_status, 1, VD_WRITE, 0);
    vavail(q, 0);
    vnotify(0);
    *used_len = 0;
    if (!vused(q, &head, used_len))
        return 0xFF;                /* not completed */
    return vblk_status;
}
#endif
