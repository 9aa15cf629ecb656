/*
 * core/exception.c: taking exceptions in the virtual CPU (ARM ARM B1.8).
 */
#include "unit.h"
#include "exception.h"
#include <arch/mmu-defs.h>

static const struct {
    enum vexc e;
    const char *name;
    uint32_t mode, offset, mask;
} kinds[] = {
    { VEXC_UNDEF, "UND",  PSR_MODE_UND, 0x04, PSR_I },
    { VEXC_SVC,   "SVC",  PSR_MODE_SVC, 0x08, PSR_I },
    { VEXC_PABT,  "PABT", PSR_MODE_ABT, 0x0C, PSR_I | PSR_A },
    { VEXC_DABT,  "DABT", PSR_MODE_ABT, 0x10, PSR_I | PSR_A },
    { VEXC_IRQ,   "IRQ",  PSR_MODE_IRQ, 0x18, PSR_I | PSR_A },
    { VEXC_FIQ,   "FIQ",  PSR_MODE_FIQ, 0x1C, PSR_I | PSR_A | PSR_F },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* From virtual User mode with flags, GE, E, IT and T set in the real CPSR. */
static void inject_from_user(struct vcpu *v, size_t k, uint32_t sctlr, uint32_t vbar)
{
    vcpu_set_mode(v, PSR_MODE_USR);
    v->vcpsr &= ~PSR_AIF;
    v->regs.cpsr = PSR_MODE_USR | PSR_N | PSR_C | PSR_GE | PSR_E | PSR_IT | PSR_T;
    v->regs.sp = 0x11110000;
    v->regs.lr = 0x22220000;
    v->cp15.sctlr = sctlr;
    v->cp15.vbar = vbar;
    vcpu_inject(v, kinds[k].e, 0x40001234 + (uint32_t)k);
}

static void test_inject_each_kind(void **state)
{
    struct vcpu *v = *state;

    for (size_t k = 0; k < NKINDS; k++) {
        uint32_t old;
        inject_from_user(v, k, 0, 0x40010000);
        old = PSR_MODE_USR | PSR_N | PSR_C | PSR_GE | PSR_E | PSR_IT | PSR_T;
        CHECK_EQ_CTX(vmode(v), kinds[k].mode, "%s: mode", kinds[k].name);
        CHECK_EQ_CTX(v->regs.lr, 0x40001234 + k, "%s: LR = link", kinds[k].name);
        CHECK_EQ_CTX(*vcpu_spsr(v), old, "%s: SPSR = old CPSR", kinds[k].name);
        CHECK_EQ_CTX(v->vcpsr & PSR_AIF, kinds[k].mask, "%s: masks", kinds[k].name);
        CHECK_EQ_CTX(v->regs.pc, 0x40010000 + kinds[k].offset, "%s: vector", kinds[k].name);
        CHECK_EQ_CTX(v->regs.cpsr & (PSR_IT | PSR_T | PSR_J | PSR_E), 0,
                     "%s: IT, T, J, E cleared (TE = EE = 0)", kinds[k].name);
        CHECK_EQ_CTX(v->regs.cpsr & (PSR_NZCVQ | PSR_GE), PSR_N | PSR_C | PSR_GE,
                     "%s: flags and GE kept", kinds[k].name);
        CHECK_EQ_CTX(v->regs.cpsr & (PSR_MODE_MASK | PSR_AIF), PSR_MODE_USR,
                     "%s: real CPSR still User, unmasked", kinds[k].name);
        CHECK_EQ_CTX(v->bank_sp[BANK_USR], 0x11110000, "%s: User SP banked", kinds[k].name);
        CHECK_EQ_CTX(v->bank_lr[BANK_USR], 0x22220000, "%s: User LR banked", kinds[k].name);
    }
}

static void test_inject_high_vectors_te_ee(void **state)
{
    struct vcpu *v = *state;

    for (size_t k = 0; k < NKINDS; k++) {
        inject_from_user(v, k, SCTLR_V | SCTLR_TE | SCTLR_EE, 0x40010000);
        CHECK_EQ_CTX(v->regs.pc, 0xFFFF0000 + kinds[k].offset, "%s: high vector", kinds[k].name);
        CHECK_EQ_CTX(v->regs.cpsr & (PSR_T | PSR_E | PSR_IT), PSR_T | PSR_E,
                     "%s: T from TE, E from EE, IT cleared", kinds[k].name);
    }
}

static void test_vector_base_low_bits(void **state)
{
    struct vcpu *v = *state;

    v->cp15.vbar = 0x4001001F;
    CHECK_EQ(vcpu_vector_base(v), 0x40010000);
    v->cp15.sctlr |= SCTLR_V;
    CHECK_EQ(vcpu_vector_base(v), 0xFFFF0000);
}

/* Masks are only ever added: an UND/SVC keeps A (and F) as they were. */
static void test_inject_keeps_other_masks(void **state)
{
    struct vcpu *v = *state;

    v->vcpsr = PSR_MODE_SYS | PSR_A | PSR_F;
    vcpu_inject(v, VEXC_SVC, 0x40000004);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_AIF);
    v->vcpsr = PSR_MODE_SYS | PSR_F;
    vcpu_inject(v, VEXC_UNDEF, 0x40000004);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I | PSR_F);
    v->vcpsr = PSR_MODE_SYS;
    vcpu_inject(v, VEXC_IRQ, 0x40000004);
    CHECK_EQ(v->vcpsr & PSR_AIF, PSR_I | PSR_A);
}

