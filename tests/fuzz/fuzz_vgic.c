/*
 * The virtual GICv2 (drivers/emul/vgic.c) driven by a fuzzed sequence of
 * what a guest and the devices can do: distributor and CPU interface reads
 * and writes (any offset of the 4 KiB / 8 KiB frames, past the implemented
 * registers included, any size the MMIO path passes: 1, 2 or 4 bytes,
 * naturally aligned), SGIs with any target list and filter, priorities and
 * targets of every value, and device lines going up and down.
 *
 * Invariants: an acknowledge (IAR) returns an implemented interrupt ID or
 * 1023; at most VGIC_MAX_ACTIVE interrupts are active in the CPU interface
 * at once; no bit is set beyond the 96 implemented interrupts; the running
 * priority is one of the priorities a guest can program.
 */
#include "fuzz.h"
#include "../../drivers/emul/vgic.h"

#define GICC_IAR  0x0C
#define GICC_RPR  0x14

static unsigned sizes[3] = { 1, 2, 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct vgic d;

    vgic_reset(&d);
    while (fin_more(&f)) {
        uint8_t op = fin_u8(&f);
        unsigned sz = sizes[(op >> 4) % 3];
        uint32_t off = fin_u16(&f) & ~(sz - 1), val = fin_u32(&f), id;

        switch (op & 7) {
        case 0: (void)vgic_dist_read(&d, off & 0xFFF, sz); break;
        case 1: vgic_dist_write(&d, off & 0xFFF, sz, val); break;
        case 2:
            id = vgic_cpu_read(&d, off & 0x1FFF, sz);
            if ((off & 0x1FFF) == GICC_IAR && sz == 4)
                FUZZ_CHECK(id < VGIC_NR_IRQS || id == VGIC_SPURIOUS, "IAR returned %u",
                           (unsigned)id);
            if ((off & 0x1FFF) == GICC_RPR && sz == 4)
                FUZZ_CHECK(id <= 0xFF, "RPR %u", (unsigned)id);
            break;
        case 3: vgic_cpu_write(&d, off & 0x1FFF, sz, val); break;
        case 4: vgic_set_line(&d, val % VGIC_NR_IRQS, op & 0x80); break;
        case 5: /* GICD_SGIR: every filter and target list */
            vgic_dist_write(&d, 0xF00, 4, val); break;
        case 6: /* acknowledge then maybe end it */
            id = vgic_cpu_read(&d, GICC_IAR, 4);
            FUZZ_CHECK(id < VGIC_NR_IRQS || id == VGIC_SPURIOUS, "IAR returned %u", (unsigned)id);
            if (op & 0x80)
                vgic_cpu_write(&d, 0x10, 4, id);
            break;
        default:
            (void)vgic_irq_signalled(&d);
            (void)vgic_wake_pending(&d);
            break;
        }
        FUZZ_CHECK(d.nact <= VGIC_MAX_ACTIVE, "%u active interrupts", d.nact);
        for (unsigned i = 0; i < d.nact; i++)
            FUZZ_CHECK(d.act_id[i] < VGIC_NR_IRQS, "active[%u] = %u", i, d.act_id[i]);
    }
    return 0;
}
