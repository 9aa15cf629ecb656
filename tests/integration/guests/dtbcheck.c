/*
 * Device tree hand-over test (PV only: natively nobody passes a DTB).
 * Checks the Linux boot protocol state at entry (r0 = 0, r1 = ~0, r2 = the
 * DTB in the top 64 KiB of RAM, docs/guest-boot.md) and walks the flattened
 * device tree the monitor put there: header, /memory = its RAM, the PL011,
 * the GIC, the root compatible and /chosen's stdout-path.  With -DVIO_BASE:
 * the "virtio,mmio" nodes are exactly the devices of VIO_MASK (bit i = slot
 * i: console 0, blk 1, net 2, balloon 3; tools/mkguests.py), each with its slot's reg and
 * level SPI VIO_SPI + i, and the device found at that reg answers with the
 * virtio magic and the device ID of its slot (what the guest is told is
 * what the monitor gives it).
 * Output and exit through hypercalls; exit status = number of failures.
 * Build: -DRAM_BASE=<ipa> -DRAM_SIZE=<bytes> -DUART=<base>
 *        -DROOT_COMPAT='"<machine>"' -DGIC_COMPAT='"<gic>"' -DGIC_DIST=<base>u
 *        [-DVIO_BASE=<slot 0> -DVIO_SPI=<n> -DVIO_MASK=<slots>].
 */
#include <stdint.h>
#ifndef PV
#define PV 1              /* a PV-only guest */
#endif
#include "bare.h"

/* The board's facts, from its description (tests/integration/scenarios/dtb.sh):
 * the first word of BOARD_DT_COMPATIBLE, BOARD_DT_GIC (board.mk) and the GIC
 * distributor's base (board.c). */
#if !defined(ROOT_COMPAT) || !defined(GIC_COMPAT) || !defined(GIC_DIST)
#error "build with -DROOT_COMPAT='\"...\"' -DGIC_COMPAT='\"...\"' -DGIC_DIST=0x...u (scenarios/dtb.sh)"
#endif
#define DTB_AREA    0x10000u

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9

static int failures, checks;

#define HVC1(nr, a) \
    ({ register uint32_t r0 __asm__("r0") = (a); \
       __asm__ volatile(".inst %c1" : "+r"(r0) : "i"(PV_ENCODE(PV_COND_AL, PV_HVC(nr))) : "memory"); \
       r0; })

static void putc_(char c) { HVC1(HC_PUTC, (uint8_t)c); }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    puts_("0x");
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xF]);
}
static void putdec(uint32_t v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
    while (n)
        putc_(b[--n]);
}
static void check(const char *name, int good, uint32_t got)
{
    checks++;
    puts_(good ? "ok   " : "FAIL ");
    puts_(name);
    puts_(": ");
    puthex(got);
    putc_('\n');
    if (!good)
        failures++;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}
static int starts(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}
static uint32_t slen(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}
/* Does the string list (len bytes, NUL-separated) contain s? */
static int strlist_has(const char *list, uint32_t len, const char *s)
{
    uint32_t i = 0;
    if (len == 0 || list[len - 1])
        return 0;
    while (i < len) {
        if (streq(list + i, s))
            return 1;
        i += slen(list + i) + 1;
    }
    return 0;
}
/* A value of `cells` (1 or 2) big-endian cells; 2 cells must fit in 32 bits. */
static int read_cells(const uint8_t *p, uint32_t cells, uint32_t *v)
{
    if (cells == 1) {
        *v = be32(p);
        return 1;
    }
    *v = be32(p + 4);
    return be32(p) == 0;
}

/* What the walk finds. */
static uint32_t root_ac = 2, root_sc = 1;   /* the spec's defaults */
static int root_compat, mem_found, mem_ok, uart_found, gic_found, walk_ok;
static uint32_t mem_base, mem_size, uart_reg, gic_reg;
static char uart_path[64];
static const char *stdout_path, *bootargs;
/* virtio,mmio nodes: their reg base and interrupt specifier */
#define VIO_MAX 8
static unsigned nvio;
static int vio_bad;                 /* a node without a usable reg or interrupts */
static uint32_t vio_reg[VIO_MAX], vio_irq[VIO_MAX][3];

