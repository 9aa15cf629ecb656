/* Lazy VFP context switching and the virtual FPEXC/CPACR view. */
#ifndef CORE_VFP_H
#define CORE_VFP_H
#include "vcpu.h"
struct vfp_sys_insn;
/* Recompute whether the real VFP is usable by the running vCPU. */
void vfp_update_access(struct vcpu *v);
void vfp_privilege_changed(struct vcpu *v);
/* On an UNDEF: if the guest may use VFP but its state is not loaded, load it
 * and return true (retry the instruction). */
bool vfp_lazy_switch(struct vcpu *v);
/* VMRS/VMSR of a VFP system register that trapped. */
int vfp_sys_emulate(struct vcpu *v, const struct vfp_sys_insn *i);
void vfp_guest_gone(struct vcpu *v);
#endif
