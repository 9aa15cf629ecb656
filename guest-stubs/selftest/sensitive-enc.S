/* Encoding self-test of sensitive.S: each macro is followed by the real
 * instruction it must produce in the native flavour.  check-enc.sh
 * assembles this file and compares the pairs word by word. */
#include "sensitive.S"
.syntax unified
.arm
@ pairs: macro then real instruction
v_mrs r0, cpsr
mrs r0, cpsr
v_mrs ip, spsr, eq
mrseq ip, spsr
v_msr cpsr, fc, r0
msr cpsr_fc, r0
v_msr spsr, fsxc, lr, ne
msrne spsr_fsxc, lr
v_msri spsr, fsxc, 0xd3, ne
msrne spsr_fsxc, #0xd3
v_msri cpsr, f, 0xF0000000
msr cpsr_f, #0xF0000000
v_msri cpsr, s, 0x000A0000
msr cpsr_s, #0x000A0000
v_subs_pc_lr 4
subs pc, lr, #4
v_subs_pc_lr 8, gt
subsgt pc, lr, #8
v_movs_pc_lr eq
movseq pc, lr
v_dps_pc add, r3, 0x100
adds pc, r3, #0x100
v_dps_pc_reg mvn, r3, r4
mvns pc, r4
v_ldm_ret ia, sp, 1, r0, pc
ldmia sp!, {r0, pc}^
v_ldm_retc ne, db, r3, 0, r0, r1, r12, pc
ldmdbne r3, {r0, r1, r12, pc}^
v_ldm_usrc eq, ib, r3, r0, r1
ldmibeq r3, {r0, r1}^
v_stm_usr da, r3, sp, lr
stmda r3, {sp, lr}^
v_srs db, 1, 0x13
srsdb sp!, #0x13
v_srs ia, 0, 0x17
srsia sp, #0x17
v_rfe ia, sp, 1
rfeia sp!
v_rfe db, r2, 0
rfedb r2
v_cps 0x1f
cps #0x1f
v_cpsid aif, 0x13
cpsid aif, #0x13
v_cpsie if
cpsie if
v_cpsid a
cpsid a
v_wfi
wfi
v_wfe ne
wfene
v_sev
sev
v_yield gt
yieldgt
v_nop_hint
nop
