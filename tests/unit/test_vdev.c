/*
 * core/vdev.c: the device-type registry and per-guest instances.  The
 * board-slotted models (pl011, sp804, a9timer, sysregs) are linked in and
 * register themselves; a test board places them as qemu-vexpress-a9 does,
 * fake monitor services record what the devices asked for.
 *
 * Checked: instances follow the board (its place hook or its table of
 * guest devices, by vm_name) and the VM file's devices= (nodev); an access reaches the right instance with the offset into its
 * window (and a guest without a device has no region there, which is the
 * data abort core/trap.c gives today); writes to a timer re-program the
 * deadline, writes elsewhere do not; the guest's next event is the minimum
 * over its instances; every instance's line reaches the vGIC at its irq.
 */
#include "unit.h"
#include "guest.h"
#include "vdev.h"
#include <hv/board.h>
#include "../../drivers/emul/pl011.h"
#include "../../drivers/emul/sp804.h"
#include "../../drivers/emul/a9timer.h"
#include "../../drivers/emul/sysregs.h"
#include <string.h>

#define CHECK_TRUE_CTX(x, ...)  CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

#define UART_BASE   0x10009000u
#define UART_IRQ    37
#define SP_BASE     0x10011000u
#define SP_IRQ      34
#define PT_BASE     0x1E000600u
#define PT_IRQ      29
#define SR_BASE     0x10000000u
#define NEVER       (~0ull)

static const struct board_vdev vexpress_vdevs[] = {
    { "sp804", SP_BASE, SP_IRQ }, { "a9timer", PT_BASE, PT_IRQ }, { "virtio", 0x10013000, 72 }, { NULL, 0, 0 },
};
static const struct board_desc vexpress = {
    .uart_base = UART_BASE, .uart_irq = UART_IRQ,
    .vdevs = vexpress_vdevs,
    .vsysregs_base = SR_BASE, .sysregs_kind = SYSREGS_VEXPRESS, .sys_id = 0x1190F500,
};
static const struct board_desc bare = { .uart_base = UART_BASE + 0x10, .uart_irq = UART_IRQ };

static struct {
    uint64_t now;
    char out[16];
    unsigned nout, pumps, deadlines, powers;
} rec;

static uint64_t f_now(void) { return rec.now; }
static void f_putc(struct guest *g, char c) { if (rec.nout < sizeof(rec.out)) rec.out[rec.nout++] = c; }
static void f_pump(struct guest *g) { rec.pumps++; }
static void f_power(struct guest *g, bool restart, const char *how) { rec.powers++; }
static void f_deadline(void) { rec.deadlines++; }
static const struct vdev_services fake_svc = { f_now, f_putc, f_pump, f_power, f_deadline };

static struct guest *attach(void **state, const struct board_desc *b, const char *nodev)
{
    struct vcpu *v = *state;
    struct guest *g = v->guest;

    memset(&rec, 0, sizeof(rec));
    rec.now = 1000000007ull;
    g->nodev = nodev;
    g->nmmio = g->nvdev = g->vdev_arena_used = 0;     /* a new load */
    vgic_reset(&g->gic);
    CHECK_EQ(vdev_attach_board(g, b, &fake_svc), 0);
    return g;
}

/* The access as core/mmio.c makes it: find the region, hand the offset. */
static uint32_t rd(struct guest *g, uint32_t ipa)
{
    const struct mmio_region *r = mmio_find(g, ipa);

    CHECK_TRUE_CTX(r != NULL, "no device at 0x%08x", (unsigned)ipa);
    return r ? r->ops->read(r->dev, ipa - r->base, 4) : 0xDEADBEEF;
}

static void wr(struct guest *g, uint32_t ipa, uint32_t val)
{
    const struct mmio_region *r = mmio_find(g, ipa);

    CHECK_TRUE_CTX(r != NULL, "no device at 0x%08x", (unsigned)ipa);
    if (r)
        r->ops->write(r->dev, ipa - r->base, 4, val);
}

static bool line(const struct guest *g, unsigned id)
{
    return (g->gic.level[id / 32] >> (id % 32)) & 1u;
}

static void test_every_type_registered_once(void **state)
{
    const struct vdev_type *want[] = { &vdev_pl011, &vdev_sp804, &vdev_a9timer, &vdev_sysregs };

    for (unsigned k = 0; k < 4; k++) {
        unsigned n = 0;
        for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++)
            n += *t == want[k];
        CHECK_EQ_CTX(n, 1, "%s registered %u times", want[k]->name, n);
    }
}

