/*
 * Lazy VFP switching.  The hardware holds one vCPU's VFP registers at a
 * time (`owner`).  Real FPEXC.EN is set only while the owner runs and its
 * guest has VFP enabled for its current virtual privilege (virtual CPACR
 * cp10/cp11 and FPEXC.EN: ARM ARM B1.11, "Advanced SIMD and
 * floating-point support", and B4.1.40).  Any VFP instruction
 * otherwise traps as UNDEF; if the guest is entitled to VFP, its state is
 * switched in and the instruction retried; if not, the guest gets the UNDEF.
 */
#include "vfp.h"
#include "idregs.h"
#include "decode.h"
#include "emulate.h"

#define FPEXC_EX (1u << 31)

static struct vcpu *owner;

static bool guest_vfp_enabled(const struct vcpu *v)
{
    uint32_t cp10 = (v->cp15.cpacr >> 20) & 3;
    bool pl_ok = vmode_privileged(v) ? (cp10 == 1 || cp10 == 3) : cp10 == 3;

    return arch_has_vfp() && pl_ok && (v->vfp.fpexc & FPEXC_EN);
}

void vfp_update_access(struct vcpu *v)
{
    arch_vfp_enable(owner == v && guest_vfp_enabled(v));
}

void vfp_privilege_changed(struct vcpu *v)
{
    if (owner == v)
        vfp_update_access(v);
}

bool vfp_lazy_switch(struct vcpu *v)
{
    if (owner == v || !guest_vfp_enabled(v))
        return false;
    arch_vfp_enable(true);
    if (owner)
        arch_vfp_save(&owner->vfp);
    arch_vfp_restore(&v->vfp);
    owner = v;
    v->stats[TS_VFP_SWITCH]++;
    return true;
}

void vfp_guest_gone(struct vcpu *v)
{
    if (owner == v) {
        owner = NULL;
        arch_vfp_enable(false);
    }
}

/* VMRS/VMSR (A8.8.347/A8.8.349): FPSID, MVFR0/1, FPEXC are PL1-only; FPSCR
 * traps only while the guest's state is not loaded or VFP is off for it. */
int vfp_sys_emulate(struct vcpu *v, const struct vfp_sys_insn *i)
{
    uint32_t cp10 = (v->cp15.cpacr >> 20) & 3;
    bool cpacr_ok = vmode_privileged(v) ? (cp10 == 1 || cp10 == 3) : cp10 == 3;
    uint32_t val = 0;

    if (!arch_has_vfp() || !vmode_privileged(v) || !cpacr_ok || i->rt == 15)
        return EMU_UNDEF;
    v->stats[TS_VFP_SYSREG]++;
    switch (i->reg) {
    case 0: val = vid_read(ID_FPSID); break;
    case 6: val = vid_read(ID_MVFR1); break;
    case 7: val = vid_read(ID_MVFR0); break;
    case VFP_SYS_FPEXC:
        if (!i->read) {
            v->vfp.fpexc = vcpu_reg(v, i->rt, 0) & FPEXC_EN;
            vfp_update_access(v);
            return EMU_DONE;
        }
        val = v->vfp.fpexc;
        break;
    default:
        return EMU_UNDEF;       /* FPSCR with VFP disabled, FPINST*: not present */
    }
    if (!i->read)
        return EMU_UNDEF;       /* ID registers are read-only */
    vcpu_set_reg(v, i->rt, val);
    return EMU_DONE;
}
