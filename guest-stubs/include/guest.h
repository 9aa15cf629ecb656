/*
 * guest.h - tiny runtime for the monitor's test guests (guest-stubs/lib).
 *
 * Each guest builds twice from one source: native (bare metal on QEMU,
 * PL011 + semihosting) and PV (-DPV=1, runs under the monitor, console and
 * exit through hypercalls).  Both builds must print identical output.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdint.h>
#include "armv7.h"
#include "sensitive.h"

/* ---- console / exit --------------------------------------------------- */
void gputc(char c);
void gputs(const char *s);                      /* no newline added */
int  gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gexit(int status) __attribute__((noreturn));

/* ---- checks ----------------------------------------------------------- */
extern unsigned g_checks, g_failed;
/* "ok   name: msg" or "FAIL name: msg"; returns ok */
int check(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "ok   name: what=0x..." or "FAIL name: what=0x... expected 0x..." */
int check_eq(const char *name, const char *what, uint32_t got, uint32_t expected);
/* prints "RESULT <guest>: N checks, M failed"; returns min(failed, 255) */
int test_result(const char *guest);

/* ---- exceptions ------------------------------------------------------- */
/* Frame built by the vector stubs of start.S on the exception mode's stack.
 * pc is the exception LR on entry; a hook sets it to the resume address
 * (the handler returns with LDM sp!, {r0-r12, pc}^ after writing spsr back
 * to SPSR). */
struct exc_frame {
    uint32_t vector;        /* vector offset: VEC_UND, VEC_SVC, ... */
    uint32_t spsr;
    uint32_t r[13];
    uint32_t pc;
};
/* A hook returns nonzero when it handled the exception. */
typedef int (*exc_hook_t)(struct exc_frame *f);
exc_hook_t exc_set_hook(unsigned vector_offset, exc_hook_t hook);  /* returns the old one */
extern unsigned g_unexpected_exceptions;

extern char __vectors[];            /* the runtime's vector table (VBAR) */
extern char __usertext_start[], __usertext_end[];

/* Enter fn(arg) with CPSR = spsr (normally MODE_USR | ...) by an exception
 * return, with the user stack reset.  fn must live in section .usertext
 * (USER_CODE) and return normally; returns fn's r0.  Call from SVC mode. */
uint32_t run_user(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t spsr);
extern uint32_t __user_last_spsr;   /* SPSR at the SVC that ended run_user*() */
uint32_t run_user_raw(void (*fn)(void), uint32_t arg, uint32_t spsr);
#define USER_CODE __attribute__((section(".usertext"), noinline))

/* ---- CP15 ------------------------------------------------------------- */
#define CP15_READ(op1, crn, crm, op2) ({ uint32_t _v;                          \
    __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2        \
                     : "=r"(_v) :: "memory"); _v; })
#define CP15_WRITE(op1, crn, crm, op2, val)                                    \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 "\n\t"  \
                     "isb" :: "r"((uint32_t)(val)) : "memory")

/* ---- hypercalls (native build: local equivalents) ---------------------- */
long hc_abi_version(void);
long hc_putc(int c);
long hc_write(const void *buf, unsigned len);
long hc_yield(void);
long hc_stats(void);
long hc_guest_id(void);
long hc_features(void);                 /* PV_FEAT_* (0 natively) */
void hc_exit(int status) __attribute__((noreturn));

#ifdef PV
#define GUEST_FLAVOUR "pv"
#else
#define GUEST_FLAVOUR "native"
#endif

#endif /* GUEST_GUEST_H */
