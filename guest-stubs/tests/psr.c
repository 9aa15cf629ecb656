/*
 * psr - CPSR/SPSR semantics of MRS/MSR (ARM ARM B1.3.3, B9.3.8-B9.3.12 and
 * the CPSRWriteByInstr()/SPSRWriteByInstr() pseudocode):
 *  - privileged MSR CPSR writes flags (f), GE (s), E and A (x), I, F, mode (c);
 *    the execution state bits J, T, IT are never written by MSR (read as 0);
 *  - in User mode MSR CPSR writes only N Z C V Q, GE and E;
 *  - MSR SPSR writes every bit of the selected bytes; SPSRs are per mode;
 *  - immediate and register forms, every field mask;
 *  - conditional PV encodings keep their condition.
 */
#include <stdio.h>
#include "guest.h"

/* ---- register form, every field mask ----------------------------------- */
#define MSR_CASE(fl)                                                          \
static uint32_t cpsr_case_##fl(uint32_t b, uint32_t w)                        \
{                                                                             \
    uint32_t r, save;                                                         \
    __asm__ volatile("v_mrs %1, cpsr\n\t"                                     \
                     "v_msr cpsr, fsxc, %2\n\t"                               \
                     "v_msr cpsr, " #fl ", %3\n\t"                            \
                     "v_mrs %0, cpsr\n\t"                                     \
                     "v_msr cpsr, fsxc, %1"                                   \
                     : "=&r"(r), "=&r"(save) : "r"(b), "r"(w) : "cc", "memory"); \
    return r;                                                                 \
}                                                                             \
static uint32_t spsr_case_##fl(uint32_t b, uint32_t w)                        \
{                                                                             \
    uint32_t r;                                                               \
    __asm__ volatile("v_msr spsr, fsxc, %1\n\t"                               \
                     "v_msr spsr, " #fl ", %2\n\t"                            \
                     "v_mrs %0, spsr"                                         \
                     : "=&r"(r) : "r"(b), "r"(w) : "memory");                 \
    return r;                                                                 \
}
MSR_CASE(c) MSR_CASE(x) MSR_CASE(xc) MSR_CASE(s) MSR_CASE(sc) MSR_CASE(sx)
MSR_CASE(sxc) MSR_CASE(f) MSR_CASE(fc) MSR_CASE(fx) MSR_CASE(fxc) MSR_CASE(fs)
MSR_CASE(fsc) MSR_CASE(fsx) MSR_CASE(fsxc)

static const struct {
    const char *name;
    uint32_t mask;      /* f s x c -> byte 3 2 1 0 */
    uint32_t (*cpsr)(uint32_t, uint32_t), (*spsr)(uint32_t, uint32_t);
} cases[] = {
#define C(fl, m) { #fl, m, cpsr_case_##fl, spsr_case_##fl }
    C(c, 1), C(x, 2), C(xc, 3), C(s, 4), C(sc, 5), C(sx, 6), C(sxc, 7), C(f, 8),
    C(fc, 9), C(fx, 10), C(fxc, 11), C(fs, 12), C(fsc, 13), C(fsx, 14), C(fsxc, 15),
#undef C
};

static uint32_t bytes_of(uint32_t mask)
{
    uint32_t m = 0;
    for (int i = 0; i < 4; i++)
        if (mask & (1u << i))
            m |= 0xFFu << (8 * i);
    return m;
}

static void test_msr_reg_masks(void)
{
    char name[40];
    /* both values keep the mode (SVC); they differ in every writable field:
     * flags, GE, A, I, F */
    const uint32_t b = 0xA00A01D3, w = 0x50050013;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t m = bytes_of(cases[i].mask);
        snprintf(name, sizeof name, "msr-cpsr_%s-reg", cases[i].name);
        check_eq(name, "CPSR", cases[i].cpsr(b, w), (b & ~m) | (w & m));
    }
    /* SPSR: every bit of a selected byte is written (SPSRWriteByInstr) */
    const uint32_t sb = 0x000001D3, sw = 0xF80F0130;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t m = bytes_of(cases[i].mask);
        snprintf(name, sizeof name, "msr-spsr_%s-reg", cases[i].name);
        check_eq(name, "SPSR", cases[i].spsr(sb, sw), (sb & ~m) | (sw & m));
    }
}

