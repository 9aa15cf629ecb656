/*
 * core/emulate.c, core/cp15.c, core/vfp.c, core/hypercall.c end to end:
 * an instruction is placed in fake guest RAM at INSN, the vCPU is set up
 * as the trap would leave it (regs.pc = INSN + 4: the raw LR of the SVC or
 * UND trap), then emulate_svc() or emulate_undef() runs.
 */
#include "unit.h"
#include "idregs.h"
#include "emulate.h"
#include "decode.h"
#include "exception.h"
#include "vfp.h"
#include "mmio.h"
#include "guest.h"
#include <hv/pv-abi.h>
#include <arch/mmu-defs.h>

#define CHECK_TRUE_CTX(x, ...) CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)
#define INSN     (FAKE_RAM_BASE + 0x1000)       /* address of the trapped insn */
#define VEC      (FAKE_RAM_BASE + 0x10000)      /* guest VBAR */
#define RAM_END  (FAKE_RAM_BASE + FAKE_RAM_SIZE)
#define DATA     (FAKE_RAM_BASE + 0x4000)

/* ---- fixture and helpers ----------------------------------------------- */

/* Virtual SVC mode, A I F set (reset state), VBAR = VEC, SVC SP = 0x40080000. */
static int emu_setup(void **state)
{
    struct vcpu *v;

    unit_vcpu_setup(state);
    v = *state;
    v->cp15.vbar = VEC;
    v->regs.sp = FAKE_RAM_BASE + 0x80000;
    return 0;
}
#define TE(f) cmocka_unit_test_setup_teardown(f, emu_setup, unit_vcpu_teardown)

static void run_svc_cond(struct vcpu *v, uint32_t cond, uint32_t imm24)
{
    fake_put32(INSN, svc_word(cond, imm24));
    v->regs.pc = INSN + 4;
    emulate_svc(v);
}
static void run_svc(struct vcpu *v, uint32_t imm24) { run_svc_cond(v, 0xE, imm24); }

static void run_undef(struct vcpu *v, uint32_t insn)
{
    fake_put32(INSN, insn);
    v->regs.pc = INSN + 4;
    emulate_undef(v);
}

/* MCR/MRC p15 (A8.8.98/A8.8.108) */
static uint32_t cp15_insn(uint32_t cond, bool read, unsigned opc1, unsigned crn, unsigned rt,
                          unsigned crm, unsigned opc2)
{
    return cond << 28 | 0x0E000010u | opc1 << 21 | (uint32_t)read << 20 | crn << 16 |
           rt << 12 | 15u << 8 | opc2 << 5 | crm;
}
#define MRC15(rt, opc1, crn, crm, opc2) cp15_insn(0xE, true, opc1, crn, rt, crm, opc2)
#define MCR15(rt, opc1, crn, crm, opc2) cp15_insn(0xE, false, opc1, crn, rt, crm, opc2)
#define VMRS(rt, reg) (0xEEF00A10u | (reg) << 16 | (rt) << 12)
#define VMSR(reg, rt) (0xEEE00A10u | (reg) << 16 | (rt) << 12)

/* Emulated and continuing with the next instruction, guest not stopped. */
static void check_done(struct vcpu *v, uint32_t mode)
{
    CHECK_EQ_CTX(fake.stop_count, 0, "guest stopped: %s", fake.stop_msg);
    CHECK_EQ(v->regs.pc, INSN + 4);
    CHECK_EQ(vmode(v), mode);
}

/* The guest took exception `mode` at vector offset `off` with LR `lr`;
 * its SPSR holds `old_cpsr`. */
static void check_injected(struct vcpu *v, uint32_t mode, uint32_t off, uint32_t lr,
                           uint32_t old_cpsr)
{
    CHECK_EQ_CTX(fake.stop_count, 0, "guest stopped: %s", fake.stop_msg);
    CHECK_EQ(vmode(v), mode);
    CHECK_EQ(v->regs.lr, lr);
    CHECK_EQ(v->regs.pc, VEC + off);
    CHECK_EQ(*vcpu_spsr(v), old_cpsr);
}
#define CHECK_UNDEF(v, old)  check_injected(v, PSR_MODE_UND, 0x04, INSN + 4, old)
#define CHECK_SVC_EXC(v, old) check_injected(v, PSR_MODE_SVC, 0x08, INSN + 4, old)

static void check_stopped(const char *needle)
{
    CHECK_EQ(fake.stop_count, 1);
    CHECK_EQ(unit_guest.vcpu.state, VCPU_STOPPED);
    if (!strstr(fake.stop_msg, needle))
        fail_msg("stop message \"%s\" does not mention \"%s\"", fake.stop_msg, needle);
}

static void enter_mode(struct vcpu *v, uint32_t mode, uint32_t aif)
{
    vcpu_set_mode(v, mode);
    v->vcpsr = (v->vcpsr & ~PSR_AIF) | aif;
}

/* ---- MRS / MSR ------------------------------------------------------------ */

static void test_mrs_cpsr(void **state)
{
    struct vcpu *v = *state;

    enter_mode(v, PSR_MODE_SVC, PSR_I);
    v->regs.cpsr = PSR_MODE_USR | PSR_NZCVQ | PSR_GE | PSR_E | PSR_IT | PSR_J;
    v->regs.r[3] = 0xDEAD;
    run_svc(v, PV_MRS(0, 3));
    check_done(v, PSR_MODE_SVC);
    /* execution state bits (IT, J, T) read as zero */
    CHECK_EQ(v->regs.r[3], PSR_NZCVQ | PSR_GE | PSR_E | PSR_I | PSR_MODE_SVC);
    CHECK_EQ(v->stats[TS_PV_MRS], 1);
    /* into SP of the current mode */
    run_svc(v, PV_MRS(0, 13));
    CHECK_EQ(v->regs.sp, PSR_NZCVQ | PSR_GE | PSR_E | PSR_I | PSR_MODE_SVC);
    /* conditional form: the SVC only trapped because the condition passed */
    run_svc_cond(v, 0x0, PV_MRS(0, 4));
    CHECK_EQ(v->regs.r[4], PSR_NZCVQ | PSR_GE | PSR_E | PSR_I | PSR_MODE_SVC);
}

static void test_mrs_spsr(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    v->spsr[BANK_SVC] = 0x600F01D0 | PSR_MODE_USR;
    run_svc(v, PV_MRS(1, 5));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[5], 0x600F01D0 | PSR_MODE_USR);
    /* Rd = PC: UNDEF */
    old = vcpu_cpsr(v);
    run_svc(v, PV_MRS(0, 15));
    CHECK_UNDEF(v, old);
}

static void test_mrs_spsr_in_sys_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    v->regs.r[5] = 0x5555;
    old = vcpu_cpsr(v);
    run_svc(v, PV_MRS(1, 5));
    CHECK_UNDEF(v, old);
    vcpu_set_mode(v, PSR_MODE_SYS);
    CHECK_EQ(v->regs.r[5], 0x5555);
}

static void test_msr_reg_cpsr_fields(void **state)
{
    struct vcpu *v = *state;

    /* msr cpsr_f, r1: flags only, whatever else r1 holds */
    v->regs.r[1] = PSR_N | PSR_Q | PSR_GE | PSR_E | PSR_MODE_USR;
    run_svc(v, PV_MSR_REG(0, PV_MSR_F, 1));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(vcpu_cpsr(v), PSR_N | PSR_Q | PSR_MODE_SVC | PSR_AIF);
    /* msr cpsr_s / cpsr_x */
    v->regs.r[1] = PSR_GE | PSR_E;
    run_svc(v, PV_MSR_REG(0, PV_MSR_S, 1));
    CHECK_EQ(vcpu_cpsr(v), PSR_N | PSR_Q | PSR_GE | PSR_MODE_SVC | PSR_AIF);
    run_svc(v, PV_MSR_REG(0, PV_MSR_X, 1));            /* E set, A cleared */
    CHECK_EQ(vcpu_cpsr(v), PSR_N | PSR_Q | PSR_GE | PSR_E | PSR_MODE_SVC | PSR_I | PSR_F);
    /* msr cpsr_fc, r2: to SYS with F only; SVC's SP goes to its bank */
    v->regs.sp = 0x5C5C;
    v->bank_sp[BANK_USR] = 0x1D1D;
    v->regs.r[2] = PSR_Z | PSR_F | PSR_MODE_SYS;
    run_svc(v, PV_MSR_REG(0, PV_MSR_F | PV_MSR_C, 2));
    check_done(v, PSR_MODE_SYS);
    CHECK_EQ(vcpu_cpsr(v), PSR_Z | PSR_GE | PSR_E | PSR_F | PSR_MODE_SYS);
    CHECK_EQ(v->regs.sp, 0x1D1D);
    CHECK_EQ(v->bank_sp[BANK_SVC], 0x5C5C);
    /* T and IT are not writable by MSR */
    v->regs.r[2] = PSR_T | PSR_IT | PSR_MODE_SYS;
    run_svc(v, PV_MSR_REG(0, 0xF, 2));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT | PSR_J), 0);
    CHECK_EQ(v->stats[TS_PV_MSR], 5);
}

static void test_msr_imm_cpsr(void **state)
{
    struct vcpu *v = *state;

    /* msr cpsr_f, #0xF0000000 (imm12 0x4F0: 0xF0 ror 8) */
    run_svc(v, PV_MSR_IMM(0, PV_MSR_F, 0x4F0));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(vcpu_cpsr(v), 0xF0000000 | PSR_MODE_SVC | PSR_AIF);
    /* msr cpsr_c, #0x1F: SYS, I and F clear (A is in the x byte) */
    run_svc(v, PV_MSR_IMM(0, PV_MSR_C, 0x01F));
    check_done(v, PSR_MODE_SYS);
    CHECK_EQ(vcpu_cpsr(v), 0xF0000000 | PSR_MODE_SYS | PSR_A);
}

static void test_msr_spsr_fields(void **state)
{
    struct vcpu *v = *state;

    v->spsr[BANK_SVC] = 0x000FFF10;
    v->regs.r[1] = 0xF0F0F0D3;
    run_svc(v, PV_MSR_REG(1, PV_MSR_F | PV_MSR_C, 1));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->spsr[BANK_SVC], 0xF00FFFD3);           /* f and c bytes only */
    CHECK_EQ(vcpu_cpsr(v), PSR_MODE_SVC | PSR_AIF);     /* CPSR untouched */
    run_svc(v, PV_MSR_IMM(1, PV_MSR_S | PV_MSR_X, 0xCFF));   /* 0xFF ror 24 = 0xFF00 */
    CHECK_EQ(v->spsr[BANK_SVC], 0xF000FFD3);
}

static void test_msr_spsr_in_sys_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    v->regs.r[1] = PSR_MODE_USR;
    old = vcpu_cpsr(v);
    run_svc(v, PV_MSR_REG(1, PV_MSR_C, 1));
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SYS, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_MSR_IMM(1, PV_MSR_F, 0x4F0));
    CHECK_UNDEF(v, old);
}

/* In virtual User mode every SVC is the guest's own system call
 * (pv-abi.h): a PV MSR there is reflected to the guest kernel as an SVC
 * exception, and emulates nothing (not even an UNDEF for MSR SPSR). */
static void test_msr_in_user_is_syscall(void **state)
{
    struct vcpu *v = *state;
    static const uint32_t imms[] = {
        PV_MSR_REG(0, PV_MSR_F | PV_MSR_C, 1), PV_MSR_REG(1, PV_MSR_C, 1),
        PV_MSR_IMM(0, PV_MSR_F, 0x4F0), PV_MSR_IMM(1, PV_MSR_F, 0x4F0),
    };

    for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++) {
        uint32_t old;
        enter_mode(v, PSR_MODE_USR, 0);
        v->regs.cpsr = PSR_MODE_USR | PSR_C;
        v->regs.r[1] = PSR_MODE_SVC | PSR_N;
        old = vcpu_cpsr(v);
        run_svc(v, imms[k]);
        CHECK_SVC_EXC(v, old);
        CHECK_EQ_CTX(old, PSR_MODE_USR | PSR_C, "imm24 0x%06x", (unsigned)imms[k]);
        CHECK_EQ_CTX(v->regs.cpsr & PSR_NZCVQ, PSR_C, "flags unchanged, imm24 0x%06x",
                     (unsigned)imms[k]);
    }
    CHECK_EQ(v->stats[TS_SYSCALL], 4);
    CHECK_EQ(v->stats[TS_PV_MSR], 0);
}

static void test_msr_bad_mode_stops(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[2] = PSR_MODE_MON;
    run_svc(v, PV_MSR_REG(0, PV_MSR_C, 2));
    check_stopped("mode 0x16");
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
}

static void test_msr_spsr_bad_mode_stops(void **state)
{
    struct vcpu *v = *state;

    v->spsr[BANK_SVC] = PSR_MODE_USR;
    v->regs.r[2] = PSR_MODE_HYP;
    run_svc(v, PV_MSR_REG(1, PV_MSR_C, 2));
    check_stopped("mode 0x1a");
    CHECK_EQ(v->spsr[BANK_SVC], PSR_MODE_USR);
}

static void test_msr_mask0_and_pc_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    run_svc(v, PV_MSR_REG(0, 0, 1));                    /* no fields: UNPREDICTABLE */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, PSR_AIF);
    old = vcpu_cpsr(v);
    run_svc(v, PV_MSR_REG(0, PV_MSR_F, 15));            /* Rn = PC */
    CHECK_UNDEF(v, old);
}

/* ---- CPS ------------------------------------------------------------------- */

static void test_cps_interrupt_masks(void **state)
{
    struct vcpu *v = *state;

    run_svc(v, PV_CPS(PV_CPS_IMOD_ENABLE, 0, PV_CPS_A | PV_CPS_I | PV_CPS_F, 0));  /* cpsie aif */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->vcpsr & PSR_AIF, 0);
    run_svc(v, PV_CPS(PV_CPS_IMOD_DISABLE, 0, PV_CPS_I, 0));                      /* cpsid i */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I);
    run_svc(v, PV_CPS(PV_CPS_IMOD_DISABLE, 0, PV_CPS_F | PV_CPS_A, 0));           /* cpsid af */
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_AIF);
    run_svc(v, PV_CPS(PV_CPS_IMOD_ENABLE, 0, PV_CPS_I, 0));                       /* cpsie i */
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_A | PSR_F);
    CHECK_EQ(v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF), PSR_MODE_USR);   /* real CPSR untouched */
    CHECK_EQ(v->stats[TS_PV_CPS], 4);
}

