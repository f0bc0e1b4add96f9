/*
 * signal.c - POSIX signals: sending (kill, faults, SIGCHLD, alarms), the
 * masks and actions, delivery on the way back to user mode, stop and
 * continue of a whole process. See signal.h for the locking rules.
 */
#include "signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "printk.h"
#include "sched.h"
#include "task.h"
#include "timer.h"

_Static_assert(CALF_SIGNALS_AGREE, "newlib's signal numbers are not the ones abi.h lists");
_Static_assert(sizeof(((struct task *)0)->sig_info) == NSIG * sizeof(struct ksiginfo),
	       "one record per signal");

/*
 * A process's signal record, shared by its threads (CALF_CLONE_THREAD):
 * the actions, the signals sent to the process and not yet taken by one of
 * its threads, the stop state and the alarm. Scheduler lock.
 */
struct sigproc {
	int refs;         /* tasks using it; 0: a free slot */
	uint32_t pending; /* process-directed signals */
	bool stopped;     /* stopped by a stop signal until SIGCONT or SIGKILL */
	int report;       /* for waitpid: a stop (0x7f | sig << 8) or CALF_W_CONTINUED; 0: none */
	uint64_t alarm;   /* SIGALRM deadline (timer_now() ns); UINT64_MAX: none */
	/*
	 * Signals whose act[] entry may differ from all-zero (SIG_DFL); every
	 * other entry is zero, in free records too. Fork copies, and the last
	 * release clears, only these: most processes set none or a few.
	 */
	uint32_t act_set;
	struct calf_sigaction act[NSIG];
	struct ksiginfo info[NSIG]; /* only pending's bits make an entry valid */
};

/* sigproc_alloc_locked() clears what lies before act[]: the two tables must stay last. */
_Static_assert(offsetof(struct sigproc, info) == offsetof(struct sigproc, act) + sizeof(((struct sigproc *)0)->act) &&
		       sizeof(struct sigproc) - offsetof(struct sigproc, info) - sizeof(((struct sigproc *)0)->info) <
			       _Alignof(struct sigproc),
	       "struct sigproc: act[] then info[] must end it");

/* At most one record per task, so TASK_MAX of them never run out. */
static struct sigproc sigprocs[TASK_MAX];

#define SIG_BIT(s) (1u << (s))
/* POSIX sigaction(): SIGKILL and SIGSTOP cannot be caught, blocked or ignored. */
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define SIG_STOPS (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))
/* POSIX 2.4.3 default actions: ignore these; stop SIG_STOPS; terminate the rest. */
#define SIG_DEFAULT_IGNORED \
	(SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH) | SIG_BIT(SIGCONT))
/* sigprocmask's how (newlib's SIG_SETMASK, SIG_BLOCK, SIG_UNBLOCK). */
enum { HOW_SETMASK = 0, HOW_BLOCK = 1, HOW_UNBLOCK = 2 };

enum sig_kind { KIND_NONE, KIND_IGNORE, KIND_STOP, KIND_TERMINATE, KIND_HANDLER };

/* True for a signal number a sigset_t and the action table hold. */
static bool sig_valid(int sig)
{
	return sig > 0 && sig < NSIG;
}

/* What taking sig under act does. */
static enum sig_kind sig_kind(int sig, const struct calf_sigaction *act)
{
	if (act->handler == CALF_SIG_IGN)
		return KIND_IGNORE;
	if (act->handler != CALF_SIG_DFL)
		return KIND_HANDLER;
	if (SIG_DEFAULT_IGNORED & SIG_BIT(sig))
		return KIND_IGNORE;
	return (SIG_STOPS & SIG_BIT(sig)) ? KIND_STOP : KIND_TERMINATE;
}

/*
 * A free record with one reference, every action SIG_DFL and nothing
 * pending, or NULL. Lock held; TASK_MAX slots at most.
 */
static struct sigproc *sigproc_alloc_locked(void)
{
	for (int i = 0; i < TASK_MAX; i++) {
		struct sigproc *sp = &sigprocs[i];
		if (sp->refs == 0) {
			/* Up to act[] only: it is all zero already (act_set's rule), info[] needs no clearing. */
			memset(sp, 0, offsetof(struct sigproc, act));
			sp->refs = 1;
			sp->alarm = UINT64_MAX;
			return sp;
		}
	}
	return NULL;
}

