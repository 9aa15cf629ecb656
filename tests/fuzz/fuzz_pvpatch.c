/*
 * tools/pvpatch on malformed ELF input: the loader (libelf + pvpatch's own
 * header, section, segment and mapping-symbol checks), the patcher with the
 * option set taken from the first input byte, the verifier and the writer.
 *
 * Invariants: nothing crashes or reads out of bounds (ASan, UBSan) on any
 * input; an image pvpatch accepted and patched is written, loads again and
 * verifies clean (no sensitive instruction left), as `pvpatch` promises
 * (docs/pvpatch.md).
 */
#include "fuzz.h"
#include <unistd.h>
#include "../../tools/pvpatch/pvpatch.h"

static char in_path[64], out_path[64];
static FILE *devnull;

static int write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (n && fwrite(p, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image im, back;
    struct pvp_opts o;
    struct pvp_stats st;
    struct tramp_area ta = { 0 };
    uint8_t opt = size ? data[0] : 0;
    unsigned left;

    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        snprintf(in_path, sizeof in_path, "/tmp/fuzz-pvpatch.%d.in", (int)getpid());
        snprintf(out_path, sizeof out_path, "/tmp/fuzz-pvpatch.%d.out", (int)getpid());
    }
    pvp_diag = devnull;
    if (size < 1 || write_file(in_path, data + 1, size - 1))
        return 0;
    memset(&o, 0, sizeof(o));
    o.rw.nop_tlb = opt & 1;
    o.rw.fit = opt & 2;
    o.rw.srfa = opt & 4;
    o.rw.srfa_mrs_exact = opt & 8;
    o.rw.semihost = opt & 16;
    o.thumb = opt & 32 ? THUMB_SCAN : THUMB_REFUSE;
    if (image_load_elf(&im, in_path, &o.skip_sections))
        goto out;
    (void)pvp_verify(&im, &o, devnull, &st);
    if (image_tramp_area(&im, false, 0, &ta) || pvp_patch(&im, &o, &ta, &st))
        goto out;
    left = pvp_verify(&im, &o, devnull, &st);
    FUZZ_CHECK(left == 0, "%u sensitive instructions left after patching", left);
    if (image_write(&im, &ta, out_path))
        goto out;
    FUZZ_CHECK(image_load_elf(&back, out_path, &o.skip_sections) == 0,
               "pvpatch's own output does not load");
    left = pvp_verify(&back, &o, devnull, &st);
    FUZZ_CHECK(left == 0, "%u sensitive instructions in the written output", left);
    image_free(&back);
out:
    free(ta.bytes);
    image_free(&im);
    return 0;
}
