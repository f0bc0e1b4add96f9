/*
 * signal.h - POSIX signals: per-thread masks and pending sets, a per-process
 * record (struct sigproc: the actions, the process's pending set, its
 * stop state and alarm) shared by the threads of one thread group, and
 * delivery on the way back to user mode.
 *
 * Everything here is kept under the scheduler lock: a sender marks a
 * signal pending and wakes an interruptible sleeper under it, and the
 * sleeper checks current->pending_sig under it before it blocks. Loops
 * over tasks there are bounded by TASK_MAX; delivery itself (the frame
 * copy) runs with interrupts on.
 *
 * Blocking calls that a handler may restart (SA_RESTART) return
 * -ERESTARTSYS; the system-call exit turns it into -EINTR for a handler
 * without SA_RESTART and re-runs the call otherwise (the user never sees it).
 */
#ifndef CALF_KERNEL_SIGNAL_H
#define CALF_KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <calf/abi.h>
#include "arch.h"

struct task;

/* Kernel-internal errnos, never returned to user mode (Linux's values). */
#define ERESTARTSYS 512    /* restart with SA_RESTART or without a handler, else EINTR */
#define ERESTARTNOHAND 514 /* restart only when no handler ran (sigsuspend), else EINTR */

/* What a pending signal carries to a SA_SIGINFO handler. */
struct ksiginfo {
	int32_t code;
	int32_t pid;
	uint32_t addr;
	int32_t status;
};

/*
 * Give child its signal state from parent (NULL: all default, for a
 * spawned task): with CALF_CLONE_THREAD it shares parent's process record,
 * otherwise gets a copy of the actions (no alarm, nothing pending); the
 * mask is copied, the thread's pending set starts empty. 0 or -EAGAIN.
 */
int signal_clone(struct task *child, const struct task *parent, unsigned clone_flags);

/* exec: handlers back to SIG_DFL, ignored signals stay ignored, the mask is kept. */
void signal_exec(struct task *t);

/* Drop t's hold on its process record (exit). Scheduler lock held. */
void signal_release_locked(struct task *t);

/*
 * Send sig to t's process (kill): one thread that does not block it is
 * woken; ignored signals are discarded, SIGCONT continues a stopped
 * process. info may be NULL (sent by the kernel). Scheduler lock held.
 */
void signal_send_locked(struct task *t, int sig, const struct ksiginfo *info);

/* True when t ignores or blocks sig: a terminal's job-control signal would not stop it (kernel/tty.c). Lock held. */
bool signal_ignored_or_blocked_locked(const struct task *t, int sig);

/* Wake the waitpid of child's parent and send it SIGCHLD for the change (CALF_CLD_*) unless SA_NOCLDSTOP forbids. Lock held. */
void signal_child_locked(struct task *child, int code, int status);

/* True when child's process, ended, is to be freed at once instead of waiting as a zombie for its parent. Lock held. */
bool signal_child_autoreap_locked(const struct task *child);

/*
 * End thread t of a process being ended (exit_group, a fatal signal):
 * SIGKILL pending on t alone, t woken from any wait or stop. Lock held.
 */
void signal_kill_thread_locked(struct task *t);

/* True when SIGKILL is pending on t or its process (exec's wait for its threads). Lock held. */
bool signal_kill_pending_locked(const struct task *t);

/*
 * A fault of the current task: queue sig for its handler with info (the
 * fault is retried once the handler returns) and return true, or return
 * false when it has none or blocks or ignores sig: the caller then ends
 * the task with sig.
 */
bool signal_fault(int sig, const struct ksiginfo *info);

/*
 * The return-to-user work (interrupts on): stop while the process is
 * stopped, then take one pending signal and act on it: run its handler
 * (frame pushed on the user stack), ignore it, stop, or end the task.
 * Settles an interrupted system call's restart.
 */
void signal_deliver(struct trapframe *tf);

/*
 * A stopped or continued child's report for waitpid with WUNTRACED or
 * WCONTINUED in options: its status, taken once, or 0. Lock held.
 */
int signal_wait_report_locked(struct task *child, int options);

/* The alarms that fell due by now send SIGALRM; returns the next deadline (UINT64_MAX: none). Lock held. */
uint64_t signal_alarm_expire_locked(uint64_t now);

/* The system calls (abi.h). */
int32_t sys_sigaction(const struct trapframe *tf);
int32_t sys_sigreturn(const struct trapframe *tf);
int32_t sys_sigprocmask(const struct trapframe *tf);
int32_t sys_sigpending(const struct trapframe *tf);
int32_t sys_sigsuspend(const struct trapframe *tf);
int32_t sys_alarm(const struct trapframe *tf);

/*
 * The arch's half (arch/<arch>/signal.c). arch_signal_push builds the
 * handler's frame on the user stack below tf's sp (info, the interrupted
 * registers and mask) and points tf at handler with the restorer as its
 * return address; 0 or -EFAULT. arch_signal_pop reads the frame back at
 * sigreturn, validates it and restores tf, *mask and *ret (the result
 * register's value): 0, -EFAULT or -EINVAL (a forged frame). arch_syscall_restart rewinds tf to re-run
 * system call nr with its first argument.
 */
int arch_signal_push(struct trapframe *tf, int sig, const struct calf_siginfo *info, uint32_t mask,
		     const struct calf_sigaction *act);
int arch_signal_pop(struct trapframe *tf, uint32_t *mask, uint32_t *ret);
void arch_syscall_restart(struct trapframe *tf, unsigned nr, uintptr_t arg0);

#endif
