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
	j->procs[j->nprocs++] = (struct proc){ pid, n, 0, false, false };
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

/* Take j out of the table (if it is there), keeping its number. */
static void job_unlist_keep_id(struct job *j)
{
	for (size_t i = 0; i < njobs; i++) {
		if (table[i] == j) {
			memmove(&table[i], &table[i + 1], (njobs - i - 1) * sizeof(*table));
			njobs--;
			break;
		}
	}
}

/* Take j out of the table (if it is there). */
static void job_unlist(struct job *j)
{
	job_unlist_keep_id(j);
	j->id = 0;
}

/* Send sig to every process of j: its group with job control, else each one left. */
static int job_signal(struct job *j, int sig)
{
	if (shell.job_control)
		return kill(-j->pgid, sig);
	int r = 0;
	for (size_t i = 0; i < j->nprocs; i++)
		if (!j->procs[i].done && kill(j->procs[i].pid, sig) < 0)
			r = -1;
	return r;
}

/* Send sig (SIGCONT to resume it) to j, a job that may be stopped, and count it running again. */
static void job_continue(struct job *j, int sig)
{
	job_signal(j, sig);
	for (size_t i = 0; i < j->nprocs; i++)
		j->procs[i].stopped = false;
	j->stop_told = false;
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

/* True when j has not finished and every process of it still running is stopped. */
static bool job_stopped(const struct job *j)
{
	bool any = false;
	for (size_t i = 0; i < j->nprocs; i++) {
		if (!j->procs[i].done && !j->procs[i].stopped)
			return false;
		any |= j->procs[i].stopped;
	}
	return any;
}

/* The signal that stopped j (a stopped job), for $?: 128 + it. */
static int job_stop_signal(const struct job *j)
{
	for (size_t i = 0; i < j->nprocs; i++)
		if (j->procs[i].stopped)
			return WSTOPSIG(j->procs[i].status);
	return SIGTSTP;
}

/* Record what waitpid said of p: stopped, continued (POSIX WCONTINUED) or ended. */
static void job_proc_update(struct proc *p, int wstatus)
{
	if (WIFSTOPPED(wstatus)) {
		p->stopped = true;
		p->status = wstatus;
	} else if (WIFCONTINUED(wstatus)) {
		p->stopped = false;
	} else {
		p->stopped = false;
		p->status = wstatus;
		p->done = true;
	}
}

/* Block until every process of j has ended or stopped (WUNTRACED). */
static void job_wait(struct job *j)
{
	for (size_t i = 0; i < j->nprocs; i++) {
		struct proc *p = &j->procs[i];
		while (!p->done && !p->stopped) {
			int st;
			pid_t r = waitpid(p->pid, &st, WUNTRACED);
			if (r == p->pid) {
				job_proc_update(p, st);
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

/* Put j last in the table, where %+ (the current job) finds it, numbering
 * it if it was not listed. 0, or -1 when out of memory (reported). */
static int job_list(struct job *j)
{
	if (j->id) {
		job_unlist_keep_id(j);
		table[njobs++] = j; /* the slot it left is still allocated */
		return 0;
	}
	j->id = 1;
	for (size_t i = 0; i < njobs; i++)
		if (table[i]->id >= j->id)
			j->id = table[i]->id + 1;
	struct job **t = realloc(table, (njobs + 1) * sizeof(*t));
	if (!t) {
		shell_error("out of memory: job not listed");
		j->id = 0;
		return -1;
	}
	table = t;
	table[njobs++] = j;
	return 0;
}

/* Say that j stopped (once per stop): "[N]+ Stopped  text", as it is the current job. */
static void job_stop_notice(struct job *j)
{
	printf("[%d]+ Stopped  %s\n", j->id, j->text);
	fflush(stdout);
	j->stop_told = true;
}

int job_foreground(struct job *j, bool report_exit)
{
	if (j->nprocs) {
		terminal_give(j->pgid);
		job_wait(j);
		terminal_give(shell.pgid);
	}
	if (job_stopped(j)) {
		/* Unlisted, it would stay stopped for good: kill it instead of losing it. */
		if (job_list(j) < 0) {
			job_continue(j, SIGKILL);
			job_discard(j);
			return 128 + SIGKILL;
		}
		job_stop_notice(j);
		return 128 + job_stop_signal(j);
	}
	job_report(j, report_exit);
	int code = j->nprocs ? job_status_code(j->procs[j->nprocs - 1].status) : 0;
	job_unlist(j);
	job_free(j);
	return code;
}

void job_background(struct job *j)
{
	if (job_list(j) < 0) {
		job_free(j); /* it runs on unlisted: reaped as an orphan would be */
		return;
	}
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
				job_proc_update(p, wstatus);
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
	while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED)) > 0 ||
	       (pid < 0 && errno == EINTR))
		if (pid > 0)
			job_mark(pid, st); /* anything else was an orphan init adopted */
}

/* "Running", "Stopped", "Done", "Exit N" or "Killed (SIGX)": how j stands. */
static void job_state(const struct job *j, char *out, size_t size)
{
	if (!job_done(j)) {
		snprintf(out, size, job_stopped(j) ? "Stopped" : "Running");
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
	if (job_stopped(j))
		j->stop_told = true;
	if (!job_done(j))
		return false;
	job_unlist(j);
	job_free(j);
	return true;
}

/* A listed job that stopped and has not said so yet, or NULL. */
static struct job *job_newly_stopped(void)
{
	for (size_t i = 0; i < njobs; i++)
		if (job_stopped(table[i]) && !table[i]->stop_told)
			return table[i];
	return NULL;
}

void job_notify(void)
{
	struct job *j;
	/* Each becomes the current job (%+), as its notice says. */
	while ((j = job_newly_stopped())) {
		job_list(j);
		job_stop_notice(j);
	}
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
/* Wait for job j to end, drop it; its status code. A job that is or
 * becomes stopped stays listed (waiting for it would never end): 128 + its
 * stop signal, and *kept is set. */
static int job_wait_listed(struct job *j, bool *kept)
{
	job_wait(j);
	*kept = job_stopped(j);
	if (*kept)
		return 128 + job_stop_signal(j);
	int code = job_status_code(j->procs[j->nprocs - 1].status);
	job_unlist(j);
	job_free(j);
	return code;
}

int builtin_wait(int argc, char **argv)
{
	bool kept;
	if (argc == 1) {
		/* POSIX: wait for every known child; the status is then zero. */
		for (size_t i = 0; i < njobs;) {
			job_wait_listed(table[i], &kept);
			i += kept; /* a dropped job's place is taken by the next */
		}
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
		code = job_wait_listed(j, &kept);
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
	/* The terminal first, then SIGCONT: a job continued in front may read at once. */
	terminal_give(j->pgid);
	if (job_stopped(j))
		job_continue(j, SIGCONT);
	return job_foreground(j, true);
}

int builtin_bg(int argc, char **argv)
{
	if (argc > 2) {
		shell_error("usage: bg [%%job]");
		return 2;
	}
	const char *spec = argc == 2 ? argv[1] : "%%";
	struct job *j = job_find(spec);
	if (!j) {
		shell_error("bg: %s: no such job", spec);
		return 1;
	}
	if (!job_stopped(j)) {
		shell_error("bg: job %d already in background", j->id);
		return 0;
	}
	job_continue(j, SIGCONT);
	job_list(j); /* the current job now, as fg would take it */
	printf("[%d]+ %s &\n", j->id, j->text);
	fflush(stdout);
	return 0;
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
		if (job_signal(j, sig) < 0) {
			shell_error("kill: %s: %s", target, strerror(errno));
			return 1;
		}
		/* A stopped job acts on a signal only once continued (as bash's kill does). */
		if (job_stopped(j) && sig != SIGKILL && sig != SIGCONT && sig != SIGSTOP &&
		    sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
			job_continue(j, SIGCONT);
		return 0;
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
