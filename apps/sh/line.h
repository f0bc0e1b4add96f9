/*
 * line.h - reading the shell's input a line at a time. From a terminal in
 * canonical mode each read() returns one line the kernel has already
 * edited (backspace, ^U, ^C, ^D are the line discipline's business). From a
 * pipe or file on standard input the shell reads one byte at a time, so
 * that a command it starts finds the rest of the input unread (POSIX XCU
 * sh, "INPUT FILES").
 */
#ifndef SH_LINE_H
#define SH_LINE_H

#include <stdbool.h>
#include <stddef.h>

/* The longest line the shell takes; a longer one is refused, not cut. */
#define LINE_MAX_BYTES (64 * 1024)

enum line_result {
	LINE_OK = 1,        /* *line holds the next line */
	LINE_EOF = 0,       /* no more input */
	LINE_ERROR = -1,    /* read() failed: errno says why (EINTR: try again) */
	LINE_TOO_LONG = -2, /* a line over LINE_MAX_BYTES was skipped */
	LINE_NUL = -3       /* a line holding a NUL byte was skipped */
};

struct line_reader {
	int fd;
	bool bytewise; /* one byte per read(): leave what follows to the commands */
	char *buf;
	size_t len, cap; /* bytes held, room */
	size_t start;    /* bytes of buf already handed out */
	bool eof;
};

/* The next line, newline removed, in *line (valid until the next call). */
enum line_result line_read(struct line_reader *r, char **line);
/* Free the reader's buffer. */
void line_free(struct line_reader *r);

#endif
