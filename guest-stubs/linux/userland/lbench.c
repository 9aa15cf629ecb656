/*
 * In-guest workloads for `make bench` (issues 7 and 16): an lmbench-class
 * suite.  The same static binary runs on a Linux booted natively on QEMU and
 * on one booted under the monitor.  Under `-icount shift=0` one nanosecond of
 * virtual time is one instruction, so ns per operation from CLOCK_MONOTONIC
 * is instructions per operation (everything the CPU executed: guest kernel,
 * user space and, virtualized, the monitor).
 *
 *   lbench boot      the virtual counter (CNTVCT, read in user space) in ns:
 *                    instructions since reset when init starts
 *   lbench syscall   null system call (getppid)
 *   lbench read      read(2) of one byte from /dev/zero
 *   lbench write     write(2) of one byte to /dev/null
 *   lbench stat      stat(2) of a file in the initramfs
 *   lbench siginst   sigaction(2) installing a handler
 *   lbench sigdeliv  kill(2) to self and the handler's delivery and return
 *   lbench pipe      pipe ping-pong between two processes (round trip)
 *   lbench unix      the same over a UNIX-domain stream socket pair
 *   lbench ctxN      context switch: a token passed round a ring of N
 *                    processes through pipes (lmbench lat_ctx, size 0), per
 *                    switch, N = 2, 8, 16
 *   lbench fork      fork + _exit + wait
 *   lbench exec      fork + execve(lbench nop) + wait
 *   lbench pagefault first write to a fresh anonymous page (per page)
 *   lbench mmap      mmap + munmap of 1 MiB anonymous memory (untouched)
 *   lbench shell     one run of a shell script of many short commands
 *   lbench compute   a compute-bound loop, no system calls (per 1000 iterations)
 *   lbench timerlat  how late a thread wakes from an absolute 1 ms
 *                    clock_nanosleep (cyclictest's measure)
 * I/O (issue 18, tools/bench-io.sh through /etc/hvio.sh), ns per KiB or per
 * round trip:
 *   lbench blkwrite DEV MIB   O_DIRECT writes of 64 KiB, then fsync
 *   lbench blkread DEV MIB    O_DIRECT reads of 64 KiB
 *   lbench conwrite DEV KIB   1 KiB writes of text lines to a console
 *                             device in raw mode, then tcdrain (all of it
 *                             transmitted)
 *   lbench tcpsink PORT MIB   accept one TCP connection, read MIB MiB: ns
 *                             per KiB from the first byte to the last
 *   lbench tcpsend ADDR PORT MIB  connect (retrying) and send MIB MiB
 *   lbench tcpecho PORT       accept one connection, echo until EOF
 *   lbench tcprr ADDR PORT N  N round trips of one byte over TCP
 * Output: "lbench NAME N ns/op" lines.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
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

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void bench_syscall(unsigned n)
{
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        syscall(SYS_getppid);
    report("syscall", t0, now_ns(), n);
}

static void bench_rw(const char *name, const char *path, int wr, unsigned n)
{
    char c = 0;
    int fd = open(path, wr ? O_WRONLY : O_RDONLY);
    uint64_t t0;

    if (fd < 0)
        die(path);
    t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if ((wr ? write(fd, &c, 1) : read(fd, &c, 1)) != 1)
            die(name);
    report(name, t0, now_ns(), n);
    close(fd);
}

static void bench_stat(unsigned n)
{
    struct stat st;
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if (stat("/etc/hvbench.sh", &st))
            die("stat");
    report("stat", t0, now_ns(), n);
}

static volatile sig_atomic_t caught;
static void on_signal(int sig)
{
    (void)sig;
    caught++;
}

static void bench_signal(unsigned n)
{
    struct sigaction sa;
    uint64_t t0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if (sigaction(SIGUSR1, &sa, NULL))
            die("sigaction");
    report("siginst", t0, now_ns(), n);
    caught = 0;
    t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        kill(getpid(), SIGUSR1);
    report("sigdeliv", t0, now_ns(), n);
    if (caught != (sig_atomic_t)n)
        die("signal count");
}

/* Round trips of one byte between two processes over a pair of fds each way. */
static void pingpong(const char *name, int a_out, int a_in, int b_in, int b_out, unsigned n)
{
    char c = 'x';
    pid_t pid = fork();
    uint64_t t0;

    if (pid < 0)
        die("fork");
    if (pid == 0) {
        for (unsigned i = 0; i < n; i++)
            if (read(b_in, &c, 1) != 1 || write(b_out, &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if (write(a_out, &c, 1) != 1 || read(a_in, &c, 1) != 1)
            die(name);
    report(name, t0, now_ns(), n);
    waitpid(pid, NULL, 0);
}

static void bench_pipe(unsigned n)
{
    int ab[2], ba[2];

    if (pipe(ab) || pipe(ba))
        die("pipe");
    pingpong("pipe", ab[1], ba[0], ab[0], ba[1], n);
}

static void bench_unix(unsigned n)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        die("socketpair(AF_UNIX)");
    pingpong("unix", sv[0], sv[0], sv[1], sv[1], n);
}

/* lmbench lat_ctx with size 0: N processes in a ring of pipes pass a token;
 * each hop is one switch (plus a pipe read and write, as in lmbench). */
static void bench_ctx(unsigned procs, unsigned n)
{
    int p[16][2];
    pid_t pid[16];
    char c = 't', name[16];
    uint64_t t0;

    for (unsigned i = 0; i < procs; i++)
        if (pipe(p[i]))
            die("pipe");
    for (unsigned i = 1; i < procs; i++) {
        pid[i] = fork();
        if (pid[i] < 0)
            die("fork");
        if (pid[i] == 0) {
            for (unsigned k = 0; k < n; k++)
                if (read(p[i - 1][0], &c, 1) != 1 || write(p[i][1], &c, 1) != 1)
                    _exit(1);
            _exit(0);
        }
    }
    t0 = now_ns();
    for (unsigned k = 0; k < n; k++)
        if (write(p[0][1], &c, 1) != 1 || read(p[procs - 1][0], &c, 1) != 1)
            die("ctx ring");
    snprintf(name, sizeof(name), "ctx%u", procs);
    report(name, t0, now_ns(), n * procs);
    for (unsigned i = 1; i < procs; i++)
        waitpid(pid[i], NULL, 0);
    for (unsigned i = 0; i < procs; i++)
        close(p[i][0]), close(p[i][1]);
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

static void run_wait(char *const argv[])
{
    pid_t pid = fork();
    int st;

    if (pid < 0)
        die("fork");
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
        die(argv[0]);
}

static void bench_exec(unsigned n)
{
    char *argv[] = { "/bin/lbench", "nop", NULL };
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        run_wait(argv);
    report("exec", t0, now_ns(), n);
}

static void bench_pagefault(unsigned pages)
{
    long psz = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)pages * psz, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t t0;

    if (m == MAP_FAILED)
        die("mmap");
    t0 = now_ns();
    for (unsigned i = 0; i < pages; i++)
        m[(size_t)i * psz] = 1;
    report("pagefault", t0, now_ns(), pages);
    munmap(m, (size_t)pages * psz);
}

static void bench_mmap(unsigned n)
{
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++) {
        void *m = mmap(NULL, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED || munmap(m, 1u << 20))
            die("mmap");
    }
    report("mmap", t0, now_ns(), n);
}

static void bench_shell(unsigned n)
{
    char *argv[] = { "/bin/sh", "/etc/hvshell.sh", NULL };
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        run_wait(argv);
    report("shell", t0, now_ns(), n);
}

/* A user-space loop (xorshift): what the guest pays without system calls is
 * the timer interrupts and their world switches. */
static void bench_compute(unsigned n)
{
    uint32_t x = 2463534242u;
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n * 1000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        __asm__ volatile("" : "+r"(x));
    }
    report("compute", t0, now_ns(), n);
    if (x == 0)
        die("xorshift");
}

