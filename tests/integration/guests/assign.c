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
 *   and stores, DFSR 0x008 (+WnR), DFAR = the address.
 *
 * Prints ok/FAIL lines and "RESULT assign: N checks, M failed"; exits with
 * the failure count.  Build: -DPV -DUART=<base> -DRAM_BASE=<base> [-DOWNER].
 */
#include "bare.h"

#define R32(a) (*(volatile uint32_t *)(a))
#define SLOT(i)     (0x0a000000u + (i) * 0x200u)
#define RNG         SLOT(31)
#define WNR         0x800u

static void putc_(char c) { R32(UART) = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}
static unsigned checks, failed;
static void check(const char *name, int ok, uint32_t detail)
{
    checks++;
    if (!ok)
        failed++;
    puts_(ok ? "ok   " : "FAIL ");
    puts_(name);
    puts_(" (");
    puthex(detail);
    puts_(")\n");
}

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
        puts_(fault_n == n0 ? "     no abort, read " : "     DFSR/DFAR ");
        puthex(fault_n == n0 ? v : fault_fsr);
        putc_(' ');
        puthex(fault_far);
        putc_('\n');
    }
    check(name, ok, va);
}

#ifdef OWNER
static uint32_t l1[4096] __attribute__((aligned(16384)));

static void mmu_on(void)
{
    for (uint32_t mb = 0; mb < 4096; mb++)
        l1[mb] = 0;
    /* its RAM and the UART page's MiB, flat; sections AP=11, domain 0 */
    for (uint32_t mb = RAM_BASE >> 20; mb < (RAM_BASE >> 20) + 2; mb++)
        l1[mb] = (mb << 20) | (3u << 10) | (1u << 3) | (1u << 2) | 2u;     /* Normal WB */
    l1[UART >> 20] = (UART & 0xFFF00000u) | (3u << 10) | (1u << 2) | 2u;    /* Device */
    /* the virtio-mmio MiB at another VA, as Device memory */
    l1[0x200] = 0x0a000000u | (3u << 10) | (1u << 2) | 2u;
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" : : "r"(0));               /* TTBCR */
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"((uint32_t)l1));    /* TTBR0 */
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(1));               /* DACR: D0 client */
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" : : "r"(0));               /* TLBIALL */
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" : : "r"(sctlr | 1u) : "memory");
    __asm__ volatile("isb");
}
#endif

int main(void);
int main(void)
{
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" : : "r"(vectors));        /* VBAR */
#ifdef OWNER
    puts_("assign: the owner of the virtio-mmio page 0x0a003000\n");
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
    mmu_on();
    check("mmu-on-magic-at-other-va", probe_ldr(0x20003e00u) == 0x74726976u &&
          probe_ldr(0x20003e08u) == 4, probe_ldr(0x20003e08u));
    must_abort("mmu-on-page-below", 0x20002e00u, 0);
#else
    puts_("assign: a neighbour without the assignment\n");
    must_abort("other-load-magic", RNG, 0);
    must_abort("other-load-device-id", RNG + 8, 0);
    must_abort("other-store-status", RNG + 0x070, 1);
    must_abort("other-load-empty-slot", SLOT(24), 0);
#endif
    puts_("RESULT assign: ");
    putc_((char)('0' + checks / 10));
    putc_((char)('0' + checks % 10));
    puts_(" checks, ");
    putc_((char)('0' + failed % 10));
    puts_(" failed\n");
    return (int)failed;
}
