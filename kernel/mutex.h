/*
 * mutex.h - sleeping mutexes with priority inheritance: the struct
 * mm_mutex of mm/pmap.h, which locks an address space, and whatever else in
 * the kernel may be held across a long, preemptible section.
 *
 * A task waiting for a mutex lends its priority to the owner, and on along
 * the chain when that owner itself waits (at most MUTEX_CHAIN_MAX links, a
 * bound on the interrupts-off time: a longer chain of priority-inheriting
 * futexes, which user code builds, lends no further than that). Waits in
 * mm_mutex_lock are not interruptible: a signal for a waiter takes effect
 * after it got and gave back the mutex. The most urgent waiter gets the
 * mutex handed over at unlock, first come first served among equals.
 *
 * The *_locked calls below let kernel/futex.c build interruptible, timed
 * waits (priority-inheriting futexes) on the same records, so a boost
 * passes through kernel mutexes and PI futexes alike.
 */
#ifndef CALF_KERNEL_MUTEX_H
#define CALF_KERNEL_MUTEX_H

#include <mm/pmap.h> /* struct mm_mutex, mm_mutex_lock, mm_mutex_unlock */

struct task;

#define MUTEX_CHAIN_MAX 8

/*
 * Recompute t's effective priority from its base and the waiters of the
 * mutexes it holds, and pass the change on to the owner of the mutex t
 * waits for. Scheduler lock held.
 */
void mutex_prio_update_locked(struct task *t);

/* The most urgent waiter of m (the earliest among equals), or NULL. Lock held. */
struct task *mutex_waiter_best_locked(struct mm_mutex *m);

/*
 * Queue current as a waiter of m, which has an owner, and lend it current's
 * priority (down the chain). The caller sleeps until current->blocked_on
 * is no longer m (mutex_give_locked chose it). Lock held.
 */
void mutex_wait_begin_locked(struct mm_mutex *m);

/* Take current, still a waiter, off m's waiters; the owner's boost is recomputed. Lock held. */
void mutex_wait_cancel_locked(struct mm_mutex *m);

/*
 * Make t (NULL: nobody) the owner of m, taking it off m's waiters if it is
 * one, and recompute the priorities of the old and the new owner. It does
 * not ready t. Lock held.
 */
void mutex_give_locked(struct mm_mutex *m, struct task *t);

#endif