/* ---- execution state bits ---------------------------------------------- */
static void test_exec_bits(void)
{
    uint32_t r, save;
    uint32_t cpsr = read_cpsr();
    check_eq("mrs-exec-bits", "CPSR&(J|T|IT)", cpsr & PSR_EXEC_MASK, 0);
    check_eq("mrs-mode", "CPSR.M", cpsr & MODE_MASK, MODE_SVC);

    /* MSR CPSR_fsxc with J, T and IT set: they are not written (B9.3.12) */
    __asm__ volatile("v_mrs %1, cpsr\n\t"
                     "v_msr cpsr, fsxc, %2\n\t"
                     "v_mrs %0, cpsr\n\t"
                     "v_msr cpsr, fsxc, %1"
                     : "=&r"(r), "=&r"(save) : "r"(PSR_EXEC_MASK | 0xD3) : "cc", "memory");
    check_eq("msr-jt-it-ignored", "CPSR", r, 0x000000D3);

    /* E is writable: set it and read it back without touching memory */
    __asm__ volatile("v_mrs %1, cpsr\n\t"
                     "v_msri cpsr, x, 0x300\n\t"
                     "v_mrs %0, cpsr\n\t"
                     "v_msr cpsr, fsxc, %1"
                     : "=&r"(r), "=&r"(save) :: "cc", "memory");
    check_eq("msr-x-imm-e-a", "CPSR[15:8]", r & 0xFF00, PSR_E | PSR_A);
}

/* ---- immediate forms ------------------------------------------------------ */
#define IMM_CASE(fn, fl, imm)                                                 \
static uint32_t fn(void)                                                      \
{                                                                             \
    uint32_t r, save;                                                         \
    __asm__ volatile("v_mrs %1, cpsr\n\t"                                     \
                     "v_msri cpsr, " #fl ", %c2\n\t"                          \
                     "v_mrs %0, cpsr\n\t"                                     \
                     "v_msr cpsr, fsxc, %1"                                   \
                     : "=&r"(r), "=&r"(save) : "i"(imm) : "cc", "memory");    \
    return r;                                                                 \
}
IMM_CASE(imm_f_nzcv, f, 0xF0000000)
IMM_CASE(imm_f_q, f, 0x08000000)
IMM_CASE(imm_f_all, f, 0xFF000000)
IMM_CASE(imm_s_a, s, 0x000A0000)
IMM_CASE(imm_s_5, s, 0x00050000)
IMM_CASE(imm_x_0, x, 0x00000000)
IMM_CASE(imm_x_a, x, 0x00000100)
IMM_CASE(imm_c_13, c, 0x13)
IMM_CASE(imm_c_53, c, 0x53)
IMM_CASE(imm_c_93, c, 0x93)
IMM_CASE(imm_c_t, c, 0xF3)

static void test_msr_imm(void)
{
    check_eq("msr-cpsr_f-imm-nzcv", "CPSR[31:24]", imm_f_nzcv() & 0xFF000000, 0xF0000000);
    check_eq("msr-cpsr_f-imm-q", "CPSR[31:24]", imm_f_q() & 0xFF000000, 0x08000000);
    check_eq("msr-cpsr_f-imm-j-it", "CPSR[31:24]", imm_f_all() & 0xFF000000, 0xF8000000);
    check_eq("msr-cpsr_s-imm-a", "CPSR[23:16]", imm_s_a() & 0x00FF0000, 0x000A0000);
    check_eq("msr-cpsr_s-imm-5", "CPSR[23:16]", imm_s_5() & 0x00FF0000, 0x00050000);
    check_eq("msr-cpsr_x-imm-0", "CPSR[15:8]", imm_x_0() & 0xFF00, 0);
    check_eq("msr-cpsr_x-imm-a", "CPSR[15:8]", imm_x_a() & 0xFF00, PSR_A);
    check_eq("msr-cpsr_c-imm-13", "CPSR[7:0]", imm_c_13() & 0xFF, 0x13);
    check_eq("msr-cpsr_c-imm-53", "CPSR[7:0]", imm_c_53() & 0xFF, 0x53);
    check_eq("msr-cpsr_c-imm-93", "CPSR[7:0]", imm_c_93() & 0xFF, 0x93);
    check_eq("msr-cpsr_c-imm-t", "CPSR[7:0]", imm_c_t() & 0xFF, 0xD3);

    uint32_t r;
    __asm__ volatile("v_msri spsr, fsxc, 0xD3\n\t"
                     "v_msri spsr, f, 0xA0000000\n\t"
                     "v_msri spsr, c, 0x10\n\t"
                     "v_msri spsr, x, 0x100\n\t"
                     "v_mrs %0, spsr" : "=r"(r) :: "memory");
    check_eq("msr-spsr-imm", "SPSR", r, 0xA0000110);
}

/* ---- CPS without mode change --------------------------------------------- */
#define CPS_CASE(fn, insn)                                                    \
static uint32_t fn(void)                                                      \
{                                                                             \
    uint32_t r, save;                                                         \
    __asm__ volatile("v_mrs %1, cpsr\n\t"                                     \
                     insn "\n\t"                                              \
                     "v_mrs %0, cpsr\n\t"                                     \
                     "v_msr cpsr, fsxc, %1"                                   \
                     : "=&r"(r), "=&r"(save) :: "cc", "memory");              \
    return r;                                                                 \
}
CPS_CASE(cps_ie_a, "v_cpsie a")
CPS_CASE(cps_ie_i, "v_cpsie i")
CPS_CASE(cps_ie_f, "v_cpsie f")
CPS_CASE(cps_ie_aif_id_f, "v_cpsie aif\n\tv_cpsid f")
CPS_CASE(cps_ie_aif_id_ai, "v_cpsie aif\n\tv_cpsid ai")

