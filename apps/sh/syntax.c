/*
 * syntax.c - the lexer and recursive-descent parser of syntax.h, after the
 * POSIX shell grammar (XCU 2.10), without compound commands: no (), {},
 * if, while or functions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "syntax.h"

enum tok_kind { TOK_WORD, TOK_IONUM, TOK_OP, TOK_END };

enum tok_op {
	OP_PIPE, OP_OR, OP_AMP, OP_AND, OP_SEMI, OP_NEWLINE,
	OP_LT, OP_GT, OP_DGT, OP_LTAMP, OP_GTAMP, OP_LPAREN, OP_RPAREN
};

/* The operators, longest first so that "||" wins over "|". */
static const struct {
	const char *text;
	enum tok_op op;
} ops[] = {
	{ "||", OP_OR }, { "&&", OP_AND }, { ">>", OP_DGT }, { "<&", OP_LTAMP }, { ">&", OP_GTAMP },
	{ "|", OP_PIPE }, { "&", OP_AMP }, { ";", OP_SEMI }, { "\n", OP_NEWLINE }, { "<", OP_LT },
	{ ">", OP_GT }, { "(", OP_LPAREN }, { ")", OP_RPAREN },
};

struct token {
	enum tok_kind kind;
	enum tok_op op;
	size_t start, end; /* its text in the source */
};

struct parser {
	const char *s;
	size_t pos;       /* where the next token starts looking */
	struct token tok; /* the current token */
	size_t last_end;  /* end of the last token consumed */
	bool failed;      /* an error was found: stop */
	char *error;      /* the first error, malloc()ed (NULL if that failed too) */
};

/* Record the first error (later ones are consequences). */
static void parse_error(struct parser *p, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->error = strdup(msg);
}

static bool is_metachar(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '|' || c == '&' || c == ';' || c == '<' ||
	       c == '>' || c == '(' || c == ')';
}

/* The end of the word starting at i: quotes, backslashes and ${...} hold metacharacters in. */
static size_t scan_word(struct parser *p, size_t i)
{
	const char *s = p->s;
	while (s[i] && !is_metachar(s[i])) {
		if (s[i] == '\\') {
			i += s[i + 1] ? 2 : 1;
		} else if (s[i] == '\'') {
			const char *q = strchr(s + i + 1, '\'');
			if (!q) {
				parse_error(p, "syntax error: unterminated '");
				return strlen(s);
			}
			i = (size_t)(q - s) + 1;
		} else if (s[i] == '"') {
			for (i++; s[i] && s[i] != '"'; i++)
				if (s[i] == '\\' && s[i + 1])
					i++;
			if (!s[i]) {
				parse_error(p, "syntax error: unterminated \"");
				return i;
			}
			i++;
		} else if (s[i] == '$' && s[i + 1] == '{') {
			const char *q = strchr(s + i, '}');
			if (!q) {
				parse_error(p, "syntax error: missing } after ${");
				return strlen(s);
			}
			i = (size_t)(q - s) + 1;
		} else {
			i++;
		}
	}
	return i;
}

/* Move to the next token. */
static void lex_next(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->pos;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] == '#')
		while (s[i] && s[i] != '\n')
			i++;
	p->tok = (struct token){ .kind = TOK_END, .start = i, .end = i };
	if (!s[i]) {
		p->pos = i;
		return;
	}
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t n = strlen(ops[k].text);
		if (strncmp(s + i, ops[k].text, n) == 0) {
			p->tok = (struct token){ TOK_OP, ops[k].op, i, i + n };
			p->pos = i + n;
			return;
		}
	}
	size_t end = scan_word(p, i);
	/* A lone digit right before < or > names the descriptor (XCU 2.10.1 io_number). */
	bool ionum = end == i + 1 && s[i] >= '0' && s[i] <= '9' && (s[end] == '<' || s[end] == '>');
	p->tok = (struct token){ ionum ? TOK_IONUM : TOK_WORD, 0, i, end };
	p->pos = end;
}

/* Consume the current token. */
static void advance(struct parser *p)
{
	p->last_end = p->tok.end;
	lex_next(p);
}

static bool tok_is(const struct parser *p, enum tok_op op)
{
	return p->tok.kind == TOK_OP && p->tok.op == op;
}

/* Report the current token as unexpected. */
static void unexpected(struct parser *p)
{
	if (p->tok.kind == TOK_END)
		parse_error(p, "syntax error: unexpected end of line");
	else if (tok_is(p, OP_NEWLINE))
		parse_error(p, "syntax error: unexpected newline");
	else if (tok_is(p, OP_LPAREN) || tok_is(p, OP_RPAREN))
		parse_error(p, "syntax error near '%c': ( ) subshells are not supported",
			    p->s[p->tok.start]);
	else
		parse_error(p, "syntax error near '%.*s'", (int)(p->tok.end - p->tok.start),
			    p->s + p->tok.start);
}