static void test_cps_mode(void **state)
{
    struct vcpu *v = *state;

    v->regs.sp = 0x5C5C;
    v->bank_sp[BANK_IRQ] = 0x1212;
    run_svc(v, PV_CPS(PV_CPS_IMOD_NONE, 1, 0, PSR_MODE_IRQ));                     /* cps #0x12 */
    check_done(v, PSR_MODE_IRQ);
    CHECK_EQ(v->regs.sp, 0x1212);
    CHECK_EQ(v->bank_sp[BANK_SVC], 0x5C5C);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_AIF);
    run_svc(v, PV_CPS(PV_CPS_IMOD_ENABLE, 1, PV_CPS_I | PV_CPS_F, PSR_MODE_SYS)); /* cpsie if, #0x1f */
    check_done(v, PSR_MODE_SYS);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_A);
}

static void test_cps_bad_mode_and_imod(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    run_svc(v, PV_CPS(1, 0, PV_CPS_I, 0));                 /* imod 01: reserved */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    run_svc(v, PV_CPS(PV_CPS_IMOD_DISABLE, 1, PV_CPS_I, PSR_MODE_HYP));
    check_stopped("mode 0x1a");
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
    CHECK_EQ(v->vcpsr & PSR_AIF, 0);                        /* nothing applied */
}

/* CPS is a NOP in User mode (B9.3.2); with the PV ABI an SVC in virtual
 * User mode never reaches the CPS emulation: it is the guest's system call. */
static void test_cps_in_user_is_syscall(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_USR, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_CPS(PV_CPS_IMOD_DISABLE, 1, PV_CPS_A | PV_CPS_I | PV_CPS_F, PSR_MODE_SYS));
    CHECK_SVC_EXC(v, old);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I);                    /* only the SVC entry mask */
    CHECK_EQ(v->stats[TS_PV_CPS], 0);
}

/* ---- exception returns --------------------------------------------------- */

static void test_subs_pc_lr(void **state)
{
    struct vcpu *v = *state;
    uint32_t spsr = PSR_Z | PSR_C | PSR_GE | PSR_MODE_USR;

    enter_mode(v, PSR_MODE_IRQ, PSR_I | PSR_A);
    v->regs.lr = 0x40002008;
    v->spsr[BANK_IRQ] = spsr;
    v->bank_sp[BANK_USR] = 0x40070000;
    v->regs.cpsr = PSR_MODE_USR | PSR_N;
    run_svc(v, PV_DP_PC(2, 1, 14, 4));                      /* subs pc, lr, #4 */
    CHECK_EQ(fake.stop_count, 0);
    CHECK_EQ(v->regs.pc, 0x40002004);
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    CHECK_EQ(vcpu_cpsr(v), spsr);
    CHECK_EQ(v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF), PSR_MODE_USR);
    CHECK_EQ(v->regs.sp, 0x40070000);
    CHECK_EQ(v->bank_lr[BANK_IRQ], 0x40002008);
    CHECK_EQ(v->stats[TS_PV_EXCRET], 1);
}

static void test_movs_pc_lr_and_shifted(void **state)
{
    struct vcpu *v = *state;

    /* movs pc, lr to SYS in Thumb state: pc bit 0 cleared */
    v->regs.lr = 0x40003001;
    v->spsr[BANK_SVC] = PSR_T | PSR_MODE_SYS | PSR_F;
    run_svc(v, PV_DP_PC(0xD, 0, 0, 14));
    CHECK_EQ(fake.stop_count, 0);
    CHECK_EQ(v->regs.pc, 0x40003000);
    CHECK_EQ(vcpu_cpsr(v), PSR_T | PSR_MODE_SYS | PSR_F);

    /* adds pc, r0, r1, lsl #2 from UND back to SVC, ARM state */
    enter_mode(v, PSR_MODE_UND, PSR_I);
    v->regs.cpsr = PSR_MODE_USR;
    v->regs.r[0] = 0x40000000;
    v->regs.r[1] = 0x00000401;
    v->spsr[BANK_UND] = PSR_MODE_SVC | PSR_I;
    run_svc(v, PV_DP_PC(4, 0, 0, 2 << 7 | 1));
    CHECK_EQ(v->regs.pc, 0x40001004);
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
}

static void test_dp_pc_sys_undef_and_bad_opcode(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_DP_PC(2, 1, 14, 4));
    CHECK_UNDEF(v, old);
    /* cmp has no result: not an exception return */
    enter_mode(v, PSR_MODE_SVC, 0);
    v->spsr[BANK_SVC] = PSR_MODE_USR;
    run_svc(v, PV_DP_PC(0xA, 1, 14, 4));
    check_stopped("opcode 10");
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
}

static void test_excret_bad_spsr_mode_stops(void **state)
{
    struct vcpu *v = *state;

    v->spsr[BANK_SVC] = PSR_MODE_MON;
    v->regs.lr = 0x40002000;
    run_svc(v, PV_DP_PC(0xD, 0, 0, 14));
    check_stopped("mode 0x16");
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
}

/* ldm{ia,ib,da,db} sp!, {r0-r3, pc}^ from SVC back to User mode */
static void test_ldm_exception_return_modes(void **state)
{
    static const struct { bool p, u; int32_t start; const char *name; } am[] = {
        { 0, 1, 0, "IA" }, { 1, 1, 4, "IB" }, { 0, 0, -16, "DA" }, { 1, 0, -20, "DB" },
    };
    const uint32_t base = DATA + 0x100;

    for (size_t k = 0; k < 4; k++) {
        struct vcpu *v;
        emu_setup(state);
        v = *state;
        for (unsigned w = 0; w < 5; w++)
            fake_put32(base + am[k].start + 4 * w, w < 4 ? 0x100 + w : 0x40005003);
        v->regs.sp = base;
        v->spsr[BANK_SVC] = PSR_N | PSR_MODE_USR;
        v->bank_sp[BANK_USR] = 0x40077777;
        run_svc(v, PV_LDM_EXCRET(am[k].p, am[k].u, 1, 13, 0xF));
        CHECK_EQ_CTX(fake.stop_count, 0, "%s: %s", am[k].name, fake.stop_msg);
        for (unsigned r = 0; r < 4; r++)
            CHECK_EQ_CTX(v->regs.r[r], 0x100 + r, "%s: r%u", am[k].name, r);
        CHECK_EQ_CTX(v->regs.pc, 0x40005000, "%s: pc (ARM-aligned)", am[k].name);
        CHECK_EQ_CTX(vmode(v), PSR_MODE_USR, "%s: mode", am[k].name);
        CHECK_EQ_CTX(vcpu_cpsr(v), PSR_N | PSR_MODE_USR, "%s: cpsr", am[k].name);
        CHECK_EQ_CTX(v->regs.sp, 0x40077777, "%s: User SP", am[k].name);
        CHECK_EQ_CTX(v->bank_sp[BANK_SVC], am[k].u ? base + 20 : base - 20,
                     "%s: SVC SP written back", am[k].name);
        unit_vcpu_teardown(state);
    }
}

static void test_ldm_exception_return_no_writeback_and_rn_in_list(void **state)
{
    struct vcpu *v = *state;

    /* ldmia sp, {r0, pc}^ back to SVC itself in Thumb: SP unchanged */
    fake_put32(DATA, 0xAAAA);
    fake_put32(DATA + 4, 0x40006003);
    v->regs.sp = DATA;
    v->spsr[BANK_SVC] = PSR_T | PSR_MODE_SVC;
    run_svc(v, PV_LDM_EXCRET(0, 1, 0, 13, 0x1));
    CHECK_EQ(v->regs.r[0], 0xAAAA);
    CHECK_EQ(v->regs.pc, 0x40006002);
    CHECK_EQ(v->regs.sp, DATA);
    CHECK_EQ(vcpu_cpsr(v), PSR_T | PSR_MODE_SVC);

    /* ldmia r0!, {r0, r1, pc}^: the loaded r0 wins over the write-back */
    emu_setup(state);
    v = *state;
    fake_put32(DATA, 0x1111);
    fake_put32(DATA + 4, 0x2222);
    fake_put32(DATA + 8, 0x40006000);
    v->regs.r[0] = DATA;
    v->spsr[BANK_SVC] = PSR_MODE_USR;
    run_svc(v, PV_LDM_EXCRET(0, 1, 1, 0, 0x3));
    CHECK_EQ(v->regs.r[0], 0x1111);
    CHECK_EQ(v->regs.r[1], 0x2222);
    CHECK_EQ(v->regs.pc, 0x40006000);
}

static void test_ldm_user_from_svc(void **state)
{
    struct vcpu *v = *state;

    for (unsigned w = 0; w < 7; w++)
        fake_put32(DATA + 4 * w, 0x800 + w);
    v->regs.r[0] = DATA;
    v->regs.sp = 0x5C5C;
    v->regs.lr = 0x5E5E;
    run_svc(v, PV_LDM_USER(0, 1, 0, 0x7F00));               /* ldmia r0, {r8-lr}^ */
    check_done(v, PSR_MODE_SVC);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0x800 + r - 8, "r%u (shared)", r);
    CHECK_EQ(v->bank_sp[BANK_USR], 0x805);
    CHECK_EQ(v->bank_lr[BANK_USR], 0x806);
    CHECK_EQ(v->regs.sp, 0x5C5C);                           /* SVC's own untouched */
    CHECK_EQ(v->regs.lr, 0x5E5E);
    CHECK_EQ(v->regs.r[0], DATA);                           /* no write-back form */
    CHECK_EQ(v->stats[TS_PV_LDMSTM_USER], 1);
}

static void test_ldm_user_from_fiq(void **state)
{
    struct vcpu *v = *state;

    enter_mode(v, PSR_MODE_FIQ, PSR_AIF);
    for (unsigned r = 8; r < 13; r++)
        v->regs.r[r] = 0xF00 + r;
    v->regs.sp = 0xF0DD;
    for (unsigned w = 0; w < 7; w++)
        fake_put32(DATA - 28 + 4 * w, 0x900 + w);
    v->regs.r[1] = DATA;
    run_svc(v, PV_LDM_USER(1, 0, 1, 0x7F00));               /* ldmdb r1, {r8-lr}^ */
    check_done(v, PSR_MODE_FIQ);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xF00 + r, "FIQ r%u untouched", r);
    CHECK_EQ(v->regs.sp, 0xF0DD);
    vcpu_set_mode(v, PSR_MODE_USR);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0x900 + r - 8, "User r%u loaded from FIQ", r);
    CHECK_EQ(v->regs.sp, 0x905);
    CHECK_EQ(v->regs.lr, 0x906);
}

static void test_stm_user_from_fiq(void **state)
{
    struct vcpu *v = *state;
    const uint32_t sp = DATA + 0x100;

    vcpu_set_mode(v, PSR_MODE_USR);
    for (unsigned r = 0; r < 13; r++)
        v->regs.r[r] = 0x700 + r;
    v->regs.sp = 0x70D;
    v->regs.lr = 0x70E;
    enter_mode(v, PSR_MODE_FIQ, PSR_AIF);
    for (unsigned r = 8; r < 13; r++)
        v->regs.r[r] = 0xF00 + r;
    v->regs.sp = sp;
    run_svc(v, PV_STM_USER(1, 0, 13, 0xFF01));              /* stmdb sp, {r0, r8-pc}^ */
    check_done(v, PSR_MODE_FIQ);
    CHECK_EQ(fake_get32(sp - 36), 0x700);
    for (unsigned r = 8; r < 15; r++)
        CHECK_EQ_CTX(fake_get32(sp - 36 + 4 * (r - 7)), 0x700 + r, "stored User r%u", r);
    CHECK_EQ(fake_get32(sp - 4), INSN + 8);                 /* PC: instruction + 8 */
    CHECK_EQ(v->regs.sp, sp);                               /* no write-back */
}

static void test_ldm_stm_user_in_sys_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    v->regs.r[0] = DATA;
    old = vcpu_cpsr(v);
    run_svc(v, PV_LDM_USER(0, 1, 0, 0x6000));
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SYS, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_STM_USER(0, 1, 0, 0x6000));
    CHECK_UNDEF(v, old);
    /* empty list, Rn = PC: UNDEF too */
    enter_mode(v, PSR_MODE_SVC, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_STM_USER(0, 1, 0, 0));
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_LDM_USER(0, 1, 15, 0x3));
    CHECK_UNDEF(v, old);
}

static void test_ldm_unaligned_base_aborts(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SVC, PSR_I);
    v->regs.r[0] = DATA + 2;
    v->regs.r[1] = 0x1111;
    old = vcpu_cpsr(v);
    run_svc(v, PV_LDM_USER(0, 1, 0, 0x6));
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr, FSR_ALIGNMENT);
    CHECK_EQ(v->cp15.dfar, DATA + 2);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I | PSR_A);
    CHECK_EQ(v->regs.r[1], 0x1111);
    CHECK_EQ(v->stats[TS_DABT], 1);
}

static void test_stm_unaligned_base_aborts_wnr(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    v->regs.r[2] = DATA + 1;
    run_svc(v, PV_STM_USER(1, 1, 2, 0x3));
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr, FSR_WNR | FSR_ALIGNMENT);
    CHECK_EQ(v->cp15.dfar, DATA + 5);                       /* IB: base + 4 */
}

static void test_ldm_outside_ram_aborts(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    v->regs.r[0] = 0x10000000;
    v->regs.r[1] = 0x1111;
    run_svc(v, PV_LDM_USER(0, 1, 0, 0x6));
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr, FSR_EXT_ABORT);
    CHECK_EQ(v->cp15.dfar, 0x10000000);
    CHECK_EQ(v->regs.r[1], 0x1111);

    /* exception-return LDM straddling the end of RAM: precise, nothing loaded */
    emu_setup(state);
    v = *state;
    v->regs.r[0] = RAM_END - 8;
    v->regs.r[1] = 0x1111;
    v->regs.r[2] = 0x2222;
    v->spsr[BANK_SVC] = PSR_MODE_USR;
    old = vcpu_cpsr(v);
    run_svc(v, PV_LDM_EXCRET(0, 1, 1, 0, 0x6));
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr & 0xF, FSR_EXT_ABORT);
    CHECK_EQ(v->cp15.dfar, RAM_END);                        /* the word that faulted (B3.13.3) */
    vcpu_set_mode(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], RAM_END - 8);                    /* no write-back either */
    CHECK_EQ(v->regs.r[1], 0x1111);
    CHECK_EQ(v->regs.r[2], 0x2222);
}

static void test_stm_outside_ram_aborts(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    v->regs.r[0] = 0x00000100;
    run_svc(v, PV_STM_USER(0, 1, 0, 0x6));
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr, FSR_WNR | FSR_EXT_ABORT);
    CHECK_EQ(v->cp15.dfar, 0x00000100);
}

