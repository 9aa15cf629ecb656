/*
 * Device assignment test guest (PV, qemu-virt).  Two roles from one source:
 *
 * -DOWNER: the VM file gives it assign=0x0a003000:0x1000:dma-trusted, the
 *   page of QEMU's virtio-mmio slots 24-31; QEMU runs with
 *   -device virtio-rng-device, which lands in slot 31 (0x0a003e00).  With
 *   its MMU off it reads the device's ID registers (MagicValue, Version,
 *   DeviceID 4 = entropy source, VendorID), an empty slot of the same page,
 *   writes the device's Status and reads it back; the pages just below and
 *   above the assignment give the external abort of an address with nothing
 *   behind it (DFSR 0x008, DFAR = the address): exactly the assigned range
 *   is mapped.  Then with its MMU on, through its own page tables: the
 *   device seen at another VA (0x20000000 -> 0x0a000000, a Device section),
 *   the assigned page readable there, the page below still aborting with
 *   DFAR = that VA.
 * Otherwise (the neighbour): the same device registers abort for it, loads
 *   and stores, DFSR 0x008 (+WnR), DFAR = the address, also through its own
 *   tables mapping them at another VA.
 *
 * With -DIRQ=<ID> (VM file: assign=...:ID, the owner at=<its RAM IPA>) the
 *   owner also drives the device: a virtio-rng request whose interrupt it
 *   receives in its own vGIC, with level semantics (rng_irq below); the
 *   neighbour, with the same ID enabled in its vGIC, never sees it.
 * With -DPL031=<base> (both boards: qemu-virt 0x09010000 ID 34,
 *   vexpress-a9 0x10017000 ID 36) the device is the board's PL031 RTC
 *   instead, no DMA: its PrimeCell IDs, the alarm's raw and masked status,
 *   and with -DIRQ its interrupt, level (pending again until RTCICR).
 * Prints ok/FAIL lines and "RESULT assign: N checks, M failed"; exits with
 * the failure count.  Build: -DPV -DUART=<base> -DRAM_BASE=<base> [-DOWNER]
 * [-DIRQ=<ID> -DGICD=<base> -DGICC=<base>].
 */
#ifndef VIO
#define VIO 0x0a000000u             /* QEMU's virtio-mmio slot 0 */
#endif
#include "vdrv.h"

#define SLOT(i)     (VIO + (i) * 0x200u)
#define RNG         SLOT(31)
#define WNR         0x800u
#ifdef PL031
#define DEV         PL031           /* the assigned device's registers */
#else
#define DEV         RNG
#endif
/* PL031 registers (ARM DDI 0224, 3.2) */
#define RTCDR       0x00
#define RTCMR       0x04
#define RTCIMSC     0x10
#define RTCRIS      0x14
#define RTCMIS      0x18
#define RTCICR      0x1C

/* Probes: a load or store that may abort.  The abort handler (below) records
 * DFSR and DFAR, sets the flag and resumes after the access; it only touches
 * r1-r3 and r12, which a call may clobber anyway. */
volatile uint32_t fault_fsr, fault_far, fault_n;
uint32_t probe_ldr(uint32_t va);
void probe_str(uint32_t va, uint32_t val);
/* (in a function only for the "i" operand: the PV encoding of the return) */
void vectors_holder(void);
void vectors_holder(void)
{
  __asm__ volatile(".pushsection .text.vectors, \"ax\"\n"
        ".arm\n"
        ".global probe_ldr\n"
        "probe_ldr:\n"
        "  ldr r0, [r0]\n"
        "  bx lr\n"
        ".global probe_str\n"
        "probe_str:\n"
        "  str r1, [r0]\n"
        "  bx lr\n"
        ".align 5\n"
        "vectors:\n"
        "  b .\n  b .\n  b .\n  b .\n"
        "  b dabt\n"
        "  b .\n  b .\n  b .\n"
        "dabt:\n"
        "  mrc p15, 0, r2, c5, c0, 0\n"         /* DFSR (emulated) */
        "  mrc p15, 0, r3, c6, c0, 0\n"         /* DFAR */
        "  ldr r12, =fault_fsr\n"
        "  str r2, [r12]\n"
        "  ldr r12, =fault_far\n"
        "  str r3, [r12]\n"
        "  ldr r12, =fault_n\n"
        "  ldr r2, [r12]\n"
        "  add r2, r2, #1\n"
        "  str r2, [r12]\n"
        "  .inst %c0\n"                         /* subs pc, lr, #4: after the access */
        ".ltorg\n"
        ".popsection\n"
        : : "i"(PV_ENCODE(PV_COND_AL, PV_DP_PC(0x2, 1, 14, 4))));
}
extern char vectors[];

