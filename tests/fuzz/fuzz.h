/*
 * Helpers shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): a reader
 * that turns the fuzzer's bytes into values (zeros once the input is used
 * up, so every input is a valid program), and an invariant check that
 * aborts with a message naming what differed, so libFuzzer keeps the input.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fin {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t fin_u8(struct fin *f)
{
    if (!f->n)
        return 0;
    f->n--;
    return *f->p++;
}

static inline uint16_t fin_u16(struct fin *f)
{
    uint16_t lo = fin_u8(f);
    return (uint16_t)(lo | fin_u8(f) << 8);
}

static inline uint32_t fin_u32(struct fin *f)
{
    uint32_t lo = fin_u16(f);
    return lo | (uint32_t)fin_u16(f) << 16;
}

static inline int fin_more(const struct fin *f) { return f->n != 0; }

/* An invariant of the code under test: abort (a libFuzzer crash) if false. */
#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