static void walk(const uint8_t *fdt, uint32_t total)
{
    uint32_t off = be32(fdt + 8), end = off + be32(fdt + 36);
    uint32_t strings = be32(fdt + 12), strsize = be32(fdt + 32);
    int depth = 0;
    /* the node being read (at depth 1 = child of the root) */
    const char *name = "";
    int is_mem = 0, is_uart = 0, is_gic = 0, is_chosen = 0, gic_ic = 0, is_vio = 0;
    const uint8_t *reg = 0, *irq = 0;
    uint32_t reg_len = 0, irq_len = 0;

    if (end > total || strings + strsize > total || (off & 3))
        return;
    while (off + 4 <= end) {
        uint32_t tok = be32(fdt + off);
        off += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *n = (const char *)fdt + off;
            uint32_t len = slen(n);
            off = (off + len + 1 + 3) & ~3u;
            depth++;
            if (depth == 2) {
                name = n;
                is_mem = is_uart = is_gic = gic_ic = is_vio = 0;
                is_chosen = streq(n, "chosen");
                reg = irq = 0;
                reg_len = irq_len = 0;
            }
        } else if (tok == FDT_END_NODE) {
            if (depth == 2) {
                uint32_t cells = root_ac + root_sc;
                if (is_mem && starts(name, "memory")) {
                    mem_found = 1;
                    mem_ok = reg && reg_len == 4 * cells &&
                             read_cells(reg, root_ac, &mem_base) &&
                             read_cells(reg + 4 * root_ac, root_sc, &mem_size);
                }
                if (is_uart && reg && reg_len >= 4 * cells && read_cells(reg, root_ac, &uart_reg)) {
                    uart_found = 1;
                    if (slen(name) + 2 <= sizeof(uart_path)) {
                        uart_path[0] = '/';
                        for (uint32_t i = 0; i <= slen(name); i++)
                            uart_path[i + 1] = name[i];
                    }
                }
                if (is_gic && gic_ic && reg && reg_len >= 4 * cells && read_cells(reg, root_ac, &gic_reg))
                    gic_found = 1;
                if (is_vio) {
                    if (nvio < VIO_MAX && reg && reg_len == 4 * cells && irq && irq_len == 12 &&
                        read_cells(reg, root_ac, &vio_reg[nvio])) {
                        for (unsigned k = 0; k < 3; k++)
                            vio_irq[nvio][k] = be32(irq + 4 * k);
                        nvio++;
                    } else {
                        vio_bad = 1;
                    }
                }
            }
            if (depth == 0)
                return;
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(fdt + off), nameoff = be32(fdt + off + 4);
            const uint8_t *val = fdt + off + 8;
            const char *pn = (const char *)fdt + strings + nameoff;
            if (nameoff >= strsize || off + 8 + len > end)
                return;
            off = (off + 8 + len + 3) & ~3u;
            if (depth == 1) {
                if (streq(pn, "#address-cells") && len == 4)
                    root_ac = be32(val);
                else if (streq(pn, "#size-cells") && len == 4)
                    root_sc = be32(val);
                else if (streq(pn, "compatible"))
                    root_compat = strlist_has((const char *)val, len, ROOT_COMPAT);
            } else if (depth == 2) {
                if (streq(pn, "device_type") && strlist_has((const char *)val, len, "memory"))
                    is_mem = 1;
                else if (streq(pn, "compatible")) {
                    is_uart = strlist_has((const char *)val, len, "arm,pl011");
                    is_gic = strlist_has((const char *)val, len, GIC_COMPAT);
                    is_vio = strlist_has((const char *)val, len, "virtio,mmio");
                } else if (streq(pn, "interrupts")) {
                    irq = val;
                    irq_len = len;
                } else if (streq(pn, "interrupt-controller"))
                    gic_ic = 1;
                else if (streq(pn, "reg")) {
                    reg = val;
                    reg_len = len;
                } else if (is_chosen && streq(pn, "stdout-path") && len && !val[len - 1])
                    stdout_path = (const char *)val;
                else if (is_chosen && streq(pn, "bootargs") && len && !val[len - 1])
                    bootargs = (const char *)val;
            }
        } else if (tok == FDT_END) {
            walk_ok = depth == 0;
            return;
        } else if (tok != FDT_NOP) {
            return;
        }
        if ((root_ac != 1 && root_ac != 2) || (root_sc != 1 && root_sc != 2))
            return;
    }
}

