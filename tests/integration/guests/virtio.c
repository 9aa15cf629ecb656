/*
 * virtio-mmio test guest (PV only: the device is the monitor's, `virtio=
 * console` in the VM file).  It drives the transport directly: identity
 * registers, feature negotiation, a transmit queue (direct, chained and
 * indirect descriptors) whose bytes must reach the guest's console line,
 * the used-buffer interrupt on its vGIC line, then every kind of malformed
 * queue input.  Each bad input must leave the device in DEVICE_NEEDS_RESET
 * (Status 0x4F), with the config-change interrupt and nothing returned,
 * and a reset (Status = 0) must bring it back; the guest (and its
 * neighbour) keep running.  Prints "ok NAME" / "FAIL NAME ..." lines and
 * "RESULT virtio: N checks, M failed"; exits with the failure count.
 * Build: -DPV -DUART=<base> -DGICD=<base> -DVIO=<base> -DVIO_IRQ=<id>
 *        -DRAM_BASE=<ipa> -DRAM_SIZE=<bytes of its RAM in the VM file>.
 */
#include <stdint.h>
#include "bare.h"

#define R32(a) (*(volatile uint32_t *)(a))
#define MAGIC       0x000
#define VERSION     0x004
#define DEVICE_ID   0x008
#define DEV_F       0x010
#define DEV_F_SEL   0x014
#define DRV_F       0x020
#define DRV_F_SEL   0x024
#define QSEL        0x030
#define QNUM_MAX    0x034
#define QNUM        0x038
#define QREADY      0x044
#define QNOTIFY     0x050
#define ISR         0x060
#define IACK        0x064
#define STATUS      0x070
#define QDESC_LO    0x080
#define QDESC_HI    0x084
#define QDRV_LO     0x090
#define QDRV_HI     0x094
#define QDEV_LO     0x0A0
#define QDEV_HI     0x0A4
#define F_INDIRECT  (1u << 28)
#define F_NEXT      1
#define F_WRITE     2
#define F_IND       4
#define RXQ         0
#define TXQ         1
#define NUM         8

static uint32_t rd(uint32_t off) { return R32(VIO + off); }
static void wr(uint32_t off, uint32_t v) { R32(VIO + off) = v; }

static void putc_(char c) { R32(UART) = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putdec(uint32_t v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n--)
        putc_(b[n]);
}
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}

static unsigned checks, failures;
static void check(const char *name, int ok, uint32_t got)
{
    checks++;
    if (ok) {
        puts_("ok ");
        puts_(name);
    } else {
        failures++;
        puts_("FAIL ");
        puts_(name);
        puts_(": ");
        puthex(got);
    }
    putc_('\n');
}

struct desc {
    uint32_t addr_lo, addr_hi, len;
    uint16_t flags, next;
};
static volatile struct desc desc[NUM] __attribute__((aligned(16)));
static volatile struct desc itable[4] __attribute__((aligned(16)));
static volatile struct desc itable2[2] __attribute__((aligned(16)));
static volatile struct { uint16_t flags, idx, ring[NUM], used_event; } avail __attribute__((aligned(4)));
static volatile struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[NUM]; uint16_t avail_event; } used
    __attribute__((aligned(4)));

/* The receive queue's rings. */
static volatile struct desc rx_desc[NUM] __attribute__((aligned(16)));
static volatile struct { uint16_t flags, idx, ring[NUM], used_event; } rx_avail __attribute__((aligned(4)));
static volatile struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[NUM]; uint16_t avail_event; } rx_used
    __attribute__((aligned(4)));

static void put(volatile struct desc *d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    d->addr_lo = (uint32_t)addr;
    d->addr_hi = (uint32_t)(addr >> 32);
    d->len = len;
    d->flags = flags;
    d->next = next;
}

static void zero(volatile void *p, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        ((volatile uint8_t *)p)[k] = 0;
}

/* Status values (virtio 1.2 2.1). */
#define S_ACK 1
#define S_DRV 2
#define S_DRV_OK 4
#define S_FEAT_OK 8
#define S_NEEDS_RESET 0x40

