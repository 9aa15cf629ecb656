/*
 * virtio-balloon test guest (PV; VM file: backing=demand virtio=balloon,
 * 16 MiB of RAM): the device in slot 3 (ID 5, no device features, target 0),
 * then its effect on RAM backed on demand (docs/devices.md, virtio-balloon):
 *  - MiBs 8 and 9 are touched: the first word of every page gets a pattern;
 *  - all 256 pages of MiB 8 go into the balloon (one buffer of 256 page
 *    frame numbers): the monitor gives its chunk back to the pool, so the
 *    MiB reads zero afterwards (a fresh chunk at the next touch, not the old
 *    data);
 *  - 255 pages of MiB 9: the MiB is not whole, it stays backed, the
 *    patterns stay;
 *  - deflating MiB 8 and writing it again: the data is kept;
 *  - a page frame outside the guest's RAM: the device goes to NEEDS_RESET,
 *    and a device reset brings it back.
 * Prints ok/FAIL lines and "RESULT vballoon: N checks, M failed"; exits
 * with the failure count.
 * Build: -DPV -DUART=<base> -DVIO=<first virtio slot> -DRAM_BASE=<base>.
 */
#include "vdrv.h"

#define INFLATEQ 0
#define DEFLATEQ 1
#define MIB(n) (RAM_BASE + ((uint32_t)(n) << 20))

static struct vq q[2];
static volatile uint32_t pfn[256];

/* One buffer of n page frame numbers on queue qi, from page `first`
 * (an address) on; 1 if the device returned it (used length 0). */
static int give(unsigned qi, uint32_t first, unsigned n)
{
    uint16_t head = 0xFFFF;
    uint32_t len = 1;

    for (unsigned k = 0; k < n; k++)
        pfn[k] = (first >> 12) + k;
    vput(&q[qi], 0, pfn, 4 * n, 0, 0);
    vavail(&q[qi], 0);
    vnotify(qi);
    return vused(&q[qi], &head, &len) && head == 0 && len == 0;
}

static void mark(uint32_t mib, uint32_t pages)
{
    for (uint32_t p = 0; p < pages; p++)
        R32(MIB(mib) + (p << 12)) = 0xB0000000u | mib << 12 | p;
}

/* Pages whose first word is not what it should be (pattern or zero). */
static uint32_t wrong(uint32_t mib, int zero)
{
    uint32_t bad = 0;

    for (uint32_t p = 0; p < 256; p++)
        bad += R32(MIB(mib) + (p << 12)) != (zero ? 0 : (0xB0000000u | mib << 12 | p));
    return bad;
}

int main(void);
int main(void)
{
    vputs("vballoon: the virtio balloon on RAM backed on demand\n");
    check("setup", vsetup(3, q, 2) == 0xF, vrd(V_STATUS));
    check("device-id-balloon", vrd(V_DEVICE_ID) == 5, vrd(V_DEVICE_ID));
    vwr(0x014, 0);                  /* DeviceFeaturesSel 0 */
    check("no-device-features", (vrd(0x010) & 0x00FFFFFFu) == 0, vrd(0x010));
    check("target-starts-at-0", vrd(V_CONFIG) == 0, vrd(V_CONFIG));
    vwr(V_CONFIG + 4, 256);         /* actual: the driver's report */
    check("actual-written", vrd(V_CONFIG + 4) == 256 && vrd(V_CONFIG) == 0, vrd(V_CONFIG + 4));

    mark(8, 256);
    mark(9, 256);
    check("patterns-written", wrong(8, 0) == 0 && wrong(9, 0) == 0, wrong(8, 0));
    check("inflate-whole-mib-8", give(INFLATEQ, MIB(8), 256), q[0].used.idx);
    check("inflate-255-pages-of-mib-9", give(INFLATEQ, MIB(9), 255), q[0].used.idx);
    check("mib-8-given-back-reads-zero", wrong(8, 1) == 0, wrong(8, 1));
    check("mib-9-kept-its-patterns", wrong(9, 0) == 0, wrong(9, 0));
    check("deflate-mib-8", give(DEFLATEQ, MIB(8), 256), q[1].used.idx);
    mark(8, 256);
    check("mib-8-holds-new-data", wrong(8, 0) == 0, wrong(8, 0));

    pfn[0] = (RAM_BASE >> 12) - 1;
    vput(&q[INFLATEQ], 1, pfn, 4, 0, 0);
    vavail(&q[INFLATEQ], 1);
    vnotify(INFLATEQ);
    check("page-outside-ram-needs-reset", (vrd(V_STATUS) & 0x40) != 0, vrd(V_STATUS));
    check("setup-again", vsetup(3, q, 2) == 0xF, vrd(V_STATUS));
    vwr(V_STATUS, 0);

    vputs("RESULT vballoon: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
