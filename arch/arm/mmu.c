/*
 * The monitor's own translation table and its window (arch/memmap.h).
 *
 * hv_master_l1 (boot.S) maps the monitor RAM; here the identity section
 * used while switching the MMU on is removed, and device and physmap
 * sections are added on demand.  Every guest address space copies the 16
 * window entries (arch_monitor_l1).  Device and physmap entries change in
 * the master and in the table currently in use; arch_switch_mm() refreshes
 * a table's copy before it becomes current, so the MMU never walks a stale
 * window entry.  All window entries are global: changes are invalidated by
 * MVA for every ASID.
 */
#include <arch/arch.h>
#include <arch/memmap.h>
#include <arch/mmu-defs.h>
#include <arch/cp15.h>
#include "../../core/hv.h"

extern uint32_t hv_master_l1[4096];
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern char __guard_irq[], __guard_abt[], __guard_und[], __guard_fiq[], __guard_svc[];

static char *const stack_guards[HV_STACK_GUARDS] = {
    __guard_irq, __guard_abt, __guard_und, __guard_fiq, __guard_svc,
};

int arch_probe_store_word(uint32_t va, uint32_t val);     /* uaccess.S */

/* 4 KiB pages for the MiBs of monitor RAM the image covers (the rest of it,
 * the page pool, stays in sections). */
static uint32_t image_l2[HV_RAM_SIZE >> 20][256] __attribute__((aligned(1024)));
static unsigned image_mbs;

struct boot_info hv_boot_info;

static uint32_t dev_pa[HV_DEV_SLOTS];
static unsigned dev_used;

/* Physmap sections are written in the master L1 and the current TTBR0 L1
 * (both hold the window); other address spaces pick them up on switch. */
static uint32_t *physmap_l1_current;
static uint32_t physmap_pa[HV_PHYSMAP_SLOTS];

uint32_t arch_virt_to_phys(const void *va)
{
    return (uint32_t)va - HV_RAM_VBASE + hv_boot_info.phys_base;
}

void *arch_phys_to_virt(uint32_t pa)
{
    return (void *)(pa - hv_boot_info.phys_base + HV_RAM_VBASE);
}

static void set_window_entry(unsigned idx, uint32_t desc)
{
    hv_master_l1[idx] = desc;
    arch_dcache_clean_range(&hv_master_l1[idx], 4);
    if (physmap_l1_current && physmap_l1_current != hv_master_l1) {
        physmap_l1_current[idx] = desc;
        arch_dcache_clean_range(&physmap_l1_current[idx], 4);
    }
    dsb();
    write_tlbimva(idx << 20);           /* global entry: by MVA, all ASIDs */
    write_bpiall(0);
    dsb();
    isb();
}

static bool is_guard(uint32_t va)
{
    for (unsigned i = 0; i < HV_STACK_GUARDS; i++)
        if (va == (uint32_t)stack_guards[i])
            return true;
    return false;
}

/* The page descriptor of monitor VA `va` (phys_base + offset): code is
 * read-only and executable, read-only data read-only, everything else
 * read/write and execute-never; a stack's guard page is not mapped. */
static uint32_t image_page(uint32_t va)
{
    uint32_t pa = va - HV_RAM_VBASE + hv_boot_info.phys_base;

    if (is_guard(va))
        return 0;
    if (va < (uint32_t)__text_end)
        return pa | L2_SMALL_PL1_RO;
    if (va < (uint32_t)__rodata_end)
        return pa | L2_SMALL_PL1_RO | L2_SMALL_XN;
    return pa | L2_SMALL_PL1_RW | L2_SMALL_XN;
}

/*
 * W^X for the monitor: replace the boot sections of the image by pages
 * (image_page) and make the rest of monitor RAM execute-never.  Each L1
 * entry keeps its output addresses and memory type, only the permissions
 * get tighter, and the TLB is invalidated right after (B3.10.1).
 */
