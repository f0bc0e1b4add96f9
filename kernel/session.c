/*
 * session.c - sessions: setsid, getsid and the lookups job control needs
 * (session.h).
 */
#include "session.h"

#include <errno.h>

#include "sched.h"
#include "syscall.h"
#include "task.h"

bool session_has_group_locked(int sid, int pgid)
{
	for (int i = 0; i < TASK_MAX; i++) {
		const struct task *t = &task_table[i];
		if (t->state != TASK_UNUSED && t->sid == sid && t->pgid == pgid)
			return true;
	}
	return false;
}

bool session_leader(const struct task *t)
{
	return t->sid == t->tgid;
}

bool session_group_orphaned_locked(int sid, int pgid)
{
	for (int i = 0; i < TASK_MAX; i++) {
		const struct task *t = &task_table[i];
		if (t->state == TASK_UNUSED || t->state == TASK_ZOMBIE || t->pgid != pgid ||
		    t->sid != sid || !t->parent)
			continue;
		if (t->parent->pgid != pgid && t->parent->sid == sid)
			return false;
	}
	return true;
}

/*
 * (): make the caller's process the leader of a new session and of a new
 * group in it, both numbered by its process id, with no controlling
 * terminal. POSIX setsid(): EPERM when the caller leads a group already,
 * or any task is in a group numbered by its process id (that group would
 * straddle two sessions). Every thread of the process moves with it.
 */
int32_t sys_setsid(const struct trapframe *tf)
{
	(void)tf;
	uint32_t saved = sched_lock();
	int id = current->tgid;
	bool taken = false;
	for (int i = 0; i < TASK_MAX && !taken; i++)
		taken = task_table[i].state != TASK_UNUSED && task_table[i].pgid == id;
	if (!taken) {
		for (int i = 0; i < TASK_MAX; i++) {
			struct task *t = &task_table[i];
			if (t->state != TASK_UNUSED && t->tgid == id)
				t->sid = t->pgid = id;
		}
	}
	sched_unlock(saved);
	return taken ? -EPERM : id;
}

/* (pid or 0: the caller): the session id of pid's process, or -ESRCH (POSIX getsid()). */
int32_t sys_getsid(const struct trapframe *tf)
{
	int pid = (int)arch_tf_arg(tf, 0);
	uint32_t saved = sched_lock();
	struct task *t = pid == 0 ? current : task_find(pid);
	int sid = t ? t->sid : -ESRCH;
	sched_unlock(saved);
	return sid;
}
