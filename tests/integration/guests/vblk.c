/*
 * virtio-blk test guest (PV, VM file: virtio=blk): the monitor's blank RAM
 * disk in slot 1.  Config (capacity, blk_size), write then read back, a
 * request beyond the end (IOERR), flush, GET_ID, and the data still there
 * after a device reset.  Prints ok/FAIL lines and "RESULT vblk: N checks,
 * M failed"; exits with the failure count.
 * With -DIMAGE_SECTORS=N (VM file: disk=IMAGE:ro) the disk is an image of
 * N sectors, every byte of sector k = k mod 251: capacity, the RO feature,
 * its contents (also across the 1 MiB boundary of the monitor's physmap
 * window), a refused write that leaves it unchanged, the end.
 * Build: -DPV -DUART=<base> -DVIO=<first virtio slot> [-DIMAGE_SECTORS=N].
 */
#include "vdrv.h"

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8

static struct vq q[1];
static volatile uint8_t wbuf[2048], rbuf[2048];

/* One request on the queue: vdrv.h's vblk_request. */
static uint8_t request(uint32_t type, uint32_t sector, volatile uint8_t *data, uint32_t len, int in,
                       uint32_t *used_len)
{
    return vblk_request(q, type, sector, data, len, in, used_len);
}

#ifdef IMAGE_SECTORS
/* Do rbuf's len bytes hold sectors first.. of the image pattern? */
static int pattern(uint32_t first, uint32_t len)
{
    int same = 1;

    for (uint32_t k = 0; k < len; k++)
        same &= rbuf[k] == (uint8_t)((first + k / 512) % 251);
    return same;
}

int main(void);
int main(void)
{
    uint32_t used;
    uint8_t st;

    vputs("vblk: a disk image from the VM file (disk=PATH:ro)\n");
    check("setup", vsetup(1, q, 1) == 0xF, vrd(V_STATUS));
    vwr(0x014, 0);                  /* DeviceFeaturesSel 0: bit 5 VIRTIO_BLK_F_RO */
    check("ro-feature", (vrd(0x010) >> 5) & 1, vrd(0x010));
    check("capacity-of-the-image", vrd(V_CONFIG) == IMAGE_SECTORS && vrd(V_CONFIG + 4) == 0, vrd(V_CONFIG));
    st = request(T_IN, 0, rbuf, sizeof(rbuf), 1, &used);
    check("read-first-sectors", st == 0 && used == sizeof(rbuf) + 1 && pattern(0, sizeof(rbuf)), st << 16 | used);
    st = request(T_IN, 2045, rbuf, sizeof(rbuf), 1, &used);
    check("read-across-1mib", st == 0 && pattern(2045, sizeof(rbuf)), st << 16 | used);
    st = request(T_IN, IMAGE_SECTORS - 1, rbuf, 512, 1, &used);
    check("read-last-sector", st == 0 && pattern(IMAGE_SECTORS - 1, 512), st << 16 | used);
    st = request(T_IN, IMAGE_SECTORS - 1, rbuf, 1024, 1, &used);
    check("beyond-end-ioerr", st == 1, st);
    for (unsigned k = 0; k < sizeof(wbuf); k++)
        wbuf[k] = 0xA5;
    st = request(T_OUT, 1, wbuf, 512, 0, &used);
    check("write-refused-ioerr", st == 1, st);
    st = request(T_IN, 0, rbuf, sizeof(rbuf), 1, &used);
    check("unchanged-after-refused-write", st == 0 && pattern(0, sizeof(rbuf)), st);
    vwr(V_STATUS, 0);
    vputs("RESULT vblkimg: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
#else
int main(void);
int main(void)
{
    uint32_t used, same = 1;
    uint8_t st;

    vputs("vblk: the monitor's virtio-blk RAM disk\n");
    check("setup", vsetup(1, q, 1) == 0xF, vrd(V_STATUS));
    check("device-id-blk", vrd(V_DEVICE_ID) == 2, vrd(V_DEVICE_ID));
    check("capacity-512-sectors", vrd(V_CONFIG) == 512 && vrd(V_CONFIG + 4) == 0, vrd(V_CONFIG));
    check("blk-size-512", vrd(V_CONFIG + 20) == 512, vrd(V_CONFIG + 20));

    for (unsigned k = 0; k < sizeof(wbuf); k++)
        wbuf[k] = (uint8_t)(k * 13 + 7);
    st = request(T_OUT, 10, wbuf, sizeof(wbuf), 0, &used);
    check("write-ok", st == 0 && used == 1, st << 16 | used);
    st = request(T_IN, 10, rbuf, sizeof(rbuf), 1, &used);
    check("read-ok", st == 0 && used == sizeof(rbuf) + 1, st << 16 | used);
    for (unsigned k = 0; k < sizeof(rbuf); k++)
        same &= rbuf[k] == wbuf[k];
    check("read-back-equal", same, 0);

    st = request(T_IN, 511, rbuf, 1024, 1, &used);
    check("beyond-end-ioerr", st == 1 && used == 1, st << 16 | used);
    st = request(T_OUT, 0, wbuf, 100, 0, &used);
    check("partial-sector-ioerr", st == 1, st);
    st = request(T_FLUSH, 0, 0, 0, 0, &used);
    check("flush-ok", st == 0 && used == 1, st << 16 | used);
    st = request(T_GET_ID, 0, rbuf, 20, 1, &used);
    check("get-id", st == 0 && used == 21 && rbuf[0] == 'a' && rbuf[9] == 'g', st << 16 | used);
    st = request(9, 0, rbuf, 512, 1, &used);
    check("unsupported-type", st == 2, st);

    /* a reset clears the device, not the disk */
    check("setup-again", vsetup(1, q, 1) == 0xF, vrd(V_STATUS));
    vzero(rbuf, sizeof(rbuf));
    st = request(T_IN, 10, rbuf, sizeof(rbuf), 1, &used);
    same = st == 0;
    for (unsigned k = 0; k < sizeof(rbuf); k++)
        same &= rbuf[k] == wbuf[k];
    check("data-survives-device-reset", same, st);
    vwr(V_STATUS, 0);

    vputs("RESULT vblk: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
#endif
