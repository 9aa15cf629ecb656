/*
 * modes - every mode switch (CPS, CPSID/CPSIE with mode, MSR CPSR_c, exception
 * return to USR), banked SP/LR per mode, r8-r12 banked only in FIQ, SYS and
 * USR sharing registers (also through LDM/STM ^), values surviving round trips.
 * ARM ARM B1.3.2 (processor modes), B1.3.1/Table B1-2 (banked registers).
 */
#include <stdio.h>
#include "guest.h"

#define PROBES(m) uint32_t probe_cps_##m(void), probe_msr_##m(void), \
                           probe_cpsie_##m(void), probe_cpsid_##m(void);
PROBES(0x11) PROBES(0x12) PROBES(0x13) PROBES(0x17) PROBES(0x1b) PROBES(0x1f)

void bank_test(uint32_t seed, uint32_t *out);
void fiq_bank_test(uint32_t *out);
void sys_get_splr(uint32_t out[2]);
void sys_set_splr(uint32_t sp, uint32_t lr);
void usr_get_splr_stm(uint32_t out[2]);
void usr_set_splr_ldm(const uint32_t in[2]);
void user_splr_probe(void);
uint32_t run_user_frame(const uint32_t frame[17], uint32_t keep_r0, uint32_t r0);
void user_regs_probe(void);

static const struct {
    const char *name;
    uint32_t mode;
    uint32_t (*cps)(void), (*msr)(void), (*cpsie)(void), (*cpsid)(void);
} probes[] = {
#define P(n, m) { n, m, probe_cps_##m, probe_msr_##m, probe_cpsie_##m, probe_cpsid_##m }
    P("fiq", 0x11), P("irq", 0x12), P("svc", 0x13), P("abt", 0x17), P("und", 0x1b), P("sys", 0x1f),
#undef P
};

static const uint32_t bank_modes[5] = { MODE_IRQ, MODE_ABT, MODE_UND, MODE_FIQ, MODE_SYS };
static const char *const bank_names[5] = { "irq", "abt", "und", "fiq", "sys" };

static void test_switches(void)
{
    char name[32];
    /* boot state of the runtime: SVC with A, I, F masked */
    const uint32_t aif = PSR_A | PSR_I | PSR_F;
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        snprintf(name, sizeof name, "cps-%s", probes[i].name);
        check_eq(name, "CPSR[9:0]", probes[i].cps() & PSR_CTL_MASK, probes[i].mode | aif);
        snprintf(name, sizeof name, "msr-c-%s", probes[i].name);
        check_eq(name, "CPSR[9:0]", probes[i].msr() & PSR_CTL_MASK, probes[i].mode | aif);
        snprintf(name, sizeof name, "cpsie-if-%s", probes[i].name);
        check_eq(name, "CPSR[9:0]", probes[i].cpsie() & PSR_CTL_MASK, probes[i].mode | PSR_A);
        snprintf(name, sizeof name, "cpsid-ai-%s", probes[i].name);
        check_eq(name, "CPSR[9:0]", probes[i].cpsid() & PSR_CTL_MASK, probes[i].mode | PSR_A | PSR_I);
    }
    check_eq("back-in-svc", "CPSR[9:0]", read_cpsr() & PSR_CTL_MASK, MODE_SVC | aif);
}

static void test_banked(void)
{
    uint32_t out[12];
    char name[32];
    static const uint32_t seeds[3] = { 0x5A0001, 0x3C0002, 0xC30003 };
    for (unsigned s = 0; s < 3; s++) {
        unsigned bad = 0;
        bank_test(seeds[s], out);
        for (unsigned i = 0; i < 5; i++) {
            uint32_t esp = (seeds[s] << 8) | bank_modes[i], elr = esp | 0x80;
            if (s == 0) {
                snprintf(name, sizeof name, "banked-sp-%s", bank_names[i]);
                check_eq(name, "SP", out[2 * i], esp);
                snprintf(name, sizeof name, "banked-lr-%s", bank_names[i]);
                check_eq(name, "LR", out[2 * i + 1], elr);
            } else if (out[2 * i] != esp || out[2 * i + 1] != elr) {
                bad++;
            }
        }
        if (s == 0) {
            check_eq("banked-lr-svc", "LR", out[10], (seeds[s] << 8) | 0x93);
            check("banked-sp-svc", out[11] == 1, "SVC SP %s", out[11] ? "preserved" : "changed");
        } else {
            bad += out[10] != ((seeds[s] << 8) | 0x93);
            bad += out[11] != 1;
            snprintf(name, sizeof name, "banked-round-%u", s);
            check(name, bad == 0, "%u mismatches after 3 more round trips", bad);
        }
    }
}