/* Reset, negotiate VERSION_1 (+ low feature bits `f`), set up the transmit
 * queue with `used_at` as its used ring, DRIVER_OK.  Returns Status. */
static uint32_t setup_at(uint32_t f, uint32_t used_at)
{
    zero(desc, sizeof(desc));
    zero(&avail, sizeof(avail));
    zero(&used, sizeof(used));
    wr(STATUS, 0);
    wr(STATUS, S_ACK);
    wr(STATUS, S_ACK | S_DRV);
    wr(DRV_F_SEL, 0);
    wr(DRV_F, f);
    wr(DRV_F_SEL, 1);
    wr(DRV_F, 1);                               /* VIRTIO_F_VERSION_1 */
    wr(STATUS, S_ACK | S_DRV | S_FEAT_OK);
    zero(rx_desc, sizeof(rx_desc));
    zero(&rx_avail, sizeof(rx_avail));
    zero(&rx_used, sizeof(rx_used));
    wr(QSEL, RXQ);
    wr(QNUM, NUM);
    wr(QDESC_LO, (uint32_t)rx_desc);
    wr(QDRV_LO, (uint32_t)&rx_avail);
    wr(QDEV_LO, (uint32_t)&rx_used);
    wr(QREADY, 1);
    wr(QSEL, TXQ);
    wr(QNUM, NUM);
    wr(QDESC_LO, (uint32_t)desc);
    wr(QDESC_HI, 0);
    wr(QDRV_LO, (uint32_t)&avail);
    wr(QDRV_HI, 0);
    wr(QDEV_LO, used_at);
    wr(QDEV_HI, 0);
    wr(QREADY, 1);
    wr(STATUS, S_ACK | S_DRV | S_FEAT_OK | S_DRV_OK);
    return rd(STATUS);
}
static uint32_t setup(uint32_t f) { return setup_at(f, (uint32_t)&used); }

static void submit(uint16_t head)
{
    avail.ring[avail.idx % NUM] = head;
    avail.idx = (uint16_t)(avail.idx + 1);
    wr(QNOTIFY, TXQ);
}

/* Is the device's interrupt line high in the vGIC (ISPENDR, level)? */
static int line_high(void)
{
    return (R32(GICD + 0x200 + 4 * (VIO_IRQ / 32)) >> (VIO_IRQ % 32)) & 1;
}

static const char hello1[] = "virtio-console: hello ", hello2[] = "from the transmit queue\n";
static const char ind[] = "virtio-console: through an indirect table\n";
static const char alive[] = "virtio-console: working again after the bad queues\n";
static char scratch[64];

static void test_good(void)
{
    check("magic", rd(MAGIC) == 0x74726976, rd(MAGIC));
    check("version-2", rd(VERSION) == 2, rd(VERSION));
    check("device-id-console", rd(DEVICE_ID) == 3, rd(DEVICE_ID));
    wr(DEV_F_SEL, 1);
    check("offers-version-1", rd(DEV_F) == 1, rd(DEV_F));
    wr(QSEL, TXQ);
    check("queue-num-max", rd(QNUM_MAX) >= NUM, rd(QNUM_MAX));

    /* without VERSION_1, FEATURES_OK does not stick */
    wr(STATUS, 0);
    wr(STATUS, S_ACK | S_DRV);
    wr(DRV_F_SEL, 1);
    wr(DRV_F, 0);
    wr(STATUS, S_ACK | S_DRV | S_FEAT_OK);
    check("features-ok-needs-version-1", rd(STATUS) == (S_ACK | S_DRV), rd(STATUS));

    check("setup", setup(F_INDIRECT) == 0xF, rd(STATUS));
    check("line-low-before", !line_high(), 0);
    put(&desc[2], (uint32_t)hello1, sizeof(hello1) - 1, F_NEXT, 5);
    put(&desc[5], (uint32_t)hello2, sizeof(hello2) - 1, 0, 0);
    submit(2);
    check("tx-used-idx", used.idx == 1, used.idx);
    check("tx-used-id", used.ring[0].id == 2, used.ring[0].id);
    check("tx-isr-used", rd(ISR) == 1, rd(ISR));
    check("tx-line-high", line_high(), 0);
    wr(IACK, 1);
    check("ack-isr", rd(ISR) == 0, rd(ISR));
    check("ack-line-low", !line_high(), 0);

    put(&itable[0], (uint32_t)ind, 10, F_NEXT, 1);
    put(&itable[1], (uint32_t)ind + 10, sizeof(ind) - 11, 0, 0);
    put(&desc[0], (uint32_t)itable, 2 * 16, F_IND, 0);
    submit(0);
    check("indirect-used-idx", used.idx == 2, used.idx);
    check("indirect-not-broken", rd(STATUS) == 0xF, rd(STATUS));
}