/* Grow *arr (of *n elements of size bytes) by one zeroed element; NULL if out of memory. */
static void *grow(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	if (*n >= ((size_t)-1 >> 1) / size - 1)
		return NULL;
	char *a = realloc(*arr, (*n + 1) * size);
	if (!a)
		return NULL;
	*arr = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

static char *tok_text(const struct parser *p)
{
	return strndup(p->s + p->tok.start, p->tok.end - p->tok.start);
}

/* [n]op word, the current token being the operator or the number. */
static void parse_redir(struct parser *p, struct command *c)
{
	int fd = -1;
	if (p->tok.kind == TOK_IONUM) {
		fd = p->s[p->tok.start] - '0';
		advance(p);
	}
	enum redir_op op;
	switch (p->tok.op) {
	case OP_LT: op = REDIR_IN; break;
	case OP_GT: op = REDIR_OUT; break;
	case OP_DGT: op = REDIR_APPEND; break;
	case OP_LTAMP: op = REDIR_DUP_IN; break;
	default: op = REDIR_DUP_OUT; break;
	}
	if (fd < 0)
		fd = op == REDIR_IN || op == REDIR_DUP_IN ? 0 : 1;
	const char *optext = p->s + p->tok.start;
	int oplen = (int)(p->tok.end - p->tok.start);
	advance(p);
	if (p->tok.kind != TOK_WORD) {
		parse_error(p, "syntax error: no file name after %.*s", oplen, optext);
		return;
	}
	struct redir *r = grow(&c->redirs, &c->nredirs, sizeof(*r));
	char *word = tok_text(p);
	if (!r || !word) {
		free(word);
		parse_error(p, "out of memory");
		return;
	}
	*r = (struct redir){ fd, op, word };
	advance(p);
}

static bool at_redir(const struct parser *p)
{
	return p->tok.kind == TOK_IONUM || tok_is(p, OP_LT) || tok_is(p, OP_GT) ||
	       tok_is(p, OP_DGT) || tok_is(p, OP_LTAMP) || tok_is(p, OP_GTAMP);
}

/* Words and redirections, at least one of them. */
static void parse_command(struct parser *p, struct command *c)
{
	struct vec words = { 0 };
	while (!p->failed) {
		if (p->tok.kind == TOK_WORD) {
			vec_push(&words, tok_text(p));
			advance(p);
		} else if (at_redir(p)) {
			parse_redir(p, c);
		} else {
			break;
		}
	}
	if (!p->failed && words.len == 0 && c->nredirs == 0)
		unexpected(p);
	c->nwords = words.len;
	c->words = (char **)vec_take(&words);
	if (!c->words)
		parse_error(p, "out of memory");
}

/* Commands joined by '|'. */
static void parse_pipeline(struct parser *p, struct pipeline *pl)
{
	do {
		struct command *c = grow(&pl->cmds, &pl->ncmds, sizeof(*c));
		if (!c) {
			parse_error(p, "out of memory");
			return;
		}
		parse_command(p, c);
		if (p->failed || !tok_is(p, OP_PIPE))
			return;
		advance(p);
		while (tok_is(p, OP_NEWLINE))
			advance(p);
	} while (!p->failed);
}

/* Pipelines joined by '&&' and '||'. */
static void parse_andor(struct parser *p, struct andor *a)
{
	size_t start = p->tok.start;
	size_t nops = 0;
	for (;;) {
		struct pipeline *pl = grow(&a->pipes, &a->npipes, sizeof(*pl));
		if (!pl) {
			parse_error(p, "out of memory");
			return;
		}
		parse_pipeline(p, pl);
		if (p->failed || !(tok_is(p, OP_AND) || tok_is(p, OP_OR)))
			break;
		enum andor_op *op = grow(&a->ops, &nops, sizeof(*op));
		if (!op) {
			parse_error(p, "out of memory");
			return;
		}
		*op = tok_is(p, OP_AND) ? ANDOR_AND : ANDOR_OR;
		advance(p);
		while (tok_is(p, OP_NEWLINE))
			advance(p);
	}
	a->text = strndup(p->s + start, p->last_end - start);
	if (!a->text)
		parse_error(p, "out of memory");
}

static void free_command(struct command *c)
{
	vec_free_array((void **)c->words);
	for (size_t i = 0; i < c->nredirs; i++)
		free(c->redirs[i].word);
	free(c->redirs);
}

void syntax_free(struct script *s)
{
	for (size_t i = 0; i < s->nitems; i++) {
		struct andor *a = &s->items[i];
		for (size_t j = 0; j < a->npipes; j++) {
			for (size_t k = 0; k < a->pipes[j].ncmds; k++)
				free_command(&a->pipes[j].cmds[k]);
			free(a->pipes[j].cmds);
		}
		free(a->pipes);
		free(a->ops);
		free(a->text);
	}
	free(s->items);
	*s = (struct script){ 0 };
}

int syntax_parse(const char *text, struct script *out, char **error)
{
	struct parser p = { .s = text };
	*out = (struct script){ 0 };
	lex_next(&p);
	while (!p.failed) {
		while (tok_is(&p, OP_NEWLINE))
			advance(&p);
		if (p.tok.kind == TOK_END)
			break;
		struct andor *a = grow(&out->items, &out->nitems, sizeof(*a));
		if (!a) {
			parse_error(&p, "out of memory");
			break;
		}
		parse_andor(&p, a);
		if (p.failed)
			break;
		if (tok_is(&p, OP_AMP) || tok_is(&p, OP_SEMI)) {
			a->background = tok_is(&p, OP_AMP);
			advance(&p);
		} else if (!tok_is(&p, OP_NEWLINE) && p.tok.kind != TOK_END) {
			unexpected(&p);
		}
	}
	if (!p.failed)
		return 0;
	syntax_free(out);
	*error = p.error;
	return -1;
}
