/*
 * sensitive.S - GNU as macros for every ARMv7-A sensitive instruction that
 * does NOT trap when executed in User mode, in two flavours:
 *
 *   native (default)  the real ARM instruction
 *   PV (-DPV=1)       the paravirtual SVC of include/hv/pv-abi.h
 *
 * Both flavours are emitted with `.inst`: the native encodings are computed
 * here from the ARM ARM (A8.8 / B9.3, ARM encodings A1), which keeps the
 * macros independent of `.syntax unified/divided` (GCC switches to
 * "divided" around inline asm) and lets the same macro text serve C inline
 * assembly (see sensitive.h, which .include's a preprocessed copy of this
 * file).  `objdump -d` shows the native flavour as the real instructions.
 *
 * Usage from assembly:  #include "sensitive.S"   (needs -I<repo>/include)
 * Registers are given by NAME (r0..r12, sb, sl, fp, ip, sp, lr, pc) and are
 * turned into numbers by the assembler, so the macros work with the
 * operands GCC substitutes in inline asm ("%0" -> "r3").
 * Conditions are the usual suffixes (eq ne cs hs cc lo mi pl vs vc hi ls ge
 * lt gt le al).  Macros without a register list take the condition as an
 * optional LAST argument (default al); macros with a register list have a
 * `...c` variant taking the condition FIRST.  CPS, SRS and RFE are
 * unconditional in the ISA (encoded with cond = AL in the PV flavour too).
 *
 *   v_cps     mode                     cps #mode
 *   v_cpsid   aif[, mode]              cpsid aif[, #mode]       (aif: any of a, i, f)
 *   v_cpsie   aif[, mode]              cpsie aif[, #mode]
 *   v_mrs     rd, cpsr|spsr[, cond]    mrs rd, cpsr|spsr
 *   v_msr     cpsr|spsr, fields, rn[, cond]   msr cpsr_<fields>, rn  (fields: any of c x s f)
 *   v_msri    cpsr|spsr, fields, imm[, cond]  msr cpsr_<fields>, #imm (imm: 32-bit value,
 *                                      must be an ARM modified immediate)
 *   v_subs_pc_lr imm[, cond]           subs pc, lr, #imm
 *   v_movs_pc_lr [cond]                movs pc, lr
 *   v_dps_pc  op, rn, imm[, cond]      <op>s pc, rn, #imm   (op: and eor sub rsb add adc
 *                                      sbc rsc orr mov bic mvn)
 *   v_dps_pc_reg op, rn, rm[, cond]    <op>s pc, rn, rm     (mov/mvn: rn ignored)
 *   v_ldm_ret  am, rn, wb, regs...     ldm<am> rn{!}, {regs, pc}^   (exception return;
 *                                      am: ia ib da db; wb: 0/1; regs MUST include pc)
 *   v_ldm_usr  am, rn, regs...         ldm<am> rn, {regs}^  (User registers, no pc)
 *   v_stm_usr  am, rn, regs...         stm<am> rn, {regs}^  (User registers)
 *   v_ldm_retc / v_ldm_usrc / v_stm_usrc  cond, ...   conditional variants
 *   v_srs     am, wb, mode             srs<am> sp{!}, #mode
 *   v_rfe     am, rn, wb               rfe<am> rn{!}
 *   v_nop_hint / v_yield / v_wfe / v_wfi / v_sev [cond]
 *   v_hvc     nr                       PV only: hypercall nr (r0-r3 in, r0 out)
 *   v_ret_user keep, rn                return to the frame at rn - 60 (r0..r14, PC at
 *                                      rn, CPSR at rn + 4): PV_RET_USER; natively
 *                                      msr spsr; ldmdb rn, {r0|r1-r14}^; movs pc, lr
 *                                      (keep = 1: r0 not loaded; LR_<mode> changes)
 *
 * Register lists are written register by register (no ranges: "r0, r1, r2").
 */
#ifndef GUEST_SENSITIVE_S
#define GUEST_SENSITIVE_S

#include <hv/pv-abi.h>

