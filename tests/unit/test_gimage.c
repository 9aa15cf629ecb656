/*
 * core/gimage.c: where the guest images are (issue 19 item 5).  Embedded
 * images are at the monitor's physical base + (link address -
 * HV_RAM_VBASE), wherever the monitor was loaded; staged ones (FIT) at the
 * address in the table.  The span they occupy is what the monitor keeps
 * out of every guest's reach; guest_images_check() refuses images outside
 * the board's RAM or over the monitor, and staged images that are missing.
 */
#include "unit.h"
#include "../../core/guest.h"
#include "../../core/hv.h"
#include <arch/memmap.h>
#include <hv/board.h>

#define MIB 0x100000u

/* ---- the platform gimage.c links against ---------------------------------- */

struct boot_info hv_boot_info;
const struct board_desc board;
uint32_t board_ram_size(void) { return board.ram_size; }
static struct guest_image table[3];
const struct guest_image guest_images[3];
const uint32_t guest_image_count = 3;
const uint32_t guest_images_staged = 0;
static char printed[1024];
static uint8_t ram[64 * 1024];          /* host RAM at RAM_PA */
#define RAM_PA 0x48000000u

void *arch_physmap(unsigned slot, uint32_t pa)
{
    if (slot > 2 || pa < RAM_PA || pa - RAM_PA >= sizeof ram)
        fail_msg("arch_physmap(%u, 0x%08x): outside the test's RAM", slot, (unsigned)pa);
    return ram + (pa - RAM_PA);
}

void hv_printf(const char *fmt, ...)
{
    va_list ap;
    size_t n = strlen(printed);

    va_start(ap, fmt);
    vsnprintf(printed + n, sizeof printed - n, fmt, ap);
    va_end(ap);
}

/* ---- tests ------------------------------------------------------------------ */

static void set(unsigned i, uint32_t elf, uint32_t elf_size, uint32_t dtb, uint32_t dtb_size)
{
    table[i].elf = elf;
    table[i].elf_size = elf_size;
    table[i].dtb = dtb;
    table[i].dtb_size = dtb_size;
}

/* Embedded: link addresses after the window, moved with the monitor. */
static void test_embedded_span(void **state)
{
    const uint32_t after = HV_RAM_VBASE + HV_RAM_SIZE;      /* .vdisks, then .guest_images */
    struct gimage_span s;

    (void)state;
    memset(table, 0, sizeof table);
    set(0, after + 0x3000, 12 * MIB + 5, after + 0x3000 + 12 * MIB + 8, 1365);
    set(1, after + 0x3000, 12 * MIB + 5, after + 0x3000 + 12 * MIB + 1376, 1400);  /* same ELF */
    s = gimage_span_of(table, 2, 0x40100000, false);
    CHECK_EQ(s.lo, 0x40100000 + HV_RAM_SIZE + 0x3000);
    CHECK_EQ(s.hi, (uint64_t)0x40100000 + HV_RAM_SIZE + 0x3000 + 12 * MIB + 1376 + 1400);
    /* loaded elsewhere (u-boot): the same offsets from there */
    s = gimage_span_of(table, 2, 0x40400000, false);
    CHECK_EQ(s.lo, 0x40400000 + HV_RAM_SIZE + 0x3000);
    /* board RAM at 0 */
    s = gimage_span_of(table, 1, 0x00100000, false);
    CHECK_EQ(s.lo, 0x00100000 + HV_RAM_SIZE + 0x3000);
    CHECK_EQ(s.hi, (uint64_t)0x00100000 + HV_RAM_SIZE + 0x3000 + 12 * MIB + 8 + 1365);
}

/* Staged: the table's addresses as they are; a piece of size 0 is no piece;
 * no images at all: an empty span. */
static void test_staged_span(void **state)
{
    struct gimage_span s;

    (void)state;
    memset(table, 0, sizeof table);
    set(0, 0x44d00000, 104, 0x44d10000, 1361);
    set(1, 0x44c00000, 0x10000, 0, 0);
    s = gimage_span_of(table, 2, 0x40100000, true);
    CHECK_EQ(s.lo, 0x44c00000);
    CHECK_EQ(s.hi, (uint64_t)0x44d10000 + 1361);
    s = gimage_span_of(table, 0, 0x40100000, true);
    CHECK_EQ(s.hi, 0);
    /* a span ending at 4 GiB does not wrap */
    set(0, 0xFFF00000u, MIB, 0, 0);
    s = gimage_span_of(table, 1, 0, true);
    CHECK_EQ(s.hi, 0x100000000ull);
}

/* The boot-time check: inside the board's RAM, clear of the monitor's
 * 8 MiB wherever it was loaded; an empty span is fine. */
static void test_span_ok(void **state)
{
    const uint32_t base = 0x40000000, size = 0x10000000;
    struct gimage_span s = { 0x40900000, 0x41557ad8 };

    (void)state;
    CHECK_TRUE(gimage_span_ok(s, base, size, 0x40100000));
    CHECK_FALSE(gimage_span_ok(s, base, size, 0x40400000));         /* the monitor moved over them */
    CHECK_FALSE(gimage_span_ok(s, base, size, 0x41500000));          /* over their end */
    CHECK_TRUE(gimage_span_ok(s, base, size, 0x41600000));          /* monitor above them */
    s.hi = 0x50000001ull;                                           /* past the RAM's end */
    CHECK_FALSE(gimage_span_ok(s, base, size, 0x40100000));
    s.hi = 0x50000000ull;
    CHECK_TRUE(gimage_span_ok(s, base, size, 0x40100000));
    s.lo = 0x3ff00000;                                              /* below the RAM */
    CHECK_FALSE(gimage_span_ok(s, base, size, 0x48000000));
    s.lo = 0; s.hi = 0;
    CHECK_TRUE(gimage_span_ok(s, base, size, 0x40100000));
}

/* guest_image_pa(): this monitor's table is embedded; physical base +
 * offset into the window. */
static void test_image_pa(void **state)
{
    (void)state;
    hv_boot_info.phys_base = 0x60100000;
    CHECK_EQ(guest_image_pa(HV_RAM_VBASE + HV_RAM_SIZE + 0x40), 0x60100000 + HV_RAM_SIZE + 0x40);
}

/* Reading crosses nothing it should not: bytes as they are in host RAM. */
static void test_read(void **state)
{
    uint8_t b[16];

    (void)state;
    for (unsigned k = 0; k < sizeof ram; k++)
        ram[k] = (uint8_t)(k ^ (k >> 8));
    guest_image_read(RAM_PA + 0x1ff8, b, sizeof b);
    CHECK_EQ(memcmp(b, ram + 0x1ff8, sizeof b), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, NULL, unit_ubsan_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_embedded_span), T(test_staged_span), T(test_image_pa), T(test_read), T(test_span_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
