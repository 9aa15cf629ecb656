/*
 * pvpatch command line (docs/pvpatch.md).
 *   pvpatch [options] IN.elf -o OUT.elf
 *   pvpatch --verify [options] FILE.elf
 *   pvpatch --verify RAW.bin --symbols FILE.elf|NM.txt --load-addr ADDR
 * Exit status: 0 success / clean, 1 refused / sensitive instructions left,
 * 2 usage or input errors.
 */
#include "pvpatch.h"
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: pvpatch [options] IN.elf -o OUT.elf\n"
          "       pvpatch --verify [options] FILE.elf\n"
          "       pvpatch --verify RAW.bin --symbols FILE.elf|NM-OUTPUT --load-addr ADDR\n"
          "Rewrites every sensitive non-trapping ARM instruction into its PV ABI SVC.\n"
          "  -o FILE                 output ELF\n"
          "  --nop-tlb               TLB and branch predictor maintenance -> NOP\n"
          "  --fit                   mirrored CP15 MRC -> FIT_LOAD, cache maintenance by VA -> FIT_CACHE\n"
          "  --srfa                  CPSID/CPSIE, MRS, mirrored MRC through the SRFA page (trampolines)\n"
          "  --srfa-msr              with --srfa: MSR CPSR_c, Rn keeping the mode too (its trampoline\n"
          "                          pushes on the current stack: every mode that runs it needs one)\n"
          "  --srfa-stm              with --srfa: STM Rn, {SP, LR}^ too (pushes on the current stack)\n"
          "  --srfa-mrs=exact|snapshot  MRS CPSR via SRFA: merge the live flags (exact) or not\n"
          "  --semihosting-exit      SVC #0x123456 SYS_EXIT(_EXTENDED) -> HC_EXIT (trampoline)\n"
          "  --psci                  HVC #0 and SMC #0 (SMCCC/PSCI conduits) -> PV_HVC(HC_PSCI)\n"
          "  --ret-user              Linux's return-to-user sequence (MSR SPSR, LDM ^, MOVS PC)\n"
          "                          -> one PV_RET_USER\n"
          "  --skip-section NAME     leave a section alone (repeatable)\n"
          "  --skip-range A:B        code copied elsewhere at run time: in-place rewrites only\n"
          "                          (A, B: addresses or symbols; repeatable; Linux's vector\n"
          "                          stubs are found by their symbols)\n"
          "  --exempt-range A:B      leave [A, B) alone (repeatable)\n"
          "  --thumb=refuse|scan     Thumb code: refuse (default), or accept it when it holds no\n"
          "                          system instruction\n"
          "  --tramp-addr ADDR|SYM   where a new trampoline segment goes (default: above all\n"
          "                          PT_LOAD segments; a .pvtramp section in the input is used first)\n"
          "  --verify                check that no sensitive instruction is left\n"
          "  --symbols FILE --load-addr ADDR   symbols and address of a raw image (--verify)\n"
          "  --report                print the report (always printed; kept for scripts)\n"
          "  -q, --quiet             no report\n", f);
}

enum { O_NOP_TLB = 256, O_FIT, O_SRFA, O_SRFA_MRS, O_SEMI, O_PSCI, O_RET_USER, O_SRFA_MSR, O_SRFA_STM, O_SKIP_SEC, O_SKIP_RANGE, O_EXEMPT,
       O_THUMB, O_TRAMP, O_VERIFY, O_SYMBOLS, O_LOAD, O_REPORT };

struct cli {
    struct pvp_opts o;
    const char *in, *out, *symbols, *load_addr, *tramp_addr;
    const char **skip_ranges, **exempt_ranges;
    unsigned nskip_ranges, nexempt_ranges;
    bool verify, quiet;
};