int main(uint32_t r0, uint32_t r1, uint32_t r2);
int main(uint32_t r0, uint32_t r1, uint32_t r2)
{
    const uint8_t *fdt = (const uint8_t *)r2;
    const uint32_t ram_end = RAM_BASE + RAM_SIZE;
    uint32_t total = 0;

    puts_("dtbcheck: the device tree handed over in r2\n");
    check("r0-zero", r0 == 0, r0);
    check("r1-no-machine-id", r1 == 0xFFFFFFFFu, r1);
    check("r2-in-ram-aligned", r2 - RAM_BASE < RAM_SIZE && !(r2 & 7), r2);   /* RAM_BASE may be 0 */
    check("r2-top-64k", r2 == ram_end - DTB_AREA, r2);
    if (r2 - RAM_BASE >= RAM_SIZE || r2 > ram_end - 40 || (r2 & 3))
        goto out;
    check("magic", be32(fdt) == FDT_MAGIC, be32(fdt));
    total = be32(fdt + 4);
    check("totalsize", total >= 40 && total <= DTB_AREA && total <= ram_end - r2, total);
    check("version>=17", be32(fdt + 20) >= 17, be32(fdt + 20));
    check("last-comp-version<=16", be32(fdt + 24) <= 16, be32(fdt + 24));
    if (be32(fdt) != FDT_MAGIC || total < 40 || total > ram_end - r2)
        goto out;
    check("blocks-inside", be32(fdt + 8) + be32(fdt + 36) <= total &&
                           be32(fdt + 12) + be32(fdt + 32) <= total, be32(fdt + 36));
    walk(fdt, total);
    check("structure-walk-ends", walk_ok, 0);
    check("root-cells", (root_ac == 1 || root_ac == 2) && (root_sc == 1 || root_sc == 2),
          root_ac << 16 | root_sc);
    check("root-compatible-" ROOT_COMPAT, root_compat, 0);
    check("memory-node", mem_found && mem_ok, mem_found);
    check("memory-base", mem_ok && mem_base == RAM_BASE, mem_base);
    check("memory-size", mem_ok && mem_size == RAM_SIZE, mem_size);
    check("pl011-compatible-reg", uart_found && uart_reg == UART, uart_reg);
    check("gic-" GIC_COMPAT, gic_found && gic_reg == GIC_DIST, gic_reg);
    check("chosen-stdout-path-pl011", stdout_path && uart_found && streq(stdout_path, uart_path), 0);
#ifdef BOOTARGS
    /* the VM file's cmdline= is the whole command line (tools/mkguests.py) */
    check("chosen-bootargs-cmdline", bootargs && streq(bootargs, BOOTARGS), 0);
#endif
#ifdef VIO_BASE
    {
        /* virtio-mmio MagicValue (0x000) and DeviceID (0x008); device type
         * per slot: console 3, block 2, network 1, balloon 5 (virtio 1.2 section 5) */
        static const uint32_t slot_id[4] = { 3, 2, 1, 5 };
        uint32_t seen = 0;

        check("virtio-nodes-well-formed", !vio_bad, nvio);
        for (unsigned i = 0; i < nvio; i++) {
            uint32_t slot = (vio_reg[i] - VIO_BASE) / 0x200;
            int in_slot = vio_reg[i] >= VIO_BASE && slot < 4 && !((vio_reg[i] - VIO_BASE) % 0x200);

            check("virtio-node-in-a-slot", in_slot, vio_reg[i]);
            if (!in_slot)
                continue;
            check("virtio-node-once", !(seen & (1u << slot)), vio_reg[i]);
            seen |= 1u << slot;
            check("virtio-node-spi-level", vio_irq[i][0] == 0 && vio_irq[i][1] == VIO_SPI + slot &&
                  vio_irq[i][2] == 4, vio_irq[i][1]);
            check("virtio-device-magic", *(volatile uint32_t *)vio_reg[i] == 0x74726976u,
                  *(volatile uint32_t *)vio_reg[i]);
            check("virtio-device-id-of-slot", *(volatile uint32_t *)(vio_reg[i] + 8) == slot_id[slot],
                  *(volatile uint32_t *)(vio_reg[i] + 8));
        }
        check("virtio-nodes-are-the-vm-files", seen == VIO_MASK, seen);
    }
#endif
out:
    puts_("RESULT dtbcheck: ");
    putdec((uint32_t)checks);
    puts_(" checks, ");
    putdec((uint32_t)failures);
    puts_(" failed, DTB ");
    putdec(total);
    puts_(" bytes\n");
    return failures;
}