/* srsdb sp!, #0x13 from IRQ; then in SVC rfeia sp! */
static void test_srs_rfe_roundtrip(void **state)
{
    struct vcpu *v = *state;
    const uint32_t svc_sp = DATA + 0x200, ret_cpsr = PSR_Z | PSR_MODE_USR;

    v->regs.sp = svc_sp;
    enter_mode(v, PSR_MODE_IRQ, PSR_I | PSR_A);
    v->regs.lr = 0x40007004;
    v->spsr[BANK_IRQ] = ret_cpsr;
    run_svc(v, PV_SRS(1, 0, 1, PSR_MODE_SVC));
    check_done(v, PSR_MODE_IRQ);
    CHECK_EQ(fake_get32(svc_sp - 8), 0x40007004);
    CHECK_EQ(fake_get32(svc_sp - 4), ret_cpsr);
    CHECK_EQ(v->bank_sp[BANK_SVC], svc_sp - 8);

    run_svc(v, PV_CPS(PV_CPS_IMOD_NONE, 1, 0, PSR_MODE_SVC));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.sp, svc_sp - 8);
    v->bank_sp[BANK_USR] = 0x40071111;
    run_svc(v, PV_RFE(0, 1, 1, 13));
    CHECK_EQ(fake.stop_count, 0);
    CHECK_EQ(v->regs.pc, 0x40007004);
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    CHECK_EQ(vcpu_cpsr(v), ret_cpsr);
    CHECK_EQ(v->bank_sp[BANK_SVC], svc_sp);
    CHECK_EQ(v->regs.sp, 0x40071111);
    CHECK_EQ(v->stats[TS_PV_SRS_RFE], 2);
}

/* ---- CPSR.E = 1 (SETEND BE): the monitor's data accesses for the guest
 * are big-endian (A2.4.3, A3.3) ---------------------------------------------- */

/* A device register file as the device models see it: little-endian words. */
static uint8_t dev_bytes[16];
static uint32_t dev_access(struct vcpu *v, void *ctx, uint32_t addr, unsigned size, bool write,
                           bool pl1, uint32_t *val)
{
    uint32_t off = addr & 15;
    if (write) {
        for (unsigned k = 0; k < size; k++)
            dev_bytes[off + k] = (uint8_t)(*val >> (8 * k));
    } else {
        *val = 0;
        for (unsigned k = 0; k < size; k++)
            *val |= (uint32_t)dev_bytes[off + k] << (8 * k);
    }
    return 0;
}

static void ls(struct vcpu *v, uint32_t insn)
{
    struct ls_insn i;
    CHECK_TRUE(ls_decode(insn, &i));
    v->regs.pc = INSN + 8;
    emulate_load_store(v, INSN, &i, dev_access, NULL);
}

static void test_big_endian_device_access(void **state)
{
    struct vcpu *v = *state;

    v->regs.cpsr |= PSR_E;
    memset(dev_bytes, 0, sizeof(dev_bytes));
    v->regs.r[0] = 0x10000000;
    v->regs.r[1] = 0xA0;
    ls(v, 0xE5C01000);                          /* strb r1, [r0] */
    CHECK_EQ(dev_bytes[0], 0xA0);               /* a byte lands as is */
    v->regs.r[1] = 0x11223344;
    ls(v, 0xE5801004);                          /* str r1, [r0, #4] */
    CHECK_EQ(dev_bytes[4], 0x11);               /* most significant byte first */
    CHECK_EQ(dev_bytes[7], 0x44);
    v->regs.r[1] = 0xBBCC;
    ls(v, 0xE1C010B8);                          /* strh r1, [r0, #8] */
    CHECK_EQ(dev_bytes[8], 0xBB);
    CHECK_EQ(dev_bytes[9], 0xCC);
    ls(v, 0xE5902004);                          /* ldr r2, [r0, #4] */
    CHECK_EQ(v->regs.r[2], 0x11223344);
    ls(v, 0xE1D030B8);                          /* ldrh r3, [r0, #8] */
    CHECK_EQ(v->regs.r[3], 0xBBCC);
    ls(v, 0xE1D030F8);                          /* ldrsh r3, [r0, #8] */
    CHECK_EQ(v->regs.r[3], 0xFFFFBBCC);
    ls(v, 0xE5D04004);                          /* ldrb r4, [r0, #4] */
    CHECK_EQ(v->regs.r[4], 0x11);
    /* E = 0: little-endian, as before */
    v->regs.cpsr &= ~PSR_E;
    ls(v, 0xE5902004);
    CHECK_EQ(v->regs.r[2], 0x44332211);
    v->regs.r[1] = 0xBBCC;
    ls(v, 0xE1C010B8);
    CHECK_EQ(dev_bytes[8], 0xCC);
}

static void test_big_endian_ldm_stm_srs_rfe(void **state)
{
    struct vcpu *v = *state;
    const uint32_t svc_sp = DATA + 0x200, ret_cpsr = PSR_Z | PSR_MODE_USR;

    /* STM ^ and LDM ^ from SVC: words big-endian in memory */
    v->regs.cpsr |= PSR_E;
    vcpu_set_mode(v, PSR_MODE_USR);
    v->regs.r[8] = 0x11223344;
    enter_mode(v, PSR_MODE_SVC, PSR_AIF);
    v->regs.cpsr |= PSR_E;
    v->regs.r[0] = DATA;
    run_svc(v, PV_STM_USER(0, 1, 0, 0x0100));               /* stmia r0, {r8}^ */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake_get32(DATA), 0x44332211);
    fake_put32(DATA + 4, 0x78563412);
    v->regs.r[0] = DATA + 4;
    run_svc(v, PV_LDM_USER(0, 1, 0, 0x0200));               /* ldmia r0, {r9}^ */
    check_done(v, PSR_MODE_SVC);
    vcpu_set_mode(v, PSR_MODE_USR);
    CHECK_EQ(v->regs.r[9], 0x12345678);
    /* SRS / RFE */
    enter_mode(v, PSR_MODE_SVC, PSR_AIF);
    v->regs.sp = svc_sp;
    enter_mode(v, PSR_MODE_IRQ, PSR_I | PSR_A);
    v->regs.cpsr |= PSR_E;
    v->regs.lr = 0x40007004;
    v->spsr[BANK_IRQ] = ret_cpsr;
    run_svc(v, PV_SRS(1, 0, 1, PSR_MODE_SVC));
    check_done(v, PSR_MODE_IRQ);
    CHECK_EQ(fake_get32(svc_sp - 8), __builtin_bswap32(0x40007004));
    CHECK_EQ(fake_get32(svc_sp - 4), __builtin_bswap32(ret_cpsr));
    run_svc(v, PV_CPS(PV_CPS_IMOD_NONE, 1, 0, PSR_MODE_SVC));
    v->regs.cpsr |= PSR_E;
    run_svc(v, PV_RFE(0, 1, 1, 13));
    CHECK_EQ(fake.stop_count, 0);
    CHECK_EQ(v->regs.pc, 0x40007004);
    CHECK_EQ(vmode(v), PSR_MODE_USR);
}

static void test_srs_own_mode_ib_and_rfe_da(void **state)
{
    struct vcpu *v = *state;

    /* srsib sp, #0x13 in SVC itself: [sp+4] = lr, [sp+8] = spsr, no write-back */
    v->regs.sp = DATA;
    v->regs.lr = 0x4000ABC0;
    v->spsr[BANK_SVC] = PSR_MODE_SYS | PSR_V;
    run_svc(v, PV_SRS(1, 1, 0, PSR_MODE_SVC));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake_get32(DATA + 4), 0x4000ABC0);
    CHECK_EQ(fake_get32(DATA + 8), PSR_MODE_SYS | PSR_V);
    CHECK_EQ(v->regs.sp, DATA);
    /* rfeda r4: words at r4-4 (pc), r4 (cpsr) */
    v->regs.r[4] = DATA + 8;
    run_svc(v, PV_RFE(0, 0, 0, 4));
    CHECK_EQ(v->regs.pc, 0x4000ABC0);
    CHECK_EQ(vmode(v), PSR_MODE_SYS);
    CHECK_EQ(vcpu_cpsr(v), PSR_MODE_SYS | PSR_V);
}

static void test_srs_rfe_errors(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_SRS(1, 0, 1, PSR_MODE_SVC));              /* SRS in SYS */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    old = vcpu_cpsr(v);
    run_svc(v, PV_RFE(0, 1, 0, 15));                        /* RFE Rn = PC */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    v->regs.r[0] = DATA + 2;
    old = vcpu_cpsr(v);
    run_svc(v, PV_RFE(0, 1, 0, 0));                         /* unaligned */
    check_injected(v, PSR_MODE_ABT, 0x10, INSN + 8, old);
    CHECK_EQ(v->cp15.dfsr, FSR_ALIGNMENT);
    enter_mode(v, PSR_MODE_SVC, 0);
    run_svc(v, PV_SRS(1, 0, 1, PSR_MODE_MON));              /* SRS to MON */
    check_stopped("mode 0x16");
}

/* ---- hints ---------------------------------------------------------------- */

static void test_hints(void **state)
{
    struct vcpu *v = *state;

    run_svc(v, PV_HINT(PV_HINT_NOP));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.yield_count, 0);
    run_svc(v, PV_HINT(PV_HINT_WFI));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.yield_count, 1);
    CHECK_EQ(fake.yield_state, VCPU_WFI);
    run_svc(v, PV_HINT(PV_HINT_YIELD));
    CHECK_EQ(fake.yield_count, 2);
    CHECK_EQ(fake.yield_state, VCPU_READY);
    /* WFE may complete at any time (B1.8.13): a yield, still runnable. */
    run_svc(v, PV_HINT(PV_HINT_WFE));
    CHECK_EQ(fake.yield_count, 3);
    CHECK_EQ(fake.yield_state, VCPU_READY);
    run_svc(v, PV_HINT(PV_HINT_SEV));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.yield_count, 3);
    /* WFI with an interrupt already signalled completes at once. */
    fake.virq_wake = true;
    run_svc(v, PV_HINT(PV_HINT_WFI));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.yield_count, 3);
    CHECK_EQ(v->stats[TS_PV_HINT], 6);
}

/* ---- hypercalls ------------------------------------------------------------ */

static void hvc(struct vcpu *v, unsigned nr, uint32_t r0, uint32_t r1)
{
    v->regs.r[0] = r0;
    v->regs.r[1] = r1;
    run_svc(v, PV_HVC(nr));
}

static void test_hc_abi_version_preserves_regs(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[2] = 0x2222;
    v->regs.r[3] = 0x3333;
    v->regs.cpsr = PSR_MODE_USR | PSR_N | PSR_V;
    hvc(v, HC_ABI_VERSION, 0xABCD, 0x1111);
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], 1);
    CHECK_EQ(v->regs.r[1], 0x1111);
    CHECK_EQ(v->regs.r[2], 0x2222);
    CHECK_EQ(v->regs.r[3], 0x3333);
    CHECK_EQ(v->regs.cpsr, PSR_MODE_USR | PSR_N | PSR_V);
    CHECK_EQ(v->stats[TS_HYPERCALL], 1);
    hvc(v, HC_GUEST_ID, 0, 0);
    CHECK_EQ(v->regs.r[0], UNIT_GUEST_ID);
}

static void test_hc_putc_write(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_PUTC, 'Q', 0);
    CHECK_EQ(v->regs.r[0], 0);
    memcpy(&fake_ram[DATA - FAKE_RAM_BASE], "hello", 5);
    hvc(v, HC_WRITE, DATA, 5);
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], 5);
    CHECK_EQ(fake.console_len, 6);
    if (memcmp(fake.console, "Qhello", 6))
        fail_msg("console holds \"%.*s\", expected \"Qhello\"", (int)fake.console_len, fake.console);
    /* the maximum, crossing several 256-byte chunks */
    memset(&fake_ram[DATA - FAKE_RAM_BASE], 'x', HC_WRITE_MAX);
    hvc(v, HC_WRITE, DATA, HC_WRITE_MAX);
    CHECK_EQ(v->regs.r[0], HC_WRITE_MAX);
    CHECK_EQ(fake.console_len, 6 + HC_WRITE_MAX);
    hvc(v, HC_WRITE, 0x1000, 0);                            /* empty: nothing to check */
    CHECK_EQ(v->regs.r[0], 0);
}

static void test_hc_write_bad_pointer(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_WRITE, 0x1000, 5);
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EFAULT);
    /* starts in RAM, ends outside: nothing at all printed */
    memset(&fake_ram[FAKE_RAM_SIZE - 600], 'y', 600);
    hvc(v, HC_WRITE, RAM_END - 600, 601);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EFAULT);
    hvc(v, HC_WRITE, 0xFFFFFF00, 0x200);                    /* wraps around */
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EFAULT);
    CHECK_EQ(fake.console_len, 0);
}

static void test_hc_write_too_long(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_WRITE, DATA, HC_WRITE_MAX + 1);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EINVAL);
    hvc(v, HC_WRITE, DATA, 0xFFFFFFFF);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EINVAL);
    CHECK_EQ(fake.console_len, 0);
}

static void test_hc_unknown(void **state)
{
    struct vcpu *v = *state;

    hvc(v, 0x55, 1, 2);
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_ENOSYS);
    CHECK_EQ(v->regs.r[1], 2);
    if (!strstr(fake.printf_buf, "unknown hypercall 85"))
        fail_msg("no message about the unknown hypercall: \"%s\"", fake.printf_buf);
    hvc(v, HC_COUNT, 1, 2);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_ENOSYS);
    CHECK_EQ(fake.stop_count, 0);
}

/* A storm of unknown hypercalls: each gets -ENOSYS, only the first 8 are
 * reported and one more line says the rest are not (no console flooding). */
static void test_hc_unknown_flood(void **state)
{
    struct vcpu *v = *state;
    const char *p;
    int lines = 0;

    for (unsigned i = 0; i < 20; i++) {
        hvc(v, 0x40 + i, 1, 2);
        CHECK_EQ_CTX(v->regs.r[0], (uint32_t)PV_ENOSYS, "hypercall %u", 0x40 + i);
    }
    for (p = fake.printf_buf; (p = strstr(p, "): unknown hypercall ")); p++)
        lines++;
    CHECK_EQ_CTX(lines, 9, "monitor output: \"%s\"", fake.printf_buf);
    CHECK_EQ(fake.printf_count, 9);
    if (!strstr(fake.printf_buf, "unknown hypercall 72 at") ||
        !strstr(fake.printf_buf, "further unknown hypercalls of this guest get -ENOSYS unreported"))
        fail_msg("expected 'hypercall 72' (the 9th) with the 'further ... unreported' line: \"%s\"",
                 fake.printf_buf);
    CHECK_EQ(fake.stop_count, 0);
}