/* Copy the actions from's act_set names into to, whose actions are all SIG_DFL. Lock held. */
static void sigproc_act_copy_locked(struct sigproc *to, const struct sigproc *from)
{
	for (uint32_t set = from->act_set; set; set &= set - 1) {
		int sig = __builtin_ctz(set);
		to->act[sig] = from->act[sig];
	}
	to->act_set = from->act_set;
}

/* Put sp's actions back to SIG_DFL, as a free record's must be. Lock held; NSIG entries at most. */
static void sigproc_act_clear_locked(struct sigproc *sp)
{
	for (uint32_t set = sp->act_set; set; set &= set - 1)
		sp->act[__builtin_ctz(set)] = (struct calf_sigaction){ 0 };
	sp->act_set = 0;
}

/* Set current->pending_sig-style flag of t: a signal it may take, or a stop to join. Lock held. */
static void sig_recalc_locked(struct task *t)
{
	struct sigproc *sp = t->sigp;
	if (!sp) {
		t->pending_sig = 0;
		return;
	}
	uint32_t due = (t->sig_pending | sp->pending) & ~t->sig_blocked;
	t->pending_sig = due != 0 || sp->stopped;
}

/* True when t is a live task of process sp. */
static bool sig_member(const struct task *t, const struct sigproc *sp)
{
	return t->sigp == sp && t->state != TASK_UNUSED && t->state != TASK_ZOMBIE;
}

/*
 * Recompute every thread of t's process after a change to its pending set
 * or stop state, and wake the ones it concerns: all of them with all (a
 * stop, SIGKILL), else the first that does not block sig (0: none).
 * Lock held; a scan of TASK_MAX slots only when the process has threads.
 */
static void sig_proc_update_locked(struct task *t, int sig, bool all)
{
	struct sigproc *sp = t->sigp;
	if (sp->refs == 1) {
		sig_recalc_locked(t);
		if (t->pending_sig && (all || (sig && !(t->sig_blocked & SIG_BIT(sig)))))
			sched_interrupt_locked(t);
		return;
	}
	bool woke = false;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *u = &task_table[i];
		if (!sig_member(u, sp))
			continue;
		sig_recalc_locked(u);
		if (u->pending_sig && (all || (sig && !woke && !(u->sig_blocked & SIG_BIT(sig))))) {
			sched_interrupt_locked(u);
			woke = true;
		}
	}
}

int signal_clone(struct task *child, const struct task *parent, unsigned clone_flags)
{
	int err = 0;
	uint32_t saved = sched_lock();
	if (parent && (clone_flags & CALF_CLONE_THREAD)) {
		child->sigp = parent->sigp;
		child->sigp->refs++;
	} else {
		child->sigp = sigproc_alloc_locked();
		if (!child->sigp)
			err = -EAGAIN;
		else if (parent)
			sigproc_act_copy_locked(child->sigp, parent->sigp);
	}
	child->sig_blocked = parent ? parent->sig_blocked : 0;
	child->sig_pending = 0;
	child->pending_sig = 0;
	sched_unlock(saved);
	return err;
}

void signal_exec(struct task *t)
{
	uint32_t saved = sched_lock();
	struct sigproc *sp = t->sigp;
	uint32_t ignored = 0;
	for (uint32_t set = sp->act_set; set; set &= set - 1) {
		int s = __builtin_ctz(set);
		bool ign = sp->act[s].handler == CALF_SIG_IGN;
		sp->act[s] = (struct calf_sigaction){ .handler = ign ? CALF_SIG_IGN : CALF_SIG_DFL };
		ignored |= ign ? SIG_BIT(s) : 0;
	}
	sp->act_set = ignored;
	sched_unlock(saved);
}