/* cyclictest's measure: wake at an absolute time 1 ms ahead, see how late. */
static void bench_timerlat(unsigned n)
{
    struct timespec ts, now;
    uint64_t late = 0;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    for (unsigned i = 0; i < n; i++) {
        ts.tv_nsec += 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_nsec -= 1000000000;
            ts.tv_sec++;
        }
        if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
            die("clock_nanosleep");
        clock_gettime(CLOCK_MONOTONIC, &now);
        late += (uint64_t)(now.tv_sec - ts.tv_sec) * 1000000000u + now.tv_nsec - ts.tv_nsec;
    }
    printf("lbench timerlat %llu ns/op\n", (unsigned long long)(late / n));
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

/* ---- I/O (issue 18) ---------------------------------------------------- */

#define BLK_CHUNK 65536u

static void bench_blk(const char *dev, int wr, unsigned mib)
{
    void *buf;
    int fd = open(dev, (wr ? O_WRONLY : O_RDONLY) | O_DIRECT);
    uint64_t t0;

    if (fd < 0)
        die(dev);
    if (posix_memalign(&buf, 4096, BLK_CHUNK))
        die("posix_memalign");
    memset(buf, 0x5A, BLK_CHUNK);
    t0 = now_ns();
    for (unsigned i = 0; i < mib * (1048576u / BLK_CHUNK); i++)
        if ((wr ? write(fd, buf, BLK_CHUNK) : read(fd, buf, BLK_CHUNK)) != (ssize_t)BLK_CHUNK)
            die(wr ? "blkwrite" : "blkread");
    if (wr && fsync(fd))
        die("fsync");
    report(wr ? "blkwrite" : "blkread", t0, now_ns(), mib * 1024);
    close(fd);
    free(buf);
}

