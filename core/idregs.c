/*
 * Virtual identification registers (see idregs.h, docs/id-registers.md).
 *
 * A guest must find in the ID registers exactly the machine it gets (ARM
 * ARM B4.1.89-B4.1.100, B7.2 VFP ID registers): a feature the monitor does
 * not virtualize is never advertised, and every register an advertised
 * feature makes mandatory is emulated (core/cp15.c).  Fields are named and
 * cited per register; everything not listed passes through (instruction
 * set attributes: the guest's unprivileged instructions run natively).
 */
#include "idregs.h"

/* Replace field [lo+3:lo] by f(field). */
static uint32_t set_field(uint32_t v, unsigned lo, uint32_t f)
{
    return (v & ~(0xFu << lo)) | ((f & 0xF) << lo);
}
static uint32_t field(uint32_t v, unsigned lo)
{
    return (v >> lo) & 0xF;
}
static uint32_t cap_field(uint32_t v, unsigned lo, uint32_t max)
{
    return field(v, lo) > max ? set_field(v, lo, max) : v;
}

bool vid_vmsa_has_pxn(uint32_t id_mmfr0)
{
    return field(id_mmfr0, 0) == VMSA_V7_PXN;
}

uint32_t vid_value(enum arch_id_reg r, uint32_t v)
{
    switch (r) {
    case ID_TCMTR:
        return 0;                               /* no TCMs (B4.1.153) */
    case ID_PFR0:
        /* State3 [15:12] ThumbEE: TEECR/TEEHBR cannot be given to a
         * deprivileged kernel (see core/cp15.c). */
        return set_field(v, 12, 0);
    case ID_PFR1:
        /* Security [7:4]: no Secure state, SCR/NSACR/MVBAR (VBAR is kept:
         * core/cp15.c).  Virtualization [15:12]: no Hyp mode. */
        return set_field(set_field(v, 4, 0), 12, 0);
    case ID_DFR0: {
        /* No debug (CP14 or memory-mapped) or trace for guests: fields
         * [23:0] read 0.  PerfMon [27:24]: the PMU of core/cp15.c (cycle
         * counter, PMCR.N = 0, every PMUv1/v2 register) when the CPU has
         * PMUv1/PMUv2; otherwise none. */
        uint32_t pm = field(v, 24);
        return (pm == 1 || pm == 2) ? pm << 24 : 0;
    }
    case ID_AFR0:
        return 0;                               /* nothing IMPLEMENTATION DEFINED */
    case ID_MMFR0:
        /* VMSA [3:0]: short descriptors only (TTBCR.EAE RAZ/WI, no 64-bit
         * TTBRs), with PXN where the CPU has it (mm/walk.c).  PMSA [7:4] 0,
         * TCM [19:16] 0, FCSE [27:24] 0 (FCSEIDR is RAZ/WI). */
        v = cap_field(v, 0, VMSA_V7_PXN);
        v = set_field(v, 4, 0);
        v = set_field(v, 16, 0);
        return set_field(v, 24, 0);
    case ID_MMFR1:
        /* [27:0] describe pre-ARMv7 cache operations, which are UNDEF:
         * only BTB [31:28] stays. */
        return v & 0xF0000000u;
    case ID_MMFR2:
        /* L1 Harvard foreground/background fetch and range operations
         * [11:0] (MCRR): none.  Harvard TLB [15:12] <= 2 (c8, c5/c6),
         * unified TLB [19:16] <= 3 (c8 c3/c7, opc2 0-3; no Hyp ops),
         * MemBarr [23:20] <= 2 (CP15 ISB/DSB/DMB), HWAccFlg [31:28] 0. */
        v &= ~0xFFFu;
        v = cap_field(v, 12, 2);
        v = cap_field(v, 16, 3);
        v = cap_field(v, 20, 2);
        return set_field(v, 28, 0);
    case ID_MMFR3:
        /* BPMaint [11:8] <= 2, MaintBcast [15:12] <= 2, PAN [19:16] 0,
         * CMemSz [27:24] 0 (32-bit physical addresses). */
        v = cap_field(v, 8, 2);
        v = cap_field(v, 12, 2);
        v = set_field(v, 16, 0);
        return set_field(v, 24, 0);
    case ID_ISAR3:
        return set_field(v, 28, 0);             /* ThumbEE_Extn: as ID_PFR0.State3 */
    case ID_ISAR4:
        return set_field(v, 12, 0);             /* SMC: no Security Extensions */
    case ID_MVFR0:
        return set_field(v, 12, 0);             /* Trap: FPEXC is EN only (core/vfp.c) */
    default:
        return v;
    }
}

uint32_t vid_read(enum arch_id_reg r)
{
    return vid_value(r, arch_id_read(r));
}

bool vid_has_pxn(void)
{
    static int8_t known = -1;           /* the CPU does not change */

    if (known < 0)
        known = vid_vmsa_has_pxn(vid_read(ID_MMFR0));
    return known;
}
