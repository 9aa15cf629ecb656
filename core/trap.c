/*
 * The C entry point of each exception kind (called from arch/arm/vectors.S).
 * A trap from a guest (User mode) is handled for the current vCPU and ends
 * in sched_next(), which returns the frame to resume; a trap taken while the
 * monitor itself runs is either an interrupt during idle or a monitor bug.
 */
#include <stddef.h>
#include <arch/arch.h>
#include <hv/board.h>
#include "emulate.h"
#include "decode.h"
#include "exception.h"
#include "guest.h"
#include "sched.h"
#include "hv.h"
#include "../mm/mm.h"
#include "../mm/shadow.h"
#include "mmio.h"
#include "virq.h"
#include "mcon.h"
#include "srfa.h"

static bool from_guest(const struct arm_regs *f)
{
    return (f->cpsr & PSR_MODE_MASK) == PSR_MODE_USR;
}

static void monitor_fault(const char *what, struct arm_regs *f) __attribute__((noreturn));
static void monitor_fault(const char *what, struct arm_regs *f)
{
    hv_printf("\nmonitor: PANIC: %s in the monitor at pc=0x%08x (lr=0x%08x)\n", what,
              (unsigned)f->pc, (unsigned)f->lr);
    hv_printf("DFSR=0x%08x DFAR=0x%08x IFSR=0x%08x IFAR=0x%08x\n",
              (unsigned)arch_read_dfsr(), (unsigned)arch_read_dfar(),
              (unsigned)arch_read_ifsr(), (unsigned)arch_read_ifar());
    hv_dump_regs(f);
    arch_exit(125);
}

/* `after`: the resume address is the instruction after the trapping one.
 * Inline: it is on every trap's path. */
static inline __attribute__((always_inline))
struct vcpu *guest_entry(struct arm_regs *f, const char *what, bool after)
{
    if (!from_guest(f) || !current || f != &current->regs)
        monitor_fault(what, f);
    current->trap_addr = after ? f->pc - ((f->cpsr & PSR_T) ? 2 : 4) : f->pc;
    srfa_sync_in(current);
    return current;
}

/*
 * The vCPU of a frame the lean vector paths built.  They found it where
 * every guest trap's frame goes, just below the SVC stack pointer that the
 * last return to the running vCPU left at the end of its frame (vectors.S),
 * as the FIT and system-call paths do; the frame is the vCPU's first member.
 */
static inline struct vcpu *lean_vcpu(struct arm_regs *f)
{
    _Static_assert(offsetof(struct vcpu, regs) == 0, "the frame starts the vCPU");
    return (struct vcpu *)f;
}

struct arm_regs *hv_trap_undef(struct arm_regs *f)
{
    emulate_undef(guest_entry(f, "undefined instruction", true));
    return sched_next();
}

/* hv_trap_undef_arm() past the CP15 reads, apart so that the read path
 * saves no more registers than it needs (a tail call). */
static struct arm_regs *__attribute__((noinline)) undef_arm_rest(struct vcpu *v, uint32_t insn)
{
    if (cp15_write_fast(v, insn))
        return sched_resume(v);
    emulate_undef(v);
    return sched_next();
}

/* LEAN_TRAP: an UNDEF from a guest in ARM state; `insn` is the instruction
 * (vectors.S read it back).  CP15 reads without the generic decode. */
struct arm_regs *hv_trap_undef_arm(struct arm_regs *f, uint32_t insn)
{
    struct vcpu *v = lean_vcpu(f);

    v->trap_addr = f->pc - 4;
    srfa_sync_in(v);
    if (cp15_read_fast(v, insn))
        return sched_resume_pure(v);
    return undef_arm_rest(v, insn);
}

struct arm_regs *hv_trap_svc(struct arm_regs *f)
{
    emulate_svc(guest_entry(f, "supervisor call", true));
    return sched_next();
}

/* CPSIE/CPSID of A, I, F alone (B9.3.2; args as pv-abi.h PV_SYS_CPS) in a
 * virtual privileged mode, or false: a mode change, a reserved bit or imod
 * is left to emulate_svc() (which stops the guest or injects the UNDEF). */
static bool lean_cps(struct vcpu *v, uint32_t args)
{
    unsigned imod = (args >> 9) & 3;
    uint32_t bits = (args & 0xE0) << 1;         /* A[7] I[6] F[5] -> PSR_A, PSR_I, PSR_F */

    if (imod < PV_CPS_IMOD_ENABLE || (args & ~0x6E0u))     /* only imod[10:9], A, I, F */
        return false;
    v->stats[TS_PV_CPS]++;
    if (imod == PV_CPS_IMOD_ENABLE)
        v->vcpsr &= ~bits;
    else
        v->vcpsr |= bits;
    return true;
}

/* RET_USER: emulate_svc() for the one operation, then straight back in (the
 * mode changed: sched_enter() publishes it and delivers what unmasking let
 * through), unless the guest was stopped. */
