/*
 * expand.h - word expansion (POSIX XCU 2.6), the part this shell does: a
 * leading ~ becomes $HOME; $NAME, ${NAME}, $?, $$, $!, $#, $0-$9, $@ and $*
 * become their values; quotes and backslashes are removed; what unquoted
 * expansions produce is split into fields at spaces, tabs and newlines.
 * No command substitution, arithmetic or pathname globbing.
 */
#ifndef SH_EXPAND_H
#define SH_EXPAND_H

#include "buf.h"

/* Append the fields of raw word raw to *fields (an unquoted expansion to
 * nothing gives none; "" gives one empty field). Returns 0, or -1 after
 * reporting the error (bad substitution, out of memory). */
int expand_fields(const char *raw, struct vec *fields);
/* Expand raw into one string, without field splitting (assignments,
 * redirection targets). malloc()ed, or NULL after reporting the error. */
char *expand_string(const char *raw);

#endif