static void test_instances_follow_board_and_flags(void **state)
{
    struct guest *g = attach(state, &vexpress, NULL);

    CHECK_EQ(g->nvdev, 4);
    CHECK_EQ(g->nmmio, 4);
    CHECK_EQ(vdev_of(g, &vdev_pl011)->base, UART_BASE);
    CHECK_EQ(vdev_of(g, &vdev_pl011)->irq, UART_IRQ);
    CHECK_EQ(vdev_of(g, &vdev_sp804)->base, SP_BASE);
    CHECK_EQ(vdev_of(g, &vdev_a9timer)->irq, PT_IRQ);
    CHECK_EQ(vdev_of(g, &vdev_sysregs)->irq, 0);

    g = attach(state, &vexpress, "uart,sp804,a9timer");
    CHECK_EQ(g->nvdev, 1);
    CHECK_TRUE(vdev_of(g, &vdev_sysregs) != NULL);
    CHECK_TRUE(vdev_of(g, &vdev_pl011) == NULL);

    g = attach(state, &vexpress, "sp804");
    CHECK_EQ(g->nvdev, 3);
    CHECK_TRUE(vdev_of(g, &vdev_sp804) == NULL);
    CHECK_TRUE(vdev_of(g, &vdev_a9timer) != NULL);

    /* A list names whole words: "sp80" or "a9timer2" leave nothing out. */
    g = attach(state, &vexpress, "sp80,a9timer2,,");
    CHECK_EQ(g->nvdev, 4);

    /* A board without the optional devices: the UART alone, page-aligned. */
    g = attach(state, &bare, NULL);
    CHECK_EQ(g->nvdev, 1);
    CHECK_EQ(vdev_of(g, &vdev_pl011)->base, UART_BASE);
}

static void test_dispatch_by_offset(void **state)
{
    struct guest *g = attach(state, &vexpress, NULL);

    /* The identification registers at the same offset tell the models apart. */
    CHECK_EQ(rd(g, UART_BASE + 0xFE0), 0x11);       /* UARTPeriphID0: PL011 */
    CHECK_EQ(rd(g, SP_BASE + 0xFE0), 0x04);         /* TimerPeriphID0: SP804 */
    CHECK_EQ(rd(g, SR_BASE + 0x000), 0x1190F500);   /* SYS_ID */
    /* Timer 2 of the SP804 at offset 0x20 + Load. */
    wr(g, SP_BASE + 0x20, 1234);
    CHECK_EQ(rd(g, SP_BASE + 0x20), 1234);
    CHECK_EQ(rd(g, SP_BASE + 0x00), 0);
    CHECK_EQ(rd(g, PT_BASE + 0x00), 0);             /* A9 Load untouched */
    /* A UART byte goes to the guest's console line, and only a timer
     * write moves the host deadline. */
    CHECK_EQ(rec.deadlines, 1);
    wr(g, UART_BASE + 0x000, 'A');
    CHECK_EQ(rec.nout, 1);
    CHECK_EQ(rec.out[0], 'A');
    CHECK_EQ(rec.deadlines, 1);
    wr(g, PT_BASE + 0x00, 5);
    CHECK_EQ(rec.deadlines, 2);
    /* Reading UARTDR makes room for console input. */
    rd(g, UART_BASE + 0x000);
    CHECK_EQ(rec.pumps, 1);
    /* Only a type with `after` costs an after call; the system registers'
     * pass a power request on to the monitor once the access completed. */
    CHECK_TRUE(mmio_find(g, UART_BASE)->ops->after == NULL);
    CHECK_TRUE(mmio_find(g, SP_BASE)->ops->after == NULL);
    ((struct vsysregs *)vdev_of(g, &vdev_sysregs)->state)->request = SYSREQ_RESTART;
    mmio_find(g, SR_BASE)->ops->after(*state, mmio_find(g, SR_BASE)->dev);
    CHECK_EQ(rec.powers, 1);
    CHECK_EQ(((struct vsysregs *)vdev_of(g, &vdev_sysregs)->state)->request, SYSREQ_NONE);
    /* Outside every window (past the A9 timer's 0x20 bytes): no device. */
    CHECK_TRUE(mmio_find(g, PT_BASE + 0x20) == NULL);
}

