/*
 * task.c - task lifecycle: spawn, clone (fork or thread), exit, wait;
 * process groups. Signals are kernel/signal.c's.
 */
#include "task.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <calf/abi.h>
#include "board.h"
#include "console.h"
#include "exec.h"
#include "file.h"
#include "futex.h"
#include "mutex.h"
#include "printk.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "vfs.h"

struct task task_table[TASK_MAX];
static int last_pid;

#define PID_MAX TASK_PID_MAX
#define INIT_PID 1

/* Pids in use, live or zombie: a bit each, so finding a free one looks at O(TASK_MAX) bits. */
static uint32_t pid_used[(PID_MAX + 32) / 32];

static bool pid_taken(int pid)
{
	return pid_used[pid / 32] & (1u << (pid % 32));
}

static void pid_mark(int pid, bool used)
{
	if (used)
		pid_used[pid / 32] |= 1u << (pid % 32);
	else
		pid_used[pid / 32] &= ~(1u << (pid % 32));
}

/* The task with pid, or NULL. Scheduler lock held (a slot changes hands only under it). */
struct task *task_find(int pid)
{
	if (pid <= 0 || pid > PID_MAX || !pid_taken(pid))
		return NULL;
	for (int i = 0; i < TASK_MAX; i++)
		if (task_table[i].state != TASK_UNUSED && task_table[i].pid == pid)
			return &task_table[i];
	return NULL;
}

/* What a claimed slot is blocked on until it is made ready: nobody wakes it. */
static const char slot_claimed;

/*
 * A thread of process tgid other than not that is alive: running, ready or
 * asleep, with its signal record (not a slot still being set up, nor one
 * ending), or NULL. Lock held; O(TASK_MAX).
 */
static struct task *thread_live_find_locked(int tgid, const struct task *not)
{
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *c = &task_table[i];
		bool live = c->state == TASK_READY || c->state == TASK_RUNNING ||
			    (c->state == TASK_BLOCKED && c->chan != &slot_claimed);
		if (c != not && live && c->sigp && c->tgid == tgid)
			return c;
	}
	return NULL;
}

struct task *task_find_process(int pid)
{
	struct task *t = task_find(pid);
	if (!t || t->state != TASK_ZOMBIE || t->nthreads == 0)
		return t;
	/* A leader that ended before its threads (or is being ended by an exec): they are the process. */
	struct task *u = thread_live_find_locked(t->tgid, t);
	return u ? u : t;
}

void task_stack_check(const struct task *t)
{
	if (t->pid > 0 && t->kstack[0] != KSTACK_CANARY)
		panic("kernel stack overflow in task %d (%s)", t->pid, t->name);
}

/* task_slot_claim() clears what lies before sig_info: only it and the stack may follow. */
_Static_assert(offsetof(struct task, kstack) ==
		       offsetof(struct task, sig_info) + sizeof(((struct task *)0)->sig_info),
	       "struct task: sig_info must be the last field before kstack");

/*
 * The next pid not in use, counting up and wrapping past init; lock held.
 * At most TASK_MAX pids are taken, so it looks at no more than TASK_MAX + 1.
 */
static int pid_next_locked(void)
{
	do {
		last_pid = last_pid >= PID_MAX ? INIT_PID + 1 : last_pid + 1;
	} while (pid_taken(last_pid));
	pid_mark(last_pid, true);
	return last_pid;
}

/* Give a slot back (a reaped zombie, or a clone that failed); lock held. */
static void task_free_locked(struct task *t)
{
	pid_mark(t->pid, false);
	t->state = TASK_UNUSED;
}


/* Claim a free slot with zeroed bookkeeping and a pid, under the lock, or NULL. */
static struct task *task_slot_claim(void)
{
	uint32_t saved = sched_lock();
	struct task *t = NULL;
	for (int i = 0; i < TASK_MAX; i++) {
		if (task_table[i].state == TASK_UNUSED) {
			t = &task_table[i];
			memset(t, 0, offsetof(struct task, sig_info));
			t->state = TASK_BLOCKED; /* taken, not runnable until made ready */
			t->chan = &slot_claimed;
			t->pid = t->tgid = pid_next_locked();
			t->leader = t; /* a process of one until CLONE_THREAD says otherwise */
			t->nthreads = 1;
			break;
		}
	}
	sched_unlock(saved);
	return t;
}