static void test_hc_exit_yield_stats(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_EXIT, 256, 0);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_EINVAL);
    CHECK_EQ(fake.exit_count, 0);
    CHECK_EQ(v->state, VCPU_RUNNING);
    hvc(v, HC_YIELD, 9, 0);
    CHECK_EQ(v->regs.r[0], 0);
    CHECK_EQ(fake.yield_count, 1);
    CHECK_EQ(fake.yield_state, VCPU_READY);
    hvc(v, HC_STATS, 9, 0);
    CHECK_EQ(v->regs.r[0], 0);
    CHECK_EQ(fake.stats_count, 1);
    hvc(v, HC_EXIT, 7, 0);
    CHECK_EQ(fake.exit_count, 1);
    CHECK_EQ(fake.exit_status, 7);
    CHECK_EQ(v->state, VCPU_EXITED);
    CHECK_EQ(v->regs.r[0], 7);                              /* not overwritten */
}

static void test_hc_psci(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_PSCI, PV_PSCI_VERSION, 0);
    CHECK_EQ(v->regs.r[0], 0x00000002);                     /* PSCI 0.2 */
    hvc(v, HC_PSCI, PV_PSCI_MIGRATE_INFO_TYPE, 0);
    CHECK_EQ(v->regs.r[0], 2);                              /* no Trusted OS */
    hvc(v, HC_PSCI, 0x84000003, 0x1);                       /* CPU_ON: one vCPU */
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_PSCI_NOT_SUPPORTED);
    hvc(v, HC_PSCI, 0xC4000001, 0);                         /* CPU_SUSPEND (SMC64) */
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_PSCI_NOT_SUPPORTED);
    CHECK_EQ(fake.exit_count + fake.reset_count + fake.stop_count, 0);
    hvc(v, HC_PSCI, PV_PSCI_SYSTEM_RESET, 0);
    CHECK_EQ(fake.reset_count, 1);
    CHECK_EQ(v->guest->resets, 1);
    CHECK_EQ(fake.stats_count, 1);                          /* reported with its traps */
    CHECK_EQ(v->regs.r[0], 0);                              /* the boot protocol's r0 */
    if (!strstr(fake.printf_buf, "PSCI SYSTEM_RESET"))
        fail_msg("no console report of the reset: \"%s\"", fake.printf_buf);
    hvc(v, HC_PSCI, PV_PSCI_SYSTEM_OFF, 0);
    CHECK_EQ(fake.exit_count, 1);
    CHECK_EQ(fake.exit_status, 0);
    CHECK_EQ(v->state, VCPU_EXITED);
}

/* The SMCCC vendor hypervisor call ends the guest with the status in r1;
 * out of range: INVALID_PARAMETERS, the guest goes on. */
static void test_hc_vendor_exit(void **state)
{
    struct vcpu *v = *state;

    hvc(v, HC_PSCI, PV_SMCCC_VENDOR_EXIT, 256);
    CHECK_EQ(v->regs.r[0], (uint32_t)PV_PSCI_INVALID_PARAMETERS);
    CHECK_EQ(fake.exit_count, 0);
    CHECK_EQ(v->state, VCPU_RUNNING);
    hvc(v, HC_PSCI, PV_SMCCC_VENDOR_EXIT, 3);
    CHECK_EQ(fake.exit_count, 1);
    CHECK_EQ(fake.exit_status, 3);
    CHECK_EQ(v->state, VCPU_EXITED);
    if (!strstr(fake.printf_buf, "status 3"))
        fail_msg("the status is not printed: \"%s\"", fake.printf_buf);
}

/* ---- the guest's own SVCs ---------------------------------------------------- */

static void test_guest_svc_from_svc_mode(void **state)
{
    static const uint32_t imms[] = { 0, 0x123456, 0x1FFFFF, 0x000001 };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++) {
        uint32_t old;
        enter_mode(v, PSR_MODE_SVC, 0);
        v->regs.lr = 0x5E5E;
        v->regs.r[0] = 0x1234;
        old = vcpu_cpsr(v);
        run_svc(v, imms[k]);
        CHECK_SVC_EXC(v, old);
        CHECK_EQ_CTX(v->vcpsr & PSR_AIF, PSR_I, "svc #0x%06x", (unsigned)imms[k]);
        CHECK_EQ(v->regs.r[0], 0x1234);
    }
    CHECK_EQ(v->stats[TS_GUEST_SVC], 4);
}

static void test_any_svc_from_user_is_syscall(void **state)
{
    static const uint32_t imms[] = {
        0, 0x123456, PV_HVC(HC_EXIT), PV_HVC(HC_ABI_VERSION), PV_MRS(0, 0), PV_SYS(7, 0),
        PV_LDM_EXCRET(0, 1, 1, 13, 0xF), PV_HINT(PV_HINT_WFI), 0xFFFFFF,
    };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++) {
        uint32_t old;
        enter_mode(v, PSR_MODE_USR, 0);
        v->regs.r[0] = 0x4;
        old = vcpu_cpsr(v);
        run_svc(v, imms[k]);
        CHECK_SVC_EXC(v, old);
        CHECK_EQ_CTX(v->regs.r[0], 0x4, "svc #0x%06x from User", (unsigned)imms[k]);
    }
    CHECK_EQ(fake.exit_count, 0);
    CHECK_EQ(fake.yield_count, 0);
    CHECK_EQ(v->stats[TS_SYSCALL], sizeof(imms) / sizeof(imms[0]));
    CHECK_EQ(v->stats[TS_HYPERCALL], 0);
}

static void test_thumb_svc_is_guest_svc(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    v->regs.cpsr |= PSR_T;
    old = vcpu_cpsr(v);
    v->regs.pc = INSN + 2;
    emulate_svc(v);
    check_injected(v, PSR_MODE_SVC, 0x08, INSN + 2, old);
    CHECK_EQ(v->regs.cpsr & PSR_T, 0);                      /* SCTLR.TE = 0 */
}

/* ---- RET_USER ------------------------------------------------------------ */

/* Architectural state two paths must agree on. */
struct arch_state {
    struct arm_regs regs;
    uint32_t vcpsr, bank_sp[NBANKS], bank_lr[NBANKS], spsr[NBANKS], usr_r8_12[5], fiq_r8_12[5];
};
static void snap(const struct vcpu *v, struct arch_state *s)
{
    memset(s, 0, sizeof(*s));
    s->regs = v->regs;
    s->vcpsr = v->vcpsr;
    memcpy(s->bank_sp, v->bank_sp, sizeof(s->bank_sp));
    memcpy(s->bank_lr, v->bank_lr, sizeof(s->bank_lr));
    memcpy(s->spsr, v->spsr, sizeof(s->spsr));
    memcpy(s->usr_r8_12, v->usr_r8_12, sizeof(s->usr_r8_12));
    memcpy(s->fiq_r8_12, v->fiq_r8_12, sizeof(s->fiq_r8_12));
}
static void restore(struct vcpu *v, const struct arch_state *s)
{
    v->regs = s->regs;
    v->vcpsr = s->vcpsr;
    memcpy(v->bank_sp, s->bank_sp, sizeof(s->bank_sp));
    memcpy(v->bank_lr, s->bank_lr, sizeof(s->bank_lr));
    memcpy(v->spsr, s->spsr, sizeof(s->spsr));
    memcpy(v->usr_r8_12, s->usr_r8_12, sizeof(s->usr_r8_12));
    memcpy(v->fiq_r8_12, s->fiq_r8_12, sizeof(s->fiq_r8_12));
}

/* The operation equals the sequence it replaces in Linux's restore_user_regs
 * (with r1 = the saved CPSR and LR = the saved PC, as Linux has them):
 * MSR SPSR_fsxc, r1; LDMDB Rn, {r0|r1 - r14}^; MOVS PC, LR, each through
 * its own emulation. */
static void test_ret_user_equals_sequence(void **state)
{
    static const uint32_t from[] = { PSR_MODE_SVC, PSR_MODE_ABT, PSR_MODE_UND, PSR_MODE_IRQ };
    static const uint32_t to[] = { PSR_MODE_USR, PSR_MODE_USR, PSR_MODE_USR, PSR_MODE_SYS,
                                   PSR_MODE_SVC, PSR_MODE_FIQ };
    struct vcpu *v = *state;
    uint32_t s = 0x5EED;

    for (int k = 0; k < 400; k++) {
        struct arch_state init, a, b;
        uint32_t frame = DATA + 4 * (unit_rand(&s) % 64), rn = 2 + unit_rand(&s) % 11;
        bool keep = unit_rand(&s) & 1;
        uint32_t cpsr = (unit_rand(&s) & 0xF80F03C0u) | to[unit_rand(&s) % 6];

        emu_setup(state);
        v = *state;
        enter_mode(v, from[k % 4], PSR_I);
        for (unsigned r = 0; r < 13; r++)
            v->regs.r[r] = unit_rand(&s);
        for (unsigned b2 = 0; b2 < NBANKS; b2++)
            if (b2 != vcpu_bank_of(vmode(v))) {
                v->bank_sp[b2] = unit_rand(&s);
                v->bank_lr[b2] = unit_rand(&s);
            }
        for (unsigned w = 0; w < 17; w++)
            fake_put32(frame + 4 * w, unit_rand(&s));
        fake_put32(frame + 64, cpsr);
        v->regs.r[rn] = frame + PV_RET_USER_PC_OFF;
        v->regs.r[1] = cpsr;
        v->regs.lr = fake_get32(frame + 60);
        snap(v, &init);

        run_svc(v, PV_RET_USER(keep, rn));
        CHECK_EQ_CTX(fake.stop_count, 0, "stopped: %s", fake.stop_msg);
        CHECK_EQ(v->stats[TS_PV_RET_USER], 1);
        snap(v, &a);

        restore(v, &init);
        run_svc(v, PV_MSR_REG(1, 0xF, 1));
        run_svc(v, PV_LDM_USER(1, 0, rn, keep ? 0x7FFE : 0x7FFF));
        run_svc(v, PV_DP_PC(13, 0, 0, 14));
        CHECK_EQ_CTX(fake.stop_count, 0, "stopped: %s", fake.stop_msg);
        snap(v, &b);
        CHECK_EQ_CTX(memcmp(&a, &b, sizeof(a)), 0, "iteration %d: from mode 0x%x to CPSR 0x%08x, "
                     "r%u, keep r0 %d: pc %08x/%08x cpsr %08x/%08x vcpsr %08x/%08x", k,
                     (unsigned)from[k % 4], (unsigned)cpsr, (unsigned)rn, keep,
                     (unsigned)a.regs.pc, (unsigned)b.regs.pc, (unsigned)a.regs.cpsr,
                     (unsigned)b.regs.cpsr, (unsigned)a.vcpsr, (unsigned)b.vcpsr);
        unit_vcpu_teardown(state);
    }
}

/* What a real CPU gives for the sequence's first instruction that fails:
 * UNDEF without an SPSR; an abort (nothing changed) for a bad frame. */
static void test_ret_user_undef_and_abort(void **state)
{
    struct vcpu *v = *state;
    struct arch_state before, after;
    uint32_t old;

    enter_mode(v, PSR_MODE_SYS, 0);
    old = vcpu_cpsr(v);
    v->regs.r[2] = DATA + 60;
    run_svc(v, PV_RET_USER(0, 2));
    CHECK_UNDEF(v, old);

    emu_setup(state);
    v = *state;
    v->regs.r[2] = RAM_END + 8;                             /* frame beyond RAM */
    v->spsr[BANK_SVC] = 0x1234;
    snap(v, &before);
    run_svc(v, PV_RET_USER(1, 2));
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->regs.pc, VEC + 0x10);
    CHECK_EQ(v->cp15.dfar, RAM_END);                        /* the first word that faulted */
    vcpu_set_mode(v, PSR_MODE_SVC);
    v->vcpsr = before.vcpsr;
    v->regs.pc = before.regs.pc;
    v->regs.cpsr = before.regs.cpsr;
    snap(v, &after);
    CHECK_EQ(memcmp(before.regs.r, after.regs.r, sizeof(before.regs.r)), 0);
    CHECK_EQ(v->spsr[BANK_SVC], 0x1234);                    /* SPSR untouched */

    emu_setup(state);
    v = *state;
    v->regs.r[3] = DATA + 62;                               /* unaligned */
    run_svc(v, PV_RET_USER(0, 3));
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->cp15.dfsr & 0x40F, FSR_ALIGNMENT);
}

/* FIT_STORE is the MCR TPIDRURO it stands for (the C path: make FIT=0, and
 * what the vector path does, core/cp15.c's wr_tpidruro). */
static void test_fit_store_equals_mcr(void **state)
{
    struct vcpu *v = *state;
    uint32_t s = 0x7D7D;

    for (int k = 0; k < 50; k++) {
        uint32_t rt = unit_rand(&s) % 13, val = unit_rand(&s), a_ro, pc;
        v->regs.r[rt] = val;
        run_svc(v, PV_FIT_STORE(rt));
        check_done(v, PSR_MODE_SVC);
        a_ro = v->cp15.tpidruro;
        pc = v->regs.pc;
        v->cp15.tpidruro = ~val;
        v->regs.r[rt] = val;
        run_undef(v, MCR15(rt, 0, 13, 0, 3));
        CHECK_EQ(v->regs.pc, pc);
        CHECK_EQ(v->cp15.tpidruro, a_ro);
        CHECK_EQ(a_ro, val);
    }
    CHECK_EQ(v->stats[TS_FIT], 50);
}

/* RET_MODE equals the vector stub's MRS r0, CPSR; EOR r0, r0, #x;
 * MSR SPSR_fsxc, r0; MOVS PC, LR (but for the scratch r0). */
static void test_ret_mode_equals_sequence(void **state)
{
    static const uint32_t from[] = { PSR_MODE_IRQ, PSR_MODE_ABT, PSR_MODE_UND, PSR_MODE_FIQ, PSR_MODE_SVC };
    struct vcpu *v = *state;
    uint32_t s = 0xB0B0;

    for (int k = 0; k < 200; k++) {
        struct arch_state init, a, b;
        uint32_t m = from[k % 5], x = m ^ PSR_MODE_SVC;

        if (m == PSR_MODE_SVC)
            x = PSR_MODE_SVC ^ PSR_MODE_ABT;                /* SVC -> ABT, any pair */
        emu_setup(state);
        v = *state;
        enter_mode(v, m, unit_rand(&s) & PSR_AIF);
        v->regs.cpsr = (v->regs.cpsr & ~0xF80F0000u) | (unit_rand(&s) & 0xF80F0000u);
        for (unsigned r = 0; r < 15; r++)
            vcpu_set_reg(v, r, unit_rand(&s));
        v->regs.lr = FAKE_RAM_BASE + 4 * (unit_rand(&s) % 0x1000);
        snap(v, &init);
        run_svc(v, PV_RET_MODE(x));
        CHECK_EQ_CTX(fake.stop_count, 0, "stopped: %s", fake.stop_msg);
        snap(v, &a);

        restore(v, &init);
        run_svc(v, PV_MRS(0, 0));
        v->regs.r[0] ^= x;
        run_svc(v, PV_MSR_REG(1, 0xF, 0));
        run_svc(v, PV_DP_PC(13, 0, 0, 14));
        snap(v, &b);
        a.regs.r[0] = b.regs.r[0];                          /* the scratch */
        CHECK_EQ_CTX(memcmp(&a, &b, sizeof(a)), 0, "iteration %d from mode 0x%x: pc %08x/%08x "
                     "vcpsr %08x/%08x cpsr %08x/%08x", k, (unsigned)m, (unsigned)a.regs.pc,
                     (unsigned)b.regs.pc, (unsigned)a.vcpsr, (unsigned)b.vcpsr,
                     (unsigned)a.regs.cpsr, (unsigned)b.regs.cpsr);
        unit_vcpu_teardown(state);
    }
}

