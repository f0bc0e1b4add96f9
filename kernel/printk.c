/* printk.c - a small formatter for the kernel console. */
#include "printk.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "console.h"

struct out {
	char *buf;
	size_t size, len;
};

/* How wide the argument of a conversion is (C11 7.21.6.1 length modifiers). */
enum arg_len { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX };

/* One conversion's flags, width and length. */
struct spec {
	int width;
	bool left;
	char pad;
	enum arg_len len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Emit s padded to width (left-aligned when left). */
static void out_padded(struct out *o, const char *s, int n, const struct spec *sp)
{
	if (!sp->left)
		for (int i = n; i < sp->width; i++)
			out_c(o, sp->pad);
	for (int i = 0; i < n; i++)
		out_c(o, s[i]);
	if (sp->left)
		for (int i = n; i < sp->width; i++)
			out_c(o, ' ');
}

/* Digits of v in base, most significant first, into tmp; returns their count. */
static int utoa(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0;
	do {
		/* 32-bit division while the value fits: no libgcc call on 32-bit CPUs. */
		if (v <= UINT32_MAX) {
			uint32_t w = (uint32_t)v;
			rev[n++] = digits[w % base];
			v = w / base;
		} else {
			rev[n++] = digits[v % base];
			v /= base;
		}
	} while (v);
	for (int i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

/* The next argument as an unsigned value of the spec's length. */
static uint64_t arg_unsigned(va_list *ap, enum arg_len len)
{
	switch (len) {
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* The next argument as a signed value of the spec's length. */
static int64_t arg_signed(va_list *ap, enum arg_len len)
{
	switch (len) {
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (int64_t)va_arg(*ap, size_t); /* %zd: ssize_t, size_t-wide */
	case LEN_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

/* Format one conversion c. */
static void out_conv(struct out *o, char c, va_list *ap, const struct spec *sp)
{
	char tmp[24];
	int n;
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, sp->len);
		bool neg = v < 0;
		n = utoa(tmp + 1, neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, false);
		if (neg)
			tmp[0] = '-';
		out_padded(o, neg ? tmp : tmp + 1, n + neg, sp);
		return;
	}
	case 'u':
	case 'x':
	case 'X':
		n = utoa(tmp, arg_unsigned(ap, sp->len), c == 'u' ? 10 : 16, c == 'X');
		out_padded(o, tmp, n, sp);
		return;
	case 'p': {
		struct spec ptr = { 2 * (int)sizeof(void *), false, '0', LEN_INT };
		n = utoa(tmp, (uintptr_t)va_arg(*ap, void *), 16, false);
		out_padded(o, tmp, n, &ptr);
		return;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		n = 0;
		while (s[n])
			n++;
		struct spec str = *sp;
		str.pad = ' ';
		out_padded(o, s, n, &str);
		return;
	}
	case 'c':
		tmp[0] = (char)va_arg(*ap, int);
		out_padded(o, tmp, 1, sp);
		return;
	default:
		out_c(o, '%');
		out_c(o, c);
	}
}

/* Parse flags, width and length after a '%'; returns the conversion character's position. */
static const char *spec_parse(const char *p, struct spec *sp)
{
	*sp = (struct spec){ 0, false, ' ', LEN_INT };
	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->pad = '0';
		else
			break;
	}
	while (*p >= '0' && *p <= '9')
		sp->width = sp->width * 10 + (*p++ - '0');
	if (*p == 'h') {
		p += p[1] == 'h' ? 2 : 1; /* promoted to int through '...' anyway */
	} else if (*p == 'l') {
		sp->len = p[1] == 'l' ? LEN_LLONG : LEN_LONG;
		p += p[1] == 'l' ? 2 : 1;
	} else if (*p == 'z') {
		sp->len = LEN_SIZE;
		p++;
	} else if (*p == 'j') {
		sp->len = LEN_MAX;
		p++;
	}
	return p;
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
		struct spec sp;
		p = spec_parse(p + 1, &sp);
		if (*p == '%') {
			out_c(&o, '%');
			continue;
		}
		if (!*p)
			break;
		out_conv(&o, *p, &args, &sp);
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
	/* Uninterruptible: a task's pending signal must not eat the kernel's message. */
	(void)console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1, false);
}

_Noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintk(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_sync(); /* whatever is queued first, then the report, all polled */
	printk("\nKERNEL PANIC: %s\n  called from %08" PRIxPTR "\n", buf,
	       (uintptr_t)__builtin_return_address(0));
	board_poweroff(KERNEL_PANIC_STATUS);
}

_Noreturn void mm_panic(const char *why)
{
	panic("mm: %s", why);
}
