/* exc.c - C side of the exception vectors: per-vector hooks. */
#include "guest.h"

static exc_hook_t g_hooks[8];
unsigned g_unexpected_exceptions;

exc_hook_t exc_set_hook(unsigned vector_offset, exc_hook_t hook)
{
    unsigned i = (vector_offset >> 2) & 7;
    exc_hook_t old = g_hooks[i];
    g_hooks[i] = hook;
    return old;
}

static const char *const vec_names[8] = {
    "reset", "undef", "svc", "pabt", "dabt", "hyp", "irq", "fiq"
};

void exc_dispatch(struct exc_frame *f);
void exc_dispatch(struct exc_frame *f)
{
    unsigned i = (f->vector >> 2) & 7;
    if (g_hooks[i] && g_hooks[i](f))
        return;
    /* no hook or hook declined: report (no addresses: they differ per build) */
    g_unexpected_exceptions++;
    g_checks++;
    g_failed++;
    gprintf("FAIL unexpected-exception: %s (vector 0x%02lx) from mode 0x%02lx\n",
            vec_names[i], (unsigned long)f->vector,
            (unsigned long)(f->spsr & MODE_MASK));
    if (i == 4)
        gprintf("     DFSR=0x%08lx\n", (unsigned long)CP15_READ(0, c5, c0, 0));
    if (i == 3)
        gprintf("     IFSR=0x%08lx\n", (unsigned long)CP15_READ(0, c5, c0, 1));
    gprintf("RESULT aborted: %u checks, %u failed\n", g_checks, g_failed);
    gexit(g_failed > 255 ? 255 : (int)g_failed);
}
