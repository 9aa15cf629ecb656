/*
 * pvpatch: the binary paravirtualizer (docs/pvpatch.md).  The library part:
 * patching and verifying a loaded image; main.c is the command line.
 */
#ifndef PVPATCH_PVPATCH_H
#define PVPATCH_PVPATCH_H

#include <stdio.h>
#include "image.h"
#include "rewrite.h"

struct range {
    uint32_t lo, hi;            /* [lo, hi) */
    const char *spec;           /* as given ("__vectors_start:__stubs_end") */
};

struct range_list {
    struct range *v;
    unsigned n;
};

enum thumb_policy { THUMB_REFUSE, THUMB_SCAN };

struct pvp_opts {
    struct rw_opts rw;
    struct name_list skip_sections;
    struct range_list skip_ranges;      /* in-place rewrites only */
    struct range_list exempt_ranges;    /* not looked at */
    enum thumb_policy thumb;
    bool have_tramp_addr;
    uint32_t tramp_addr;
};

struct pvp_stats {
    unsigned by[A32_NCLASSES][HOW_N];
    unsigned arm_regions, thumb_regions;
    uint64_t arm_bytes, thumb_bytes;
    unsigned refused;                   /* errors: nothing is written */
    unsigned tramps;
    unsigned in_skip_range;             /* rewrites kept in place by --skip-range */
    unsigned ret_user;                  /* --ret-user: sequences rewritten */
    unsigned stubs;                     /* --ret-user --srfa: vector stubs rewritten */
    /* verify */
    unsigned left[A32_NCLASSES];        /* sensitive instructions still there */
    unsigned thumb_left;
    unsigned pv[32];                    /* PV SVCs present, by enum pv_class */
    unsigned pv_bad;                    /* SVCs with a reserved PV encoding */
    unsigned tramp_flag_ops;            /* flags-only MRS/MSR APSR in .pvtramp */
};

/* --ret-user (pvpatch.c): whether the PVP_RU_WORDS words at p (left bytes
 * available) are Linux's return-to-user sequence, and the rewrite. */
#define PVP_RU_WORDS 11
bool pvp_ret_user_site(const uint8_t *p, uint32_t left, bool *keep_r0);
void pvp_ret_user_patch(uint8_t *p, bool keep_r0);
/* ... and Linux's exception vector stubs (x: the mode bits their EOR flips). */
#define PVP_STUB_WORDS 9
bool pvp_stub_site(const uint8_t *p, uint32_t left, uint32_t *x);
void pvp_stub_patch(uint8_t *p, uint32_t x);

/* Resolve "A:B" (numbers or symbols of the image) into a range. */
int pvp_parse_range(const struct image *im, const char *spec, struct range *out);

/* Patch im->buf in place; trampolines go to *ta.  Returns the number of
 * refusals (0 = success); every refusal is printed to stderr. */
unsigned pvp_patch(struct image *im, const struct pvp_opts *o, struct tramp_area *ta,
                   struct pvp_stats *st);

/* Scan for sensitive encodings left; prints each to `out`.  Returns the
 * number found (0 = clean). */
unsigned pvp_verify(const struct image *im, const struct pvp_opts *o, FILE *out,
                    struct pvp_stats *st);

void pvp_report_patch(FILE *f, const struct image *im, const struct pvp_opts *o,
                      const struct tramp_area *ta, const struct pvp_stats *st);
void pvp_report_verify(FILE *f, const struct image *im, const struct pvp_stats *st);

#endif
