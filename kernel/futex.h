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

#include <mm/vm.h>
#include "arch.h"

#define FUTEX_BUCKETS 32 /* a power of two */

/*
 * Block the current task while the word at uaddr holds val, until a wake,
 * the CLOCK_MONOTONIC deadline deadline_ns (UINT64_MAX: none) or a
 * signal. 0 (woken), -EAGAIN, -ETIMEDOUT, -EINTR or -EFAULT.
 */
int futex_wait(vaddr_t uaddr, uint32_t val, uint64_t deadline_ns);

/* Wake up to n waiters of (vs, uaddr), the most urgent first. Returns how many. */
int futex_wake(const struct vmspace *vs, vaddr_t uaddr, int n);

/* (uaddr, op, val, *abs timeout or 0): the system call. */
int32_t sys_futex(const struct trapframe *tf);

#endif
