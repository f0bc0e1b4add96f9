/*
 * futex_pi.c - priority-inheriting futexes (see futex.h), Linux futex(2)'s
 * FUTEX_LOCK_PI and FUTEX_UNLOCK_PI.
 *
 * The word holds its owner's thread id, CALF_FUTEX_WAITERS while a task
 * waits in the kernel, CALF_FUTEX_OWNER_DIED once an owner ended holding
 * it. A contended word has a pi state: a struct mm_mutex (kernel/mutex.c)
 * owned by the word's owner, whose waiters are the tasks blocked in
 * LOCK_PI. So the kernel mutexes' inheritance lends a waiter's priority to
 * the owner, and on down a chain of PI futexes and kernel mutexes alike.
 *
 * Locks, outermost first:
 *  - the key's bucket mutex (a sleeping PI mutex, one per hash bucket)
 *    serialises every kernel change of a word and what it decides: the
 *    word's compare-and-swap with the attach or the hand-over;
 *  - the space's mutex, inside vm_cmpxchg32;
 *  - the scheduler lock: pi states, their waiters and owners.
 * User code changes a word only from 0 (lock) or from its own id with no
 * flag set (unlock), so once WAITERS is set only the kernel changes it.
 *
 * A pi state lives while it has waiters: the waiter that finds none
 * creates it; the hand-over to the last waiter, or the last waiter leaving
 * (deadline, signal), frees it. A hand-over reserves its waiter first, so
 * the waiter cannot leave while the word is being written to name it, and
 * readies it once the word does: the woken waiter finds its id there.
 */
#include "futex.h"

#include <errno.h>

#include <calf/abi.h>
#include "mutex.h"
#include "sched.h"
#include "task.h"
#include "timer.h"

#define FUTEX_TID_MASK 0x3fffffffu /* Linux's: the id, below OWNER_DIED and WAITERS */

_Static_assert((CALF_FUTEX_WAITERS | CALF_FUTEX_OWNER_DIED) == ~FUTEX_TID_MASK, "flag bits");
_Static_assert(TASK_PID_MAX <= FUTEX_TID_MASK, "every thread id fits the word");
_Static_assert(FUTEX_PI_MAX == TASK_MAX, "a state per task that can block on one");

/* The kernel side of a contended PI futex. */
struct futex_pi {
	struct mm_mutex m;        /* first: a held-list entry is a pi state when in pi_pool */
	const struct vmspace *vs; /* the key; NULL: a free slot */
	vaddr_t uaddr;
	struct task *reserved;    /* the waiter a hand-over writes the word for */
};

/* Each state has a task blocked on it, so FUTEX_PI_MAX = TASK_MAX never runs out. */
static struct futex_pi pi_pool[FUTEX_PI_MAX];

/* Serialise the kernel's changes of the words of one hash bucket. */
static struct mm_mutex bucket_locks[FUTEX_BUCKETS];

/* The bucket mutex of key (vs, uaddr): the hash of futex.c's wait buckets. */
static struct mm_mutex *bucket_lock(const struct vmspace *vs, vaddr_t uaddr)
{
	uintptr_t h = (uintptr_t)(uaddr >> 2) ^ ((uintptr_t)vs >> 4);
	h ^= h >> 7;
	return &bucket_locks[h & (FUTEX_BUCKETS - 1)];
}

/* True when m, on some task's held list, is a pi state's (not a kernel mutex). */
static bool pi_is(const struct mm_mutex *m)
{
	return (const void *)m >= (const void *)pi_pool &&
	       (const void *)m < (const void *)(pi_pool + FUTEX_PI_MAX);
}

/* The pi state of (vs, uaddr), or NULL. Lock held; O(FUTEX_PI_MAX). */
static struct futex_pi *pi_find_locked(const struct vmspace *vs, vaddr_t uaddr)
{
	for (int i = 0; i < FUTEX_PI_MAX; i++)
		if (pi_pool[i].vs == vs && pi_pool[i].uaddr == uaddr)
			return &pi_pool[i];
	return NULL;
}