/* ---- helpers: operand names -> numbers --------------------------------- */

        .macro _sv_reg out:req, reg:req
        .set \out, -1
        .irp _sv_n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .ifc \reg, r\_sv_n
        .set \out, \_sv_n
        .endif
        .endr
        .ifc \reg, sb
        .set \out, 9
        .endif
        .ifc \reg, sl
        .set \out, 10
        .endif
        .ifc \reg, fp
        .set \out, 11
        .endif
        .ifc \reg, ip
        .set \out, 12
        .endif
        .ifc \reg, sp
        .set \out, 13
        .endif
        .ifc \reg, lr
        .set \out, 14
        .endif
        .ifc \reg, pc
        .set \out, 15
        .endif
        .if \out < 0
        .error "sensitive.S: not a register name: \reg"
        .endif
        .endm

        .macro _sv_cond out:req, cond=al
        .set \out, -1
        .ifc \cond, eq
        .set \out, 0
        .endif
        .ifc \cond, ne
        .set \out, 1
        .endif
        .ifc \cond, cs
        .set \out, 2
        .endif
        .ifc \cond, hs
        .set \out, 2
        .endif
        .ifc \cond, cc
        .set \out, 3
        .endif
        .ifc \cond, lo
        .set \out, 3
        .endif
        .ifc \cond, mi
        .set \out, 4
        .endif
        .ifc \cond, pl
        .set \out, 5
        .endif
        .ifc \cond, vs
        .set \out, 6
        .endif
        .ifc \cond, vc
        .set \out, 7
        .endif
        .ifc \cond, hi
        .set \out, 8
        .endif
        .ifc \cond, ls
        .set \out, 9
        .endif
        .ifc \cond, ge
        .set \out, 10
        .endif
        .ifc \cond, lt
        .set \out, 11
        .endif
        .ifc \cond, gt
        .set \out, 12
        .endif
        .ifc \cond, le
        .set \out, 13
        .endif
        .ifc \cond, al
        .set \out, 14
        .endif
        .if \out < 0
        .error "sensitive.S: not a condition: \cond"
        .endif
        .endm

        /* psr name -> R bit */
        .macro _sv_psr out:req, psr:req
        .set \out, -1
        .ifc \psr, cpsr
        .set \out, 0
        .endif
        .ifc \psr, spsr
        .set \out, 1
        .endif
        .if \out < 0
        .error "sensitive.S: expected cpsr or spsr: \psr"
        .endif
        .endm

        /* field letters (c x s f, any order) -> mask[3:0] = f s x c */
        .macro _sv_fields out:req, fields:req
        .set \out, 0
        .irpc _sv_ch, \fields
        .set .L_sv_ok, 0
        .ifc \_sv_ch, c
        .set \out, \out | 1
        .set .L_sv_ok, 1
        .endif
        .ifc \_sv_ch, x
        .set \out, \out | 2
        .set .L_sv_ok, 1
        .endif
        .ifc \_sv_ch, s
        .set \out, \out | 4
        .set .L_sv_ok, 1
        .endif
        .ifc \_sv_ch, f
        .set \out, \out | 8
        .set .L_sv_ok, 1
        .endif
        .if .L_sv_ok == 0
        .error "sensitive.S: bad PSR field letter in \fields"
        .endif
        .endr
        .endm

        /* aif letters -> A=4 I=2 F=1 */
        .macro _sv_aif out:req, aif:req
        .set \out, 0
        .irpc _sv_ch, \aif
        .set .L_sv_ok, 0
        .ifc \_sv_ch, a
        .set \out, \out | 4
        .set .L_sv_ok, 1
        .endif
        .ifc \_sv_ch, i
        .set \out, \out | 2
        .set .L_sv_ok, 1
        .endif
        .ifc \_sv_ch, f
        .set \out, \out | 1
        .set .L_sv_ok, 1
        .endif
        .if .L_sv_ok == 0
        .error "sensitive.S: bad aif letter in \aif"
        .endif
        .endr
        .endm

        /* addressing mode -> P, U */
        .macro _sv_am p:req, u:req, am:req
        .set \p, -1
        .ifc \am, ia
        .set \p, 0
        .set \u, 1
        .endif
        .ifc \am, ib
        .set \p, 1
        .set \u, 1
        .endif
        .ifc \am, da
        .set \p, 0
        .set \u, 0
        .endif
        .ifc \am, db
        .set \p, 1
        .set \u, 0
        .endif
        .if \p < 0
        .error "sensitive.S: addressing mode must be ia, ib, da or db: \am"
        .endif
        .endm

        /* data-processing opcode name -> opcode[3:0] */
        .macro _sv_dpop out:req, op:req
        .set \out, -1
        .ifc \op, and
        .set \out, 0
        .endif
        .ifc \op, eor
        .set \out, 1
        .endif
        .ifc \op, sub
        .set \out, 2
        .endif
        .ifc \op, rsb
        .set \out, 3
        .endif
        .ifc \op, add
        .set \out, 4
        .endif
        .ifc \op, adc
        .set \out, 5
        .endif
        .ifc \op, sbc
        .set \out, 6
        .endif
        .ifc \op, rsc
        .set \out, 7
        .endif
        .ifc \op, orr
        .set \out, 12
        .endif
        .ifc \op, mov
        .set \out, 13
        .endif
        .ifc \op, bic
        .set \out, 14
        .endif
        .ifc \op, mvn
        .set \out, 15
        .endif
        .if \out < 0
        .error "sensitive.S: unsupported data-processing op: \op"
        .endif
        .endm

        /* 32-bit value -> ARM modified immediate imm12 (A5.2.4): value = imm8 ROR (2*rot) */
        .macro _sv_imm12 out:req, val:req
        .set .L_sv_v, (\val) & 0xFFFFFFFF
        .set .L_sv_found, 0
        .set \out, 0
        .irp _sv_r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .if .L_sv_found == 0
        .if \_sv_r == 0
        .set .L_sv_rol, .L_sv_v
        .else
        .set .L_sv_rol, ((.L_sv_v << (2 * \_sv_r)) | (.L_sv_v >> (32 - 2 * \_sv_r))) & 0xFFFFFFFF
        .endif
        .if (.L_sv_rol & 0xFFFFFF00) == 0
        .set \out, (\_sv_r << 8) | .L_sv_rol
        .set .L_sv_found, 1
        .endif
        .endif
        .endr
        .if .L_sv_found == 0
        .error "sensitive.S: not an ARM modified immediate: \val"
        .endif
        .endm

        /* register list -> bit mask */
        .macro _sv_list out:req, regs:vararg
        .set \out, 0
        .irp _sv_r, \regs
        _sv_reg .L_sv_lr, \_sv_r
        .set \out, \out | (1 << .L_sv_lr)
        .endr
        .endm

