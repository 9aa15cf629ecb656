/*
 * What of a guest's console output may reach the host terminal
 * (docs/pv-abi.md "console"): printable ASCII, tab, and UTF-8 characters
 * none of whose bytes is a C1 control code.  Everything else becomes one
 * '?': C0 controls (but tab; newline and CR are the caller's), DEL (0x7f),
 * every byte 0x80-0x9f (the C1 controls of an 8-bit terminal: 0x9b is CSI)
 * and every UTF-8 character that contains one (U+0080-U+009F encode as
 * c2 80-c2 9f: C1 controls for a UTF-8 terminal), malformed UTF-8.
 * Pure: the state of an unfinished character lives in struct confilter.
 */
#ifndef CORE_CONFILTER_H
#define CORE_CONFILTER_H

#include <stdint.h>

struct confilter {
    uint8_t seq[4];             /* the UTF-8 character being collected */
    uint8_t len, need;          /* bytes in seq, continuation bytes still due */
};

/* Feed one byte (not '\n'/'\r': the line logic handles those, after
 * calling confilter_end()); `out` receives 0-5 bytes to print. */
unsigned confilter_byte(struct confilter *f, uint8_t b, uint8_t out[5]);
/* The line ends: an unfinished character becomes '?' (0 or 1 byte). */
unsigned confilter_end(struct confilter *f, uint8_t out[1]);

#endif
