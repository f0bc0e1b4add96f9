/* mutex.c - sleeping mutexes with priority inheritance (see mutex.h). */
#include "mutex.h"

#include "printk.h"
#include "sched.h"
#include "task.h"

/* The most urgent waiter of m (the earliest among equals), or NULL; *link points at its link. */
static struct task *waiter_best(struct mm_mutex *m, struct task ***link)
{
	struct task *best = NULL;
	for (struct task **l = (struct task **)&m->waiters; *l; l = &(*l)->wait_next) {
		if (!best || (*l)->prio < best->prio) {
			best = *l;
			*link = l;
		}
	}
	return best;
}

/* Append t to m's waiters: arrival order breaks ties between equal priorities. */
static void waiter_add(struct mm_mutex *m, struct task *t)
{
	struct task **l = (struct task **)&m->waiters;
	while (*l)
		l = &(*l)->wait_next;
	t->wait_next = NULL;
	*l = t;
}

/* The priority t should run at: its own, or the most urgent one waiting for what it holds. */
static uint8_t prio_wanted(struct task *t)
{
	uint8_t p = t->base_prio;
	for (struct mm_mutex *m = t->held; m; m = m->next_held) {
		struct task **link;
		struct task *w = waiter_best(m, &link);
		if (w && w->prio < p)
			p = w->prio;
	}
	return p;
}

void mutex_prio_update_locked(struct task *t)
{
	for (int depth = 0; t && depth < MUTEX_CHAIN_MAX; depth++) {
		uint8_t p = prio_wanted(t);
		if (p == t->prio)
			return;
		sched_prio_set_locked(t, p);
		t = t->blocked_on ? t->blocked_on->owner : NULL;
	}
}

/* Make t the owner of m. */
static void owner_set(struct mm_mutex *m, struct task *t)
{
	m->owner = t;
	m->next_held = t->held;
	t->held = m;
}

/* Take m off t's list of held mutexes. */
static void held_remove(struct task *t, struct mm_mutex *m)
{
	struct mm_mutex **l = &t->held;
	while (*l != m)
		l = &(*l)->next_held;
	*l = m->next_held;
	m->next_held = NULL;
}

/* m may be taken by another task: wait for it, lending our priority. Lock held. */
static __attribute__((noinline)) void lock_contended(struct mm_mutex *m, uint32_t saved)
{
	if (!m->owner) { /* freed between the fast path's look and the lock */
		owner_set(m, current);
		sched_unlock(saved);
		return;
	}
	if (m->owner == current)
		panic("task %d takes a mutex it holds", current->pid);
	current->blocked_on = m;
	waiter_add(m, current);
	/* Lend our priority before sleeping, so the owner outruns whatever keeps it from the CPU. */
	mutex_prio_update_locked(m->owner);
	while (m->owner != current)
		sched_block_locked(m, false);
	sched_unlock(saved);
}

/*
 * The uncontended paths run with interrupts off but without the scheduler
 * lock's word: they touch only the mutex and current's held list, which no
 * other path changes while current runs on this CPU. (With more than one
 * CPU the owner word becomes a compare-and-swap.) Every fault and user copy
 * takes this path twice, so it is a handful of instructions.
 */
inline void mm_mutex_lock(struct mm_mutex *m)
{
	uint32_t saved = arch_irq_save();
	if (__builtin_expect(m->owner == NULL, 1)) {
		owner_set(m, current);
		arch_irq_restore(saved);
		return;
	}
	arch_irq_restore(saved);
	lock_contended(m, sched_lock());
}

/* Give m to its most urgent waiter, if any, and drop what was lent to us. Lock held. */
static __attribute__((noinline)) void unlock_handover(struct mm_mutex *m, uint32_t saved)
{
	struct task *self = current;
	if (m->owner != self)
		panic("task %d gives back a mutex it does not hold", self->pid);
	held_remove(self, m);
	m->owner = NULL;
	struct task **link;
	struct task *next = waiter_best(m, &link);
	if (next) {
		*link = next->wait_next;
		next->wait_next = NULL;
		next->blocked_on = NULL;
		owner_set(m, next);
		sched_make_ready_locked(next);
		mutex_prio_update_locked(next); /* it now holds what the others wait for */
	}
	/* Give back what was lent; the unlock switches if the new owner now outranks us. */
	mutex_prio_update_locked(self);
	sched_unlock(saved);
}

inline void mm_mutex_unlock(struct mm_mutex *m)
{
	uint32_t saved = arch_irq_save();
	struct task *self = current;
	/*
	 * Ours, on top of our list, nobody waiting: just give it back. With no
	 * waiter nothing was lent through m, so our priority stays as it is
	 * (whatever another held mutex lends us still holds).
	 */
	if (__builtin_expect(self->held == m && !m->waiters, 1)) {
		self->held = m->next_held;
		m->owner = NULL;
		arch_irq_restore(saved);
		return;
	}
	arch_irq_restore(saved);
	unlock_handover(m, sched_lock());
}

/* Take t off m's waiters. */
static void waiter_remove(struct mm_mutex *m, struct task *t)
{
	struct task **l = (struct task **)&m->waiters;
	while (*l != t)
		l = &(*l)->wait_next;
	*l = t->wait_next;
	t->wait_next = NULL;
	t->blocked_on = NULL;
}

struct task *mutex_waiter_best_locked(struct mm_mutex *m)
{
	struct task **link;
	return waiter_best(m, &link);
}

void mutex_wait_begin_locked(struct mm_mutex *m)
{
	current->blocked_on = m;
	waiter_add(m, current);
	mutex_prio_update_locked(m->owner);
}

void mutex_wait_cancel_locked(struct mm_mutex *m)
{
	waiter_remove(m, current);
	/* What we lent goes back: the owner sinks to what is still lent to it. */
	mutex_prio_update_locked(m->owner);
}

void mutex_give_locked(struct mm_mutex *m, struct task *t)
{
	struct task *old = m->owner;
	if (old) {
		held_remove(old, m);
		m->owner = NULL;
	}
	if (t) {
		if (t->blocked_on == m)
			waiter_remove(m, t);
		owner_set(m, t);
		mutex_prio_update_locked(t); /* it now holds what the others wait for */
	}
	if (old)
		mutex_prio_update_locked(old); /* give back what was lent through m */
}
