/*
 * The architecture interface: the only header through which core/, mm/ and
 * drivers/ reach the CPU.  Everything that touches a coprocessor register or
 * needs assembly lives behind these functions, in arch/arm/.
 *
 * Host unit tests provide their own implementation of these functions
 * (tests/unit/fake_arch.c), which is why nothing here is inline.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <arch/psr.h>

/*
 * A trapped context.  The vector stubs (arch/arm/vectors.S) build it; the
 * layout is what STM/SRS produce, so do not reorder:
 *   r0-r12, the User-mode (banked) SP and LR (for a trap taken in the
 *   monitor, LR_svc instead), the resume address, the SPSR.
 * While a guest runs, its frame lives inside its struct vcpu and the SVC-mode
 * stack pointer points just past it, so a trap from the guest saves the guest
 * straight into its vcpu: no copying on a world switch.
 *
 * `pc` is the address execution resumes at:
 *   UND: the raw LR (undefined insn + 4 in ARM, + 2 in Thumb)
 *   SVC: the raw LR (the instruction after the SVC)
 *   PABT: the faulting instruction   DABT: the faulting instruction
 *   IRQ/FIQ: the next instruction to execute
 */
struct arm_regs {
    uint32_t r[13];
    uint32_t sp;        /* r13 of the trapped mode's User bank */
    uint32_t lr;        /* r14 of the trapped mode's User bank */
    uint32_t pc;
    uint32_t cpsr;
};

/* Exception kinds, one C entry point each (called from vectors.S).  For a
 * trap taken in the monitor itself, f->lr is the monitor's LR_svc. */
struct arm_regs *hv_trap_undef(struct arm_regs *f);
struct arm_regs *hv_trap_svc(struct arm_regs *f);
struct arm_regs *hv_trap_pabt(struct arm_regs *f);
struct arm_regs *hv_trap_dabt(struct arm_regs *f);
struct arm_regs *hv_trap_irq(struct arm_regs *f);
struct arm_regs *hv_trap_fiq(struct arm_regs *f);
struct arm_regs *hv_trap_reserved(struct arm_regs *f);

/* Resume a context (never returns).  Used to enter the first guest. */
void arch_resume(struct arm_regs *f) __attribute__((noreturn));

/* ---- boot information ------------------------------------------------- */
struct boot_info {
    uint32_t phys_base;     /* physical address of the monitor image */
    uint32_t fdt;           /* r2 at entry (u-boot bootm/bootz), 0 if none */
    uint32_t boot_cpsr;     /* CPSR at entry */
    uint32_t boot_sctlr;    /* SCTLR at entry, before the monitor changed it */
};
extern struct boot_info hv_boot_info;

/* ---- identification --------------------------------------------------- */
enum arch_id_reg {
    ID_MIDR, ID_CTR, ID_TCMTR, ID_TLBTR, ID_MPIDR, ID_REVIDR,
    ID_PFR0, ID_PFR1, ID_DFR0, ID_AFR0, ID_MMFR0, ID_MMFR1, ID_MMFR2, ID_MMFR3,
    ID_ISAR0, ID_ISAR1, ID_ISAR2, ID_ISAR3, ID_ISAR4, ID_ISAR5,
    ID_CLIDR, ID_AIDR, ID_FPSID, ID_MVFR0, ID_MVFR1, ID_NREGS
};
uint32_t arch_id_read(enum arch_id_reg r);
uint32_t arch_ccsidr_read(uint32_t csselr);
bool arch_has_vfp(void);
bool arch_has_generic_timer(void);
bool arch_has_pmu(void);
/* Make ThumbEE's TEEHBR inaccessible from User mode (no shared state). */
void arch_thumbee_lock(void);
/* Every other control that grants PL0 (guest) access to host resources in a
 * known state, whatever the boot loader left (at boot, before any guest). */
void arch_pl0_access_reset(void);

/* ---- MMU -------------------------------------------------------------- */
void arch_mmu_init(void);
/* Check (through the MMU) and print the monitor's own protection: text
 * read-only, data execute-never, stack guard pages (after the console is up). */
