/*
 * signal.c - sigaction and newlib's signal entry points over the kernel's
 * signal calls (kernel/signal.c), the handler return trampoline, the
 * masks, sigsuspend, pause and alarm.
 *
 * newlib's libc.a has its own signal(), raise() and helpers in one object
 * (lib_a-signal.o: an emulation table that never reaches a kernel), which
 * abort() pulls in through raise(): this file defines every symbol of that
 * object, so the linker takes these and never that one (defining only some
 * would give duplicate definitions).
 */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calf.h"

_Static_assert(SIG_DFL == (_sig_func_ptr)CALF_SIG_DFL && SIG_IGN == (_sig_func_ptr)CALF_SIG_IGN,
	       "newlib's SIG_DFL/SIG_IGN are not abi.h's");
_Static_assert(CALF_SIGNALS_AGREE, "sys/signal.h's numbers are not the kernel's");
_Static_assert(sizeof(sigset_t) == sizeof(uint32_t), "the kernel's masks are one word");
_Static_assert(sizeof(siginfo_t) == sizeof(struct calf_siginfo) &&
		       offsetof(siginfo_t, si_pid) == offsetof(struct calf_siginfo, pid) &&
		       offsetof(siginfo_t, si_addr) == offsetof(struct calf_siginfo, addr) &&
		       offsetof(siginfo_t, si_status) == offsetof(struct calf_siginfo, status),
	       "siginfo_t is struct calf_siginfo");
_Static_assert(SIG_SETMASK == 0 && SIG_BLOCK == 1 && SIG_UNBLOCK == 2, "kernel/signal.c's how");
_Static_assert(WUNTRACED == 2 && WNOHANG == 1, "kernel/task.c's waitpid options");

/*
 * Where every handler returns: CALF_SYS_sigreturn, with the stack pointer
 * where the handler's return left it (kernel/signal.h, arch signal.c).
 */
void __calf_sigreturn(void);
#if defined(__arm__)
__asm__(".pushsection .text.__calf_sigreturn, \"ax\", %progbits\n"
	".syntax unified\n.thumb\n.balign 2\n"
	".global __calf_sigreturn\n.type __calf_sigreturn, %function\n.thumb_func\n"
	"__calf_sigreturn:\n\tmovs r7, #43\n\tsvc #0\n"
	".size __calf_sigreturn, . - __calf_sigreturn\n.popsection\n");
#elif defined(__i386__)
__asm__(".pushsection .text.__calf_sigreturn, \"ax\", @progbits\n"
	".global __calf_sigreturn\n.type __calf_sigreturn, @function\n"
	"__calf_sigreturn:\n\tmovl $43, %eax\n\tint $0x80\n"
	".size __calf_sigreturn, . - __calf_sigreturn\n.popsection\n");
#endif
_Static_assert(CALF_SYS_sigreturn == 43, "the trampoline's number");

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
		new.flags = (uint32_t)act->sa_flags | CALF_SA_RESTORER;
		new.restorer = (uint32_t)__calf_sigreturn;
	}
	int32_t ret = calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, act ? (uint32_t)&new : 0,
				   oact ? (uint32_t)&old : 0);
	if (sig_result(_REENT, ret) < 0)
		return -1;
	if (oact) {
		oact->sa_handler = (_sig_func_ptr)old.handler;
		oact->sa_mask = (sigset_t)old.mask;
		oact->sa_flags = (int)(old.flags & ~CALF_SA_RESTORER);
	}
	return 0;
}

/* signal() as BSD and glibc have it: the handler stays, and reads restart (SA_RESTART). */
_sig_func_ptr _signal_r(struct _reent *r, int sig, _sig_func_ptr func)
{
	struct calf_sigaction new = { .handler = (uint32_t)func,
				      .flags = CALF_SA_RESTART | CALF_SA_RESTORER,
				      .restorer = (uint32_t)__calf_sigreturn },
			      old;
	int32_t ret = calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, (uint32_t)&new, (uint32_t)&old);
	if (sig_result(r, ret) < 0)
		return SIG_ERR;
	return (_sig_func_ptr)old.handler;
}

_sig_func_ptr signal(int sig, _sig_func_ptr func)
{
	return _signal_r(_REENT, sig, func);
}

/* Send sig to the caller: its action (handler, end, stop) is taken before this returns. */
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
 * SIG_DFL, 3 for SIG_IGN, -1 for a bad signal. The kernel runs handlers,
 * so this one raises sig and says a handler ran when there is one.
 */
int __sigtramp_r(struct _reent *r, int sig)
{
	struct calf_sigaction old;
	if (calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, 0, (uint32_t)&old) < 0) {
		(void)r;
		return -1;
	}
	if (old.handler == CALF_SIG_IGN)
		return 3;
	if (old.handler == CALF_SIG_DFL)
		return 1;
	_raise_r(r, sig);
	return 0;
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
