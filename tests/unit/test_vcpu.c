/*
 * core/vcpu.c: banked registers, the composed CPSR, CPSRWriteByInstr
 * (ARM ARM B1.3.3), exception return and the frame sanitizer.
 */
#include "unit.h"
#include "vcpu.h"

static const uint32_t all_modes[] = {
    PSR_MODE_USR, PSR_MODE_FIQ, PSR_MODE_IRQ, PSR_MODE_SVC,
    PSR_MODE_ABT, PSR_MODE_UND, PSR_MODE_SYS,
};
#define NMODES (sizeof(all_modes) / sizeof(all_modes[0]))

static void test_reset_state(void **state)
{
    struct vcpu *v = *state;

    CHECK_EQ(vmode(v), PSR_MODE_SVC);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_AIF);
    CHECK_EQ(v->regs.pc, UNIT_ENTRY);
    CHECK_EQ(v->regs.cpsr, PSR_MODE_USR);
    CHECK_EQ(vcpu_cpsr(v), PSR_MODE_SVC | PSR_AIF);
    /* SCTLR: M A C Z I V EE TRE AFE TE cleared from the boot value */
    CHECK_EQ(v->cp15.sctlr, UNIT_BOOT_SCTLR & ~0x72003807u);
    CHECK_EQ(v->cpacr_vfp_ok, 0);
}

static void test_mode_valid(void **state)
{
    for (uint32_t m = 0; m < 32; m++) {
        bool exp = false;
        for (size_t k = 0; k < NMODES; k++)
            exp |= all_modes[k] == m;
        CHECK_EQ_CTX(vcpu_mode_valid(m), exp, "mode 0x%02x", (unsigned)m);
    }
}

/* Each mode keeps its own SP and LR; USR and SYS share theirs. */
static void test_mode_switch_banks_sp_lr(void **state)
{
    struct vcpu *v = *state;

    for (size_t k = 0; k < NMODES; k++) {
        vcpu_set_mode(v, all_modes[k]);
        CHECK_EQ(vmode(v), all_modes[k]);
        v->regs.sp = 0x5000 + (uint32_t)k;
        v->regs.lr = 0x6000 + (uint32_t)k;
    }
    /* SYS was written last, overwriting USR's pair (index 0) */
    for (size_t k = 0; k < NMODES; k++) {
        size_t exp = all_modes[k] == PSR_MODE_USR ? NMODES - 1 : k;
        vcpu_set_mode(v, all_modes[k]);
        CHECK_EQ_CTX(v->regs.sp, 0x5000 + exp, "SP in mode 0x%02x", (unsigned)all_modes[k]);
        CHECK_EQ_CTX(v->regs.lr, 0x6000 + exp, "LR in mode 0x%02x", (unsigned)all_modes[k]);
    }
    /* the other registers are shared by every mode but FIQ */
    vcpu_set_mode(v, PSR_MODE_SVC);
    for (unsigned r = 0; r < 13; r++)
        v->regs.r[r] = 0x100 + r;
    vcpu_set_mode(v, PSR_MODE_UND);
    for (unsigned r = 0; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0x100 + r, "r%u after SVC->UND", r);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_AIF);     /* masks untouched by mode changes */
}

static void test_fiq_banks_r8_r12(void **state)
{
    struct vcpu *v = *state;

    vcpu_set_mode(v, PSR_MODE_SVC);
    for (unsigned r = 0; r < 13; r++)
        v->regs.r[r] = 0xA00 + r;
    vcpu_set_mode(v, PSR_MODE_FIQ);
    for (unsigned r = 0; r < 8; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xA00 + r, "r%u shared with FIQ", r);
    for (unsigned r = 8; r < 13; r++) {
        CHECK_EQ_CTX(v->regs.r[r], 0, "FIQ r%u starts at its reset value", r);
        v->regs.r[r] = 0xF00 + r;
    }
    v->regs.r[0] = 0x77;
    vcpu_set_mode(v, PSR_MODE_IRQ);            /* FIQ -> another non-FIQ mode */
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xA00 + r, "User r%u back after leaving FIQ", r);
    CHECK_EQ(v->regs.r[0], 0x77);
    vcpu_set_mode(v, PSR_MODE_FIQ);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xF00 + r, "FIQ r%u kept while away", r);
    vcpu_set_mode(v, PSR_MODE_FIQ);            /* FIQ -> FIQ: nothing moves */
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xF00 + r, "FIQ r%u after FIQ->FIQ", r);
}