static void bench_conwrite(const char *dev, unsigned kib)
{
    char buf[1024], name[64];
    struct termios t;
    const char *base = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
    int fd = open(dev, O_WRONLY | O_NOCTTY);
    uint64_t t0;

    if (fd < 0)
        die(dev);
    /* Raw output (no \n -> \r\n): each write reaches the driver whole,
     * on both devices alike. */
    if (!tcgetattr(fd, &t)) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    for (unsigned k = 0; k < sizeof(buf); k++)      /* 16 lines of 64 */
        buf[k] = k % 64 == 63 ? '\n' : (char)('a' + k % 26);
    t0 = now_ns();
    for (unsigned i = 0; i < kib; i++)
        if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
            die("conwrite");
    tcdrain(fd);
    snprintf(name, sizeof(name), "conwrite-%s", base);
    report(name, t0, now_ns(), kib);
    close(fd);
}

static int tcp_listen_accept(unsigned port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;

    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
        die("listen");
    if ((c = accept(s, NULL, NULL)) < 0)
        die("accept");
    close(s);
    return c;
}

static int tcp_connect(const char *addr, unsigned port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1;

    if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
        die(addr);
    for (unsigned tries = 0; tries < 300; tries++) {     /* the peer may not listen yet */
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0)
            die("socket");
        if (!connect(s, (struct sockaddr *)&a, sizeof(a))) {
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            return s;
        }
        close(s);
        usleep(100000);
    }
    die("connect");
    return -1;
}

static void bench_tcpsink(unsigned port, unsigned mib)
{
    static char buf[65536];
    uint64_t want = (uint64_t)mib << 20, got = 0, t0 = 0;
    int c = tcp_listen_accept(port);

    while (got < want) {
        ssize_t n = read(c, buf, sizeof(buf));
        if (n <= 0)
            die("tcpsink read");
        if (!got)
            t0 = now_ns();
        got += (uint64_t)n;
    }
    report("tcpsink", t0, now_ns(), mib * 1024);
    close(c);
}

static void bench_tcpsend(const char *addr, unsigned port, unsigned mib)
{
    static char buf[65536];
    int s = tcp_connect(addr, port);

    memset(buf, 0x5A, sizeof(buf));
    for (unsigned i = 0; i < mib * 16; i++)
        for (size_t off = 0; off < sizeof(buf);) {
            ssize_t n = write(s, buf + off, sizeof(buf) - off);
            if (n <= 0)
                die("tcpsend write");
            off += (size_t)n;
        }
    close(s);
}

