/*
 * Monitor accesses to the running guest through the MMU's current
 * translation (its shadow space), at PL1.  Each instruction that may fault
 * has an entry in .fixup_table (instruction, where to resume); the data
 * abort handler resumes there instead of panicking (core/trap.c), and the
 * function returns -1 so the caller can fall back to walking the guest's
 * tables.
 */
    .syntax unified
    .arm

    .macro fixup insn, fix
    .pushsection .fixup_table, "a"
    .word   \insn, \fix
    .popsection
    .endm

    .text
/* int arch_guest_load_word(uint32_t va, uint32_t *out) */
    .global arch_guest_load_word
arch_guest_load_word:
1:  ldr     r2, [r0]
    fixup   1b, 9f
    str     r2, [r1]
    mov     r0, #0
    bx      lr
9:  mvn     r0, #0
    bx      lr

/* int arch_guest_load_words_pl0(uint32_t va, uint32_t *out, unsigned n), n >= 1:
 * n words with User-mode rights (LDRT, ARM ARM A8.8.92).  The guest runs in
 * User mode, so this reads exactly what the guest itself may read in its
 * current view, never the monitor's PL1-only memory: 0, or -1 if a word
 * faulted (translation or permission). */
    .global arch_guest_load_words_pl0
arch_guest_load_words_pl0:
1:  ldrt    r3, [r0], #4
    fixup   1b, 9f
    str     r3, [r1], #4
    subs    r2, r2, #1
    bne     1b
    mov     r0, #0
    bx      lr
9:  mvn     r0, #0
    bx      lr

/* int arch_probe_store_word(uint32_t va, uint32_t val): a guarded store
 * (the monitor's own hygiene check, arch/arm/mmu.c): 0, or -1 if it faulted */
    .global arch_probe_store_word
arch_probe_store_word:
1:  str     r1, [r0]
    fixup   1b, 9f
    mov     r0, #0
    bx      lr
9:  mvn     r0, #0
    bx      lr

/*
 * int arch_guest_cache_op(unsigned op, uint32_t va): cache maintenance by
 * VA for the guest (op: CACHE_DC_CLEAN, CACHE_DC_CLEAN_INVAL, CACHE_IC_INVAL,
 * CACHE_DC_CLEAN_POU of arch.h, in that order: 0, 1, 2, 3).  A VA the shadow
 * does not map faults (translation fault): -1.
 */
    .global arch_guest_cache_op
arch_guest_cache_op:
    cmp     r0, #1
    beq     2f
    bhi     3f
1:  mcr     p15, 0, r1, c7, c10, 1      @ DCCMVAC
    fixup   1b, 9f
    b       8f
2:  mcr     p15, 0, r1, c7, c14, 1      @ DCCIMVAC
    fixup   2b, 9f
    b       8f
3:  cmp     r0, #3
    beq     4f
5:  mcr     p15, 0, r1, c7, c5, 1       @ ICIMVAU
    fixup   5b, 9f
    mcr     p15, 0, r1, c7, c5, 6       @ BPIALL (predictor entries for that code)
    b       8f
4:  mcr     p15, 0, r1, c7, c11, 1      @ DCCMVAU
    fixup   4b, 9f
8:  dsb
    isb
    mov     r0, #0
    bx      lr
9:  mvn     r0, #0
    bx      lr