static void test_reserved_pv_stops(void **state)
{
    static const uint32_t imms[] = {
        PV_SYS(13, 0), PV_SYS(15, 0xFFFF), PV_FIT_FPEXC(13, 1), PV_SYS(PV_SYS_FIT_FPEXC, 0x2), PV_SYS(PV_SYS_RET_MODE, 0x20), PV_FIT_STORE(13), PV_SYS(PV_SYS_FIT_STORE, 0x1), PV_RET_USER(0, 15), PV_SYS(PV_SYS_RET_USER, 0x22), PV_SYS(PV_SYS_FIT_LOAD, 0x400), PV_FIT_LOAD(13, 0), PV_FIT_CACHE(0, 7), PV_HINT(5), PV_MRS(0, 0) | 0x10,
        PV_MSR_IMM(0, 8, 0) | 0x20000, PV_DP_PC(0xD, 0, 0, 0x21E),
    };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(imms) / sizeof(imms[0]); k++) {
        char want[64];
        emu_setup(state);
        v = *state;
        run_svc(v, imms[k]);
        snprintf(want, sizeof(want), "reserved PV encoding 0x%08x", (unsigned)svc_word(0xE, imms[k]));
        check_stopped(want);
        CHECK_EQ(vmode(v), PSR_MODE_SVC);
        unit_vcpu_teardown(state);
    }
}

static void test_svc_readback_fault_stops(void **state)
{
    struct vcpu *v = *state;

    v->regs.pc = 0x10000004;                                /* not guest RAM */
    emulate_svc(v);
    check_stopped("cannot read back");
}

/* ---- CP15 ------------------------------------------------------------------ */

#define SCTLR_WRITABLE 0x70007C07u  /* M A C SW Z I V RR TRE AFE TE */

static void test_cp15_sctlr(void **state)
{
    struct vcpu *v = *state;
    uint32_t reset = v->cp15.sctlr;

    run_undef(v, MRC15(0, 0, 1, 0, 0));                    /* 0xEE110F10 */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake_get32(INSN), 0xEE110F10);
    CHECK_EQ(v->regs.r[0], reset);
    v->regs.r[2] = 0xFFFFFFFE;                             /* everything but M */
    run_undef(v, MCR15(2, 0, 1, 0, 0));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->cp15.sctlr, (reset & ~SCTLR_WRITABLE) | (0xFFFFFFFE & SCTLR_WRITABLE));
    CHECK_EQ(fake.align_count, 1);
    CHECK_EQ(fake.align_on, true);
    v->regs.r[2] = 0;
    run_undef(v, MCR15(2, 0, 1, 0, 0));
    CHECK_EQ(v->cp15.sctlr, reset & ~SCTLR_WRITABLE);
    CHECK_EQ(fake.align_on, false);
    run_undef(v, MRC15(7, 0, 1, 0, 0));
    CHECK_EQ(v->regs.r[7], reset & ~SCTLR_WRITABLE);
    CHECK_EQ(v->stats[TS_CP15_READ], 2);
    CHECK_EQ(v->stats[TS_CP15_WRITE], 2);
}

/* SCTLR.M, AFE, TRE select and redefine the shadow space; TTBR0 and
 * CONTEXTIDR select a cached space; TTBR1, TTBCR, DACR drop them all. */
static void test_cp15_mmu_registers_reach_shadow(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[1] = SCTLR_M | SCTLR_I;
    run_undef(v, MCR15(1, 0, 1, 0, 0));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.stop_count, 0);
    CHECK_EQ(v->cp15.sctlr & SCTLR_M, SCTLR_M);
    CHECK_EQ(fake.shadow_activations, 1);
    CHECK_EQ(fake.shadow_flushes, 0);
    v->regs.r[1] = 0x40004000;
    run_undef(v, MCR15(1, 0, 2, 0, 0));                    /* TTBR0 */
    CHECK_EQ(fake.shadow_activations, 2);
    run_undef(v, MCR15(1, 0, 13, 0, 1));                   /* CONTEXTIDR */
    CHECK_EQ(fake.shadow_activations, 3);
    v->regs.r[1] = 0x55555555;
    run_undef(v, MCR15(1, 0, 3, 0, 0));                    /* DACR */
    CHECK_EQ(fake.shadow_flushes, 1);
    run_undef(v, MCR15(1, 0, 3, 0, 0));                    /* same value: nothing */
    CHECK_EQ(fake.shadow_flushes, 1);
    v->regs.r[1] = SCTLR_M | SCTLR_I | SCTLR_AFE;
    run_undef(v, MCR15(1, 0, 1, 0, 0));                    /* AFE changes meaning */
    CHECK_EQ(fake.shadow_flushes, 2);
    run_undef(v, MCR15(0, 0, 8, 7, 0));                    /* TLBIALL reaches the shadow */
    CHECK_EQ(fake.tlb_ops, 1);
}

static void test_cp15_plain_registers(void **state)
{
    static const struct { unsigned crn, opc1, crm, opc2; uint32_t mask; const char *name; } regs[] = {
        { 2, 0, 0, 0, 0xFFFFFFFF, "TTBR0" }, { 2, 0, 0, 1, 0xFFFFFFFF, "TTBR1" },
        { 2, 0, 0, 2, 0x00000037, "TTBCR" }, { 3, 0, 0, 0, 0xFFFFFFFF, "DACR" },
        { 5, 0, 0, 0, 0x00001CFF, "DFSR" },  { 5, 0, 0, 1, 0x0000140F, "IFSR" },
        { 5, 0, 1, 0, 0x00000000, "ADFSR" }, { 6, 0, 0, 0, 0xFFFFFFFF, "DFAR" },
        { 6, 0, 0, 2, 0xFFFFFFFF, "IFAR" },  { 7, 0, 4, 0, 0xFFFFFFFF, "PAR" },
        { 10, 0, 2, 0, 0xFFFFFFFF, "PRRR" }, { 10, 0, 2, 1, 0xFFFFFFFF, "NMRR" },
        { 12, 0, 0, 0, 0xFFFFFFE0, "VBAR" }, { 13, 0, 0, 0, 0x00000000, "FCSEIDR" },
        { 13, 0, 0, 1, 0xFFFFFFFF, "CONTEXTIDR" }, { 13, 0, 0, 4, 0xFFFFFFFF, "TPIDRPRW" },
        { 1, 0, 0, 1, 0x00000000, "ACTLR" }, { 0, 2, 0, 0, 0x0000000F, "CSSELR" },
    };
    struct vcpu *v = *state;

    fake.id_regs[ID_PFR1] = 0x00000011;     /* a CPU with TTBCR.PD0/PD1 (wr_ttbcr) */
    for (size_t k = 0; k < sizeof(regs) / sizeof(regs[0]); k++) {
        static const uint32_t vals[] = { 0xFFFFFFFF, 0x12345678, 0 };
        for (size_t j = 0; j < 3; j++) {
            v->regs.r[5] = vals[j];
            run_undef(v, MCR15(5, regs[k].opc1, regs[k].crn, regs[k].crm, regs[k].opc2));
            CHECK_EQ_CTX(v->regs.pc, INSN + 4, "MCR %s", regs[k].name);
            CHECK_EQ_CTX(vmode(v), PSR_MODE_SVC, "MCR %s", regs[k].name);
            v->regs.r[6] = 0xBAD;
            run_undef(v, MRC15(6, regs[k].opc1, regs[k].crn, regs[k].crm, regs[k].opc2));
            CHECK_EQ_CTX(v->regs.r[6], vals[j] & regs[k].mask, "%s written with 0x%08x",
                         regs[k].name, (unsigned)vals[j]);
        }
    }
    CHECK_EQ(fake.stop_count, 0);
}

static void test_cp15_tls_registers(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[4] = 0xCAFE0000;
    run_undef(v, MCR15(4, 0, 13, 0, 3));                   /* TPIDRURO */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.set_tls_count, 1);
    CHECK_EQ(fake.tls_ro, 0xCAFE0000);
    CHECK_EQ(fake.tls_rw, 0);
    CHECK_EQ(v->cp15.tpidruro, 0xCAFE0000);
    run_undef(v, MRC15(8, 0, 13, 0, 3));
    CHECK_EQ(v->regs.r[8], 0xCAFE0000);
    v->regs.r[4] = 0xBEEF;
    run_undef(v, MCR15(4, 0, 13, 0, 2));                   /* TPIDRURW */
    CHECK_EQ(fake.set_tls_count, 2);
    CHECK_EQ(fake.tls_rw, 0xBEEF);
    CHECK_EQ(fake.tls_ro, 0xCAFE0000);
    run_undef(v, MRC15(9, 0, 13, 0, 2));
    CHECK_EQ(v->regs.r[9], 0xBEEF);
}

static void test_cp15_from_user_undef(void **state)
{
    static const uint32_t insns[] = {
        0xEE110F10,                 /* mrc p15, 0, r0, c1, c0, 0 */
        0xEE020F10,                 /* mcr p15, 0, r0, c2, c0, 0 */
        0xEE072F3A,                 /* mcr p15, 0, r2, c7, c10, 1 */
        0xEE1D0F70,                 /* mrc TPIDRURO (emulated only for PL1) */
        0xEE190F1D,                 /* mrc PMCCNTR with PMUSERENR.EN = 0 */
    };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
        uint32_t old;
        enter_mode(v, PSR_MODE_USR, 0);
        v->regs.r[0] = 0x4000;
        v->cp15.ttbr0 = 0x4444;
        old = vcpu_cpsr(v);
        run_undef(v, insns[k]);
        CHECK_UNDEF(v, old);
        CHECK_EQ_CTX(v->regs.r[0], 0x4000, "insn 0x%08x", (unsigned)insns[k]);
        CHECK_EQ_CTX(v->cp15.ttbr0, 0x4444, "insn 0x%08x", (unsigned)insns[k]);
    }
    CHECK_EQ(fake.cache_va_count, 0);
    CHECK_EQ(v->stats[TS_UNDEF_INJECTED], 5);
}

static void test_cp15_condition_failed_is_nop(void **state)
{
    struct vcpu *v = *state;
    struct vcpu snap;

    v->regs.cpsr = PSR_MODE_USR | PSR_Z;
    v->regs.r[0] = 0x1234;
    v->regs.r[3] = 0x40020000;
    fake_put32(INSN, cp15_insn(0x1, true, 0, 1, 0, 0, 0));  /* mrcne sctlr */
    v->regs.pc = INSN + 4;
    memcpy(&snap, v, sizeof(snap));
    emulate_undef(v);
    CHECK_EQ(memcmp(&snap, v, sizeof(snap)), 0);
    CHECK_EQ(v->regs.pc, INSN + 4);
    CHECK_EQ(v->regs.r[0], 0x1234);
    run_undef(v, cp15_insn(0xC, false, 0, 12, 3, 0, 0));   /* mcrgt vbar (Z set: fails) */
    CHECK_EQ(v->cp15.vbar, VEC);
    CHECK_EQ(v->regs.pc, INSN + 4);
    CHECK_EQ(v->stats[TS_CP15_READ] + v->stats[TS_CP15_WRITE], 0);
    run_undef(v, cp15_insn(0x0, false, 0, 12, 3, 0, 0));   /* mcreq vbar (passes) */
    CHECK_EQ(v->cp15.vbar, 0x40020000);
}

static void test_cp15_unknown_and_wrong_direction_undef(void **state)
{
    static const uint32_t insns[] = {
        0xEE1F0F10,                 /* mrc p15, 0, r0, c15, c0, 0 (IMP DEF) */
        0xEE000F10,                 /* mcr MIDR: read-only */
        0xEE170F15,                 /* mrc ICIALLU: write-only */
        0xEE130F30,                 /* mrc p15, 0, r0, c3, c0, 1: nothing there */
        0xEC410F02,                 /* mcrr p15, 0, r0, r1, c2 */
        0xEC510F02,                 /* mrrc p15, 0, r0, r1, c2 */
        0xEE11FF10,                 /* mrc p15, 0, APSR_nzcv, c1, c0, 0 */
        0xFE110F10,                 /* mrc2 p15 */
        0xEE110E10,                 /* mrc p14, 0, r0, c1, c0, 0 */
        0xE7F000F0,                 /* udf */
        0xEE320F10,                 /* mrc p15, 1, r0, c2, c0, 0: no such register */
    };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
        uint32_t old;
        enter_mode(v, PSR_MODE_SVC, 0);
        v->regs.r[0] = 0x4000;
        old = vcpu_cpsr(v);
        run_undef(v, insns[k]);
        CHECK_EQ_CTX(vmode(v), PSR_MODE_UND, "insn 0x%08x", (unsigned)insns[k]);
        CHECK_UNDEF(v, old);
        CHECK_EQ_CTX(v->regs.r[0], 0x4000, "insn 0x%08x", (unsigned)insns[k]);
    }
}

static void test_cp15_id_registers(void **state)
{
    struct vcpu *v = *state;

    run_undef(v, MRC15(1, 0, 0, 0, 0));
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_MIDR]);
    run_undef(v, MRC15(1, 0, 0, 0, 5));
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_MPIDR]);
    run_undef(v, MRC15(1, 0, 0, 2, 5));
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_ISAR5]);
    run_undef(v, MRC15(1, 1, 0, 0, 1));
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_CLIDR]);
    v->cp15.csselr = 2;
    run_undef(v, MRC15(1, 1, 0, 0, 0));                    /* CCSIDR for CSSELR */
    /* the real policy bits and line size, one set of one way (cp15.c) */
    CHECK_EQ(v->regs.r[1], 0xC0000002);
    check_done(v, PSR_MODE_SVC);
}