/* An exception taken from its own mode overwrites LR and SPSR (that is the
 * architecture); the previous mode's banked registers are preserved otherwise. */
static void test_inject_from_privileged_modes(void **state)
{
    struct vcpu *v = *state;

    /* SVC -> UND: SVC's LR is banked, SPSR_und = CPSR (SVC) */
    v->vcpsr = PSR_MODE_SVC | PSR_F;
    v->regs.cpsr = PSR_MODE_USR | PSR_Z;
    v->regs.lr = 0x5E5E;
    v->regs.sp = 0x5D5D;
    vcpu_inject(v, VEXC_UNDEF, 0x40000104);
    CHECK_EQ(vmode(v), PSR_MODE_UND);
    CHECK_EQ(v->spsr[BANK_UND], PSR_MODE_SVC | PSR_F | PSR_Z);
    CHECK_EQ(v->bank_lr[BANK_SVC], 0x5E5E);
    CHECK_EQ(v->bank_sp[BANK_SVC], 0x5D5D);
    /* SVC -> SVC */
    vcpu_set_mode(v, PSR_MODE_SVC);
    v->vcpsr &= ~PSR_AIF;
    vcpu_inject(v, VEXC_SVC, 0x40000204);
    CHECK_EQ(vmode(v), PSR_MODE_SVC);
    CHECK_EQ(v->regs.lr, 0x40000204);
    CHECK_EQ(v->regs.sp, 0x5D5D);
    CHECK_EQ(v->spsr[BANK_SVC], PSR_MODE_SVC | PSR_Z);
    /* FIQ from IRQ mode: r8-r12 switch to the FIQ bank */
    vcpu_set_mode(v, PSR_MODE_IRQ);
    v->regs.r[8] = 0x88;
    v->fiq_r8_12[0] = 0xF8;
    vcpu_inject(v, VEXC_FIQ, 0x40000304);
    CHECK_EQ(v->regs.r[8], 0xF8);
    CHECK_EQ(v->usr_r8_12[0], 0x88);
    CHECK_EQ(v->spsr[BANK_FIQ] & PSR_MODE_MASK, PSR_MODE_IRQ);
}

static void test_inject_dabt_pabt_undef_helpers(void **state)
{
    struct vcpu *v = *state;

    v->cp15.vbar = 0x40020000;
    vcpu_set_mode(v, PSR_MODE_USR);
    vcpu_inject_dabt(v, 0x40001000, FSR_EXT_ABORT | FSR_WNR, 0x12345678);
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->cp15.dfsr, 0x808);
    CHECK_EQ(v->cp15.dfar, 0x12345678);
    CHECK_EQ(v->regs.lr, 0x40001008);                   /* DABT: insn + 8 */
    CHECK_EQ(v->regs.pc, 0x40020010);

    vcpu_set_mode(v, PSR_MODE_USR);
    vcpu_inject_pabt(v, 0x40002000, FSR_DEBUG, 0x40002000);
    CHECK_EQ(vmode(v), PSR_MODE_ABT);
    CHECK_EQ(v->cp15.ifsr, FSR_DEBUG);
    CHECK_EQ(v->cp15.ifar, 0x40002000);
    CHECK_EQ(v->cp15.dfsr, 0x808);                      /* untouched */
    CHECK_EQ(v->regs.lr, 0x40002004);                   /* PABT: insn + 4 */
    CHECK_EQ(v->regs.pc, 0x4002000C);

    vcpu_set_mode(v, PSR_MODE_USR);
    vcpu_inject_undef(v, 0x40003000, false);
    CHECK_EQ(vmode(v), PSR_MODE_UND);
    CHECK_EQ(v->regs.lr, 0x40003004);                   /* ARM: insn + 4 */
    CHECK_EQ(v->regs.pc, 0x40020004);
    CHECK_EQ(v->stats[TS_UNDEF_INJECTED], 1);
    vcpu_set_mode(v, PSR_MODE_USR);
    vcpu_inject_undef(v, 0x40003000, true);
    CHECK_EQ(v->regs.lr, 0x40003002);                   /* Thumb: insn + 2 */
    CHECK_EQ(v->stats[TS_UNDEF_INJECTED], 2);
}