/* The access at va must abort with DFSR (status + WnR) 0x008 and DFAR = va. */
static void must_abort(const char *name, uint32_t va, int write)
{
    uint32_t n0 = fault_n, v = 0;

    if (write)
        probe_str(va, 0);
    else
        v = probe_ldr(va);
    uint32_t want = 0x008u | (write ? WNR : 0);
    int ok = fault_n == n0 + 1 && (fault_fsr & 0xC0Fu) == want && fault_far == va;
    if (!ok) {
        vputs(fault_n == n0 ? "     no abort, read " : "     DFSR/DFAR ");
        vputhex(fault_n == n0 ? v : fault_fsr);
        vputc(' ');
        vputhex(fault_far);
        vputc('\n');
    }
    check(name, ok, va);
}

#ifdef IRQ
/* The guest's own (virtual) GIC: distributor and CPU interface registers
 * (ARM IHI 0048B 4.3, 4.4). */
#define GICD_CTLR       (GICD + 0x000)
#define GICD_ISENABLER  (GICD + 0x100)
#define GICD_ISPENDR    (GICD + 0x200)
#define GICD_IPRIORITYR (GICD + 0x400)
#define GICC_CTLR       (GICC + 0x000)
#define GICC_PMR        (GICC + 0x004)
#define GICC_IAR        (GICC + 0x00C)
#define GICC_EOIR       (GICC + 0x010)

static void gic_enable(unsigned id)
{
    R32(GICD_CTLR) = 1;
    R32(GICD_IPRIORITYR + (id & ~3u)) = 0xA0A0A0A0u;
    R32(GICD_ISENABLER + (id / 32) * 4) = 1u << (id % 32);
    R32(GICC_PMR) = 0xF0;
    R32(GICC_CTLR) = 1;
}

/* Poll the CPU interface (the vCPU's IRQs stay masked) up to n times:
 * the first interrupt ID it hands out, or 1023. */
static uint32_t poll_iar(unsigned n)
{
    uint32_t iar = 1023;

    for (unsigned k = 0; k < n && (iar = R32(GICC_IAR) & 0x3FF) == 1023; k++)
        ;
    return iar;
}
#endif

#if defined(OWNER) && defined(PL031)
/* The RTC's alarm: a match of RTCMR with the counter raises the raw
 * interrupt (RTCRIS) until RTCICR clears it; RTCIMSC passes it to the
 * interrupt line.  Writing RTCMR = RTCDR matches at once (QEMU, as the
 * hardware at the next count); retried if the second turned meanwhile. */
static int rtc_match_now(void)
{
    for (unsigned k = 0; k < 4; k++) {
        probe_str(PL031 + RTCMR, probe_ldr(PL031 + RTCDR));
        if (probe_ldr(PL031 + RTCRIS) & 1)
            return 1;
    }
    return 0;
}