/* Set the alarm timer for the earliest alarm of any process. Lock held; TASK_MAX records. */
static void sig_alarm_rearm_locked(void)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < TASK_MAX; i++)
		if (sigprocs[i].refs && sigprocs[i].alarm < next)
			next = sigprocs[i].alarm;
	timer_alarm_set_locked(next);
}

void signal_release_locked(struct task *t)
{
	struct sigproc *sp = t->sigp;
	t->sigp = NULL;
	t->pending_sig = 0;
	if (!sp || --sp->refs != 0)
		return;
	sigproc_act_clear_locked(sp);
	if (sp->alarm != UINT64_MAX) {
		sp->alarm = UINT64_MAX;
		sig_alarm_rearm_locked();
	}
}

/*
 * True when sig sent to t's process has no effect and is discarded now
 * (POSIX 2.4.1): ignored, and not blocked by t (a blocked one stays
 * pending, as its action may change before it is unblocked).
 */
static bool sig_discarded(const struct task *t, int sig)
{
	if (t->sig_blocked & SIG_BIT(sig))
		return false;
	return sig_kind(sig, &t->sigp->act[sig]) == KIND_IGNORE;
}

/*
 * What sending sig does at once, whatever its action (POSIX 2.4.1): a stop
 * signal discards a pending SIGCONT; SIGCONT discards pending stops and
 * continues a stopped process, as SIGKILL does. Lock held.
 */
static void sig_send_effects_locked(struct task *t, int sig)
{
	struct sigproc *sp = t->sigp;
	if (SIG_STOPS & SIG_BIT(sig)) {
		sp->pending &= ~SIG_BIT(SIGCONT);
		return;
	}
	if (sig != SIGCONT && sig != SIGKILL)
		return;
	sp->pending &= ~SIG_STOPS;
	if (!sp->stopped)
		return;
	sp->stopped = false;
	if (sig == SIGCONT) {
		sp->report = CALF_W_CONTINUED;
		signal_child_locked(t, CALF_CLD_CONTINUED, SIGCONT);
	}
	sched_wakeup_locked(sp); /* the threads waiting in sig_stop_wait_locked */
}

void signal_send_locked(struct task *t, int sig, const struct ksiginfo *info)
{
	struct sigproc *sp = t->sigp;
	if (!sig_valid(sig) || !sp || t->state == TASK_UNUSED || t->state == TASK_ZOMBIE)
		return;
	sig_send_effects_locked(t, sig);
	/* Standard signals do not queue: a second one while pending is lost (POSIX 2.4.1). */
	if (!sig_discarded(t, sig) && !(sp->pending & SIG_BIT(sig))) {
		sp->pending |= SIG_BIT(sig);
		sp->info[sig] = info ? *info : (struct ksiginfo){ .code = CALF_SI_KERNEL };
	}
	sig_proc_update_locked(t, sig, sig == SIGKILL);
	struct task *exec = t->leader->group_exec;
	if (sig == SIGKILL && exec) {
		/*
		 * An exec ending the other threads loses: its own SIGKILL, as a
		 * thread it ends may take the process's first. Its wait for them
		 * may not be interruptible (kernel/task.c): wake it there too.
		 */
		signal_kill_thread_locked(exec);
		sched_wakeup_locked(&t->leader->nthreads);
	}
}

void signal_child_locked(struct task *child, int code, int status)
{
	child = child->leader; /* the process changed state: its parent is its leader's */
	struct task *parent = child->parent;
	if (!parent || !parent->sigp)
		return;
	sched_wakeup_locked(parent->leader); /* a waitpid sleeps on its process's leader (task_wait) */
	bool change = code == CALF_CLD_STOPPED || code == CALF_CLD_CONTINUED;
	if (change && (parent->sigp->act[SIGCHLD].flags & CALF_SA_NOCLDSTOP))
		return;
	struct ksiginfo info = { .code = code, .pid = child->tgid, .status = status };
	signal_send_locked(parent, SIGCHLD, &info);
}

bool signal_child_autoreap_locked(const struct task *child)
{
	const struct task *parent = child->leader->parent;
	if (!parent || !parent->sigp)
		return false;
	const struct calf_sigaction *act = &parent->sigp->act[SIGCHLD];
	/* POSIX wait(): SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT, and ended children leave no zombie. */
	return act->handler == CALF_SIG_IGN || (act->flags & CALF_SA_NOCLDWAIT);
}

