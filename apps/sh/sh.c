/*
 * sh.c - Calf's shell: a small POSIX-style command interpreter.
 *
 *   sh                 read commands from standard input (interactive on a
 *                      terminal: prompt, job control, reports)
 *   sh -c CMDS [NAME [ARG...]]   run CMDS ($0 = NAME, $1... = ARGs)
 *   sh FILE [ARG...]   run the commands in FILE
 *
 * As Calf's first task (pid 1) it also reaps the orphans the kernel hands
 * it; when it exits the kernel powers the machine off with its status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "job.h"
#include "line.h"
#include "run.h"
#include "shell.h"
#include "syntax.h"
#include "var.h"

extern char **environ;

struct shell shell;

void shell_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout); /* what came before stays before */
	fputs("sh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

int shell_run_text(const char *text)
{
	struct script s;
	char *error;
	if (syntax_parse(text, &s, &error) < 0) {
		shell_error("%s", error ? error : "out of memory");
		free(error);
		shell.status = 2;
		return 2;
	}
	int code = run_script(&s);
	syntax_free(&s);
	return code;
}

/* PATH, HOME and PWD as a login would set them, where the environment has none. */
static void vars_init(void)
{
	var_import(environ);
	if (!var_get("PATH"))
		var_set("PATH", "/bin", true);
	if (!var_get("HOME"))
		var_set("HOME", "/", true);
	char *cwd = builtin_cwd();
	if (cwd)
		var_set("PWD", cwd, true);
	free(cwd);
}

/* Take the terminal for an interactive shell: its own process group in the
 * foreground, the job signals ignored (POSIX XCU 2.11; the glibc manual's
 * "Initializing the Shell" does the same). Without a terminal that answers
 * tcsetpgrp, jobs still run, only without process groups. */
static void job_control_start(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	shell.pgid = getpgrp();
	if (shell.pgid != shell.pid && setpgid(0, 0) == 0)
		shell.pgid = shell.pid;
	if (tcsetpgrp(0, shell.pgid) == 0)
		shell.job_control = true;
	else
		shell_error("no job control: %s", strerror(errno));
}

/* The prompt: $PS1, or "calf:DIR$ ". On stderr, as POSIX has it. */
static void prompt(void)
{
	const char *ps1 = var_get("PS1");
	if (ps1) {
		fputs(ps1, stderr);
	} else {
		char *cwd = builtin_cwd();
		fprintf(stderr, "calf:%s$ ", cwd ? cwd : "?");
		free(cwd);
	}
	fflush(stderr);
}

/* Read and run lines from fd until end of input or exit. */
static void run_lines(int fd)
{
	struct line_reader r = { .fd = fd, .bytewise = fd == 0 && !isatty(0) };
	for (;;) {
		job_reap();
		if (shell.interactive) {
			job_notify();
			prompt();
		}
		char *line;
		enum line_result got = line_read(&r, &line);
		if (got == LINE_EOF) {
			if (shell.interactive)
				fputs("exit\n", stderr); /* ^D echoes nothing: say why the shell ends */
			break;
		}
		if (got == LINE_ERROR && errno == EINTR) {
			if (shell.interactive)
				fputc('\n', stderr);
			continue;
		}
		if (got == LINE_ERROR) {
			shell_error("read: %s", strerror(errno));
			shell.status = 1;
			break;
		}
		if (got == LINE_TOO_LONG || got == LINE_NUL) {
			shell_error(got == LINE_NUL ? "line holds a NUL byte: ignored"
						    : "line longer than %d bytes: ignored",
				    LINE_MAX_BYTES);
			shell.status = 2;
			continue;
		}
		shell_run_text(line);
		if (shell.exiting)
			break;
	}
	line_free(&r);
}

static int usage(void)
{
	shell_error("usage: sh [-i] [-c COMMANDS [NAME [ARG...]] | FILE [ARG...]]");
	return 2;
}

/* Free what is left (leak checkers on the host see a clean heap) and pick the status. */
static int finish(void)
{
	job_clear();
	var_clear();
	fflush(NULL);
	return shell.exiting ? shell.exit_status : shell.status;
}

/* Read the options: -c COMMANDS, -i, --. Returns the index of the first
 * operand, or -1 for a bad option. */
static int options_parse(int argc, char **argv, const char **commands, bool *force_interactive)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			*commands = argv[i + 1];
			return i + 2;
		} else if (strcmp(argv[i], "-i") == 0) {
			*force_interactive = true;
		} else if (strcmp(argv[i], "--") == 0) {
			return i + 1;
		} else {
			return -1;
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	shell.pid = getpid();
	shell.pgid = getpgrp();
	shell.argc = argc > 0 ? 1 : 0;
	shell.argv = argv;
	vars_init();
	bool force_interactive = false;
	const char *commands = NULL;
	int i = options_parse(argc, argv, &commands, &force_interactive);
	if (i < 0) {
		var_clear();
		return usage();
	}
	if (i < argc) { /* $0 is the script (or the -c NAME), then its arguments */
		shell.argv = &argv[i];
		shell.argc = argc - i;
	}
	if (commands) {
		shell_run_text(commands);
		return finish();
	}
	int fd = 0;
	if (i < argc) {
		int f = open(argv[i], O_RDONLY);
		fd = f < 0 ? -1 : run_fd_move_high(f);
		if (f >= 0)
			close(f);
		if (fd < 0) {
			shell_error("%s: %s", argv[i], strerror(errno));
			var_clear();
			return 127;
		}
	} else {
		shell.interactive = force_interactive || (isatty(0) && isatty(2));
	}
	if (shell.interactive)
		job_control_start();
	run_lines(fd);
	if (fd > 0)
		close(fd);
	return finish();
}
