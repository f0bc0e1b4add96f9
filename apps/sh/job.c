/*
 * job.c - jobs, the job table and the job-control built-ins (job.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"
#include "shell.h"

static struct job **table; /* background jobs, oldest first */
static size_t njobs;

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "BUS", SIGBUS }, { "SEGV", SIGSEGV }, { "SYS", SIGSYS }, { "PIPE", SIGPIPE },
	{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
};

const char *job_signal_name(int sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

struct job *job_new(const char *text)
{
	struct job *j = calloc(1, sizeof(*j));
	if (j)
		j->text = strdup(text);
	if (!j || !j->text) {
		free(j);
		shell_error("out of memory");
		return NULL;
	}
	return j;
}

int job_add(struct job *j, pid_t pid, const char *name)
{
	struct proc *p = realloc(j->procs, (j->nprocs + 1) * sizeof(*p));
	char *n = strdup(name);
	if (!p || !n) {
		free(n);
		if (p)
			j->procs = p;
		shell_error("out of memory");
		return -1;
	}
	j->procs = p;
	j->procs[j->nprocs++] = (struct proc){ pid, n, 0, false };
	if (j->nprocs == 1)
		j->pgid = pid;
	return 0;
}

static void job_free(struct job *j)
{
	for (size_t i = 0; i < j->nprocs; i++)
		free(j->procs[i].name);
	free(j->procs);
	free(j->text);
	free(j);
}

void job_discard(struct job *j)
{
	job_free(j);
}

/* Take j out of the table (if it is there). */
static void job_unlist(struct job *j)
{
	for (size_t i = 0; i < njobs; i++) {
		if (table[i] == j) {
			memmove(&table[i], &table[i + 1], (njobs - i - 1) * sizeof(*table));
			njobs--;
			break;
		}
	}
	j->id = 0;
}

int job_status_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

static bool job_done(const struct job *j)
{
	for (size_t i = 0; i < j->nprocs; i++)
		if (!j->procs[i].done)
			return false;
	return true;
}

/* Block until every process of j has ended. */
static void job_wait(struct job *j)
{
	for (size_t i = 0; i < j->nprocs; i++) {
		struct proc *p = &j->procs[i];
		while (!p->done) {
			int st;
			pid_t r = waitpid(p->pid, &st, 0);
			if (r == p->pid) {
				p->status = st;
				p->done = true;
			} else if (r < 0 && errno != EINTR) {
				/* ECHILD: nothing left to wait for; call it a failure, not a hang. */
				shell_error("waitpid %ld: %s", (long)p->pid, strerror(errno));
				p->status = 127 << 8;
				p->done = true;
			}
		}
	}
}

/* Say how the processes of a finished foreground job ended, when it matters:
 * a signal always (but SIGPIPE before the last), a non-zero exit of the last
 * when report_exit and interactive, unless 126 or 127 (the shell's own "not
 * runnable" and "not found", already reported by the child). */
static void job_report(const struct job *j, bool report_exit)
{
	for (size_t i = 0; i < j->nprocs; i++) {
		const struct proc *p = &j->procs[i];
		bool last = i + 1 == j->nprocs;
		if (WIFSIGNALED(p->status)) {
			int sig = WTERMSIG(p->status);
			/* A reader that left early ends the writers with SIGPIPE: normal in a pipeline. */
			if (sig == SIGPIPE && !last)
				continue;
			const char *name = job_signal_name(sig);
			if (name)
				shell_error("%s: killed by SIG%s (%s)", p->name, name, strsignal(sig));
			else
				shell_error("%s: killed by signal %d", p->name, sig);
		} else if (last && report_exit && shell.interactive && WIFEXITED(p->status) &&
			   WEXITSTATUS(p->status) != 0 && WEXITSTATUS(p->status) < 126) {
			shell_error("%s: exit %d", p->name, WEXITSTATUS(p->status));
		}
	}
}

/* Hand the terminal to group pgid (job control only). POSIX XBD 11.1.2: the
 * foreground group is the one that reads the terminal and gets its ^C. */
static void terminal_give(pid_t pgid)
{
	if (shell.job_control)
		tcsetpgrp(0, pgid);
}

int job_foreground(struct job *j, bool report_exit)
{
	if (j->nprocs) {
		terminal_give(j->pgid);
		job_wait(j);
		terminal_give(shell.pgid);
	}
	job_report(j, report_exit);
	int code = j->nprocs ? job_status_code(j->procs[j->nprocs - 1].status) : 0;
	job_unlist(j);
	job_free(j);
	return code;
}

void job_background(struct job *j)
{
	struct job **t = realloc(table, (njobs + 1) * sizeof(*t));
	if (!t) {
		/* It runs on unlisted: reaped as an orphan would be. */
		shell_error("out of memory: job not listed");
		job_free(j);
		return;
	}
	table = t;
	int id = 1;
	for (size_t i = 0; i < njobs; i++)
		if (table[i]->id >= id)
			id = table[i]->id + 1;
	j->id = id;
	table[njobs++] = j;
	shell.last_bg = j->procs[j->nprocs - 1].pid;
	if (shell.interactive)
		fprintf(stderr, "[%d] %ld\n", j->id, (long)shell.last_bg);
}

/* Mark process pid of a table job ended with wstatus; false if no job has it. */
static bool job_mark(pid_t pid, int wstatus)
{
	for (size_t i = 0; i < njobs; i++) {
		for (size_t k = 0; k < table[i]->nprocs; k++) {
			struct proc *p = &table[i]->procs[k];
			if (p->pid == pid && !p->done) {
				p->status = wstatus;
				p->done = true;
				return true;
			}
		}
	}
	return false;
}

void job_reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0 || (pid < 0 && errno == EINTR))
		if (pid > 0)
			job_mark(pid, st); /* anything else was an orphan init adopted */
}

