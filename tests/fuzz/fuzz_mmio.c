/*
 * The MMIO access path of core/mmio.c (instruction fetch, ls_decode,
 * emulate_load_store, device_access) with a recording device, on fuzzed
 * instructions, registers and fault addresses.
 *
 * Invariants: the device model is only ever handed an access inside its
 * region, naturally aligned, of 1, 2 or 4 bytes; a write carries no bits
 * beyond its size; the real CPU stays in User mode and a stopped guest has
 * a message.  The registers may compute an address other than the one the
 * trap reports (another page, another region): that must not reach outside
 * the region either.
 */
#include "fuzz.h"
#include "fake.h"
#include "unit.h"
#include "mmio.h"
#include "emulate.h"
#include "vfp.h"

#define INSN    (FAKE_RAM_BASE + 0x1000)
#define VEC     (FAKE_RAM_BASE + 0x10000)
#define DEV_IPA 0x09000000u
#define DEV_SZ  0x1000u

static unsigned dev_calls;

static void check_access(uint32_t off, unsigned size)
{
    FUZZ_CHECK(size == 1 || size == 2 || size == 4, "device access of %u bytes", size);
    FUZZ_CHECK(off < DEV_SZ && size <= DEV_SZ - off, "device access at offset 0x%x size %u",
               (unsigned)off, size);
    FUZZ_CHECK((off & (size - 1)) == 0, "unaligned device access: offset 0x%x size %u",
               (unsigned)off, size);
    dev_calls++;
}

static uint32_t dev_read(void *dev, uint32_t off, unsigned size)
{
    check_access(off, size);
    return 0x89ABCDEFu + off;
}

static void dev_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    check_access(off, size);
    FUZZ_CHECK(size == 4 || val >> (8 * size) == 0, "%u-byte write carries 0x%08x", size,
               (unsigned)val);
}

static const struct mmio_ops ops = { dev_read, dev_write, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    void *st;
    struct vcpu *v;
    const struct mmio_region *r;
    uint32_t insn, va, ipa;

    unit_vcpu_setup(&st);
    v = st;
    v->cp15.vbar = VEC;
    if (mmio_register(&unit_guest, "fuzzdev", DEV_IPA, DEV_SZ, &ops, NULL))
        abort();
    insn = fin_u32(&f);
    /* mostly the instruction classes a device access can be */
    switch (fin_u8(&f) & 3) {
    case 0: insn = (insn & 0xF1FFFFFFu) | 0x04000000u; break;    /* LDR/STR word/byte */
    case 1: insn = (insn & 0xF1FFFF9Fu) | 0x00000090u | (insn & 0x60); break;  /* extra */
    default: break;
    }
    if ((insn & 0x00000060u) == 0 && (insn & 0x0E000090u) == 0x90u)
        insn |= 0x20;                               /* not a multiply/swap */
    for (unsigned i = 0; i < 15; i++) {
        uint32_t x = fin_u32(&f);
        vcpu_set_reg(v, i, fin_u8(&f) & 1 ? DEV_IPA + (x & 0x1FFF) - 0x800 : x);
    }
    v->regs.cpsr |= fin_u8(&f) & 1 ? PSR_T : 0;
    /* the trap reports a VA and the IPA its page maps to (same page offset) */
    va = fin_u32(&f);
    ipa = DEV_IPA + (va & (DEV_SZ - 1));
    if (fin_u8(&f) & 1)
        va = ipa;
    fake_put32(INSN, insn);
    v->regs.pc = INSN;                  /* the faulting instruction (trap.c) */
    r = mmio_find(&unit_guest, ipa);
    FUZZ_CHECK(r != NULL, "ipa 0x%08x not found in the region", (unsigned)ipa);
    mmio_emulate(v, r, va, ipa);
    FUZZ_CHECK((v->regs.cpsr & PSR_MODE_MASK) == PSR_MODE_USR, "insn %08x: real CPSR 0x%08x",
               (unsigned)insn, (unsigned)v->regs.cpsr);
    FUZZ_CHECK(v->state != VCPU_STOPPED || fake.stop_msg[0], "stopped without a message");
    unit_vcpu_teardown(&st);
    return 0;
}