/* A new pi state for (vs, uaddr) owned by owner, or NULL when the pool is spent. Lock held. */
static struct futex_pi *pi_create_locked(const struct vmspace *vs, vaddr_t uaddr,
					 struct task *owner)
{
	for (int i = 0; i < FUTEX_PI_MAX; i++) {
		struct futex_pi *pi = &pi_pool[i];
		if (!pi->vs) {
			pi->vs = vs;
			pi->uaddr = uaddr;
			pi->reserved = NULL;
			mutex_give_locked(&pi->m, owner);
			return pi;
		}
	}
	return NULL;
}

/* Free pi, which has no waiter left: its owner keeps the word, with no kernel state. Lock held. */
static void pi_free_locked(struct futex_pi *pi)
{
	mutex_give_locked(&pi->m, NULL);
	pi->vs = NULL;
}

/* True when t's chain of owners it waits for leads back to current. Lock held; O(TASK_MAX). */
static bool chain_reaches_current(struct task *t)
{
	/* A cycle not through current is bounded too: at most TASK_MAX distinct links. */
	for (int n = 0; t && n < TASK_MAX; n++, t = t->blocked_on ? t->blocked_on->owner : NULL)
		if (t == current)
			return true;
	return false;
}

/*
 * The owner for a new pi state: the live thread of vs whose id is tid.
 * 0 with *owner; -ESRCH when there is none (Linux: no such task), or it is
 * ending (its PI futexes are being handed on). Lock held.
 */
static int owner_find_locked(const struct vmspace *vs, uint32_t tid, struct task **owner)
{
	struct task *t = task_find((int)tid);
	if (!t || t->state == TASK_ZOMBIE || t->vs != vs || t->futex_pi_exiting)
		return -ESRCH;
	*owner = t;
	return 0;
}

/*
 * Make current a waiter of (vs, uaddr)'s pi state, creating it for owner
 * tid, and lend the owner its priority. 0 with *out; -ESRCH, -EDEADLK (the
 * owner waits, down its chain, for current: Linux's answer) or -ENOMEM.
 * Bucket mutex held.
 */
static int pi_attach(const struct vmspace *vs, vaddr_t uaddr, uint32_t tid,
		     struct futex_pi **out)
{
	uint32_t saved = sched_lock();
	struct futex_pi *pi = pi_find_locked(vs, uaddr);
	struct task *owner = pi ? pi->m.owner : NULL;
	int err = pi ? 0 : owner_find_locked(vs, tid, &owner);
	if (!err && chain_reaches_current(owner))
		err = -EDEADLK;
	if (!err && !pi && !(pi = pi_create_locked(vs, uaddr, owner)))
		err = -ENOMEM;
	if (!err)
		mutex_wait_begin_locked(&pi->m);
	sched_unlock(saved);
	*out = pi;
	return err;
}

/*
 * One look at the word for current (id tid): take it when free, else set
 * WAITERS. 0 (taken), 1 (another owns it: its id in *owner_tid), -EDEADLK
 * (ours), -EAGAIN (it changed under us: look again), -EFAULT or -ENOMEM.
 * Bucket mutex held.
 */
static int word_try(struct vmspace *vs, vaddr_t uaddr, uint32_t tid, uint32_t *owner_tid)
{
	uint32_t seen, again;
	int err = vm_cmpxchg32(vs, uaddr, 0, tid, &seen);
	if (err || seen == 0)
		return err;
	*owner_tid = seen & FUTEX_TID_MASK;
	if (*owner_tid == tid)
		return -EDEADLK;
	/* Free but flagged (OWNER_DIED left by a dead owner): take it, keeping the flags, as Linux. */
	uint32_t want = *owner_tid ? seen | CALF_FUTEX_WAITERS : seen | tid;
	if (want != seen) {
		err = vm_cmpxchg32(vs, uaddr, seen, want, &again);
		if (err)
			return err;
		if (again != seen)
			return -EAGAIN;
	}
	return *owner_tid ? 1 : 0;
}