static void test_cp15_cache_and_tlb_ops(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[0] = DATA + 0x40;
    run_undef(v, MCR15(0, 0, 7, 10, 1));                   /* DCCMVAC */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.cache_va_count, 1);
    CHECK_EQ(fake.cache_op, CACHE_DC_CLEAN);
    CHECK_EQ(fake.cache_va, DATA + 0x40);
    run_undef(v, MCR15(0, 0, 7, 6, 1));                    /* DCIMVAC, upgraded */
    CHECK_EQ(fake.cache_op, CACHE_DC_CLEAN_INVAL);
    run_undef(v, MCR15(0, 0, 7, 5, 1));                    /* ICIMVAU */
    CHECK_EQ(fake.cache_op, CACHE_IC_INVAL);
    CHECK_EQ(fake.cache_va_count, 3);
    v->regs.r[0] = 0x20000000;                             /* outside guest RAM */
    run_undef(v, MCR15(0, 0, 7, 14, 1));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.cache_va_count, 3);
    run_undef(v, MCR15(0, 0, 7, 5, 0));                    /* ICIALLU */
    CHECK_EQ(fake.icache_all_count, 1);
    /* Set/way ops: one whole-cache clean+invalidate per level, on set 0 /
     * way 0 (the end of a guest's loop); the other lines do nothing. */
    v->regs.r[0] = 0x40000000 | (5u << 6) | (1u << 1);     /* way 1, set 5, level 2 */
    run_undef(v, MCR15(0, 0, 7, 14, 2));                   /* DCCISW */
    CHECK_EQ(fake.dcache_all_count, 0);
    v->regs.r[0] = 1u << 1;                                /* way 0, set 0, level 2 */
    run_undef(v, MCR15(0, 0, 7, 14, 2));                   /* DCCISW */
    CHECK_EQ(fake.dcache_all_count, 1);
    v->regs.r[0] = 0;                                      /* way 0, set 0, level 1 */
    run_undef(v, MCR15(0, 0, 7, 6, 2));                    /* DCISW, upgraded */
    CHECK_EQ(fake.dcache_all_count, 2);
    run_undef(v, MCR15(0, 0, 8, 7, 0));                    /* TLBIALL */
    run_undef(v, MCR15(0, 0, 7, 10, 4));                   /* CP15DSB */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->stats[TS_CP15_TLB], 1);
    CHECK_EQ(v->stats[TS_CP15_CACHE], 9);
}

static void test_cp15_ats_par(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[0] = DATA + 0x234;
    run_undef(v, MCR15(0, 0, 7, 8, 0));                    /* ATS1CPR */
    run_undef(v, MRC15(1, 0, 7, 4, 0));
    CHECK_EQ(v->regs.r[1], DATA);
    v->regs.r[0] = 0x20000000;
    run_undef(v, MCR15(0, 0, 7, 8, 1));                    /* ATS1CPW: MMU off is flat */
    run_undef(v, MRC15(1, 0, 7, 4, 0));
    CHECK_EQ(v->regs.r[1], 0x20000000);
    /* MMU on, nothing mapped (TTBR0 -> a zeroed table in RAM): PAR.F = 1,
     * FS = section translation fault in PAR[6:1] (B4.1.112). */
    v->cp15.sctlr |= SCTLR_M;
    v->cp15.ttbr0 = FAKE_RAM_BASE + 0x80000;
    v->regs.r[0] = 0x00300000;
    run_undef(v, MCR15(0, 0, 7, 8, 0));
    run_undef(v, MRC15(1, 0, 7, 4, 0));
    CHECK_EQ(v->regs.r[1], 1u | (0x5 << 1));
}

static void test_cp15_cpacr(void **state)
{
    struct vcpu *v = *state;

    v->regs.r[0] = 0xFFFFFFFF;
    run_undef(v, MCR15(0, 0, 1, 0, 2));
    run_undef(v, MRC15(1, 0, 1, 0, 2));
    CHECK_EQ(v->regs.r[1], 0xC0F00000);
    fake.has_vfp = false;                                  /* no VFP: RAZ/WI */
    run_undef(v, MCR15(0, 0, 1, 0, 2));
    run_undef(v, MRC15(1, 0, 1, 0, 2));
    CHECK_EQ(v->regs.r[1], 0);
}

static void test_cp15_pmu_cycle_counter(void **state)
{
    struct vcpu *v = *state;

    fake.cycles = 1000;
    v->regs.r[0] = 1;                                      /* PMCR.E */
    run_undef(v, MCR15(0, 0, 9, 12, 0));
    v->regs.r[0] = 0x80000000;
    run_undef(v, MCR15(0, 0, 9, 12, 1));                   /* PMCNTENSET.C */
    fake.cycles = 1500;
    run_undef(v, MRC15(1, 0, 9, 13, 0));
    CHECK_EQ(v->regs.r[1], 500);
    fake.cycles = 1700;
    run_undef(v, MCR15(0, 0, 9, 12, 2));                   /* PMCNTENCLR.C */
    fake.cycles = 9000;
    run_undef(v, MRC15(1, 0, 9, 13, 0));
    CHECK_EQ(v->regs.r[1], 700);                           /* stopped */
    run_undef(v, MRC15(1, 0, 9, 12, 0));
    CHECK_EQ(v->regs.r[1], 1);
    /* User access once PMUSERENR.EN is set */
    v->regs.r[0] = 1;
    run_undef(v, MCR15(0, 0, 9, 14, 0));
    enter_mode(v, PSR_MODE_USR, 0);
    run_undef(v, MRC15(2, 0, 9, 13, 0));
    check_done(v, PSR_MODE_USR);
    CHECK_EQ(v->regs.r[2], 700);
}

/* Every register PMUv1/PMUv2 makes mandatory (B4.1.116 ff.) is there at
 * PL1: PMSELR holds SEL, PMINTENSET/CLR the cycle counter's bit,
 * PMXEVTYPER/PMXEVCNTR (no event counter: PMCR.N = 0) RAZ/WI, PMCEID0/1
 * read 0; PMINTENSET/CLR are PL1-only even with PMUSERENR.EN. */
static void test_cp15_pmu_registers(void **state)
{
    struct vcpu *v = *state;
    static const uint32_t reads[][2] = {
        { 12, 0 }, { 12, 1 }, { 12, 2 }, { 12, 3 }, { 12, 5 }, { 12, 6 }, { 12, 7 },
        { 13, 0 }, { 13, 1 }, { 13, 2 }, { 14, 0 }, { 14, 1 }, { 14, 2 },
    };

    for (size_t k = 0; k < sizeof(reads) / sizeof(reads[0]); k++) {
        uint32_t insn = cp15_insn(0xE, true, 0, 9, 1, reads[k][0], reads[k][1]);
        run_undef(v, insn);
        CHECK_EQ_CTX(vmode(v), PSR_MODE_SVC, "MRC p15, 0, r1, c9, c%u, %u: UNDEF",
                     (unsigned)reads[k][0], (unsigned)reads[k][1]);
    }
    v->regs.r[0] = 0xFFFFFFFF;
    run_undef(v, MCR15(0, 0, 9, 12, 5));                   /* PMSELR */
    run_undef(v, MRC15(1, 0, 9, 12, 5));
    CHECK_EQ(v->regs.r[1], 0x1F);
    run_undef(v, MCR15(0, 0, 9, 13, 1));                   /* PMXEVTYPER: WI */
    run_undef(v, MCR15(0, 0, 9, 13, 2));                   /* PMXEVCNTR: WI */
    run_undef(v, MRC15(1, 0, 9, 13, 1));
    CHECK_EQ(v->regs.r[1], 0);
    run_undef(v, MRC15(1, 0, 9, 13, 2));
    CHECK_EQ(v->regs.r[1], 0);
    run_undef(v, MCR15(0, 0, 9, 14, 1));                   /* PMINTENSET */
    run_undef(v, MRC15(1, 0, 9, 14, 1));
    CHECK_EQ(v->regs.r[1], 0x80000000);
    run_undef(v, MRC15(1, 0, 9, 14, 2));
    CHECK_EQ(v->regs.r[1], 0x80000000);
    run_undef(v, MCR15(0, 0, 9, 14, 2));                   /* PMINTENCLR */
    run_undef(v, MRC15(1, 0, 9, 14, 1));
    CHECK_EQ(v->regs.r[1], 0);
    check_done(v, PSR_MODE_SVC);
    /* PL0 with PMUSERENR.EN: PMSELR yes, PMINTENSET no */
    v->regs.r[0] = 1;
    run_undef(v, MCR15(0, 0, 9, 14, 0));
    enter_mode(v, PSR_MODE_USR, 0);
    run_undef(v, MRC15(2, 0, 9, 12, 5));
    check_done(v, PSR_MODE_USR);
    CHECK_EQ(v->regs.r[2], 0x1F);
    uint32_t old = vcpu_cpsr(v);
    run_undef(v, MRC15(2, 0, 9, 14, 1));
    CHECK_UNDEF(v, old);
}

/* The trivial Jazelle registers (CP14 opc1 7) where ID_PFR0.State2 says
 * Jazelle: RAZ/WI at PL1, UNDEF at PL0 and when not advertised; other CP14
 * registers (debug, not advertised) UNDEF. */
static uint32_t cp14_insn(bool read, unsigned opc1, unsigned crn, unsigned rt, unsigned crm,
                          unsigned opc2)
{
    return (cp15_insn(0xE, read, opc1, crn, rt, crm, opc2) & ~0xF00u) | 0xE00u;
}

static void test_cp14_jazelle(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    fake.id_regs[ID_PFR0] = 0x00001131;                    /* Cortex-A15: State2 = 1 */
    for (unsigned crn = 0; crn < 3; crn++) {
        v->regs.r[1] = 0x1234;
        run_undef(v, cp14_insn(true, 7, crn, 1, 0, 0));
        CHECK_EQ_CTX(v->regs.r[1], 0, "JIDR/JOSCR/JMCR c%u", crn);
        v->regs.r[1] = 0xFFFFFFFF;
        run_undef(v, cp14_insn(false, 7, crn, 1, 0, 0));
        check_done(v, PSR_MODE_SVC);
    }
    old = vcpu_cpsr(v);
    run_undef(v, cp14_insn(true, 0, 0, 1, 0, 0));          /* DBGDIDR: no debug */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    fake.id_regs[ID_PFR0] = 0x00001031;                    /* Cortex-A9 in QEMU: none */
    old = vcpu_cpsr(v);
    run_undef(v, cp14_insn(true, 7, 1, 1, 0, 0));
    CHECK_UNDEF(v, old);
}

/* What the guest reads in the ID registers (core/idregs.c), for the real
 * values of the boards' CPUs as QEMU reports them (docs/id-registers.md). */
static void test_id_registers_virtualized(void **state)
{
    /* Cortex-A15 (qemu-virt): LPAE capped to VMSAv7 + PXN, PMUv2 kept, no
     * debug, no Security/Virtualization Extensions, no ThumbEE */
    CHECK_EQ(vid_value(ID_MMFR0, 0x10201105), 0x10201104);
    CHECK_TRUE(vid_vmsa_has_pxn(vid_value(ID_MMFR0, 0x10201105)));
    CHECK_EQ(vid_value(ID_DFR0, 0x02010555), 0x02000000);
    CHECK_EQ(vid_value(ID_PFR0, 0x00001131), 0x00000131);
    CHECK_EQ(vid_value(ID_PFR1, 0x00011011), 0x00010001);   /* generic timer kept */
    CHECK_EQ(vid_value(ID_ISAR3, 0x11112131), 0x01112131);
    CHECK_EQ(vid_value(ID_ISAR4, 0x10011142), 0x10010142);
    CHECK_EQ(vid_value(ID_MMFR2, 0x01240000), 0x01230000);  /* no Hyp TLB ops */
    CHECK_EQ(vid_value(ID_MMFR3, 0x02102211), 0x00102211);  /* CMemSz 0 */
    /* Cortex-A9 (qemu-vexpress-a9): VMSAv7 without PXN, FCSE off */
    CHECK_EQ(vid_value(ID_MMFR0, 0x00100103), 0x00100103);
    CHECK_TRUE(!vid_vmsa_has_pxn(vid_value(ID_MMFR0, 0x00100103)));
    CHECK_EQ(vid_value(ID_DFR0, 0x00010444), 0);
    CHECK_EQ(vid_value(ID_PFR1, 0x00000011), 0x00000001);
    CHECK_EQ(vid_value(ID_PFR0, 0x00001231), 0x00000231);
    /* Cortex-A8 (qemu-realview-pb-a8): FCSE, TCM cleared */
    CHECK_EQ(vid_value(ID_MMFR0, 0x31100003), 0x30100003);
    CHECK_EQ(vid_value(ID_MMFR0, 0x31110003), 0x30100003);
    CHECK_EQ(vid_value(ID_DFR0, 0x00000400), 0);
    CHECK_EQ(vid_value(ID_TCMTR, 0x00010001), 0);
    CHECK_EQ(vid_value(ID_AFR0, 0x12345678), 0);
    CHECK_EQ(vid_value(ID_MMFR1, 0x20000000), 0x20000000);
    CHECK_EQ(vid_value(ID_MMFR1, 0x20000123), 0x20000000);  /* pre-v7 cache ops */
    CHECK_EQ(vid_value(ID_MMFR2, 0xF1202FFF), 0x01202000);
    /* VFP: FPEXC is EN only, so no trapped exceptions */
    CHECK_EQ(vid_value(ID_MVFR0, 0x11111111), 0x11110111);
    /* no fields set: nothing advertised, nothing added */
    for (unsigned r = 0; r < ID_NREGS; r++)
        CHECK_EQ_CTX(vid_value((enum arch_id_reg)r, 0), 0, "register %u", r);
    /* the guest's CP15 reads, VMRS and the SRFA copy all come from vid_read() */
    struct vcpu *v = *state;
    fake.id_regs[ID_MMFR0] = 0x10201105;
    fake.id_regs[ID_DFR0] = 0x02010555;
    run_undef(v, MRC15(1, 0, 0, 1, 4));
    CHECK_EQ(v->regs.r[1], 0x10201104);
    run_undef(v, MRC15(1, 0, 0, 1, 2));
    CHECK_EQ(v->regs.r[1], 0x02000000);
    uint32_t w[PV_SRFA_CP15_COUNT];
    cp15_srfa_publish(v, w);
    CHECK_EQ(w[9], 0x10201104);                             /* ID_MMFR0 */
    CHECK_EQ(w[7], 0x02000000);                             /* ID_DFR0 */
    /* FCSEIDR is RAZ/WI, as ID_MMFR0.FCSE = 0 says */
    v->regs.r[0] = 0x02000000;
    run_undef(v, MCR15(0, 0, 13, 0, 0));
    run_undef(v, MRC15(1, 0, 13, 0, 0));
    CHECK_EQ(v->regs.r[1], 0);
    /* TTBCR.EAE is RAZ/WI (no long descriptors), 64-bit TTBR0 UNDEF */
    v->regs.r[0] = 0x80000000;
    run_undef(v, MCR15(0, 0, 2, 0, 2));
    run_undef(v, MRC15(1, 0, 2, 0, 2));
    CHECK_EQ(v->regs.r[1], 0);
    /* TTBCR.PD0/PD1: kept where the board's CPU has them (real ID_PFR1
     * Security), RAZ/WI elsewhere; the guest reads Security = 0 either way */
    v->regs.r[0] = 0xFFFFFFFF;
    fake.id_regs[ID_PFR1] = 0x00000011;
    run_undef(v, MCR15(0, 0, 2, 0, 2));
    run_undef(v, MRC15(1, 0, 2, 0, 2));
    CHECK_EQ(v->regs.r[1], 0x37);
    run_undef(v, MRC15(1, 0, 0, 1, 1));
    CHECK_EQ(v->regs.r[1], 0x00000001);
    fake.id_regs[ID_PFR1] = 0x00000001;
    run_undef(v, MCR15(0, 0, 2, 0, 2));
    run_undef(v, MRC15(1, 0, 2, 0, 2));
    CHECK_EQ(v->regs.r[1], 0x07);
    check_done(v, PSR_MODE_SVC);
}