static void test_cps(void)
{
    check_eq("cpsie-a", "CPSR[9:0]", cps_ie_a() & PSR_CTL_MASK, 0x0D3);
    check_eq("cpsie-i", "CPSR[9:0]", cps_ie_i() & PSR_CTL_MASK, 0x153);
    check_eq("cpsie-f", "CPSR[9:0]", cps_ie_f() & PSR_CTL_MASK, 0x193);
    check_eq("cpsid-f", "CPSR[9:0]", cps_ie_aif_id_f() & PSR_CTL_MASK, 0x053);
    check_eq("cpsid-ai", "CPSR[9:0]", cps_ie_aif_id_ai() & PSR_CTL_MASK, 0x193);
}

/* ---- SPSR per mode ------------------------------------------------------------ */
void spsr_bank_test(const uint32_t *vals, uint32_t *out);
static void test_spsr_banks(void)
{
    static const uint32_t vals[5] = { 0x800A0110, 0x40050191, 0x200C01D2, 0x10030057, 0x08090093 };
    static const char *const names[5] = { "svc", "irq", "abt", "und", "fiq" };
    uint32_t out[5];
    char name[32];
    spsr_bank_test(vals, out);
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "spsr-banked-%s", names[i]);
        check_eq(name, "SPSR", out[i], vals[i]);
    }
}

/* ---- User mode ------------------------------------------------------------------ */
uint32_t user_msr_probe(uint32_t v);   /* psr_asm.S, .usertext */
uint32_t user_msr_imm_probe(uint32_t v);

static void test_user(void)
{
    const uint32_t uspsr = MODE_USR | PSR_A | PSR_I | PSR_F;
    /* attempt to write everything, including mode SVC and A=I=F=0 */
    uint32_t r = run_user(user_msr_probe, 0xF80F0013, uspsr);
    /* in User mode MRS shows mode and flags; A/I/F are not compared because
     * under the monitor they are the real (not the virtual) mask bits */
    check_eq("usr-msr-flags-ge", "CPSR&0xff0f0000", r & 0xFF0F0000, 0xF80F0000);
    check_eq("usr-msr-mode", "CPSR.M", r & MODE_MASK, MODE_USR);
    check_eq("usr-msr-at-svc", "SPSR", __user_last_spsr, 0xF80F0000 | uspsr);
    r = run_user(user_msr_imm_probe, 0, uspsr);
    check_eq("usr-msr-imm-c", "CPSR.M", r & MODE_MASK, MODE_USR);
    check_eq("usr-msr-imm-at-svc", "SPSR", __user_last_spsr, 0x50000000 | uspsr);
}

/* ---- conditional PV encodings and hints ----------------------------------------- */
static void test_conditions(void)
{
    uint32_t ne_val = 0x12345678, eq_val = 0, flags, save;
    __asm__ volatile("v_mrs %3, cpsr\n\t"
                     "v_msri cpsr, f, 0x40000000\n\t"       /* Z = 1 */
                     "v_mrs %0, cpsr, ne\n\t"               /* not executed */
                     "v_mrs %1, cpsr, eq\n\t"               /* executed */
                     "v_msri cpsr, f, 0x80000000, ne\n\t"   /* not executed */
                     "v_wfi ne\n\t"                         /* not executed */
                     "v_sev\n\t"
                     "v_wfe\n\t"                            /* event pending: returns */
                     "v_yield\n\t"
                     "v_nop_hint\n\t"
                     "v_mrs %2, cpsr\n\t"
                     "v_msr cpsr, fsxc, %3"
                     : "+r"(ne_val), "+r"(eq_val), "=&r"(flags), "=&r"(save)
                     :: "cc", "memory");
    check_eq("cond-mrs-ne-skipped", "r", ne_val, 0x12345678);
    check_eq("cond-mrs-eq-done", "CPSR[31:24,9:0]", eq_val & 0xFF0003FF, 0x400001D3);
    check_eq("cond-msr-ne-skipped", "CPSR[31:24]", flags & 0xFF000000, 0x40000000);
    check("hints", 1, "SEV, WFE, YIELD, NOP and a skipped WFIne completed");
}

int main(void)
{
    gprintf("psr: CPSR/SPSR semantics\n");
    test_exec_bits();
    test_msr_imm();
    test_msr_reg_masks();
    test_cps();
    test_spsr_banks();
    test_user();
    test_conditions();
    return test_result("psr");
}