/*
 * Sleep until a hand-over makes current pi's owner, the deadline or a
 * signal. 0, -ETIMEDOUT or -ERESTARTSYS. Lock held.
 */
static int pi_sleep_locked(struct futex_pi *pi, uint64_t deadline_ns)
{
	struct task *self = current;
	/* pi stays valid while we are among its waiters: a state with waiters is never freed. */
	while (self->blocked_on == &pi->m) {
		if (pi->reserved == self) {
			/* The word is being written to name us: only the hand-over ends this wait. */
			sched_block_locked(pi, false);
			continue;
		}
		if (self->pending_sig)
			return -ERESTARTSYS; /* EINTR, or a restart with SA_RESTART (kernel/signal.h) */
		if (timer_block_locked(pi, deadline_ns, true) && self->blocked_on == &pi->m &&
		    pi->reserved != self)
			return -ETIMEDOUT;
	}
	return 0;
}

/* current gives up waiting on pi; the last waiter to go frees it. Lock held. */
static void pi_leave_locked(struct futex_pi *pi)
{
	mutex_wait_cancel_locked(&pi->m);
	/* The word keeps WAITERS: the owner's unlock then enters the kernel, finds no state, clears it. */
	if (!pi->m.waiters)
		pi_free_locked(pi);
}

int futex_lock_pi(vaddr_t uaddr, uint64_t deadline_ns)
{
	struct task *self = current;
	struct vmspace *vs = self->vs;
	struct mm_mutex *bl = bucket_lock(vs, uaddr);
	struct futex_pi *pi = NULL;
	uint32_t owner_tid = 0;
	int err;
	mm_mutex_lock(bl);
	/* Preemptible: each round is one look; only a user store racing the kernel's repeats it. */
	do
		err = word_try(vs, uaddr, (uint32_t)self->pid, &owner_tid);
	while (err == -EAGAIN);
	if (err == 1) {
		int aerr = pi_attach(vs, uaddr, owner_tid, &pi);
		if (aerr)
			err = aerr;
	}
	mm_mutex_unlock(bl);
	if (err != 1)
		return err;
	uint32_t saved = sched_lock();
	err = pi_sleep_locked(pi, deadline_ns);
	if (err)
		pi_leave_locked(pi);
	sched_unlock(saved);
	return err;
}

/*
 * Store want into the word at uaddr, which held cur when last looked at.
 * 0, -EFAULT or -ENOMEM. Bucket mutex held.
 */
static int word_set(struct vmspace *vs, vaddr_t uaddr, uint32_t cur, uint32_t want)
{
	/* Preemptible: only a user store breaking the protocol changes the word between rounds. */
	for (;;) {
		uint32_t seen;
		int err = vm_cmpxchg32(vs, uaddr, cur, want, &seen);
		if (err || seen == cur)
			return err;
		cur = seen;
	}
}

/* Ready t, a waiter just given pi, if it sleeps on pi. Lock held. */
static void pi_waiter_ready_locked(struct futex_pi *pi, struct task *t)
{
	if (t->state == TASK_BLOCKED && t->chan == pi) {
		t->chan = NULL;
		sched_make_ready_locked(t);
	}
}

/*
 * Hand the word at (vs, uaddr), which holds cur, and its pi state to the
 * most urgent waiter: the word gets its id, | died (0 or OWNER_DIED),
 * | WAITERS if others still wait. With no waiter, an unlock (died 0)
 * clears the word and an ending owner leaves it. When the word cannot be
 * written, an unlock changes nothing, an ending owner hands over anyway
 * (nobody may be stranded). 0 or the write's error. Bucket mutex held.
 */
