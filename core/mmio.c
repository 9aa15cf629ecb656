/*
 * MMIO dispatch: find the region, decode the faulting load/store, call the
 * device with offset/size/value.  Device memory is always accessed aligned
 * (ARM ARM A3.2.1: an unaligned access to Device memory is an alignment
 * fault); any instruction that is not a single load/store stops the guest
 * with a message naming it.
 */
#include "mmio.h"
#include "guest.h"
#include "emulate.h"
#include "decode.h"
#include "hv.h"
#include "../mm/mm.h"

int mmio_register(struct guest *g, const char *name, uint32_t base, uint32_t size,
                  const struct mmio_ops *ops, void *dev)
{
    if (g->nmmio == MAX_MMIO_REGIONS || !size || (uint64_t)base + size > 0x100000000ull ||
        (base < g->ram_ipa + g->ram_size && base + size > g->ram_ipa))
        return -1;
    g->mmio[g->nmmio++] = (struct mmio_region){ name, base, size, ops, dev };
    return 0;
}

const struct mmio_region *mmio_find(const struct guest *g, uint32_t ipa)
{
    for (unsigned i = 0; i < g->nmmio; i++)
        if (ipa - g->mmio[i].base < g->mmio[i].size)
            return &g->mmio[i];
    return NULL;
}

static unsigned access_bit(const struct vcpu *v, bool write)
{
    return 1u << (vmode_privileged(v) * 2 + write);
}

void mmio_remember(struct vcpu *v, uint32_t va, bool write, uint32_t ipa,
                   const struct mmio_region *r)
{
    struct guest_mm *mm = &v->guest->mm;
    uint32_t va_page = va & ~0xFFFu, ipa_page = ipa & ~0xFFFu;

    if (mm->mmio_tc.gen != mm->gen || mm->mmio_tc.space != mm->cur ||
        mm->mmio_tc.va_page != va_page || mm->mmio_tc.ipa_page != ipa_page ||
        mm->mmio_tc.region != r)
        mm->mmio_tc.ok = 0;
    mm->mmio_tc.va_page = va_page;
    mm->mmio_tc.ipa_page = ipa_page;
    mm->mmio_tc.gen = mm->gen;
    mm->mmio_tc.space = mm->cur;
    mm->mmio_tc.region = r;
    mm->mmio_tc.ok |= access_bit(v, write);
}

const struct mmio_region *mmio_cached(struct vcpu *v, uint32_t va, bool write, uint32_t *ipa)
{
    const struct guest_mm *mm = &v->guest->mm;
    const struct mmio_region *r = mm->mmio_tc.region;

    if (!r || mm->mmio_tc.gen != mm->gen || mm->mmio_tc.space != mm->cur ||
        mm->mmio_tc.va_page != (va & ~0xFFFu) || !(mm->mmio_tc.ok & access_bit(v, write)))
        return NULL;
    *ipa = mm->mmio_tc.ipa_page | (va & 0xFFFu);
    /* A region need not cover the whole page: the access must fall in it,
     * as mmio_find() would decide. */
    if (*ipa - r->base >= r->size)
        return NULL;
    return r;
}

struct mmio_ctx {
    const struct mmio_region *r;
    uint32_t va, ipa;       /* the faulting access: VA -> IPA of its page */
};

static uint32_t device_access(struct vcpu *v, void *ctxp, uint32_t addr, unsigned size,
                              bool write, bool pl1, uint32_t *val)
{
    struct mmio_ctx *c = ctxp;
    uint32_t ipa = c->ipa + (addr - c->va), off = ipa - c->r->base;

    if (addr & (size - 1))
        return FSR_ALIGNMENT;
    if (off >= c->r->size || size > c->r->size - off)
        return FSR_EXT_ABORT;
    v->stats[TS_MMIO]++;
    /* Every guest device can drive an interrupt line (and reading IAR or
     * UARTDR changes state): have the next return re-evaluate the vGIC. */
    v->guest->virq_dirty = true;
    if (write)
        c->r->ops->write(c->r->dev, off, size, size == 4 ? *val : *val & ((1u << (8 * size)) - 1));
    else
        *val = c->r->ops->read(c->r->dev, off, size);
    return 0;
}

void mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint32_t va, uint32_t ipa)
{
    uint32_t a = v->regs.pc, insn = 0;
    struct ls_insn i;
    struct mmio_ctx c = { r, va, ipa };
    int res;

    if (v->regs.cpsr & PSR_T) {
        guest_stop(v->guest, "Thumb access to device %s at 0x%08x cannot be emulated", r->name,
                   (unsigned)ipa);
        return;
    }
    if (guest_fetch_insn(v, a, &insn) || !ls_decode(insn, &i)) {
        guest_stop(v->guest, "access to device %s at 0x%08x by instruction 0x%08x cannot be "
                   "emulated (only LDR/STR{,B,H,D}, LDRS{B,H}, LDRT/STRT forms)", r->name,
                   (unsigned)ipa, (unsigned)insn);
        return;
    }
    res = emulate_load_store(v, a, &i, device_access, &c);
    if (res == EMU_UNDEF)
        guest_stop(v->guest, "load into PC from device %s at 0x%08x is not emulated", r->name,
                   (unsigned)ipa);
    else if (r->ops->after)
        r->ops->after(v, r->dev);
}
