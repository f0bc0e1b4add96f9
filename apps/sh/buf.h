/*
 * buf.h - growable strings and pointer arrays for the shell. A failed
 * allocation is sticky: the buffer remembers it, later additions do nothing,
 * and the caller checks once at the end (buf_ok, vec_ok) instead of after
 * every character.
 */
#ifndef SH_BUF_H
#define SH_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *s; /* NUL-terminated when not NULL */
	size_t len, cap;
	bool failed;
};

struct vec {
	void **v; /* NULL-terminated when not NULL */
	size_t len, cap;
	bool failed;
};

/* Append one character, n bytes, or a C string. */
void buf_putc(struct buf *b, char c);
void buf_putn(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
/* True when no allocation has failed since the buffer was empty. */
bool buf_ok(const struct buf *b);
/* Hand the string over to the caller (never NULL unless an allocation
 * failed: an empty buffer gives ""); the buffer is empty again. */
char *buf_take(struct buf *b);
/* Free the string and empty the buffer. */
void buf_free(struct buf *b);

/* Append p, a malloc()ed pointer the vector now owns (freed if it cannot
 * be added). A NULL p counts as a failed allocation: pass malloc results
 * straight in. */
void vec_push(struct vec *v, void *p);
bool vec_ok(const struct vec *v);
/* Hand the NULL-terminated array over (NULL if an allocation failed; an
 * empty vector gives a one-element array); the vector is empty again. */
void **vec_take(struct vec *v);
/* free() every element, then the array. */
void vec_free(struct vec *v);
/* free() every element of a NULL-terminated array and the array (NULL: no-op). */
void vec_free_array(void **a);

#endif
