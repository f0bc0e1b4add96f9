/*
 * run.c - running commands (run.h): POSIX XCU 2.9.1 (simple commands and
 * the command search), 2.7 (redirection), 2.9.2 (pipelines), 2.9.3 (lists).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "expand.h"
#include "job.h"
#include "run.h"
#include "shell.h"
#include "var.h"

/* How a pipeline runs: in the background, or waited for with its status a
 * condition of && or || (a failure is then no news) or the list's result. */
enum run_mode { RUN_BACKGROUND, RUN_CONDITION, RUN_FOREGROUND };

/* A command after expansion. */
struct expanded {
	char **argv;    /* the fields, NULL-terminated */
	int argc;
	char **assigns; /* leading NAME=value words, expanded */
};

/* Descriptors a redirection in the shell itself replaced, to put back after. */
struct saved_fds {
	struct {
		int fd, copy; /* copy -1: fd was closed before */
	} *s;
	size_t n;
};

/* The signals an interactive shell ignores (job control: POSIX XCU 2.11)
 * and its children take back: ^C and ^\ go to the foreground job, and a
 * child calling tcsetpgrp from its new group must not be stopped. */
static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

/* Set every job signal to handler (SIG_IGN or SIG_DFL). */
static void signals_set(void (*handler)(int), size_t count)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	for (size_t i = 0; i < count; i++)
		sigaction(job_signals[i], &sa, NULL);
}

int run_fd_move_high(int fd)
{
	int low[10], n = 0, copy;
	/* dup() returns the lowest free descriptor: keep taking until one is above 9. */
	while ((copy = dup(fd)) >= 0 && copy < 10)
		low[n++] = copy;
	int err = errno;
	while (n > 0)
		close(low[--n]);
	if (copy < 0) {
		errno = err;
		return -1;
	}
	fcntl(copy, F_SETFD, FD_CLOEXEC);
	return copy;
}

/* Split the leading NAME=value words off c's words and expand the rest into fields. 0 or -1. */
static int command_expand(const struct command *c, struct expanded *x)
{
	struct vec fields = { 0 }, assigns = { 0 };
	size_t i = 0;
	for (; i < c->nwords; i++) {
		const char *w = c->words[i], *eq = strchr(w, '=');
		if (!eq || !var_name_valid(w, (size_t)(eq - w)))
			break;
		char *value = expand_string(eq + 1);
		if (!value)
			goto fail;
		size_t len = (size_t)(eq - w) + 1 + strlen(value) + 1;
		char *a = malloc(len);
		if (a)
			snprintf(a, len, "%.*s=%s", (int)(eq - w), w, value);
		free(value);
		vec_push(&assigns, a);
	}
	for (; i < c->nwords; i++)
		if (expand_fields(c->words[i], &fields) < 0)
			goto fail;
	if (!vec_ok(&assigns)) {
		shell_error("out of memory");
		goto fail;
	}
	x->argc = (int)fields.len;
	x->argv = (char **)vec_take(&fields);
	x->assigns = (char **)vec_take(&assigns);
	if (x->argv && x->assigns)
		return 0;
	shell_error("out of memory");
	vec_free_array((void **)x->argv);
	vec_free_array((void **)x->assigns);
	return -1;
fail:
	vec_free(&fields);
	vec_free(&assigns);
	return -1;
}

/* Set each NAME=value of a (exported if export). */
static void assigns_apply(char **a, bool export)
{
	for (; *a; a++) {
		char *eq = strchr(*a, '=');
		*eq = '\0';
		var_set(*a, eq + 1, export);
		*eq = '=';
	}
}

/* Remember fd (once) so that fds_restore can put it back. 0 or -1. */
static int fd_save(struct saved_fds *save, int fd)
{
	for (size_t i = 0; i < save->n; i++)
		if (save->s[i].fd == fd)
			return 0;
	int copy = run_fd_move_high(fd);
	if (copy < 0 && errno != EBADF) {
		shell_error("cannot save descriptor %d: %s", fd, strerror(errno));
		return -1;
	}
	save->s[save->n].fd = fd;
	save->s[save->n++].copy = copy;
	return 0;
}