/* A free slot with fresh bookkeeping and a kernel stack ready to enter user mode, or NULL. */
static struct task *task_alloc(const char *name)
{
	struct task *t = task_slot_claim();
	if (!t)
		return NULL;
	/* Nobody else touches a claimed slot until it is made ready. */
	t->kstack[0] = KSTACK_CANARY;
	t->prio = t->base_prio = CALF_PRIO_DEFAULT;
	strncpy(t->name, name, TASK_NAME_MAX - 1);
	t->ctx = arch_context_new((uint8_t *)t->kstack + KSTACK_SIZE, &t->tf);
	return t;
}

/* Return a slot task_alloc() gave, never run. */
static void task_alloc_undo(struct task *t)
{
	uint32_t saved = sched_lock();
	signal_release_locked(t);
	task_free_locked(t);
	sched_unlock(saved);
}

int task_spawn(const char *name, const char *const argv[], const char *const envp[], int *pid)
{
	struct task *t = task_alloc(name);
	if (!t)
		return -EAGAIN;
	struct exec_entry entry;
	int err = signal_clone(t, NULL, 0);
	if (err) {
		task_alloc_undo(t);
		return err;
	}
	err = exec_start(name, argv, envp, &t->vs, &entry, t->cmdline, sizeof(t->cmdline));
	if (!err) {
		err = fd_table_open_console(t);
		if (err)
			vm_space_release(t->vs);
	}
	if (err) {
		task_alloc_undo(t);
		return err;
	}
	arch_tf_user_init(t->tf, entry.pc, entry.sp, entry.argc, entry.argv, entry.envp);
	*pid = t->pid;
	t->pgid = t->pid; /* init (pid 1) leads group 1; any other spawned task its own */
	t->sid = t->pid;  /* and session: init's holds the console (kernel/session.h) */
	uint32_t saved = sched_lock();
	t->parent = t->pid == INIT_PID ? NULL : task_find(INIT_PID);
	t->chan = NULL; /* set up: a task now */
	sched_make_ready_locked(t);
	sched_unlock(saved);
	return 0;
}

#define CLONE_KNOWN \
	(CALF_CLONE_VM | CALF_CLONE_THREAD | CALF_CLONE_SETTLS | CALF_CLONE_CHILD_CLEARTID)

/* 0 when clone's flags and child_tid make sense, else -EINVAL. */
static int clone_args_check(unsigned flags, vaddr_t child_tid)
{
	if (flags & ~CLONE_KNOWN)
		return -EINVAL;
	/* A thread shares its process's space (Linux: CLONE_THREAD needs CLONE_VM, else EINVAL). */
	if ((flags & CALF_CLONE_THREAD) && !(flags & CALF_CLONE_VM))
		return -EINVAL;
	/* The word is a futex: aligned, in user space. */
	if ((flags & CALF_CLONE_CHILD_CLEARTID) &&
	    (!child_tid || (child_tid & 3u) || child_tid >= PMAP_USER_END))
		return -EINVAL;
	return 0;
}

/*
 * Mark t, a thread of a process being ended, to die at its next return to
 * user mode, and end its interruptible wait. Lock held.
 * (The signals branch may express this as a SIGKILL of its own kind.)
 */
static void thread_kill_locked(struct task *t)
{
	signal_kill_thread_locked(t);
}

/* Link a new t in: a thread of current's process, or a child process of current. Lock held. */
static void clone_link_locked(struct task *t, unsigned flags)
{
	if (!(flags & CALF_CLONE_THREAD)) {
		t->parent = current;
		return;
	}
	struct task *leader = current->leader;
	t->leader = leader;
	t->parent = NULL; /* the process's parent is its leader's: a thread alone is not waitable */
	leader->nthreads++;
	if (leader->group_kill)
		thread_kill_locked(t); /* born into a process being ended: dies on its first return */
}