static void protect_image(void)
{
    image_mbs = ((uint32_t)__image_end - HV_RAM_VBASE + SZ_1M - 1) >> 20;
    for (unsigned mb = 0; mb < (HV_RAM_SIZE >> 20); mb++) {
        unsigned idx = HV_WINDOW_L1_FIRST + mb;
        if (mb >= image_mbs) {
            hv_master_l1[idx] |= L1_SECT_XN;
            continue;
        }
        for (unsigned e = 0; e < 256; e++)
            image_l2[mb][e] = image_page(HV_RAM_VBASE + (mb << 20) + (e << 12));
        arch_dcache_clean_range(image_l2[mb], sizeof(image_l2[mb]));
        hv_master_l1[idx] = arch_virt_to_phys(image_l2[mb]) | L1_TYPE_TABLE |
                            L1_DOMAIN(HV_DOMAIN_MONITOR);
    }
}

/*
 * Check what protect_image() promised, once, through the MMU itself: a
 * store to the first word of the text (writing back what is there) and a
 * load from every guard page must fault (guarded accesses, uaccess.S); and
 * no executable page outside the text, in the tables as installed.
 */
static void check_image(void)
{
    uint32_t w = *(volatile uint32_t *)__image_start, dummy;
    bool text_ro = arch_probe_store_word((uint32_t)__image_start, w) != 0;
    bool ro_ro = arch_probe_store_word((uint32_t)__text_end, *(volatile uint32_t *)__text_end) != 0;
    unsigned guarded = 0, exec_out = 0;

    for (unsigned i = 0; i < HV_STACK_GUARDS; i++)
        guarded += arch_guest_load_word((uint32_t)stack_guards[i], &dummy) != 0;
    for (unsigned mb = 0; mb < (HV_RAM_SIZE >> 20); mb++) {
        uint32_t d = hv_master_l1[HV_WINDOW_L1_FIRST + mb];
        if ((d & 3) == L1_TYPE_SECT) {
            exec_out += !(d & L1_SECT_XN) ? 256 : 0;
            continue;
        }
        for (unsigned e = 0; e < 256; e++) {
            uint32_t va = HV_RAM_VBASE + (mb << 20) + (e << 12), pd = image_l2[mb][e];
            exec_out += (pd & 3) && !(pd & L2_SMALL_XN) && va >= (uint32_t)__text_end;
        }
    }
    hv_printf("monitor: hygiene: text 0x%08x-0x%08x read-only+executable, rodata read-only, "
              "data/bss/stacks/pool execute-never, %u stack guard pages\n",
              (unsigned)HV_RAM_VBASE, (unsigned)__text_end - 1, HV_STACK_GUARDS);
    hv_printf("monitor: hygiene: %s: store to text %s, store to rodata %s, %u of %u guard pages "
              "faulted, %u executable pages outside the text\n",
              text_ro && ro_ro && guarded == HV_STACK_GUARDS && !exec_out ? "checked" : "FAILED",
              text_ro ? "faulted" : "WENT THROUGH", ro_ro ? "faulted" : "WENT THROUGH",
              guarded, HV_STACK_GUARDS, exec_out);
}

void arch_mmu_init(void)
{
    uint32_t id = hv_boot_info.phys_base >> 20;

    /* Drop the identity section used by boot.S (unless it is the window). */
    if (id < HV_WINDOW_L1_FIRST || id >= HV_WINDOW_L1_FIRST + HV_WINDOW_L1_COUNT)
        hv_master_l1[id] = 0;
    protect_image();
    arch_dcache_clean_range(hv_master_l1, SZ_16K);
    dsb();
    write_tlbiall(0);
    dsb();
    isb();
    physmap_l1_current = hv_master_l1;
}

/* After the console is up (core/banner.c calls it with the memory map). */
void arch_mmu_check(void)
{
    check_image();
}

void *arch_map_device(uint32_t pa)
{
    uint32_t sect = pa & ~(SZ_1M - 1);
    unsigned i;

    for (i = 0; i < dev_used; i++)
        if (dev_pa[i] == sect)
            break;
    if (i == dev_used) {
        if (dev_used == HV_DEV_SLOTS)
            hv_panic("arch_map_device: no free device slot for 0x%08x", (unsigned)pa);
        dev_pa[dev_used++] = sect;
        set_window_entry((HV_DEV_VBASE >> 20) + i, sect | HV_SECT_DEV);
    }
    return (void *)(HV_DEV_VBASE + i * SZ_1M + (pa & (SZ_1M - 1)));
}

