/*
 * jobtest.c - the on-target sessions and job-control suite: setsid,
 * getsid, getpgrp and setpgid's session rules (POSIX setsid(), getsid(),
 * setpgid() EPERM cases), tcsetpgrp, tcgetpgrp and tcgetsid on the console
 * from inside and outside its session, a background reader of the console
 * (SIGTTIN stops it, or EIO when it ignores SIGTTIN: POSIX XBD 11.1.4), a
 * background tcsetpgrp (SIGTTOU unless ignored), and
 * a stopped job continued with SIGCONT as a shell's fg and bg do.
 *
 * Init (this suite) leads session 1, the console's; each case runs in a
 * child of it, in group 1 unless the case moves it. Init ignores SIGTTOU,
 * as a shell does, and so does every case (inherited): a background
 * tcsetpgrp is then allowed. Ctrl-Z from the keyboard is in ttytest.c,
 * which has typed input.
 */
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

#include "suite.h"

#define NO_SUCH_PID 30000
#define SETTLE_US 20000 /* long enough for a woken or signalled task to get there */

/*
 * Fork a child that starts a session of its own and blocks reading p[0]
 * (only a signal ends it); returns once it has run its setsid. Its pid, or -1.
 */
static pid_t session_child(const int p[2])
{
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	while (pid > 0 && getsid(pid) != pid)
		usleep(1000);
	return pid;
}

/* ---- setsid, getsid, getpgrp ------------------------------------------------ */

/* In a new session: leader of it and of its group, no controlling terminal. */
static int in_new_session(void)
{
	pid_t me = getpid();
	EXPECT(getsid(0) == 1 && getpgrp() == 1);
	EXPECT(setsid() == me);
	EXPECT(getsid(0) == me && getsid(me) == me);
	EXPECT(getpgrp() == me && getpgid(0) == me);
	EXPECT(tcgetpgrp(0) == -1 && errno == ENOTTY);
	EXPECT(tcgetsid(0) == -1 && errno == ENOTTY);
	EXPECT(tcsetpgrp(0, me) == -1 && errno == ENOTTY);
	EXPECT(isatty(0)); /* still the console, only not its controlling terminal */
	EXPECT(setsid() == -1 && errno == EPERM);       /* it leads a group now */
	EXPECT(setpgid(0, 0) == -1 && errno == EPERM);  /* a session leader cannot move */
	EXPECT(setpgid(0, 1) == -1 && errno == EPERM);
	return 0;
}

/* setsid makes the caller leader of a new session and group, without a terminal. */
static int setsid_starts_a_session(void)
{
	EXPECT(getsid(0) == 1 && getsid(1) == 1 && getpgrp() == getpgid(0));
	pid_t pid = suite_child_start(in_new_session);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	EXPECT(getsid(0) == 1); /* the parent's stays */
	return 0;
}

/* A group leader cannot start a session (its group would span two). */
static int group_leader_setsid(void)
{
	EXPECT(setpgid(0, 0) == 0);
	EXPECT(setsid() == -1 && errno == EPERM);
	return 0;
}

/* A non-leader whose pid still numbers a group (a child of it is there) cannot either. */
static int group_named_by_pid_setsid(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	EXPECT(setpgid(0, 0) == 0);
	pid_t member = suite_blocked_child(p, getpid());
	EXPECT(member > 0 && getpgid(member) == getpid());
	EXPECT(setpgid(0, 1) == 0 && getpgrp() == 1); /* back in group 1: no longer a leader */
	bool refused = setsid() == -1 && errno == EPERM;
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	EXPECT(refused);
	return 0;
}

/* POSIX setsid(): EPERM for a group leader, or when a group bears the caller's pid. */
static int setsid_eperm_cases(void)
{
	pid_t pid = suite_child_start(group_leader_setsid);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	pid = suite_child_start(group_named_by_pid_setsid);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	return 0;
}

/* getsid of every kind of pid: 0, init, a child in a new session, nobody. */
static int getsid_of_pids(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = session_child(p);
	EXPECT(pid > 0);
	EXPECT(getsid(0) == 1 && getsid(1) == 1);
	EXPECT(getsid(NO_SUCH_PID) == -1 && errno == ESRCH);
	EXPECT(getsid(-3) == -1 && errno == ESRCH);
	EXPECT(getpgid(pid) == pid);
	kill(pid, SIGKILL);
	EXPECT(waitpid(pid, NULL, 0) == pid);
	return 0;
}

/* ---- setpgid across sessions ----------------------------------------------- */

/*
 * POSIX setpgid() EPERM: the target is a session leader (our child after
 * its setsid), or pgid names a group of another session (the child's).
 */