/*
 * Every exception kind from every virtual privileged mode (LEAN_TRAP takes
 * the ones between non-FIQ modes without vcpu_set_mode()), against the
 * architecture (B1.8.3 ff.): the old mode's SP/LR banked unless the new
 * mode shares its bank, the new mode's SP in, LR = link, SPSR = old CPSR,
 * masks added, T/E from TE/EE, IT and J cleared, flags and GE kept, r8-r12
 * switched on entering FIQ.
 */
static void test_inject_every_privileged_mode(void **state)
{
    static const uint32_t modes[] = { PSR_MODE_FIQ, PSR_MODE_IRQ, PSR_MODE_SVC, PSR_MODE_ABT,
                                      PSR_MODE_UND, PSR_MODE_SYS };
    struct vcpu *v = *state;

    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        for (size_t k = 0; k < NKINDS; k++) {
            for (uint32_t te_ee = 0; te_ee < 2; te_ee++) {
                enum vbank ob = vcpu_bank_of(modes[m]), nb = vcpu_bank_of(kinds[k].mode);
                uint32_t old, aif = (uint32_t)(k & 1) ? PSR_F : 0;

                vcpu_set_mode(v, modes[m]);
                for (unsigned b = 0; b < NBANKS; b++) {
                    v->bank_sp[b] = 0x51000000u + b;
                    v->bank_lr[b] = 0x52000000u + b;
                    v->spsr[b] = 0x53000000u + b;
                }
                v->vcpsr = modes[m] | aif;
                v->regs.cpsr = PSR_MODE_USR | PSR_Z | PSR_V | PSR_GE | PSR_IT | PSR_E;
                v->regs.sp = 0xA1A1;
                v->regs.lr = 0xA2A2;
                v->regs.r[8] = 0x88;
                v->fiq_r8_12[0] = 0xF8;
                v->usr_r8_12[0] = 0x08;
                v->cp15.sctlr = te_ee ? SCTLR_TE | SCTLR_EE : 0;
                v->cp15.vbar = 0x40030000;
                old = vcpu_cpsr(v);
                vcpu_inject(v, kinds[k].e, 0x40005554);

                CHECK_EQ_CTX(vmode(v), kinds[k].mode, "%s from 0x%x: mode", kinds[k].name, modes[m]);
                CHECK_EQ_CTX(v->regs.lr, 0x40005554, "%s from 0x%x: LR", kinds[k].name, modes[m]);
                CHECK_EQ_CTX(v->spsr[nb], old, "%s from 0x%x: SPSR", kinds[k].name, modes[m]);
                CHECK_EQ_CTX(v->vcpsr & PSR_AIF, aif | kinds[k].mask, "%s from 0x%x: masks",
                             kinds[k].name, modes[m]);
                CHECK_EQ_CTX(v->regs.pc, 0x40030000 + kinds[k].offset, "%s from 0x%x: vector",
                             kinds[k].name, modes[m]);
                CHECK_EQ_CTX(v->regs.cpsr, PSR_MODE_USR | PSR_Z | PSR_V | PSR_GE |
                             (te_ee ? PSR_T | PSR_E : 0), "%s from 0x%x: real CPSR",
                             kinds[k].name, modes[m]);
                if (ob != nb) {
                    CHECK_EQ_CTX(v->bank_sp[ob], 0xA1A1, "%s from 0x%x: old SP banked",
                                 kinds[k].name, modes[m]);
                    CHECK_EQ_CTX(v->bank_lr[ob], 0xA2A2, "%s from 0x%x: old LR banked",
                                 kinds[k].name, modes[m]);
                    CHECK_EQ_CTX(v->regs.sp, 0x51000000u + nb, "%s from 0x%x: new SP",
                                 kinds[k].name, modes[m]);
                } else {
                    CHECK_EQ_CTX(v->regs.sp, 0xA1A1, "%s from 0x%x: SP kept", kinds[k].name, modes[m]);
                }
                /* r8: FIQ's bank in FIQ mode, the User one otherwise */
                bool was_fiq = ob == BANK_FIQ, is_fiq = nb == BANK_FIQ;
                CHECK_EQ_CTX(v->regs.r[8], was_fiq == is_fiq ? 0x88u : is_fiq ? 0xF8u : 0x08u,
                             "%s from 0x%x: r8", kinds[k].name, modes[m]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TV(test_inject_each_kind), TV(test_inject_high_vectors_te_ee),
        TV(test_vector_base_low_bits), TV(test_inject_keeps_other_masks),
        TV(test_inject_from_privileged_modes), TV(test_inject_dabt_pabt_undef_helpers),
        TV(test_inject_every_privileged_mode),
    };
    return UNIT_RUN("exception", tests);
}