static void test_left_out_device_is_absent(void **state)
{
    struct guest *g = attach(state, &vexpress, "sp804,uart");

    /* core/trap.c: no region -> the data abort a missing device gives. */
    CHECK_TRUE(mmio_find(g, SP_BASE) == NULL);
    CHECK_TRUE(mmio_find(g, SP_BASE + 0xFFC) == NULL);
    CHECK_TRUE(mmio_find(g, UART_BASE) == NULL);
    CHECK_TRUE(mmio_find(g, PT_BASE) != NULL);
}

static void test_next_event_is_minimum(void **state)
{
    struct guest *g = attach(state, &vexpress, NULL);
    uint64_t sp, pt;

    CHECK_EQ(vdev_next_event(g), NEVER);
    /* SP804 timer 1: 100 ticks at 1 MHz, periodic, interrupt enabled. */
    wr(g, SP_BASE + 0x00, 100);
    wr(g, SP_BASE + 0x08, 0x80 | 0x40 | 0x20 | 0x02);
    sp = vsp804_next_event(vdev_of(g, &vdev_sp804)->state);
    CHECK_EQ(sp, rec.now + 100 * 1000);
    CHECK_EQ(vdev_next_event(g), sp);
    /* A9 timer: 1000 ticks at 100 MHz = 10 us: earlier. */
    wr(g, PT_BASE + 0x00, 1000);
    wr(g, PT_BASE + 0x08, 1 | 4);
    pt = va9timer_next_event(vdev_of(g, &vdev_a9timer)->state);
    CHECK_TRUE(pt < sp);
    CHECK_EQ(vdev_next_event(g), pt);
    /* Stop the A9 timer: the SP804's again. */
    wr(g, PT_BASE + 0x08, 0);
    CHECK_EQ(vdev_next_event(g), sp);
}

static void test_lines_reach_vgic(void **state)
{
    struct guest *g = attach(state, &vexpress, NULL);

    wr(g, SP_BASE + 0x00, 10);
    wr(g, SP_BASE + 0x08, 0x80 | 0x40 | 0x20 | 0x02);
    wr(g, PT_BASE + 0x00, 10);
    wr(g, PT_BASE + 0x08, 1 | 4);
    vdev_update_lines(g);
    CHECK_FALSE(line(g, SP_IRQ));
    CHECK_FALSE(line(g, PT_IRQ));
    rec.now += 10 * 10;                             /* the A9 timer's zero */
    vdev_update_lines(g);
    CHECK_TRUE(line(g, PT_IRQ));
    CHECK_FALSE(line(g, SP_IRQ));
    rec.now += 10 * 1000;                           /* and the SP804's */
    vdev_update_lines(g);
    CHECK_TRUE(line(g, SP_IRQ));
    CHECK_FALSE(line(g, UART_IRQ));
    wr(g, SP_BASE + 0x0C, 1);                       /* TimerXIntClr */
    wr(g, PT_BASE + 0x0C, 1);                       /* ISR */
    vdev_update_lines(g);
    CHECK_FALSE(line(g, SP_IRQ));
    CHECK_FALSE(line(g, PT_IRQ));
}

/* vdev_placement() is the one rule (the boot banner uses it too): a type
 * without vm_name cannot be left out, a table type needs its board entry,
 * and the table's other entries (virtio's slot) are found by name. */
static void test_placement_rule(void **state)
{
    uint32_t base = 1, irq = 1;

    CHECK_TRUE(vdev_placement(&vdev_sp804, &vexpress, NULL, &base, &irq));
    CHECK_EQ(base, SP_BASE);
    CHECK_EQ(irq, SP_IRQ);
    CHECK_FALSE(vdev_placement(&vdev_sp804, &vexpress, "uart,sp804", &base, &irq));
    CHECK_FALSE(vdev_placement(&vdev_sp804, &bare, NULL, &base, &irq));
    CHECK_TRUE(vdev_placement(&vdev_sysregs, &vexpress, "sysregs", &base, &irq));
    CHECK_EQ(base, SR_BASE);
    CHECK_TRUE(vdev_board_slot(&vexpress, "virtio", &base, &irq));
    CHECK_EQ(base, 0x10013000);
    CHECK_EQ(irq, 72);
    CHECK_FALSE(vdev_board_slot(&bare, "virtio", &base, &irq));
    CHECK_FALSE(vdev_board_slot(&vexpress, "virti", &base, &irq));
}

