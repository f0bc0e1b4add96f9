/*
 * expand.c - word expansion (expand.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "shell.h"
#include "var.h"

struct expander {
	struct vec *fields; /* NULL: one string, no splitting */
	struct buf cur;     /* the field being built */
	bool have;          /* cur is a field even if empty (quotes were seen) */
	bool failed;
};

/* End the current field. */
static void field_end(struct expander *e)
{
	if (e->fields)
		vec_push(e->fields, buf_take(&e->cur));
	e->have = false;
}

/* Characters typed or quoted: never split. */
static void put_literal(struct expander *e, const char *s, size_t n)
{
	buf_putn(&e->cur, s, n);
	e->have = true;
}

/* What an expansion produced: split at IFS white space (XCU 2.6.5) unless
 * quoted or building one string. */
static void put_expansion(struct expander *e, const char *s, bool quoted)
{
	if (quoted || !e->fields) {
		put_literal(e, s, strlen(s));
		return;
	}
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (e->have)
				field_end(e);
		} else {
			put_literal(e, s, 1);
		}
	}
}

/* $@ and $*: the positional parameters. Quoted "$@" keeps them apart. */
static void put_params(struct expander *e, bool apart, bool quoted)
{
	for (int i = 1; i < shell.argc; i++) {
		if (i > 1) {
			if (apart && quoted && e->fields) {
				field_end(e);
				e->have = true;
			} else {
				put_expansion(e, " ", quoted);
			}
		}
		put_expansion(e, shell.argv[i], quoted);
	}
}

/* A one-character special parameter (XCU 2.5.2) other than @ and *. */
static void put_special(struct expander *e, char c, bool quoted)
{
	char num[16] = "";
	if (c == '?')
		snprintf(num, sizeof(num), "%d", shell.status);
	else if (c == '$')
		snprintf(num, sizeof(num), "%ld", (long)shell.pid);
	else if (c == '!' && shell.last_bg > 0)
		snprintf(num, sizeof(num), "%ld", (long)shell.last_bg);
	else if (c == '#')
		snprintf(num, sizeof(num), "%d", shell.argc > 0 ? shell.argc - 1 : 0);
	else if (c >= '0' && c <= '9') {
		int n = c - '0';
		put_expansion(e, n < shell.argc ? shell.argv[n] : "", quoted);
		return;
	}
	put_expansion(e, num, quoted);
}

static bool is_special(char c)
{
	return c && strchr("?$!#@*0123456789", c);
}

/* Expand name[0..len) (a name or one special character). */
static void put_param(struct expander *e, const char *name, size_t len, bool quoted)
{
	if (len == 1 && (name[0] == '@' || name[0] == '*'))
		put_params(e, name[0] == '@', quoted);
	else if (len == 1 && is_special(name[0]))
		put_special(e, name[0], quoted);
	else {
		char *n = strndup(name, len);
		const char *v = n ? var_get(n) : NULL;
		free(n);
		put_expansion(e, v ? v : "", quoted);
	}
}

/* The '$' at raw[i]: expand what follows; returns the index after it. */
static size_t expand_dollar(struct expander *e, const char *raw, size_t i, bool quoted)
{
	const char *s = raw + i + 1;
	if (*s == '{') {
		const char *end = strchr(s, '}');
		size_t len = end ? (size_t)(end - s - 1) : 0;
		if (!end || !((len == 1 && is_special(s[1])) || var_name_valid(s + 1, len))) {
			shell_error("%.*s: bad substitution", end ? (int)(end - s + 2) : (int)strlen(s) + 1,
				    s - 1);
			e->failed = true;
			return strlen(raw);
		}
		put_param(e, s + 1, len, quoted);
		return i + len + 3; /* ${ name } */
	}
	if (is_special(*s)) {
		put_param(e, s, 1, quoted);
		return i + 2;
	}
	size_t len = 0;
	while (var_name_valid(s, len + 1))
		len++;
	if (len == 0) {
		put_literal(e, "$", 1); /* a lone $ stands for itself */
		return i + 1;
	}
	put_param(e, s, len, quoted);
	return i + 1 + len;
}

/* The double-quoted part starting after the '"' at raw[i]; returns the index after the closing one. */
static size_t expand_dquoted(struct expander *e, const char *raw, size_t i)
{
	e->have = true;
	i++;
	while (raw[i] && raw[i] != '"' && !e->failed) {
		if (raw[i] == '\\' && raw[i + 1] && strchr("$`\"\\\n", raw[i + 1])) {
			if (raw[i + 1] != '\n') /* backslash-newline joins lines (XCU 2.2.3) */
				put_literal(e, raw + i + 1, 1);
			i += 2;
		} else if (raw[i] == '$') {
			i = expand_dollar(e, raw, i, true);
		} else {
			put_literal(e, raw + i++, 1);
		}
	}
	return raw[i] ? i + 1 : i;
}

/* Expand raw into e; returns 0 or -1. */
static int expand_run(struct expander *e, const char *raw)
{
	size_t i = 0;
	if (raw[0] == '~' && (raw[1] == '\0' || raw[1] == '/')) {
		const char *home = var_get("HOME");
		put_literal(e, home ? home : "~", strlen(home ? home : "~"));
		i = 1;
	}
	while (raw[i] && !e->failed) {
		if (raw[i] == '\\') {
			put_literal(e, raw + i + (raw[i + 1] != '\0'), 1);
			i += raw[i + 1] ? 2 : 1;
		} else if (raw[i] == '\'') {
			const char *end = strchr(raw + i + 1, '\'');
			size_t n = end ? (size_t)(end - raw - i - 1) : strlen(raw + i + 1);
			put_literal(e, raw + i + 1, n);
			i += n + 1 + (end != NULL);
		} else if (raw[i] == '"') {
			i = expand_dquoted(e, raw, i);
		} else if (raw[i] == '$') {
			i = expand_dollar(e, raw, i, false);
		} else {
			put_literal(e, raw + i++, 1);
		}
	}
	if (!e->failed && (!buf_ok(&e->cur) || (e->fields && !vec_ok(e->fields)))) {
		shell_error("out of memory");
		e->failed = true;
	}
	return e->failed ? -1 : 0;
}

int expand_fields(const char *raw, struct vec *fields)
{
	struct expander e = { .fields = fields };
	if (expand_run(&e, raw) == 0 && e.have)
		field_end(&e);
	buf_free(&e.cur);
	if (!e.failed && !vec_ok(fields)) {
		shell_error("out of memory");
		e.failed = true;
	}
	return e.failed ? -1 : 0;
}

char *expand_string(const char *raw)
{
	struct expander e = { 0 };
	if (expand_run(&e, raw) < 0) {
		buf_free(&e.cur);
		return NULL;
	}
	char *s = buf_take(&e.cur);
	if (!s)
		shell_error("out of memory");
	return s;
}
