/*
 * core/confilter.c: what of a guest's console output reaches the host
 * terminal.  No byte 0x00-0x08, 0x0a-0x1f (newline and CR are the line
 * logic's), 0x7f or 0x80-0x9f ever comes out; printable ASCII, tab and
 * UTF-8 characters without a C1 byte pass unchanged.
 */
#include "unit.h"
#include "../../core/confilter.h"

#define CHECK_TRUE_CTX(x, ...) CHECK_EQ_CTX(!!(x), 1, __VA_ARGS__)

static char outbuf[4096];
static unsigned outlen;

static void feed(struct confilter *f, const char *in, size_t n)
{
    uint8_t o[5];
    for (size_t k = 0; k < n; k++) {
        unsigned m = confilter_byte(f, (uint8_t)in[k], o);
        CHECK_TRUE(m <= 5);
        memcpy(outbuf + outlen, o, m);
        outlen += m;
    }
}

static const char *filt(const char *in, size_t n)
{
    struct confilter f = { { 0 }, 0, 0 };
    uint8_t o[1];

    outlen = 0;
    feed(&f, in, n);
    outlen += confilter_end(&f, o) ? (outbuf[outlen] = (char)o[0], 1) : 0;
    outbuf[outlen] = 0;
    return outbuf;
}
#define FILT(s) filt(s, sizeof(s) - 1)

static void test_ascii_and_controls(void **state)
{
    assert_string_equal(FILT("hello, world\t!~"), "hello, world\t!~");
    assert_string_equal(FILT("\x1b[2J"), "?[2J");               /* ESC */
    assert_string_equal(FILT("a\x7f" "b"), "a?b");              /* DEL */
    assert_string_equal(FILT("\x07\x08\x0c\x00"), "????");
}

static void test_c1_controls(void **state)
{
    /* raw 8-bit C1 (0x9b = CSI), and as UTF-8 (U+009B = c2 9b) */
    assert_string_equal(FILT("\x9b" "31m"), "?31m");
    assert_string_equal(FILT("\xc2\x9b" "31m"), "?31m");
    assert_string_equal(FILT("\xc2\x80\xc2\x9f"), "??");
    for (unsigned b = 0x80; b <= 0x9F; b++) {
        char in[2] = { (char)b, 'x' };
        assert_string_equal(filt(in, 2), "?x");
    }
}

static void test_utf8(void **state)
{
    /* é (c3 a9), ¤ (c2 a4), ✓ (e2 9c 93: has C1 bytes), 😀 (f0 9f 98 80) */
    assert_string_equal(FILT("caf\xc3\xa9"), "caf\xc3\xa9");
    assert_string_equal(FILT("\xc2\xa4"), "\xc2\xa4");
    assert_string_equal(FILT("\xe2\x9c\x93"), "?");
    assert_string_equal(FILT("\xf0\x9f\x98\x80!"), "?!");
    assert_string_equal(FILT("\xe4\xbd\xa0"), "\xe4\xbd\xa0");      /* 你 */
    /* malformed: stray continuation, overlong lead, cut short, bad lead */
    assert_string_equal(FILT("\xa9" "a"), "?a");
    assert_string_equal(FILT("\xc0\xaf"), "??");
    assert_string_equal(FILT("\xc3" "a"), "?a");
    assert_string_equal(FILT("\xe4\xbd" "a"), "?a");
    assert_string_equal(FILT("\xf8\xa0"), "??");
    assert_string_equal(FILT("\xc3"), "?");                          /* line ends */
}

/* Property: whatever comes in, nothing terminal-controlling comes out. */
static void test_no_control_byte_out(void **state)
{
    uint32_t seed = 0xC0DE15;
    char in[256];

    for (int it = 0; it < 20000; it++) {
        size_t n = 1 + unit_rand(&seed) % sizeof(in);
        for (size_t k = 0; k < n; k++) {
            uint32_t x = unit_rand(&seed);
            /* mostly high bytes and controls */
            in[k] = (char)((x & 3) ? 0x70 + (x >> 8) % 0x90 : (x >> 8) & 0xFF);
            if (in[k] == '\n' || in[k] == '\r')
                in[k] = 'n';
        }
        filt(in, n);
        for (unsigned k = 0; k < outlen; k++) {
            uint8_t b = (uint8_t)outbuf[k];
            CHECK_TRUE_CTX(!((b < 0x20 && b != '\t') || b == 0x7F || (b >= 0x80 && b <= 0x9F)),
                           "iteration %d: byte 0x%02x came out", it, b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_ascii_and_controls, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_c1_controls, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_utf8, unit_ubsan_teardown),
        cmocka_unit_test_teardown(test_no_control_byte_out, unit_ubsan_teardown),
    };
    return UNIT_RUN("console", tests);
}
