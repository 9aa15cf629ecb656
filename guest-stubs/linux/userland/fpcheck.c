/*
 * fpcheck - two processes use VFP at once across context switches (issue 16:
 * the monitor's FIT_FPEXC op).  Linux switches VFP lazily: at every task
 * switch it turns the unit off (VMSR FPEXC with EN = 0) and saves a task's
 * registers only when the next task's first VFP instruction traps.  If the
 * monitor applied that write late, or lost it, one task would run on the
 * other's registers.  Each process here
 *   - runs a floating-point recurrence with a yield in every step and
 *     compares the result bit for bit with the same recurrence computed
 *     before the fork, with no switch in between;
 *   - loads its own pattern into d0-d15 and FPSCR, yields the CPU (the other
 *     process runs and loads its pattern), and checks its registers, in one
 *     asm block so no compiler code runs between the load and the check.
 * Prints one line; exit status 0 when both processes found everything intact.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define ROUNDS 300
#define STEPS  300
#define FPSCR_RW 0xF3C0009Fu    /* N Z C V, DN, FZ, RMode, IDC, IXC UFC OFC DZC IOC */

/* Load d0-d15 and FPSCR, sched_yield(), store them back. */
static void yield_holding(const uint64_t in[16], uint64_t out[16], uint32_t fpscr_in,
                          uint32_t *fpscr_out)
{
    register long r0 __asm__("r0") = 0;
    register long r7 __asm__("r7") = SYS_sched_yield;
    uint32_t fo;

    __asm__ volatile(
        "vldmia %[in], {d0-d15}\n\t"
        "vmsr   fpscr, %[fi]\n\t"
        "svc    #0\n\t"
        "vstmia %[out], {d0-d15}\n\t"
        "vmrs   %[fo], fpscr\n\t"
        : "+r"(r0), [fo] "=&r"(fo)
        : [in] "r"(in), [out] "r"(out), [fi] "r"(fpscr_in), "r"(r7)
        : "memory", "cc", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10",
          "d11", "d12", "d13", "d14", "d15");
    *fpscr_out = fo;
}

static double recurrence(unsigned seed, int yield)
{
    volatile double x = 1.0 + seed / 7.0;
    for (int i = 1; i <= STEPS; i++) {
        x = x * 1.0000003 + 0.5 / i - (double)seed / (i * 3.0 + 1.0);
        if (yield)
            sched_yield();
    }
    return x;
}

/* 0 if intact, else the number of the first bad round (registers) or -1
 * (the recurrence). */
static int worker(unsigned seed, double want)
{
    uint64_t pat[16], got[16];
    uint32_t x = 0x9E3779B9u * seed + 0x7F4A7C15u, fpscr, fo;
    /* First: the rounds below leave FPSCR (rounding mode, flush-to-zero)
     * as they set it, and the reference ran with the default. */
    double d = recurrence(seed, 1);

    if (memcmp(&d, &want, sizeof(d)))
        return -1;

    for (int i = 0; i < 16; i++) {
        uint32_t hi, lo;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5; hi = x;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5; lo = x;
        pat[i] = (uint64_t)hi << 32 | lo;
    }
    for (int r = 1; r <= ROUNDS; r++) {
        fpscr = (x * (uint32_t)r) & FPSCR_RW;
        pat[r % 16] ^= (uint64_t)r << 7;
        yield_holding(pat, got, fpscr, &fo);
        if (memcmp(pat, got, sizeof(pat)) || (fo & FPSCR_RW) != fpscr)
            return r;
    }
    return 0;
}

int main(void)
{
    double want1 = recurrence(1, 0), want2 = recurrence(2, 0);
    int st = 0, mine, child_bad;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("fpcheck: fork");
        return 2;
    }
    if (pid == 0)
        _exit(worker(2, want2) == 0 ? 0 : 1);
    mine = worker(1, want1);
    if (waitpid(pid, &st, 0) != pid) {
        perror("fpcheck: waitpid");
        return 2;
    }
    child_bad = !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    if (mine == 0 && !child_bad) {
        printf("fpcheck: 2 processes, %d register rounds and %d float steps each: intact\n",
               ROUNDS, STEPS);
        return 0;
    }
    printf("fpcheck: parent %s%d, child %s\n", mine < 0 ? "recurrence differs " : "round ",
           mine, child_bad ? "FAILED" : "intact");
    return 1;
}
