/*
 * A down-counter seen from a fixed origin, shared by the timer models
 * (sp804.c, a9timer.c): value0 at time t0, and how many times it has
 * reached zero that the model has already accounted for.
 *
 * A counter is described from a fixed origin (its value at t0) and the
 * monitor's clock, so it keeps running while its guest is descheduled and an
 * expiry in that time is pending when the guest runs again.  Tick k happens
 * at t0 + ceil(k * div * 1e9 / clk) ns, computed exactly (no 64-bit
 * overflow for any pause, no drift from repeated reads).  Counting down from
 * v0: zero at tick v0, then the reload value one tick later, and zero again
 * every reload+1 ticks; a one-shot counter halts at zero.
 */
#ifndef EMUL_DCOUNT_H
#define EMUL_DCOUNT_H

#include <stdint.h>
#include <stdbool.h>

struct dcount {
    uint32_t value0;
    uint64_t t0;
    uint64_t zeros_seen;
};

#define DC_NS 1000000000ull

/* floor(el_ns * clk / (div * 1e9)) */
static inline uint64_t ticks_in(uint64_t el_ns, uint32_t clk, uint32_t div)
{
    uint64_t q = el_ns / DC_NS, r = el_ns % DC_NS, a = q * clk;
    return a / div + ((a % div) * DC_NS + r * clk) / (div * DC_NS);
}

/* ceil(k * div * 1e9 / clk): the ns offset of tick k */
static inline uint64_t ns_of_tick(uint64_t k, uint32_t clk, uint32_t div)
{
    uint64_t m = k * div;
    return (m / clk) * DC_NS + ((m % clk) * DC_NS + clk - 1) / clk;
}

static inline uint64_t zeros_by(uint64_t k, uint32_t v0, uint32_t reload, bool halts)
{
    if (k < v0)
        return 0;
    return halts ? 1 : 1 + (k - v0) / ((uint64_t)reload + 1);
}

static inline uint32_t value_at(uint64_t k, uint32_t v0, uint32_t reload, bool halts)
{
    if (k < v0)
        return (uint32_t)(v0 - k);
    if (halts || k == v0)
        return 0;
    return (uint32_t)(reload - (k - v0 - 1) % ((uint64_t)reload + 1));
}

/* Restart a counter at `now` from value v (Load writes, enabling). */
static inline void restart(struct dcount *c, uint32_t v, uint64_t now)
{
    c->value0 = v;
    c->t0 = now;
    c->zeros_seen = 0;
}

/* Re-base a running counter at `now` (before its rate or mode changes). */
static inline void rebase(struct dcount *c, uint32_t value, uint64_t now, bool zero_counted)
{
    c->value0 = value;
    c->t0 = now;
    /* A counter sitting at zero whose zero was already counted must not count
     * it again: its next zero is a whole period away. */
    c->zeros_seen = (value == 0 && zero_counted) ? 1 : 0;
}

#endif