/* The device must be broken: Status 0x4F, config interrupt, nothing used. */
static void expect_broken(const char *name)
{
    uint32_t s = rd(STATUS), isr = rd(ISR);
    int ok = s == (0xF | S_NEEDS_RESET) && (isr & 2) && used.idx == 0 && line_high();

    check(name, ok, ok ? 0 : (s << 16 | isr << 8 | used.idx));
    wr(STATUS, 0);
    if (rd(STATUS) != 0 || rd(ISR) != 0)
        check("reset-clears", 0, rd(STATUS));
}

static void bad_chain(const char *name)
{
    submit(0);
    expect_broken(name);
}

static void test_bad(void)
{
    const uint64_t end = (uint64_t)RAM_BASE + RAM_SIZE;

    setup(0);
    submit(NUM);                                /* head out of range */
    expect_broken("bad-head");

    setup(0);
    put(&desc[0], (uint32_t)scratch, 4, F_NEXT, NUM + 1);
    bad_chain("bad-next");

    setup(0);
    put(&desc[0], 0x1000, 16, 0, 0);            /* not this guest's RAM */
    bad_chain("buffer-outside-ram");

    setup(0);
    put(&desc[0], end - 4, 8, 0, 0);
    bad_chain("buffer-crosses-ram-end");

    setup(0);
    put(&desc[0], (uint64_t)(uint32_t)scratch | 1ull << 32, 4, 0, 0);
    bad_chain("buffer-above-4g");

    setup(0);
    put(&desc[0], 0xFFFFFFFFFFFFFFF0ull, 0x20, 0, 0);
    bad_chain("buffer-wraps");

    setup(0);
    put(&desc[0], (uint32_t)scratch, 0xFFFFFFFFu, 0, 0);   /* 4 GiB long */
    bad_chain("buffer-huge");

    setup(0);
    put(&desc[0], (uint32_t)scratch, 1, F_NEXT, 0);
    bad_chain("self-loop");

    setup(0);
    put(&desc[0], (uint32_t)scratch, 1, F_NEXT, 1);
    put(&desc[1], (uint32_t)scratch, 1, F_NEXT, 0);
    bad_chain("loop");

    setup(0);                                   /* INDIRECT_DESC not negotiated */
    put(&itable[0], (uint32_t)scratch, 1, 0, 0);
    put(&desc[0], (uint32_t)itable, 16, F_IND, 0);
    bad_chain("indirect-not-negotiated");

    setup(F_INDIRECT);
    put(&desc[0], (uint32_t)itable, 17, F_IND, 0);
    bad_chain("indirect-size-not-16n");

    setup(F_INDIRECT);
    put(&desc[0], (uint32_t)itable, 0, F_IND, 0);
    bad_chain("indirect-size-0");

    setup(F_INDIRECT);
    put(&desc[0], end - 16, 32, F_IND, 0);
    bad_chain("indirect-outside-ram");

    setup(F_INDIRECT);
    put(&itable[0], (uint32_t)itable2, 16, F_IND, 0);
    put(&itable2[0], (uint32_t)scratch, 1, 0, 0);
    put(&desc[0], (uint32_t)itable, 16, F_IND, 0);
    bad_chain("indirect-nested");

    setup(F_INDIRECT);
    put(&itable[0], (uint32_t)scratch, 1, 0, 0);
    put(&desc[0], (uint32_t)itable, 16, F_IND | F_NEXT, 1);
    put(&desc[1], (uint32_t)scratch, 1, 0, 0);
    bad_chain("indirect-with-next");

    setup(F_INDIRECT);
    put(&itable[0], (uint32_t)scratch, 1, F_NEXT, 0);
    put(&desc[0], (uint32_t)itable, 16, F_IND, 0);
    bad_chain("indirect-loop");

    setup(0);
    put(&desc[0], (uint32_t)scratch, 1, F_WRITE | F_NEXT, 1);
    put(&desc[1], (uint32_t)scratch, 1, 0, 0);
    bad_chain("readable-after-writable");

    setup(0);
    avail.idx = NUM + 1;                        /* more new entries than the queue holds */
    wr(QNOTIFY, TXQ);
    expect_broken("avail-idx-jump");

    /* a used ring outside RAM: refused when the queue is enabled */
    {
        uint32_t s = setup_at(0, 0x1000);
        wr(QSEL, TXQ);
        check("used-ring-outside-ram", (s & S_NEEDS_RESET) && rd(QREADY) == 0 && (rd(ISR) & 2), s);
        wr(STATUS, 0);
    }

    /* and the device works again after a reset */
    check("setup-after-bad", setup(0) == 0xF, rd(STATUS));
    put(&desc[0], (uint32_t)alive, sizeof(alive) - 1, 0, 0);
    submit(0);
    check("tx-after-bad", used.idx == 1 && rd(STATUS) == 0xF, used.idx);
    wr(STATUS, 0);
}

