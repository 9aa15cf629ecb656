/*
 * usrundef - from guest User mode, an undefined instruction and privileged
 * CP15 accesses (ARM ARM B4.1: PL1-only registers are UNDEFINED at PL0) reach
 * the guest's own Undefined Instruction handler with LR = instruction + 4 and
 * SPSR = the User-mode CPSR; the guest then continues after the instruction,
 * which had no effect.
 */
#include <stdio.h>
#include "guest.h"

/* usrundef_asm.S: each probe sets Z and C, puts 0xDEAD0000 + n in r0, runs
 * the instruction at <probe>_insn and returns r0 */
#define PROBE(p) uint32_t p(uint32_t); extern char p##_insn[];
PROBE(u_udf) PROBE(u_mrc_sctlr) PROBE(u_mcr_tpidruro) PROBE(u_mrc_midr)
PROBE(u_mcr_iciallu) PROBE(u_mrc_dacr)

static volatile struct { unsigned n; uint32_t vector, cpsr, spsr, lr; } hit;

static int und_hook(struct exc_frame *f)
{
    hit.n++;
    hit.vector = f->vector;
    hit.cpsr = read_cpsr();
    hit.spsr = f->spsr;
    hit.lr = f->pc;
    return 1;       /* resume after the instruction */
}

int main(void)
{
    static const struct {
        const char *name;
        uint32_t (*fn)(uint32_t);
        const char *insn;
        uint32_t marker;
    } probes[] = {
        { "udf",          u_udf,          u_udf_insn,          0xDEAD0001 },
        { "mrc-sctlr",    u_mrc_sctlr,    u_mrc_sctlr_insn,    0xDEAD0002 },
        { "mcr-tpidruro", u_mcr_tpidruro, u_mcr_tpidruro_insn, 0xDEAD0003 },
        { "mrc-midr",     u_mrc_midr,     u_mrc_midr_insn,     0xDEAD0004 },
        { "mcr-iciallu",  u_mcr_iciallu,  u_mcr_iciallu_insn,  0xDEAD0005 },
        { "mrc-dacr",     u_mrc_dacr,     u_mrc_dacr_insn,     0xDEAD0006 },
    };
    const uint32_t uspsr = MODE_USR | PSR_A;       /* I = F = 0 */
    char name[48];

    gprintf("usrundef: UNDEF from guest User mode\n");
    CP15_WRITE(0, c13, c0, 3, 0x0DDC0DE3);
    exc_hook_t old = exc_set_hook(VEC_UND, und_hook);
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        unsigned n0 = hit.n;
        uint32_t r = run_user(probes[i].fn, 0, uspsr);
#define N(s) (snprintf(name, sizeof name, "%s-%s", probes[i].name, s), name)
        if (!check(N("undef"), hit.n == n0 + 1, "%u exception(s)", hit.n - n0))
            continue;
        check_eq(N("vector"), "offset", hit.vector, VEC_UND);
        check_eq(N("entry"), "CPSR[9:0]", hit.cpsr & PSR_CTL_MASK, MODE_UND | PSR_A | PSR_I);
        check_eq(N("spsr"), "SPSR", hit.spsr, PSR_Z | PSR_C | uspsr);
        check_eq(N("lr"), "LR-insn", hit.lr - (uint32_t)probes[i].insn, 4);
        check_eq(N("continued"), "r0", r, probes[i].marker);
#undef N
    }
    exc_set_hook(VEC_UND, old);
    check_eq("tpidruro-unchanged", "TPIDRURO", CP15_READ(0, c13, c0, 3), 0x0DDC0DE3);
    return test_result("usrundef");
}
