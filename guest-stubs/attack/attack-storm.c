/*
 * attack-storm.c - exception storms and a recursive fault, PV only (run
 * beside victim.c by tests/integration/run-all.sh "attacks";
 * docs/security.md).  Each storm must be absorbed: every exception
 * delivered to the guest with the architected syndrome, the neighbours
 * still scheduled (the victim interleaves: this guest yields between
 * storms only).
 *
 *   undef-storm   50000 UDF: Undefined Instruction each, LR = insn + 4
 *   dabt-storm    50000 loads from an IPA outside its RAM: external abort,
 *                 DFSR 0x008, DFAR = the address (B3.13.3, B4.1.52)
 *   pabt-storm    5000 branches outside its RAM: prefetch abort, IFSR
 *                 0x008, IFAR = the address (B4.1.96)
 *   svc-storm     50000 guest system calls from virtual User mode, each
 *                 reflected to its own SVC vector
 *   last: its MMU on, VBAR pointing at an unmapped VA, then UDF: the
 *   Undefined vector cannot be fetched (prefetch abort), nor can the
 *   Prefetch Abort vector: the monitor stops the guest ("recursive
 *   prefetch abort") instead of spinning.
 */
#include <stdio.h>
#include "attack.h"

#ifndef PV
#error "attack-storm is a PV-only guest"
#endif

#define N_STORM  50000u
#define OFF_L1   0x600000u
#define VA_NOVEC 0x30000000u

static volatile struct { unsigned und, dab, pab, bad; uint32_t fsr, far; } S;

static int und_hook(struct exc_frame *f)
{
    if (f->pc - 4 != ATT_WORD_VA)
        return 0;
    S.und++;
    return 1;                               /* LR = insn + 4: resume after */
}

static int dabt_hook(struct exc_frame *f)
{
    if (f->pc - 8 != ATT_WORD_VA)
        return 0;
    S.dab++;
    S.fsr = CP15_READ(0, c5, c0, 0);
    S.far = CP15_READ(0, c6, c0, 0);
    if ((S.fsr & 0x40F) != 0x008 || S.far != f->r[0])
        S.bad++;
    f->pc -= 4;
    return 1;
}

static int pabt_hook(struct exc_frame *f)
{
    uint32_t ifsr = CP15_READ(0, c5, c0, 1), ifar = CP15_READ(0, c6, c0, 2);
    if (ifar != f->r[0] || f->pc - 4 != ifar)
        return 0;
    S.pab++;
    if ((ifsr & 0x40F) != 0x008)
        S.bad++;
    S.fsr = ifsr;
    S.far = ifar;
    f->pc = ATT_WORD_VA + 4;                /* the BX LR after the BX r0 */
    return 1;
}

static void storm(const char *nm, uint32_t word, unsigned n, volatile unsigned *count,
                  const char *what)
{
    unsigned c0 = *count, b0 = S.bad;
    att_code[0] = word;
    att_code[1] = INSN_RET;
    code_sync(att_code, 8);
    for (unsigned i = 0; i < n; i++) {
        uint32_t a = RB + RAM_SIZE + ((i * 0x1234u) & 0x7FFFFCu);
        ((att_fn_t)(uintptr_t)att_code)(a, 0, 0, 0);
    }
    check(nm, *count - c0 == n && S.bad == b0, "%u %s: %u delivered, %u with a wrong syndrome "
          "(last FSR 0x%03lx FAR 0x%08lx)", n, what, *count - c0, S.bad - b0,
          (unsigned long)S.fsr, (unsigned long)S.far);
    hc_yield();
}

static volatile unsigned user_svcs;
static int svc_hook(struct exc_frame *f)
{
    if ((f->spsr & MODE_MASK) != MODE_USR || (*(volatile uint32_t *)(f->pc - 4) & 0xFFFFFF) != 0x42)
        return 0;
    user_svcs++;
    return 1;
}

USER_CODE static uint32_t user_svcs_fn(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile("svc #0x42" ::: "memory");
    return n;
}

static void svc_storm(void)
{
    exc_hook_t old = exc_set_hook(VEC_SVC, svc_hook);
    run_user(user_svcs_fn, N_STORM, MODE_USR);
    exc_set_hook(VEC_SVC, old);
    check("svc-storm", user_svcs == N_STORM, "%u system calls from virtual User mode: %u reached "
          "its SVC vector", N_STORM, user_svcs);
    hc_yield();
}

/* its MMU on (own RAM only, VA = IPA), VBAR unmapped, then UDF */
static void recursive(void)
{
    uint32_t *l1 = (uint32_t *)(RB + OFF_L1);
    for (uint32_t mb = 0; mb < 4096; mb++)
        l1[mb] = mb - (RB >> 20) < (RAM_SIZE >> 20) ? (mb << 20) | (1u << 12) | (3u << 10) | 0xE : 0;
    for (uint32_t p = RB + OFF_L1; p < RB + OFF_L1 + 0x4000; p += 32)
        __asm__ volatile("mcr p15, 0, %0, c7, c10, 1" :: "r"(p) : "memory");
    dsb();
    CP15_WRITE(0, c2, c0, 2, 0);
    CP15_WRITE(0, c2, c0, 0, RB + OFF_L1);
    CP15_WRITE(0, c3, c0, 0, 0x55555555u);
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory");
    dsb();
    CP15_WRITE(0, c1, c0, 0, CP15_READ(0, c1, c0, 0) | 1u);
    isb();
    gprintf("attack-storm: MMU on, VBAR = 0x%08lx (unmapped), UDF: the monitor must stop this "
            "guest\n", (unsigned long)VA_NOVEC);
    CP15_WRITE(0, c12, c0, 0, VA_NOVEC);
    run_word(INSN_UDF, 0, 0, 0, 0);
    check("recursive-stop", 0, "still running after a fault with its vectors unmapped");
}

int main(void)
{
    gprintf("attack-storm: exception storms, then a recursive fault\n");
    exc_set_hook(VEC_UND, und_hook);
    exc_set_hook(VEC_DABT, dabt_hook);
    exc_set_hook(VEC_PABT, pabt_hook);
    storm("undef-storm", INSN_UDF, N_STORM, &S.und, "UDF instructions");
    storm("dabt-storm", 0xE5900000u, N_STORM, &S.dab, "loads from IPAs outside its RAM");
    storm("pabt-storm", 0xE12FFF10u, 5000, &S.pab, "branches (BX r0) outside its RAM");
    svc_storm();
    check_eq("no-unexpected", "exceptions", g_unexpected_exceptions, 0);
    test_result("attack-storm");
    recursive();
    return 1;
}
