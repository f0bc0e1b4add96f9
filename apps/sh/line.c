/*
 * line.c - line input (line.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line.h"

/* Bytes asked of one read() when not reading bytewise. */
#define LINE_CHUNK 512

/* Room for LINE_CHUNK more bytes and a terminator; false when out of memory. */
static bool line_room(struct line_reader *r)
{
	if (r->len + LINE_CHUNK + 1 <= r->cap)
		return true;
	size_t cap = r->cap ? r->cap * 2 : 2 * LINE_CHUNK;
	while (cap < r->len + LINE_CHUNK + 1)
		cap *= 2;
	char *b = realloc(r->buf, cap);
	if (!b)
		return false;
	r->buf = b;
	r->cap = cap;
	return true;
}

/* Hand out buf[0..end) as a line (buf[end] is the newline or the end). */
static enum line_result line_take(struct line_reader *r, size_t end, size_t next, bool too_long,
				  char **line)
{
	r->buf[end] = '\0';
	r->start = next;
	if (too_long)
		return LINE_TOO_LONG;
	if (memchr(r->buf, '\0', end))
		return LINE_NUL;
	*line = r->buf;
	return LINE_OK;
}

enum line_result line_read(struct line_reader *r, char **line)
{
	/* Forget the line handed out last time. */
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	size_t scanned = 0;
	bool too_long = false;
	for (;;) {
		char *nl = r->len > scanned ? memchr(r->buf + scanned, '\n', r->len - scanned) : NULL;
		if (nl)
			return line_take(r, (size_t)(nl - r->buf), (size_t)(nl - r->buf) + 1, too_long,
					 line);
		scanned = r->len;
		if (r->eof) {
			if (r->len == 0 && !too_long)
				return LINE_EOF;
			return line_take(r, r->len, r->len, too_long, line); /* no newline at the end */
		}
		if (r->len >= LINE_MAX_BYTES) {
			too_long = true; /* drop what came so far, read on to the newline */
			r->len = scanned = 0;
		}
		if (!line_room(r)) {
			errno = ENOMEM;
			return LINE_ERROR;
		}
		ssize_t n = read(r->fd, r->buf + r->len, r->bytewise ? 1 : LINE_CHUNK);
		if (n < 0)
			return LINE_ERROR;
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
}

void line_free(struct line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = r->start = 0;
}
