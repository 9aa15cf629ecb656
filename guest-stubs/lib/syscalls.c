/* syscalls.c - minimal newlib system call stubs for the test guests. */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include "guest.h"

extern char __heap_start[], __heap_end[];
static char *heap_ptr = __heap_start;

void *_sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr)
{
    char *prev = heap_ptr;
    if (incr < 0 || heap_ptr + incr > __heap_end) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_ptr += incr;
    return prev;
}

int _write(int fd, const void *buf, size_t len);
int _write(int fd, const void *buf, size_t len)
{
    (void)fd;
    return (int)hc_write(buf, len);
}

int _read(int fd, void *buf, size_t len);
int _read(int fd, void *buf, size_t len) { (void)fd; (void)buf; (void)len; return 0; }
int _close(int fd);
int _close(int fd) { (void)fd; return -1; }
int _lseek(int fd, int off, int whence);
int _lseek(int fd, int off, int whence) { (void)fd; (void)off; (void)whence; return 0; }
int _isatty(int fd);
int _isatty(int fd) { (void)fd; return 1; }
int _fstat(int fd, struct stat *st);
int _fstat(int fd, struct stat *st) { (void)fd; st->st_mode = S_IFCHR; return 0; }
int _getpid(void);
int _getpid(void) { return 1; }
int _kill(int pid, int sig);
int _kill(int pid, int sig) { (void)pid; (void)sig; errno = EINVAL; return -1; }
void _exit(int status);
void _exit(int status) { gexit(status); }