static void bench_tcpecho(unsigned port)
{
    char b;
    int c = tcp_listen_accept(port), one = 1;

    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    while (read(c, &b, 1) == 1)
        if (write(c, &b, 1) != 1)
            die("tcpecho write");
    close(c);
}

static void bench_tcprr(const char *addr, unsigned port, unsigned n)
{
    char b = 'x';
    int s = tcp_connect(addr, port);
    uint64_t t0 = now_ns();

    for (unsigned i = 0; i < n; i++)
        if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1)
            die("tcprr");
    report("tcprr", t0, now_ns(), n);
    close(s);
}

/* The I/O workloads take their own arguments; 0 if w is not one of them. */
static int io_main(const char *w, int argc, char **argv)
{
    unsigned long a3 = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
    unsigned long a4 = argc > 4 ? strtoul(argv[4], NULL, 0) : 0;

    if (!strcmp(w, "blkwrite") && argc == 4)
        bench_blk(argv[2], 1, (unsigned)a3);
    else if (!strcmp(w, "blkread") && argc == 4)
        bench_blk(argv[2], 0, (unsigned)a3);
    else if (!strcmp(w, "conwrite") && argc == 4)
        bench_conwrite(argv[2], (unsigned)a3);
    else if (!strcmp(w, "tcpsink") && argc == 4)
        bench_tcpsink((unsigned)strtoul(argv[2], NULL, 0), (unsigned)a3);
    else if (!strcmp(w, "tcpsend") && argc == 5)
        bench_tcpsend(argv[2], (unsigned)a3, (unsigned)a4);
    else if (!strcmp(w, "tcpecho") && argc == 3)
        bench_tcpecho((unsigned)strtoul(argv[2], NULL, 0));
    else if (!strcmp(w, "tcprr") && argc == 5)
        bench_tcprr(argv[2], (unsigned)a3, (unsigned)a4);
    else
        return 0;
    return 1;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 1000;
    const char *w = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (io_main(w, argc, argv))
        return 0;
    if (!n)
        n = 1;
    if (!strcmp(w, "nop"))
        return 0;
    else if (!strcmp(w, "boot"))
        boot_counter();
    else if (!strcmp(w, "syscall"))
        bench_syscall(n);
    else if (!strcmp(w, "read"))
        bench_rw("read", "/dev/zero", 0, n);
    else if (!strcmp(w, "write"))
        bench_rw("write", "/dev/null", 1, n);
    else if (!strcmp(w, "stat"))
        bench_stat(n);
    else if (!strcmp(w, "signal"))
        bench_signal(n);
    else if (!strcmp(w, "pipe"))
        bench_pipe(n);
    else if (!strcmp(w, "unix"))
        bench_unix(n);
    else if (!strcmp(w, "ctx2"))
        bench_ctx(2, n);
    else if (!strcmp(w, "ctx8"))
        bench_ctx(8, n);
    else if (!strcmp(w, "ctx16"))
        bench_ctx(16, n);
    else if (!strcmp(w, "fork"))
        bench_fork(n);
    else if (!strcmp(w, "exec"))
        bench_exec(n);
    else if (!strcmp(w, "pagefault"))
        bench_pagefault(n);
    else if (!strcmp(w, "mmap"))
        bench_mmap(n);
    else if (!strcmp(w, "shell"))
        bench_shell(n);
    else if (!strcmp(w, "compute"))
        bench_compute(n);
    else if (!strcmp(w, "timerlat"))
        bench_timerlat(n);
    else {
        fprintf(stderr, "usage: lbench boot|syscall|read|write|stat|signal|pipe|unix|ctx2|ctx8|"
                        "ctx16|fork|exec|pagefault|mmap|shell|compute|timerlat|nop [N]\n"
                        "       lbench blkwrite|blkread DEV MIB | conwrite DEV KIB | tcpsink PORT MIB |\n"
                        "              tcpsend ADDR PORT MIB | tcpecho PORT | tcprr ADDR PORT N\n");
        return 2;
    }
    return 0;
}
