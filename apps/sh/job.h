/*
 * job.h - jobs: the processes of one pipeline (or one background list),
 * in one process group when job control is on (POSIX XBD 3.204, XCU 2.11).
 * A foreground job is waited for with the terminal handed to it; a
 * background job joins the job table, is reaped without blocking before
 * each prompt and reported "[N] Done  text" once finished. A job stopped
 * (Ctrl-Z's SIGTSTP, SIGSTOP, SIGTTIN) joins the table as the current job
 * (%+), reported "[N]+ Stopped  text"; fg and bg continue it with SIGCONT.
 */
#ifndef SH_JOB_H
#define SH_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc {
	pid_t pid;
	char *name; /* argv[0], for messages */
	int status; /* as waitpid reports it, once done (or stopped) */
	bool done;
	bool stopped; /* stopped by a signal, not continued since */
};

struct job {
	int id;     /* %id in the table; 0 while not in it */
	pid_t pgid; /* the first process's pid: the group every process joins */
	struct proc *procs;
	size_t nprocs;
	char *text; /* the command line, for messages */
	bool stop_told; /* its "Stopped" notice has been printed since it stopped */
};

/* A new job for the command line text, with no process yet; NULL when out
 * of memory (reported). */
struct job *job_new(const char *text);
/* Record process pid (argv[0] name) as started in j; the first becomes
 * the group. Returns 0 or -1 (out of memory, reported). */
int job_add(struct job *j, pid_t pid, const char *name);
/* Wait for every process of j with the terminal handed to its group, take
 * the terminal back, report signals (and, when report_exit, in an
 * interactive shell a non-zero exit), free j. Returns the status of the
 * last process as $? sees it. If j stops instead, it stays (or goes) in
 * the table as the current job, reported Stopped; 128 + the stop signal. */
int job_foreground(struct job *j, bool report_exit);
/* Free j, which never started a process or whose processes are left to the reaper. */
void job_discard(struct job *j);
/* Put j in the job table to run on ("[N] pid" when interactive). */
void job_background(struct job *j);
/* The $? value of a waitpid status: the exit status, or 128 + the signal. */
int job_status_code(int wstatus);
/* Collect every child that has ended, stopped or continued, without
 * blocking: table jobs are marked, other children (orphans adopted by
 * init) are dropped. */
void job_reap(void);
/* Report each finished job ("[N] Done  text") and drop it from the table;
 * report each newly stopped one ("[N]+ Stopped  text"). */
void job_notify(void);
/* Free the table (at exit). */
void job_clear(void);
/* The name of signal sig without "SIG", NULL when unknown. */
const char *job_signal_name(int sig);

/* The built-ins of job control (argc, argv as main gets them; return the status). */
int builtin_jobs(int argc, char **argv);
int builtin_wait(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_kill(int argc, char **argv);

#endif
