/*
 * ttytest.c - the on-target terminal and process-group suite.
 *
 * Without input: process groups (inherited at fork, setpgid and getpgid
 * with POSIX's errors, EACCES after exec), kill of a group, of the
 * caller's group and of every task, sigaction's errors, ignored signals
 * (discarded, inherited at fork, kept by exec, sparing a blocked read),
 * tcgetpgrp/tcsetpgrp errors.
 *
 * With input typed by tests/target/expect-tty.sh: each such case prints
 * "ttytest: send NAME" once it is ready, and the script then types stage
 * NAME (a Ctrl-C must come while a chosen group is in the foreground, so
 * the input cannot all arrive at boot as a file fed to QEMU does). Line
 * editing (erase, kill, Ctrl-D, CR), one line per read, Ctrl-C and Ctrl-\
 * to the foreground group only, Ctrl-Z stopping the foreground group
 * only, raw mode, O_NONBLOCK.
 *
 * Init (this suite) ignores SIGINT and SIGQUIT, so a stray Ctrl-C fails a
 * case instead of ending the run; each case's task starts with both at
 * their defaults (suite_child_prologue). It ignores SIGTTOU, as a shell
 * does, so the cases may take the terminal back from the background.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define SETTLE_US 20000 /* long enough for a woken or blocked task to get there */
#define NO_SUCH_PID 30000

/* Ask expect-tty.sh to type stage name (it types each stage once). */
static void send(const char *name)
{
	printf("ttytest: send %s\n", name);
	fflush(stdout);
}

/* ---- process groups ------------------------------------------------------- */

/* Init leads group 1; a forked task starts in its parent's group. */
static int pgid_inherited_at_fork(void)
{
	EXPECT(getpgid(1) == 1);
	EXPECT(getpgrp() == 1); /* this case's task: init's child */
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(getpgrp() == getpid() ? 0 : 1);
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	EXPECT(setpgid(0, 0) == 0 && getpgrp() == getpid());
	pid = fork();
	if (pid == 0)
		_exit(getpgrp() == getppid() ? 0 : 1); /* the new group, inherited */
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	return 0;
}

/* setpgid: a child can be moved into its own or an existing group; POSIX's errors otherwise. */
static int setpgid_rules(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t a = suite_blocked_child(p, -1), b = suite_blocked_child(p, -1);
	EXPECT(a > 0 && b > 0);
	EXPECT(setpgid(a, a) == 0 && getpgid(a) == a);
	EXPECT(setpgid(b, a) == 0 && getpgid(b) == a); /* an existing group */
	EXPECT(setpgid(b, 0) == 0 && getpgid(b) == b); /* 0: its own pid */
	EXPECT(setpgid(0, -1) == -1 && errno == EINVAL);
	EXPECT(setpgid(1, 1) == -1 && errno == ESRCH);           /* not a child */
	EXPECT(setpgid(NO_SUCH_PID, 0) == -1 && errno == ESRCH);
	EXPECT(setpgid(-5, 0) == -1 && errno == ESRCH);
	EXPECT(setpgid(a, NO_SUCH_PID) == -1 && errno == EPERM); /* no such group */
	EXPECT(getpgid(NO_SUCH_PID) == -1 && errno == ESRCH);
	EXPECT(getpgid(0) == getpgrp());
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	int status;
	EXPECT(waitpid(a, &status, 0) == a && waitpid(b, &status, 0) == b);
	return 0;
}

