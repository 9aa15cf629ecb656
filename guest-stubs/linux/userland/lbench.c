/*
 * In-guest workloads for `make bench` (issue 7): the same static binary runs
 * on a Linux booted natively on QEMU and on one booted under the monitor.
 * Under `-icount shift=0` one nanosecond of virtual time is one instruction,
 * so ns per operation from CLOCK_MONOTONIC is instructions per operation
 * (everything the CPU executed: guest kernel, user space and, virtualized,
 * the monitor).
 *
 *   lbench boot      the virtual counter (CNTVCT, read in user space) in ns:
 *                    instructions since reset when init starts
 *   lbench syscall   null system call loop (getppid)
 *   lbench pipe      pipe ping-pong between two processes (2 switches/round)
 *   lbench fork      fork + _exit + wait
 * Output: "lbench NAME N ns/op" lines.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void report(const char *name, uint64_t t0, uint64_t t1, unsigned n)
{
    printf("lbench %s %llu ns/op\n", name, (unsigned long long)((t1 - t0) / n));
}

static void bench_syscall(unsigned n)
{
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        syscall(SYS_getppid);
    report("syscall", t0, now_ns(), n);
}

static void bench_pipe(unsigned n)
{
    int ab[2], ba[2];
    char c = 'x';
    pid_t pid;
    uint64_t t0;

    if (pipe(ab) || pipe(ba)) {
        perror("pipe");
        exit(1);
    }
    pid = fork();
    if (pid == 0) {
        for (unsigned i = 0; i < n; i++)
            if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) {
            perror("pipe ping-pong");
            exit(1);
        }
    report("pipe", t0, now_ns(), n);
    waitpid(pid, NULL, 0);
}

static void bench_fork(unsigned n)
{
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
    }
    report("fork", t0, now_ns(), n);
}

/* CNTVCT (B4.1.34) at CNTFRQ; readable in user space when CNTKCTL.PL0VCTEN. */
static void boot_counter(void)
{
    uint32_t lo, hi, frq;
    __asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
    uint64_t cnt = (uint64_t)hi << 32 | lo;
    printf("lbench boot %llu ns\n", (unsigned long long)(cnt * 1000000000ull / frq));
}

int main(int argc, char **argv)
{
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 1000;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: lbench boot|syscall|pipe|fork [N]\n");
        return 2;
    }
    if (!strcmp(argv[1], "boot"))
        boot_counter();
    else if (!strcmp(argv[1], "syscall"))
        bench_syscall(n);
    else if (!strcmp(argv[1], "pipe"))
        bench_pipe(n);
    else if (!strcmp(argv[1], "fork"))
        bench_fork(n);
    else
        return 2;
    return 0;
}
