/*
 * shell.h - the state the whole shell shares, and its error messages.
 */
#ifndef SH_SHELL_H
#define SH_SHELL_H

#include <stdbool.h>
#include <sys/types.h>

struct shell {
	bool interactive;  /* prompts; reports exit statuses and finished jobs */
	bool job_control;  /* each job in its own process group, given the terminal */
	pid_t pid;         /* $$: the shell's pid (a forked subshell keeps it) */
	pid_t pgid;        /* the shell's own process group */
	int status;        /* $?: the status of the last command */
	pid_t last_bg;     /* $!: the last background process, 0 before any */
	int argc;          /* $0 ($#: argc - 1) and the positional parameters */
	char **argv;
	bool exiting;      /* the exit built-in ran: stop reading commands */
	int exit_status;
};

extern struct shell shell;

/* Print "sh: " and the formatted message and a newline on stderr. */
void shell_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run text as commands (lines separated by newlines). Returns the status
 * of the last one, or 2 for a syntax error, which it reports. */
int shell_run_text(const char *text);

#endif