/* ---- VFP system registers ---------------------------------------------------- */

static void grant_cpacr(struct vcpu *v, uint32_t cpacr)
{
    v->regs.r[12] = cpacr;
    run_undef(v, MCR15(12, 0, 1, 0, 2));
    CHECK_EQ(v->cp15.cpacr, cpacr);
}

static void test_vfp_vmrs_fpexc_granted(void **state)
{
    struct vcpu *v = *state;

    grant_cpacr(v, 0x00F00000);
    v->regs.r[0] = 0xDEAD;
    run_undef(v, 0xEEF80A10);                              /* vmrs r0, fpexc */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], 0);
    CHECK_EQ(v->stats[TS_VFP_SYSREG], 1);
    run_undef(v, VMRS(1, 0));                              /* FPSID */
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_FPSID]);
    run_undef(v, VMRS(1, 7));                              /* MVFR0 */
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_MVFR0]);
    run_undef(v, VMRS(1, 6));                              /* MVFR1 */
    CHECK_EQ(v->regs.r[1], fake.id_regs[ID_MVFR1]);
    v->regs.r[0] = 0xFFFFFFFF;
    run_undef(v, 0xEEE80A10);                              /* vmsr fpexc, r0 */
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->vfp.fpexc, 0x40000000);                    /* only EN */
    CHECK_EQ(fake.vfp_on, false);                          /* not the VFP owner yet */
    /* now entitled: the next VFP trap switches the state in first */
    run_undef(v, VMRS(1, 0));
    CHECK_EQ(v->regs.pc, INSN);
    CHECK_EQ(fake.vfp_restore_count, 1);
}

static void test_vfp_lazy_switch_then_vmrs(void **state)
{
    struct vcpu *v = *state;

    grant_cpacr(v, 0x00500000);                            /* PL1 only */
    v->vfp.fpexc = 0x40000000;
    fake_put32(INSN, 0xEEF82A10);                          /* vmrs r2, fpexc */
    v->regs.pc = INSN + 4;
    emulate_undef(v);
    /* first trap: the state is switched in and the instruction retried */
    CHECK_EQ(v->regs.pc, INSN);
    CHECK_EQ(fake.vfp_restore_count, 1);
    CHECK_EQ(fake.vfp_on, true);
    CHECK_EQ(v->stats[TS_VFP_SWITCH], 1);
    /* FPEXC still traps (PL1-only register): emulated */
    run_undef(v, 0xEEF82A10);
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[2], 0x40000000);
    CHECK_EQ(fake.vfp_restore_count, 1);
}

/* FIT_FPEXC (pv-abi.h system op 12) is the VMRS Rt, FPEXC / VMSR FPEXC, Rt
 * it stands for, through the generic emulation, in every state that decides
 * the outcome: virtual mode, CPACR cp10 (none, PL1, reserved, full), VFP
 * present or not, the vCPU owning the VFP unit or not, EN before and after,
 * any Rt value, the condition kept.  Registers, banked state, the
 * virtual FPEXC and the real unit's enable must come out the same. */
static void test_fit_fpexc_equals_vmrs_vmsr(void **state)
{
    static const uint32_t modes[] = { PSR_MODE_SVC, PSR_MODE_ABT, PSR_MODE_IRQ, PSR_MODE_UND,
                                      PSR_MODE_SYS, PSR_MODE_FIQ };
    static const uint32_t cpacrs[] = { 0, 0x00500000, 0x00A00000, 0x00F00000 };
    struct vcpu *v = *state;
    uint32_t s = 0xF9E5;

    for (int k = 0; k < 600; k++) {
        struct arch_state init, a, b;
        uint32_t rt = unit_rand(&s) % 13, val = unit_rand(&s), cond = 0xE;
        uint32_t fpexc0, fpexc_a;
        int switches;
        bool load = unit_rand(&s) & 1, on0, on_a;

        emu_setup(state);
        v = *state;
        fake.has_vfp = (k % 7) != 0;
        if (unit_rand(&s) % 3 == 0) {                        /* the VFP owner */
            grant_cpacr(v, fake.has_vfp ? 0x00F00000 : 0);
            v->vfp.fpexc = FPEXC_EN;
            run_undef(v, 0xEEB00A40);                       /* vmov.f32 s0, s0 */
        }
        v->cp15.cpacr = fake.has_vfp ? cpacrs[unit_rand(&s) % 4] : 0;   /* as wr_cpacr() */
        v->vfp.fpexc = unit_rand(&s) & 1 ? FPEXC_EN : 0;
        if (k % 11 == 0)
            val |= FPEXC_EN;                                /* enable more often */
        if (k % 13 == 0)
            cond = 0x0;             /* EQ, taken: an SVC failing its condition never traps */
        enter_mode(v, modes[k % 6], unit_rand(&s) & PSR_AIF);
        v->regs.cpsr |= PSR_Z;
        for (unsigned r = 0; r < 13; r++)
            v->regs.r[r] = unit_rand(&s);
        v->regs.r[rt] = val;
        snap(v, &init);
        fpexc0 = v->vfp.fpexc;
        on0 = fake.vfp_on;

        run_svc_cond(v, cond, PV_FIT_FPEXC(rt, load));
        CHECK_EQ_CTX(fake.stop_count, 0, "stopped: %s", fake.stop_msg);
        snap(v, &a);
        fpexc_a = v->vfp.fpexc;
        on_a = fake.vfp_on;

        restore(v, &init);
        v->vfp.fpexc = fpexc0;
        arch_vfp_enable(on0);
        switches = fake.vfp_restore_count;
        run_undef(v, cond << 28 | (load ? 0x0EF80A10u : 0x0EE80A10u) | rt << 12);
        if (fake.vfp_restore_count != switches) {
            /* The trapped instruction first switched the guest's VFP state
             * in (it was entitled, not the owner) and is retried, as the CPU
             * would: invisible to the guest, and the real EN follows. */
            CHECK_EQ(v->regs.pc, INSN);
            CHECK_EQ(fake.vfp_on, true);
            v->regs.pc = INSN + 4;                          /* it traps again */
            emulate_undef(v);
            on_a = fake.vfp_on;
        }
        snap(v, &b);
        CHECK_EQ_CTX(memcmp(&a, &b, sizeof(a)), 0, "iteration %d (%s r%u, mode 0x%x, cpacr "
                     "%08x): pc %08x/%08x r%u %08x/%08x", k, load ? "VMRS" : "VMSR",
                     (unsigned)rt, (unsigned)modes[k % 6], (unsigned)v->cp15.cpacr,
                     (unsigned)a.regs.pc, (unsigned)b.regs.pc, (unsigned)rt,
                     (unsigned)a.regs.r[rt], (unsigned)b.regs.r[rt]);
        CHECK_EQ_CTX(fpexc_a, v->vfp.fpexc, "iteration %d: virtual FPEXC", k);
        CHECK_EQ_CTX(on_a, fake.vfp_on, "iteration %d: the real FPEXC.EN", k);
        unit_vcpu_teardown(state);
    }
}

/* What Linux's lazy VFP switch relies on: VMSR FPEXC with EN = 0 by the VFP
 * owner (FIT_FPEXC) turns the unit off at once, so the next VFP instruction,
 * in the kernel or in user space, is UNDEFINED for the guest; EN = 1 again and
 * it runs without a further state switch. */
static void test_fit_fpexc_disable_then_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    grant_cpacr(v, 0x00F00000);
    v->regs.r[3] = FPEXC_EN;
    run_svc(v, PV_FIT_FPEXC(3, 0));                        /* enable */
    check_done(v, PSR_MODE_SVC);
    run_undef(v, 0xEEB00A40);                              /* vmov.f32 s0, s0: switched in */
    CHECK_EQ(v->regs.pc, INSN);
    CHECK_EQ(fake.vfp_on, true);
    v->regs.r[3] = 0xBFFFFFFF;                             /* every bit but EN */
    run_svc(v, PV_FIT_FPEXC(3, 0));
    check_done(v, PSR_MODE_SVC);
    CHECK_EQ(fake.vfp_on, false);
    CHECK_EQ(v->vfp.fpexc, 0);
    run_svc(v, PV_FIT_FPEXC(5, 1));                        /* reads back 0 */
    CHECK_EQ(v->regs.r[5], 0);
    enter_mode(v, PSR_MODE_USR, 0);
    old = vcpu_cpsr(v);
    run_undef(v, 0xEEB00A40);                              /* user VFP: UNDEF to the guest */
    CHECK_UNDEF(v, old);
    CHECK_EQ(fake.vfp_restore_count, 1);
    vcpu_set_mode(v, PSR_MODE_SVC);
    v->regs.r[3] = FPEXC_EN;
    run_svc(v, PV_FIT_FPEXC(3, 0));
    CHECK_EQ(fake.vfp_on, true);                           /* still the owner: no switch */
    CHECK_EQ(fake.vfp_restore_count, 1);
}

static void test_vfp_without_grant_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old = vcpu_cpsr(v);

    v->regs.r[0] = 0xDEAD;
    run_undef(v, 0xEEF80A10);                              /* CPACR = 0 */
    CHECK_UNDEF(v, old);
    vcpu_set_mode(v, PSR_MODE_SVC);
    CHECK_EQ(v->regs.r[0], 0xDEAD);
    /* PL0-only grant (cp10 = 2 is reserved, 1 = PL1 only) does not help at PL1 */
    emu_setup(state);
    v = *state;
    v->cp15.cpacr = 0x00A00000;
    old = vcpu_cpsr(v);
    run_undef(v, 0xEEF80A10);
    CHECK_UNDEF(v, old);
    /* no VFP at all */
    emu_setup(state);
    v = *state;
    v->cp15.cpacr = 0x00F00000;
    fake.has_vfp = false;
    old = vcpu_cpsr(v);
    run_undef(v, 0xEEF80A10);
    CHECK_UNDEF(v, old);
}

static void test_vfp_user_and_fpscr_undef(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    grant_cpacr(v, 0x00F00000);
    enter_mode(v, PSR_MODE_USR, 0);
    old = vcpu_cpsr(v);
    run_undef(v, 0xEEF80A10);                              /* FPEXC from PL0 */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    old = vcpu_cpsr(v);
    run_undef(v, 0xEEF11A10);                              /* vmrs r1, fpscr with EN = 0 */
    CHECK_UNDEF(v, old);
    enter_mode(v, PSR_MODE_SVC, 0);
    old = vcpu_cpsr(v);
    run_undef(v, VMSR(0, 1));                              /* vmsr fpsid: read-only */
    CHECK_UNDEF(v, old);
}

static void test_undef_thumb_and_unreadable(void **state)
{
    struct vcpu *v = *state;
    uint32_t old;

    v->regs.cpsr |= PSR_T;
    old = vcpu_cpsr(v);
    v->regs.pc = INSN + 2;
    emulate_undef(v);
    check_injected(v, PSR_MODE_UND, 0x04, INSN + 2, old);
    emu_setup(state);
    v = *state;
    old = vcpu_cpsr(v);
    v->regs.pc = 0x10000004;                               /* cannot be read back */
    emulate_undef(v);
    check_injected(v, PSR_MODE_UND, 0x04, 0x10000004, old);
}

/*
 * LEAN_TRAP, FAST_CP15: cp15_read_fast(), then cp15_write_fast(), then
 * emulate_undef() (what hv_trap_undef_arm() does) leaves the vCPU exactly as
 * emulate_undef() alone does, for every
 * MRC/MCR p15 encoding {CRn, opc1, CRm, opc2}, Rt from r0 to PC, in a
 * privileged and in User mode, with PMUSERENR.EN clear and set, with
 * condition AL and with a condition (the fast path declines those).
 */
static void run_both(struct vcpu *v, uint32_t insn, const char *what)
{
    static struct vcpu before, slow;
    bool taken;

    fake_put32(INSN, insn);
    v->regs.pc = INSN + 4;
    before = *v;
    emulate_undef(v);
    slow = *v;
    *v = before;
    taken = cp15_read_fast(v, insn);
    if (taken && ((insn >> 20) & 1) == 0)
        fail_msg("%s: insn 0x%08x: an MCR taken by the read fast path", what, (unsigned)insn);
    if (!taken) {
        taken = cp15_write_fast(v, insn);
        if (taken && ((insn >> 20) & 1) == 1)
            fail_msg("%s: insn 0x%08x: an MRC taken by the write fast path", what, (unsigned)insn);
    }
    if (!taken)
        emulate_undef(v);
    if (memcmp(&slow, v, sizeof(slow)))
        fail_msg("%s: insn 0x%08x: the fast path (%s) differs from emulate_undef()", what,
                 (unsigned)insn, taken ? "taken" : "declined");
    *v = before;
}

static void test_cp15_read_fast_matches_emulate(void **state)
{
    struct vcpu *v = *state;
    uint32_t *w = (uint32_t *)&v->cp15;

    /* distinct register values; MMU and the rest off (SCTLR as at reset) */
    for (unsigned k = 1; k < sizeof(v->cp15) / 4; k++)
        w[k] = 0x5A000000u + k;
    fake.tls_rw = 0x7117;
    for (int user = 0; user < 2; user++) {
        if (user)
            vcpu_set_mode(v, PSR_MODE_USR);
        for (unsigned en = 0; en < 2; en++) {
            v->cp15.pmuserenr = en;
            for (unsigned key = 0; key < 16 * 8 * 16 * 8; key++) {
                unsigned crn = key >> 10, opc1 = (key >> 7) & 7, crm = (key >> 3) & 15,
                         opc2 = key & 7, rt = key % 15;
                const char *what = user ? (en ? "User, PMUSERENR.EN" : "User") : "SVC";
                run_both(v, cp15_insn(0xE, true, opc1, crn, rt, crm, opc2), what);
                run_both(v, cp15_insn(0xE, false, opc1, crn, rt, crm, opc2), what);
                if (key % 7 == 0) {
                    run_both(v, cp15_insn(0x0, true, opc1, crn, rt, crm, opc2), what);
                    run_both(v, cp15_insn(0x0, false, opc1, crn, rt, crm, opc2), what);
                    run_both(v, cp15_insn(0xE, true, opc1, crn, 13 + key % 3, crm, opc2), what);
                    run_both(v, cp15_insn(0xE, false, opc1, crn, 13 + key % 3, crm, opc2), what);
                }
            }
        }
    }
    CHECK_EQ(fake.stop_count, 0);
}