static int pi_hand_over(struct vmspace *vs, vaddr_t uaddr, uint32_t cur, uint32_t died)
{
	uint32_t saved = sched_lock();
	struct futex_pi *pi = pi_find_locked(vs, uaddr);
	struct task *next = pi ? mutex_waiter_best_locked(&pi->m) : NULL;
	uint32_t want = 0;
	if (next) {
		pi->reserved = next; /* it may not leave now: the word is about to name it */
		bool others = ((struct task *)pi->m.waiters)->wait_next != NULL;
		want = (uint32_t)next->pid | died | (others ? CALF_FUTEX_WAITERS : 0);
	}
	sched_unlock(saved);
	if (!next && died)
		return 0;
	int err = word_set(vs, uaddr, cur, want);
	if (!next)
		return err;
	saved = sched_lock();
	pi->reserved = NULL;
	if (!err || died) {
		mutex_give_locked(&pi->m, next); /* our lent priority goes back here */
		pi_waiter_ready_locked(pi, next);
		if (!pi->m.waiters)
			pi_free_locked(pi);
	} else {
		sched_wakeup_locked(pi); /* back to its interruptible, timed wait */
	}
	sched_unlock(saved);
	return err;
}

int futex_unlock_pi(vaddr_t uaddr)
{
	struct task *self = current;
	struct vmspace *vs = self->vs;
	struct mm_mutex *bl = bucket_lock(vs, uaddr);
	uint32_t cur;
	mm_mutex_lock(bl);
	/* A swap of 0 for 0 reads the word and proves it writable before anything changes. */
	int err = vm_cmpxchg32(vs, uaddr, 0, 0, &cur);
	if (!err && (cur & FUTEX_TID_MASK) != (uint32_t)self->pid)
		err = -EPERM; /* Linux futex(2): the caller does not own it */
	if (!err)
		err = pi_hand_over(vs, uaddr, cur, 0);
	mm_mutex_unlock(bl);
	return err;
}

/* The address of a PI futex of vs that t owns with waiters, into *uaddr; false when none. */
static bool pi_held_next(struct task *t, const struct vmspace *vs, vaddr_t *uaddr)
{
	bool found = false;
	uint32_t saved = sched_lock();
	/* O(what t holds): each state there has a waiter of its own, so at most TASK_MAX. */
	for (struct mm_mutex *m = t->held; m && !found; m = m->next_held) {
		const struct futex_pi *pi = (const struct futex_pi *)m;
		if (pi_is(m) && pi->vs == vs) {
			*uaddr = pi->uaddr;
			found = true;
		}
	}
	sched_unlock(saved);
	return found;
}

/*
 * Hand every PI futex t owns in vs to its next waiter, marked OWNER_DIED.
 * No waiter attaches to t in vs any more (the caller made sure), so each
 * round takes one state off t's list, or a leaving waiter freed it: the
 * loop ends, and it is preemptible.
 */
static void pi_release_all(struct task *t, struct vmspace *vs)
{
	vaddr_t uaddr;
	while (pi_held_next(t, vs, &uaddr)) {
		struct mm_mutex *bl = bucket_lock(vs, uaddr);
		mm_mutex_lock(bl);
		uint32_t cur = 0;
		(void)vm_cmpxchg32(vs, uaddr, 0, 0, &cur); /* a word gone bad: handed over anyway */
		(void)pi_hand_over(vs, uaddr, cur, CALF_FUTEX_OWNER_DIED);
		mm_mutex_unlock(bl);
	}
}

void futex_pi_exit(struct task *t)
{
	if (!t->vs)
		return;
	uint32_t saved = sched_lock();
	t->futex_pi_exiting = true; /* attachers check it under this lock */
	bool holds = t->held != NULL;
	sched_unlock(saved);
	if (holds)
		pi_release_all(t, t->vs);
}

void futex_pi_exec(struct task *t, struct vmspace *old)
{
	/* t->vs is the new space already: no waiter in old attaches to t from now on. */
	pi_release_all(t, old);
}
