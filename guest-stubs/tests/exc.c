/*
 * exc - entry to and return from every exception the guest can cause itself.
 * ARM ARM B1.8 (exception handling): B1.8.3 Table B1-3 offsets (preferred
 * return address + 4 for UNDEF, SVC and prefetch abort, + 8 for data abort),
 * pseudocode TakeUndefInstrException()/TakeSVCException() (CPSR.I = 1, A and
 * F unchanged) and TakePrefetchAbortException()/TakeDataAbortException()
 * (CPSR.I = 1, CPSR.A = 1 here: no Security Extensions or Secure state, F
 * unchanged); SPSR = CPSR before the exception; T = SCTLR.TE = 0, E = SCTLR.EE = 0.
 * Fault status: B3.13.3, Table B3-23 (short descriptors): alignment fault
 * FS = 0b00001, debug event (BKPT) FS = 0b00010; DFSR.WnR = 1 for stores.
 * Returns: SUBS PC, LR, #4; MOVS PC, LR; LDM {.., pc}^; SRS + RFE.
 */
#include <stdio.h>
#include "guest.h"

void trig_und(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
void trig_svc(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
void trig_bkpt(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
void trig_ldm(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
void trig_ldr_a(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
void trig_str_a(uint32_t cpsr, uint32_t rec[2], uint32_t addr);
extern char trig_und_insn[], trig_svc_insn[], trig_bkpt_insn[], trig_ldm_insn[],
            trig_ldr_a_insn[], trig_str_a_insn[];
extern char xvec[];
extern volatile uint32_t xrec[6];
extern volatile uint32_t user_regs[16];
uint32_t user_svc_probe(uint32_t);
uint32_t user_regs_probe(uint32_t);
extern char user_svc_insn[], user_regs_udf[];

static volatile struct {
    unsigned n;
    uint32_t vector, spsr, lr, cpsr, fsr, far;
} hit;

static int record(struct exc_frame *f)
{
    hit.n++;
    hit.vector = f->vector;
    hit.spsr = f->spsr;
    hit.lr = f->pc;
    hit.cpsr = read_cpsr();
    hit.fsr = hit.far = 0;
    switch (f->vector) {
    case VEC_UND:               /* skip the instruction: LR = insn + 4 */
    case VEC_SVC:               /* LR = next instruction */
        break;
    case VEC_PABT:              /* BKPT: LR = insn + 4, skip it */
        hit.fsr = CP15_READ(0, c5, c0, 1);
        break;
    case VEC_DABT:              /* LR = insn + 8, skip it */
        hit.fsr = CP15_READ(0, c5, c0, 0);
        hit.far = CP15_READ(0, c6, c0, 0);
        f->pc -= 4;
        break;
    default:
        return 0;
    }
    return 1;
}

/* aligned buffer; +1 / +2 give unaligned addresses inside guest RAM */
static uint32_t buf[4] __attribute__((aligned(8))) = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };

struct kind {
    const char *name;
    void (*trig)(uint32_t, uint32_t *, uint32_t);
    const char *insn;
    uint32_t vector, mode, lr_off;
    int sets_a;             /* CPSR.A forced to 1 on entry */
    uint32_t fsr_mask, fsr;  /* 0 mask: no fault status */
    uint32_t addr_off;      /* fault address = buf + addr_off */
};

static const struct kind kinds[] = {
    { "und",   trig_und,   trig_und_insn,   VEC_UND,  MODE_UND, 4, 0, 0, 0, 0 },
    { "svc",   trig_svc,   trig_svc_insn,   VEC_SVC,  MODE_SVC, 4, 0, 0, 0, 0 },
    { "bkpt",  trig_bkpt,  trig_bkpt_insn,  VEC_PABT, MODE_ABT, 4, 1, 0x40F, 0x002, 0 },
    { "ldm",   trig_ldm,   trig_ldm_insn,   VEC_DABT, MODE_ABT, 8, 1, 0xC0F, 0x001, 2 },
    { "ldr-a", trig_ldr_a, trig_ldr_a_insn, VEC_DABT, MODE_ABT, 8, 1, 0xC0F, 0x001, 1 },
    { "str-a", trig_str_a, trig_str_a_insn, VEC_DABT, MODE_ABT, 8, 1, 0xC0F, 0x801, 3 },
};

/* two pre-exception states in SVC: everything unmasked / everything masked,
 * with distinct flags and GE bits */
static const uint32_t pre_states[2] = { 0xA0050013, 0x580A01D3 };

static void test_entry(void)
{
    char name[48];
    uint32_t rec[2];
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const struct kind *K = &kinds[k];
        exc_hook_t old = exc_set_hook(K->vector, record);
        for (unsigned p = 0; p < 2; p++) {
            uint32_t pre = pre_states[p];
            uint32_t addr = (uint32_t)buf + K->addr_off;
            unsigned n0 = hit.n;
            K->trig(pre, rec, addr);
#define N(s) (snprintf(name, sizeof name, "%s-%s-%s", K->name, p ? "masked" : "unmasked", s), name)
            if (!check(N("taken"), hit.n == n0 + 1, "%u exception(s)", hit.n - n0))
                continue;
            check_eq(N("pre"), "CPSR", rec[0], pre);
            check_eq(N("vector"), "offset", hit.vector, K->vector);
            uint32_t exp = K->mode | (pre & PSR_F) | PSR_I | (K->sets_a ? PSR_A : (pre & PSR_A));
            check_eq(N("entry"), "CPSR[9:0]", hit.cpsr & PSR_CTL_MASK, exp);
            check_eq(N("spsr"), "SPSR", hit.spsr, pre);
            check_eq(N("lr"), "LR-insn", hit.lr - (uint32_t)K->insn, K->lr_off);
            if (K->fsr_mask)
                check_eq(N("fsr"), K->vector == VEC_PABT ? "IFSR" : "DFSR",
                         hit.fsr & K->fsr_mask, K->fsr);
            if (K->vector == VEC_DABT)
                check_eq(N("dfar"), "DFAR-buf", hit.far - (uint32_t)buf, K->addr_off);
            check_eq(N("return"), "CPSR", rec[1], pre);
#undef N
        }
        exc_set_hook(K->vector, old);
    }
}

/* every return form, with the second vector table */
static void test_return_forms(void)
{
    static const struct {
        const char *name, *form;
        void (*trig)(uint32_t, uint32_t *, uint32_t);
        const char *insn;
        uint32_t vector, mode, lr_off, sets_a;
    } forms[] = {
        { "ret-movs",    "MOVS PC,LR",      trig_und,  trig_und_insn,  VEC_UND,  MODE_UND, 4, 0 },
        { "ret-ldm",     "LDM {..,pc}^",    trig_svc,  trig_svc_insn,  VEC_SVC,  MODE_SVC, 4, 0 },
        { "ret-srs-rfe", "SRSDB+CPS+RFEIA", trig_bkpt, trig_bkpt_insn, VEC_PABT, MODE_SVC, 4, 1 },
        { "ret-subs",    "SUBS PC,LR,#4",   trig_ldm,  trig_ldm_insn,  VEC_DABT, MODE_ABT, 8, 1 },
    };
    char name[48];
    uint32_t rec[2];
    const uint32_t pre = 0x30050013;        /* C V, GE=0101, unmasked */
    CP15_WRITE(0, c12, c0, 0, xvec);
    for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        uint32_t n0 = xrec[0];
        forms[i].trig(pre, rec, (uint32_t)buf + 2);
#define N(s) (snprintf(name, sizeof name, "%s-%s", forms[i].name, s), name)
        check(N("taken"), xrec[0] == n0 + 1, "%s handler ran %lu time(s)", forms[i].form,
              (unsigned long)(xrec[0] - n0));
        check_eq(N("vector"), "offset", xrec[1], forms[i].vector);
        uint32_t exp = forms[i].mode | PSR_I | (forms[i].sets_a ? PSR_A : 0);
        check_eq(N("handler"), "CPSR[9:0]", xrec[2] & PSR_CTL_MASK, exp);
        check_eq(N("spsr"), "SPSR", xrec[3], pre);
        check_eq(N("lr"), "LR-insn", xrec[4] - (uint32_t)forms[i].insn, forms[i].lr_off);
        check_eq(N("resumed"), "CPSR", rec[1], pre);
#undef N
    }
    CP15_WRITE(0, c12, c0, 0, __vectors);
    check("vbar-restored", CP15_READ(0, c12, c0, 0) == (uint32_t)__vectors, "VBAR %s",
          CP15_READ(0, c12, c0, 0) == (uint32_t)__vectors ? "= runtime table" : "wrong");
}

static int user_hook(struct exc_frame *f)
{
    hit.n++;
    hit.vector = f->vector;
    hit.spsr = f->spsr;
    hit.lr = f->pc;
    hit.cpsr = read_cpsr();
    return 1;       /* resume at LR: the next instruction */
}

static void test_from_user(void)
{
    exc_hook_t old_svc = exc_set_hook(VEC_SVC, user_hook);
    exc_hook_t old_und = exc_set_hook(VEC_UND, user_hook);
    const uint32_t uspsr = MODE_USR | PSR_F;         /* A = I = 0, F = 1 */

    unsigned n0 = hit.n;
    uint32_t r = run_user(user_svc_probe, 0, uspsr);
    check("usr-svc-taken", hit.n == n0 + 1, "%u exception(s)", hit.n - n0);
    check_eq("usr-svc-vector", "offset", hit.vector, VEC_SVC);
    check_eq("usr-svc-entry", "CPSR[9:0]", hit.cpsr & PSR_CTL_MASK, MODE_SVC | PSR_I | PSR_F);
    check_eq("usr-svc-spsr", "SPSR", hit.spsr, 0x90000000 | uspsr);
    check_eq("usr-svc-lr", "LR-insn", hit.lr - (uint32_t)user_svc_insn, 4);
    check_eq("usr-svc-resumed", "CPSR&0xf800001f", r & 0xF800001F, 0x90000010);

    n0 = hit.n;
    run_user(user_regs_probe, 0, uspsr);
    check("usr-regs-taken", hit.n == n0 + 2, "%u exception(s)", hit.n - n0);
    unsigned bad = 0;
    static const uint32_t pat[14] = {
        0x00A0A0A0, 0x01A1A1A1, 0x02A2A2A2, 0x03A3A3A3, 0x04A4A4A4, 0x05A5A5A5, 0x06A6A6A6,
        0x07A7A7A7, 0x08A8A8A8, 0x09A9A9A9, 0x0AAAAAAA, 0x0BABABAB, 0x0CACACAC, 0x0EAEAEAE };
    for (int i = 0; i < 14; i++)
        if (user_regs[i] != pat[i]) {
            bad++;
            gprintf("     %s%d: got 0x%08lx expected 0x%08lx\n", i == 13 ? "lr" : "r",
                    i == 13 ? 14 : i, (unsigned long)user_regs[i], (unsigned long)pat[i]);
        }
    check("usr-regs-intact", bad == 0, "r0-r12, lr after UNDEF + SVC from USR: %u differ", bad);
    check("usr-sp-intact", user_regs[14] == user_regs[15], "SP %s",
          user_regs[14] == user_regs[15] ? "unchanged" : "changed");
    exc_set_hook(VEC_SVC, old_svc);
    exc_set_hook(VEC_UND, old_und);
}

int main(void)
{
    gprintf("exc: exception entry and return\n");
    test_entry();
    test_return_forms();
    test_from_user();
    check_eq("no-unexpected", "count", g_unexpected_exceptions, 0);
    return test_result("exc");
}