static void yield(void)
{
    __asm__ volatile(".inst %c0" : : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(HC_YIELD))) : "r0", "memory");
}

/* Console input (the run feeds "virtio q" on the host console, focus on this
 * guest) through posted receive buffers, until a 'q'. */
static char rxbuf[NUM][4];
static void test_receive(void)
{
    char got[64];
    unsigned n = 0, seen = 0, irq = 0;

    check("setup-rx", setup(0) == 0xF, rd(STATUS));
    for (uint16_t i = 0; i < NUM; i++) {
        put(&rx_desc[i], (uint32_t)rxbuf[i], sizeof(rxbuf[i]), F_WRITE, 0);
        rx_avail.ring[i] = i;
    }
    rx_avail.idx = NUM;
    wr(QNOTIFY, RXQ);
    while (n == 0 || got[n - 1] != 'q') {
        while (seen == rx_used.idx)
            yield();
        irq |= rd(ISR) & 1;
        wr(IACK, 1);
        for (; seen != rx_used.idx; seen++) {
            uint16_t id = (uint16_t)rx_used.ring[seen % NUM].id;
            uint32_t len = rx_used.ring[seen % NUM].len;
            for (uint32_t k = 0; k < len && k < sizeof(rxbuf[0]) && n < sizeof(got) - 1; k++)
                got[n++] = rxbuf[id % NUM][k];
            rx_avail.ring[rx_avail.idx % NUM] = id;      /* post it again */
            rx_avail.idx = (uint16_t)(rx_avail.idx + 1);
        }
        wr(QNOTIFY, RXQ);
    }
    got[n] = 0;
    check("rx-interrupt", irq, irq);
    check("rx-not-broken", rd(STATUS) == 0xF, rd(STATUS));
    puts_("virtio-console: received \"");
    puts_(got);
    puts_("\" through the receive queue\n");
    wr(STATUS, 0);
}

int main(void);
int main(void)
{
    puts_("virtio: the monitor's virtio-mmio console at ");
    puthex(VIO);
    putc_('\n');
    test_good();
    test_bad();
    test_receive();
    puts_("RESULT virtio: ");
    putdec(checks);
    puts_(" checks, ");
    putdec(failures);
    puts_(" failed\n");
    return (int)failures;
}