static void test_fiq_bank(void)
{
    uint32_t out[20];
    static const char *const where[4] = { "sys", "fiq", "irq", "svc" };
    char name[32];
    fiq_bank_test(out);
    for (unsigned w = 0; w < 4; w++) {
        uint32_t base = w == 1 ? 0xF8F8F800 : 0x08080800;
        unsigned bad = 0;
        for (unsigned r = 0; r < 5; r++)
            bad += out[5 * w + r] != base + r;
        snprintf(name, sizeof name, "r8-r12-%s", where[w]);
        check(name, bad == 0, "%s bank%s", w == 1 ? "FIQ" : "USR",
              bad ? " MISMATCH" : "");
    }
}

static uint32_t g_probe[4];

static void test_usr_sys(void)
{
    uint32_t saved[2], v[2];
    sys_get_splr(saved);

    /* SYS writes are seen by USR, USR writes are seen by SYS */
    sys_set_splr(0x11112220, 0x33334440);
    g_probe[2] = 0x55556660;
    g_probe[3] = 0x77778880;
    uint32_t ucpsr = run_user_raw(user_splr_probe, (uint32_t)g_probe, MODE_USR | PSR_A | PSR_I | PSR_F);
    check_eq("usr-entry-mode", "CPSR.M", ucpsr & MODE_MASK, MODE_USR);
    check_eq("usr-sees-sys-sp", "SP", g_probe[0], 0x11112220);
    check_eq("usr-sees-sys-lr", "LR", g_probe[1], 0x33334440);
    sys_get_splr(v);
    check_eq("sys-sees-usr-sp", "SP", v[0], 0x55556660);
    check_eq("sys-sees-usr-lr", "LR", v[1], 0x77778880);
    check_eq("back-from-usr", "CPSR[9:0]", read_cpsr() & PSR_CTL_MASK, MODE_SVC | PSR_A | PSR_I | PSR_F);

    /* STM/LDM (User registers) from SVC */
    usr_get_splr_stm(v);
    check_eq("stm-user-sp", "SP", v[0], 0x55556660);
    check_eq("stm-user-lr", "LR", v[1], 0x77778880);
    static const uint32_t in[2] = { 0x9999AAA0, 0xBBBBCCC0 };
    usr_set_splr_ldm(in);
    sys_get_splr(v);
    check_eq("ldm-user-sp", "SP", v[0], in[0]);
    check_eq("ldm-user-lr", "LR", v[1], in[1]);

    sys_set_splr(saved[0], saved[1]);
}

/* The return-to-user operation (docs/pv-abi.md, RET_USER): every User
 * register, the PC and the CPSR from the frame; with keep_r0, r0 as it was. */
static uint32_t g_regs[16];

static void test_ret_user(void)
{
    for (uint32_t keep = 0; keep < 2; keep++) {
        uint32_t frame[17], cpsr, bad = 0;
        char name[32];
        for (unsigned r = 0; r < 15; r++)
            frame[r] = 0x5E000000u | keep << 16 | r;
        frame[13] = (uint32_t)&g_regs[15];
        frame[15] = (uint32_t)user_regs_probe;
        frame[16] = MODE_USR | PSR_A | PSR_I | PSR_F | 0xA0000000u;   /* N, C */
        cpsr = run_user_frame(frame, keep, 0xCAFE0000u);
        snprintf(name, sizeof name, "ret-user-%s", keep ? "keep-r0" : "all");
        check_eq(name, "CPSR mode and N Z C V", cpsr & (MODE_MASK | 0xF0000000u),
                 MODE_USR | 0xA0000000u);
        for (unsigned r = 0; r < 15; r++)
            bad += g_regs[r] != (r == 0 && keep ? 0xCAFE0000u : frame[r]);
        snprintf(name, sizeof name, "ret-user-%s-regs", keep ? "keep-r0" : "all");
        check(name, bad == 0, "%u of r0-r14 differ from the frame (r0 %08x, sp %08x, lr %08x)",
              (unsigned)bad, (unsigned)g_regs[0], (unsigned)g_regs[13], (unsigned)g_regs[14]);
    }
    check_eq("back-from-ret-user", "CPSR[9:0]", read_cpsr() & PSR_CTL_MASK, MODE_SVC | PSR_A | PSR_I | PSR_F);
}

int main(void)
{
    gprintf("modes: mode switches and banked registers\n");
    test_switches();
    test_banked();
    test_fiq_bank();
    test_usr_sys();
    test_ret_user();
    return test_result("modes");
}
