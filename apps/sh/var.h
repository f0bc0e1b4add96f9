/*
 * var.h - the shell's variables. Each has a name, a value and an export
 * flag; the exported ones make up the environment of the programs it runs
 * (POSIX XCU 2.5.3, 2.9.1). The environment the shell starts with is
 * imported, exported.
 */
#ifndef SH_VAR_H
#define SH_VAR_H

#include <stdbool.h>
#include <stddef.h>

/* Import every NAME=value string of envp as an exported variable. */
void var_import(char **envp);
/* The value of name, NULL when unset. */
const char *var_get(const char *name);
/* Set name to value, exported if export (an exported variable stays
 * exported). Returns 0, or -1 (out of memory, reported). */
int var_set(const char *name, const char *value, bool export);
/* Mark name exported, creating it empty if unset. 0 or -1 (out of memory). */
int var_export(const char *name);
/* Remove name (no error when unset). */
void var_unset(const char *name);
/* True when s[0..len) is a name: a letter or '_', then letters, digits, '_'. */
bool var_name_valid(const char *s, size_t len);
/* A malloc()ed NULL-terminated array of "NAME=value" strings of the
 * exported variables (vec_free_array frees it); NULL when out of memory. */
char **var_environ(void);
/* Print each exported variable as "export NAME='value'" on stdout. */
void var_print_exported(void);
/* Free every variable (at exit: leak checkers see a clean heap). */
void var_clear(void);

#endif
