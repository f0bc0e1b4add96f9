/* printk.h - kernel console output and panic. */
#ifndef CALF_KERNEL_PRINTK_H
#define CALF_KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

/*
 * printf to the console: %d %i %u %x %X %p %s %c and %%, with width, zero
 * pad, '-' to left-align and the length modifiers hh, h, l, ll, z and j.
 * The compiler checks every call against its arguments: print fixed-width
 * types with <inttypes.h>'s PRIx32 and friends (uint32_t is unsigned long
 * on armv7 but unsigned int on i386), addresses with PRIxPADDR/PRIxVADDR.
 */
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);

/* Format into buf (always terminated); returns the length it wanted. */
__attribute__((format(printf, 3, 0))) int vsnprintk(char *buf, size_t size, const char *fmt,
						     va_list ap);

/* Exit status the machine stops with after a panic or a kernel-mode fault. */
#define KERNEL_PANIC_STATUS 125

/* Report a broken invariant and stop the machine. */
__attribute__((format(printf, 1, 2))) _Noreturn void panic(const char *fmt, ...);

#endif
