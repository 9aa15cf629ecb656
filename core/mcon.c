/*
 * The host console: input from the physical UART goes to whoever has the
 * focus, a guest (into its emulated UART's receive FIFO) or the monitor
 * console.  Ctrl-A three times in a row moves the focus on: guest 0, guest
 * 1, ..., the monitor console, guest 0 again (as Xen's console does).
 *
 * Monitor console commands: help, guests, stats [N], focus N, pause N,
 * resume N, reset N.
 */
#include "mcon.h"
#include "guest.h"
#include "sched.h"
#include "hv.h"
#include "string.h"
#include "vfp.h"
#include "../mm/shadow.h"
#include "virtio_dev.h"

#define FOCUS_MONITOR (-1)
#define CTRL_A 0x01

static int focus;               /* guest id, or FOCUS_MONITOR */
static unsigned ctrl_a;
/* Bytes the board's UART delivered: `guests` shows it, so a user (or a
 * test) can tell input that never reached the monitor from input that a
 * guest did not take. */
static unsigned long rx_bytes;
static char line[80];
static unsigned line_len;

static void prompt(void)
{
    hv_printf("monitor> ");
}

static void announce(void)
{
    if (focus == FOCUS_MONITOR) {
        hv_printf("\nmonitor: console focus: monitor (type 'help'; Ctrl-A x3 to switch)\n");
        prompt();
    } else {
        hv_printf("\nmonitor: console focus: guest %d (%s) (Ctrl-A x3 to switch)\n",
                  focus, guests[focus].name);
    }
}

static void switch_focus(void)
{
    if (!nguests)
        focus = FOCUS_MONITOR;
    else if (focus == FOCUS_MONITOR)
        focus = 0;
    else if ((unsigned)focus + 1 < nguests)
        focus++;
    else
        focus = FOCUS_MONITOR;
    announce();
}

static const char *state_name(enum vcpu_state s)
{
    static const char *const n[] = { "ready", "running", "waiting", "paused", "exited", "stopped" };
    return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

/* Parse a guest number; prints the reason when it is not one. */
static struct guest *arg_guest(const char *cmd, const char *arg)
{
    unsigned n = 0;
    const char *p = arg;

    if (!*p) {
        hv_printf("monitor: '%s' needs a guest number (0-%u)\n", cmd, nguests ? nguests - 1 : 0);
        return NULL;
    }
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || n > 1000) {
            hv_printf("monitor: '%s' is not a guest number\n", arg);
            return NULL;
        }
        n = n * 10 + (unsigned)(*p - '0');
    }
    if (n >= nguests) {
        hv_printf("monitor: no guest %u (guests are 0-%u)\n", n, nguests - 1);
        return NULL;
    }
    return &guests[n];
}

static uint64_t trap_total(const struct guest *g)
{
    uint64_t t = 0;
    for (int c = 0; c < TS_NCLASSES; c++)
        if (c != TS_RESCHED)
            t += g->vcpu.stats[c];
    return t + g->vcpu.fit_hits;        /* FIT ops not folded in yet */
}

static void cmd_guests(void)
{
    hv_printf("monitor:  id name         state     pc         mode  traps\n");
    for (unsigned i = 0; i < nguests; i++) {
        struct guest *g = &guests[i];
        hv_printf("monitor: %3u %-12s %-9s 0x%08x 0x%02x  %llu%s\n", i, g->name,
                  state_name(g->vcpu.state), (unsigned)g->vcpu.regs.pc,
                  (unsigned)vmode(&g->vcpu), (unsigned long long)trap_total(g),
                  (int)i == focus ? "  (focus)" : "");
    }
    hv_printf("monitor: console input: %lu bytes from the board's UART\n", rx_bytes);
}

/* Per guest: configured RAM, how much of it is backed, its guaranteed
 * minimum (static guests: all three the same); the demand pool. */
static void cmd_mem(void)
{
    struct gpmap_info i = { 0 };
    bool any = false;

    hv_printf("monitor:  id name         backing configured backed minimum (MiB)\n");
    for (unsigned k = 0; k < nguests; k++) {
        bool demand = gpmap_info(&guests[k], &i);
        any |= demand;
        hv_printf("monitor: %3u %-12s %-7s %10u %6u %7u\n", k, guests[k].name,
                  demand ? "demand" : "static", i.configured, i.backed, i.min);
    }
    if (any || nguests)
        hv_printf("monitor: guest memory pool: %u MiB free of %u, %u MiB of it reserved for minimums\n",
                  i.pool_free, i.pool_total, i.pool_reserved);
    for (unsigned k = 0; k < nguests; k++) {
        struct balloon_info b;

        if (!virtio_dev_balloon_info(&guests[k], &b))
            continue;
        gpmap_info(&guests[k], &i);
        hv_printf("monitor: %3u balloon: target %u KiB, the guest reports %u KiB, holds %u KiB; "
                  "%u MiB given back to the pool\n", k, (unsigned)b.target_pages * 4, (unsigned)b.actual_pages * 4,
                  (unsigned)b.inflated_pages * 4, i.ballooned);
    }
}

