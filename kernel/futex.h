/*
 * futex.h - fast user-space locking: block on a 32-bit word at a user
 * address while it holds an expected value, wake the waiters of a word,
 * and priority-inheriting locks whose word holds the owner's thread id
 * (CALF_SYS_futex; the operations and errors are in include/calf/abi.h).
 *
 * A futex is keyed by (address space, user address): private to the tasks
 * that share one space (the threads of a process). Waiters sit in hash
 * buckets under the scheduler lock, most urgent first; a bucket never
 * holds more than TASK_MAX tasks, which bounds every scan under the lock.
 */
#ifndef CALF_KERNEL_FUTEX_H
#define CALF_KERNEL_FUTEX_H

#include <stdint.h>

#include <calf/config.h>
#include <mm/vm.h>
#include "arch.h"

struct task;

#define FUTEX_BUCKETS 32 /* a power of two */

/*
 * Block the current task while the word at uaddr holds val, until a wake,
 * the CLOCK_MONOTONIC deadline deadline_ns (UINT64_MAX: none) or a
 * signal. 0 (woken), -EAGAIN, -ETIMEDOUT, -EINTR or -EFAULT.
 */
int futex_wait(vaddr_t uaddr, uint32_t val, uint64_t deadline_ns);

/* Wake up to n waiters of (vs, uaddr), the most urgent first. Returns how many. */
int futex_wake(const struct vmspace *vs, vaddr_t uaddr, int n);

/*
 * Priority-inheriting futexes (kernel/futex_pi.c): a contended word gets a
 * pi state, one of FUTEX_PI_MAX; each has a task blocked on it, so the
 * pool (TASK_MAX) never runs out (if it did: -ENOMEM).
 */
#define FUTEX_PI_MAX CALF_CONFIG_TASK_MAX /* TASK_MAX */

/*
 * LOCK_PI: take the word at uaddr for the current task, or block lending
 * it our priority, until its owner hands it over, the CLOCK_MONOTONIC
 * deadline deadline_ns (UINT64_MAX: none) or a signal. 0 (the word holds
 * our id), -EDEADLK, -ESRCH, -ETIMEDOUT, -ERESTARTSYS, -EFAULT or -ENOMEM.
 */
int futex_lock_pi(vaddr_t uaddr, uint64_t deadline_ns);

/* UNLOCK_PI: hand the word at uaddr to its most urgent waiter, or clear it. 0, -EPERM, -EFAULT. */
int futex_unlock_pi(vaddr_t uaddr);

/*
 * t, the current task, is ending: from now on no waiter attaches to it,
 * and every PI futex it holds with waiters goes to its most urgent waiter
 * with CALF_FUTEX_OWNER_DIED set. Before t gives up its space.
 */
void futex_pi_exit(struct task *t);

/* The same at exec, for the PI futexes t holds in old, its space before the exec. */
void futex_pi_exec(struct task *t, struct vmspace *old);

/* (uaddr, op, val, *abs timeout or 0): the system call. */
int32_t sys_futex(const struct trapframe *tf);

#endif
