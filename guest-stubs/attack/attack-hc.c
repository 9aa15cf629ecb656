/*
 * attack-hc.c - hypercall abuse, PV only (run beside victim.c by
 * tests/integration/run-all.sh "attacks"; docs/security.md).
 *
 *   hc-numbers     every hypercall number the HVC encoding can carry that
 *                  has no hypercall assigned (HC_COUNT..255): -ENOSYS, guest continues;
 *                  the monitor reports the first 8 and then says it stops
 *                  reporting (run-all.sh counts the lines)
 *   hc-valid       the implemented ones still answer (ABI version, id)
 *   hc-write-len   HC_WRITE longer than HC_WRITE_MAX (4097, 2^31, ~0): -EINVAL
 *   hc-write-zero  length 0 with a pointer outside its RAM: 0, nothing read
 *   hc-write-ptr-N buffers outside its RAM: past its end, straddling its
 *                  end, wrapping past 4 GiB, the monitor window, the SRFA
 *                  page, its emulated UART and GIC, another guest's RAM:
 *                  -EFAULT each, nothing printed (the test script checks
 *                  that every line of this guest is a check line)
 *   hc-exit-status HC_EXIT with status 256 and ~0: -EINVAL, guest continues
 *   hc-from-user   the HC_EXIT encoding executed in virtual User mode is the
 *                  guest's own system call (reflected to its SVC vector),
 *                  not a hypercall: the guest does not exit
 *   hc-remap-N     (MMU on) HC_WRITE through a VA whose page is remapped
 *                  between calls without TLB maintenance: to its own RAM
 *                  (printed), outside its RAM, unmapped, onto the monitor
 *                  window's IPA: -EFAULT for the three bad ones
 *   hc-storm       50000 hypercalls back to back: every one answers
 */
#include <stdio.h>
#include <string.h>
#include "attack.h"

#ifndef PV
#error "attack-hc is a PV-only guest"
#endif

#define OFF_L1   0x600000u
#define OFF_L2   0x604000u
#define OFF_PAGE 0x700000u
#define VA_REMAP 0x30000000u

/* ---- numbers ------------------------------------------------------------ */
static void numbers(void)
{
    unsigned bad = 0, first = 0;
    long first_r = 0;

    for (unsigned nr = HC_COUNT; nr < 256; nr++) {
        long r = raw_hvc(nr, 0x11111111u, 0x22222222u);
        if (r != PV_ENOSYS && !bad++) {
            first = nr;
            first_r = r;
        }
    }
    if (bad)
        check("hc-numbers", 0, "%u of %u unassigned numbers did not return -ENOSYS; first "
              "nr %u returned %ld", bad, 256 - HC_COUNT, first, first_r);
    else
        check("hc-numbers", 1, "hypercalls %u..255: all -ENOSYS (-38)", HC_COUNT);
    long v = raw_hvc(HC_ABI_VERSION, 0, 0), id = raw_hvc(HC_GUEST_ID, 0, 0);
    check("hc-valid", v == PV_ABI_VERSION && id == hc_guest_id(),
          "HC_ABI_VERSION=%ld HC_GUEST_ID=%ld after them", v, id);
}

/* ---- HC_WRITE ----------------------------------------------------------- */
static void write_len(void)
{
    static const char msg[8] = "xxxxxxx";
    static const uint32_t lens[] = { HC_WRITE_MAX + 1, 0x80000000u, 0xFFFFFFFFu };
    int ok = 1;
    char txt[80] = "";

    for (unsigned i = 0; i < 3; i++) {
        long r = raw_hvc(HC_WRITE, (uint32_t)msg, lens[i]);
        if (r != PV_EINVAL && ok) {
            ok = 0;
            snprintf(txt, sizeof txt, ": length 0x%lx returned %ld", (unsigned long)lens[i], r);
        }
    }
    check("hc-write-len", ok, "lengths 4097, 2^31, ~0: -EINVAL (-22)%s", txt);
    long r = raw_hvc(HC_WRITE, RB + RAM_SIZE + 0x1000, 0);
    check("hc-write-zero", r == 0, "length 0 from IPA 0x%08lx (outside its RAM): %ld, expected 0",
          (unsigned long)(RB + RAM_SIZE + 0x1000), r);
}

static void write_ptr(void)
{
    const struct { uint32_t va, len; const char *what; } b[] = {
        { RB + RAM_SIZE, 16, "just past its RAM (another guest's host RAM)" },
        { RB + RAM_SIZE - 8, 16, "straddling the end of its RAM" },
        { 0xFFFFFFF0u, 0x20, "wrapping past 4 GiB" },
        { WINDOW_VA, 64, "the monitor window" },
        { WINDOW_VA + 0x100000u, 64, "the monitor window + 1 MiB" },
        { PV_SRFA_VA, 16, "its SRFA page (kernel-visible, not RAM)" },
        { (uint32_t)UART_BASE, 4, "its emulated UART" },
        { (uint32_t)GICD_BASE, 4, "its emulated GIC distributor" },
        { RB + 0x0FF00000u, 16, "the top of the host's RAM" },
        { RB >= 0x01000000u ? RB - 0x00800000u : 0x40000000u, 16, "below its RAM / unmapped IPA" },
    };
    for (unsigned i = 0; i < sizeof b / sizeof b[0]; i++) {
        char nm[24];
        snprintf(nm, sizeof nm, "hc-write-ptr-%u", i);
        long r = raw_hvc(HC_WRITE, b[i].va, b[i].len);
        check(nm, r == PV_EFAULT, "HC_WRITE(0x%08lx, %lu), %s: %ld%s", (unsigned long)b[i].va,
              (unsigned long)b[i].len, b[i].what, r, r == PV_EFAULT ? " (-EFAULT)" : ", expected -14");
    }
}