/* "Running", "Done", "Exit N" or "Killed (SIGX)": how j stands. */
static void job_state(const struct job *j, char *out, size_t size)
{
	if (!job_done(j)) {
		snprintf(out, size, "Running");
		return;
	}
	int st = j->procs[j->nprocs - 1].status;
	if (WIFSIGNALED(st)) {
		const char *name = job_signal_name(WTERMSIG(st));
		if (name)
			snprintf(out, size, "Killed (SIG%s)", name);
		else
			snprintf(out, size, "Killed (signal %d)", WTERMSIG(st));
	} else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		snprintf(out, size, "Exit %d", WEXITSTATUS(st));
	} else {
		snprintf(out, size, "Done");
	}
}

/* Print j's line; drop it if it has finished. Returns true if dropped. */
static bool job_show(struct job *j)
{
	char state[32];
	job_state(j, state, sizeof(state));
	printf("[%d] %s  %s\n", j->id, state, j->text);
	if (!job_done(j))
		return false;
	job_unlist(j);
	job_free(j);
	return true;
}

void job_notify(void)
{
	for (size_t i = 0; i < njobs;)
		if (!job_done(table[i]) || !job_show(table[i]))
			i++;
	fflush(stdout);
}

void job_clear(void)
{
	while (njobs)
		job_free(table[--njobs]);
	free(table);
	table = NULL;
}

/* The job spec names: %N, %% or %+ (the newest), or a pid of one of its processes. */
static struct job *job_find(const char *spec)
{
	char *end;
	if (strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || strcmp(spec, "%") == 0)
		return njobs ? table[njobs - 1] : NULL;
	bool percent = spec[0] == '%';
	long n = strtol(spec + percent, &end, 10);
	if (end == spec + percent || *end)
		return NULL;
	for (size_t i = 0; i < njobs; i++) {
		if (percent && table[i]->id == n)
			return table[i];
		for (size_t k = 0; !percent && k < table[i]->nprocs; k++)
			if (table[i]->procs[k].pid == n)
				return table[i];
	}
	return NULL;
}

int builtin_jobs(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		shell_error("jobs: no options or arguments are supported");
		return 2;
	}
	job_reap();
	for (size_t i = 0; i < njobs;)
		if (!job_show(table[i]))
			i++;
	return 0;
}

/* Wait for job j to end, drop it; its status code. */
static int job_wait_listed(struct job *j)
{
	job_wait(j);
	int code = job_status_code(j->procs[j->nprocs - 1].status);
	job_unlist(j);
	job_free(j);
	return code;
}

int builtin_wait(int argc, char **argv)
{
	if (argc == 1) {
		/* POSIX: wait for every known child; the status is then zero. */
		while (njobs)
			job_wait_listed(table[0]);
		return 0;
	}
	int code = 0;
	for (int i = 1; i < argc; i++) {
		struct job *j = job_find(argv[i]);
		if (!j) {
			shell_error("wait: %s: no such job", argv[i]);
			code = 127;
			continue;
		}
		code = job_wait_listed(j);
	}
	return code;
}

int builtin_fg(int argc, char **argv)
{
	if (argc > 2) {
		shell_error("usage: fg [%%job]");
		return 2;
	}
	struct job *j = job_find(argc == 2 ? argv[1] : "%%");
	if (!j) {
		shell_error("fg: %s: no such job", argc == 2 ? argv[1] : "%%");
		return 1;
	}
	printf("%s\n", j->text);
	fflush(stdout);
	return job_foreground(j, true);
}

/* A signal by name (any case, SIG optional) or number; -1 when unknown. */
static int signal_parse(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end != s && !*end)
		return n >= 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

/* kill -l: every signal this shell can name. */
static int kill_list(void)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		printf("%2d) SIG%-5s%s", signals[i].sig, signals[i].name, i % 4 == 3 ? "\n" : "  ");
	printf("\n");
	return 0;
}

/* kill(pid, sig), reporting a failure as about target. 0 or 1. */
static int kill_pid(const char *target, pid_t pid, int sig)
{
	if (kill(pid, sig) == 0)
		return 0;
	shell_error("kill: %s: %s", target, strerror(errno));
	return 1;
}

/* Send sig to target: %job (its group, or each of its processes without
 * job control) or a pid (negative: a process group). 0 or 1. */
static int kill_one(const char *target, int sig)
{
	if (target[0] == '%') {
		struct job *j = job_find(target);
		if (!j) {
			shell_error("kill: %s: no such job", target);
			return 1;
		}
		if (shell.job_control)
			return kill_pid(target, -j->pgid, sig);
		int code = 0;
		for (size_t i = 0; i < j->nprocs; i++)
			if (!j->procs[i].done)
				code |= kill_pid(target, j->procs[i].pid, sig);
		return code;
	}
	char *end;
	long n = strtol(target, &end, 10);
	if (end == target || *end) {
		shell_error("kill: %s: not a pid or %%job", target);
		return 1;
	}
	return kill_pid(target, (pid_t)n, sig);
}

int builtin_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1;
	if (argc == 2 && strcmp(argv[1], "-l") == 0)
		return kill_list();
	if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
		sig = signal_parse(argv[i + 1]);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
		sig = signal_parse(argv[i] + 1);
		i++;
	}
	if (sig < 0) {
		shell_error("kill: %s: unknown signal (kill -l lists them)", argv[i - 1]);
		return 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		shell_error("usage: kill [-SIGNAL | -s SIGNAL] pid|%%job ... (kill -l: the signals)");
		return 2;
	}
	int code = 0;
	for (; i < argc; i++)
		code |= kill_one(argv[i], sig);
	return code;
}
