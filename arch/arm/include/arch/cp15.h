/* CP15 accessors, private to arch/arm (ARM ARM B4.1 names). */
#ifndef ARCH_CP15_H
#define ARCH_CP15_H
#include <stdint.h>

#define CP15_READ(name, opc1, crn, crm, opc2) \
    static inline uint32_t read_##name(void) { uint32_t v; \
        __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v)); return v; }
#define CP15_WRITE(name, opc1, crn, crm, opc2) \
    static inline void write_##name(uint32_t v) { \
        __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 :: "r"(v) : "memory"); }
#define CP15_RW(name, opc1, crn, crm, opc2) CP15_READ(name, opc1, crn, crm, opc2) CP15_WRITE(name, opc1, crn, crm, opc2)

CP15_READ(midr, 0, c0, c0, 0)
CP15_READ(ctr, 0, c0, c0, 1)
CP15_READ(tcmtr, 0, c0, c0, 2)
CP15_READ(tlbtr, 0, c0, c0, 3)
CP15_READ(mpidr, 0, c0, c0, 5)
CP15_READ(revidr, 0, c0, c0, 6)
CP15_READ(id_pfr0, 0, c0, c1, 0)
CP15_READ(id_pfr1, 0, c0, c1, 1)
CP15_READ(id_dfr0, 0, c0, c1, 2)
CP15_READ(id_afr0, 0, c0, c1, 3)
CP15_READ(id_mmfr0, 0, c0, c1, 4)
CP15_READ(id_mmfr1, 0, c0, c1, 5)
CP15_READ(id_mmfr2, 0, c0, c1, 6)
CP15_READ(id_mmfr3, 0, c0, c1, 7)
CP15_READ(id_isar0, 0, c0, c2, 0)
CP15_READ(id_isar1, 0, c0, c2, 1)
CP15_READ(id_isar2, 0, c0, c2, 2)
CP15_READ(id_isar3, 0, c0, c2, 3)
CP15_READ(id_isar4, 0, c0, c2, 4)
CP15_READ(id_isar5, 0, c0, c2, 5)
CP15_READ(ccsidr, 1, c0, c0, 0)
CP15_READ(clidr, 1, c0, c0, 1)
CP15_READ(aidr, 1, c0, c0, 7)
CP15_RW(csselr, 2, c0, c0, 0)
CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(cpacr, 0, c1, c0, 2)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(dacr, 0, c3, c0, 0)
CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_WRITE(iciallu, 0, c7, c5, 0)
CP15_WRITE(bpiall, 0, c7, c5, 6)
CP15_WRITE(dccmvac, 0, c7, c10, 1)
CP15_WRITE(dccmvau, 0, c7, c11, 1)
CP15_WRITE(dccimvac, 0, c7, c14, 1)
CP15_WRITE(icimvau, 0, c7, c5, 1)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_WRITE(tlbiasid, 0, c8, c7, 2)
CP15_RW(pmcr, 0, c9, c12, 0)
CP15_WRITE(pmcntenset, 0, c9, c12, 1)
CP15_RW(pmuserenr, 0, c9, c14, 0)
CP15_RW(cntkctl, 0, c14, c1, 0)
CP15_READ(pmccntr, 0, c9, c13, 0)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_RW(contextidr, 0, c13, c0, 1)
CP15_RW(tpidrurw, 0, c13, c0, 2)
CP15_RW(tpidruro, 0, c13, c0, 3)

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }

#endif