int task_clone(unsigned flags, vaddr_t stack, uintptr_t tls, vaddr_t child_tid,
	       const struct trapframe *tf)
{
	int err = clone_args_check(flags, child_tid);
	if (err)
		return err;
	struct task *t = task_alloc(current->name);
	if (!t)
		return -EAGAIN;
	/*
	 * Set before the (long, preemptible) copy: a kill of the parent's group
	 * meanwhile marks the child too, which then dies on its first return.
	 * Likewise the tgid, for an exit_group of the caller's process.
	 */
	t->pgid = current->pgid;
	t->sid = current->sid;
	if (signal_clone(t, current, flags)) {
		task_alloc_undo(t);
		return -EAGAIN;
	}
	if (flags & CALF_CLONE_THREAD)
		t->tgid = current->tgid;
	t->tls = (flags & CALF_CLONE_SETTLS) ? tls : current->tls;
	t->clear_tid = (flags & CALF_CLONE_CHILD_CLEARTID) ? child_tid : 0;
	if (flags & CALF_CLONE_VM) {
		vm_space_hold(current->vs);
		t->vs = current->vs;
	} else {
		/* Preemptible: the parent's space is held by its mutex, the child's is reachable by no one. */
		err = vm_space_clone(current->vs, &t->vs);
		if (err) {
			task_alloc_undo(t);
			return err;
		}
	}
	err = fd_table_clone(t, current, flags & CALF_CLONE_THREAD);
	if (err) {
		vm_space_release(t->vs);
		task_alloc_undo(t);
		return err;
	}
	memcpy(t->cmdline, current->cmdline, sizeof(t->cmdline));
	*t->tf = *tf;
	arch_tf_set_return(t->tf, 0);
	if (stack)
		arch_tf_set_sp(t->tf, stack);
	int pid = t->pid;
	uint32_t saved = sched_lock();
	clone_link_locked(t, flags);
	t->prio = t->base_prio = current->base_prio; /* a lent priority is not inherited */
	t->sched_fifo = current->sched_fifo;     /* POSIX fork and pthread_create inherit the policy */
	t->chan = NULL; /* set up: a task now */
	sched_make_ready_locked(t);
	sched_unlock(saved);
	return pid;
}

/* The end of init ends the machine, with init's exit code (128 + signal if killed). */
static _Noreturn void init_exit(int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	console_sync(); /* the last lines still queued reach the UART before the machine ends */
	printk("calf: init exited with status %d; powering off\n", code);
	board_poweroff(code);
}

/*
 * The task its exiting t's children go to: another live thread of t's
 * process (POSIX: the children are the process's), else init. Lock held.
 */
static struct task *heir_find_locked(const struct task *t)
{
	struct task *heir = thread_live_find_locked(t->tgid, t);
	return heir ? heir : task_find(INIT_PID);
}

/* Give t's children to its heir, waking the heir's waits if a zombie is among them. Lock held. */
static void children_reparent_locked(const struct task *t)
{
	/*
	 * Init outlives every task (its exit ends the machine), so an heir
	 * always exists. Looked for at the first child only: most tasks end
	 * with none, and the search is a second scan of the table.
	 */
	struct task *heir = NULL;
	bool zombies = false;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *c = &task_table[i];
		if (c->state != TASK_UNUSED && c->parent == t) {
			if (!heir)
				heir = heir_find_locked(t);
			c->parent = heir;
			zombies |= c->state == TASK_ZOMBIE;
		}
	}
	if (zombies)
		sched_wakeup_locked(heir->leader); /* once: each wakeup scans every slot */
}

/*
 * The last task of leader's process has ended: fix the status its parent
 * will reap (exit_group's, else the leader's own) and wake the parent's
 * waits; or free the zombie at once when the parent ignores SIGCHLD (or
 * set SA_NOCLDWAIT): its waits then see one child fewer. The leader may
 * be current, on its way out: the lock, held across the switch away,
 * keeps its freed slot from being claimed (thread_end_locked). Lock held.
 */
