/* task.c - task lifecycle: spawn, clone (fork or thread), exit, wait, kill. */
#include "task.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <calf/abi.h>
#include "board.h"
#include "exec.h"
#include "printk.h"
#include "sched.h"

struct task task_table[TASK_MAX];
static int last_pid;

#define PID_MAX 32767
#define INIT_PID 1

struct task *task_find(int pid)
{
	for (int i = 0; i < TASK_MAX; i++)
		if (task_table[i].state != TASK_UNUSED && task_table[i].pid == pid)
			return &task_table[i];
	return NULL;
}

void task_stack_check(const struct task *t)
{
	if (t->pid > 0 && t->kstack[0] != KSTACK_CANARY)
		panic("kernel stack overflow in task %d (%s)", t->pid, t->name);
}

/* The next pid not in use, counting up and wrapping past init. */
static int pid_next(void)
{
	do {
		last_pid = last_pid >= PID_MAX ? INIT_PID + 1 : last_pid + 1;
	} while (task_find(last_pid));
	return last_pid;
}

/* A free slot with fresh bookkeeping and a kernel stack ready to enter user mode, or NULL. */
static struct task *task_alloc(const char *name)
{
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		if (t->state != TASK_UNUSED)
			continue;
		memset(t, 0, offsetof(struct task, kstack));
		t->kstack[0] = KSTACK_CANARY;
		t->pid = pid_next();
		t->prio = CALF_PRIO_DEFAULT;
		strncpy(t->name, name, TASK_NAME_MAX - 1);
		t->state = TASK_BLOCKED; /* not runnable until sched_make_ready */
		t->ctx = arch_context_new((uint8_t *)t->kstack + KSTACK_SIZE, &t->tf);
		return t;
	}
	return NULL;
}

int task_spawn(const char *name, int *pid)
{
	const struct app_image *app = app_find(name);
	if (!app)
		return -ENOENT;
	struct task *t = task_alloc(name);
	if (!t)
		return -EAGAIN;
	int err = vm_space_create(&t->vs);
	struct exec_entry entry;
	if (!err)
		err = exec_load(t->vs, app, &entry);
	if (err) {
		if (t->vs)
			vm_space_release(t->vs);
		t->state = TASK_UNUSED;
		return err;
	}
	arch_tf_user_init(t->tf, entry.pc, entry.sp, entry.argc, entry.argv);
	t->parent = t->pid == INIT_PID ? NULL : task_find(INIT_PID);
	*pid = t->pid;
	sched_make_ready(t);
	return 0;
}

int task_clone(unsigned flags, vaddr_t stack, const struct trapframe *tf)
{
	if (flags & ~CALF_CLONE_VM)
		return -EINVAL;
	struct task *t = task_alloc(current->name);
	if (!t)
		return -EAGAIN;
	if (flags & CALF_CLONE_VM) {
		vm_space_hold(current->vs);
		t->vs = current->vs;
	} else {
		int err = vm_space_clone(current->vs, &t->vs);
		if (err) {
			t->state = TASK_UNUSED;
			return err;
		}
	}
	*t->tf = *tf;
	arch_tf_set_return(t->tf, 0);
	if (stack)
		arch_tf_set_sp(t->tf, stack);
	t->parent = current;
	t->prio = current->prio;
	sched_make_ready(t);
	return t->pid;
}

/* The end of init ends the machine, with init's exit code (128 + signal if killed). */
static _Noreturn void init_exit(int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printk("calf: init exited with status %d; powering off\n", code);
	board_poweroff(code);
}

_Noreturn void task_exit(int status)
{
	struct task *t = current;
	if (t->pid == INIT_PID)
		init_exit(status);
	if (t->vs) {
		vm_space_release(t->vs);
		t->vs = NULL;
	}
	/* Init outlives every task (its exit ends the machine), so it can adopt orphans. */
	struct task *init = task_find(INIT_PID);
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *c = &task_table[i];
		if (c->state != TASK_UNUSED && c->parent == t) {
			c->parent = init;
			if (c->state == TASK_ZOMBIE)
				sched_wakeup(init);
		}
	}
	t->wait_status = status;
	t->pending_sig = 0;
	t->state = TASK_ZOMBIE;
	sched_wakeup(t->parent);
	sched_exit();
}

/* A zombie child of the caller matching pid, or NULL; *any tells if a child matches at all. */
static struct task *zombie_find(int pid, bool *any)
{
	*any = false;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *c = &task_table[i];
		if (c->state == TASK_UNUSED || c->parent != current || (pid > 0 && c->pid != pid))
			continue;
		*any = true;
		if (c->state == TASK_ZOMBIE)
			return c;
	}
	return NULL;
}

int task_wait(int pid, vaddr_t status_uva, int options)
{
	if (options & ~(WNOHANG | WUNTRACED))
		return -EINVAL;
	for (;;) {
		bool any;
		struct task *c = zombie_find(pid, &any);
		if (c) {
			/* Copy the status out before reaping: a bad pointer loses no child. */
			if (status_uva &&
			    vm_copyout(current->vs, status_uva, &c->wait_status, sizeof(int)))
				return -EFAULT;
			c->state = TASK_UNUSED;
			return c->pid;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		sched_block(current);
		if (current->pending_sig)
			return -EINTR;
	}
}

/* True for the signals whose default action is to be ignored (POSIX). */
static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

int task_kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG || pid <= 0)
		return -EINVAL; /* no process groups: pid must name one task */
	struct task *t = task_find(pid);
	if (!t)
		return -ESRCH;
	if (sig == 0 || t->state == TASK_ZOMBIE || sig_default_ignored(sig))
		return 0;
	if (!t->pending_sig)
		t->pending_sig = sig;
	sched_interrupt(t); /* a blocked target returns -EINTR, then dies on its way out */
	return 0;
}

int task_setprio(int pid, int prio)
{
	if (prio < CALF_PRIO_MAX || prio > CALF_PRIO_MIN)
		return -EINVAL;
	struct task *t = pid ? task_find(pid) : current;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	int old = t->prio;
	bool queued = t->state == TASK_READY;
	if (queued)
		sched_unqueue(t);
	t->prio = (uint8_t)prio;
	if (queued)
		sched_make_ready(t);
	else if (t == current)
		sched_recheck();
	return old;
}