/* ---- emit: native or PV ------------------------------------------------- */
#ifdef PV
#define _SV_EMIT(cond, native, pv)      .inst PV_ENCODE(cond, pv)
#define _SV_EMIT_UNCOND(native, pv)     .inst PV_ENCODE(PV_COND_AL, pv)
#else
#define _SV_EMIT(cond, native, pv)      .inst ((((cond) & 0xF) << 28) | ((native) & 0x0FFFFFFF))
#define _SV_EMIT_UNCOND(native, pv)     .inst (native)
#endif

/* ---- CPS (B9.3.2): 1111 0001 0000 imod M 0 0000000 A I F 0 mode ------- */
        .macro _sv_cps imod:req, m:req, aif:req, mode:req
        _SV_EMIT_UNCOND(0xF1000000 | ((\imod) << 18) | ((\m) << 17) | ((\aif) << 6) | ((\mode) & 0x1F),
                        PV_CPS(\imod, \m, \aif, (\mode) & 0x1F))
        .endm

        .macro v_cps mode:req
        _sv_cps PV_CPS_IMOD_NONE, 1, 0, \mode
        .endm

        .macro v_cpsid aif:req, mode
        _sv_aif .L_sv_aif, \aif
        .ifb \mode
        _sv_cps PV_CPS_IMOD_DISABLE, 0, .L_sv_aif, 0
        .else
        _sv_cps PV_CPS_IMOD_DISABLE, 1, .L_sv_aif, \mode
        .endif
        .endm

        .macro v_cpsie aif:req, mode
        _sv_aif .L_sv_aif, \aif
        .ifb \mode
        _sv_cps PV_CPS_IMOD_ENABLE, 0, .L_sv_aif, 0
        .else
        _sv_cps PV_CPS_IMOD_ENABLE, 1, .L_sv_aif, \mode
        .endif
        .endm

/* ---- MRS (B9.3.8): cond 0001 0R00 1111 Rd 0000 0000 0000 --------------- */
        .macro v_mrs rd:req, psr:req, cond=al
        _sv_reg .L_sv_rd, \rd
        _sv_psr .L_sv_R, \psr
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, 0x010F0000 | (.L_sv_R << 22) | (.L_sv_rd << 12),
                 PV_MRS(.L_sv_R, .L_sv_rd))
        .endm