static void group_ended_locked(struct task *leader)
{
	if (leader->group_exit)
		leader->wait_status = leader->group_status;
	int st = leader->wait_status;
	/* It wakes the parent's waits too. */
	signal_child_locked(leader, WIFEXITED(st) ? CALF_CLD_EXITED : CALF_CLD_KILLED,
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	if (signal_child_autoreap_locked(leader))
		task_free_locked(leader);
}

/*
 * End t, a thread that is not its process's leader: nobody reaps it, so
 * its slot is free at once. One CPU: the scheduler lock, held across the
 * switch away, keeps the slot from being claimed while its stack is in
 * use. Lock held.
 */
static _Noreturn void thread_end_locked(struct task *t)
{
	struct task *leader = t->leader;
	sched_wakeup_locked(&leader->nthreads); /* an exec waiting for the others to end */
	if (--leader->nthreads == 0)
		group_ended_locked(leader); /* the leader is a zombie already */
	signal_release_locked(t);
	task_free_locked(t);
	sched_exit_locked();
}

/* CLONE_CHILD_CLEARTID: zero t's word and wake one waiter (pthread_join). A bad word is ignored. */
static void thread_clear_tid(struct task *t)
{
	if (!t->clear_tid || !t->vs)
		return;
	uint32_t zero = 0;
	if (vm_copyout(t->vs, t->clear_tid, &zero, sizeof(zero)) == 0)
		futex_wake(t->vs, t->clear_tid, 1);
	t->clear_tid = 0;
}

_Noreturn void task_exit(int status)
{
	struct task *t = current;
	futex_pi_exit(t); /* its PI futexes go to their waiters: they are on its held list */
	if (t->held)
		panic("task %d exits holding a mutex", t->pid);
	if (t->pid == INIT_PID)
		init_exit(status);
	thread_clear_tid(t);
	/* Descriptors first: a pipe's reader sees end-of-file as soon as this writer is gone. */
	fd_table_release(t);
	if (t->vs) {
		/*
		 * Detach first: a preemption during the teardown must not switch
		 * back into the half-destroyed (or freed) page tables. The space
		 * stays reachable by nobody else while its last user leaves it.
		 */
		struct vmspace *vs = t->vs;
		t->vs = NULL;
		vm_space_release(vs);
	}
	uint32_t saved = sched_lock();
	(void)saved; /* a zombie never runs again to give it back */
	children_reparent_locked(t);
	if (t->leader != t)
		thread_end_locked(t);
	/* A leader stays, a zombie, until its process's last thread has ended and its parent reaps it. */
	t->wait_status = status;
	signal_release_locked(t);
	t->state = TASK_ZOMBIE;
	sched_wakeup_locked(&t->nthreads); /* an exec in another thread waits for this */
	if (--t->nthreads == 0)
		group_ended_locked(t);
	sched_exit_locked();
}

/* Mark every other live thread of self's process to die. Lock held; O(TASK_MAX). */
static void group_kill_locked(struct task *self)
{
	self->leader->group_kill = true;
	if (self->leader->nthreads == 1)
		return; /* a process of one has nobody else to end: no scan */
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		if (t != self && t->tgid == self->tgid && t->state != TASK_UNUSED &&
		    t->state != TASK_ZOMBIE)
			thread_kill_locked(t);
	}
}

_Noreturn void task_exit_group(int status)
{
	uint32_t saved = sched_lock();
	struct task *leader = current->leader;
	if (leader->group_exec && leader->group_exec != current) {
		/* Another thread's exec is ending this one: it came first, so only this thread goes. */
		sched_unlock(saved);
		task_exit(status);
	}
	if (!leader->group_exit) { /* Linux: the first exit_group's status is the process's */
		leader->group_exit = true;
		leader->group_status = status;
	}
	group_kill_locked(current);
	sched_unlock(saved);
	task_exit(status);
}

/*
 * Make t, the last live task of its process, the process itself in place
 * of leader (a zombie since it ended): t gets the process id and the
 * leader's links, its own thread id and the leader's slot go. Nothing
 * points at leader any more: its children went to heirs at its exit, and
 * the threads whose leader it was have ended. Lock held.
 */
static void exec_identity_take_locked(struct task *t, struct task *leader)
{
	pid_mark(t->pid, false); /* the process id stays taken: t carries it on */
	t->pid = leader->pid;
	t->parent = leader->parent;
	t->pgid = leader->pgid;
	t->sid = leader->sid;
	t->leader = t;
	t->nthreads = 1;
	leader->state = TASK_UNUSED; /* not task_free_locked(): that would free the pid t took */
}

/* True when t must give its exec up: SIGKILL is due, or another thread ends the process. Lock held. */
static bool exec_lost_locked(const struct task *t)
{
	const struct task *leader = t->leader;
	return signal_kill_pending_locked(t) || (leader->group_kill && leader->group_exec != t);
}

