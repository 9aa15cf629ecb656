/*
 * VFP/Advanced SIMD register file save/restore for lazy switching.
 * The monitor itself never uses VFP (-mgeneral-regs-only).
 * CPACR grants cp10/cp11 at boot; FPEXC.EN is the on/off switch.
 */
#include <arch/arch.h>

void arch_vfp_enable(bool on)
{
    uint32_t v;

    if (!arch_has_vfp())
        return;
    __asm__ volatile(".fpu vfpv3\n vmrs %0, fpexc" : "=r"(v));
    v = on ? (v | FPEXC_EN) : (v & ~FPEXC_EN);
    __asm__ volatile(".fpu vfpv3\n vmsr fpexc, %0\n isb" :: "r"(v));
}

static bool has_d32(void)
{
    uint32_t mvfr0;
    __asm__ volatile(".fpu vfpv3\n vmrs %0, mvfr0" : "=r"(mvfr0));
    return (mvfr0 & 0xF) == 2;
}

void arch_vfp_save(struct vfp_state *s)
{
    __asm__ volatile(".fpu vfpv3\n vstmia %0, {d0-d15}" :: "r"(&s->d[0]) : "memory");
    if (has_d32())
        __asm__ volatile(".fpu neon-vfpv3\n vstmia %0, {d16-d31}" :: "r"(&s->d[16]) : "memory");
    __asm__ volatile(".fpu vfpv3\n vmrs %0, fpscr" : "=r"(s->fpscr));
}

void arch_vfp_restore(const struct vfp_state *s)
{
    __asm__ volatile(".fpu vfpv3\n vldmia %0, {d0-d15}" :: "r"(&s->d[0]) : "memory");
    if (has_d32())
        __asm__ volatile(".fpu neon-vfpv3\n vldmia %0, {d16-d31}" :: "r"(&s->d[16]) : "memory");
    __asm__ volatile(".fpu vfpv3\n vmsr fpscr, %0" :: "r"(s->fpscr));
}
