/*
 * In-guest check of instructions and data accesses that cross a page
 * boundary (issue 15 item 0: ordinary Thumb-2 programs got their guest
 * stopped with "shadow paging made no progress").  Each part of such an
 * access is translated on its own, so the second page faults on its own:
 * in the guest's tables (Linux demand paging, or a protection), or only in
 * the monitor's shadow tables.
 *   - text-thumb32: a Thumb-2 function in this program's text whose 32-bit
 *     ADD.W starts at the last halfword of a page; the next page holds only
 *     the rest of it (nothing touches it before the call).
 *   - file-thumb32: the same code in a tmpfs file mapped twice, one page per
 *     mapping, so that the second page is in neither the guest's tables nor
 *     the shadow at the call (fault-around cannot cross a mapping).
 *   - file-thumb32-again: the same after mprotect() dropped the second page
 *     and gave it back.
 *   - prot-none-thumb32: the second page PROT_NONE: SIGSEGV whose si_addr is
 *     on the second page (the IFAR the guest kernel saw), not the PC.
 *   - ldr-cross / str-cross: an unaligned word load and store across a page
 *     end into a page not touched before (SCTLR.A = 0 for Linux user space).
 *   - ldr-cross-prot-none: the same load with the second page PROT_NONE:
 *     SIGSEGV with si_addr on the second page.
 * Prints one line per check and "xpage: N checks, F failed"; exit status F.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096u
#define RET  0x5Bu      /* movs r0, #0x5a; add.w r0, r0, #1 */

/* In this program's text: the ADD.W straddles the page end; the rest of
 * the second page is padding, so it is first fetched by the call. */
__asm__(
    "   .section .text.xpage, \"ax\", %progbits\n"
    "   .syntax unified\n"
    "   .balign 4096\n"
    "   .space 4092\n"
    "   .thumb\n"
    "   .thumb_func\n"
    "   .global xpage_text\n"
    "xpage_text:\n"
    "   movs    r0, #0x5a\n"
    "   add.w   r0, r0, #1\n"
    "   bx      lr\n"
    "   .balign 4096\n"
    "   .arm\n"
    "   .text\n");
unsigned xpage_text(void);

static const uint16_t code[4] = { 0x205A, 0xF100, 0x0001, 0x4770 };

static sigjmp_buf env;
static volatile uintptr_t got_addr;
static volatile int got_sig;
static int checks, failed;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

static void check(int ok, const char *name, const char *fmt, unsigned long a, unsigned long b)
{
    checks++;
    if (ok) {
        printf("xpage: ok %s\n", name);
    } else {
        failed++;
        printf("xpage: FAIL %s: ", name);
        printf(fmt, a, b);
        printf("\n");
    }
    fflush(stdout);
}

/* Call the Thumb function at fn; returns its r0, or ~0 after a signal
 * (got_sig, got_addr). */
static unsigned call(uintptr_t fn)
{
    got_sig = 0;
    if (sigsetjmp(env, 1))
        return ~0u;
    return ((unsigned (*)(void))(fn | 1))();
}

static uint32_t load(uintptr_t a)
{
    got_sig = 0;
    if (sigsetjmp(env, 1))
        return ~0u;
    return *(volatile uint32_t *)a;     /* unaligned: LDR (A3.2.1) */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    unsigned r = xpage_text();
    check(r == RET, "text-thumb32", "returned 0x%lx expected 0x%lx", r, RET);

    /* the code at the end of a file's first page and the start of its second */
    char path[] = "/tmp/xpageXXXXXX";
    int fd = mkstemp(path);
    static uint8_t buf[2 * PAGE];
    memset(buf, 0, sizeof buf);
    memcpy(buf + PAGE - 4, code, sizeof code);
    if (fd < 0 || write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
        check(0, "file", "cannot write %s (%ld)", (unsigned long)0, (unsigned long)fd);
        return 1;
    }
    unlink(path);
    uint8_t *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED ||
        mmap(m + PAGE, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, PAGE) != m + PAGE) {
        check(0, "mmap", "mmap failed %lu %lu", 0, 0);
        return 1;
    }
    uintptr_t fn = (uintptr_t)m + PAGE - 4;
    r = call(fn);
    check(r == RET, "file-thumb32", "returned 0x%lx expected 0x%lx", r, RET);
    mprotect(m + PAGE, PAGE, PROT_NONE);
    mprotect(m + PAGE, PAGE, PROT_READ | PROT_EXEC);
    r = call(fn);
    check(r == RET, "file-thumb32-again", "returned 0x%lx expected 0x%lx", r, RET);
    mprotect(m + PAGE, PAGE, PROT_NONE);
    r = call(fn);
    check(got_sig == SIGSEGV && got_addr >= (uintptr_t)m + PAGE && got_addr < (uintptr_t)m + 2 * PAGE,
          "prot-none-thumb32", "signal %lu si_addr=page1+0x%lx expected SIGSEGV on page 1",
          (unsigned long)got_sig, (unsigned long)(got_addr - (uintptr_t)m - PAGE));

    /* loads and stores: a fresh private mapping, only its first page touched */
    uint8_t *d = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (d == MAP_FAILED ||
        mmap(d + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, PAGE) != d + PAGE) {
        check(0, "mmap-data", "mmap failed %lu %lu", 0, 0);
        return 1;
    }
    d[PAGE - 1] = 0x11;
    d[PAGE - 2] = 0x22;
    uint32_t v = load((uintptr_t)d + PAGE - 2);
    /* bytes PAGE-2, PAGE-1 (just stored), then the second page's first two
     * (the file's: the code halfword 0x0001) */
    uint32_t want = 0x22u | 0x11u << 8 | 0x0001u << 16;
    check(!got_sig && v == want, "ldr-cross", "read 0x%08lx expected 0x%08lx", v, want);
    munmap(d + PAGE, PAGE);
    mmap(d + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, PAGE);
    got_sig = 0;
    if (!sigsetjmp(env, 1))
        *(volatile uint32_t *)(d + PAGE - 2) = 0x44332211u;
    v = load((uintptr_t)d + PAGE);
    check(!got_sig && d[PAGE - 2] == 0x11 && d[PAGE - 1] == 0x22 && (v & 0xFFFF) == 0x4433 &&
          v >> 16 == 0x4770, "str-cross", "second page word 0x%08lx, first page 0x%04lx", v,
          (unsigned long)(d[PAGE - 2] | d[PAGE - 1] << 8));
    mprotect(d + PAGE, PAGE, PROT_NONE);
    v = load((uintptr_t)d + PAGE - 2);
    check(got_sig == SIGSEGV && got_addr >= (uintptr_t)d + PAGE && got_addr < (uintptr_t)d + 2 * PAGE,
          "ldr-cross-prot-none", "signal %lu si_addr=page1+0x%lx expected SIGSEGV on page 1",
          (unsigned long)got_sig, (unsigned long)(got_addr - (uintptr_t)d - PAGE));

    printf("xpage: %d checks, %d failed\n", checks, failed);
    return failed;
}
