/*
 * Emulated device regions.  A device model registers a region of a guest's
 * physical (IPA) space; its handlers see an offset into the region, never
 * an address.  Guest accesses there fault into the monitor, the faulting
 * instruction is decoded once (core/decode.c ls_decode) and handed over as
 * offset, size and value.
 */
#ifndef CORE_MMIO_H
#define CORE_MMIO_H

#include <stdint.h>
#include <stdbool.h>

struct guest;
struct vcpu;

struct mmio_ops {
    uint32_t (*read)(void *dev, uint32_t offset, unsigned size);
    void (*write)(void *dev, uint32_t offset, unsigned size, uint32_t value);
    /* optional: once the access has completed (PC past it), for what the
     * device asked of the machine (power-off, restart) */
    void (*after)(struct vcpu *v, void *dev);
};

struct mmio_region {
    const char *name;
    uint32_t base, size;
    const struct mmio_ops *ops;
    void *dev;
};

#define MAX_MMIO_REGIONS 12    /* the GIC's two, the board's devices, four virtio slots */

int mmio_register(struct guest *g, const char *name, uint32_t base, uint32_t size,
                  const struct mmio_ops *ops, void *dev);
const struct mmio_region *mmio_find(const struct guest *g, uint32_t ipa);
/*
 * FAST_MMIO: a per-guest cache of the last device page's translation, so
 * that a repeated device access needs no walk of the guest's tables.
 * mmio_remember() after the slow path found device `r` at `ipa` for an
 * access to `va` (the guest's tables allowed it: write, pl1 as given);
 * mmio_cached(): the region and *ipa if the same access is cached and
 * still valid (mm.gen, the current shadow space), else NULL.
 */
void mmio_remember(struct vcpu *v, uint32_t va, bool write, uint32_t ipa,
                   const struct mmio_region *r);
const struct mmio_region *mmio_cached(struct vcpu *v, uint32_t va, bool write, uint32_t *ipa);
/* Emulate the access at the guest's PC that faulted on `va` (IPA `ipa`). */
void mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint32_t va, uint32_t ipa);

#endif
