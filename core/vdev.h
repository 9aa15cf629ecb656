/*
 * Device-type registry and per-guest device instances (issue 17, item 2).
 *
 * A device type (struct vdev_type) says once what the monitor needs to know
 * about an emulated device: its name, MMIO window, state size, where the
 * board puts it, reset, read/write handlers that see an offset, its
 * interrupt output (a level), when it next needs the monitor's attention
 * (next_event, for timers) and what to do once an access has completed.
 * Each type is one file under drivers/emul/ (or the monitor glue that owns
 * it) and registers itself with VDEV_TYPE(); nothing else names it.
 *
 * A type also says, for tools/mkguests.py which reads it from the same
 * initializer, its name in a VM file (vm_name: `devices=` keeps or leaves it
 * out) and its guests' device-tree node (dt_node, a template): a new device
 * needs no code in the tool (docs/devices.md, "Adding a device").
 *
 * At guest load (core/virq.c virq_attach) vdev_attach_board() creates one
 * instance (struct vdev: type, base, irq, state) per registered type the
 * board places (its own place hook, or the board's table of guest devices,
 * struct board_vdev) and the guest's VM file did not leave out (nodev);
 * devices with richer setup (virtio: backends, switch ports) are added by
 * their owner with vdev_add().  From then on the monitor only iterates:
 * MMIO dispatch (core/mmio.c regions point at instances), the lines into
 * the vGIC (vdev_update_lines) and the host deadline (vdev_next_event).
 *
 * The vGIC is not an instance: it is the sink of every line, has two
 * windows and is owned by core/virq.c.  The generic timer is not one
 * either: it is a CP15 device (no MMIO window), see core/vtimer.c.
 */
#ifndef CORE_VDEV_H
#define CORE_VDEV_H

#include <stdint.h>
#include <stdbool.h>

struct guest;
struct vcpu;
struct board_desc;
struct vdev;

/* What the monitor does for a device model (core/vdev.c; the unit tests
 * give their own).  Models stay pure: they reach the monitor only here. */
struct vdev_services {
    uint64_t (*now_ns)(void);                   /* the monitor's clock */
    void (*console_putc)(struct guest *g, char c);
    void (*console_pump)(struct guest *g);      /* room for console input */
    /* the guest asked for power-off or restart through this device */
    void (*power)(struct guest *g, bool restart, const char *how);
    void (*deadline_changed)(void);             /* a next_event moved */
};

struct vdev_type {
    const char *name;           /* on the console */
    /* Its name in a VM file (`devices=`, lower case, no comma) and in the
     * board's table of guest devices; NULL: not board-slotted by name (the
     * guest cannot leave it out). */
    const char *vm_name;
    /*
     * Its node in a guest's device tree, written by tools/mkguests.py (NULL:
     * none): a C string of one or more string literals, each line ending in
     * \n, indented with \t below the root.  %ADDR% is the base as a unit
     * address, %BASE% the base 0x%08x, %SIZE% mmio_size, %IRQ% the interrupt
     * ID, %SPI% / %PPI% its SPI / PPI number; any other %KEY% comes from the
     * board (BOARD_DT_NODES in board.mk: NAME:KEY=VALUE:...).
     */
    const char *dt_node;
    uint32_t mmio_size;         /* bytes of its window */
    uint32_t state_size;        /* bytes of per-instance state (0: the owner's) */
    /* Board-slotted types: where the board has one for guests (false: it
     * has none).  NULL: the board's table (board_desc.vdevs) places it by
     * vm_name, or, without a vm_name, its owner instantiates it with
     * vdev_add(). */
    bool (*place)(const struct board_desc *b, uint32_t *base, uint32_t *irq);
    void (*reset)(struct vdev *d);
    uint32_t (*read)(struct vdev *d, uint32_t off, unsigned size);
    void (*write)(struct vdev *d, uint32_t off, unsigned size, uint32_t val);
    /* optional: the access completed (PC past it) */
    void (*after)(struct vcpu *v, struct vdev *d);
    bool (*line)(struct vdev *d);               /* optional: interrupt level */
    /* optional: monitor-clock ns of its next interrupt, ~0 if none.  A type
     * with next_event has the host deadline re-programmed after each write. */
    uint64_t (*next_event)(struct vdev *d);
};

struct vdev {
    const struct vdev_type *type;
    struct guest *guest;
    const struct vdev_services *svc;
    const struct board_desc *board;  /* board-slotted: the board it was placed on */
    uint32_t base, irq;         /* irq 0: no line */
    void *state;
};

/*
 * Registration: a pointer to each type in the linker section "vdev_types"
 * (linker.ld collects it; on the host, ld provides __start_/__stop_).  A
 * section rather than a const array in one file, so that adding a device
 * touches only its own file; pointers rather than the structs themselves,
 * so every element has the same size and alignment whatever the compiler
 * or a sanitizer does to the objects.  The order is the link order.
 */
#define VDEV_TYPE(sym)                                                            \
    const struct vdev_type sym;                                                   \
    static const struct vdev_type *const vdev_reg_##sym                            \
        __attribute__((section("vdev_types"), used)) = &sym;                      \
    const struct vdev_type sym

extern const struct vdev_type *const __start_vdev_types[], *const __stop_vdev_types[];

#define MAX_VDEVS        10     /* the board's emulated devices and four virtio slots */
#define VDEV_ARENA_BYTES 1024   /* per guest: the board-slotted types' state */

/* Where board `b` puts type t for a guest whose VM file left out the
 * devices named in `nodev` (comma-separated vm_names; NULL: none): false if
 * it has none.  The one rule vdev_attach_board() and the boot banner use. */
bool vdev_placement(const struct vdev_type *t, const struct board_desc *b, const char *nodev,
                    uint32_t *base, uint32_t *irq);
/* The entry `name` of the board's table of guest devices: false if none. */
bool vdev_board_slot(const struct board_desc *b, const char *name, uint32_t *base, uint32_t *irq);
/* The guest's instances of every registered board-slotted type the board
 * `b` has and its VM file keeps (g->nodev); -1 if something did not fit. */
int vdev_attach_board(struct guest *g, const struct board_desc *b, const struct vdev_services *svc);
/* An instance whose state its owner provides; -1 if it does not fit. */
int vdev_add(struct guest *g, const struct vdev_type *t, uint32_t base, uint32_t irq, void *state,
             const struct vdev_services *svc);
/* Power-on state of every instance. */
void vdev_reset_all(struct guest *g);
/* Drive every instance's interrupt line into the guest's vGIC. */
void vdev_update_lines(struct guest *g);
/* The earliest next_event over the guest's instances (~0: none). */
uint64_t vdev_next_event(struct guest *g);
/* The guest's instance of type t, or NULL. */
struct vdev *vdev_of(struct guest *g, const struct vdev_type *t);

/* The monitor's services (core/virq.c). */
extern const struct vdev_services vdev_monitor;

#endif
