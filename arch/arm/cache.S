/*
 * Cache maintenance by VA range and by set/way (ARM ARM B2.2.6, B4.2.1).
 */
    .syntax unified
    .arm
    .text

/* Smallest D-cache line size in bytes (CTR.DminLine) -> r3. */
    .macro dcache_line_size, reg, tmp
    mrc     p15, 0, \tmp, c0, c0, 1         @ CTR
    lsr     \tmp, \tmp, #16
    and     \tmp, \tmp, #0xF
    mov     \reg, #4
    lsl     \reg, \reg, \tmp
    .endm

/* void arch_dcache_clean_range(const void *va, size_t len): DCCMVAC */
    .global arch_dcache_clean_range
arch_dcache_clean_range:
    add     r1, r0, r1
    dcache_line_size r2, r3
    sub     r3, r2, #1
    bic     r0, r0, r3
1:  cmp     r0, r1
    bhs     2f
    mcr     p15, 0, r0, c7, c10, 1
    add     r0, r0, r2
    b       1b
2:  dsb
    bx      lr

/* void arch_dcache_clean_inval_range(const void *va, size_t len): DCCIMVAC */
    .global arch_dcache_clean_inval_range
arch_dcache_clean_inval_range:
    add     r1, r0, r1
    dcache_line_size r2, r3
    sub     r3, r2, #1
    bic     r0, r0, r3
1:  cmp     r0, r1
    bhs     2f
    mcr     p15, 0, r0, c7, c14, 1
    add     r0, r0, r2
    b       1b
2:  dsb
    bx      lr

/* void arch_icache_inval_all(void): ICIALLU + BPIALL */
    .global arch_icache_inval_all
arch_icache_inval_all:
    mov     r0, #0
    mcr     p15, 0, r0, c7, c5, 0
    mcr     p15, 0, r0, c7, c5, 6
    dsb
    isb
    bx      lr

/*
 * void arch_dcache_clean_inval_all(void): clean and invalidate every data
 * or unified cache level up to the Level of Coherency, by set/way
 * (CLIDR, CSSELR, CCSIDR; ARM ARM B4.2.1 example).
 */
    .global arch_dcache_clean_inval_all
arch_dcache_clean_inval_all:
    push    {r4-r11}
    dmb
    mrc     p15, 1, r0, c0, c0, 1           @ CLIDR
    ands    r3, r0, #0x07000000             @ LoC
    mov     r3, r3, lsr #23                 @ LoC * 2
    beq     5f
    mov     r10, #0                         @ level * 2
1:  add     r2, r10, r10, lsr #1            @ level * 3
    mov     r1, r0, lsr r2
    and     r1, r1, #7                      @ cache type at this level
    cmp     r1, #2
    blt     4f                              @ no data cache here
    mcr     p15, 2, r10, c0, c0, 0          @ CSSELR
    isb
    mrc     p15, 1, r1, c0, c0, 0           @ CCSIDR
    and     r2, r1, #7
    add     r2, r2, #4                      @ log2(line bytes)
    ldr     r4, =0x3FF
    ands    r4, r4, r1, lsr #3              @ max way
    clz     r5, r4                          @ way shift
    ldr     r7, =0x7FFF
    ands    r7, r7, r1, lsr #13             @ max set
2:  mov     r9, r4
3:  orr     r11, r10, r9, lsl r5
    orr     r11, r11, r7, lsl r2
    mcr     p15, 0, r11, c7, c14, 2         @ DCCISW
    subs    r9, r9, #1
    bge     3b
    subs    r7, r7, #1
    bge     2b
4:  add     r10, r10, #2
    cmp     r3, r10
    bgt     1b
5:  mov     r10, #0
    mcr     p15, 2, r10, c0, c0, 0
    dsb
    isb
    pop     {r4-r11}
    bx      lr
    .ltorg
