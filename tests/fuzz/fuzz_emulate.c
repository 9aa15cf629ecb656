/*
 * The trap emulator on arbitrary instruction sequences: core/emulate.c,
 * cp15.c, vfp.c, exception.c, vcpu.c and (SVC) hypercall.c, linked with the
 * unit tests' fake platform (tests/unit/fake_arch.c: flat 1 MiB guest RAM,
 * recorders for everything else).
 *
 * Built twice:
 *   fuzz_emulate  (UND trap)  privileged and coprocessor instructions, biased
 *                             towards MCR/MRC p15 and VMRS/VMSR;
 *   fuzz_pvabi    (-DFUZZ_SVC, SVC trap)  the PV ABI: every SVC immediate,
 *                 so PV instructions, hypercalls with fuzzed numbers,
 *                 lengths and pointers, and the guest's own SVCs.
 * The input gives the starting virtual mode, masks, registers (raw values
 * or pointers into guest RAM), 256 bytes of guest data and up to 12
 * instructions, run in order on one vCPU.
 *
 * After every instruction, whatever the guest asked for:
 *   - the real CPU still returns to User mode (regs.cpsr M = USR): a guest
 *     never reaches a privileged real mode;
 *   - the virtual mode is one the virtual CPU has (never MON, HYP or a
 *     reserved encoding);
 *   - a stopped guest has a message saying why.
 * ASan/UBSan check every access of the monitor code; the fake guest memory
 * refuses anything outside guest RAM.
 */
#include "fuzz.h"
#include "fake.h"
#include "unit.h"
#include "emulate.h"
#include "vfp.h"
#include <arch/mmu-defs.h>

#define INSN  (FAKE_RAM_BASE + 0x1000)
#define VEC   (FAKE_RAM_BASE + 0x10000)
#define DATA  (FAKE_RAM_BASE + 0x4000)
#define NSTEP 12

static const uint32_t modes[] = { PSR_MODE_USR, PSR_MODE_FIQ, PSR_MODE_IRQ, PSR_MODE_SVC,
                                  PSR_MODE_ABT, PSR_MODE_UND, PSR_MODE_SYS };

static uint32_t fuzz_value(struct fin *f)
{
    uint8_t sel = fin_u8(f);
    uint32_t x = fin_u32(f);

    switch (sel & 3) {
    case 0: return x;
    case 1: return FAKE_RAM_BASE + (x % FAKE_RAM_SIZE);       /* a pointer into RAM */
    case 2: return DATA + (x & 0xFC);                         /* into the fuzzed data */
    default: return x & 0xFF;                                 /* a small number */
    }
}

static uint32_t next_insn(struct fin *f)
{
    uint8_t sel = fin_u8(f);
    uint32_t w = fin_u32(f);
#ifdef FUZZ_SVC
    uint32_t cond = sel >> 4 == 0xF ? 0xE : sel >> 4;
    return cond << 28 | 0x0F000000u | (w & 0xFFFFFFu);
#else
    switch (sel & 3) {
    case 0: return (w & 0xF0FF0FEFu) | 0x0E000F10u;           /* MCR/MRC p15 */
    case 1: return (w & 0xF0FFF0FFu) | 0x0EE00A10u;           /* VMRS/VMSR */
    default: return w;
    }
#endif
}

static void check_state(struct vcpu *v, uint32_t insn, int step)
{
    FUZZ_CHECK((v->regs.cpsr & PSR_MODE_MASK) == PSR_MODE_USR,
               "step %d, insn %08x: real CPSR 0x%08x is not User mode", step, insn,
               (unsigned)v->regs.cpsr);
    FUZZ_CHECK(vcpu_mode_valid(vmode(v)), "step %d, insn %08x: virtual mode 0x%02x", step,
               insn, (unsigned)vmode(v));
    FUZZ_CHECK(v->state != VCPU_STOPPED || fake.stop_msg[0], "step %d: stopped, no message",
               step);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    void *st;
    struct vcpu *v;
    uint8_t cfg = fin_u8(&f);

    unit_vcpu_setup(&st);
    v = st;
    v->cp15.vbar = VEC;
    /* the guest's high-vector, Thumb-exception, big-endian and alignment bits */
    v->cp15.sctlr ^= (uint32_t)fin_u8(&f) << 24 & (SCTLR_TE | SCTLR_EE);
    v->cp15.sctlr ^= cfg & 0x80 ? SCTLR_V : 0;
    vcpu_fast_update(v);
    vcpu_set_mode(v, modes[(cfg & 0x7F) % 7]);
    v->vcpsr = (v->vcpsr & ~PSR_AIF) | ((uint32_t)fin_u8(&f) << 6 & PSR_AIF);
    for (unsigned r = 0; r < 15; r++)
        vcpu_set_reg(v, r, fuzz_value(&f));
    for (unsigned i = 0; i < 256; i++)
        fake_ram[DATA - FAKE_RAM_BASE + i] = fin_u8(&f);

    for (int step = 0; step < NSTEP && fin_more(&f); step++) {
        uint32_t insn = next_insn(&f);
        fake_put32(INSN, insn);
        v->regs.pc = INSN + 4;          /* as the trap leaves it: the raw LR */
#ifdef FUZZ_SVC
        emulate_svc(v);
#else
        emulate_undef(v);
#endif
        check_state(v, insn, step);
        if (v->state == VCPU_STOPPED || v->state == VCPU_EXITED)
            break;
    }
    unit_vcpu_teardown(&st);
    return 0;
}
