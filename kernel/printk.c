/* printk.c - a small formatter for the kernel console. */
#include "printk.h"

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "console.h"

struct out {
	char *buf;
	size_t size, len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Emit s padded to width (left-aligned when left). */
static void out_padded(struct out *o, const char *s, int n, int width, bool left, char pad)
{
	if (!left)
		for (int i = n; i < width; i++)
			out_c(o, pad);
	for (int i = 0; i < n; i++)
		out_c(o, s[i]);
	if (left)
		for (int i = n; i < width; i++)
			out_c(o, ' ');
}

/* Digits of v in base, most significant first, into tmp; returns their count. */
static int utoa(char *tmp, uint32_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[12];
	int n = 0;
	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

/* Format one conversion spec c with its flags. */
static void out_conv(struct out *o, char c, va_list *ap, int width, bool left, char pad)
{
	char tmp[16];
	int n;
	switch (c) {
	case 'd':
	case 'i': {
		int32_t v = va_arg(*ap, int32_t);
		bool neg = v < 0;
		n = utoa(tmp + 1, neg ? (uint32_t)0 - (uint32_t)v : (uint32_t)v, 10, false);
		if (neg)
			tmp[0] = '-';
		out_padded(o, neg ? tmp : tmp + 1, n + neg, width, left, pad);
		return;
	}
	case 'u':
	case 'x':
	case 'X':
		n = utoa(tmp, va_arg(*ap, uint32_t), c == 'u' ? 10 : 16, c == 'X');
		out_padded(o, tmp, n, width, left, pad);
		return;
	case 'p':
		n = utoa(tmp, (uint32_t)(uintptr_t)va_arg(*ap, void *), 16, false);
		out_padded(o, tmp, n, 8, false, '0');
		return;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		n = 0;
		while (s[n])
			n++;
		out_padded(o, s, n, width, left, ' ');
		return;
	}
	case 'c':
		tmp[0] = (char)va_arg(*ap, int);
		out_padded(o, tmp, 1, width, left, ' ');
		return;
	default:
		out_c(o, '%');
		out_c(o, c);
	}
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;
	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_c(&o, *p);
			continue;
		}
		p++;
		bool left = false;
		char pad = ' ';
		if (*p == '-') {
			left = true;
			p++;
		}
		if (*p == '0') {
			pad = '0';
			p++;
		}
		int width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		if (*p == 'l')
			p++; /* long is 32 bits on every Calf target */
		if (*p == '%') {
			out_c(&o, '%');
			continue;
		}
		if (!*p)
			break;
		out_conv(&o, *p, &args, width, left, pad);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintk(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

_Noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintk(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("\nKERNEL PANIC: %s\n", buf);
	board_poweroff(KERNEL_PANIC_STATUS);
}

_Noreturn void mm_panic(const char *why)
{
	panic("mm: %s", why);
}