/* kill(-pgid) reaches every member and nobody else; an empty group is ESRCH. */
static int kill_reaches_a_whole_group(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t g[3];
	for (int i = 0; i < 3; i++) {
		g[i] = suite_blocked_child(p, -1);
		EXPECT(g[i] > 0 && setpgid(g[i], g[0]) == 0);
	}
	pid_t other = suite_blocked_child(p, -1); /* in our group: must survive */
	EXPECT(kill(-g[0], SIGTERM) == 0);
	usleep(SETTLE_US);
	EXPECT(suite_still_running(other));
	for (int i = 0; i < 3; i++) {
		int status;
		if (waitpid(g[i], &status, WNOHANG) != g[i] || !suite_killed_by(status, SIGTERM)) {
			kill(-g[0], SIGKILL); /* do not leave them blocked: the case fails */
			kill(other, SIGKILL);
			EXPECT(false);
		}
	}
	EXPECT(kill(-g[0], SIGTERM) == -1 && errno == ESRCH); /* reaped: nobody left */
	EXPECT(kill(-NO_SUCH_PID, 0) == -1 && errno == ESRCH);
	EXPECT(kill(-g[0], NSIG) == -1 && errno == EINVAL);
	kill(other, SIGKILL);
	int status;
	EXPECT(waitpid(other, &status, 0) == other);
	return 0;
}

/*
 * A child leads a group of itself and two blocked grandchildren and calls
 * kill(0, SIGTERM): all three die, which the parent sees as end of file on
 * a pipe whose write end only they hold.
 */
static int kill_zero_signals_the_callers_group(void)
{
	int p[2], done[2];
	EXPECT(pipe(p) == 0 && pipe(done) == 0);
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		close(done[0]);
		suite_blocked_child(p, -1);
		suite_blocked_child(p, -1);
		kill(0, SIGTERM);
		_exit(0); /* not reached */
	}
	close(done[1]);
	int status;
	EXPECT(waitpid(child, &status, 0) == child && suite_killed_by(status, SIGTERM));
	char c;
	EXPECT(read(done[0], &c, 1) == 0); /* every holder of the write end is gone */
	EXPECT(getpgid(0) == 1);            /* and we were not in that group */
	return 0;
}

/* kill(-1) reaches every task but init (the suite: it would end the run) and the caller. */
static int kill_minus_one_spares_init_and_caller(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t a = suite_blocked_child(p, -1), b = suite_blocked_child(p, -1);
	EXPECT(a > 0 && b > 0 && setpgid(b, b) == 0); /* in any group */
	EXPECT(kill(-1, SIGTERM) == 0);
	int status;
	EXPECT(waitpid(a, &status, 0) == a && suite_killed_by(status, SIGTERM));
	EXPECT(waitpid(b, &status, 0) == b && suite_killed_by(status, SIGTERM));
	return 0;
}

/* ---- sigaction and ignored signals ---------------------------------------- */

static void handler(int sig)
{
	(void)sig;
}