void signal_kill_thread_locked(struct task *t)
{
	if (!t->sigp)
		return; /* past signal_release_locked: on its way out already */
	t->sig_pending |= SIG_BIT(SIGKILL);
	t->sig_info[SIGKILL] = (struct ksiginfo){ .code = CALF_SI_KERNEL };
	sig_recalc_locked(t);
	sched_interrupt_locked(t);
	sched_wakeup_locked(t->sigp); /* out of a process stop too */
}

bool signal_kill_pending_locked(const struct task *t)
{
	uint32_t both = t->sig_pending | (t->sigp ? t->sigp->pending : 0);
	return (both & SIG_BIT(SIGKILL)) != 0;
}

bool signal_fault(int sig, const struct ksiginfo *info)
{
	struct task *t = current;
	uint32_t saved = sched_lock();
	bool handled = !(t->sig_blocked & SIG_BIT(sig)) &&
		       sig_kind(sig, &t->sigp->act[sig]) == KIND_HANDLER;
	if (handled) {
		t->sig_pending |= SIG_BIT(sig);
		t->sig_info[sig] = *info;
		sig_recalc_locked(t);
	}
	sched_unlock(saved);
	return handled;
}

/*
 * True when t is among the targets of kill(pid): pid > 0 that task, 0 the
 * caller's group, -1 every task but init and the caller (as Linux), below
 * -1 the group -pid. Lock held.
 */
static bool kill_targets(const struct task *t, int pid, int caller_pgid)
{
	if (t->state == TASK_UNUSED)
		return false;
	if (pid > 0)
		return t->pid == pid;
	if (pid == 0)
		return t->pgid == caller_pgid;
	if (pid == -1)
		return t->pid != 1 && t->tgid != current->tgid;
	return t->pgid == -pid;
}

int task_kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid < -TASK_PID_MAX || pid > TASK_PID_MAX)
		return -ESRCH; /* names no pid nor group; and -pid could overflow */
	struct ksiginfo info = { .code = CALF_SI_USER, .pid = current->tgid };
	uint32_t saved = sched_lock();
	int caller_pgid = current->pgid, found = 0;
	if (pid > 0) {
		struct task *t = task_find_process(pid); /* one pid: no need to scan all groups */
		if (t) {
			signal_send_locked(t, sig, &info);
			found = 1;
		}
	} else {
		for (int i = 0; i < TASK_MAX; i++) {
			if (kill_targets(&task_table[i], pid, caller_pgid)) {
				signal_send_locked(&task_table[i], sig, &info);
				found++;
			}
		}
	}
	sched_unlock(saved);
	return found ? 0 : -ESRCH; /* POSIX kill(): ESRCH when no process or group matches */
}

int task_kill_group_locked(int pgid, int sig)
{
	int found = 0;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		if (t->state != TASK_UNUSED && t->pgid == pgid) {
			signal_send_locked(t, sig, NULL);
			found++;
		}
	}
	return found ? 0 : -ESRCH;
}

/* Wait while current's process is stopped (SIGKILL ends the wait). Lock held. */
static void sig_stop_wait_locked(void)
{
	struct task *t = current;
	struct sigproc *sp = t->sigp;
	while (sp->stopped && !((t->sig_pending | sp->pending) & SIG_BIT(SIGKILL)))
		sched_block_locked(sp, false); /* SIGCONT and SIGKILL wake sp */
}

/* Stop current's process for sig: report it, make every thread join. Lock held. */
static void sig_stop_begin_locked(int sig)
{
	struct sigproc *sp = current->sigp;
	if (sp->stopped)
		return;
	sp->stopped = true;
	sp->report = 0x7f | (sig << 8); /* newlib's <sys/wait.h>: WIFSTOPPED, WSTOPSIG */
	signal_child_locked(current, CALF_CLD_STOPPED, sig);
	sig_proc_update_locked(current, 0, true);
}

/*
 * Take current's next signal (SIGKILL first, then its own, then its
 * process's, lowest number first) with its details. 0: none. Lock held.
 */