int task_exec_threads_end(void)
{
	struct task *t = current;
	uint32_t saved = sched_lock();
	struct task *leader = t->leader;
	if (exec_lost_locked(t)) {
		sched_unlock(saved);
		return -EINTR;
	}
	if (leader->nthreads > 1) {
		leader->group_exec = t; /* the others' exit_group now ends only themselves */
		group_kill_locked(t);
	}
	/*
	 * Each ending thread wakes &leader->nthreads, and so does a SIGKILL
	 * (kernel/signal.c): with another signal due the sleep cannot be
	 * interruptible (it would return at once), but it still ends.
	 */
	while (leader->nthreads > 1 && !signal_kill_pending_locked(t))
		sched_block_locked(&leader->nthreads, !t->pending_sig);
	if (leader->nthreads > 1) {
		leader->group_exec = NULL; /* killed: its own exit_group ends the process as any kill */
		sched_unlock(saved);
		return -EINTR;
	}
	if (leader != t)
		exec_identity_take_locked(t, leader);
	t->group_kill = t->group_exit = false; /* a new program in a process of one */
	t->group_exec = NULL;
	sched_unlock(saved);
	return 0;
}

/*
 * A zombie child of the caller matching pid, or with options one whose stop
 * or continue is to be reported (its status taken into *report), or NULL;
 * *any tells if a child matches at all.
 */
static struct task *zombie_find_locked(int pid, int options, bool *any, int *report)
{
	*any = false;
	*report = 0;
	const struct task *me = current->leader; /* loaded once: the stores below may alias current */
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *c = &task_table[i];
		/* Any thread of a process reaps the children of all its threads (POSIX). */
		if (c->state == TASK_UNUSED || !c->parent || (pid > 0 && c->pid != pid) ||
		    c->parent->leader != me)
			continue;
		*any = true;
		if (c->state == TASK_ZOMBIE && c->nthreads == 0)
			return c;
		if ((*report = signal_wait_report_locked(c, options)) != 0)
			return c;
	}
	return NULL;
}

/* Copy c's status out, then free its slot: a bad pointer loses no child. */
static int zombie_reap(struct task *c, vaddr_t status_uva)
{
	/* Only its parent (current) reaps c, so it stays a zombie while the copy sleeps. */
	if (status_uva && vm_copyout(current->vs, status_uva, &c->wait_status, sizeof(int)))
		return -EFAULT;
	int pid = c->pid;
	uint32_t saved = sched_lock();
	task_free_locked(c);
	sched_unlock(saved);
	return pid;
}

int task_wait(int pid, vaddr_t status_uva, int options)
{
	if (options & ~(WNOHANG | WUNTRACED | CALF_WCONTINUED))
		return -EINVAL;
	uint32_t saved = sched_lock();
	for (;;) {
		bool any;
		int report;
		struct task *c = zombie_find_locked(pid, options, &any, &report);
		if (c && report) {
			int cpid = c->pid;
			sched_unlock(saved);
			if (status_uva && vm_copyout(current->vs, status_uva, &report, sizeof(int)))
				return -EFAULT;
			return cpid;
		}
		if (c) {
			sched_unlock(saved);
			return zombie_reap(c, status_uva);
		}
		/* SA_RESTART restarts a waitpid a handler interrupted (kernel/signal.h). */
		int err = !any ? -ECHILD : (options & WNOHANG) ? 0 : current->pending_sig ? -ERESTARTSYS : 1;
		if (err <= 0) {
			sched_unlock(saved);
			return err;
		}
		/* A child's exit changes its state and wakes our process under this lock: none is missed. */
		sched_block_locked(current->leader, true);
	}
}

bool task_group_exists_locked(int pgid)
{
	for (int i = 0; i < TASK_MAX; i++)
		if (task_table[i].state != TASK_UNUSED && task_table[i].pgid == pgid)
			return true;
	return false;
}

/*
 * setpgid(pid, pgid) as POSIX has it: ESRCH unless pid is the caller or a
 * child of it, EACCES for a child that has exec'd, EPERM for a session
 * leader, a child in another session, or a pgid that is neither pid
 * itself nor a group of the caller's session. Lock held.
 */
static int setpgid_locked(int pid, int pgid)
{
	struct task *t = pid == current->pid ? current : task_find(pid);
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	if (t != current && t->execed)
		return -EACCES;
	if (session_leader(t) || t->sid != current->sid)
		return -EPERM;
	if (pgid != t->pid && !session_has_group_locked(current->sid, pgid))
		return -EPERM;
	t->pgid = pgid;
	return 0;
}