static void push(const char ***v, unsigned *n, const char *s)
{
    *v = realloc(*v, (*n + 1) * sizeof(**v));
    if (!*v)
        exit(2);
    (*v)[(*n)++] = s;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
    static const struct option lo[] = {
        { "nop-tlb", no_argument, 0, O_NOP_TLB }, { "fit", no_argument, 0, O_FIT },
        { "srfa", no_argument, 0, O_SRFA }, { "srfa-mrs", required_argument, 0, O_SRFA_MRS },
        { "semihosting-exit", no_argument, 0, O_SEMI },
        { "psci", no_argument, 0, O_PSCI }, { "ret-user", no_argument, 0, O_RET_USER },
        { "srfa-msr", no_argument, 0, O_SRFA_MSR }, { "srfa-stm", no_argument, 0, O_SRFA_STM },
        { "skip-section", required_argument, 0, O_SKIP_SEC },
        { "skip-range", required_argument, 0, O_SKIP_RANGE },
        { "exempt-range", required_argument, 0, O_EXEMPT },
        { "thumb", required_argument, 0, O_THUMB }, { "tramp-addr", required_argument, 0, O_TRAMP },
        { "verify", no_argument, 0, O_VERIFY }, { "symbols", required_argument, 0, O_SYMBOLS },
        { "load-addr", required_argument, 0, O_LOAD }, { "report", no_argument, 0, O_REPORT },
        { "quiet", no_argument, 0, 'q' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    int ch;

    while ((ch = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        switch (ch) {
        case 'o': c->out = optarg; break;
        case 'q': c->quiet = true; break;
        case 'h': usage(stdout); exit(0);
        case O_NOP_TLB: c->o.rw.nop_tlb = true; break;
        case O_FIT: c->o.rw.fit = true; break;
        case O_SRFA: c->o.rw.srfa = true; break;
        case O_SRFA_MRS:
            if (strcmp(optarg, "exact") && strcmp(optarg, "snapshot"))
                return -1;
            c->o.rw.srfa_mrs_exact = !strcmp(optarg, "exact");
            break;
        case O_SEMI: c->o.rw.semihost = true; break;
        case O_PSCI: c->o.rw.psci = true; break;
        case O_RET_USER: c->o.rw.ret_user = true; break;
        case O_SRFA_MSR: c->o.rw.srfa_msr = true; break;
        case O_SRFA_STM: c->o.rw.srfa_stm = true; break;
        case O_SKIP_SEC: push(&c->o.skip_sections.v, &c->o.skip_sections.n, optarg); break;
        case O_SKIP_RANGE: push(&c->skip_ranges, &c->nskip_ranges, optarg); break;
        case O_EXEMPT: push(&c->exempt_ranges, &c->nexempt_ranges, optarg); break;
        case O_THUMB:
            if (strcmp(optarg, "refuse") && strcmp(optarg, "scan"))
                return -1;
            c->o.thumb = strcmp(optarg, "scan") ? THUMB_REFUSE : THUMB_SCAN;
            break;
        case O_TRAMP: c->tramp_addr = optarg; break;
        case O_VERIFY: c->verify = true; break;
        case O_SYMBOLS: c->symbols = optarg; break;
        case O_LOAD: c->load_addr = optarg; break;
        case O_REPORT: c->quiet = false; break;
        default: return -1;
        }
    }
    if (optind != argc - 1)
        return -1;
    c->in = argv[optind];
    if (c->verify ? c->out != NULL : c->out == NULL)
        return -1;
    if ((c->symbols || c->load_addr) && (!c->verify || !c->symbols || !c->load_addr))
        return -1;
    return 0;
}

/* Room for what auto_ranges() adds: 2 symbol pairs and a few sections. */
#define AUTO_RANGES_MAX 8

static int add_ranges(const struct image *im, const char **specs, unsigned n, struct range_list *l)
{
    l->v = calloc(n + AUTO_RANGES_MAX, sizeof(*l->v));
    if (!l->v)
        exit(2);
    for (unsigned i = 0; i < n; i++)
        if (pvp_parse_range(im, specs[i], &l->v[l->n++])) {
            pvp_error(im->path, "bad range '%s' (expected START:END, addresses or symbols of the "
                      "image, START <= END)", specs[i]);
            return -1;
        }
    return 0;
}

/* Linux copies its vector page and stubs at run time (arch/arm/kernel/traps.c
 * early_trap_init): only in-place rewrites there.  The symbols give where the
 * code is stored (its load address); the sections .vectors and .stubs give
 * the addresses it is linked to run at (0xffff0000, 0xffff1000), which is
 * where pvpatch sees their instructions: both kinds of range are added. */
static void auto_ranges(const struct image *im, struct range_list *l)
{
    static const char *const pairs[][2] = {
        { "__vectors_start", "__vectors_end" }, { "__stubs_start", "__stubs_end" },
    };
    static const char *const specs[] = { "__vectors_start:__vectors_end (auto)",
                                         "__stubs_start:__stubs_end (auto)" };
    unsigned added = 0;

    /* .vectors, .vectors.bhb.* (the Spectre-BHB variants) and .stubs */
    for (unsigned k = 0; k < im->nsecs && added < AUTO_RANGES_MAX - 2; k++) {
        const struct section *s = &im->secs[k];
        if (!s->name || !s->size || !s->exec ||
            (strcmp(s->name, ".stubs") && strncmp(s->name, ".vectors", 8)))
            continue;
        l->v[l->n++] = (struct range){ .lo = s->addr, .hi = s->addr + s->size,
                                       .spec = s->name };
        added++;
    }
    for (unsigned i = 0; i < 2; i++) {
        struct range r = { .spec = specs[i] };
        if (image_symbol(im, pairs[i][0], &r.lo) && image_symbol(im, pairs[i][1], &r.hi) && r.lo <= r.hi)
            l->v[l->n++] = r;
    }
}

static int do_verify(struct cli *c, struct image *im)
{
    struct pvp_stats st;
    uint32_t load = 0;
    char *end;
    unsigned bad;

    if (c->symbols) {
        unsigned long long v = strtoull(c->load_addr, &end, 0);
        if (*end || v > UINT32_MAX) {
            fprintf(stderr, "pvpatch: bad --load-addr '%s'\n", c->load_addr);
            return 2;
        }
        load = (uint32_t)v;
        if (image_load_raw(im, c->in, c->symbols, load, &c->o.skip_sections))
            return 2;
    } else if (image_load_elf(im, c->in, &c->o.skip_sections)) {
        return 2;
    }
    if (add_ranges(im, c->exempt_ranges, c->nexempt_ranges, &c->o.exempt_ranges))
        return 2;
    bad = pvp_verify(im, &c->o, stdout, &st);
    printf("pvpatch --verify %s:\n", c->in);
    pvp_report_verify(stdout, im, &st);
    printf("verify: %s\n", bad ? "FAILED, sensitive instructions left (listed above)" : "clean");
    return bad ? 1 : 0;
}

static int do_patch(struct cli *c, struct image *im)
{
    struct pvp_stats st, post;
    struct tramp_area ta;
    uint32_t taddr = 0;
    unsigned left;

    if (image_load_elf(im, c->in, &c->o.skip_sections))
        return 2;
    if (add_ranges(im, c->skip_ranges, c->nskip_ranges, &c->o.skip_ranges) ||
        add_ranges(im, c->exempt_ranges, c->nexempt_ranges, &c->o.exempt_ranges))
        return 2;
    auto_ranges(im, &c->o.skip_ranges);
    if (c->tramp_addr) {
        char *end;
        unsigned long long v = strtoull(c->tramp_addr, &end, 0);
        if (*end || v > UINT32_MAX) {
            if (!image_symbol(im, c->tramp_addr, &taddr)) {
                pvp_error(im->path, "--tramp-addr '%s': no such symbol", c->tramp_addr);
                return 2;
            }
        } else {
            taddr = (uint32_t)v;
        }
    }
    if (image_tramp_area(im, c->tramp_addr != NULL, taddr, &ta))
        return 2;
    if (pvp_patch(im, &c->o, &ta, &st)) {
        printf("pvpatch %s: REFUSED\n", c->in);
        pvp_report_patch(stdout, im, &c->o, &ta, &st);
        free(ta.bytes);
        return 1;
    }
    /* belt and braces: nothing sensitive may be left in what we patched */
    left = pvp_verify(im, &c->o, stderr, &post);
    if (left) {
        pvp_error(im->path, "internal error: %u sensitive instructions left after patching", left);
        free(ta.bytes);
        return 1;
    }
    if (image_write(im, &ta, c->out)) {
        free(ta.bytes);
        return 2;
    }
    if (!c->quiet) {
        printf("pvpatch %s -> %s\n", c->in, c->out);
        pvp_report_patch(stdout, im, &c->o, &ta, &st);
    }
    free(ta.bytes);
    return 0;
}

int main(int argc, char **argv)
{
    struct cli c = { 0 };
    struct image im = { 0 };
    int rc;

    if (parse_args(argc, argv, &c)) {
        usage(stderr);
        return 2;
    }
    rc = c.verify ? do_verify(&c, &im) : do_patch(&c, &im);
    image_free(&im);
    free(c.o.skip_ranges.v);
    free(c.o.exempt_ranges.v);
    free(c.o.skip_sections.v);
    free(c.skip_ranges);
    free(c.exempt_ranges);
    return rc;
}