/* The descriptor's VM-file name and device-tree template, read by
 * tools/mkguests.py: every board-slotted type that a VM file can leave out
 * has a vm_name of lower-case letters and digits (a devices= word), and a
 * template's reg is its own window (%BASE% %SIZE%: the size is mmio_size,
 * not typed twice) with only the placeholders the tool knows or KEYs. */
static void test_descriptor_names_and_dt(void **state)
{
    unsigned named = 0;

    for (const struct vdev_type *const *t = __start_vdev_types; t < __stop_vdev_types; t++) {
        const char *n = (*t)->vm_name, *dt = (*t)->dt_node;

        if (n) {
            named++;
            CHECK_TRUE_CTX(*n, "%s: empty vm_name", (*t)->name);
            for (const char *c = n; *c; c++)
                CHECK_TRUE_CTX((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'),
                               "%s: vm_name '%s' is not a devices= word", (*t)->name, n);
        }
        if (!dt)
            continue;
        CHECK_TRUE_CTX(strstr(dt, "reg = <%BASE% %SIZE%>;\n") != NULL, "%s: dt_node has no reg of its window",
                       (*t)->name);
        CHECK_TRUE_CTX(dt[strlen(dt) - 1] == '\n', "%s: dt_node does not end its line", (*t)->name);
        for (const char *p = strchr(dt, '%'), *e; p; p = strchr(e + 1, '%')) {
            e = strchr(p + 1, '%');
            CHECK_TRUE_CTX(e != NULL, "%s: dt_node has an unpaired %%", (*t)->name);
            if (!e)
                break;
            for (const char *c = p + 1; c < e; c++)
                CHECK_TRUE_CTX((*c >= 'A' && *c <= 'Z') || *c == '_', "%s: dt_node placeholder %.*s",
                               (*t)->name, (int)(e - p + 1), p);
        }
    }
    CHECK_EQ(named, 3);                                 /* uart, sp804, a9timer */
    CHECK_TRUE(!strcmp(vdev_pl011.vm_name, "uart"));
}

/* Owner-added instances (virtio) take part like the others; a full table
 * or a window overlapping RAM is refused, not overrun. */
static uint32_t st_read(struct vdev *d, uint32_t off, unsigned size) { return off + *(uint32_t *)d->state; }
static void st_write(struct vdev *d, uint32_t off, unsigned size, uint32_t v) { *(uint32_t *)d->state = v; }
static void st_reset(struct vdev *d) { *(uint32_t *)d->state = 0x100; }
static bool st_line(struct vdev *d) { return *(uint32_t *)d->state == 7; }
static const struct vdev_type stub = { .name = "stub", .mmio_size = 0x200, .reset = st_reset,
                                       .read = st_read, .write = st_write, .line = st_line };

static void test_owner_added_and_limits(void **state)
{
    struct guest *g = attach(state, &vexpress, NULL);
    uint32_t st[MAX_VDEVS];

    CHECK_EQ(vdev_add(g, &stub, 0x0A000000, 48, &st[0], &fake_svc), 0);
    CHECK_EQ(st[0], 0x100);                         /* reset when added */
    CHECK_EQ(rd(g, 0x0A000010), 0x110);
    wr(g, 0x0A000000, 7);
    vdev_update_lines(g);
    CHECK_TRUE(line(g, 48));
    CHECK_EQ(rec.deadlines, 0);                     /* no next_event: no deadline */
    st[0] = 1;
    vdev_reset_all(g);
    CHECK_EQ(st[0], 0x100);
    CHECK_EQ(vdev_add(g, &stub, g->ram_ipa, 0, &st[1], &fake_svc), -1);   /* over RAM */
    CHECK_EQ(g->nvdev, 5);
    for (unsigned k = 1; g->nvdev < MAX_VDEVS; k++)
        CHECK_EQ(vdev_add(g, &stub, 0x0A000000 + k * 0x200, 0, &st[k], &fake_svc), 0);
    CHECK_EQ(vdev_add(g, &stub, 0x0B000000, 0, &st[0], &fake_svc), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TV(test_every_type_registered_once), TV(test_instances_follow_board_and_flags),
        TV(test_dispatch_by_offset), TV(test_left_out_device_is_absent),
        TV(test_next_event_is_minimum), TV(test_lines_reach_vgic), TV(test_owner_added_and_limits),
        TV(test_placement_rule), TV(test_descriptor_names_and_dt),
    };
    return UNIT_RUN("vdev", tests);
}
