/* printk.h - kernel console output and panic. */
#ifndef CALF_KERNEL_PRINTK_H
#define CALF_KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

/*
 * printf to the console: %d %u %x %X %p %s %c, width, zero pad, '-' to
 * left-align. Integers are 32 bits on every Calf target, so int, long and
 * uint32_t all print with the same conversions (which is why the printf
 * format attribute, strict about int versus long, is not used).
 */
void printk(const char *fmt, ...);

/* Format into buf (always terminated); returns the length it wanted. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);

/* Exit status the machine stops with after a panic or a kernel-mode fault. */
#define KERNEL_PANIC_STATUS 125

/* Report a broken invariant and stop the machine. */
_Noreturn void panic(const char *fmt, ...);

#endif