static int sig_dequeue_locked(struct ksiginfo *info)
{
	struct task *t = current;
	struct sigproc *sp = t->sigp;
	uint32_t mine = t->sig_pending & ~t->sig_blocked, proc = sp->pending & ~t->sig_blocked;
	int sig;
	if (!((mine | proc) & SIG_BIT(SIGKILL)) && mine) {
		sig = __builtin_ctz(mine);
		t->sig_pending &= ~SIG_BIT(sig);
		*info = t->sig_info[sig];
		return sig;
	}
	if (!(mine | proc))
		return 0;
	sig = ((mine | proc) & SIG_BIT(SIGKILL)) ? SIGKILL : __builtin_ctz(proc);
	t->sig_pending &= ~SIG_BIT(sig);
	sp->pending &= ~SIG_BIT(sig);
	*info = sp->info[sig];
	if (sp->refs > 1)
		sig_proc_update_locked(t, 0, false); /* the others need not look for it any more */
	return sig;
}

/*
 * Settle the system call a handler interrupts: restart it when it asked
 * for SA_RESTART and returned -ERESTARTSYS, else it returns EINTR.
 */
static void sig_restart_settle(struct trapframe *tf, bool handler, uint32_t flags)
{
	struct task *t = current;
	if (!t->sig_restart)
		return;
	bool again = !handler || (t->sig_restart == 1 && (flags & CALF_SA_RESTART));
	t->sig_restart = 0;
	if (again)
		arch_syscall_restart(tf, t->sig_sc_nr, t->sig_sc_arg0);
}

/* Push the handler frame for sig; a frame that cannot be written ends the task with SIGSEGV. */
static void sig_handler_enter(struct trapframe *tf, int sig, const struct ksiginfo *ki,
			      const struct calf_sigaction *act, uint32_t oldmask)
{
	sig_restart_settle(tf, true, act->flags);
	struct calf_siginfo si = { .signo = sig, .code = ki->code, .pid = ki->pid,
				   .addr = ki->addr, .status = ki->status };
	if (arch_signal_push(tf, sig, &si, oldmask, act)) {
		printk("calf: task %d (%s) killed by SIGSEGV: no room for a signal frame, pc %08" PRIxPTR
		       "\n", current->pid, current->name, arch_tf_pc(tf));
		task_exit_group(SIGSEGV);
	}
}

/* Block what a handler for sig blocks; returns the mask its sigreturn puts back. Lock held. */
static uint32_t sig_handler_mask_locked(int sig, struct calf_sigaction *act)
{
	struct task *t = current;
	uint32_t old = t->sig_mask_saved ? t->sig_saved_mask : t->sig_blocked;
	t->sig_mask_saved = false;
	t->sig_blocked |= act->mask | ((act->flags & CALF_SA_NODEFER) ? 0 : SIG_BIT(sig));
	t->sig_blocked &= ~SIG_UNBLOCKABLE;
	/* POSIX sigaction(): SA_RESETHAND resets the action on entry to the handler. */
	if (act->flags & CALF_SA_RESETHAND)
		t->sigp->act[sig] = (struct calf_sigaction){ .handler = CALF_SIG_DFL };
	return old;
}

/* Nothing more to deliver: put sigsuspend's mask back and re-run a restartable call. */
static void sig_deliver_none(struct trapframe *tf)
{
	struct task *t = current;
	if (t->sig_mask_saved) {
		uint32_t saved = sched_lock();
		t->sig_blocked = t->sig_saved_mask;
		t->sig_mask_saved = false;
		sig_recalc_locked(t);
		sched_unlock(saved);
	}
	sig_restart_settle(tf, false, 0);
}