static void test_user_reg_from_fiq(void **state)
{
    struct vcpu *v = *state;

    vcpu_set_mode(v, PSR_MODE_USR);
    for (unsigned r = 0; r < 13; r++)
        v->regs.r[r] = 0x1000 + r;
    v->regs.sp = 0x1DDD;
    v->regs.lr = 0x1EEE;
    vcpu_set_mode(v, PSR_MODE_FIQ);
    for (unsigned r = 8; r < 13; r++)
        v->regs.r[r] = 0xF000 + r;
    v->regs.sp = 0xF0DD;
    v->regs.lr = 0xF0EE;
    for (unsigned r = 0; r < 13; r++)
        CHECK_EQ_CTX(vcpu_user_reg(v, r), 0x1000 + r, "User r%u seen from FIQ", r);
    CHECK_EQ(vcpu_user_reg(v, 13), 0x1DDD);
    CHECK_EQ(vcpu_user_reg(v, 14), 0x1EEE);
    /* writes go to the User bank, the FIQ registers stay */
    for (unsigned r = 8; r < 15; r++)
        vcpu_set_user_reg(v, r, 0x2000 + r);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0xF000 + r, "FIQ r%u after a User-bank write", r);
    CHECK_EQ(v->regs.sp, 0xF0DD);
    CHECK_EQ(v->regs.lr, 0xF0EE);
    vcpu_set_mode(v, PSR_MODE_SYS);
    for (unsigned r = 8; r < 13; r++)
        CHECK_EQ_CTX(v->regs.r[r], 0x2000 + r, "User r%u written from FIQ", r);
    CHECK_EQ(v->regs.sp, 0x2000 + 13);
    CHECK_EQ(v->regs.lr, 0x2000 + 14);
    /* from SYS, the User registers are the current ones */
    CHECK_EQ(vcpu_user_reg(v, 13), 0x2000 + 13);
    vcpu_set_user_reg(v, 14, 0x3333);
    CHECK_EQ(v->regs.lr, 0x3333);
}

static void test_user_reg_from_svc(void **state)
{
    struct vcpu *v = *state;

    v->regs.sp = 0x5CD;
    v->regs.lr = 0x5CE;
    v->bank_sp[BANK_USR] = 0x1D;
    v->bank_lr[BANK_USR] = 0x1E;
    v->regs.r[9] = 0x99;
    CHECK_EQ(vcpu_user_reg(v, 13), 0x1D);
    CHECK_EQ(vcpu_user_reg(v, 14), 0x1E);
    CHECK_EQ(vcpu_user_reg(v, 9), 0x99);
    vcpu_set_user_reg(v, 13, 0xAD);
    CHECK_EQ(v->bank_sp[BANK_USR], 0xAD);
    CHECK_EQ(v->regs.sp, 0x5CD);
}

static void test_reg_pc_and_banked_sp(void **state)
{
    struct vcpu *v = *state;

    CHECK_EQ(vcpu_reg(v, 15, 0x40001000), 0x40001008);
    vcpu_set_reg(v, 15, 0x1234);                        /* ignored */
    CHECK_EQ(v->regs.pc, UNIT_ENTRY);
    v->regs.sp = 0x5C;
    v->bank_sp[BANK_IRQ] = 0x12;
    CHECK_EQ(vcpu_banked_sp(v, PSR_MODE_SVC), 0x5C);
    CHECK_EQ(vcpu_banked_sp(v, PSR_MODE_IRQ), 0x12);
    vcpu_set_banked_sp(v, PSR_MODE_IRQ, 0x13);
    vcpu_set_banked_sp(v, PSR_MODE_SVC, 0x5D);
    CHECK_EQ(v->bank_sp[BANK_IRQ], 0x13);
    CHECK_EQ(v->regs.sp, 0x5D);
    CHECK_TRUE(vcpu_spsr(v) == &v->spsr[BANK_SVC]);
    vcpu_set_mode(v, PSR_MODE_SYS);
    CHECK_TRUE(vcpu_spsr(v) == NULL);
    vcpu_set_mode(v, PSR_MODE_USR);
    CHECK_TRUE(vcpu_spsr(v) == NULL);
}

static void test_cpsr_composition(void **state)
{
    struct vcpu *v = *state;

    /* the real CPSR's mode/AIF are replaced by the virtual ones; J reads 0 */
    v->regs.cpsr = 0xFFFFFFFF;
    v->vcpsr = PSR_MODE_IRQ | PSR_I;
    CHECK_EQ(vcpu_cpsr(v), (0xFFFFFFFF & ~(PSR_MODE_MASK | PSR_AIF | PSR_J)) | PSR_MODE_IRQ | PSR_I);
}

