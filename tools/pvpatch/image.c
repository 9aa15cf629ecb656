/*
 * Reading guest images (libelf) and writing the patched ELF (see image.h).
 *
 * Every offset and size taken from the file is checked against the file's
 * size before it is used, so that truncated or corrupt inputs give an error
 * message, never a crash.
 */
#include "image.h"
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRAMP_SECTION ".pvtramp"

FILE *pvp_diag;

void pvp_error(const char *file, const char *fmt, ...)
{
    FILE *f = pvp_diag ? pvp_diag : stderr;
    va_list ap;

    fprintf(f, "pvpatch: %s: error: ", file);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) {
        fprintf(stderr, "pvpatch: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = xcalloc(strlen(s) + 1, 1);
    return memcpy(d, s, strlen(s) + 1);
}

static int read_file(const char *path, uint8_t **buf, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f) {
        pvp_error(path, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        pvp_error(path, "cannot read: %s", strerror(errno));
        fclose(f);
        return -1;
    }
    *buf = xcalloc((size_t)n + 1, 1);
    *size = (size_t)n;
    if (fread(*buf, 1, (size_t)n, f) != (size_t)n) {
        pvp_error(path, "cannot read: %s", strerror(errno));
        fclose(f);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    fclose(f);
    return 0;
}

/* ---- mapping symbols ---------------------------------------------------- */

struct msym {
    uint32_t addr;
    char kind;          /* 'a', 't', 'd' */
    unsigned order;     /* symbol table order, for a stable sort */
    int sec;
};

static int mapping_kind(const char *name)
{
    if (name[0] != '$' || !strchr("atd", name[1]) || !name[1] || (name[2] && name[2] != '.'))
        return 0;
    return name[1];
}

static int cmp_msym(const void *a, const void *b)
{
    const struct msym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_sym(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    return x->value < y->value ? -1 : x->value > y->value;
}

static enum region_kind kind_of(char k)
{
    return k == 'a' ? RK_ARM : k == 't' ? RK_THUMB : RK_DATA;
}

static void add_region(struct image *im, unsigned *cap, uint32_t addr, uint32_t size,
                       enum region_kind kind, int sec, uint8_t *bytes)
{
    if (!size)
        return;
    if (im->nregs == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        im->regs = realloc(im->regs, *cap * sizeof(*im->regs));
        if (!im->regs) {
            fprintf(stderr, "pvpatch: out of memory\n");
            exit(2);
        }
    }
    im->regs[im->nregs++] = (struct region){ addr, size, kind, sec, bytes };
}

/* Cut executable section `s` into regions by the sorted mapping symbols. */
static int section_regions(struct image *im, unsigned *cap, int s, const struct msym *m, unsigned n)
{
    const struct section *sec = &im->secs[s];
    uint32_t end = sec->addr + sec->size;
    unsigned k = 0;

    while (k < n && m[k].sec != s)
        k++;
    if (k == n && !strcmp(sec->name, TRAMP_SECTION)) {
        /* pvpatch's own output: ARM code only, written without mapping symbols */
        add_region(im, cap, sec->addr, sec->size, RK_ARM, s, im->buf + sec->off);
        return 0;
    }
    if (k == n) {
        pvp_error(im->path, "executable section %s (0x%08x-0x%08x) has no mapping symbol ($a, $t, "
                  "$d): cannot tell its code from its data", sec->name, sec->addr, end);
        return -1;
    }
    if (m[k].addr > sec->addr) {
        pvp_error(im->path, "section %s: bytes 0x%08x-0x%08x come before its first mapping symbol",
                  sec->name, sec->addr, m[k].addr);
        return -1;
    }
    for (; k < n && m[k].sec == s; k++) {
        uint32_t a = m[k].addr, b = end;
        bool more = k + 1 < n && m[k + 1].sec == s;

        if (a < sec->addr || a >= end || (more && m[k + 1].addr == a))
            continue;           /* outside, or several at one address: the last one counts */
        if (more && m[k + 1].addr < end)
            b = m[k + 1].addr;
        add_region(im, cap, a, b - a, kind_of(m[k].kind), s, im->buf + sec->off + (a - sec->addr));
    }
    return 0;
}

/* ---- ELF ---------------------------------------------------------------- */

static int check_header(struct image *im, Elf *e)
{
    const char *id;
    GElf_Ehdr eh;

    if (elf_kind(e) != ELF_K_ELF) {
        pvp_error(im->path, "not an ELF file");
        return -1;
    }
    id = elf_getident(e, NULL);
    if (!id || id[EI_CLASS] != ELFCLASS32) {
        pvp_error(im->path, "not a 32-bit ELF file (ARMv7 guests are ELF32)");
        return -1;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        pvp_error(im->path, "big-endian ELF file: only little-endian ARM images are supported");
        return -1;
    }
    if (!gelf_getehdr(e, &eh)) {
        pvp_error(im->path, "bad ELF header: %s", elf_errmsg(-1));
        return -1;
    }
    if (eh.e_machine != EM_ARM) {
        pvp_error(im->path, "not an ARM ELF file (e_machine %u, ARM is %u)", eh.e_machine, EM_ARM);
        return -1;
    }
    if (eh.e_type != ET_EXEC) {
        pvp_error(im->path, "not an executable (e_type %u, expected ET_EXEC)", eh.e_type);
        return -1;
    }
    if (eh.e_shoff == 0) {
        pvp_error(im->path, "no section headers: the code cannot be found (mapping symbols)");
        return -1;
    }
    if (eh.e_shoff > im->size || (uint64_t)eh.e_shnum * eh.e_shentsize > im->size - eh.e_shoff) {
        pvp_error(im->path, "the section header table (offset 0x%llx, %u entries) reaches beyond the "
                  "end of the file (0x%zx bytes): truncated?", (unsigned long long)eh.e_shoff,
                  eh.e_shnum, im->size);
        return -1;
    }
    if (eh.e_phoff > im->size || (uint64_t)eh.e_phnum * eh.e_phentsize > im->size - eh.e_phoff) {
        pvp_error(im->path, "the program header table (offset 0x%llx, %u entries) reaches beyond the "
                  "end of the file (0x%zx bytes): truncated?", (unsigned long long)eh.e_phoff,
                  eh.e_phnum, im->size);
        return -1;
    }
    if (eh.e_flags & EF_ARM_BE8) {
        pvp_error(im->path, "BE8 image (big-endian data): only little-endian guests are supported");
        return -1;
    }
    return 0;
}

static bool in_list(const struct name_list *l, const char *name)
{
    for (unsigned i = 0; l && i < l->n; i++)
        if (!strcmp(l->v[i], name))
            return true;
    return false;
}

/* A plain string table: the writer appends ".pvtramp" to its raw bytes,
 * which only reads back if libelf does not decompress them. */
static bool section_is_strtab(Elf *e, size_t idx)
{
    Elf_Scn *scn = elf_getscn(e, idx);
    GElf_Shdr sh;

    return scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_STRTAB &&
           !(sh.sh_flags & SHF_COMPRESSED);
}

static int read_sections(struct image *im, Elf *e, const struct name_list *skip, Elf_Scn **symscn)
{
    size_t n, shstr;

    if (elf_getshdrnum(e, &n) || elf_getshdrstrndx(e, &shstr)) {
        pvp_error(im->path, "cannot read the section headers: %s", elf_errmsg(-1));
        return -1;
    }
    if (!section_is_strtab(e, shstr)) {
        /* its names could not be read, and a written output (which adds
         * .pvtramp to it) could not be read back */
        pvp_error(im->path, "the section name table (section %zu) is not a plain string table",
                  shstr);
        return -1;
    }
    im->secs = xcalloc(n, sizeof(*im->secs));
    im->nsecs = (unsigned)n;
    *symscn = NULL;
    for (size_t i = 0; i < n; i++) {
        Elf_Scn *scn = elf_getscn(e, i);
        GElf_Shdr sh;
        const char *name;
        struct section *s = &im->secs[i];

        if (!scn || !gelf_getshdr(scn, &sh)) {
            pvp_error(im->path, "bad section header %zu: %s", i, elf_errmsg(-1));
            return -1;
        }
        name = elf_strptr(e, shstr, sh.sh_name);
        s->name = xstrdup(name ? name : "?");
        s->addr = (uint32_t)sh.sh_addr;
        s->size = (uint32_t)sh.sh_size;
        s->off = (uint32_t)sh.sh_offset;
        s->flags = (uint32_t)sh.sh_flags;
        s->type = sh.sh_type;
        if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
            (sh.sh_offset > im->size || sh.sh_size > im->size - sh.sh_offset)) {
            pvp_error(im->path, "section %zu (%s): offset 0x%llx size 0x%llx reaches beyond the end "
                      "of the file (0x%zx bytes)", i, s->name, (unsigned long long)sh.sh_offset,
                      (unsigned long long)sh.sh_size, im->size);
            return -1;
        }
        s->exec = sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_ALLOC) &&
                  (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size > 0;
        s->skip = in_list(skip, s->name);
        if (s->exec && (uint64_t)s->addr + s->size > UINT32_MAX + 1ull) {
            pvp_error(im->path, "section %s wraps around the 32-bit address space", s->name);
            return -1;
        }
        if (sh.sh_type == SHT_SYMTAB)
            *symscn = scn;
    }
    return 0;
}

static int read_symbols(struct image *im, Elf *e, Elf_Scn *symscn, struct msym **out, unsigned *nout)
{
    GElf_Shdr sh;
    Elf_Data *d;
    size_t count;
    struct msym *m;
    unsigned nm = 0;

    if (!symscn) {
        pvp_error(im->path, "no symbol table: the mapping symbols ($a, $t, $d) that tell code from "
                  "data are missing (was the image stripped?)");
        return -1;
    }
    gelf_getshdr(symscn, &sh);
    d = elf_getdata(symscn, NULL);
    if (!d || sh.sh_entsize != sizeof(Elf32_Sym) || sh.sh_link >= im->nsecs ||
        im->secs[sh.sh_link].type != SHT_STRTAB) {
        pvp_error(im->path, "bad symbol table: %s", d ? "wrong entry size or string table" : elf_errmsg(-1));
        return -1;
    }
    count = d->d_size / sizeof(Elf32_Sym);
    m = xcalloc(count, sizeof(*m));
    im->syms = xcalloc(count, sizeof(*im->syms));
    for (size_t i = 1; i < count; i++) {
        GElf_Sym sym;
        const char *name;
        int k;

        if (!gelf_getsym(d, (int)i, &sym))
            continue;
        name = elf_strptr(e, sh.sh_link, sym.st_name);
        if (!name || !*name)
            continue;
        k = mapping_kind(name);
        if (k && sym.st_shndx > 0 && sym.st_shndx < im->nsecs) {
            m[nm++] = (struct msym){ (uint32_t)sym.st_value, (char)k, (unsigned)i, sym.st_shndx };
            continue;
        }
        if (k || GELF_ST_TYPE(sym.st_info) == STT_SECTION || GELF_ST_TYPE(sym.st_info) == STT_FILE)
            continue;
        im->syms[im->nsyms++] = (struct symbol){
            xstrdup(name), (uint32_t)sym.st_value & (GELF_ST_TYPE(sym.st_info) == STT_FUNC ? ~1u : ~0u),
            sym.st_shndx > 0 && sym.st_shndx < im->nsecs && im->secs[sym.st_shndx].exec };
    }
    qsort(im->syms, im->nsyms, sizeof(*im->syms), cmp_sym);
    *out = m;
    *nout = nm;
    im->nmap = nm;
    return 0;
}

static int cmp_msym_sec(const void *a, const void *b)
{
    const struct msym *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    return cmp_msym(a, b);
}

static int build_regions(struct image *im, struct msym *m, unsigned nm)
{
    unsigned cap = 0, code_secs = 0;

    qsort(m, nm, sizeof(*m), cmp_msym_sec);
    for (unsigned s = 0; s < im->nsecs; s++) {
        if (!im->secs[s].exec || im->secs[s].skip)
            continue;
        code_secs++;
        if (section_regions(im, &cap, (int)s, m, nm))
            return -1;
    }
    if (!code_secs && !im->nsecs) {
        pvp_error(im->path, "no section headers: cannot find the code");
        return -1;
    }
    return 0;
}

int image_load_elf(struct image *im, const char *path, const struct name_list *skip)
{
    uint8_t *copy;
    Elf *e;
    Elf_Scn *symscn;
    struct msym *m = NULL;
    unsigned nm = 0;
    int rc = -1;

    memset(im, 0, sizeof(*im));
    im->path = path;
    if (read_file(path, &im->buf, &im->size))
        return -1;
    if (im->size < sizeof(Elf32_Ehdr)) {
        pvp_error(path, "%zu bytes: too small for an ELF header (truncated?)", im->size);
        return -1;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        pvp_error(path, "libelf: %s", elf_errmsg(-1));
        return -1;
    }
    copy = xcalloc(im->size + 1, 1);            /* libelf reads its own copy */
    memcpy(copy, im->buf, im->size);
    e = elf_memory((char *)copy, im->size);
    if (!e)
        pvp_error(path, "libelf: %s", elf_errmsg(-1));
    else if (!check_header(im, e) && !read_sections(im, e, skip, &symscn) &&
             !read_symbols(im, e, symscn, &m, &nm) && !build_regions(im, m, nm))
        rc = 0;
    if (e)
        elf_end(e);
    free(copy);
    free(m);
    return rc;
}

/* ---- raw images (--verify RAW --symbols FILE --load-addr ADDR) ----------- */

static bool is_elf(const char *path)
{
    uint8_t mag[4] = { 0 };
    FILE *f = fopen(path, "rb");
    bool r = f && fread(mag, 1, 4, f) == 4 && !memcmp(mag, ELFMAG, 4);
    if (f)
        fclose(f);
    return r;
}

/* `nm --special-syms` output (or any "ADDR TYPE NAME" lines). */
static int raw_regions_nm(struct image *im, const char *symfile, uint32_t load)
{
    FILE *f = fopen(symfile, "r");
    char line[1024], name[900], t;
    unsigned long long a;
    struct msym *m = NULL;
    unsigned nm = 0, mcap = 0, scap = 0, cap = 0;
    uint64_t end = (uint64_t)load + im->size;

    if (!f) {
        pvp_error(symfile, "cannot open: %s", strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        int k;
        if (sscanf(line, "%llx %c %899s", &a, &t, name) != 3)
            continue;
        k = mapping_kind(name);
        if (k) {
            if (nm == mcap && !(m = realloc(m, (mcap = mcap ? 2 * mcap : 256) * sizeof(*m))))
                exit(2);
            m[nm] = (struct msym){ (uint32_t)a, (char)k, nm, 0 };
            nm++;
        } else {
            if (im->nsyms == scap &&
                !(im->syms = realloc(im->syms, (scap = scap ? 2 * scap : 256) * sizeof(*im->syms))))
                exit(2);
            im->syms[im->nsyms++] = (struct symbol){ xstrdup(name), (uint32_t)a, t == 't' || t == 'T' };
        }
    }
    fclose(f);
    qsort(im->syms, im->nsyms, sizeof(*im->syms), cmp_sym);
    im->nmap = nm;
    if (!nm) {
        pvp_error(symfile, "no mapping symbols ($a, $t, $d) in this symbol list (use nm --special-syms)");
        free(m);
        return -1;
    }
    qsort(m, nm, sizeof(*m), cmp_msym);
    for (unsigned k = 0; k < nm; k++) {
        uint64_t a0 = m[k].addr, b = k + 1 < nm ? m[k + 1].addr : end;
        if (a0 < load)
            a0 = load;
        if (b > end)
            b = end;
        if (b > a0)
            add_region(im, &cap, (uint32_t)a0, (uint32_t)(b - a0), kind_of(m[k].kind), -1,
                       im->buf + (a0 - load));
    }
    free(m);
    return 0;
}

/* An ELF as the symbol file: its regions, laid over the raw bytes. */
static int raw_regions_elf(struct image *im, const char *symfile, uint32_t load,
                           const struct name_list *skip)
{
    struct image sym;
    unsigned cap = 0;

    if (image_load_elf(&sym, symfile, skip))
        return -1;
    for (unsigned i = 0; i < sym.nregs; i++) {
        const struct region *r = &sym.regs[i];
        if (r->addr < load || (uint64_t)r->addr + r->size > (uint64_t)load + im->size) {
            fprintf(pvp_diag ? pvp_diag : stderr, "pvpatch: %s: warning: %s 0x%08x-0x%08x is not inside the raw image "
                    "(0x%08x-0x%08llx): not checked\n", im->path, sym.secs[r->sec].name, r->addr,
                    r->addr + r->size, load, (unsigned long long)load + im->size);
            continue;
        }
        add_region(im, &cap, r->addr, r->size, r->kind, -1, im->buf + (r->addr - load));
    }
    im->syms = sym.syms;
    im->nsyms = sym.nsyms;
    im->nmap = sym.nmap;
    sym.syms = NULL;
    sym.nsyms = 0;
    image_free(&sym);
    return 0;
}

int image_load_raw(struct image *im, const char *path, const char *symfile, uint32_t load,
                   const struct name_list *skip)
{
    memset(im, 0, sizeof(*im));
    im->path = path;
    im->raw = true;
    if (read_file(path, &im->buf, &im->size))
        return -1;
    return is_elf(symfile) ? raw_regions_elf(im, symfile, load, skip) : raw_regions_nm(im, symfile, load);
}

void image_free(struct image *im)
{
    for (unsigned i = 0; i < im->nsecs; i++)
        free(im->secs[i].name);
    for (unsigned i = 0; i < im->nsyms; i++)
        free(im->syms[i].name);
    free(im->secs);
    free(im->syms);
    free(im->regs);
    free(im->buf);
    memset(im, 0, sizeof(*im));
}

bool image_symbol(const struct image *im, const char *name, uint32_t *value)
{
    for (unsigned i = 0; i < im->nsyms; i++)
        if (!strcmp(im->syms[i].name, name)) {
            *value = im->syms[i].value;
            return true;
        }
    return false;
}

const char *image_where(const struct image *im, uint32_t addr, char *buf, size_t n)
{
    const struct symbol *best = NULL;
    unsigned lo = 0, hi = im->nsyms;

    while (lo < hi) {               /* last symbol with value <= addr */
        unsigned mid = (lo + hi) / 2;
        if (im->syms[mid].value <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (unsigned i = lo; i-- > 0;)
        if (im->syms[i].code || i + 1 == lo) {
            best = &im->syms[i];
            if (best->code)
                break;
        }
    if (!best)
        snprintf(buf, n, "?");
    else
        snprintf(buf, n, "%s+0x%x", best->name, addr - best->value);
    return buf;
}

/* ---- trampolines ----------------------------------------------------------- */

/* Program headers straight from the file (ELF32, little-endian: checked). */
static const Elf32_Ehdr *ehdr(const struct image *im)
{
    return (const Elf32_Ehdr *)im->buf;
}

static int phdrs(const struct image *im, const Elf32_Phdr **ph, unsigned *n)
{
    const Elf32_Ehdr *eh = ehdr(im);

    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phoff > im->size ||
        (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > im->size - eh->e_phoff || (eh->e_phoff & 3)) {
        pvp_error(im->path, "program headers missing or outside the file");
        return -1;
    }
    *ph = (const Elf32_Phdr *)(im->buf + eh->e_phoff);
    *n = eh->e_phnum;
    return 0;
}

int image_tramp_area(const struct image *im, bool have_addr, uint32_t want, struct tramp_area *ta)
{
    const Elf32_Phdr *ph;
    unsigned n;
    uint64_t top = 0;

    memset(ta, 0, sizeof(*ta));
    ta->sec = -1;
    for (unsigned i = 0; i < im->nsecs; i++)
        if (!strcmp(im->secs[i].name, TRAMP_SECTION) && im->secs[i].exec) {
            ta->sec = (int)i;
            ta->addr = im->secs[i].addr;
            ta->cap = im->secs[i].size & ~3u;
            ta->bytes = xcalloc(ta->cap, 1);
            return 0;
        }
    if (phdrs(im, &ph, &n))
        return -1;
    for (unsigned i = 0; i < n; i++)
        if (ph[i].p_type == PT_LOAD && (uint64_t)ph[i].p_vaddr + ph[i].p_memsz > top)
            top = (uint64_t)ph[i].p_vaddr + ph[i].p_memsz;
    ta->addr = have_addr ? want : (uint32_t)((top + 0xFFF) & ~0xFFFull);
    if (ta->addr & 3) {
        pvp_error(im->path, "trampoline address 0x%08x is not word aligned", ta->addr);
        return -1;
    }
    ta->cap = UINT32_MAX;
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int write_out(const char *path, const uint8_t *buf, size_t n, const char *mode_from)
{
    FILE *f = fopen(path, "wb");
    struct stat st;

    if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
        pvp_error(path, "cannot write: %s", strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (!stat(mode_from, &st))
        chmod(path, st.st_mode & 0777);
    return 0;
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* The new PT_LOAD must not overlap what the image already loads. */
static int check_overlap(const struct image *im, const Elf32_Phdr *ph, unsigned n, uint32_t va,
                         uint32_t pa, uint32_t size)
{
    for (unsigned i = 0; i < n; i++) {
        if (ph[i].p_type == PT_PHDR) {
            pvp_error(im->path, "the image has a PT_PHDR segment: cannot move its program headers "
                      "to add the trampoline segment (reserve a .pvtramp section instead)");
            return -1;
        }
        if (ph[i].p_type != PT_LOAD)
            continue;
        if ((va < ph[i].p_vaddr + ph[i].p_memsz && ph[i].p_vaddr < va + size) ||
            (pa < ph[i].p_paddr + ph[i].p_memsz && ph[i].p_paddr < pa + size)) {
            pvp_error(im->path, "the trampolines at 0x%08x-0x%08x would overlap the segment at "
                      "0x%08x-0x%08x: choose another --tramp-addr", va, va + size,
                      ph[i].p_vaddr, ph[i].p_vaddr + ph[i].p_memsz);
            return -1;
        }
    }
    return 0;
}

/* VA - PA of the segment that loads the highest addresses (the new one gets the same). */
static uint32_t va_pa_delta(const Elf32_Phdr *ph, unsigned n)
{
    uint32_t d = 0, top = 0;
    for (unsigned i = 0; i < n; i++)
        if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr >= top) {
            top = ph[i].p_vaddr;
            d = ph[i].p_vaddr - ph[i].p_paddr;
        }
    return d;
}

/*
 * Layout of the output with a new trampoline segment (everything before the
 * old end of file is unchanged except the patched words and the ELF header):
 *   [input file] [pad] [trampolines, 4 KiB aligned] [.shstrtab + ".pvtramp"]
 *   [section headers + 1] [program headers + 1 PT_LOAD, sorted by address]
 */
static int write_with_segment(const struct image *im, const struct tramp_area *ta, const char *out)
{
    const Elf32_Ehdr *eh = ehdr(im);
    const Elf32_Phdr *ph;
    unsigned nph, shstr = eh->e_shstrndx;
    size_t t_off, s_off, sh_off, ph_off, total, name_off;
    uint8_t *o;
    Elf32_Ehdr *neh;
    Elf32_Shdr *nsh;
    Elf32_Phdr *nph_tab, seg;
    uint32_t delta;
    int rc;

    if (phdrs(im, &ph, &nph))
        return -1;
    if (eh->e_shentsize != sizeof(Elf32_Shdr) || eh->e_shnum == 0 || eh->e_shnum >= SHN_LORESERVE ||
        shstr == 0 || shstr >= eh->e_shnum || eh->e_shoff > im->size ||
        (size_t)eh->e_shnum * sizeof(Elf32_Shdr) > im->size - eh->e_shoff) {
        pvp_error(im->path, "section headers unusable for adding the trampoline section");
        return -1;
    }
    delta = va_pa_delta(ph, nph);
    if (check_overlap(im, ph, nph, ta->addr, ta->addr - delta, ta->used))
        return -1;
    t_off = align_up(im->size, 0x1000) + (ta->addr & 0xFFF);
    s_off = t_off + ta->used;
    name_off = im->secs[shstr].size;
    sh_off = align_up(s_off + name_off + sizeof(TRAMP_SECTION), 4);
    ph_off = sh_off + (eh->e_shnum + 1u) * sizeof(Elf32_Shdr);
    total = ph_off + (nph + 1u) * sizeof(Elf32_Phdr);
    o = xcalloc(total, 1);
    memcpy(o, im->buf, im->size);
    memcpy(o + t_off, ta->bytes, ta->used);
    memcpy(o + s_off, im->buf + im->secs[shstr].off, name_off);
    memcpy(o + s_off + name_off, TRAMP_SECTION, sizeof(TRAMP_SECTION));
    nsh = (Elf32_Shdr *)(o + sh_off);
    memcpy(nsh, im->buf + eh->e_shoff, eh->e_shnum * sizeof(Elf32_Shdr));
    nsh[shstr].sh_offset = (Elf32_Off)s_off;
    nsh[shstr].sh_size = (Elf32_Word)(name_off + sizeof(TRAMP_SECTION));
    nsh[eh->e_shnum] = (Elf32_Shdr){
        .sh_name = (Elf32_Word)name_off, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
        .sh_addr = ta->addr, .sh_offset = (Elf32_Off)t_off, .sh_size = ta->used, .sh_addralign = 4 };
    seg = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = (Elf32_Off)t_off, .p_vaddr = ta->addr,
                        .p_paddr = ta->addr - delta, .p_filesz = ta->used, .p_memsz = ta->used,
                        .p_flags = PF_R | PF_X, .p_align = 0x1000 };
    nph_tab = (Elf32_Phdr *)(o + ph_off);
    for (unsigned i = 0, j = 0, placed = 0; i <= nph; i++) {
        if (!placed && (j == nph || (ph[j].p_type == PT_LOAD && ph[j].p_vaddr > ta->addr))) {
            nph_tab[i] = seg;
            placed = 1;
        } else {
            nph_tab[i] = ph[j++];
        }
    }
    neh = (Elf32_Ehdr *)o;
    neh->e_shoff = (Elf32_Off)sh_off;
    neh->e_shnum = (Elf32_Half)(eh->e_shnum + 1);
    neh->e_phoff = (Elf32_Off)ph_off;
    neh->e_phnum = (Elf32_Half)(nph + 1);
    rc = write_out(out, o, total, im->path);
    free(o);
    return rc;
}

int image_write(const struct image *im, const struct tramp_area *ta, const char *out)
{
    if (ta && ta->used && ta->sec >= 0) {
        const struct section *s = &im->secs[ta->sec];
        uint8_t *o = xcalloc(im->size, 1);
        int rc;
        memcpy(o, im->buf, im->size);
        memcpy(o + s->off, ta->bytes, ta->used);
        rc = write_out(out, o, im->size, im->path);
        free(o);
        return rc;
    }
    if (ta && ta->used)
        return write_with_segment(im, ta, out);
    return write_out(out, im->buf, im->size, im->path);
}