void signal_deliver(struct trapframe *tf)
{
	struct ksiginfo info;
	struct calf_sigaction act = { 0 };
	uint32_t oldmask = 0;
	uint32_t saved = sched_lock();
	sig_stop_wait_locked();
	int sig = sig_dequeue_locked(&info);
	enum sig_kind kind = KIND_NONE;
	if (sig) {
		act = current->sigp->act[sig];
		kind = sig_kind(sig, &act);
	}
	if (kind == KIND_HANDLER)
		oldmask = sig_handler_mask_locked(sig, &act);
	else if (kind == KIND_STOP)
		sig_stop_begin_locked(sig);
	sig_recalc_locked(current);
	sched_unlock(saved);
	if (kind == KIND_HANDLER)
		sig_handler_enter(tf, sig, &info, &act, oldmask);
	else if (kind == KIND_TERMINATE)
		task_exit_group(sig);
	else if (kind == KIND_NONE)
		sig_deliver_none(tf);
}

/*
 * Set current's action for sig to new (mask and flags kept as given,
 * SIGKILL/SIGSTOP never blocked). Setting an action that ignores sig
 * discards it where it is pending (POSIX 2.4.3). Lock taken here.
 */
static void sigaction_set(int sig, const struct calf_sigaction *new)
{
	struct task *t = current;
	uint32_t saved = sched_lock();
	struct sigproc *sp = t->sigp;
	sp->act[sig] = *new;
	sp->act[sig].mask &= ~SIG_UNBLOCKABLE;
	sp->act_set |= SIG_BIT(sig);
	if (sig_kind(sig, new) == KIND_IGNORE) {
		sp->pending &= ~SIG_BIT(sig);
		for (int i = 0; sp->refs > 1 && i < TASK_MAX; i++)
			if (sig_member(&task_table[i], sp))
				task_table[i].sig_pending &= ~SIG_BIT(sig);
		t->sig_pending &= ~SIG_BIT(sig);
		sig_proc_update_locked(t, 0, false);
	}
	sched_unlock(saved);
}

/*
 * (sig, *new or 0, *old or 0): struct calf_sigaction records in user
 * memory. The old action is copied out before the new one is set, so an
 * EFAULT changes nothing. POSIX sigaction(): EINVAL for a bad signal or
 * any new action for SIGKILL or SIGSTOP (Linux refuses even SIG_DFL).
 */