static int setpgid_session_rules(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = session_child(p);
	EXPECT(pid > 0);
	bool leader = setpgid(pid, pid) == -1 && errno == EPERM;
	bool leader_moved = setpgid(pid, 1) == -1 && errno == EPERM;
	bool other_session = setpgid(0, pid) == -1 && errno == EPERM; /* the group exists, elsewhere */
	bool ours = getpgrp() == 1 && setpgid(0, 0) == 0 && setpgid(0, 1) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT(leader && leader_moved && other_session && ours);
	return 0;
}

/* ---- the controlling terminal ------------------------------------------------ */

/* tcsetpgrp only to a group of the caller's session; tcgetsid names the console's session. */
static int tcsetpgrp_other_session_eperm(void)
{
	EXPECT(tcgetsid(0) == 1 && tcgetpgrp(0) == 1);
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t pid = session_child(p);
	EXPECT(pid > 0);
	bool refused = tcsetpgrp(0, pid) == -1 && errno == EPERM;
	bool unchanged = tcgetpgrp(0) == 1;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT(refused && unchanged);
	int fd = open("/dev/null", O_RDONLY);
	EXPECT(fd >= 0 && tcgetsid(fd) == -1 && errno == ENOTTY);
	close(fd);
	return 0;
}

/* Read one byte of the console with O_NONBLOCK set for the call; the result, errno in *err. */
static ssize_t console_read_nonblock(int *err)
{
	int flags = fcntl(0, F_GETFL);
	fcntl(0, F_SETFL, flags | O_NONBLOCK);
	char c;
	ssize_t n = read(0, &c, 1);
	*err = errno;
	fcntl(0, F_SETFL, flags); /* the console's one open file is every task's: put it back */
	return n;
}

/* In a background group ignoring SIGTTIN: EIO, no signal. */
static int read_in_background_ignoring_ttin(void)
{
	if (setpgid(0, 0) < 0 || signal(SIGTTIN, SIG_IGN) == SIG_ERR)
		return 2;
	char c;
	if (read(0, &c, 1) != -1 || errno != EIO)
		return 3;
	return 0;
}

/* In a new session the console is no controlling terminal: reading it is no job-control matter. */
static int read_after_setsid(void)
{
	if (setsid() < 0)
		return 2;
	int err;
	ssize_t n = console_read_nonblock(&err);
	return n == -1 && err == EAGAIN ? 0 : 3;
}

/* POSIX XBD 11.1.4: EIO to a background reader that ignores SIGTTIN; none outside the session. */
static int background_read_eio_when_ignored(void)
{
	EXPECT(tcgetpgrp(0) == 1);
	pid_t pid = suite_child_start(read_in_background_ignoring_ttin);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	pid = suite_child_start(read_after_setsid);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	int err;
	EXPECT(console_read_nonblock(&err) == -1 && err == EAGAIN); /* in front: just nothing typed */
	return 0;
}

/* A background reader at SIGTTIN's default: its whole group stops; SIGCONT and SIGKILL end it. */
static int background_read_stops_with_sigttin(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t reader = fork();
	if (reader == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_DFL);
		char c;
		read(0, &c, 1);
		_exit(9); /* continued into the background again: another SIGTTIN, never here */
	}
	EXPECT(reader > 0 && setpgid(reader, reader) == 0);
	pid_t mate = suite_blocked_child(p, reader);
	int status;
	EXPECT(waitpid(reader, &status, WUNTRACED) == reader && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGTTIN);
	EXPECT(waitpid(mate, &status, WUNTRACED) == mate && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGTTIN); /* the signal went to the group */
	EXPECT(tcgetpgrp(0) == 1);
	kill(-reader, SIGKILL);
	EXPECT(waitpid(reader, &status, 0) == reader && suite_killed_by(status, SIGKILL));
	EXPECT(waitpid(mate, &status, 0) == mate && suite_killed_by(status, SIGKILL));
	return 0;
}

/*
 * POSIX tcsetpgrp(): from a background group at SIGTTOU's default, the
 * group gets SIGTTOU (stopped) and the terminal stays; ignoring it, as
 * shells do (and this suite), the call goes through.
 */
static int background_tcsetpgrp_sigttou(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);
		tcsetpgrp(0, getpgrp());
		_exit(9); /* continued, the call would restart and stop again: never here */
	}
	EXPECT(pid > 0);
	setpgid(pid, pid); /* both sides, as shells do */
	int status;
	EXPECT(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGTTOU);
	EXPECT(tcgetpgrp(0) == 1);
	kill(pid, SIGKILL);
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	EXPECT(setpgid(0, 0) == 0 && tcsetpgrp(0, getpid()) == 0 && tcgetpgrp(0) == getpid());
	EXPECT(tcsetpgrp(0, 1) == 0 && tcgetpgrp(0) == 1);
	return 0;
}

