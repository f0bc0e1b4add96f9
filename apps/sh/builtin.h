/*
 * builtin.h - the built-in commands: run inside the shell when alone on a
 * line (so cd and export change the shell itself), in a child when part of
 * a pipeline or a background job.
 */
#ifndef SH_BUILTIN_H
#define SH_BUILTIN_H

/* A built-in gets argc and argv as main would and returns its status. */
typedef int (*builtin_fn)(int argc, char **argv);

/* The built-in called name, NULL if there is none. */
builtin_fn builtin_find(const char *name);

/* The current directory, malloc()ed; NULL with errno on failure. */
char *builtin_cwd(void);

#endif
