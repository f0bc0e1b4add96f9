/*
 * var.c - the shell's variables (var.h), kept in a plain array: a shell
 * has dozens, not thousands, and lookups are rare next to a fork.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "shell.h"
#include "var.h"

struct var {
	char *name;
	char *value;
	bool exported;
};

static struct var *vars;
static size_t nvars, capvars;

/* The index of name, or -1. */
static long var_find(const char *name, size_t len)
{
	for (size_t i = 0; i < nvars; i++)
		if (strncmp(vars[i].name, name, len) == 0 && vars[i].name[len] == '\0')
			return (long)i;
	return -1;
}

bool var_name_valid(const char *s, size_t len)
{
	if (len == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (size_t i = 1; i < len; i++) {
		char c = s[i];
		if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

const char *var_get(const char *name)
{
	long i = var_find(name, strlen(name));
	return i < 0 ? NULL : vars[i].value;
}

/* Set name[0..len) to value; the common part of var_set and var_import. */
static int var_set_n(const char *name, size_t len, const char *value, bool export)
{
	char *v = strdup(value);
	if (!v) {
		shell_error("out of memory");
		return -1;
	}
	long i = var_find(name, len);
	if (i >= 0) {
		free(vars[i].value);
		vars[i].value = v;
		vars[i].exported |= export;
		return 0;
	}
	if (nvars == capvars) {
		size_t cap = capvars ? capvars * 2 : 16;
		struct var *a = realloc(vars, cap * sizeof(*a));
		if (!a) {
			free(v);
			shell_error("out of memory");
			return -1;
		}
		vars = a;
		capvars = cap;
	}
	char *n = strndup(name, len);
	if (!n) {
		free(v);
		shell_error("out of memory");
		return -1;
	}
	vars[nvars++] = (struct var){ n, v, export };
	return 0;
}

int var_set(const char *name, const char *value, bool export)
{
	return var_set_n(name, strlen(name), value, export);
}

void var_import(char **envp)
{
	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		if (eq && var_name_valid(*envp, (size_t)(eq - *envp)))
			var_set_n(*envp, (size_t)(eq - *envp), eq + 1, true);
	}
}

int var_export(const char *name)
{
	long i = var_find(name, strlen(name));
	if (i < 0)
		return var_set(name, "", true);
	vars[i].exported = true;
	return 0;
}

void var_unset(const char *name)
{
	long i = var_find(name, strlen(name));
	if (i < 0)
		return;
	free(vars[i].name);
	free(vars[i].value);
	vars[i] = vars[--nvars];
}

char **var_environ(void)
{
	struct vec env = { 0 };
	for (size_t i = 0; i < nvars; i++) {
		if (!vars[i].exported)
			continue;
		struct buf b = { 0 };
		buf_puts(&b, vars[i].name);
		buf_putc(&b, '=');
		buf_puts(&b, vars[i].value);
		vec_push(&env, buf_take(&b));
	}
	return (char **)vec_take(&env);
}

void var_print_exported(void)
{
	for (size_t i = 0; i < nvars; i++) {
		if (!vars[i].exported)
			continue;
		printf("export %s='", vars[i].name);
		/* A quote inside becomes '\'' so that the line reads back as it was. */
		for (const char *c = vars[i].value; *c; c++)
			fputs(*c == '\'' ? "'\\''" : (char[]){ *c, '\0' }, stdout);
		fputs("'\n", stdout);
	}
}

void var_clear(void)
{
	for (size_t i = 0; i < nvars; i++) {
		free(vars[i].name);
		free(vars[i].value);
	}
	free(vars);
	vars = NULL;
	nvars = capvars = 0;
}