/* balloon N MIB: the target of guest N's virtio-balloon. */
static void cmd_balloon(char *arg)
{
    char *mib = arg;
    unsigned n = 0;
    struct guest *g;

    while (*mib && *mib != ' ')
        mib++;
    if (*mib)
        *mib++ = 0;
    while (*mib == ' ')
        mib++;
    if (!(g = arg_guest("balloon", arg)))
        return;
    for (const char *p = mib; *p; p++) {
        if (*p < '0' || *p > '9' || n > 1u << 20) {
            n = ~0u;
            break;
        }
        n = n * 10 + (unsigned)(*p - '0');
    }
    if (!*mib || n == ~0u)
        hv_printf("monitor: 'balloon N MIB' needs a size in MiB\n");
    else if (virtio_dev_balloon_target(g, n))
        hv_printf("monitor: guest %d (%s) has no balloon (virtio=balloon) or %u MiB is above its "
                  "%u MiB of RAM\n", g->id, g->name, n, (unsigned)(g->ram_size >> 20));
    else
        hv_printf("monitor: guest %d (%s): balloon target %u MiB\n", g->id, g->name, n);
}

static void execute(char *cmd)
{
    char *arg = cmd;
    struct guest *g;

    while (*arg && *arg != ' ')
        arg++;
    if (*arg)
        *arg++ = 0;
    while (*arg == ' ')
        arg++;

    if (!*cmd) {
        return;
    } else if (!strcmp(cmd, "help")) {
        hv_printf("monitor: commands: help | guests | mem | stats [N] | focus N | pause N | "
                  "resume N | reset N | balloon N MIB\n"
                  "monitor: Ctrl-A three times switches the console between guests and here\n");
    } else if (!strcmp(cmd, "guests")) {
        cmd_guests();
    } else if (!strcmp(cmd, "mem")) {
        cmd_mem();
    } else if (!strcmp(cmd, "balloon")) {
        cmd_balloon(arg);
    } else if (!strcmp(cmd, "stats")) {
        if (!*arg) {
            for (unsigned i = 0; i < nguests; i++)
                guest_print_stats(&guests[i]);
        } else if ((g = arg_guest(cmd, arg))) {
            guest_print_stats(g);
        }
    } else if (!strcmp(cmd, "focus")) {
        if ((g = arg_guest(cmd, arg))) {
            focus = g->id;
            announce();
        }
    } else if (!strcmp(cmd, "pause")) {
        if ((g = arg_guest(cmd, arg))) {
            if (g->vcpu.state == VCPU_EXITED || g->vcpu.state == VCPU_STOPPED) {
                hv_printf("monitor: guest %d has ended; 'reset %d' restarts it\n", g->id, g->id);
            } else {
                g->vcpu.state = VCPU_PAUSED;
                sched_yield(&g->vcpu, VCPU_PAUSED);
                hv_printf("monitor: guest %d (%s) paused\n", g->id, g->name);
            }
        }
    } else if (!strcmp(cmd, "resume")) {
        if ((g = arg_guest(cmd, arg))) {
            if (g->vcpu.state != VCPU_PAUSED) {
                hv_printf("monitor: guest %d is not paused (%s)\n", g->id, state_name(g->vcpu.state));
            } else {
                g->vcpu.state = VCPU_READY;
                hv_printf("monitor: guest %d (%s) resumed\n", g->id, g->name);
            }
        }
    } else if (!strcmp(cmd, "reset")) {
        if ((g = arg_guest(cmd, arg))) {
            if (guest_reset(g))
                hv_printf("monitor: guest %d (%s) could not be reset\n", g->id, g->name);
            else
                hv_printf("monitor: guest %d (%s) reset\n", g->id, g->name);
        }
    } else {
        hv_printf("monitor: unknown command '%s' (try 'help')\n", cmd);
    }
}

static void monitor_input(char c)
{
    if (c == '\r' || c == '\n') {
        hv_printf("\n");
        line[line_len] = 0;
        execute(line);
        line_len = 0;
        prompt();
    } else if (c == 0x7F || c == '\b') {
        if (line_len) {
            line_len--;
            hv_printf("\b \b");
        }
    } else if ((unsigned char)c >= 0x20 && line_len < sizeof(line) - 1) {
        line[line_len++] = c;
        hv_printf("%c", c);
    }
}

/* Move queued input into the guest's UART as its receive FIFO has room
 * (the guest reading UARTDR makes room), so nothing typed is lost. */
void console_pump(struct guest *g)
{
    struct vdev *uart;

    g->virq_dirty = true;
    if (virtio_dev_console_pump(g))
        return;
    uart = vdev_of(g, &vdev_pl011);
    while (uart && g->inq_count && vpl011_receive(uart->state, (uint8_t)g->inq[g->inq_head])) {
        g->inq_head = (g->inq_head + 1) % sizeof(g->inq);
        g->inq_count--;
    }
}

static void deliver(char c)
{
    struct guest *g;

    if (focus == FOCUS_MONITOR || (unsigned)focus >= nguests) {
        monitor_input(c);
        return;
    }
    g = &guests[focus];
    if (g->inq_count == sizeof(g->inq)) {
        g->vcpu.stats[TS_CONSOLE_DROP]++;               /* it is not reading */
        return;
    }
    g->inq[(g->inq_head + g->inq_count) % sizeof(g->inq)] = c;
    g->inq_count++;
    console_pump(g);
}

void console_input(char c)
{
    rx_bytes++;
    if (c == CTRL_A) {
        if (++ctrl_a == 3) {
            ctrl_a = 0;
            switch_focus();
        }
        return;
    }
    /* One or two Ctrl-A that were not a switch belong to the target. */
    for (; ctrl_a; ctrl_a--)
        deliver(CTRL_A);
    deliver(c);
}

void console_start(void)
{
    focus = nguests ? 0 : FOCUS_MONITOR;
    hv_printf("monitor: console input goes to guest 0; Ctrl-A three times switches "
              "(guests, then the monitor console)\n");
}
