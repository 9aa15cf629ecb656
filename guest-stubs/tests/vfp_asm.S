/* vfp_asm.S - VFP helpers (privileged: VMSR/VMRS FPEXC trap in User mode and
 * stay real instructions in both builds; the monitor emulates them) */
        .syntax unified
        .arm
        .fpu    vfpv3
        .text

        .global vfp_enable
vfp_enable:
        mrc     p15, 0, r0, c1, c0, 2
        orr     r0, r0, #0x00F00000     @ cp10, cp11: full access
        mcr     p15, 0, r0, c1, c0, 2
        isb
        mov     r0, #0x40000000         @ FPEXC.EN
        vmsr    fpexc, r0
        isb
        vmrs    r0, fpexc
        bx      lr

        .global vfp_load                @ r0 = d[16], r1 = FPSCR
vfp_load:
        vldmia  r0, {d0-d15}
        vmsr    fpscr, r1
        bx      lr

        .global vfp_store               @ r0 = d[16]; returns FPSCR
vfp_store:
        vstmia  r0, {d0-d15}
        vmrs    r0, fpscr
        bx      lr

        .global vfp_fpexc_read
vfp_fpexc_read:
        vmrs    r0, fpexc
        bx      lr

        .global vfp_fpexc_write         @ r0 = FPEXC
vfp_fpexc_write:
        vmsr    fpexc, r0
        isb
        bx      lr

        .global vfp_touch               @ one VFP instruction, no effect
vfp_touch:
        vmov.f64 d0, d0
        bx      lr