/* Put back what fd_save remembered, last first. */
static void fds_restore(struct saved_fds *save)
{
	while (save->n > 0) {
		save->n--;
		int fd = save->s[save->n].fd, copy = save->s[save->n].copy;
		if (copy >= 0) {
			dup2(copy, fd);
			close(copy);
		} else {
			close(fd);
		}
	}
	free(save->s);
	save->s = NULL;
}

/* The descriptor a redirection's target names: opened, or for <& and >&
 * the number given (-2 for '-': close). -1 after reporting the error. */
static int redir_source(const struct redir *r, const char *target)
{
	int fd;
	if (r->op == REDIR_DUP_IN || r->op == REDIR_DUP_OUT) {
		if (strcmp(target, "-") == 0)
			return -2;
		char *end;
		long n = strtol(target, &end, 10);
		if (end == target || *end || n < 0 || n > 9) {
			shell_error("%s: not a descriptor number (0-9 or -)", target);
			return -1;
		}
		return (int)n;
	}
	if (r->op == REDIR_IN)
		fd = open(target, O_RDONLY);
	else
		fd = open(target, O_WRONLY | O_CREAT | (r->op == REDIR_APPEND ? O_APPEND : O_TRUNC), 0666);
	if (fd < 0)
		shell_error("%s: %s", target, strerror(errno));
	return fd;
}

/* Perform one redirection (saving what it replaces when save is given). 0 or -1. */
static int redir_apply(const struct redir *r, struct saved_fds *save)
{
	char *target = expand_string(r->word);
	if (!target)
		return -1;
	/* Saved before anything is opened: an open may land on r->fd itself when it was closed. */
	if (save && fd_save(save, r->fd) < 0) {
		free(target);
		return -1;
	}
	int src = redir_source(r, target);
	bool dup_only = r->op == REDIR_DUP_IN || r->op == REDIR_DUP_OUT;
	int result = -1;
	if (src == -1)
		goto out;
	if (src == -2) {
		close(r->fd);
	} else if (src != r->fd) {
		if (dup2(src, r->fd) < 0) {
			shell_error("%s: %s", target, strerror(errno));
			goto out;
		}
	} else if (dup_only && fcntl(src, F_GETFD) < 0) {
		shell_error("%s: %s", target, strerror(errno)); /* n>&n of a closed n */
		goto out;
	}
	result = 0;
out:
	if (src >= 0 && src != r->fd && !dup_only)
		close(src);
	free(target);
	return result;
}

