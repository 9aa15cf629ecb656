/*
 * A guest that ends with exit status 3 through the SMCCC vendor hypervisor
 * call (PV_SMCCC_VENDOR_EXIT through HC_PSCI: what a guest kernel's
 * `hvc #0`/`smc #0` becomes with pvpatch --psci; docs/pv-abi.md).  The
 * monitor, and so QEMU, must exit with status 3.  A status out of range is
 * refused first (INVALID_PARAMETERS) and the guest goes on.
 */
#include <hv/pv-abi.h>

#define HVC(nr) .inst PV_ENCODE(PV_COND_AL, PV_HVC(nr))

    .syntax unified
    .arm
    .global _start
_start:
    ldr     r0, =PV_SMCCC_VENDOR_EXIT
    ldr     r1, =256
    HVC(HC_PSCI)
    cmn     r0, #2                      @ PV_PSCI_INVALID_PARAMETERS
    bne     bad
    ldr     r0, =PV_SMCCC_VENDOR_EXIT
    mov     r1, #3
    HVC(HC_PSCI)
bad:
    mov     r0, #'?'
    HVC(HC_PUTC)
    mov     r0, #'\n'
    HVC(HC_PUTC)
    mov     r0, #1
    HVC(HC_EXIT)
    .ltorg
