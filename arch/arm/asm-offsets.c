/*
 * Structure offsets for assembly, generated from C so they are never typed
 * twice.  Compiled to assembly; tools/gen-asm-offsets.sh turns each
 * "->NAME value" marker into a #define in asm-offsets.h.
 */
#include <stddef.h>
#include <arch/arch.h>
#include "../../core/vcpu.h"

#define DEFINE(sym, val) \
    __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i" (val))

void asm_offsets(void);
void asm_offsets(void)
{
    DEFINE(REGS_R0, offsetof(struct arm_regs, r));
    DEFINE(REGS_SP, offsetof(struct arm_regs, sp));
    DEFINE(REGS_LR, offsetof(struct arm_regs, lr));
    DEFINE(REGS_PC, offsetof(struct arm_regs, pc));
    DEFINE(REGS_CPSR, offsetof(struct arm_regs, cpsr));
    DEFINE(REGS_SIZE, sizeof(struct arm_regs));
    DEFINE(VCPU_REGS, offsetof(struct vcpu, regs));
    DEFINE(VCPU_VCPSR, offsetof(struct vcpu, vcpsr));
}
