/*
 * sigmask.c - the signal calls beside sigaction: signal sets, masks,
 * sigpending, sigsuspend, pause and alarm (kernel/signal.c). Apart from signal.c on
 * purpose: newlib's libc.a calls some of these, and pulling them in must
 * not pull in signal.c, which replaces a whole newlib object (see there).
 */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <unistd.h>

#include "calf.h"

/* The kernel's result as 0 or -1 with the error in errno. */
static int sig_result(int32_t ret)
{
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* Change this thread's mask (POSIX sigprocmask(); per thread, so pthread_sigmask too). */
int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return sig_result(calf_syscall(CALF_SYS_sigprocmask, (uint32_t)how, (uint32_t)set,
					       (uint32_t)oset));
}

/* As sigprocmask, but the error is the result (POSIX pthread_sigmask()). */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	int32_t ret = calf_syscall(CALF_SYS_sigprocmask, (uint32_t)how, (uint32_t)set, (uint32_t)oset);
	return ret < 0 ? -ret : 0;
}

int sigpending(sigset_t *set)
{
	return sig_result(calf_syscall(CALF_SYS_sigpending, (uint32_t)set, 0, 0));
}

/* Wait with *mask in place for a handler to run: always -1 with EINTR (POSIX sigsuspend()). */
int sigsuspend(const sigset_t *mask)
{
	return sig_result(calf_syscall(CALF_SYS_sigsuspend, (uint32_t)*mask, 0, 0));
}

/* Wait for a handler to run: always -1 with EINTR (POSIX pause()). */
int pause(void)
{
	sigset_t mask;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	return sigsuspend(&mask);
}

/* BSD sigpause: wait with mask in place (the XSI one removes one signal: sigpause(int) is this). */
int sigpause(int mask)
{
	sigset_t set = (sigset_t)mask;
	return sigsuspend(&set);
}

/* SIGALRM in us microseconds (0: cancel); returns what the previous alarm had left. */
useconds_t ualarm(useconds_t us, useconds_t interval)
{
	(void)interval; /* no repeating timer: POSIX leaves it optional (ualarm is obsolescent) */
	int32_t left = calf_syscall(CALF_SYS_alarm, (uint32_t)us, 0, 0);
	return left < 0 ? 0 : (useconds_t)left;
}

/* SIGALRM in seconds (0: cancel); returns the whole seconds the previous one had left, rounded up. */
unsigned alarm(unsigned seconds)
{
	/* The kernel counts 32-bit microseconds: about 71 minutes at most. */
	uint32_t us = seconds > 4294 ? 4294000000u : seconds * 1000000u;
	int32_t left = calf_syscall(CALF_SYS_alarm, us, 0, 0);
	return left <= 0 ? 0 : (unsigned)((left + 999999) / 1000000);
}

/* newlib defines these as macros; these are the functions POSIX also requires. */
#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember

/* True when sig is a signal number a sigset_t holds. */
static int sig_in_range(int sig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int sigaddset(sigset_t *set, const int sig)
{
	if (!sig_in_range(sig))
		return -1;
	*set |= (sigset_t)1 << sig;
	return 0;
}

int sigdelset(sigset_t *set, const int sig)
{
	if (!sig_in_range(sig))
		return -1;
	*set &= ~((sigset_t)1 << sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_in_range(sig))
		return -1;
	return (*set >> sig) & 1;
}
