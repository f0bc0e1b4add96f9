/*
 * signal.c - sigaction and newlib's signal entry points over
 * CALF_SYS_sigaction and CALF_SYS_kill.
 *
 * Until signal handlers exist (issue 11) an action is SIG_DFL or SIG_IGN;
 * a function handler is refused with EINVAL. newlib's libc.a has its own
 * signal(), raise() and helpers in one object (lib_a-signal.o: an
 * emulation table that never reaches a kernel), which abort() pulls in
 * through raise(): this file defines every symbol of that object, so the
 * linker takes these and never that one (defining only some would give
 * duplicate definitions).
 */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <unistd.h>

#include "calf.h"

_Static_assert(SIG_DFL == (_sig_func_ptr)CALF_SIG_DFL && SIG_IGN == (_sig_func_ptr)CALF_SIG_IGN,
	       "newlib's SIG_DFL/SIG_IGN are not abi.h's");

/* The kernel's result as 0 or -1 with the error in r's errno. */
static int sig_result(struct _reent *r, int32_t ret)
{
	if (ret < 0) {
		r->_errno = -ret;
		return -1;
	}
	return 0;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct calf_sigaction new, old;
	if (act) {
		new.handler = (uint32_t)act->sa_handler;
		new.mask = (uint32_t)act->sa_mask;
		new.flags = (uint32_t)act->sa_flags;
	}
	int32_t ret = calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, act ? (uint32_t)&new : 0,
				   oact ? (uint32_t)&old : 0);
	if (sig_result(_REENT, ret) < 0)
		return -1;
	if (oact) {
		oact->sa_handler = (_sig_func_ptr)old.handler;
		oact->sa_mask = (sigset_t)old.mask;
		oact->sa_flags = (int)old.flags;
	}
	return 0;
}

_sig_func_ptr _signal_r(struct _reent *r, int sig, _sig_func_ptr func)
{
	struct calf_sigaction new = { .handler = (uint32_t)func }, old;
	int32_t ret = calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, (uint32_t)&new, (uint32_t)&old);
	if (sig_result(r, ret) < 0)
		return SIG_ERR;
	return (_sig_func_ptr)old.handler;
}

_sig_func_ptr signal(int sig, _sig_func_ptr func)
{
	return _signal_r(_REENT, sig, func);
}

/* Send sig to the caller: a signal it does not ignore ends it before this returns. */
int _raise_r(struct _reent *r, int sig)
{
	return sig_result(r, calf_syscall(CALF_SYS_kill, (uint32_t)getpid(), (uint32_t)sig, 0));
}

int raise(int sig)
{
	return _raise_r(_REENT, sig);
}

/* newlib's emulation kept a handler table here; the kernel keeps the actions. */
int _init_signal_r(struct _reent *r)
{
	(void)r;
	return 0;
}

int _init_signal(void)
{
	return 0;
}

/*
 * newlib's contract: run sig's handler, returning 0 when one ran, 1 for
 * SIG_DFL, 3 for SIG_IGN, -1 for a bad signal. No handler ever runs yet.
 */
int __sigtramp_r(struct _reent *r, int sig)
{
	struct calf_sigaction old;
	if (calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, 0, (uint32_t)&old) < 0) {
		(void)r;
		return -1;
	}
	return old.handler == CALF_SIG_IGN ? 3 : 1;
}

int __sigtramp(int sig)
{
	return __sigtramp_r(_REENT, sig);
}

/* Signal process group pgrp (POSIX leaves pgrp <= 1 undefined; as glibc: 0 is the caller's). */
int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
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
