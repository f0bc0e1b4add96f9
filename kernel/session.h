/*
 * session.h - sessions (POSIX XBD 3.343): a set of process groups with one
 * leader and at most one controlling terminal.
 *
 * A task's session id is task.sid, inherited at fork and kept across exec.
 * Init (pid 1) leads session 1, which holds the console as its
 * controlling terminal for good (init never ends, and cannot leave it:
 * it leads a group). setsid() starts a new session that has no
 * controlling terminal and cannot get one (Calf has no TIOCSCTTY): the
 * console's job-control rules (kernel/tty.c) apply to session 1 only.
 * Every lookup here scans the TASK_MAX task slots once, under the
 * scheduler lock: a constant bound.
 */
#ifndef CALF_KERNEL_SESSION_H
#define CALF_KERNEL_SESSION_H

#include <stdbool.h>

struct task;

/* The session the console is the controlling terminal of: init's. */
#define SESSION_CONSOLE 1

/* True when some task (zombies included) of session sid is in group pgid. Lock held. */
bool session_has_group_locked(int sid, int pgid);

/* True when t leads its session (its process id is the session id). */
bool session_leader(const struct task *t);

/*
 * True when group pgid of session sid is orphaned (POSIX XBD 3.262): no
 * live member has a parent in another group of the same session, so no
 * shell is left to continue it. An empty group counts as orphaned. Lock held.
 */
bool session_group_orphaned_locked(int sid, int pgid);

#endif
