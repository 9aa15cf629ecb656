/*
 * Fake platform for the host unit tests (see fake.h).  Everything the
 * monitor core calls outside the files under test is implemented here as a
 * recorder or a simple stub; guest memory is one flat buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include "fake.h"
#include "emulate.h"
#include "virq.h"
#include "hv.h"
#include "sched.h"
#include "../../mm/mm.h"

struct fake_state fake;
uint8_t fake_ram[FAKE_RAM_SIZE];

struct boot_info hv_boot_info;
struct vcpu *current;
struct guest guests[MAX_GUESTS];
unsigned nguests;

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    memset(fake_ram, 0, sizeof(fake_ram));
    fake.ram_base = FAKE_RAM_BASE;
    fake.ram_size = FAKE_RAM_SIZE;
    fake.has_vfp = true;
    for (unsigned i = 0; i < ID_NREGS; i++)
        fake.id_regs[i] = 0x1D000000u + i;     /* recognisable per register */
    memset(&hv_boot_info, 0, sizeof(hv_boot_info));
}

static bool in_ram(uint32_t addr, size_t len)
{
    uint64_t a = addr, end = a + len;
    return a >= fake.ram_base && end <= (uint64_t)fake.ram_base + fake.ram_size;
}

void fake_put32(uint32_t ipa, uint32_t val)
{
    if (!in_ram(ipa, 4)) {
        fprintf(stderr, "fake_put32: 0x%08x outside fake RAM\n", ipa);
        abort();
    }
    memcpy(&fake_ram[ipa - fake.ram_base], &val, 4);
}

uint32_t fake_get32(uint32_t ipa)
{
    uint32_t val;
    if (!in_ram(ipa, 4)) {
        fprintf(stderr, "fake_get32: 0x%08x outside fake RAM\n", ipa);
        abort();
    }
    memcpy(&val, &fake_ram[ipa - fake.ram_base], 4);
    return val;
}

/* ---- mm/mm.h: guest memory (guest MMU off: VA = IPA) -------------------- */
uint32_t guest_read(struct vcpu *v, uint32_t va, void *buf, size_t len)
{
    if (!in_ram(va, len))
        return FSR_EXT_ABORT;
    memcpy(buf, &fake_ram[va - fake.ram_base], len);
    return 0;
}

uint32_t guest_write(struct vcpu *v, uint32_t va, const void *buf, size_t len)
{
    if (!in_ram(va, len))
        return FSR_EXT_ABORT;
    memcpy(&fake_ram[va - fake.ram_base], buf, len);
    return 0;
}

uint32_t guest_read_words(struct vcpu *v, uint32_t va, uint32_t *w, unsigned n)
{
    return guest_read(v, va, w, 4 * (size_t)n);
}

uint32_t guest_fetch_insn(struct vcpu *v, uint32_t va, uint32_t *insn)
{
    return guest_read(v, va, insn, 4);
}

uint32_t guest_access_as(struct vcpu *v, uint32_t va, void *buf, const void *src, size_t len, bool pl1)
{
    return src ? guest_write(v, va, src, len) : guest_read(v, va, buf, len);
}

bool guest_ipa_to_pa(const struct guest *g, uint32_t ipa, uint32_t *pa)
{
    if (!in_ram(ipa, 1))
        return false;
    *pa = ipa - fake.ram_base + FAKE_PA_BASE;
    return true;
}

bool guest_copy_to_ipa(struct guest *g, uint32_t ipa, const void *src, size_t len)
{
    if (!in_ram(ipa, len))
        return false;
    memcpy(&fake_ram[ipa - fake.ram_base], src, len);
    return true;
}

bool guest_zero_ipa(struct guest *g, uint32_t ipa, size_t len)
{
    if (!in_ram(ipa, len))
        return false;
    memset(&fake_ram[ipa - fake.ram_base], 0, len);
    return true;
}

/* ---- scheduler and guest lifecycle -------------------------------------- */
void sched_yield(struct vcpu *v, enum vcpu_state st)
{
    fake.yield_count++;
    fake.yield_state = st;
}

void sched_remove(struct vcpu *v)
{
    fake.remove_count++;
}

void guest_exit(struct guest *g, int status)
{
    fake.exit_count++;
    fake.exit_status = status;
    g->exit_status = status;
    g->vcpu.state = VCPU_EXITED;
}

int guest_reset(struct guest *g)
{
    fake.reset_count++;
    g->vcpu.state = VCPU_READY;
    return 0;
}