void arch_mmu_check(void);
/* Map a 1 MiB-aligned device region; returns its monitor VA. */
void *arch_map_device(uint32_t pa);
/* Physical base of device slot 0..3 (VA HV_DEV_VBASE + slot MiB), 0 if unused. */
uint32_t arch_device_slot(unsigned slot);
/* Temporary mapping of the 1 MiB section holding `pa` (slot 0..3). */
void *arch_physmap(unsigned slot, uint32_t pa);
/* The monitor's global L1 entries, to copy into every address space. */
const uint32_t *arch_monitor_l1(void);
/* Virtual<->physical for monitor RAM (the image and the page pool). */
uint32_t arch_virt_to_phys(const void *va);
void *arch_phys_to_virt(uint32_t pa);
/* Switch TTBR0/ASID to a guest address space (ARM ARM B3.10.4 sequence). */
void arch_switch_mm(uint32_t l1_pa, uint8_t asid);
void arch_tlb_flush_all(void);
void arch_tlb_flush_asid(uint8_t asid);
/*
 * ASIDs: CONTEXTIDR.ASID is 8 bits with short descriptors (ARM ARM B4.1.36);
 * 1..ARCH_ASID_MAX may name address spaces, 0 is the reserved one
 * arch_switch_mm() passes through.  Before an ASID names another address
 * space, arch_asid_recycle() drops what the TLB holds for it and the branch
 * predictor (for that ASID the translation and the instructions at a VA
 * may now differ: B3.10 TLB maintenance, B2.2 branch predictors); the ASID
 * must not be current.
 */
#define ARCH_ASID_MAX 255u
void arch_asid_recycle(uint8_t asid);
void arch_tlb_flush_va(uint32_t va, uint8_t asid);   /* one page, one ASID */
void arch_set_dacr(uint32_t dacr);

/* ---- caches ----------------------------------------------------------- */
void arch_dcache_clean_range(const void *va, size_t len);
void arch_dcache_clean_inval_range(const void *va, size_t len);
void arch_icache_inval_all(void);          /* ICIALLU + BPIALL */
void arch_dcache_clean_inval_all(void);    /* by set/way, all levels */
/* Guest-requested maintenance by VA (the VA is mapped in the current table). */
void arch_cache_op_va(unsigned op, uint32_t va);
enum { CACHE_DC_CLEAN, CACHE_DC_CLEAN_INVAL, CACHE_IC_INVAL, CACHE_DC_CLEAN_POU };
/* The monitor wrote instructions at physical `pa` (FIT self-patching). */
void arch_sync_code_pa(uint32_t pa, size_t len);

/* ---- per-guest CPU state that runs natively ------------------------------ */
void arch_set_tls(uint32_t tpidrurw, uint32_t tpidruro);
uint32_t arch_get_tpidrurw(void);
void arch_set_alignment_check(bool on);     /* real SCTLR.A follows the guest */

/* ---- VFP (lazy switching) ----------------------------------------------- */
#define VFP_NREGS 32
#define FPEXC_EN (1u << 30)         /* FPEXC.EN: VFP on (the FPEXC register, ARM ARM B4.1) */
struct vfp_state {
    uint64_t d[VFP_NREGS];
    uint32_t fpscr;
    uint32_t fpexc;         /* the guest's virtual FPEXC */
    uint32_t fpinst, fpinst2;
};
void arch_vfp_enable(bool on);              /* real FPEXC.EN */
void arch_vfp_save(struct vfp_state *s);
void arch_vfp_restore(const struct vfp_state *s);

/* ---- counters ----------------------------------------------------------- */
uint32_t arch_cycles(void);                 /* PMCCNTR if there is a PMU, else 0 */


/* ---- guest access --------------------------------------------------------- */
/* Load a word of the running guest at `va` through its current translation;
 * 0, or -1 if that faulted. */
int arch_guest_load_word(uint32_t va, uint32_t *out);
/* Load n >= 1 words at `va` with User-mode rights (what the running guest
 * itself may read) through its current translation; 0, or -1 on a fault. */
int arch_guest_load_words_pl0(uint32_t va, uint32_t *out, unsigned n);
/* Cache maintenance by a guest VA through its current translation (op as
 * arch_cache_op_va); 0, or -1 if the VA is not mapped there. */
int arch_guest_cache_op(unsigned op, uint32_t va);
/* For the data abort handler: if the monitor faulted at one of these
 * accesses, where it resumes (0: a real monitor fault). */
uint32_t arch_fault_fixup(uint32_t pc);

/* ---- misc --------------------------------------------------------------- */
void arch_wait_for_interrupt(void);         /* WFI with IRQs briefly unmasked */
void arch_halt(void) __attribute__((noreturn));
/* Semihosting exit (QEMU), if the board allows it; otherwise halt. */
void arch_exit(int status) __attribute__((noreturn));
uint32_t arch_read_dfsr(void);
uint32_t arch_read_dfar(void);
uint32_t arch_read_ifsr(void);
uint32_t arch_read_ifar(void);

#endif