static struct arm_regs *lean_ret_user(struct vcpu *v, uint32_t insn, uint32_t a)
{
    struct pv_insn i;
    int r;

    v->trap_addr = a;
    if (!pv_decode(insn, &i) || i.cls != PV_C_RET_USER) {
        emulate_svc(v);                         /* a reserved encoding: stopped there */
        return sched_next();
    }
    r = emulate_ret_user(v, &i, a);
    if (r == EMU_UNDEF)
        vcpu_inject_undef(v, a, false);
    return r == EMU_STOPPED ? sched_next() : sched_enter(v);
}

/*
 * LEAN_TRAP: a PV instruction from a virtual privileged mode in ARM state
 * that the SVC vector did not handle itself; it left the SVC in trap_insn.
 * Hypercalls and CPS without a mode change are done here and resume through
 * sched_resume_pure() or sched_resume() (which take the full way back when,
 * say, CPSIE made an interrupt deliverable); everything else takes the
 * generic path.
 */
struct arm_regs *hv_trap_pv(struct arm_regs *f)
{
    struct vcpu *v = lean_vcpu(f);

    /* guest_entry() minus what the vector tested (User mode, ARM state) and
     * trap_addr, which only messages about a stopped guest read: set below
     * for the generic path, the only one here that may stop it. */
    srfa_sync_in(v);
    uint32_t insn = v->trap_insn, args = insn & 0xFFFF;

    switch ((insn >> 16) & 0xFF) {              /* imm24[23:16]: 0x3 system op, op */
    case 0x30 | PV_SYS_HVC:
        if (args & 0xFF00)
            break;                              /* reserved bits: stopped there */
        v->stats[TS_HYPERCALL]++;
        _Static_assert(HC_COUNT <= 32, "HYPERCALLS_PURE is a 32-bit mask");
        if (args < HC_COUNT && ((HYPERCALLS_PURE >> args) & 1) && hypercall_table[args]) {
            /* hypercall() for one that leaves the guest running */
            v->regs.r[0] = (uint32_t)hypercall_table[args](v);
            return sched_resume_pure(v);
        }
        hypercall(v, args);
        return sched_resume(v);
    case 0x30 | PV_SYS_CPS:
        if (lean_cps(v, args))
            return sched_resume_pure(v);
        break;
    case 0x30 | PV_SYS_RET_USER:
        if (RET_USER)
            return lean_ret_user(v, insn, f->pc - 4);
        break;
    case 0x30 | PV_SYS_RET_MODE:
        /* the MSR SPSR half, then the lean MOVS PC, LR between privileged
         * modes (emulate_ret_mode() does both for everything else) */
        if (RET_USER && !(args & ~0x1Fu) && vmode_has_spsr(v) &&
            vcpu_mode_valid(emulate_ret_mode_spsr(v, args) & PSR_MODE_MASK)) {
            uint32_t *spsr = vcpu_spsr(v);
            uint32_t old = *spsr;
            *spsr = emulate_ret_mode_spsr(v, args);
            if (vcpu_return_privileged(v, PV_ENCODE(PV_COND_AL, PV_DP_PC(13, 0, 0, 14))))
                return sched_enter(v);
            *spsr = old;                        /* the generic path below does it all */
        }
        break;
    default:
        /* the mode changed: the SRFA's SPSR words, perhaps an interrupt */
        if (vcpu_return_privileged(v, insn))
            return sched_enter(v);
        break;
    }
    v->trap_addr = f->pc - 4;
    emulate_svc(v);
    return sched_next();
}

/*
 * The fetch that faulted is at IFAR, which is not always the PC (the
 * instruction's address, the preferred return address): a 32-bit Thumb
 * instruction at the last halfword of a page whose second halfword lies on
 * the next page faults with IFAR = the address on that page (ARM ARM B4.1,
 * IFAR: the virtual address of the faulting instruction fetch).  The shadow
 * must repair, and the guest must be told, that address: repairing the PC's
 * page again made no progress and stopped the guest.
 */
struct arm_regs *hv_trap_pabt(struct arm_regs *f)
{
    struct vcpu *v = guest_entry(f, "prefetch abort", false);
    uint32_t ifsr = arch_read_ifsr(), status = (ifsr & 0xF) | ((ifsr >> 6) & 0x10), fsr;
    uint32_t ifar = arch_read_ifar();