/* Never an action for SIGKILL or SIGSTOP; bad numbers and pointers refused. */
static int sigaction_errors(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	EXPECT(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	EXPECT(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
	sa.sa_handler = SIG_DFL;
	EXPECT(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	EXPECT(sigaction(0, &sa, NULL) == -1 && errno == EINVAL);
	EXPECT(sigaction(NSIG, &sa, NULL) == -1 && errno == EINVAL);
	EXPECT(sigaction(-1, NULL, &old) == -1 && errno == EINVAL);
	sa.sa_handler = handler; /* a handler is taken (issue 11: sigtest covers it) and given back */
	EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0);
	EXPECT(signal(SIGUSR1, SIG_DFL) == handler);
	EXPECT(sigaction(SIGKILL, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	/* The old action comes back, and a bad pointer changes nothing. */
	EXPECT(signal(SIGUSR1, SIG_IGN) == SIG_DFL);
	EXPECT(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_IGN);
	/* The library reads a struct sigaction itself: the kernel's record, directly. */
	struct calf_sigaction dfl = { .handler = CALF_SIG_DFL };
	EXPECT(calf_syscall(CALF_SYS_sigaction, SIGUSR1, 8, 0) == -EFAULT);
	EXPECT(calf_syscall(CALF_SYS_sigaction, SIGUSR1, (uint32_t)&dfl, 8) == -EFAULT);
	EXPECT(signal(SIGUSR1, SIG_DFL) == SIG_IGN); /* neither changed it */
	sigset_t set;
	EXPECT((sigemptyset)(&set) == 0 && (sigaddset)(&set, SIGINT) == 0);
	EXPECT((sigismember)(&set, SIGINT) == 1 && (sigismember)(&set, SIGTERM) == 0);
	EXPECT((sigaddset)(&set, NSIG) == -1 && errno == EINVAL);
	return 0;
}

/* An ignored signal is discarded (raise, kill); back at SIG_DFL it ends the task. */
static int ignored_signal_is_discarded(void)
{
	EXPECT(signal(SIGTERM, SIG_IGN) == SIG_DFL);
	EXPECT(raise(SIGTERM) == 0);
	EXPECT(kill(getpid(), SIGTERM) == 0);
	EXPECT(signal(SIGTERM, SIG_DFL) == SIG_IGN);
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGTERM));
	return 0;
}

/* fork keeps ignored signals ignored; abort() still ends a task (newlib's raise is ours). */
static int ignore_inherited_at_fork(void)
{
	EXPECT(signal(SIGINT, SIG_IGN) == SIG_DFL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(kill(getpid(), SIGINT) == 0 ? 0 : 1);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	pid = fork();
	if (pid == 0)
		abort();
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGABRT));
	return 0;
}

/* A child that ignores SIGTERM stays blocked in read through one, then reads what comes. */
static int ignored_signal_does_not_end_a_read(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		close(p[1]);
		char c = 0;
		_exit(read(p[0], &c, 1) == 1 && c == 'k' ? 0 : 1);
	}
	usleep(SETTLE_US);
	EXPECT(kill(pid, SIGTERM) == 0);
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid));
	EXPECT(write(p[1], "k", 1) == 1);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	return 0;
}

/* ---- across exec ---------------------------------------------------------- */

/*
 * Fork a child that ignores SIGTERM if asked and execs /bin/sleep 10;
 * return once the exec happened (end of file on a close-on-exec pipe).
 */
static pid_t execed_child(bool ignore_term)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		execl("/bin/sleep", "sleep", "10", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char c;
	read(p[0], &c, 1);
	close(p[0]);
	return pid;
}

/* POSIX setpgid(): EACCES for a child that has exec'd (before, it may be moved). */
static int setpgid_of_an_execed_child_is_eacces(void)
{
	pid_t pid = execed_child(false);
	EXPECT(pid > 0);
	EXPECT(setpgid(pid, pid) == -1 && errno == EACCES);
	kill(pid, SIGKILL);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	return 0;
}

/* exec keeps an ignored signal ignored (POSIX exec: only caught ones are reset). */
static int exec_keeps_ignored_signals(void)
{
	pid_t pid = execed_child(true);
	EXPECT(pid > 0);
	EXPECT(kill(pid, SIGTERM) == 0);
	usleep(SETTLE_US);
	EXPECT(suite_still_running(pid));
	kill(pid, SIGKILL);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	return 0;
}

/* ---- the terminal without input -------------------------------------------- */