/* ---- MSR register (B9.3.12): cond 0001 0R10 mask 1111 0000 0000 Rn ---- */
        .macro v_msr psr:req, fields:req, rn:req, cond=al
        _sv_reg .L_sv_rn, \rn
        _sv_psr .L_sv_R, \psr
        _sv_fields .L_sv_m, \fields
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, 0x0120F000 | (.L_sv_R << 22) | (.L_sv_m << 16) | .L_sv_rn,
                 PV_MSR_REG(.L_sv_R, .L_sv_m, .L_sv_rn))
        .endm

/* ---- MSR immediate (B9.3.11): cond 0011 0R10 mask 1111 imm12 ---------- */
        .macro v_msri psr:req, fields:req, imm:req, cond=al
        _sv_psr .L_sv_R, \psr
        _sv_fields .L_sv_m, \fields
        _sv_imm12 .L_sv_i12, \imm
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, 0x0320F000 | (.L_sv_R << 22) | (.L_sv_m << 16) | .L_sv_i12,
                 PV_MSR_IMM(.L_sv_R, .L_sv_m, .L_sv_i12))
        .endm

/* ---- data processing with S=1 and Rd=PC (B9.3.20 SUBS PC, LR and related)
 *      cond 00 I opcode 1 Rn 1111 operand2 ------------------------------- */
        .macro _sv_dps op:req, i:req, rn:req, op2:req, cond:req
        _sv_dpop .L_sv_op, \op
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, ((\i) << 25) | (.L_sv_op << 21) | (1 << 20) | ((\rn) << 16) | (0xF << 12) | ((\op2) & 0xFFF),
                 PV_DP_PC(.L_sv_op, \i, \rn, (\op2) & 0xFFF))
        .endm

        .macro v_dps_pc op:req, rn:req, imm:req, cond=al
        _sv_reg .L_sv_rn, \rn
        _sv_imm12 .L_sv_i12, \imm
        _sv_dps \op, 1, .L_sv_rn, .L_sv_i12, \cond
        .endm

        .macro v_dps_pc_reg op:req, rn:req, rm:req, cond=al
        _sv_reg .L_sv_rn, \rn
        _sv_reg .L_sv_rm, \rm
        .ifc \op, mov
        .set .L_sv_rn, 0
        .endif
        .ifc \op, mvn
        .set .L_sv_rn, 0
        .endif
        _sv_dps \op, 0, .L_sv_rn, .L_sv_rm, \cond
        .endm

        .macro v_subs_pc_lr imm:req, cond=al
        v_dps_pc sub, lr, \imm, \cond
        .endm

        .macro v_movs_pc_lr cond=al
        v_dps_pc_reg mov, r0, lr, \cond
        .endm

/* ---- LDM exception return (B9.3.5): cond 100P U1W1 Rn list(with PC) ---- */
        .macro v_ldm_retc cond:req, am:req, rn:req, wb:req, regs:vararg
        _sv_am .L_sv_P, .L_sv_U, \am
        _sv_reg .L_sv_rn, \rn
        _sv_list .L_sv_l, \regs
        _sv_cond .L_sv_cc, \cond
        .if (.L_sv_l & 0x8000) == 0
        .error "v_ldm_ret: the register list must contain pc"
        .endif
        _SV_EMIT(.L_sv_cc, 0x08500000 | (.L_sv_P << 24) | (.L_sv_U << 23) | ((\wb) << 21) | (.L_sv_rn << 16) | .L_sv_l,
                 PV_LDM_EXCRET(.L_sv_P, .L_sv_U, \wb, .L_sv_rn, .L_sv_l & 0x7FFF))
        .endm

        .macro v_ldm_ret am:req, rn:req, wb:req, regs:vararg
        v_ldm_retc al, \am, \rn, \wb, \regs
        .endm

/* ---- LDM User registers (B9.3.6): cond 100P U101 Rn list (no PC, no W) -- */
        .macro v_ldm_usrc cond:req, am:req, rn:req, regs:vararg
        _sv_am .L_sv_P, .L_sv_U, \am
        _sv_reg .L_sv_rn, \rn
        _sv_list .L_sv_l, \regs
        _sv_cond .L_sv_cc, \cond
        .if (.L_sv_l & 0x8000) != 0
        .error "v_ldm_usr: pc not allowed (use v_ldm_ret)"
        .endif
        _SV_EMIT(.L_sv_cc, 0x08500000 | (.L_sv_P << 24) | (.L_sv_U << 23) | (.L_sv_rn << 16) | .L_sv_l,
                 PV_LDM_USER(.L_sv_P, .L_sv_U, .L_sv_rn, .L_sv_l))
        .endm

        .macro v_ldm_usr am:req, rn:req, regs:vararg
        v_ldm_usrc al, \am, \rn, \regs
        .endm

