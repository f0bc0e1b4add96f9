/*
 * buf.c - growable strings and pointer arrays (buf.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Make room for extra more bytes plus the terminator; false (and sticky failure) if not. */
static bool buf_reserve(struct buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra >= (size_t)-1 / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 32;
	while (cap < need)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void buf_putn(struct buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_putc(struct buf *b, char c)
{
	buf_putn(b, &c, 1);
}

void buf_puts(struct buf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

bool buf_ok(const struct buf *b)
{
	return !b->failed;
}

char *buf_take(struct buf *b)
{
	if (!b->failed && !b->s)
		buf_reserve(b, 0);
	char *s = b->failed ? NULL : b->s;
	if (!s)
		free(b->s);
	else
		s[b->len] = '\0';
	*b = (struct buf){ 0 };
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	*b = (struct buf){ 0 };
}

void vec_push(struct vec *v, void *p)
{
	if (v->failed || !p) {
		free(p);
		v->failed = true;
		return;
	}
	if (v->len + 2 > v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **a = cap < (size_t)-1 / sizeof(*a) ? realloc(v->v, cap * sizeof(*a)) : NULL;
		if (!a) {
			free(p);
			v->failed = true;
			return;
		}
		v->v = a;
		v->cap = cap;
	}
	v->v[v->len++] = p;
	v->v[v->len] = NULL;
}

bool vec_ok(const struct vec *v)
{
	return !v->failed;
}

void **vec_take(struct vec *v)
{
	if (v->failed) {
		vec_free(v);
		return NULL;
	}
	void **a = v->v ? v->v : calloc(1, sizeof(*a));
	*v = (struct vec){ 0 };
	return a;
}

void vec_free(struct vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(v->v[i]);
	free(v->v);
	*v = (struct vec){ 0 };
}

void vec_free_array(void **a)
{
	if (!a)
		return;
	for (void **p = a; *p; p++)
		free(*p);
	free(a);
}
