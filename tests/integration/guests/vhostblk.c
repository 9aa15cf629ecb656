/*
 * Host-disk test guest (PV; VM file: disk=host:OFFSET_MIB:SIZE_MIB[:ro]):
 * its virtio-blk disk (slot 1) is a slice of QEMU's own virtio-blk device,
 * which the monitor drives (scenario host-disk).  The host disk image
 * starts with every byte of its sector k = k mod 251.
 * Build: -DPV -DUART=<base> -DVIO=<first virtio slot> -DSLICE_MIB=N
 * -DFIRST_MIB=N (where its slice starts on the host disk) and one role:
 *   -DWRITE   read-write slice, first boot: writes PATTERN over WSECT
 *             sectors at three places (start, a run across 4 KiB and 1 MiB
 *             of the slice, its end), flushes, reads them back
 *   -DVERIFY  read-write slice, second boot (a new QEMU on the same image
 *             file): finds PATTERN there, byte for byte, and the image's
 *             own bytes around them
 *   -DRO      a read-only slice: RO feature, its image bytes, a write gets
 *             VIRTIO_BLK_S_IOERR and changes nothing
 *   -DDEAD    a slice the monitor cannot serve (beyond the host disk's end,
 *             or no host disk): every request gets IOERR, the guest runs on
 * Prints ok/FAIL lines and "RESULT vhostblk: N checks, M failed"; exits
 * with the failure count.
 */
#include "vdrv.h"

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define SECTORS (SLICE_MIB * 2048u)
#define WSECT 24                    /* sectors per written run (3 bounce buffers' worth) */

static struct vq q[1];
static volatile uint8_t buf[WSECT * 512];

static uint8_t request(uint32_t type, uint32_t sector, volatile uint8_t *data, uint32_t len, int in)
{
    uint32_t used;

    return vblk_request(q, type, sector, data, len, in, &used);
}

/* What the guest writes: byte k of slice sector s. */
static uint8_t written(uint32_t s, uint32_t k) { return (uint8_t)(s * 31 + k * 7 + 0x3C); }
/* What the image holds: byte of host sector h. */
static uint8_t image(uint32_t s) { return (uint8_t)((FIRST_MIB * 2048u + s) % 251); }

/* Where the runs go: start, across the first 1 MiB boundary, the end. */
static const uint32_t runs[] __attribute__((unused)) = { 0, 2048 - WSECT / 2, SECTORS - WSECT };

static __attribute__((unused)) void fill(uint32_t first)
{
    for (uint32_t k = 0; k < sizeof(buf); k++)
        buf[k] = written(first + k / 512, k % 512);
}

static int holds(uint32_t first, int mine)
{
    int same = 1;

    for (uint32_t k = 0; k < sizeof(buf); k++)
        same &= buf[k] == (mine ? written(first + k / 512, k % 512) : image(first + k / 512));
    return same;
}

int main(void);
int main(void)
{
    uint8_t st;

    vputs("vhostblk: a slice of the host disk\n");
    check("setup", vsetup(1, q, 1) == 0xF, vrd(V_STATUS));
    check("capacity-of-the-slice", vrd(V_CONFIG) == SECTORS && vrd(V_CONFIG + 4) == 0, vrd(V_CONFIG));
    vwr(0x014, 0);
#if defined(RO) || defined(DEAD)
    check("ro-feature", (vrd(0x010) >> 5) & 1, vrd(0x010));
#else
    check("rw-flush-features", !((vrd(0x010) >> 5) & 1) && ((vrd(0x010) >> 9) & 1), vrd(0x010));
#endif
#if defined(WRITE)
    for (unsigned r = 0; r < 3; r++) {
        fill(runs[r]);
        st = request(T_OUT, runs[r], buf, sizeof(buf), 0);
        check("write-run", st == 0, r << 8 | st);
    }
    st = request(T_FLUSH, 0, 0, 0, 0);
    check("flush-ok", st == 0, st);
    for (unsigned r = 0; r < 3; r++) {
        vzero(buf, sizeof(buf));
        st = request(T_IN, runs[r], buf, sizeof(buf), 1);
        check("read-back-run", st == 0 && holds(runs[r], 1), r << 8 | st);
    }
#elif defined(VERIFY)
    for (unsigned r = 0; r < 3; r++) {
        vzero(buf, sizeof(buf));
        st = request(T_IN, runs[r], buf, sizeof(buf), 1);
        check("pattern-after-restart", st == 0 && holds(runs[r], 1), r << 8 | st);
    }
    /* the sectors between the runs are the image's */
    st = request(T_IN, WSECT, buf, sizeof(buf), 1);
    check("image-between-runs", st == 0 && holds(WSECT, 0), st);
#elif defined(RO)
    st = request(T_IN, 0, buf, sizeof(buf), 1);
    check("image-bytes", st == 0 && holds(0, 0), st);
    fill(0);
    st = request(T_OUT, 0, buf, sizeof(buf), 0);
    check("write-refused-ioerr", st == 1, st);
    st = request(T_IN, 0, buf, sizeof(buf), 1);
    check("unchanged-after-refused-write", st == 0 && holds(0, 0), st);
    st = request(T_IN, SECTORS - WSECT, buf, sizeof(buf), 1);
    check("image-bytes-at-the-end", st == 0 && holds(SECTORS - WSECT, 0), st);
#elif defined(DEAD)
    st = request(T_IN, 0, buf, 512, 1);
    check("read-ioerr", st == 1, st);
    st = request(T_OUT, 0, buf, 512, 0);
    check("write-ioerr", st == 1, st);
    st = request(T_FLUSH, 0, 0, 0, 0);
    check("flush-ioerr", st == 1, st);
#endif
    st = request(T_IN, SECTORS - 1, buf, 1024, 1);
    check("beyond-the-slice-ioerr", st == 1, st);
    vwr(V_STATUS, 0);
    vputs("RESULT vhostblk: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
