/*
 * In-guest check of user-space faults under the monitor: every fault a
 * Linux process takes must reach the guest kernel exactly as on hardware.
 *   - SIGSEGV from a load through a bad pointer: si_code SEGV_MAPERR and
 *     si_addr = the faulting address (the DFAR the guest kernel saw).
 *   - SIGSEGV (SEGV_ACCERR) from a store to a read-only page.
 *   - SIGILL from UDF, and from a CP15 access that is privileged (MRC TTBR0):
 *     in virtual User mode the monitor must reflect the Undefined Instruction
 *     exception to the guest kernel, not emulate it as a guest-kernel access.
 *   - SIGILL from an undefined instruction in Thumb state.
 *   - SIGBUS-free unaligned word access (SCTLR.A = 0 for Linux user space).
 *   - a signal handler that returns (sigreturn restores every register).
 * Prints one line per check and "sigtest: N checks, F failed"; exit status F.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile siginfo_t got;
static volatile int got_sig;
static int checks, failed;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got = *si;
    siglongjmp(env, 1);
}

static void check(int ok, const char *what, const char *fmt, unsigned long a, unsigned long b)
{
    checks++;
    if (ok) {
        printf("sigtest: ok   %s\n", what);
        return;
    }
    failed++;
    printf("sigtest: FAIL %s: ", what);
    printf(fmt, a, b);
    printf("\n");
}

/* Run fn; return the signal it raised (0 if none), siginfo in `got`. */
static int trap(void (*fn)(void *), void *arg)
{
    got_sig = 0;
    if (sigsetjmp(env, 1) == 0)
        fn(arg);
    return got_sig;
}

static void load(void *p) { (void)*(volatile uint32_t *)p; }
static void store(void *p) { *(volatile uint32_t *)p = 1; }
static void udf(void *p) { (void)p; __asm__ volatile(".inst 0xe7f000f0"); /* UDF #0 (A8.8.247) */ }
static void mrc_ttbr0(void *p)
{
    uint32_t v;
    (void)p;
    __asm__ volatile("mrc p15, 0, %0, c2, c0, 0" : "=r"(v));   /* PL1 only (B4.1.154) */
}
static void mcr_sctlr(void *p)
{
    (void)p;
    __asm__ volatile("mov r0, #0\n\tmcr p15, 0, r0, c1, c0, 0" ::: "r0");
}
static void cps_fiq(void *p)
{
    (void)p;
    /* CPS in User mode is a NOP (B9.3.1 / A8.8.38): no signal, mode unchanged. */
    __asm__ volatile("cpsid if, #0x11");
}

__attribute__((target("thumb"))) static void thumb_udf(void *p)
{
    (void)p;
    __asm__ volatile(".inst.n 0xde00");   /* T1 UDF #0 */
}

int main(void)
{
    struct sigaction sa;
    char *ro;
    uint32_t cpsr;
    int s;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);

    s = trap(load, (void *)0x1230);
    check(s == SIGSEGV && got.si_code == SEGV_MAPERR && got.si_addr == (void *)0x1230,
          "load from unmapped 0x1230 -> SIGSEGV/SEGV_MAPERR at 0x1230",
          "signal %lu si_addr 0x%lx", (unsigned long)s, (unsigned long)got.si_addr);

    /* Kernel address from user space: permission fault on a kernel page. */
    s = trap(load, (void *)0xC0008000);
    check(s == SIGSEGV && got.si_addr == (void *)0xC0008000,
          "load from kernel 0xC0008000 -> SIGSEGV at 0xC0008000",
          "signal %lu si_addr 0x%lx", (unsigned long)s, (unsigned long)got.si_addr);

    /* The monitor's window: to the guest it must look like nothing is there. */
    s = trap(load, (void *)0xBFFFF000);
    check(s == SIGSEGV && got.si_addr == (void *)0xBFFFF000,
          "load from 0xBFFFF000 (monitor window) -> SIGSEGV at 0xBFFFF000",
          "signal %lu si_addr 0x%lx", (unsigned long)s, (unsigned long)got.si_addr);

    ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    s = trap(store, ro + 8);
    check(s == SIGSEGV && got.si_code == SEGV_ACCERR && got.si_addr == ro + 8,
          "store to read-only page -> SIGSEGV/SEGV_ACCERR",
          "signal %lu si_addr 0x%lx", (unsigned long)s, (unsigned long)got.si_addr);

    s = trap(udf, NULL);
    check(s == SIGILL && got.si_code == ILL_ILLOPC, "UDF -> SIGILL/ILL_ILLOPC",
          "signal %lu si_code %lu", (unsigned long)s, (unsigned long)got.si_code);
    s = trap(mrc_ttbr0, NULL);
    check(s == SIGILL, "MRC TTBR0 in user space -> SIGILL", "signal %lu%lu", (unsigned long)s, 0);
    s = trap(mcr_sctlr, NULL);
    check(s == SIGILL, "MCR SCTLR in user space -> SIGILL", "signal %lu%lu", (unsigned long)s, 0);
    s = trap(thumb_udf, NULL);
    check(s == SIGILL, "Thumb UDF -> SIGILL", "signal %lu%lu", (unsigned long)s, 0);

    s = trap(cps_fiq, NULL);
    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    check(s == 0 && (cpsr & 0x1f) == 0x10, "CPS in user space is a NOP (still User mode)",
          "signal %lu cpsr 0x%lx", (unsigned long)s, (unsigned long)cpsr);

    {
        static uint8_t buf[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        volatile uint32_t *u = (volatile uint32_t *)(buf + 1);
        uint32_t v = *u;
        check(v == 0x05040302, "unaligned LDR works (SCTLR.A = 0)", "value 0x%lx%lu",
              (unsigned long)v, 0);
    }

    printf("sigtest: %d checks, %d failed\n", checks, failed);
    return failed;
}