/* Fork a child that moves to a background group of its own, sets SIGTTOU to sigttou and writes a line; it exits 0 once written. */
static pid_t background_writer(void (*sigttou)(int))
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, sigttou);
		static const char line[] = "jobtest: a background write\n";
		_exit(write(1, line, sizeof(line) - 1) == (ssize_t)sizeof(line) - 1 ? 0 : 1);
	}
	if (pid > 0)
		setpgid(pid, pid); /* both sides, as shells do */
	return pid;
}

/*
 * POSIX XBD 11.1.4: with TOSTOP set, a background writer at SIGTTOU's
 * default stops with its group, one ignoring SIGTTOU writes; without
 * TOSTOP every background write goes through.
 */
static int background_write_under_tostop(void)
{
	struct termios saved, t;
	EXPECT(tcgetattr(0, &saved) == 0 && !(saved.c_lflag & TOSTOP));
	t = saved;
	t.c_lflag |= TOSTOP;
	EXPECT(tcsetattr(0, TCSANOW, &t) == 0 && tcgetattr(0, &t) == 0 && (t.c_lflag & TOSTOP));
	int status;
	pid_t pid = background_writer(SIG_DFL);
	EXPECT(pid > 0 && waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGTTOU);
	kill(pid, SIGKILL);
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	pid = background_writer(SIG_IGN);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	EXPECT(tcsetattr(0, TCSANOW, &saved) == 0);
	pid = background_writer(SIG_DFL);
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	return 0;
}

/* ---- a stopped job, continued as fg and bg do ---------------------------------- */

/*
 * A job (a group of two) stopped by SIGTSTP, as Ctrl-Z would, reports
 * WIFSTOPPED; SIGCONT to the group reports WIFCONTINUED for each and they
 * run on (bg); given the terminal it reads in front (fg).
 */
static int stopped_job_continues(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t a = suite_blocked_child(p, 0);
	EXPECT(a > 0);
	pid_t b = suite_blocked_child(p, a);
	EXPECT(b > 0 && getpgid(b) == a);
	int status;
	EXPECT(kill(-a, SIGTSTP) == 0);
	EXPECT(waitpid(a, &status, WUNTRACED) == a && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP);
	EXPECT(waitpid(b, &status, WUNTRACED) == b && WIFSTOPPED(status));
	EXPECT(waitpid(-1, &status, WNOHANG | WUNTRACED) == 0); /* each stop is reported once */
	EXPECT(kill(-a, SIGCONT) == 0);
	EXPECT(waitpid(a, &status, WCONTINUED) == a && WIFCONTINUED(status));
	EXPECT(waitpid(b, &status, WCONTINUED) == b && WIFCONTINUED(status));
	EXPECT(waitpid(-1, &status, WNOHANG | WUNTRACED) == 0); /* running again: blocked in read */
	EXPECT(write(p[1], "xy", 2) == 2); /* each reads one byte and exits 0 */
	EXPECT(waitpid(a, &status, 0) == a && suite_exited_ok(status));
	EXPECT(waitpid(b, &status, 0) == b && suite_exited_ok(status));
	return 0;
}

/* A stopped job takes SIGTERM only once continued; SIGKILL ends it at once (kill %1). */
static int stopped_job_killed(void)
{
	int p[2];
	EXPECT(pipe(p) == 0);
	pid_t a = suite_blocked_child(p, 0);
	EXPECT(a > 0 && kill(a, SIGSTOP) == 0);
	int status;
	EXPECT(waitpid(a, &status, WUNTRACED) == a && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	EXPECT(kill(a, SIGTERM) == 0);
	usleep(SETTLE_US);
	EXPECT(waitpid(a, &status, WNOHANG) == 0); /* held while stopped (POSIX 2.4.1) */
	EXPECT(kill(a, SIGCONT) == 0);
	EXPECT(waitpid(a, &status, 0) == a && suite_killed_by(status, SIGTERM));
	pid_t b = suite_blocked_child(p, 0);
	EXPECT(b > 0 && kill(b, SIGTSTP) == 0);
	EXPECT(waitpid(b, &status, WUNTRACED) == b && WIFSTOPPED(status));
	EXPECT(kill(b, SIGKILL) == 0);
	EXPECT(waitpid(b, &status, 0) == b && suite_killed_by(status, SIGKILL));
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(setsid_starts_a_session),
	SUITE_CASE(setsid_eperm_cases),
	SUITE_CASE(getsid_of_pids),
	SUITE_CASE(setpgid_session_rules),
	SUITE_CASE(tcsetpgrp_other_session_eperm),
	SUITE_CASE(background_read_eio_when_ignored),
	SUITE_CASE(background_read_stops_with_sigttin),
	SUITE_CASE(background_tcsetpgrp_sigttou),
	SUITE_CASE(background_write_under_tostop),
	SUITE_CASE(stopped_job_continues),
	SUITE_CASE(stopped_job_killed),
};

int main(void)
{
	struct suite_tally t = { 0 };
	signal(SIGTTOU, SIG_IGN);
	printf("jobtest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0])));
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