/* tcgetpgrp/tcsetpgrp and isatty on the console and elsewhere. */
static int foreground_group_calls(void)
{
	EXPECT(isatty(0) && isatty(1) && isatty(2));
	EXPECT(tcgetpgrp(0) == 1); /* init's group is in front at boot */
	EXPECT(tcsetpgrp(0, NO_SUCH_PID) == -1 && errno == EPERM);
	EXPECT(tcsetpgrp(0, -1) == -1 && errno == EINVAL);
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(!isatty(p[0]) && errno == ENOTTY);
	EXPECT(tcgetpgrp(p[0]) == -1 && errno == ENOTTY);
	EXPECT(tcgetpgrp(99) == -1 && errno == EBADF);
	struct termios t;
	EXPECT(tcgetattr(0, &t) == 0);
	EXPECT((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	EXPECT(tcgetattr(p[0], &t) == -1 && errno == ENOTTY);
	EXPECT(tcsetattr(0, 99, &t) == -1 && errno == EINVAL);
	return 0;
}

/* ---- typed input ------------------------------------------------------------ */

/* Read once from the console and compare with want (len bytes). */
static bool read_is(const char *want, size_t cap)
{
	char buf[300];
	ssize_t n = read(0, buf, cap < sizeof(buf) ? cap : sizeof(buf));
	size_t len = strlen(want);
	if (n != (ssize_t)len || memcmp(buf, want, len) != 0) {
		printf("    read %d bytes: \"%.*s\", wanted \"%s\"\n", (int)n, n > 0 ? (int)n : 0, buf,
		       want);
		return false;
	}
	return true;
}

/*
 * Stage "edit" (expect-tty.sh): lines with Backspace and DEL, Ctrl-U,
 * Ctrl-D in a line and at its start, CR, a long line read in two.
 */
static int canonical_line_editing(void)
{
	send("edit");
	EXPECT(read_is("hello\n", 300));
	EXPECT(read_is("ad\n", 300));   /* ab^Hc^?d */
	EXPECT(read_is("x\n", 300));    /* erase on an empty line does nothing */
	EXPECT(read_is("line\n", 300)); /* junk^Uline */
	EXPECT(read_is("par", 300));    /* par^D: the line without a newline */
	EXPECT(read_is("", 300));       /* ^D at a line's start: end of file */
	EXPECT(read_is("cr\n", 300));   /* CR is NL */
	EXPECT(read_is("abcd", 4));     /* one line, in two reads */
	EXPECT(read_is("ef\n", 300));
	EXPECT(read_is("after\n", 300));
	/* Nothing left: O_NONBLOCK says so instead of waiting. */
	int flags = fcntl(0, F_GETFL);
	EXPECT(fcntl(0, F_SETFL, flags | O_NONBLOCK) == 0);
	char c;
	ssize_t n = read(0, &c, 1);
	int err = errno;
	fcntl(0, F_SETFL, flags); /* the console's one open file is every task's: put it back */
	EXPECT(n == -1 && err == EAGAIN);
	return 0;
}

/*
 * Stage "intr": a child in its own group, in front, reads; "partial^C"
 * kills it with SIGINT and the typed "partial" is gone. We, in group 1,
 * not in front, survive.
 */
static int ctrl_c_ends_the_foreground_group(void)
{
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		char buf[64];
		read(0, buf, sizeof(buf));
		_exit(0); /* not reached */
	}
	EXPECT(setpgid(child, child) == 0); /* both sides set it, as shells do: no race */
	EXPECT(tcsetpgrp(0, child) == 0 && tcgetpgrp(0) == child);
	send("intr");
	int status;
	EXPECT(waitpid(child, &status, 0) == child && suite_killed_by(status, SIGINT));
	EXPECT(tcsetpgrp(0, getpgrp()) == 0);
	send("after-intr");
	EXPECT(read_is("next\n", 300)); /* "partial" went with the Ctrl-C */
	return 0;
}

/* Start a child that returns to SIG_DFL and reads the console; return once it has. */
static pid_t reading_child(void)
{
	int sync[2];
	if (pipe(sync) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		write(sync[1], "r", 1);
		char buf[64];
		read(0, buf, sizeof(buf));
		_exit(0);
	}
	char c;
	read(sync[0], &c, 1);
	close(sync[0]);
	close(sync[1]);
	return pid;
}

/*
 * Stages "intr2" and "quit": we lead the foreground group and ignore
 * SIGINT and SIGQUIT; our children in it do not: Ctrl-C and Ctrl-\ end
 * them with SIGINT and SIGQUIT, and we go on.
 */
static int ctrl_c_spares_who_ignores_it(void)
{
	EXPECT(setpgid(0, 0) == 0 && tcsetpgrp(0, getpid()) == 0);
	EXPECT(signal(SIGINT, SIG_IGN) == SIG_DFL && signal(SIGQUIT, SIG_IGN) == SIG_DFL);
	pid_t child = reading_child();
	EXPECT(child > 0);
	send("intr2");
	int status;
	EXPECT(waitpid(child, &status, 0) == child && suite_killed_by(status, SIGINT));
	child = reading_child();
	EXPECT(child > 0);
	send("quit");
	EXPECT(waitpid(child, &status, 0) == child && suite_killed_by(status, SIGQUIT));
	EXPECT(tcsetpgrp(0, 1) == 0);
	return 0;
}

/*
 * Stage "susp": a child in its own group, in front, reads; another child
 * in a third group blocks on a pipe. Ctrl-Z stops the first with SIGTSTP
 * (waitpid WUNTRACED sees it), not the second, nor us in group 1.
 */
static int ctrl_z_stops_the_foreground_group_only(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t other = suite_blocked_child(p, -1);
	EXPECT(other > 0 && setpgid(other, other) == 0);
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		char buf[64];
		read(0, buf, sizeof(buf));
		_exit(0); /* not reached: stopped, then killed */
	}
	EXPECT(setpgid(child, child) == 0 && tcsetpgrp(0, child) == 0);
	send("susp");
	int status;
	bool stopped = waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status) &&
		       WSTOPSIG(status) == SIGTSTP;
	usleep(SETTLE_US);
	bool other_runs = waitpid(other, &status, WNOHANG | WUNTRACED) == 0;
	bool back = tcsetpgrp(0, getpgrp()) == 0; /* from the background: SIGTTOU is ignored */
	kill(child, SIGKILL);
	kill(other, SIGKILL);
	EXPECT(waitpid(child, &status, 0) == child && waitpid(other, &status, 0) == other);
	EXPECT(stopped && other_runs && back);
	return 0;
}

