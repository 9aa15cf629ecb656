/*
 * Patching, verifying and reporting (see pvpatch.h).
 */
#include "pvpatch.h"
#include "../../core/decode.h"
#include <hv/pv-abi.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t w)
{
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

static bool in_ranges(const struct range_list *l, uint32_t a)
{
    for (unsigned i = 0; i < l->n; i++)
        if (a >= l->v[i].lo && a < l->v[i].hi)
            return true;
    return false;
}

static int parse_addr(const struct image *im, const char *s, uint32_t *v)
{
    char *end;
    unsigned long long x = strtoull(s, &end, 0);

    if (*s && !*end && x <= UINT32_MAX) {
        *v = (uint32_t)x;
        return 0;
    }
    return image_symbol(im, s, v) ? 0 : -1;
}

int pvp_parse_range(const struct image *im, const char *spec, struct range *r)
{
    char a[256], *colon;

    if (strlen(spec) >= sizeof(a) || !(colon = strchr(strcpy(a, spec), ':')))
        return -1;
    *colon = 0;
    r->spec = spec;
    if (parse_addr(im, a, &r->lo) || parse_addr(im, colon + 1, &r->hi) || r->hi < r->lo)
        return -1;
    return 0;
}

static void print_insn(FILE *f, const struct image *im, uint32_t addr, const uint8_t *p,
                       unsigned len, const char *label, const char *why)
{
    char where[160];

    fprintf(f, "%s: 0x%08x: ", im->path, addr);
    if (len == 4 && label)
        fprintf(f, "%08x", rd32(p));
    else
        for (unsigned i = 0; i < len; i += 2)
            fprintf(f, "%04x%s", p[i] | p[i + 1] << 8, i + 2 < len ? " " : "");
    fprintf(f, "  %s%s%s  (in %s)\n", label ? label : "", why ? ": " : "", why ? why : "",
            image_where(im, addr, where, sizeof(where)));
}

/* ---- trampolines ----------------------------------------------------------- */

static int place_tramp(const struct image *im, struct tramp_area *ta, uint32_t site, uint8_t *sitep,
                       const struct rw *rw)
{
    uint32_t need = 4 * (rw->n + 1), pos = ta->addr + ta->used, back = pos + 4 * rw->n;

    if (ta->cap != UINT32_MAX && ta->used + need > ta->cap) {
        print_insn(pvp_diag ? pvp_diag : stderr, im, site, sitep, 4, "error",
                   "the reserved .pvtramp section is full: make it larger");
        return -1;
    }
    if (!a32_b_in_range(site, pos) || !a32_b_in_range(back, site + 4)) {
        print_insn(pvp_diag ? pvp_diag : stderr, im, site, sitep, 4, "error",
                   "trampoline out of branch range (+-32 MiB): choose a nearer --tramp-addr");
        return -1;
    }
    if (ta->cap == UINT32_MAX) {
        uint8_t *nb = realloc(ta->bytes, ta->used + need);
        if (!nb)
            exit(2);
        ta->bytes = nb;
    }
    for (unsigned i = 0; i < rw->n; i++)
        wr32(ta->bytes + ta->used + 4 * i, rw->body[i]);
    wr32(ta->bytes + ta->used + 4 * rw->n, a32_b(COND_AL, back, site + 4));
    wr32(sitep, a32_b(rw->branch_cond, site, pos));
    ta->used += need;
    return 0;
}

/* ---- patching ------------------------------------------------------------ */

static void patch_word(struct image *im, const struct pvp_opts *o, struct tramp_area *ta,
                       uint32_t addr, uint8_t *p, struct pvp_stats *st)
{
    struct a32 in;
    struct rw rw;
    struct pv_insn pv;
    bool tramp_ok = !in_ranges(&o->skip_ranges, addr);

    /* An SVC that already is a reserved PV encoding cannot be rewritten and
     * would stop the guest under the monitor: refuse it here, rather than
     * find it left after patching. */
    if (pv_decode(rd32(p), &pv) && pv.cls == PV_C_INVALID) {
        print_insn(pvp_diag ? pvp_diag : stderr, im, addr, p, 4, "error",
                   "SVC with a reserved PV encoding: the monitor would stop the guest on it "
                   "(docs/pv-abi.md)");
        st->refused++;
        return;
    }
    if (a32_classify(rd32(p), &in) == A32_OTHER)
        return;
    rw_rewrite(&in, &o->rw, tramp_ok, &rw);
    if (!tramp_ok && rw.kind != RW_KEEP) {
        struct rw free_rw;
        rw_rewrite(&in, &o->rw, true, &free_rw);
        st->in_skip_range += free_rw.kind == RW_TRAMP;
    }
    switch (rw.kind) {
    case RW_KEEP:
        if (in.cls == A32_UNPRIV_LS)
            print_insn(pvp_diag ? pvp_diag : stderr, im, addr, p, 4, "warning",
                       "LDRT/STRT-family access: no PV encoding; runs with User permissions of the "
                       "shadow tables (docs/pv-abi.md)");
        break;
    case RW_INPLACE:
        wr32(p, rw.word);
        break;
    case RW_TRAMP:
        if (place_tramp(im, ta, addr, p, &rw)) {
            st->refused++;
            return;
        }
        st->tramps++;
        break;
    case RW_REFUSE:
        print_insn(pvp_diag ? pvp_diag : stderr, im, addr, p, 4, "error", rw.why);
        st->refused++;
        return;
    }
    st->by[in.cls][rw.how]++;
}

/*
 * --ret-user: Linux 6.1's return to user (restore_user_regs, ARM kernel,
 * arch/arm/kernel/entry-header.S), exactly these eleven words with X = 0 or
 * 8 (S_OFF) and the list {r0-lr} or {r1-lr} (fast = 1):
 *     mov r2, sp;  ldr r1, [r2, #X+64];  ldr lr, [r2, #X+60]!
 *     tst r1, #0x8f;  bne <bug>
 *     msr spsr_fsxc, r1;  strex r1, r2, [r2];  ldmdb r2, {r0|r1-lr}^
 *     mov r0, r0;  add sp, sp, #X+72;  movs pc, lr
 * r1 = [r2 + 4] (the saved CPSR) and r2 = the saved PC's address, so the
 * last three steps are PV_RET_USER(fast, r2).  The three words from the MSR
 * become: strex (r1 is reloaded by the operation), the add (the frame is
 * below SP for one instruction: nothing in the guest runs in between), the
 * operation; the rest is never reached.  Nothing branches into the middle
 * of the sequence (the bne leaves it).
 */
bool pvp_ret_user_site(const uint8_t *p, uint32_t left, bool *keep_r0)
{
    uint32_t w[PVP_RU_WORDS], x;

    if (left < 4 * PVP_RU_WORDS)
        return false;
    for (unsigned k = 0; k < PVP_RU_WORDS; k++)
        w[k] = rd32(p + 4 * k);
    x = (w[1] & 0xFFF) - 64;
    if ((x != 0 && x != 8) || w[0] != 0xE1A0200Du || w[1] != (0xE5921000u | (x + 64)) ||
        w[2] != (0xE5B2E000u | (x + 60)) || w[3] != 0xE311008Fu ||
        (w[4] & 0xFF000000u) != 0x1A000000u || w[5] != 0xE16FF001u || w[6] != 0xE1821F92u ||
        (w[7] != 0xE9527FFFu && w[7] != 0xE9527FFEu) || w[8] != 0xE1A00000u ||
        w[9] != (0xE28DD000u | (x + 72)) || w[10] != 0xE1B0F00Eu)
        return false;
    *keep_r0 = w[7] == 0xE9527FFEu;
    return true;
}

void pvp_ret_user_patch(uint8_t *p, bool keep_r0)
{
    uint32_t add_sp = rd32(p + 36);

    wr32(p + 20, rd32(p + 24));                         /* strex r1, r2, [r2] */
    wr32(p + 24, add_sp);                               /* add sp, sp, #X+72 */
    wr32(p + 28, a32_svc(COND_AL, PV_RET_USER(keep_r0, 2)));
}

/*
 * --ret-user with --srfa: Linux 6.1's exception vector stubs (vector_stub in
 * arch/arm/kernel/entry-armv.S, ARM kernel), which run in the exception's
 * mode and enter the SVC-mode handler, nine words from .Lvec_<name>:
 *     mrs lr, spsr; str lr, [sp, #8]; mrs r0, cpsr; eor r0, r0, #x
 *     msr spsr_fsxc, r0; and lr, lr, #15; mov r0, sp
 *     ldr lr, [pc, lr, lsl #2]; movs pc, lr          (the branch table follows)
 * Four PV SVCs, one trap each.  The stubs are copied to the vector page at
 * run time (no trampolines), so in place: the SPSR from the SRFA page (two
 * words), the mode switch as one PV_RET_MODE(x); the table load stays where
 * it is (PC-relative):
 *     mvn lr, #0x40000000; ldr lr, [lr, #SPSR]; str lr, [sp, #8]
 *     and lr, lr, #15; nop; nop; mov r0, sp; ldr lr, [pc, lr, lsl #2]
 *     svc PV_RET_MODE(x)
 * r0 ends as sp in both; only the intermediate CPSR copy in r0 is gone.
 * The Spectre-BHB stub variants branch to the first word.
 */
bool pvp_stub_site(const uint8_t *p, uint32_t left, uint32_t *x)
{
    static const uint32_t want[PVP_STUB_WORDS] = {
        0xE14FE000, 0xE58DE008, 0xE10F0000, 0xE2200000, 0xE16FF000, 0xE20EE00F, 0xE1A0000D,
        0xE79FE10E, 0xE1B0F00E,
    };

    if (left < 4 * PVP_STUB_WORDS)
        return false;
    for (unsigned k = 0; k < PVP_STUB_WORDS; k++) {
        uint32_t w = rd32(p + 4 * k);
        if (k == 3 ? (w & ~0x1Fu) != want[k] || !(w & 0x1F) : w != want[k])
            return false;
    }
    *x = rd32(p + 12) & 0x1F;
    return true;
}

void pvp_stub_patch(uint8_t *p, uint32_t x)
{
    static const uint32_t out[PVP_STUB_WORDS - 1] = {
        0xE3E0E101,                                     /* mvn lr, #0x40000000 */
        0xE51EE000 | (0xFFF - PV_SRFA_SPSR),            /* ldr lr, [lr, #SPSR - 0xFFF] */
        0xE58DE008, 0xE20EE00F, A32_NOP, A32_NOP, 0xE1A0000D, 0xE79FE10E,
    };

    for (unsigned k = 0; k < PVP_STUB_WORDS - 1; k++)
        wr32(p + 4 * k, out[k]);
    wr32(p + 4 * (PVP_STUB_WORDS - 1), a32_svc(COND_AL, PV_RET_MODE(x)));
}

static void patch_arm(struct image *im, const struct pvp_opts *o, struct tramp_area *ta,
                      const struct region *r, struct pvp_stats *st)
{
    uint32_t skip = (4 - (r->addr & 3)) & 3;
    bool keep_r0;
    uint32_t x;

    st->arm_regions++;
    st->arm_bytes += r->size;
    for (uint32_t off = skip; off + 4 <= r->size; off += 4) {
        if (in_ranges(&o->exempt_ranges, r->addr + off))
            continue;
        if (o->rw.ret_user && pvp_ret_user_site(r->bytes + off, r->size - off, &keep_r0) &&
            !in_ranges(&o->exempt_ranges, r->addr + off + 4 * (PVP_RU_WORDS - 1))) {
            pvp_ret_user_patch(r->bytes + off, keep_r0);
            st->ret_user++;
        }
        if (o->rw.ret_user && o->rw.srfa && pvp_stub_site(r->bytes + off, r->size - off, &x) &&
            !in_ranges(&o->exempt_ranges, r->addr + off + 4 * (PVP_STUB_WORDS - 1))) {
            pvp_stub_patch(r->bytes + off, x);
            st->stubs++;
        }
        patch_word(im, o, ta, r->addr + off, r->bytes + off, st);
    }
}

/* Thumb code is never rewritten: refused, or scanned (--thumb=scan).
 * Returns the number of problems printed. */
static unsigned check_thumb(const struct image *im, const struct pvp_opts *o, const struct region *r,
                            FILE *out, const char *label)
{
    unsigned bad = 0, len;
    const char *why;

    if (in_ranges(&o->exempt_ranges, r->addr))
        return 0;
    if (o->thumb == THUMB_REFUSE) {
        print_insn(out, im, r->addr, r->bytes, r->size >= 4 ? 4 : 2, label,
                   "Thumb code ($t): pvpatch rewrites ARM code only (use --thumb=scan to accept "
                   "Thumb code that has no system instruction)");
        return 1;
    }
    for (uint32_t off = 0; off + 2 <= r->size; off += len ? len : 2) {
        len = t32_scan(r->bytes + off, r->size - off, &why);
        if (why) {
            print_insn(out, im, r->addr + off, r->bytes + off, len, label, why);
            bad++;
        }
    }
    return bad;
}

unsigned pvp_patch(struct image *im, const struct pvp_opts *o, struct tramp_area *ta,
                   struct pvp_stats *st)
{
    memset(st, 0, sizeof(*st));
    for (unsigned i = 0; i < im->nregs; i++) {
        const struct region *r = &im->regs[i];
        if (r->kind == RK_ARM) {
            patch_arm(im, o, ta, r, st);
        } else if (r->kind == RK_THUMB) {
            st->thumb_regions++;
            st->thumb_bytes += r->size;
            st->refused += check_thumb(im, o, r, pvp_diag ? pvp_diag : stderr, "error");
        }
    }
    return st->refused;
}

/* ---- verifying ----------------------------------------------------------- */

static bool in_tramp_section(const struct image *im, const struct region *r)
{
    return r->sec >= 0 && !strcmp(im->secs[r->sec].name, ".pvtramp");
}

/* pvpatch's own trampolines read and restore the live flags with
 * MRS Rd, APSR / MSR APSR_nzcvq, Rn: harmless in User mode. */
static bool flags_only(const struct a32 *in)
{
    return (in->cls == A32_MRS && !in->spsr) ||
           (in->cls == A32_MSR_REG && !in->spsr && in->mask == PV_MSR_F);
}

static unsigned verify_arm(const struct image *im, const struct pvp_opts *o, const struct region *r,
                           FILE *out, struct pvp_stats *st)
{
    bool tramp = in_tramp_section(im, r);
    unsigned bad = 0;

    for (uint32_t off = (4 - (r->addr & 3)) & 3; off + 4 <= r->size; off += 4) {
        uint32_t w = rd32(r->bytes + off);
        struct a32 in;
        struct pv_insn pv;

        if (in_ranges(&o->exempt_ranges, r->addr + off))
            continue;
        if (pv_decode(w, &pv) && pv.cls != PV_NONE) {
            st->pv[pv.cls]++;
            if (pv.cls == PV_C_INVALID) {
                print_insn(out, im, r->addr + off, r->bytes + off, 4, "SVC",
                           "reserved PV encoding (the monitor stops the guest on it)");
                st->pv_bad++;
                bad++;
            }
            continue;
        }
        if (!a32_sensitive(a32_classify(w, &in)))
            continue;
        if (tramp && flags_only(&in)) {
            st->tramp_flag_ops++;
            continue;
        }
        print_insn(out, im, r->addr + off, r->bytes + off, 4, a32_class_name(in.cls), in.why);
        st->left[in.cls]++;
        bad++;
    }
    return bad;
}

unsigned pvp_verify(const struct image *im, const struct pvp_opts *o, FILE *out, struct pvp_stats *st)
{
    unsigned bad = 0;

    memset(st, 0, sizeof(*st));
    for (unsigned i = 0; i < im->nregs; i++) {
        const struct region *r = &im->regs[i];
        if (r->kind == RK_ARM) {
            st->arm_regions++;
            st->arm_bytes += r->size;
            bad += verify_arm(im, o, r, out, st);
        } else if (r->kind == RK_THUMB) {
            struct pvp_opts scan = *o;
            unsigned n;
            scan.thumb = THUMB_SCAN;
            st->thumb_regions++;
            st->thumb_bytes += r->size;
            n = check_thumb(im, &scan, r, out, "Thumb");
            st->thumb_left += n;
            bad += n;
        }
    }
    return bad;
}

/* ---- reports ------------------------------------------------------------- */

static const char *const pv_class_names[PV_NCLASSES] = {
    [PV_C_LDM_EXCRET] = "LDM exc-return", [PV_C_STM_USER] = "STM user regs",
    [PV_C_LDM_USER] = "LDM user regs", [PV_C_DP_PC] = "DP S Rd=PC", [PV_C_MSR_IMM] = "MSR imm",
    [PV_C_MRS] = "MRS", [PV_C_MSR_REG] = "MSR reg", [PV_C_CPS] = "CPS", [PV_C_SRS] = "SRS",
    [PV_C_RFE] = "RFE", [PV_C_HINT] = "hint", [PV_C_HVC] = "hypercall", [PV_C_FIT_LOAD] = "FIT load",
    [PV_C_FIT_CACHE] = "FIT cache", [PV_C_RET_USER] = "return to user", [PV_C_FIT_STORE] = "FIT store", [PV_C_RET_MODE] = "return to mode", [PV_C_FIT_FPEXC] = "FIT FPEXC", [PV_C_INVALID] = "reserved",
};

static void report_code(FILE *f, const struct image *im, const struct pvp_stats *st)
{
    unsigned nskip = 0;

    fprintf(f, "  code: %u ARM regions (%llu bytes), %u Thumb regions (%llu bytes), %u mapping symbols\n",
            st->arm_regions, (unsigned long long)st->arm_bytes, st->thumb_regions,
            (unsigned long long)st->thumb_bytes, im->nmap);
    for (unsigned i = 0; i < im->nsecs; i++)
        if (im->secs[i].exec && im->secs[i].skip)
            fprintf(f, "%s%s (%u bytes)", nskip++ ? ", " : "  skipped sections (--skip-section): ",
                    im->secs[i].name, im->secs[i].size);
    if (nskip)
        fputc('\n', f);
}

void pvp_report_patch(FILE *f, const struct image *im, const struct pvp_opts *o,
                      const struct tramp_area *ta, const struct pvp_stats *st)
{
    unsigned tot[HOW_N] = { 0 }, total = 0;

    report_code(f, im, st);
    for (unsigned i = 0; i < o->skip_ranges.n; i++)
        fprintf(f, "  in-place only (--skip-range): %s = 0x%08x-0x%08x\n", o->skip_ranges.v[i].spec,
                o->skip_ranges.v[i].lo, o->skip_ranges.v[i].hi);
    for (unsigned i = 0; i < o->exempt_ranges.n; i++)
        fprintf(f, "  not looked at (--exempt-range): %s = 0x%08x-0x%08x\n", o->exempt_ranges.v[i].spec,
                o->exempt_ranges.v[i].lo, o->exempt_ranges.v[i].hi);
    fprintf(f, "  %-18s %6s", "class", "total");
    for (unsigned h = 0; h < HOW_N; h++)
        fprintf(f, " %8s", rw_how_name((enum rw_how)h));
    fputc('\n', f);
    for (unsigned c = 1; c < A32_NCLASSES; c++) {
        unsigned n = 0;
        for (unsigned h = 0; h < HOW_N; h++)
            n += st->by[c][h];
        if (!n)
            continue;
        fprintf(f, "  %-18s %6u", a32_class_name((enum a32_class)c), n);
        for (unsigned h = 0; h < HOW_N; h++) {
            fprintf(f, " %8u", st->by[c][h]);
            tot[h] += st->by[c][h];
        }
        fputc('\n', f);
        if (c != A32_UNPRIV_LS)
            total += n - st->by[c][HOW_KEPT];
    }
    fprintf(f, "  patched: %u instructions (PV SVC %u, SRFA %u, NOP %u, FIT %u, shim %u); kept: %u "
            "(trap anyway, or reported)\n", total - tot[HOW_REFUSED], tot[HOW_PV], tot[HOW_SRFA],
            tot[HOW_NOP], tot[HOW_FIT], tot[HOW_SHIM], tot[HOW_KEPT]);
    if (ta && ta->used)
        fprintf(f, "  trampolines: %u (%u bytes) at 0x%08x in %s\n", st->tramps, ta->used, ta->addr,
                ta->sec >= 0 ? "the reserved section .pvtramp" : "a new section .pvtramp and PT_LOAD segment");
    else
        fprintf(f, "  trampolines: none\n");
    if (o->rw.ret_user)
        fprintf(f, "  return-to-user sequences (--ret-user): %u; vector stubs (with --srfa): %u\n",
                st->ret_user, st->stubs);
    if (st->in_skip_range)
        fprintf(f, "  %u rewrites kept in place (PV SVC) instead of a trampoline inside --skip-range\n",
                st->in_skip_range);
    if (st->by[A32_MRS][HOW_SRFA] && !o->rw.srfa_mrs_exact)
        fprintf(f, "  note: MRS CPSR through the SRFA page returns the condition flags of the last "
                "trap (--srfa-mrs=exact merges the live ones)\n");
    if (st->refused)
        fprintf(f, "  REFUSED: %u instructions (see the errors above); no output written\n", st->refused);
}

void pvp_report_verify(FILE *f, const struct image *im, const struct pvp_stats *st)
{
    unsigned left = 0, pv = 0;

    report_code(f, im, st);
    for (unsigned c = 0; c < A32_NCLASSES; c++)
        left += st->left[c];
    fprintf(f, "  sensitive instructions left: %u", left + st->thumb_left + st->pv_bad);
    for (unsigned c = 0; c < A32_NCLASSES; c++)
        if (st->left[c])
            fprintf(f, ", %s %u", a32_class_name((enum a32_class)c), st->left[c]);
    if (st->thumb_left)
        fprintf(f, ", Thumb %u", st->thumb_left);
    if (st->pv_bad)
        fprintf(f, ", reserved PV SVC %u", st->pv_bad);
    fputc('\n', f);
    fprintf(f, "  PV SVCs present:");
    for (unsigned c = 0; c < PV_NCLASSES; c++)
        if (st->pv[c] && c != PV_C_INVALID) {
            fprintf(f, " %s %u,", pv_class_names[c], st->pv[c]);
            pv += st->pv[c];
        }
    fprintf(f, " total %u\n", pv);
    if (st->tramp_flag_ops)
        fprintf(f, "  flags-only MRS/MSR APSR in .pvtramp (allowed): %u\n", st->tramp_flag_ops);
}
