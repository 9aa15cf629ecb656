/*
 * Structure offsets for assembly, generated from C so they are never typed
 * twice.  Compiled to assembly; tools/gen-asm-offsets.sh turns each
 * "->NAME value" marker into a #define in asm-offsets.h.
 */
#include <stddef.h>
#include <arch/arch.h>
#include "../../core/vcpu.h"
#include "../../mm/shadow.h"
#include "../../core/srfa.h"
#include "../../core/fit.h"
#include "../../core/guest.h"

#define DEFINE(sym, val) \
    __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i" (val))

/*
 * struct guest_image (core/guest.h), every field: tools/mkguests.py writes
 * the image table in this layout.  The assertion below fails when a field is
 * added there and not here.
 */
#define GUEST_IMAGE_FIELDS(X) \
    X(name, NAME) X(elf, ELF) X(elf_size, ELF_SIZE) X(dtb, DTB) X(dtb_size, DTB_SIZE) \
    X(ram_ipa, RAM_IPA) X(ram_size, RAM_SIZE) X(flags, FLAGS) X(ram_pa, RAM_PA) \
    X(disk_off, DISK_OFF) X(disk_size, DISK_SIZE) X(assign_pa, ASSIGN_PA) \
    X(assign_size, ASSIGN_SIZE) X(assign_irq, ASSIGN_IRQ) X(mac, MAC) X(ram_min, RAM_MIN) \
    X(spaces, SPACES) X(nodev, NODEV)
#define GIMG_FIELD_SIZE(f) sizeof(((struct guest_image *)0)->f)
#define GIMG_LEN_SUM(f, F) + GIMG_FIELD_SIZE(f)
#define GIMG_DEFINE(f, F) \
    DEFINE(GIMG_OFF_##F, offsetof(struct guest_image, f)); \
    DEFINE(GIMG_LEN_##F, GIMG_FIELD_SIZE(f));
_Static_assert(0 GUEST_IMAGE_FIELDS(GIMG_LEN_SUM) == sizeof(struct guest_image),
               "every field of struct guest_image is listed in GUEST_IMAGE_FIELDS");

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
    DEFINE(VCPU_SP_USR, offsetof(struct vcpu, bank_sp[BANK_USR]));
    DEFINE(VCPU_SP_SVC, offsetof(struct vcpu, bank_sp[BANK_SVC]));
    DEFINE(VCPU_LR_USR, offsetof(struct vcpu, bank_lr[BANK_USR]));
    DEFINE(VCPU_SPSR_SVC, offsetof(struct vcpu, spsr[BANK_SVC]));
    DEFINE(VCPU_FAST_SYSCALL, offsetof(struct vcpu, fast_syscall));
    DEFINE(VCPU_SVC_VECTOR, offsetof(struct vcpu, svc_vector));
    DEFINE(VCPU_SVC_ENTRY_BITS, offsetof(struct vcpu, svc_entry_bits));
    DEFINE(VCPU_CNTKCTL_KERNEL, offsetof(struct vcpu, cntkctl_kernel));
    DEFINE(VCPU_STAT_SYSCALL, offsetof(struct vcpu, stats[TS_SYSCALL]));
    DEFINE(VCPU_STAT_EXCRET, offsetof(struct vcpu, stats[TS_PV_EXCRET]));
    DEFINE(VCPU_STAT_RET_USER, offsetof(struct vcpu, stats[TS_PV_RET_USER]));
    DEFINE(VCPU_LR_SVC, offsetof(struct vcpu, bank_lr[BANK_SVC]));
    DEFINE(VCPU_GUEST, offsetof(struct vcpu, guest));
    DEFINE(VCPU_SRFA_NOPROTECT, offsetof(struct vcpu, srfa_noprotect));
    _Static_assert(sizeof(bool) == 1, "bools are read with LDRB");
    DEFINE(GUEST_VIRQ_DIRTY, offsetof(struct guest, virq_dirty));
    DEFINE(GUEST_VIRQ_SIGNALLED, offsetof(struct guest, virq_signalled));
    DEFINE(GUEST_CNTKCTL, offsetof(struct guest, cntkctl));
    DEFINE(DACR_USER, DACR_GUEST_USER);
    DEFINE(DACR_KERNEL, DACR_GUEST_KERNEL);
    DEFINE(FAST_SYSCALL_ON, FAST_SYSCALL);
    DEFINE(VCPU_SRFA, offsetof(struct vcpu, srfa));
    DEFINE(VCPU_FIT_HITS, offsetof(struct vcpu, fit_hits));
    DEFINE(VCPU_TPIDRURO, offsetof(struct vcpu, cp15.tpidruro));
    DEFINE(SRFA_ON, SRFA);
    DEFINE(FIT_ON, FIT);
    DEFINE(LEAN_TRAP_ON, LEAN_TRAP);
    DEFINE(FAST_CP15_ON, FAST_CP15);
    DEFINE(FAST_MMIO_ON, FAST_MMIO);
    DEFINE(VCPU_SCTLR, offsetof(struct vcpu, cp15.sctlr));
    DEFINE(VCPU_FIT_NOPATCH, offsetof(struct vcpu, fit_nopatch));
    DEFINE(VCPU_STAT_CP15_CACHE, offsetof(struct vcpu, stats[TS_CP15_CACHE]));
    DEFINE(RET_USER_ON, RET_USER);
    DEFINE(VCPU_TRAP_INSN, offsetof(struct vcpu, trap_insn));
    DEFINE(VCPU_CPACR, offsetof(struct vcpu, cp15.cpacr));
    DEFINE(VCPU_FPEXC, offsetof(struct vcpu, vfp.fpexc));
    DEFINE(FPEXC_EN_BIT, FPEXC_EN);
    GUEST_IMAGE_FIELDS(GIMG_DEFINE)
    DEFINE(GIMG_SIZE, sizeof(struct guest_image));
}
