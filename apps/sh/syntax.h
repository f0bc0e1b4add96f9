/*
 * syntax.h - the shell's command language, parsed into a tree.
 *
 * A line is a list of and-or lists separated by ';', '&' or newlines; an
 * and-or list is pipelines joined by '&&' and '||'; a pipeline is commands
 * joined by '|'; a command is words and redirections ([n]<, >, >>, <&, >&).
 * Words are kept as typed, quotes and '$' included: they are expanded when
 * they run (expand.h), so `false; echo $?` sees the status of false.
 */
#ifndef SH_SYNTAX_H
#define SH_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

enum redir_op {
	REDIR_IN,     /* n<word: open for reading (n defaults to 0) */
	REDIR_OUT,    /* n>word: create or truncate (n defaults to 1) */
	REDIR_APPEND, /* n>>word: create or append */
	REDIR_DUP_IN, /* n<&m, n<&- */
	REDIR_DUP_OUT /* n>&m, n>&- */
};

struct redir {
	int fd;
	enum redir_op op;
	char *word; /* raw */
};

struct command {
	char **words; /* raw, NULL-terminated */
	size_t nwords;
	struct redir *redirs;
	size_t nredirs;
};

struct pipeline {
	struct command *cmds;
	size_t ncmds;
};

enum andor_op { ANDOR_AND, ANDOR_OR };

struct andor {
	struct pipeline *pipes;
	enum andor_op *ops; /* ops[i] joins pipes[i] and pipes[i + 1] */
	size_t npipes;
	bool background; /* ended by '&' */
	char *text;      /* the source of the list, for job messages */
};

struct script {
	struct andor *items;
	size_t nitems;
};

/*
 * Parse text (any number of lines) into *out. Returns 0, or -1 with *error
 * a malloc()ed message (NULL when even that
 * could not be allocated: out of memory) and *out empty.
 */
int syntax_parse(const char *text, struct script *out, char **error);
/* Free what syntax_parse built; *s is empty again. */
void syntax_free(struct script *s);

#endif
