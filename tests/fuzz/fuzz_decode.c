/*
 * The instruction decoders of core/decode.c on arbitrary words: the PV SVC
 * decoder (every valid PV encoding must re-encode to the same word, since
 * the monitor and tools/pvpatch rely on one meaning per word), the
 * coprocessor, VFP system register and load/store decoders (register
 * fields in range, sizes the emulator can perform), the condition check
 * and the data-processing shifter and ALU.  Sanitizers catch any UB.
 */
#include "fuzz.h"
#include "decode.h"

static void one_word(uint32_t w, uint32_t a, uint32_t b)
{
    struct pv_insn pv;
    struct cp_insn cp;
    struct vfp_sys_insn vs;
    struct ls_insn ls;
    uint32_t res;

    if (pv_decode(w, &pv)) {
        FUZZ_CHECK(pv.cls < PV_NCLASSES, "word %08x: class %d", w, pv.cls);
        FUZZ_CHECK(pv.rn < 16 && pv.rd < 16, "word %08x: rn %u rd %u", w, pv.rn, pv.rd);
        if (pv.cls != PV_NONE && pv.cls != PV_C_INVALID)
            FUZZ_CHECK(pv_encode(&pv) == w, "word %08x (class %d) re-encodes as %08x", w,
                       pv.cls, pv_encode(&pv));
    }
    if (cp_decode(w, &cp))
        FUZZ_CHECK(cp.coproc < 16 && cp.rt < 16 && cp.rt2 < 16 && cp.crn < 16 && cp.crm < 16 &&
                   cp.opc1 < 16 && cp.opc2 < 8, "word %08x: field out of range", w);
    if (vfp_sys_decode(w, &vs))
        FUZZ_CHECK(vs.rt < 16 && vs.reg < 16, "word %08x: rt %u reg %u", w, vs.rt, vs.reg);
    if (ls_decode(w, &ls)) {
        FUZZ_CHECK(ls.rt < 16 && ls.rt2 < 16 && ls.rn < 16 && ls.rm < 16,
                   "word %08x: register out of range", w);
        FUZZ_CHECK(ls.size == 1 || ls.size == 2 || ls.size == 4 || ls.size == 8,
                   "word %08x: size %u", w, ls.size);
        FUZZ_CHECK(ls.size != 8 || ls.rt2 == ls.rt + 1, "word %08x: LDRD/STRD rt %u rt2 %u", w,
                   ls.rt, ls.rt2);
        FUZZ_CHECK(ls.shift_type < 4 && ls.shift_imm < 32, "word %08x: shift %u #%u", w,
                   ls.shift_type, ls.shift_imm);
    }
    (void)cond_passed(w >> 28, a);
    res = dp_shifter(w >> 25 & 1, w & 0xFFF, a, b & 1);
    (void)dp_alu(w >> 21 & 15, b, res, a & 1, &res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };

    while (fin_more(&f)) {
        uint32_t w = fin_u32(&f), a = fin_u32(&f), b = fin_u32(&f);
        one_word(w, a, b);
    }
    return 0;
}