/* ---- CPSRWriteByInstr -------------------------------------------------- */

static void test_write_cpsr_user(void **state)
{
    struct vcpu *v = *state;
    uint32_t before;

    vcpu_set_mode(v, PSR_MODE_USR);
    v->vcpsr = (v->vcpsr & ~PSR_AIF) | PSR_I;           /* masks survive user writes */
    v->regs.cpsr = PSR_MODE_USR | PSR_IT_HI;            /* pretend an IT block */
    before = vcpu_cpsr(v);
    CHECK_TRUE(vcpu_write_cpsr(v, 0xFFFFFFFF & ~PSR_MODE_MASK, 0xF, false));
    /* only N Z C V Q, GE and E change in User mode */
    CHECK_EQ(vcpu_cpsr(v), before | PSR_NZCVQ | PSR_GE | PSR_E);
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I);
    CHECK_TRUE(vcpu_write_cpsr(v, 0, 0xF, false));
    CHECK_EQ(vcpu_cpsr(v), before);
    /* a bad mode is not even looked at without privilege */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_MON | PSR_A | PSR_F, 0x1, false));
    CHECK_EQ(vcpu_cpsr(v), before);
    /* even an exception return in User mode only gets T/IT, not the mode */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_SVC | PSR_T, 0xF, true));
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    CHECK_EQ(vcpu_cpsr(v) & (PSR_T | PSR_IT), PSR_T);
}

static void test_write_cpsr_privileged_fields(void **state)
{
    struct vcpu *v = *state;

    /* SVC, A I F set.  Byte by byte: */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_NZCVQ | PSR_GE | PSR_E | PSR_MODE_SYS, 0x8, false));
    CHECK_EQ(vcpu_cpsr(v), PSR_NZCVQ | PSR_MODE_SVC | PSR_AIF);          /* f: flags */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_GE, 0x4, false));
    CHECK_EQ(vcpu_cpsr(v), PSR_NZCVQ | PSR_GE | PSR_MODE_SVC | PSR_AIF); /* s: GE */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_E | PSR_GE, 0x2, false));           /* x: E, A */
    CHECK_EQ(vcpu_cpsr(v), PSR_NZCVQ | PSR_GE | PSR_E | PSR_MODE_SVC | PSR_I | PSR_F);
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_ABT | PSR_F, 0x1, false));     /* c: mode, I, F */
    CHECK_EQ(vcpu_cpsr(v), PSR_NZCVQ | PSR_GE | PSR_E | PSR_MODE_ABT | PSR_F);
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF), PSR_MODE_USR);   /* real CPSR stays User */
}

static void test_write_cpsr_mode_change_banks(void **state)
{
    struct vcpu *v = *state;

    v->regs.sp = 0x5C;
    v->bank_sp[BANK_IRQ] = 0x12;
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_IRQ, 0x1, false));
    CHECK_EQ(vmode(v), PSR_MODE_IRQ);
    CHECK_EQ(v->regs.sp, 0x12);
    CHECK_EQ(v->bank_sp[BANK_SVC], 0x5C);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_A);                /* c byte: I and F cleared, A kept */
}

static void test_write_cpsr_no_exec_state_by_msr(void **state)
{
    struct vcpu *v = *state;

    /* T, IT and J are never written by MSR (excp_return = false) */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_T | PSR_IT | PSR_J | PSR_MODE_SVC, 0xF, false));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT | PSR_J), 0);
    v->regs.cpsr |= PSR_T | PSR_IT;
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_SVC, 0xF, false));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT | PSR_J), PSR_T | PSR_IT);
}

static void test_write_cpsr_exception_return_bits(void **state)
{
    struct vcpu *v = *state;

    CHECK_TRUE(vcpu_write_cpsr(v, PSR_T | PSR_IT | PSR_J | PSR_MODE_USR | PSR_Z, 0xF, true));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT | PSR_J), PSR_T | PSR_IT);    /* J stays 0 */
    CHECK_EQ(vcpu_cpsr(v), PSR_T | PSR_IT | PSR_MODE_USR | PSR_Z);
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    /* IT[1:0] needs f, IT[7:2] needs x, T needs c */
    vcpu_set_mode(v, PSR_MODE_SVC);
    v->regs.cpsr = PSR_MODE_USR;
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_T | PSR_IT | PSR_MODE_SVC, 0x8, true));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT), PSR_IT_LO);
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_T | PSR_IT | PSR_MODE_SVC, 0x2, true));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT), PSR_IT);
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_T | PSR_MODE_SVC, 0x1, true));
    CHECK_EQ(v->regs.cpsr & (PSR_T | PSR_IT), PSR_IT | PSR_T);
}