void guest_stop(struct guest *g, const char *fmt, ...)
{
    va_list ap;

    fake.stop_count++;
    va_start(ap, fmt);
    vsnprintf(fake.stop_msg, sizeof(fake.stop_msg), fmt, ap);
    va_end(ap);
    g->exit_status = -1;
    g->vcpu.state = VCPU_STOPPED;
}

void guest_console_putc(struct guest *g, char c)
{
    if (fake.console_len < sizeof(fake.console) - 1)
        fake.console[fake.console_len++] = c;
}

void guest_console_flush(struct guest *g)
{
}

void guest_print_stats(struct guest *g)
{
    fake.stats_count++;
}

/* ---- monitor console ---------------------------------------------------- */
void hv_vprintf(const char *fmt, va_list ap)
{
    size_t used = strlen(fake.printf_buf);

    fake.printf_count++;
    if (used < sizeof(fake.printf_buf) - 1)
        vsnprintf(fake.printf_buf + used, sizeof(fake.printf_buf) - used, fmt, ap);
}

void hv_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hv_vprintf(fmt, ap);
    va_end(ap);
}

void hv_puts(const char *s)
{
    hv_printf("%s", s);
}

void hv_panic(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "hv_panic: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

void hv_dump_regs(const struct arm_regs *f)
{
}

/* ---- arch.h -------------------------------------------------------------- */
uint32_t arch_id_read(enum arch_id_reg r)
{
    return (unsigned)r < ID_NREGS ? fake.id_regs[r] : 0;
}

uint32_t arch_ccsidr_read(uint32_t csselr)
{
    return 0xCC000000u | (0xFFu << 13) | (3u << 3) | csselr;  /* 256 sets, 4 ways */
}

bool arch_has_vfp(void) { return fake.has_vfp; }
bool arch_has_generic_timer(void) { return false; }
bool arch_has_pmu(void) { return true; }

void arch_mmu_init(void) { }
void *arch_map_device(uint32_t pa) { return NULL; }
void *arch_physmap(unsigned slot, uint32_t pa) { return NULL; }
const uint32_t *arch_monitor_l1(void) { return NULL; }
uint32_t arch_virt_to_phys(const void *va) { return (uint32_t)(uintptr_t)va; }
void *arch_phys_to_virt(uint32_t pa) { return (void *)(uintptr_t)pa; }
void arch_switch_mm(uint32_t l1_pa, uint8_t asid) { }
void arch_tlb_flush_all(void) { }
void arch_tlb_flush_asid(uint8_t asid) { }
void arch_tlb_flush_va(uint32_t va, uint8_t asid) { }
void arch_set_dacr(uint32_t dacr) { fake.dacr = dacr; }

/* The shadow-paging engine is tested on its own (test_shadow.c); here its
 * entry points only record that they were called. */
void shadow_privilege_changed(struct vcpu *v) { fake.privilege_changes++; }
void shadow_activate(struct vcpu *v) { fake.shadow_activations++; }
void shadow_flush_guest(struct guest *g) { fake.shadow_flushes++; }
void shadow_tlb_op(struct vcpu *v, enum tlb_op op, uint32_t arg) { fake.tlb_ops++; }
void shadow_unprotect(struct vcpu *v, uint32_t va) { }
void shadow_table_stored(struct guest *g, uint32_t ipa) { }
bool shadow_prefill(struct vcpu *v, uint32_t va) { fake.prefill_count++; return false; }
void shadow_guest_wrote(struct guest *g, uint32_t ipa, uint32_t len) { fake.guest_wrote_count++; }
int shadow_srfa_map(struct guest *g, void *page) { fake.srfa_page = page; return 0; }
void shadow_srfa_protect(struct guest *g, bool ro)
{
    if (g->mm.srfa_ro != ro)
        fake.srfa_protect_changes++;
    g->mm.srfa_ro = ro;
}
bool shadow_patch_allowed(struct vcpu *v, uint32_t va, uint32_t ipa)
{
    fake.patch_asked++;
    return !fake.patch_refused;
}
bool shadow_patch_record(struct guest *g, uint32_t ipa, uint32_t orig, uint32_t rep)
{
    fake.patch_orig = orig;
    return true;
}
void arch_sync_code_pa(uint32_t pa, size_t len) { fake.sync_code_count++; fake.sync_code_pa = pa; }
/* The SRFA page: one static page per test run (a real pool would align it). */
void *pool_alloc(size_t bytes, size_t align)
{
    static uint32_t page[1024] __attribute__((aligned(4096)));
    if (bytes > sizeof(page))
        return NULL;
    memset(page, 0, sizeof(page));
    return page;
}

/* Virtual interrupts and timers are tested in test_vgic.c. */
int vtimer_cp15(struct vcpu *v, const struct cp_insn *i, uint32_t a) { return EMU_UNDEF; }
void vtimer_privilege_changed(struct vcpu *v) { }
bool virq_wake(struct vcpu *v) { return fake.virq_wake; }
bool board_has_generic_timer_for_guests(void) { return false; }
void shadow_mmu_regs(const struct vcpu *v, struct mmu_regs *m)
{
    m->sctlr = v->cp15.sctlr;
    m->ttbr0 = v->cp15.ttbr0;
    m->ttbr1 = v->cp15.ttbr1;
    m->ttbcr = v->cp15.ttbcr;
    m->dacr = v->cp15.dacr;
    m->pxn = false;
}
bool shadow_read_ipa(void *ctx, uint32_t ipa, uint32_t *val)
{
    if (!in_ram(ipa, 4))
        return false;
    memcpy(val, &fake_ram[ipa - fake.ram_base], 4);
    return true;
}

void arch_dcache_clean_range(const void *va, size_t len) { }
void arch_dcache_clean_inval_range(const void *va, size_t len) { }
void arch_icache_inval_all(void) { fake.icache_all_count++; }
void arch_dcache_clean_inval_all(void) { fake.dcache_all_count++; }

int arch_guest_cache_op(unsigned op, uint32_t va)
{
    /* "Mapped in the shadow" = inside the fake RAM (MMU off, flat). */
    if (!in_ram(va, 1))
        return -1;
    arch_cache_op_va(op, va);
    return 0;
}

void arch_cache_op_va(unsigned op, uint32_t va)
{
    fake.cache_va_count++;
    fake.cache_op = op;
    fake.cache_va = va;
}

void arch_set_tls(uint32_t tpidrurw, uint32_t tpidruro)
{
    fake.set_tls_count++;
    fake.tls_rw = tpidrurw;
    fake.tls_ro = tpidruro;
}

uint32_t arch_get_tpidrurw(void) { return fake.tls_rw; }

void arch_set_alignment_check(bool on)
{
    fake.align_count++;
    fake.align_on = on;
}

void arch_vfp_enable(bool on)
{
    fake.vfp_enable_count++;
    fake.vfp_on = on;
}

void arch_vfp_save(struct vfp_state *s) { fake.vfp_save_count++; }
void arch_vfp_restore(const struct vfp_state *s) { fake.vfp_restore_count++; }

uint32_t arch_cycles(void) { return fake.cycles; }

void arch_wait_for_interrupt(void) { }

void arch_halt(void)
{
    fprintf(stderr, "arch_halt called\n");
    abort();
}

void arch_exit(int status)
{
    fprintf(stderr, "arch_exit(%d) called\n", status);
    abort();
}

void arch_resume(struct arm_regs *f)
{
    fprintf(stderr, "arch_resume called\n");
    abort();
}

uint32_t arch_read_dfsr(void) { return 0; }
uint32_t arch_read_dfar(void) { return 0; }
uint32_t arch_read_ifsr(void) { return 0; }
uint32_t arch_read_ifar(void) { return 0; }

/* ---- test support (unit.h) -------------------------------------------- */
#include "unit.h"

/* unit_check_eq() and the UBSan hooks are in unit_support.c. */

#include "vfp.h"

struct guest unit_guest;

int unit_vcpu_setup(void **state)
{
    struct vcpu *v = &unit_guest.vcpu;

    fake_reset();
    memset(&unit_guest, 0, sizeof(unit_guest));
    unit_guest.id = UNIT_GUEST_ID;
    unit_guest.name = "unit";
    unit_guest.ram_ipa = FAKE_RAM_BASE;
    unit_guest.ram_size = FAKE_RAM_SIZE;
    unit_guest.ram_pa = FAKE_PA_BASE;
    v->guest = &unit_guest;
    v->state = VCPU_RUNNING;
    hv_boot_info.boot_sctlr = UNIT_BOOT_SCTLR;
    vcpu_reset(v, UNIT_ENTRY);
    current = v;
    *state = v;
    return 0;
}

int unit_vcpu_teardown(void **state)
{
    vfp_guest_gone(&unit_guest.vcpu);
    current = NULL;
    return unit_ubsan_teardown(state);
}