/* Perform every redirection of c in order. 0 or -1 (the first failure stops them). */
static int redirs_apply(const struct command *c, struct saved_fds *save)
{
	if (save) {
		save->n = 0;
		save->s = calloc(c->nredirs + 1, sizeof(*save->s));
		if (!save->s) {
			shell_error("out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < c->nredirs; i++)
		if (redir_apply(&c->redirs[i], save) < 0)
			return -1;
	return 0;
}

/* execve path; a file the kernel cannot load (ENOEXEC) is run as a script by /bin/sh
 * (XCU 2.9.1.1). Returns only on failure, with errno. */
static void exec_try(const char *path, char **argv, char **envp)
{
	execve(path, argv, envp);
	if (errno != ENOEXEC)
		return;
	int argc = 0;
	while (argv[argc])
		argc++;
	char **sh_argv = calloc((size_t)argc + 2, sizeof(*sh_argv));
	if (!sh_argv)
		return;
	sh_argv[0] = "sh";
	sh_argv[1] = (char *)path;
	for (int i = 1; i < argc; i++)
		sh_argv[i + 1] = argv[i];
	execve("/bin/sh", sh_argv, envp);
	free(sh_argv);
	errno = ENOEXEC;
}

/* Run program argv[0], looked up along $PATH (default /bin) unless it holds a
 * '/'. Never returns: exits 127 when not found, 126 when found but not runnable. */
static void __attribute__((noreturn)) exec_command(char **argv)
{
	char **envp = var_environ();
	const char *name = argv[0];
	int err = ENOENT;
	if (!envp) {
		err = ENOMEM;
	} else if (strchr(name, '/')) {
		exec_try(name, argv, envp);
		err = errno;
	} else if (*name) {
		const char *path = var_get("PATH");
		for (const char *dir = path ? path : "/bin";; dir++) {
			size_t dlen = strcspn(dir, ":");
			struct buf full = { 0 };
			buf_putn(&full, dlen ? dir : ".", dlen ? dlen : 1); /* an empty entry is "." */
			buf_putc(&full, '/');
			buf_puts(&full, name);
			char *p = buf_take(&full);
			if (p)
				exec_try(p, argv, envp);
			/* Go on past a directory that does not have it; remember why a found one failed. */
			if (!p || (errno != ENOENT && errno != ENOTDIR && err == ENOENT))
				err = p ? errno : ENOMEM;
			free(p);
			dir += dlen;
			if (!*dir)
				break;
		}
	}
	if (err == ENOENT && !strchr(name, '/'))
		shell_error("%s: command not found", name);
	else
		shell_error("%s: %s", name, strerror(err));
	fflush(stderr);
	_exit(err == ENOENT ? 127 : 126);
}

/* Where a forked child of a pipeline reads, writes, and which group it joins. */
struct child_plan {
	int in;        /* read end of the previous pipe, or -1 */
	int out[2];    /* this command's pipe to the next, or -1s */
	pid_t pgid;    /* the job's group, 0: this child starts it */
	bool background;
};

/* In the child: set up the plan and redirections, then run x. Never returns. */
static void __attribute__((noreturn)) child_run(const struct command *c, struct expanded *x,
						const struct child_plan *plan)
{
	if (shell.job_control) {
		setpgid(0, plan->pgid);
		if (!plan->background)
			tcsetpgrp(0, getpgrp()); /* as the parent does: whoever runs first wins the race */
	}
	if (plan->background && !shell.job_control) {
		/* XCU 2.11: without job control an asynchronous list ignores SIGINT and SIGQUIT. */
		signals_set(SIG_IGN, 2);
	} else if (shell.interactive) {
		signals_set(SIG_DFL, sizeof(job_signals) / sizeof(job_signals[0]));
	}
	if (plan->in >= 0) {
		dup2(plan->in, 0);
		close(plan->in);
	}
	if (plan->out[1] >= 0) {
		dup2(plan->out[1], 1);
		close(plan->out[1]);
		close(plan->out[0]);
	}
	if (redirs_apply(c, NULL) < 0)
		_exit(1);
	if (x->argc == 0)
		_exit(0);
	assigns_apply(x->assigns, true);
	builtin_fn fn = builtin_find(x->argv[0]);
	if (fn) {
		int code = fn(x->argc, x->argv);
		fflush(stdout);
		fflush(stderr);
		_exit(code);
	}
	exec_command(x->argv);
}

/* Run a built-in (or a line of assignments alone) in the shell itself, its
 * redirections undone after. */
static int run_here(const struct command *c, struct expanded *x)
{
	struct saved_fds save = { 0 };
	int code = 1;
	if (redirs_apply(c, &save) == 0) {
		/* Assignments before a built-in stay, as for POSIX special built-ins. */
		assigns_apply(x->assigns, false);
		code = x->argc ? builtin_find(x->argv[0])(x->argc, x->argv) : 0;
	}
	fflush(stdout);
	fflush(stderr);
	fds_restore(&save);
	return code;
}

/* Fork one child per command of pl, joined by pipes, as one job. */
static int run_forked(const struct pipeline *pl, struct expanded *xs, enum run_mode mode,
		      const char *text)
{
	bool background = mode == RUN_BACKGROUND;
	struct job *j = job_new(text);
	if (!j)
		return 1;
	struct child_plan plan = { .in = -1, .background = background };
	bool failed = false;
	fflush(NULL); /* nothing buffered may be written twice */
	for (size_t i = 0; i < pl->ncmds && !failed; i++) {
		plan.out[0] = plan.out[1] = -1;
		if (i + 1 < pl->ncmds && pipe(plan.out) < 0) {
			shell_error("pipe: %s", strerror(errno));
			failed = true;
			break;
		}
		plan.pgid = j->pgid;
		pid_t pid = fork();
		if (pid == 0)
			child_run(&pl->cmds[i], &xs[i], &plan);
		if (pid < 0) {
			shell_error("fork: %s", strerror(errno));
			failed = true;
		} else {
			if (shell.job_control)
				setpgid(pid, j->pgid ? j->pgid : pid);
			job_add(j, pid, xs[i].argc ? xs[i].argv[0] : "sh");
		}
		if (plan.in >= 0)
			close(plan.in);
		if (plan.out[1] >= 0)
			close(plan.out[1]);
		plan.in = plan.out[0];
	}
	if (plan.in >= 0)
		close(plan.in);
	if (background && j->nprocs) {
		job_background(j);
		return failed;
	}
	int code = job_foreground(j, mode == RUN_FOREGROUND); /* what started runs to its end */
	return failed ? 1 : code;
}

/* Run one pipeline: a lone built-in in the shell, anything else forked. */
static int run_pipeline(const struct pipeline *pl, enum run_mode mode, const char *text)
{
	struct expanded *xs = calloc(pl->ncmds, sizeof(*xs));
	size_t done = 0;
	int code = 1;
	if (!xs) {
		shell_error("out of memory");
		return 1;
	}
	while (done < pl->ncmds && command_expand(&pl->cmds[done], &xs[done]) == 0)
		done++;
	if (done == pl->ncmds) {
		if (mode != RUN_BACKGROUND && pl->ncmds == 1 &&
		    (xs[0].argc == 0 || builtin_find(xs[0].argv[0])))
			code = run_here(&pl->cmds[0], &xs[0]);
		else
			code = run_forked(pl, xs, mode, text);
	}
	for (size_t i = 0; i < done; i++) {
		vec_free_array((void **)xs[i].argv);
		vec_free_array((void **)xs[i].assigns);
	}
	free(xs);
	return code;
}

/* Pipelines joined by && and ||, in the shell: each runs or not by the status so far. */
static int run_andor_here(const struct andor *a)
{
	int code = run_pipeline(&a->pipes[0], a->npipes > 1 ? RUN_CONDITION : RUN_FOREGROUND, a->text);
	for (size_t i = 1; i < a->npipes && !shell.exiting; i++) {
		if ((a->ops[i - 1] == ANDOR_AND) != (code == 0))
			continue; /* skipped: the status stays */
		code = run_pipeline(&a->pipes[i], i + 1 < a->npipes ? RUN_CONDITION : RUN_FOREGROUND,
				    a->text);
	}
	return code;
}

/* "a && b &": a forked copy of the shell runs the whole list as one job. */
static int run_andor_background(const struct andor *a)
{
	struct job *j = job_new(a->text);
	if (!j)
		return 1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (shell.job_control)
			setpgid(0, 0);
		if (!shell.job_control)
			signals_set(SIG_IGN, 2); /* XCU 2.11, as in child_run */
		else
			signals_set(SIG_DFL, sizeof(job_signals) / sizeof(job_signals[0]));
		shell.interactive = shell.job_control = false;
		job_clear(); /* the parent's jobs are not this copy's children */
		int code = run_andor_here(a);
		fflush(NULL);
		_exit(shell.exiting ? shell.exit_status : code);
	}
	if (pid < 0) {
		shell_error("fork: %s", strerror(errno));
		job_discard(j);
		return 1;
	}
	if (shell.job_control)
		setpgid(pid, pid);
	if (job_add(j, pid, "sh") == 0)
		job_background(j);
	else
		job_discard(j);
	return 0;
}

int run_script(const struct script *s)
{
	for (size_t i = 0; i < s->nitems && !shell.exiting; i++) {
		const struct andor *a = &s->items[i];
		if (!a->background)
			shell.status = run_andor_here(a);
		else if (a->npipes == 1)
			shell.status = run_pipeline(&a->pipes[0], RUN_BACKGROUND, a->text);
		else
			shell.status = run_andor_background(a);
	}
	return shell.status;
}