/*
 * LEAN_TRAP: vcpu_return_privileged() then, if it declines, emulate_svc()
 * (what hv_trap_pv() does) leaves the vCPU exactly as emulate_svc() alone,
 * for MOVS PC, LR, SUBS PC, LR, #imm and their neighbours, from every mode
 * to every SPSR mode (valid or not), with T, J, IT, E, flags, masks set or
 * clear in the SPSR.
 */
static void test_return_privileged_matches_emulate(void **state)
{
    static const uint32_t modes[] = { PSR_MODE_USR, PSR_MODE_FIQ, PSR_MODE_IRQ, PSR_MODE_SVC,
                                      PSR_MODE_MON, PSR_MODE_ABT, PSR_MODE_HYP, PSR_MODE_UND,
                                      PSR_MODE_SYS, 0x00 };
    static const uint32_t insns[] = {
        PV_ENCODE(0xE, PV_DP_PC(13, 0, 0, 14)),     /* MOVS PC, LR */
        PV_ENCODE(0xE, PV_DP_PC(2, 1, 14, 4)),      /* SUBS PC, LR, #4 */
        PV_ENCODE(0xE, PV_DP_PC(2, 1, 14, 0)),      /* SUBS PC, LR, #0 */
        PV_ENCODE(0xE, PV_DP_PC(2, 1, 14, 0xFF)),   /* SUBS PC, LR, #255 */
        PV_ENCODE(0xE, PV_DP_PC(2, 1, 14, 0x104)),  /* SUBS PC, LR, #4 ROR 2: declined */
        PV_ENCODE(0x0, PV_DP_PC(13, 0, 0, 14)),     /* MOVSEQ PC, LR: declined */
        PV_ENCODE(0xE, PV_DP_PC(4, 1, 14, 8)),      /* ADDS PC, LR, #8: declined */
        PV_ENCODE(0xE, PV_DP_PC(13, 0, 0, 13)),     /* MOVS PC, SP: declined */
    };
    static const uint32_t extra[] = { 0, PSR_T, PSR_J, PSR_IT | PSR_E, PSR_NZCVQ | PSR_GE | PSR_AIF,
                                      PSR_T | PSR_I };
    static struct vcpu before, slow;
    struct vcpu *v = *state;

    for (size_t from = 0; from < 9; from++) {
        for (size_t to = 0; to < sizeof(modes) / sizeof(modes[0]); to++) {
            for (size_t x = 0; x < sizeof(extra) / sizeof(extra[0]); x++) {
                for (size_t k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
                    emu_setup(state);
                    v = *state;
                    if (modes[from] == PSR_MODE_MON || modes[from] == PSR_MODE_HYP)
                        continue;               /* the virtual CPU has none */
                    vcpu_set_mode(v, modes[from]);
                    for (unsigned b = 0; b < NBANKS; b++) {
                        v->bank_sp[b] = 0x41000000u + 0x100 * b;
                        v->bank_lr[b] = 0x42000000u + 0x100 * b + 0x7;
                    }
                    v->regs.sp = 0x43000000;
                    v->regs.lr = 0x44000017;
                    v->regs.cpsr = PSR_MODE_USR | PSR_Z;
                    if (vmode_has_spsr(v))
                        *vcpu_spsr(v) = modes[to] | extra[x];
                    fake_put32(INSN, insns[k]);
                    v->regs.pc = INSN + 4;
                    before = *v;
                    emulate_svc(v);
                    slow = *v;
                    int stops = fake.stop_count;
                    *v = before;
                    fake.stop_count = 0;
                    bool taken = vcpu_return_privileged(v, insns[k]);
                    if (!taken)
                        emulate_svc(v);
                    if (memcmp(&slow, v, sizeof(slow)) || fake.stop_count != stops)
                        fail_msg("from 0x%02x, SPSR 0x%08x, insn 0x%08x: the lean path (%s) "
                                 "differs from emulate_svc()", (unsigned)modes[from],
                                 (unsigned)(modes[to] | extra[x]), (unsigned)insns[k],
                                 taken ? "taken" : "declined");
                }
            }
        }
    }
}

/*
 * FAST_MMIO (core/mmio.c): whatever mmio_cached() answers is what the slow
 * path (the guest's tables, then mmio_find()) gives, and only for an access
 * (privilege, direction) the tables were seen to allow.  The model: the
 * guest's translation of each device VA page changes at random "epochs"
 * (each ends with what shadow.c does then: mm.gen bumped) and with the
 * current space; the slow path remembers what it found.
 */
static uint32_t dev_rd(void *dev, uint32_t off, unsigned size) { return 0; }
static void dev_wr(void *dev, uint32_t off, unsigned size, uint32_t val) { }
static const struct mmio_ops dev_ops = { dev_rd, dev_wr, NULL };

static void test_mmio_cache_matches_slow_path(void **state)
{
    struct vcpu *v = *state;
    struct guest *g = v->guest;
    static const uint32_t bases[3] = { 0x09000000, 0x09010000, 0x09010800 };
    struct shadow_space *spaces[2] = { (struct shadow_space *)&spaces, (struct shadow_space *)&bases };
    uint32_t seed = 0xC0FFEE11, map[2][4];     /* per space: VA page k -> IPA page */
    uint8_t allowed[2][4];                     /* accesses seen allowed this epoch */

    g->nmmio = 0;
    CHECK_EQ(mmio_register(g, "a", bases[0], 0x1000, &dev_ops, NULL), 0);
    CHECK_EQ(mmio_register(g, "b", bases[1], 0x800, &dev_ops, NULL), 0);
    CHECK_EQ(mmio_register(g, "c", bases[2], 0x400, &dev_ops, NULL), 0);
    g->mm.cur = spaces[0];
    for (int it = 0; it < 20000; it++) {
        uint32_t x = unit_rand(&seed);
        unsigned sp = g->mm.cur == spaces[1];
        if (it == 0 || x % 97 == 0) {           /* the guest's tables change */
            for (unsigned s = 0; s < 2; s++)
                for (unsigned k = 0; k < 4; k++) {
                    map[s][k] = bases[unit_rand(&seed) % 3] & ~0xFFFu;
                    allowed[s][k] = 0;
                }
            g->mm.gen++;
            continue;
        }
        if (x % 13 == 0) {                      /* another space becomes current */
            g->mm.cur = spaces[!sp];
            continue;
        }
        if (x % 11 == 0) {
            vcpu_set_mode(v, vmode_privileged(v) ? PSR_MODE_USR : PSR_MODE_SVC);
            continue;
        }
        unsigned k = (x >> 8) & 3, bit;
        bool write = (x >> 10) & 1;
        uint32_t va = 0x10000000 + k * 0x1000 + ((x >> 12) & 0xFFC), ipa;
        uint32_t want_ipa = map[sp][k] | (va & 0xFFF);
        const struct mmio_region *want = mmio_find(g, want_ipa), *got;
        bit = 1u << (vmode_privileged(v) * 2 + write);
        got = mmio_cached(v, va, write, &ipa);
        if (got) {
            CHECK_EQ_CTX(ipa, want_ipa, "round %d: va 0x%08x", it, (unsigned)va);
            CHECK_TRUE(got == want);
            CHECK_TRUE(allowed[sp][k] & bit);
        } else if (want && ((x >> 16) & 3)) {   /* the slow path; the tables allow it (mostly) */
            allowed[sp][k] |= bit;
            mmio_remember(v, va, write, want_ipa, want);
        }
    }
}

/*
 * FAST_MMIO: a store into a write-protected table page, emulated with the
 * translation the shadow fault found (straight to the IPA), leaves the vCPU
 * and memory exactly as through the guest's tables (fault_ipa unknown), for
 * STR/STRB/STRH/STRD/STRT, offsets, write-back, a page-crossing STRD.
 */
static void test_table_write_known_ipa_matches(void **state)
{
    static const uint32_t insns[] = {
        0xE5801000,     /* str   r1, [r0] */
        0xE5C01003,     /* strb  r1, [r0, #3] */
        0xE1C010B2,     /* strh  r1, [r0, #2] */
        0xE1C020F0,     /* strd  r2, r3, [r0] */
        0xE4A01004,     /* strt  r1, [r0], #4 */
        0xE5A01008,     /* str   r1, [r0, #8]! */
        0xE7801004,     /* str   r1, [r0, r4] */
    };
    static const uint32_t offs[] = { 0x0, 0x7F8, 0xFF8, 0xFFC };
    static struct vcpu before, slow;
    static uint8_t ram_slow[FAKE_RAM_SIZE];
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
        for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
            uint32_t va = DATA + 0x2000 + offs[o];
            for (int user = 0; user < 2; user++) {
                emu_setup(state);
                v = *state;
                if (user)
                    vcpu_set_mode(v, PSR_MODE_USR);
                fake_put32(INSN, insns[k]);
                v->regs.pc = INSN;          /* a data abort: PC at the store */
                v->regs.r[0] = va;
                v->regs.r[1] = 0x11223344;
                v->regs.r[2] = 0x55667788;
                v->regs.r[3] = 0x99AABBCC;
                v->regs.r[4] = 0x10;
                before = *v;
                emulate_table_write(v, va, ~0u);
                slow = *v;
                memcpy(ram_slow, fake_ram, FAKE_RAM_SIZE);
                *v = before;
                memset(fake_ram + (DATA - FAKE_RAM_BASE), 0, 0x4000);
                memcpy(fake_ram, ram_slow, DATA - FAKE_RAM_BASE);
                /* undo the slow path's stores, then the fast one */
                memcpy(fake_ram + (DATA + 0x4000 - FAKE_RAM_BASE), ram_slow + (DATA + 0x4000 - FAKE_RAM_BASE),
                       FAKE_RAM_SIZE - (DATA + 0x4000 - FAKE_RAM_BASE));
                emulate_table_write(v, va, va);     /* MMU off: IPA = VA */
                CHECK_TRUE_CTX(!memcmp(&slow, v, sizeof(slow)), "insn 0x%08x at 0x%08x: vCPU differs",
                               (unsigned)insns[k], (unsigned)va);
                CHECK_TRUE_CTX(!memcmp(ram_slow, fake_ram, FAKE_RAM_SIZE),
                               "insn 0x%08x at 0x%08x: memory differs", (unsigned)insns[k], (unsigned)va);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TE(test_mmio_cache_matches_slow_path), TE(test_table_write_known_ipa_matches),
        TE(test_mrs_cpsr), TE(test_mrs_spsr), TE(test_mrs_spsr_in_sys_undef),
        TE(test_msr_reg_cpsr_fields), TE(test_msr_imm_cpsr), TE(test_msr_spsr_fields),
        TE(test_msr_spsr_in_sys_undef), TE(test_msr_in_user_is_syscall),
        TE(test_msr_bad_mode_stops), TE(test_msr_spsr_bad_mode_stops),
        TE(test_msr_mask0_and_pc_undef),
        TE(test_cps_interrupt_masks), TE(test_cps_mode), TE(test_cps_bad_mode_and_imod),
        TE(test_cps_in_user_is_syscall),
        TE(test_subs_pc_lr), TE(test_movs_pc_lr_and_shifted),
        TE(test_dp_pc_sys_undef_and_bad_opcode), TE(test_excret_bad_spsr_mode_stops),
        TE(test_ldm_exception_return_modes),
        TE(test_ldm_exception_return_no_writeback_and_rn_in_list),
        TE(test_ldm_user_from_svc), TE(test_ldm_user_from_fiq), TE(test_stm_user_from_fiq),
        TE(test_ldm_stm_user_in_sys_undef),
        TE(test_ldm_unaligned_base_aborts), TE(test_stm_unaligned_base_aborts_wnr),
        TE(test_ldm_outside_ram_aborts), TE(test_stm_outside_ram_aborts),
        TE(test_srs_rfe_roundtrip), TE(test_srs_own_mode_ib_and_rfe_da), TE(test_srs_rfe_errors),
        TE(test_big_endian_device_access), TE(test_big_endian_ldm_stm_srs_rfe),
        TE(test_hints),
        TE(test_hc_abi_version_preserves_regs), TE(test_hc_putc_write),
        TE(test_hc_write_bad_pointer), TE(test_hc_write_too_long), TE(test_hc_unknown),
        TE(test_hc_unknown_flood),
        TE(test_hc_exit_yield_stats),
        TE(test_hc_psci), TE(test_hc_vendor_exit),
        TE(test_guest_svc_from_svc_mode), TE(test_any_svc_from_user_is_syscall),
        TE(test_thumb_svc_is_guest_svc), TE(test_reserved_pv_stops),
        TE(test_ret_user_equals_sequence), TE(test_ret_user_undef_and_abort),
        TE(test_fit_store_equals_mcr), TE(test_ret_mode_equals_sequence),
        TE(test_svc_readback_fault_stops),
        TE(test_cp15_sctlr), TE(test_cp15_mmu_registers_reach_shadow), TE(test_cp15_plain_registers),
        TE(test_cp15_tls_registers), TE(test_cp15_from_user_undef),
        TE(test_cp15_condition_failed_is_nop), TE(test_cp15_unknown_and_wrong_direction_undef),
        TE(test_cp15_id_registers), TE(test_cp15_cache_and_tlb_ops), TE(test_cp15_ats_par),
        TE(test_cp15_cpacr), TE(test_cp15_pmu_cycle_counter), TE(test_cp15_pmu_registers),
        TE(test_id_registers_virtualized), TE(test_cp14_jazelle),
        TE(test_cp15_read_fast_matches_emulate), TE(test_return_privileged_matches_emulate),
        TE(test_vfp_vmrs_fpexc_granted), TE(test_fit_fpexc_equals_vmrs_vmsr),
        TE(test_fit_fpexc_disable_then_undef), TE(test_vfp_lazy_switch_then_vmrs),
        TE(test_vfp_without_grant_undef), TE(test_vfp_user_and_fpscr_undef),
        TE(test_undef_thumb_and_unreadable),
    };
    return UNIT_RUN("emulate", tests);
}
