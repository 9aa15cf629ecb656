/*
 * The guest image pvpatch works on: an ARM ELF executable read with libelf
 * (or a raw binary plus a symbol file, for --verify), cut into code and data
 * regions by the ELF mapping symbols (AAELF "Mapping symbols": $a ARM code,
 * $t Thumb code, $d data, optionally followed by ".<anything>").
 *
 * The file bytes are kept in `buf` and patched in place; everything the
 * input holds is written back unchanged except the patched words (and, when
 * trampolines need one, an appended section and segment; image_write()).
 */
#ifndef PVPATCH_IMAGE_H
#define PVPATCH_IMAGE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum region_kind { RK_ARM, RK_THUMB, RK_DATA };

struct section {
    char *name;
    uint32_t addr, size, off, flags, type;
    bool exec;          /* SHF_ALLOC | SHF_EXECINSTR with bytes in the file */
    bool skip;          /* --skip-section */
};

struct region {
    uint32_t addr, size;
    enum region_kind kind;
    int sec;            /* index into image.secs, -1 for raw images */
    uint8_t *bytes;     /* into image.buf */
};

struct symbol {
    char *name;
    uint32_t value;
    bool code;          /* FUNC or NOTYPE symbol in an executable section */
};

struct image {
    const char *path;
    uint8_t *buf;
    size_t size;
    bool raw;
    struct section *secs;
    unsigned nsecs;
    struct region *regs;
    unsigned nregs;
    struct symbol *syms;        /* sorted by value */
    unsigned nsyms;
    unsigned nmap;              /* mapping symbols seen */
};

/* Names of sections to leave alone entirely (--skip-section). */
struct name_list {
    const char **v;
    unsigned n;
};

/* All return 0, or -1 after printing "pvpatch: FILE: error: ..." to stderr. */
int image_load_elf(struct image *im, const char *path, const struct name_list *skip);
int image_load_raw(struct image *im, const char *path, const char *symfile, uint32_t load_addr,
                   const struct name_list *skip);
void image_free(struct image *im);

/* Value of a symbol (first match), false if absent. */
bool image_symbol(const struct image *im, const char *name, uint32_t *value);
/* "name+0x12" for an address, into buf. */
const char *image_where(const struct image *im, uint32_t addr, char *buf, size_t n);

/* Where trampolines go (image_tramp_area) and how they are written out. */
struct tramp_area {
    uint32_t addr;              /* virtual address of the first byte */
    uint32_t cap;               /* bytes available (UINT32_MAX: grows) */
    int sec;                    /* reserved section used, or -1: new section + PT_LOAD */
    uint8_t *bytes;             /* the trampolines (cap or grown) */
    uint32_t used;
};
/* Chooses the area: a reserved ".pvtramp" section if the image has one, else
 * `addr` (want_addr, if set) or the first 4 KiB boundary above every PT_LOAD. */
int image_tramp_area(const struct image *im, bool have_addr, uint32_t want_addr, struct tramp_area *ta);

/* Writes the (patched) image; with ta->used > 0 and no reserved section,
 * appends section ".pvtramp" and a PT_LOAD segment for it. */
int image_write(const struct image *im, const struct tramp_area *ta, const char *out);

/* Where errors and warnings go (NULL: stderr). */
extern FILE *pvp_diag;
void pvp_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
