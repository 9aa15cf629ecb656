/*
 * The identification registers a guest reads (CP15 c0, FPSID, MVFR0/1,
 * and their SRFA copies): the real CPU's values with every field that
 * describes something the virtual CPU does not provide cleared or capped
 * (docs/id-registers.md).  One function decides, so CP15 reads, VMRS, the
 * SRFA and the walker's PXN support cannot disagree.
 */
#ifndef CORE_IDREGS_H
#define CORE_IDREGS_H

#include <stdint.h>
#include <stdbool.h>
#include <arch/arch.h>

/* What the guest reads for `r` on a CPU whose real value is `real` (pure). */
uint32_t vid_value(enum arch_id_reg r, uint32_t real);
/* vid_value() of the running CPU. */
uint32_t vid_read(enum arch_id_reg r);
/* ID_MMFR0.VMSA (B4.1.89) the guest reads, and what follows from it. */
#define VMSA_V7_REMAP_AF    3u      /* VMSAv7, TEX remap and access flag */
#define VMSA_V7_PXN         4u      /* ... and the PXN attribute */
bool vid_vmsa_has_pxn(uint32_t id_mmfr0);
bool vid_has_pxn(void);

#endif