static void test_write_cpsr_bad_mode(void **state)
{
    static const uint32_t bad[] = { PSR_MODE_MON, PSR_MODE_HYP, 0x00, 0x01, 0x14, 0x1C, 0x1E };
    struct vcpu *v = *state;

    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        struct vcpu snap;
        v->regs.sp = 0x5C;
        v->regs.cpsr = PSR_MODE_USR | PSR_C;
        memcpy(&snap, v, sizeof(snap));
        CHECK_EQ_CTX(vcpu_write_cpsr(v, bad[k] | PSR_NZCVQ, 0xF, false), false,
                     "mode 0x%02x", (unsigned)bad[k]);
        CHECK_EQ_CTX(memcmp(&snap, v, sizeof(snap)), 0, "vcpu changed by bad mode 0x%02x",
                     (unsigned)bad[k]);
        CHECK_EQ_CTX(vcpu_exception_return(v, bad[k], 0x40000000), false,
                     "exception return to mode 0x%02x", (unsigned)bad[k]);
        CHECK_EQ_CTX(memcmp(&snap, v, sizeof(snap)), 0, "vcpu changed by bad mode 0x%02x",
                     (unsigned)bad[k]);
    }
    /* without the c byte the mode field is not looked at */
    CHECK_TRUE(vcpu_write_cpsr(v, PSR_MODE_MON | PSR_N, 0x8, false));
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
}

static void test_exception_return_aligns_pc(void **state)
{
    struct vcpu *v = *state;

    CHECK_TRUE(vcpu_exception_return(v, PSR_MODE_USR, 0x40001003));
    CHECK_EQ(v->regs.pc, 0x40001000);                   /* ARM: bits 1:0 cleared */
    CHECK_EQ(vmode(v), PSR_MODE_USR);
    vcpu_set_mode(v, PSR_MODE_SVC);
    CHECK_TRUE(vcpu_exception_return(v, PSR_MODE_SYS | PSR_T, 0x40001003));
    CHECK_EQ(v->regs.pc, 0x40001002);                   /* Thumb: bit 0 cleared */
    CHECK_EQ(vmode(v), PSR_MODE_SYS);
    CHECK_EQ(v->regs.cpsr & PSR_T, PSR_T);
}

static void test_sanitize_frame(void **state)
{
    struct vcpu *v = *state;
    static const uint32_t in[] = { 0xFFFFFFFF, 0x000001D3, 0x01000010, 0xF80F03FF, 0 };

    for (size_t k = 0; k < sizeof(in) / sizeof(in[0]); k++) {
        v->regs.cpsr = in[k];
        vcpu_sanitize_frame(v);
        CHECK_EQ_CTX(v->regs.cpsr & PSR_MODE_MASK, PSR_MODE_USR, "from 0x%08x", (unsigned)in[k]);
        CHECK_EQ_CTX(v->regs.cpsr & (PSR_AIF | PSR_J), 0, "from 0x%08x", (unsigned)in[k]);
        CHECK_EQ_CTX(v->regs.cpsr & ~PSR_MODE_MASK,
                     in[k] & (PSR_NZCVQ | PSR_IT | PSR_GE | PSR_E | PSR_T),
                     "kept bits from 0x%08x", (unsigned)in[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TV(test_reset_state), TV(test_mode_valid), TV(test_mode_switch_banks_sp_lr),
        TV(test_fiq_banks_r8_r12), TV(test_user_reg_from_fiq), TV(test_user_reg_from_svc),
        TV(test_reg_pc_and_banked_sp), TV(test_cpsr_composition),
        TV(test_write_cpsr_user), TV(test_write_cpsr_privileged_fields),
        TV(test_write_cpsr_mode_change_banks), TV(test_write_cpsr_no_exec_state_by_msr),
        TV(test_write_cpsr_exception_return_bits), TV(test_write_cpsr_bad_mode),
        TV(test_exception_return_aligns_pc), TV(test_sanitize_frame),
    };
    return UNIT_RUN("vcpu", tests);
}
