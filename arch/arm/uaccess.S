/*
 * int arch_guest_load_word(uint32_t va, uint32_t *out)
 *
 * Reads a word of the running guest through the translation the MMU is
 * using for it (its shadow space), at PL1.  Used to fetch the instruction
 * that just trapped: it was fetched a moment ago through the same entry, so
 * this normally cannot fault; if it does (the entry went away), the data
 * abort handler resumes at the fixup and the caller falls back to walking
 * the guest's tables (core/trap.c, arch_guest_load_fixup).
 */
    .syntax unified
    .arm
    .text
    .global arch_guest_load_word, arch_guest_load_insn, arch_guest_load_fixup
arch_guest_load_word:
arch_guest_load_insn:
    ldr     r2, [r0]
    str     r2, [r1]
    mov     r0, #0
    bx      lr
arch_guest_load_fixup:
    mvn     r0, #0
    bx      lr
