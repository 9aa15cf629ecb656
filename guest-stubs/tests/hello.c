/* hello - demo guest for `make run`: greeting, CPSR mode via MRS, a few yields. */
#include "guest.h"

static const char *mode_name(uint32_t m)
{
    switch (m) {
    case MODE_USR: return "USR";
    case MODE_FIQ: return "FIQ";
    case MODE_IRQ: return "IRQ";
    case MODE_SVC: return "SVC";
    case MODE_ABT: return "ABT";
    case MODE_UND: return "UND";
    case MODE_SYS: return "SYS";
    default:       return "???";
    }
}

int main(void)
{
    uint32_t cpsr = read_cpsr();

    gprintf("Hello from a test guest (same output native and PV)\n");
    gprintf("running in %s mode\n", mode_name(cpsr & MODE_MASK));
    check_eq("hello-mode", "CPSR.M", cpsr & MODE_MASK, MODE_SVC);
    check_eq("hello-masks", "CPSR.AIF", cpsr & (PSR_A | PSR_I | PSR_F), PSR_A | PSR_I | PSR_F);
    check_eq("hello-abi", "version", (uint32_t)hc_abi_version(), PV_ABI_VERSION);
    for (int i = 1; i <= 3; i++) {
        hc_yield();
        gprintf("yield %d of 3 done\n", i);
    }
    gprintf("bye\n");
    return test_result("hello");
}
