/* Monitor-wide services: console output, panic, configuration switches. */
#ifndef CORE_HV_H
#define CORE_HV_H

#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

#define HV_VERSION "0.1.0"

void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_vprintf(const char *fmt, va_list ap);
void hv_puts(const char *s);
void hv_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

struct arm_regs;
void hv_dump_regs(const struct arm_regs *f);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

#endif