/* (pid or 0: the caller, pgid or 0: pid's own): move a task into a process group. */
int32_t sys_setpgid(const struct trapframe *tf)
{
	int pid = (int)arch_tf_arg(tf, 0), pgid = (int)arch_tf_arg(tf, 1);
	if (pgid < 0)
		return -EINVAL;
	if (pid < 0 || pid > PID_MAX)
		return -ESRCH; /* no such pid: neither the caller nor a child */
	if (pgid > PID_MAX)
		return -EPERM; /* no such group */
	if (pid == 0)
		pid = current->pid;
	if (pgid == 0)
		pgid = pid;
	uint32_t saved = sched_lock();
	int err = setpgid_locked(pid, pgid);
	sched_unlock(saved);
	return err;
}

/* (pid or 0): the process group of pid, or -ESRCH. */
int32_t sys_getpgid(const struct trapframe *tf)
{
	int pid = (int)arch_tf_arg(tf, 0);
	uint32_t saved = sched_lock();
	struct task *t = pid == 0 ? current : task_find(pid);
	int pgid = t ? t->pgid : -ESRCH;
	sched_unlock(saved);
	return pgid;
}

int task_setprio(int pid, int prio, unsigned policy)
{
	if (prio < CALF_PRIO_MAX || prio > CALF_PRIO_MIN || policy > CALF_SCHED_FIFO)
		return -EINVAL;
	uint32_t saved = sched_lock();
	struct task *t = pid ? task_find(pid) : current;
	int old = -ESRCH;
	/* A slot still being set up (clone sets its priority last) is not a task yet. */
	if (t && t->state != TASK_ZOMBIE && !(t->state == TASK_BLOCKED && t->chan == &slot_claimed)) {
		old = t->base_prio;
		t->base_prio = (uint8_t)prio;
		if (policy != CALF_SCHED_KEEP)
			t->sched_fifo = policy == CALF_SCHED_FIFO;
		/* The effective one also counts what waiters lend; a waiter's change reaches its owner. */
		mutex_prio_update_locked(t);
	}
	sched_unlock(saved);
	return old;
}

/* The ps letter of t's state. */
static uint8_t task_state_letter(const struct task *t)
{
	switch (t->state) {
	case TASK_ZOMBIE: return 'Z';
	case TASK_BLOCKED: return 'S';
	default: return 'R';
	}
}

/*
 * Fill *ti from the first task in a slot at or after cursor, holding its
 * address space in *vs (NULL if none); scheduler lock held. Returns the
 * cursor after it, or 0 when no task is left.
 */
static int taskinfo_fill_locked(int cursor, struct calf_taskinfo *ti, struct vmspace **vs)
{
	for (int i = cursor; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		if (t->state == TASK_UNUSED || (t->state == TASK_BLOCKED && t->chan == &slot_claimed))
			continue;
		ti->pid = t->pid;
		/* A thread's parent is its process's (getppid); only a leader has t->parent set. */
		ti->ppid = t->leader->parent ? t->leader->parent->tgid : 0;
		ti->pgid = t->pgid;
		ti->state = task_state_letter(t);
		ti->prio = t->prio;
		ti->base_prio = t->base_prio;
		memcpy(ti->cmdline, t->cmdline[0] ? t->cmdline : t->name, sizeof(ti->cmdline) - 1);
		*vs = t->vs;
		if (*vs)
			vm_space_hold(*vs); /* counted below, preemptibly, even if t exits meanwhile */
		return i + 1;
	}
	return 0;
}

int32_t sys_taskinfo(const struct trapframe *tf)
{
	int cursor = (int)arch_tf_arg(tf, 0);
	if (cursor < 0)
		return -EINVAL;
	struct calf_taskinfo ti;
	memset(&ti, 0, sizeof(ti));
	struct vmspace *vs;
	uint32_t saved = sched_lock();
	int next = taskinfo_fill_locked(cursor, &ti, &vs);
	sched_unlock(saved);
	if (next == 0)
		return 0;
	if (vs) {
		vm_space_usage(vs, &ti.resident, &ti.shared);
		ti.faults = vm_space_faults(vs); /* mm: the space's page faults */
		vm_space_release(vs);
	}
	int err = vm_copyout(current->vs, arch_tf_arg(tf, 1), &ti, sizeof(ti));
	return err ? err : next;
}