static void exit_status(void)
{
    long r1 = raw_hvc(HC_EXIT, 256, 0), r2 = raw_hvc(HC_EXIT, 0xFFFFFFFFu, 0);
    check("hc-exit-status", r1 == PV_EINVAL && r2 == PV_EINVAL,
          "HC_EXIT(256) = %ld, HC_EXIT(~0) = %ld (expected -22 each), still running", r1, r2);
}

/* ---- from virtual User mode: the guest's own system call ------------------ */
static volatile unsigned user_svcs;
static volatile uint32_t user_svc_spsr;

static int svc_hook(struct exc_frame *f)
{
    uint32_t insn = *(volatile uint32_t *)(f->pc - 4);
    if ((insn & 0xFFFFFF) != (uint32_t)PV_HVC(HC_EXIT))
        return 0;
    user_svcs++;
    user_svc_spsr = f->spsr;
    return 1;                                   /* resume after the SVC */
}

USER_CODE static uint32_t user_hvc_exit(uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = arg;
    __asm__ volatile("svc %c1" : "+r"(r0) : "i"(PV_HVC(HC_EXIT)) : "memory");
    return r0 + 1;
}

static void from_user(void)
{
    exc_hook_t old = exc_set_hook(VEC_SVC, svc_hook);
    uint32_t r = run_user(user_hvc_exit, 7, MODE_USR);
    exc_set_hook(VEC_SVC, old);
    check("hc-from-user", user_svcs == 1 && (user_svc_spsr & MODE_MASK) == MODE_USR && r == 8,
          "SVC #PV_HVC(HC_EXIT) in virtual User mode: %u system call(s) at the guest's SVC "
          "vector, SPSR mode 0x%02lx, returned %lu (expected 1, 0x10, 8)", user_svcs,
          (unsigned long)(user_svc_spsr & MODE_MASK), (unsigned long)r);
}

/* ---- remapping between calls (MMU on) --------------------------------------- */
static uint32_t *const l1 = (uint32_t *)(RB + OFF_L1);
static uint32_t *const l2 = (uint32_t *)(RB + OFF_L2);

static void clean(const volatile void *p) { __asm__ volatile("mcr p15, 0, %0, c7, c10, 1" :: "r"(p) : "memory"); }

static void mmu(int on)
{
    if (on) {
        for (uint32_t mb = 0; mb < 4096; mb++)      /* own RAM only, VA = IPA, AP=011 */
            l1[mb] = mb - (RB >> 20) < (RAM_SIZE >> 20) ? (mb << 20) | (1u << 12) | (3u << 10) | 0xE
                                                        : 0;
        l1[VA_REMAP >> 20] = (RB + OFF_L2) | 1;
        for (unsigned e = 0; e < 256; e++)
            l2[e] = 0;
        for (uint32_t p = RB + OFF_L1; p < RB + OFF_L2 + 0x400; p += 32)
            clean((void *)p);
        dsb();
        CP15_WRITE(0, c2, c0, 2, 0);
        CP15_WRITE(0, c2, c0, 0, RB + OFF_L1);
        CP15_WRITE(0, c3, c0, 0, 0x55555555u);
        __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory");   /* TLBIALL */
        dsb();
        isb();
    }
    uint32_t s = CP15_READ(0, c1, c0, 0);
    CP15_WRITE(0, c1, c0, 0, on ? s | 1u : s & ~1u);
    isb();
}

static void remap(void)
{
    static const struct { uint32_t ipa; const char *what; } to[] = {
        { 0, "its own RAM" },
        { RB + RAM_SIZE, "outside its RAM (no TLB maintenance since the last call)" },
        { 1, "nothing (unmapped)" },
        { WINDOW_VA, "the monitor window's IPA" },
    };
    char *page = (char *)(RB + OFF_PAGE);

    memcpy(page, "remap-A\n", 8);
    clean(page);
    mmu(1);
    for (unsigned i = 0; i < 4; i++) {
        char nm[16];
        uint32_t ipa = i == 0 ? RB + OFF_PAGE : to[i].ipa;
        l2[0] = ipa == 1 ? 0 : (ipa & ~0xFFFu) | (1u << 4) | (1u << 5) | 2;  /* AP=011, small */
        clean(&l2[0]);
        dsb();
        if (i == 0) {
            __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" :: "r"(VA_REMAP) : "memory");
            dsb();
            isb();
        }
        long r = raw_hvc(HC_WRITE, VA_REMAP, 8);
        long want = i == 0 ? 8 : PV_EFAULT;
        snprintf(nm, sizeof nm, "hc-remap-%u", i);
        check(nm, r == want, "HC_WRITE through VA 0x%08lx mapped to %s: %ld, expected %ld",
              (unsigned long)VA_REMAP, to[i].what, r, want);
    }
    mmu(0);
}

static void storm(void)
{
    long id = hc_guest_id();
    unsigned bad = 0;
    for (unsigned i = 0; i < 50000; i++)
        if (raw_hvc(HC_GUEST_ID, i, i) != id)
            bad++;
    check("hc-storm", bad == 0, "50000 HC_GUEST_ID hypercalls back to back: %u wrong answers", bad);
}

int main(void)
{
    gprintf("attack-hc: hypercalls with bad numbers, lengths and pointers\n");
    numbers();
    write_len();
    write_ptr();
    exit_status();
    from_user();
    remap();
    storm();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    return test_result("attack-hc");
}
