/*
 * mutex.h - sleeping mutexes with priority inheritance: the struct
 * mm_mutex of mm/pmap.h, which locks an address space, and whatever else in
 * the kernel may be held across a long, preemptible section.
 *
 * A task waiting for a mutex lends its priority to the owner, and on along
 * the chain when that owner itself waits (at most MUTEX_CHAIN_MAX links, a
 * bound on the interrupts-off time, not on correctness: no code path holds
 * more than one mutex today). Waits are not interruptible: a signal for a
 * waiter takes effect after it got and gave back the mutex. The most urgent
 * waiter gets the mutex handed over at unlock, first come first served
 * among equals.
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

#endif