static void owner_pl031(void)
{
    uint32_t pid = 0, cid = 0, iar;

    vputs("assign: the owner of the PL031 RTC at ");
    vputhex(PL031);
    vputc('\n');
    for (unsigned k = 0; k < 4; k++) {
        pid |= (probe_ldr(PL031 + 0xFE0 + 4 * k) & 0xFF) << (8 * k);
        cid |= (probe_ldr(PL031 + 0xFF0 + 4 * k) & 0xFF) << (8 * k);
    }
    check("primecell-id", cid == 0xB105F00Du, cid);
    check("pl031-periph-id", (pid & 0x000FFFFFu) == 0x00041031u, pid);
    check("counter-running", probe_ldr(PL031 + RTCDR) != 0, probe_ldr(PL031 + RTCDR));
    probe_str(PL031 + RTCIMSC, 0);
    probe_str(PL031 + RTCICR, 1);
    check("raw-interrupt-on-match", rtc_match_now(), probe_ldr(PL031 + RTCRIS));
    check("masked-while-imsc-0", (probe_ldr(PL031 + RTCMIS) & 1) == 0, probe_ldr(PL031 + RTCMIS));
    check("no-abort-inside", fault_n == 0, fault_n);
    must_abort("page-below-load", (PL031 & ~0xFFFu) - 4, 0);
    must_abort("page-above-store", (PL031 & ~0xFFFu) + 0x1000, 1);
#ifdef IRQ
    /* its interrupt, level: the line follows RTCMIS */
    gic_enable(IRQ);
    probe_str(PL031 + RTCIMSC, 1);
    iar = poll_iar(100000);
    check("irq-routed-to-owner", iar == IRQ, iar);
    R32(GICC_EOIR) = iar;           /* still asserted: pending again */
    iar = poll_iar(100000);
    check("level-pending-again-after-eoi", iar == IRQ, iar);
    probe_str(PL031 + RTCICR, 1);
    R32(GICC_EOIR) = iar;
    iar = poll_iar(2000);
    check("quiet-after-device-ack-and-eoi", iar == 1023, iar);
    check("second-match", rtc_match_now(), probe_ldr(PL031 + RTCRIS));
    iar = poll_iar(100000);
    check("irq-second-match", iar == IRQ, iar);
    probe_str(PL031 + RTCICR, 1);
    R32(GICC_EOIR) = iar;
    iar = poll_iar(2000);
    check("quiet-again", iar == 1023, iar);
    probe_str(PL031 + RTCIMSC, 0);
#endif
}
#endif

#if defined(OWNER) && defined(IRQ) && !defined(PL031)
/* The device really works as the guest's own: a virtio-rng request (modern
 * transport: QEMU runs with virtio-mmio.force-legacy=false), its buffers in
 * the guest's RAM, which the VM file places at its own IPA (at=), since the
 * device masters DMA with physical addresses.  Its interrupt, ID IRQ, is
 * the guest's: pending in its vGIC, level-triggered: EOIed while the device
 * still asserts it, it comes back; after the device's InterruptACK and an
 * EOI it stays quiet. */
static struct vq rq[1];
static volatile uint8_t entropy[64];

static void rng_irq(void)
{
    uint16_t head = 0xFFFF;
    uint32_t len = 0, iar, isr;

    gic_enable(IRQ);
    check("rng-setup", vsetup(31, rq, 1) == 0xF, vrd(V_STATUS));
    for (unsigned round = 0; round < 2; round++) {
        vzero(entropy, sizeof(entropy));
        vput(rq, 0, entropy, sizeof(entropy), VD_WRITE, 0);
        vavail(rq, 0);
        vnotify(0);
        iar = poll_iar(100000);
        check(round ? "irq-second-request" : "irq-routed-to-owner", iar == IRQ, iar);
        check("rng-used-buffer", vused(rq, &head, &len) && head == 0 && len > 0 && len <= sizeof(entropy),
              len);
        isr = vrd(V_ISR);
        check("device-interrupt-status", isr & 1, isr);
        if (!round) {
            R32(GICC_EOIR) = iar;   /* the device still asserts it: level, pending again */
            iar = poll_iar(100000);
            check("level-pending-again-after-eoi", iar == IRQ, iar);
        }
        vwr(V_IACK, isr);
        R32(GICC_EOIR) = iar;
        iar = poll_iar(2000);
        check("quiet-after-device-ack-and-eoi", iar == 1023, iar);
    }
    vwr(V_STATUS, 0);               /* leave it reset */
}
#endif

static uint32_t l1[4096] __attribute__((aligned(16384)));

static void mmu_on(void)
{
    for (uint32_t mb = 0; mb < 4096; mb++)
        l1[mb] = 0;
    /* its RAM and the UART page's MiB, flat; sections AP=11, domain 0 */
    for (uint32_t mb = RAM_BASE >> 20; mb < (RAM_BASE >> 20) + 2; mb++)
        l1[mb] = (mb << 20) | (3u << 10) | (1u << 3) | (1u << 2) | 2u;     /* Normal WB */
    l1[UART >> 20] = (UART & 0xFFF00000u) | (3u << 10) | (1u << 2) | 2u;    /* Device */
    /* the device's MiB at another VA, as Device memory */
    l1[0x200] = (DEV & 0xFFF00000u) | (3u << 10) | (1u << 2) | 2u;
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(0));               /* TTBCR */
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"((uint32_t)l1));    /* TTBR0 */
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(1));               /* DACR: D0 client */
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" : : "r"(0));               /* TLBIALL */
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" : : "r"(sctlr | 1u) : "memory");
    __asm__ volatile("isb");
}

