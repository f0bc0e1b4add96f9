/*
 * sys/signal.h - Calf's signals for apps, in place of newlib's (which
 * <signal.h> includes): newlib's bare-metal struct sigaction has no
 * sa_sigaction, its siginfo_t no si_addr, si_pid or si_status, and it
 * lacks SA_RESTART, SA_NODEFER and SA_RESETHAND. The signal numbers and
 * sigset_t are newlib's (the kernel is built against those):
 * apps/lib/signal.c asserts that they and the records below agree with
 * include/calf/abi.h. struct sigaction begins as newlib's does.
 */
#ifndef _SYS_SIGNAL_H
#define _SYS_SIGNAL_H

#include <_ansi.h>
#include <sys/cdefs.h>
#include <sys/features.h>
#include <sys/types.h>
#include <sys/_sigset.h>
#include <sys/_timespec.h>

#include <calf/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGIOT 6
#define SIGABRT 6
#define SIGEMT 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGBUS 10
#define SIGSEGV 11
#define SIGSYS 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGURG 16
#define SIGSTOP 17
#define SIGTSTP 18
#define SIGCONT 19
#define SIGCHLD 20
#define SIGCLD 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGIO 23
#define SIGPOLL SIGIO
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGLOST 29
#define SIGUSR1 30
#define SIGUSR2 31
#define NSIG 32 /* signal 0 implied */

union sigval {
	int sival_int;
	void *sival_ptr;
};

struct sigevent {
	int sigev_notify;
	int sigev_signo;
	union sigval sigev_value;
	void (*sigev_notify_function)(union sigval);
	void *sigev_notify_attributes;
};
#define SIGEV_NONE 1
#define SIGEV_SIGNAL 2
#define SIGEV_THREAD 3

/* What a SA_SIGINFO handler gets: struct calf_siginfo's layout. */
typedef struct {
	int si_signo;
	int si_code;
	int si_errno;
	pid_t si_pid;
	int si_uid;
	void *si_addr; /* SIGSEGV, SIGBUS: the faulting data address; SIGILL, SIGFPE: the instruction */
	int si_status; /* SIGCHLD: exit code or signal */
	union sigval si_value;
} siginfo_t;

/* si_code values (Linux's). */
#define SI_USER CALF_SI_USER
#define SI_KERNEL CALF_SI_KERNEL
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SEGV_MAPERR CALF_SEGV_MAPERR
#define SEGV_ACCERR CALF_SEGV_ACCERR
#define BUS_ADRALN CALF_BUS_ADRALN
#define ILL_ILLOPC CALF_ILL_ILLOPC
#define FPE_INTDIV CALF_FPE_INTDIV
#define CLD_EXITED CALF_CLD_EXITED
#define CLD_KILLED CALF_CLD_KILLED
#define CLD_STOPPED CALF_CLD_STOPPED
#define CLD_CONTINUED CALF_CLD_CONTINUED

#define SA_NOCLDSTOP CALF_SA_NOCLDSTOP
#define SA_NOCLDWAIT CALF_SA_NOCLDWAIT
#define SA_SIGINFO CALF_SA_SIGINFO
#define SA_RESTART CALF_SA_RESTART
#define SA_NODEFER CALF_SA_NODEFER
#define SA_RESETHAND CALF_SA_RESETHAND

typedef void (*_sig_func_ptr)(int);

/* A handler's third argument (void *) points at this: the interrupted state. */
typedef struct calf_ucontext ucontext_t;

struct sigaction {
	union {
		_sig_func_ptr _handler; /* SIG_DFL, SIG_IGN or a function */
		void (*_sigaction)(int, siginfo_t *, void *);
	} _signal_handlers;
	sigset_t sa_mask;
	int sa_flags;
};
#define sa_handler _signal_handlers._handler
#define sa_sigaction _signal_handlers._sigaction

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192
#define SS_ONSTACK 0x1
#define SS_DISABLE 0x2
typedef struct sigaltstack {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

#define SIG_SETMASK 0
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2

int sigprocmask(int, const sigset_t *, sigset_t *);
int pthread_sigmask(int, const sigset_t *, sigset_t *);
int kill(pid_t, int);
int killpg(pid_t, int);
int sigaction(int, const struct sigaction *, struct sigaction *);
int sigaddset(sigset_t *, const int);
int sigdelset(sigset_t *, const int);
int sigismember(const sigset_t *, int);
int sigfillset(sigset_t *);
int sigemptyset(sigset_t *);
int sigpending(sigset_t *);
int sigsuspend(const sigset_t *);
int sigpause(int);

#ifdef __cplusplus
}
#endif

#ifndef _SIGNAL_H_
#include <signal.h>
#endif
#endif /* _SYS_SIGNAL_H */
