/*
 * futex.c - waits on user words (see futex.h).
 *
 * Check and block without a lost wakeup: a waiter first queues itself in
 * its bucket under the scheduler lock, then reads the word (vm_copyin may
 * sleep for a page, so it cannot run under the lock), then blocks under
 * the lock only if it is still queued. A waker changes the word before it
 * wakes: either the waiter read the new value (and returns -EAGAIN), or it
 * was queued when the waker looked, and the waker takes it out of the
 * bucket, readying it if it already sleeps. This is Linux's order, and it
 * stays correct with more than one CPU. A waiter a wake took out of the
 * bucket returns 0, whatever else happened (value changed, signal,
 * deadline): it consumed a wake, and returning an error would lose it for
 * the other waiters; callers re-check their word after every return.
 */
#include "futex.h"

#include <errno.h>

#include <calf/abi.h>
#include "sched.h"
#include "task.h"
#include "timer.h"

#define NS_PER_S 1000000000u

_Static_assert((FUTEX_BUCKETS & (FUTEX_BUCKETS - 1)) == 0, "the hash masks with it");

/* Each bucket's waiters, most urgent first and first come first among equals. Scheduler lock. */
static struct task *buckets[FUTEX_BUCKETS];

/* What a futex waiter blocks on: only a wake (or a signal, or its deadline) readies it. */
static const char futex_chan;

/* The bucket of key (vs, uaddr): words of a page spread over the buckets. */
static struct task **bucket_of(const struct vmspace *vs, vaddr_t uaddr)
{
	uintptr_t h = (uintptr_t)(uaddr >> 2) ^ ((uintptr_t)vs >> 4);
	h ^= h >> 7;
	return &buckets[h & (FUTEX_BUCKETS - 1)];
}

/* Queue t in its key's bucket behind every waiter as urgent as it. Lock held; O(TASK_MAX). */
static void bucket_insert_locked(struct task *t)
{
	struct task **l = bucket_of(t->futex_vs, t->futex_uaddr);
	while (*l && (*l)->prio <= t->prio)
		l = &(*l)->futex_next;
	t->futex_next = *l;
	*l = t;
	t->futex_queued = true;
}

/* Take a queued t out of its bucket. Lock held; O(TASK_MAX). */
static void bucket_remove_locked(struct task *t)
{
	struct task **l = bucket_of(t->futex_vs, t->futex_uaddr);
	while (*l != t)
		l = &(*l)->futex_next;
	*l = t->futex_next;
	t->futex_next = NULL;
	t->futex_queued = false;
}

/* True when uaddr may name a futex word: aligned (the word is one access) and a user address. */
static bool futex_addr_ok(vaddr_t uaddr)
{
	return (uaddr & 3u) == 0 && uaddr < PMAP_USER_END;
}

/* Sleep while queued, until the deadline or a signal. 0 or -ETIMEDOUT/-EINTR. Lock held. */
static int futex_sleep_locked(uint64_t deadline_ns)
{
	struct task *self = current;
	while (self->futex_queued) {
		if (self->pending_sig)
			return -EINTR;
		if (timer_block_locked(&futex_chan, deadline_ns, true) && self->futex_queued)
			return -ETIMEDOUT;
	}
	return 0;
}

int futex_wait(vaddr_t uaddr, uint32_t val, uint64_t deadline_ns)
{
	struct task *self = current;
	if (!futex_addr_ok(uaddr))
		return -EFAULT;
	uint32_t saved = sched_lock();
	self->futex_vs = self->vs;
	self->futex_uaddr = uaddr;
	bucket_insert_locked(self);
	sched_unlock(saved);
	uint32_t word;
	int err = vm_copyin(self->vs, &word, uaddr, sizeof(word));
	saved = sched_lock();
	if (!err && word != val)
		err = -EAGAIN;
	if (!err)
		err = futex_sleep_locked(deadline_ns);
	if (self->futex_queued)
		bucket_remove_locked(self);
	else
		err = 0; /* a wake chose us: report it (see the top of this file) */
	sched_unlock(saved);
	return err;
}

/* Ready t, a waiter just taken out of its bucket, if it already sleeps. Lock held. */
static void waiter_ready_locked(struct task *t)
{
	if (t->state == TASK_BLOCKED && t->chan == &futex_chan) {
		t->chan = NULL;
		sched_make_ready_locked(t);
	}
}

int futex_wake(const struct vmspace *vs, vaddr_t uaddr, int n)
{
	int woken = 0;
	uint32_t saved = sched_lock();
	struct task **l = bucket_of(vs, uaddr);
	/* One pass over at most TASK_MAX waiters, most urgent first. */
	while (*l && woken < n) {
		struct task *t = *l;
		if (t->futex_vs != vs || t->futex_uaddr != uaddr) {
			l = &t->futex_next;
			continue;
		}
		*l = t->futex_next;
		t->futex_next = NULL;
		t->futex_queued = false;
		waiter_ready_locked(t);
		woken++;
	}
	sched_unlock(saved);
	return woken;
}

/*
 * Read the absolute CLOCK_MONOTONIC deadline at uva (0: none) into *ns.
 * 0, -EFAULT, or -EINVAL for a negative or unnormalised time (POSIX).
 */
static int deadline_copyin(vaddr_t uva, uint64_t *ns)
{
	*ns = UINT64_MAX;
	if (!uva)
		return 0;
	struct calf_timespec ts;
	if (vm_copyin(current->vs, &ts, uva, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int32_t)NS_PER_S)
		return -EINVAL;
	uint64_t sec = (uint64_t)ts.tv_sec;
	if (sec < (UINT64_MAX - NS_PER_S) / NS_PER_S)
		*ns = sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	return 0;
}

int32_t sys_futex(const struct trapframe *tf)
{
	vaddr_t uaddr = arch_tf_arg(tf, 0);
	uint32_t val = (uint32_t)arch_tf_arg(tf, 2);
	uint64_t deadline;
	int err;
	switch (arch_tf_arg(tf, 1)) {
	case CALF_FUTEX_WAIT:
		err = deadline_copyin(arch_tf_arg(tf, 3), &deadline);
		return err ? err : futex_wait(uaddr, val, deadline);
	case CALF_FUTEX_WAKE:
		if (!futex_addr_ok(uaddr))
			return -EFAULT;
		return futex_wake(current->vs, uaddr, (int)val);
	case CALF_FUTEX_LOCK_PI:
		err = deadline_copyin(arch_tf_arg(tf, 3), &deadline);
		return err ? err : futex_lock_pi(uaddr, deadline);
	case CALF_FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr);
	default:
		return -ENOSYS; /* Linux: an operation it does not know */
	}
}