int main(void);
int main(void)
{
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" : : "r"(vectors));        /* VBAR */
#if defined(OWNER) && defined(PL031)
    owner_pl031();
    mmu_on();
    {
        uint32_t alias = 0x20000000u + (PL031 & 0xFFFFFu);
        check("mmu-on-cell-id-at-other-va", (probe_ldr(alias + 0xFFC) & 0xFF) == 0xB1, probe_ldr(alias + 0xFFC));
        must_abort("mmu-on-page-below", (alias & ~0xFFFu) - 0x1000, 0);
    }
#elif defined(OWNER)
    vputs("assign: the owner of the virtio-mmio page 0x0a003000\n");
    uint32_t magic = probe_ldr(RNG + 0x000), ver = probe_ldr(RNG + 0x004);
    uint32_t id = probe_ldr(RNG + 0x008), vendor = probe_ldr(RNG + 0x00C);
    check("magic", magic == 0x74726976u, magic);
    check("version", ver == 1 || ver == 2, ver);
    check("device-id-entropy", id == 4, id);
    check("vendor-qemu", vendor == 0x554D4551u, vendor);
    check("empty-slot-same-page", probe_ldr(SLOT(24)) == 0x74726976u && probe_ldr(SLOT(24) + 8) == 0,
          probe_ldr(SLOT(24) + 8));
    probe_str(RNG + 0x070, 1);                                 /* Status: ACKNOWLEDGE */
    uint32_t st = probe_ldr(RNG + 0x070);
    probe_str(RNG + 0x070, 0);                                 /* reset */
    check("status-write-reaches-device", st == 1 && probe_ldr(RNG + 0x070) == 0, st);
    check("no-abort-inside", fault_n == 0, fault_n);
    must_abort("page-below-load", SLOT(23), 0);
    must_abort("page-below-store", SLOT(23) + 0x70, 1);
    must_abort("page-above-load", 0x0a004000u, 0);
    must_abort("monitor-virtio-slot-page", SLOT(0), 0);
#ifdef IRQ
    rng_irq();
#endif
    mmu_on();
    check("mmu-on-magic-at-other-va", probe_ldr(0x20003e00u) == 0x74726976u &&
          probe_ldr(0x20003e08u) == 4, probe_ldr(0x20003e08u));
    must_abort("mmu-on-page-below", 0x20002e00u, 0);
#else
    vputs("assign: a neighbour without the assignment\n");
#ifdef PL031
    must_abort("other-load-rtc-counter", PL031 + RTCDR, 0);
    must_abort("other-load-cell-id", PL031 + 0xFFC, 0);
    must_abort("other-store-imsc", PL031 + RTCIMSC, 1);
#else
    must_abort("other-load-magic", RNG, 0);
    must_abort("other-load-device-id", RNG + 8, 0);
    must_abort("other-store-status", RNG + 0x070, 1);
    must_abort("other-load-empty-slot", SLOT(24), 0);
#endif
#ifdef IRQ
    /* The owner's interrupt is not this guest's: enabled in its vGIC, it
     * never becomes pending here, however long the owner uses its device. */
    gic_enable(IRQ);
    uint32_t seen = 0;
    for (unsigned k = 0; k < 200; k++) {
        seen |= R32(GICD_ISPENDR + (IRQ / 32) * 4) & (1u << (IRQ % 32));
        seen |= poll_iar(1) == IRQ;
        vyield();
    }
    check("other-never-gets-the-owners-interrupt", !seen, seen);
#endif
    /* its own tables mapping the device's MiB (as the owner's do) change
     * nothing: the access walks fine and aborts on the bus, DFAR = the VA */
    mmu_on();
    must_abort("other-mmu-on-device-at-other-va", 0x20000000u + (DEV & 0xFFFFFu), 0);
#endif
    vputs("RESULT assign: ");
    vputdec(checks);
    vputs(" checks, ");
    vputdec(failures);
    vputs(" failed\n");
    return (int)failures;
}