/*
 * Stage "raw": without ICANON, ECHO and ISIG, bytes come as typed: a
 * Ctrl-C, a DEL and a CR are data, nothing is signalled or edited.
 */
static int raw_mode_bytes_as_typed(void)
{
	struct termios saved, raw;
	EXPECT(tcgetattr(0, &saved) == 0);
	raw = saved;
	cfmakeraw(&raw);
	EXPECT(tcsetattr(0, TCSANOW, &raw) == 0);
	EXPECT(tcgetattr(0, &raw) == 0 && (raw.c_lflag & (ICANON | ECHO | ISIG)) == 0);
	send("raw");
	char buf[8];
	size_t have = 0;
	while (have < 5) {
		ssize_t n = read(0, buf + have, sizeof(buf) - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	tcsetattr(0, TCSANOW, &saved);
	EXPECT(have == 5 && memcmp(buf, "a\003\177\r\004", 5) == 0);
	EXPECT(tcgetattr(0, &raw) == 0 && (raw.c_lflag & ICANON));
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(pgid_inherited_at_fork),
	SUITE_CASE(setpgid_rules),
	SUITE_CASE(kill_reaches_a_whole_group),
	SUITE_CASE(kill_zero_signals_the_callers_group),
	SUITE_CASE(kill_minus_one_spares_init_and_caller),
	SUITE_CASE(sigaction_errors),
	SUITE_CASE(ignored_signal_is_discarded),
	SUITE_CASE(ignore_inherited_at_fork),
	SUITE_CASE(ignored_signal_does_not_end_a_read),
	SUITE_CASE(setpgid_of_an_execed_child_is_eacces),
	SUITE_CASE(exec_keeps_ignored_signals),
	SUITE_CASE(foreground_group_calls),
	SUITE_CASE(canonical_line_editing),
	SUITE_CASE(ctrl_c_ends_the_foreground_group),
	SUITE_CASE(ctrl_c_spares_who_ignores_it),
	SUITE_CASE(ctrl_z_stops_the_foreground_group_only),
	SUITE_CASE(raw_mode_bytes_as_typed),
};

/* Each case's task starts with SIGINT and SIGQUIT at their defaults. */
static void signals_default(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
}

int main(void)
{
	struct suite_tally t = { 0 };
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	suite_child_prologue = signals_default;
	printf("ttytest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0])));
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
