/*
 * builtin.c - the built-in commands (builtin.h) and their table; the job
 * built-ins live in job.c, the ones asking the kernel in sysinfo.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "builtin.h"
#include "job.h"
#include "shell.h"
#include "sysinfo.h"
#include "var.h"

static int builtin_cd(int argc, char **argv);
static int builtin_pwd(int argc, char **argv);
static int builtin_echo(int argc, char **argv);
static int builtin_export(int argc, char **argv);
static int builtin_unset(int argc, char **argv);
static int builtin_exit(int argc, char **argv);
static int builtin_help(int argc, char **argv);

static const struct {
	const char *name;
	builtin_fn fn;
	const char *usage;
} builtins[] = {
	{ "cd", builtin_cd, "cd [DIR | -]       change directory (default $HOME)" },
	{ "pwd", builtin_pwd, "pwd                print the current directory" },
	{ "echo", builtin_echo, "echo [-n] ARG...   print the arguments" },
	{ "export", builtin_export, "export [NAME[=VALUE]...]  export variables (alone: list them)" },
	{ "unset", builtin_unset, "unset NAME...      remove variables" },
	{ "exit", builtin_exit, "exit [STATUS]      leave the shell (as init: power off)" },
	{ "jobs", builtin_jobs, "jobs               list the jobs: Running, Stopped, Done" },
	{ "wait", builtin_wait, "wait [%JOB | PID...]  wait for background jobs (all by default)" },
	{ "fg", builtin_fg, "fg [%JOB]          continue a job in the foreground (Ctrl-Z stops it)" },
	{ "bg", builtin_bg, "bg [%JOB]          continue a stopped job in the background" },
	{ "kill", builtin_kill, "kill [-SIG] PID | %JOB...  send a signal (default TERM; -l lists)" },
	{ "ps", builtin_ps, "ps                 list the tasks: pid, parent, state, priority, pages" },
	{ "free", builtin_free, "free               the frame table: total, free, shared, committed" },
	{ "help", builtin_help, "help               this list and the programs along $PATH" },
	{ "poweroff", builtin_poweroff, "poweroff [STATUS]  power the machine off" },
};

builtin_fn builtin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}

char *builtin_cwd(void)
{
	for (size_t size = 128;; size *= 2) {
		char *b = malloc(size);
		if (!b)
			return NULL;
		if (getcwd(b, size))
			return b;
		free(b);
		if (errno != ERANGE || size > 1024 * 1024)
			return NULL;
	}
}

static int builtin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	if (argc > 2) {
		shell_error("usage: cd [DIR | -]");
		return 2;
	}
	if (dir && strcmp(dir, "-") == 0) {
		dir = var_get("OLDPWD");
		if (!dir) {
			shell_error("cd: OLDPWD not set");
			return 1;
		}
		printf("%s\n", dir);
	}
	if (!dir || !*dir)
		dir = "/";
	char *old = builtin_cwd();
	if (chdir(dir) < 0) {
		shell_error("cd: %s: %s", dir, strerror(errno));
		free(old);
		return 1;
	}
	char *now = builtin_cwd();
	if (old)
		var_set("OLDPWD", old, false);
	var_set("PWD", now ? now : dir, false);
	free(old);
	free(now);
	return 0;
}

static int builtin_pwd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char *cwd = builtin_cwd();
	if (!cwd) {
		shell_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	free(cwd);
	return 0;
}

/* Flush stdout; 0, or 1 after reporting a write error (a closed pipe, a full disk). */
static int output_done(const char *who)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	shell_error("%s: write error: %s", who, strerror(errno));
	clearerr(stdout);
	return 1;
}

static int builtin_echo(int argc, char **argv)
{
	int i = 1;
	bool newline = true;
	if (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = false;
		i++;
	}
	for (; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		putchar('\n');
	return output_done("echo");
}

static int builtin_export(int argc, char **argv)
{
	int code = 0;
	if (argc == 1) {
		var_print_exported();
		return output_done("export");
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!var_name_valid(argv[i], len)) {
			shell_error("export: %s: not a valid name", argv[i]);
			code = 1;
			continue;
		}
		if (eq) {
			*eq = '\0';
			code |= var_set(argv[i], eq + 1, true) < 0;
			*eq = '=';
		} else {
			code |= var_export(argv[i]) < 0;
		}
	}
	return code;
}

static int builtin_unset(int argc, char **argv)
{
	int code = 0;
	for (int i = 1; i < argc; i++) {
		if (!var_name_valid(argv[i], strlen(argv[i]))) {
			shell_error("unset: %s: not a valid name", argv[i]);
			code = 1;
			continue;
		}
		var_unset(argv[i]);
	}
	return code;
}

static int builtin_exit(int argc, char **argv)
{
	int code = shell.status;
	if (argc > 2) {
		shell_error("usage: exit [STATUS]");
		return 2;
	}
	if (argc == 2) {
		char *end;
		long n = strtol(argv[1], &end, 10);
		if (end == argv[1] || *end) {
			shell_error("exit: %s: not a number", argv[1]);
			return 2;
		}
		code = (int)(n & 0xff); /* as waitpid will see it */
	}
	shell.exiting = true;
	shell.exit_status = code;
	return code;
}

/* qsort order of two C strings held in an array. */
static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the names in directory dir, sorted, as one wrapped list. */
static void help_programs(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct vec names = { 0 };
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			vec_push(&names, strdup(e->d_name));
	closedir(d);
	if (!vec_ok(&names) || names.len == 0) {
		vec_free(&names);
		return;
	}
	qsort(names.v, names.len, sizeof(*names.v), names_cmp);
	printf("Programs in %s:\n ", dir);
	size_t col = 1;
	for (size_t i = 0; i < names.len; i++) {
		const char *n = names.v[i];
		if (col + strlen(n) + 1 > 78) {
			printf("\n ");
			col = 1;
		}
		printf(" %s", n);
		col += strlen(n) + 1;
	}
	printf("\n");
	vec_free(&names);
}

static int builtin_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Built-in commands:\n");
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		printf("  %s\n", builtins[i].usage);
	printf("Syntax: CMD ARG... | CMD   <IN  >OUT  >>OUT  2>ERR  2>&1   CMD &   A ; B   A && B   "
	       "A || B\n        'quoted'  \"$VAR ${VAR} $?\"  \\x   NAME=VALUE   # comment\n");
	const char *path = var_get("PATH");
	for (const char *p = path ? path : "/bin"; *p;) {
		size_t n = strcspn(p, ":");
		char *dir = strndup(p, n);
		if (dir && *dir)
			help_programs(dir);
		free(dir);
		p += n + (p[n] == ':');
	}
	return output_done("help");
}