/* The physical section behind device slot `slot` (0: unused); the boot
 * banner lists them. */
uint32_t arch_device_slot(unsigned slot)
{
    return slot < dev_used ? dev_pa[slot] : 0;
}

void *arch_physmap(unsigned slot, uint32_t pa)
{
    uint32_t sect = pa & ~(SZ_1M - 1);

    if (slot >= HV_PHYSMAP_SLOTS)
        hv_panic("arch_physmap: bad slot %u", slot);
    if (physmap_pa[slot] != (sect | 1)) {
        physmap_pa[slot] = sect | 1;
        set_window_entry((HV_PHYSMAP_VBASE >> 20) + slot,
                         sect | HV_SECT_RAM | L1_SECT_XN);
    }
    return (void *)(HV_PHYSMAP_VBASE + slot * SZ_1M + (pa & (SZ_1M - 1)));
}

/* Code the monitor wrote at a physical address: clean it to the point of
 * unification, then invalidate the instruction cache and branch predictor
 * (ARM ARM B2.2.9; the I-cache may be VIPT, so all of it). */
void arch_sync_code_pa(uint32_t pa, size_t len)
{
    uint32_t va = (uint32_t)(uintptr_t)arch_physmap(0, pa);

    for (uint32_t a = va & ~31u; a < va + len; a += 32)
        arch_cache_op_va(CACHE_DC_CLEAN_POU, a);
    dsb();
    arch_icache_inval_all();
}

const uint32_t *arch_monitor_l1(void)
{
    return &hv_master_l1[HV_WINDOW_L1_FIRST];
}

/*
 * Change ASID and TTBR0 without letting speculative walks create entries
 * for the new ASID from the old table: go through the reserved ASID 0, which
 * no non-global entry ever uses (ARM ARM B3.10.4).
 */
void arch_switch_mm(uint32_t l1_pa, uint8_t asid)
{
    uint32_t *l1 = arch_phys_to_virt(l1_pa);

    /* Device/physmap window entries may have changed since this table was
     * last current: refresh them before the MMU can walk it. */
    for (unsigned i = 0; i < HV_WINDOW_MON_L1_COUNT; i++)
        l1[HV_WINDOW_L1_FIRST + i] = hv_master_l1[HV_WINDOW_L1_FIRST + i];
    arch_dcache_clean_range(&l1[HV_WINDOW_L1_FIRST], HV_WINDOW_MON_L1_COUNT * 4);
    dsb();
    write_contextidr(0);
    isb();
    write_ttbr0(l1_pa | TTBR_WALK_ATTRS);
    isb();
    write_contextidr(asid);
    isb();
    physmap_l1_current = l1;
}

void arch_tlb_flush_all(void)
{
    dsb();
    write_tlbiall(0);
    write_bpiall(0);
    dsb();
    isb();
}

void arch_tlb_flush_asid(uint8_t asid)
{
    dsb();
    write_tlbiasid(asid);
    write_bpiall(0);
    dsb();
    isb();
}

void arch_asid_recycle(uint8_t asid)
{
    arch_tlb_flush_asid(asid);          /* TLBIASID and BPIALL, completed */
}

void arch_tlb_flush_va(uint32_t va, uint8_t asid)
{
    dsb();
    write_tlbimva((va & ~0xFFFu) | asid);
    write_bpiall(0);
    dsb();
    isb();
}

void arch_set_dacr(uint32_t dacr)
{
    write_dacr(dacr);
    isb();
}

extern const uint32_t __fixup_start[], __fixup_end[];

uint32_t arch_fault_fixup(uint32_t pc)
{
    for (const uint32_t *e = __fixup_start; e < __fixup_end; e += 2)
        if (e[0] == pc)
            return e[1];
    return 0;
}