/* ---- STM User registers (B9.3.16): cond 100P U100 Rn list (no W) ------- */
        .macro v_stm_usrc cond:req, am:req, rn:req, regs:vararg
        _sv_am .L_sv_P, .L_sv_U, \am
        _sv_reg .L_sv_rn, \rn
        _sv_list .L_sv_l, \regs
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, 0x08400000 | (.L_sv_P << 24) | (.L_sv_U << 23) | (.L_sv_rn << 16) | .L_sv_l,
                 PV_STM_USER(.L_sv_P, .L_sv_U, .L_sv_rn, .L_sv_l))
        .endm

        .macro v_stm_usr am:req, rn:req, regs:vararg
        v_stm_usrc al, \am, \rn, \regs
        .endm

/* ---- SRS (B9.3.17): 1111 100P U1W0 1101 0000 0101 000 mode ------------- */
        .macro v_srs am:req, wb:req, mode:req
        _sv_am .L_sv_P, .L_sv_U, \am
        _SV_EMIT_UNCOND(0xF84D0500 | (.L_sv_P << 24) | (.L_sv_U << 23) | ((\wb) << 21) | ((\mode) & 0x1F),
                        PV_SRS(.L_sv_P, .L_sv_U, \wb, (\mode) & 0x1F))
        .endm

/* ---- RFE (B9.3.13): 1111 100P U0W1 Rn 0000 1010 0000 0000 -------------- */
        .macro v_rfe am:req, rn:req, wb:req
        _sv_am .L_sv_P, .L_sv_U, \am
        _sv_reg .L_sv_rn, \rn
        _SV_EMIT_UNCOND(0xF8100A00 | (.L_sv_P << 24) | (.L_sv_U << 23) | ((\wb) << 21) | (.L_sv_rn << 16),
                        PV_RFE(.L_sv_P, .L_sv_U, \wb, .L_sv_rn))
        .endm

/* ---- hints (A8.8.424 WFI etc.): cond 0011 0010 0000 1111 0000 0000 op -- */
        .macro _sv_hint h:req, cond=al
        _sv_cond .L_sv_cc, \cond
        _SV_EMIT(.L_sv_cc, 0x0320F000 | (\h), PV_HINT(\h))
        .endm
        .macro v_nop_hint cond=al
        _sv_hint PV_HINT_NOP, \cond
        .endm
        .macro v_yield cond=al
        _sv_hint PV_HINT_YIELD, \cond
        .endm
        .macro v_wfe cond=al
        _sv_hint PV_HINT_WFE, \cond
        .endm
        .macro v_wfi cond=al
        _sv_hint PV_HINT_WFI, \cond
        .endm
        .macro v_sev cond=al
        _sv_hint PV_HINT_SEV, \cond
        .endm

/* ---- hypercall (PV only) ----------------------------------------------- */
/* ---- return to user from a saved frame (docs/pv-abi.md, system op 9) --- */
        .macro v_ret_user keep:req, rn:req
        _sv_reg .L_sv_rn, \rn
#ifdef PV
        .inst PV_ENCODE(PV_COND_AL, PV_RET_USER(\keep, .L_sv_rn))
#else
        .inst 0xE590E004 | (.L_sv_rn << 16)       /* ldr lr, [rn, #4] */
        .inst 0xE16FF00E                          /* msr spsr_fsxc, lr */
        .inst 0xE590E000 | (.L_sv_rn << 16)       /* ldr lr, [rn] */
        .inst 0xE9507FFF ^ (\keep) | (.L_sv_rn << 16) /* ldmdb rn, {r0|r1 - r14}^ */
        .inst 0xE1A00000                          /* nop (ARMv5T: after ldm ^) */
        .inst 0xE1B0F00E                          /* movs pc, lr */
#endif
        .endm

        .macro v_hvc nr:req
#ifdef PV
        .inst PV_ENCODE(PV_COND_AL, PV_HVC(\nr))
#else
        .error "v_hvc: hypercalls exist only in the PV build (use the hc_* functions)"
#endif
        .endm

#endif /* GUEST_SENSITIVE_S */