int32_t sys_sigaction(const struct trapframe *tf)
{
	int sig = (int)arch_tf_arg(tf, 0);
	vaddr_t new_uva = arch_tf_arg(tf, 1), old_uva = arch_tf_arg(tf, 2);
	if (!sig_valid(sig))
		return -EINVAL;
	struct calf_sigaction new, old;
	if (new_uva && vm_copyin(current->vs, &new, new_uva, sizeof(new)))
		return -EFAULT;
	if (new_uva && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	uint32_t saved = sched_lock();
	old = current->sigp->act[sig];
	sched_unlock(saved);
	if (old_uva && vm_copyout(current->vs, old_uva, &old, sizeof(old)))
		return -EFAULT;
	if (new_uva)
		sigaction_set(sig, &new);
	return 0;
}

/* Make mask current's (SIGKILL and SIGSTOP never blocked). */
static void sig_mask_set(uint32_t mask)
{
	uint32_t saved = sched_lock();
	current->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	sig_recalc_locked(current);
	sched_unlock(saved);
}

/*
 * (how, *new or 0, *old or 0): change this thread's mask. EINVAL for a bad
 * how (POSIX sigprocmask()), EFAULT for a bad pointer (nothing changed).
 * Only the thread itself writes its mask, so reading it needs no lock.
 */
int32_t sys_sigprocmask(const struct trapframe *tf)
{
	int how = (int)arch_tf_arg(tf, 0);
	vaddr_t new_uva = arch_tf_arg(tf, 1), old_uva = arch_tf_arg(tf, 2);
	uint32_t set = 0, mask = current->sig_blocked;
	if (new_uva && vm_copyin(current->vs, &set, new_uva, sizeof(set)))
		return -EFAULT;
	if (new_uva && how != HOW_SETMASK && how != HOW_BLOCK && how != HOW_UNBLOCK)
		return -EINVAL;
	if (old_uva && vm_copyout(current->vs, old_uva, &mask, sizeof(mask)))
		return -EFAULT;
	if (!new_uva)
		return 0;
	if (how == HOW_BLOCK)
		mask |= set;
	else if (how == HOW_UNBLOCK)
		mask &= ~set;
	else
		mask = set;
	sig_mask_set(mask);
	return 0;
}

/* (*uint32_t): the signals pending on this thread or its process and blocked (POSIX sigpending()). */
int32_t sys_sigpending(const struct trapframe *tf)
{
	uint32_t saved = sched_lock();
	uint32_t set = (current->sig_pending | current->sigp->pending) & current->sig_blocked;
	sched_unlock(saved);
	return vm_copyout(current->vs, arch_tf_arg(tf, 0), &set, sizeof(set)) ? -EFAULT : 0;
}

/*
 * (mask): wait with mask in place until a signal is due. Ends with EINTR
 * once a handler ran (its sigreturn puts the old mask back); with no
 * handler (a stop and continue) the old mask is back and the call re-runs.
 */
int32_t sys_sigsuspend(const struct trapframe *tf)
{
	struct task *t = current;
	uint32_t saved = sched_lock();
	t->sig_saved_mask = t->sig_blocked;
	t->sig_mask_saved = true;
	t->sig_blocked = (uint32_t)arch_tf_arg(tf, 0) & ~SIG_UNBLOCKABLE;
	sig_recalc_locked(t);
	while (!t->pending_sig)
		sched_block_locked(&t->sig_saved_mask, true); /* only a signal ends it */
	sched_unlock(saved);
	return -ERESTARTNOHAND;
}

/*
 * (): back from a handler: restore the registers and mask its frame holds.
 * A frame that cannot be read or was forged ends the task with SIGSEGV.
 * Returns the restored result register, which dispatch stores back.
 */
int32_t sys_sigreturn(const struct trapframe *tf)
{
	(void)tf;
	uint32_t mask, ret;
	int err = arch_signal_pop(current->tf, &mask, &ret);
	if (err) {
		printk("calf: task %d (%s) killed by SIGSEGV: %s signal frame\n", current->pid,
		       current->name, err == -EFAULT ? "unreadable" : "bad");
		task_exit_group(SIGSEGV);
	}
	sig_mask_set(mask);
	return (int32_t)ret;
}

/*
 * (microseconds, 0: cancel): SIGALRM to the process once that much time
 * has passed, replacing the alarm set before. Returns the microseconds
 * that one had left (0: none; capped to stay a positive result).
 */
int32_t sys_alarm(const struct trapframe *tf)
{
	uint64_t us = (uint32_t)arch_tf_arg(tf, 0);
	uint32_t saved = sched_lock();
	struct sigproc *sp = current->sigp;
	uint64_t now = timer_now(), left = 0;
	if (sp->alarm != UINT64_MAX)
		left = sp->alarm > now ? (sp->alarm - now + 999) / 1000 : 1;
	sp->alarm = us ? now + us * 1000 : UINT64_MAX;
	sig_alarm_rearm_locked();
	sched_unlock(saved);
	return left > INT32_MAX ? INT32_MAX : (int32_t)left;
}

uint64_t signal_alarm_expire_locked(uint64_t now)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		struct sigproc *sp = t->sigp;
		if (!sp || t->state == TASK_UNUSED || t->state == TASK_ZOMBIE)
			continue;
		if (sp->alarm <= now) {
			sp->alarm = UINT64_MAX;
			signal_send_locked(t, SIGALRM, NULL);
		} else if (sp->alarm < next) {
			next = sp->alarm;
		}
	}
	return next;
}

int signal_wait_report_locked(struct task *child, int options)
{
	struct sigproc *sp = child->sigp;
	if (!sp || !sp->report)
		return 0;
	int want = sp->report == CALF_W_CONTINUED ? CALF_WCONTINUED : WUNTRACED;
	if (!(options & want))
		return 0;
	int status = sp->report;
	sp->report = 0;
	return status;
}

bool signal_ignored_or_blocked_locked(const struct task *t, int sig)
{
	if (!sig_valid(sig))
		return false;
	if (t->sig_blocked & SIG_BIT(sig))
		return true;
	return t->sigp && t->sigp->act[sig].handler == CALF_SIG_IGN;
}