    if (status == FSR_DEBUG) {
        /* BKPT: a debug event for the guest's own handler (IFAR UNKNOWN). */
        v->stats[TS_PABT]++;
        vcpu_inject_pabt(v, f->pc, FSR_DEBUG, v->cp15.ifar);
        return sched_next();
    }
    switch (shadow_fault(v, ifar, ACC_EXEC, &fsr, &(uint32_t){ 0 })) {
    case FAULT_FIXED:
        /* LEAN_TRAP: a shadow fill changes neither the vCPU nor its
         * interrupts: back into it as the lean paths do */
        if (LEAN_TRAP)
            return sched_resume(v);
        return sched_next();
    case FAULT_STOPPED:
    case FAULT_TABLE_WRITE:     /* not for instruction fetches */
        return sched_next();
    case FAULT_GUEST:
        break;
    case FAULT_NO_MEMORY:
        fsr = FSR_EXT_ABORT;
        break;
    }
    v->stats[TS_PABT]++;
    if (f->pc == vcpu_vector_base(v) + 0x0C) {
        /* The prefetch-abort vector itself cannot be fetched: a CPU would
         * abort here forever.  Stop the guest instead of spinning. */
        guest_stop(v->guest, "recursive prefetch abort: its prefetch-abort vector at 0x%08x "
                   "is not in guest memory (VBAR=0x%08x, SCTLR.V=%u)", (unsigned)f->pc,
                   (unsigned)v->cp15.vbar, (unsigned)((v->cp15.sctlr >> 13) & 1));
        return sched_next();
    }
    /* A fetch the guest's tables forbid, or outside its RAM (nothing there:
     * a synchronous external abort, as on a bus with no slave). */
    vcpu_inject_pabt(v, f->pc, fsr, ifar);
    return sched_next();
}

struct arm_regs *hv_trap_dabt(struct arm_regs *f)
{
    uint32_t fix;

    if (!from_guest(f) && (fix = arch_fault_fixup(f->pc))) {
        f->pc = fix;                    /* a guarded guest access: arch/arm/uaccess.S */
        return f;
    }
    struct vcpu *v = guest_entry(f, "data abort", false);
    uint32_t dfsr = arch_read_dfsr(), dfar = arch_read_dfar();
    uint32_t status = (dfsr & 0xF) | ((dfsr >> 6) & 0x10), wnr = dfsr & FSR_WNR;

    uint32_t fsr;

    if (status == FSR_ALIGNMENT) {
        /* Checked before translation (B3.12.7, prioritization of aborts):
         * the guest's own SCTLR.A. */
        v->stats[TS_DABT]++;
        vcpu_inject_dabt(v, f->pc, FSR_ALIGNMENT | wnr, dfar);
        return sched_next();
    }
    uint32_t ipa = 0;
    const struct mmio_region *r;

    if (wnr && srfa_store_fault(v, dfar))
        return sched_next();
    if (FAST_MMIO && (r = mmio_cached(v, dfar, wnr, &ipa))) {
        mmio_emulate(v, r, dfar, ipa);      /* the device page of the last access */
        return sched_next();
    }

    switch (shadow_fault(v, dfar, wnr ? ACC_WRITE : ACC_READ, &fsr, &ipa)) {
    case FAULT_FIXED:
        if (LEAN_TRAP)
            return sched_resume(v);     /* as for an instruction fetch */
        return sched_next();
    case FAULT_STOPPED:
        return sched_next();
    case FAULT_TABLE_WRITE:
        emulate_table_write(v, dfar, ipa);
        return sched_next();
    case FAULT_GUEST:
        break;
    case FAULT_NO_MEMORY:
        r = mmio_find(v->guest, ipa);
        if (r) {
            if (FAST_MMIO)
                mmio_remember(v, dfar, wnr, ipa, r);
            mmio_emulate(v, r, dfar, ipa);
            return sched_next();
        }
        fsr = FSR_EXT_ABORT;
        break;
    }
    v->stats[TS_DABT]++;
    vcpu_inject_dabt(v, f->pc, fsr | wnr, dfar);
    return sched_next();
}

static void handle_irq(void)
{
    unsigned iar = irqc_ack(), id = IRQ_ID(iar);

    if (id == IRQ_SPURIOUS)
        return;
    if (id == board.timer_irq) {
        board_tick_ack();
        sched_tick();
    } else if (board.deadline_irq && id == board.deadline_irq) {
        virq_deadline_irq();
    } else if (id == board.uart_irq) {
        int c;
        while ((c = board_uart_getc()) >= 0)
            console_input((char)c);
    } else if (!virq_assigned_irq(id)) {
        hv_printf("monitor: unexpected interrupt %u\n", id);
    }
    irqc_eoi(iar);
}

struct arm_regs *hv_trap_irq(struct arm_regs *f)
{
    handle_irq();
    if (!from_guest(f))
        return f;                   /* idle or early boot: back to the monitor */
    srfa_sync_in(current);
    current->stats[TS_IRQ]++;
    return sched_next();
}

struct arm_regs *hv_trap_fiq(struct arm_regs *f)
{
    monitor_fault("FIQ (the monitor does not use FIQs)", f);
}

struct arm_regs *hv_trap_reserved(struct arm_regs *f)
{
    monitor_fault("reserved exception vector", f);
}
