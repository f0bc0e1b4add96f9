/* sched.c - fixed-priority preemptive scheduler with round-robin among equals. */
#include "sched.h"

#include "arch.h"
#include "printk.h"
#include "task.h"

struct task *current;
static struct task *idle;
static struct {
	struct task *head, *tail;
} queues[SCHED_PRIOS];
static uint32_t ready_bits; /* bit p set: queues[p] is not empty */
/*
 * Bit i set: task_table[i] sleeps in sched_block_locked(). A wakeup visits
 * these slots only, not all TASK_MAX: every exit and pipe transfer wakes
 * someone, and few tasks sleep at once.
 */
static uint32_t blocked_map[(TASK_MAX + 31) / 32];
bool sched_need_resched;
static volatile uint32_t lock_held; /* the spinlock word, for the day there are two CPUs */

_Static_assert(SCHED_PRIOS <= 32, "one bitmap word covers every priority");

void sched_init(struct task *idle_task)
{
	idle = idle_task;
	idle->state = TASK_RUNNING;
	idle->prio = idle->base_prio = SCHED_PRIOS - 1;
	current = idle;
}

uint32_t sched_lock(void)
{
	uint32_t saved = arch_irq_save();
	if (lock_held)
		panic("scheduler lock taken twice");
	lock_held = 1;
	return saved;
}

/* Release the lock without looking for a switch (the caller is about to, or none is due). */
static void lock_release(uint32_t saved)
{
	lock_held = 0;
	arch_irq_restore(saved);
}

/* Panic unless the scheduler lock is held: every *_locked function starts with it. */
static void lock_assert_held(void)
{
	if (!lock_held)
		panic("a scheduler _locked function ran without the lock");
}

/* Record whether t, a task_table slot, sleeps in sched_block_locked(). Lock held. */
static void blocked_mark(const struct task *t, bool asleep)
{
	unsigned i = (unsigned)(t - task_table);
	if (i >= TASK_MAX)
		return; /* the idle task: it never sleeps */
	if (asleep)
		blocked_map[i / 32] |= 1u << (i % 32);
	else
		blocked_map[i / 32] &= ~(1u << (i % 32));
}

static void queue_push(struct task *t, bool at_head)
{
	if (t->state == TASK_BLOCKED)
		blocked_mark(t, false); /* every way out of a sleep comes through here */
	t->state = TASK_READY;
	t->next = NULL;
	if (!queues[t->prio].head) {
		queues[t->prio].head = queues[t->prio].tail = t;
	} else if (at_head) {
		t->next = queues[t->prio].head;
		queues[t->prio].head = t;
	} else {
		queues[t->prio].tail->next = t;
		queues[t->prio].tail = t;
	}
	ready_bits |= 1u << t->prio;
}

/* Take the first task of the most urgent non-empty queue: O(1) through the bitmap. */
static struct task *queue_pop_best(void)
{
	if (!ready_bits)
		return NULL;
	unsigned p = (unsigned)__builtin_ctz(ready_bits);
	struct task *t = queues[p].head;
	queues[p].head = t->next;
	if (!queues[p].head) {
		queues[p].tail = NULL;
		ready_bits &= ~(1u << p);
	}
	t->next = NULL;
	return t;
}

/* Unlink a ready t from its queue (at most TASK_MAX links to follow). */
static void queue_remove(struct task *t)
{
	struct task **link = &queues[t->prio].head, *prev = NULL;
	while (*link && *link != t) {
		prev = *link;
		link = &(*link)->next;
	}
	if (!*link)
		panic("task %d is ready but in no queue", t->pid);
	*link = t->next;
	if (queues[t->prio].tail == t)
		queues[t->prio].tail = prev;
	if (!queues[t->prio].head)
		ready_bits &= ~(1u << t->prio);
	t->next = NULL;
}

/*
 * Run the most urgent ready task, or idle; the caller holds the lock and has
 * queued or parked current. The lock stays held across the switch: the task
 * switched to releases it (its own caller, or sched_first_run()).
 */
static void switch_to_next(void)
{
	struct task *prev = current;
	task_stack_check(prev);
	struct task *next = queue_pop_best();
	if (!next)
		next = idle;
	sched_need_resched = false;
	next->state = TASK_RUNNING;
	if (next->slice <= 0)
		next->slice = SCHED_SLICE;
	if (next == prev)
		return;
	current = next;
	if (next->vs)
		pmap_activate(&next->vs->pmap);
	arch_tls_set(next->tls); /* threads: each task's own thread pointer */
	arch_context_switch(&prev->ctx, next->ctx);
}

/* Requeue a running current and switch, if a switch is due. Lock held. */
static bool preempt_locked(void)
{
	if (!sched_need_resched || current == idle || current->state != TASK_RUNNING)
		return false;
	/* A task preempted by a more urgent one keeps its place (and its slice) at the head. */
	queue_push(current, current->slice > 0);
	switch_to_next();
	return true;
}

void sched_unlock(uint32_t saved)
{
	lock_release(saved);
	/* Interrupts open again: a task this section made ready may run now, not at the next tick. */
	while (sched_need_resched && arch_irqs_enabled()) {
		saved = sched_lock();
		bool switched = preempt_locked();
		lock_release(saved);
		if (!switched)
			break;
	}
}

bool sched_preempt(void)
{
	uint32_t saved = sched_lock();
	bool switched = preempt_locked();
	lock_release(saved);
	return switched;
}

void sched_first_run(void)
{
	lock_assert_held();
	lock_held = 0; /* interrupts stay off until the return to user mode */
}

void sched_make_ready_locked(struct task *t)
{
	lock_assert_held();
	queue_push(t, false);
	if (current == idle || t->prio < current->prio)
		sched_need_resched = true;
}

void sched_prio_set_locked(struct task *t, uint8_t prio)
{
	lock_assert_held();
	if (t->prio == prio)
		return;
	if (t->state == TASK_READY) {
		queue_remove(t);
		t->prio = prio;
		sched_make_ready_locked(t);
		return;
	}
	t->prio = prio;
	/* current sank below a ready task: it goes at the next preemption point. */
	if (t == current && (ready_bits & ((1u << prio) - 1u)))
		sched_need_resched = true;
}

void sched_yield(void)
{
	uint32_t saved = sched_lock();
	if (current != idle) {
		current->slice = 0; /* its turn is over: a fresh one when it runs again */
		queue_push(current, false);
		switch_to_next();
	}
	sched_unlock(saved);
}

void sched_block_locked(const void *chan, bool interruptible)
{
	lock_assert_held();
	/* With a signal already due, do not sleep: the caller sees it and returns EINTR. */
	if (!(interruptible && current->pending_sig)) {
		current->state = TASK_BLOCKED;
		blocked_mark(current, true);
		current->chan = chan;
		current->interruptible = interruptible;
		switch_to_next();
	}
	current->chan = NULL;
}

void sched_interrupt_locked(struct task *t)
{
	lock_assert_held();
	if (t->state == TASK_BLOCKED && t->interruptible) {
		t->chan = NULL;
		sched_make_ready_locked(t);
	}
}

void sched_wakeup_locked(const void *chan)
{
	lock_assert_held();
	/* A copy of each word: readying a task clears its bit in the map. */
	for (unsigned w = 0; w < sizeof(blocked_map) / sizeof(blocked_map[0]); w++)
		for (uint32_t m = blocked_map[w]; m; m &= m - 1) {
			struct task *t = &task_table[w * 32 + (unsigned)__builtin_ctz(m)];
			if (t->chan == chan) {
				t->chan = NULL;
				sched_make_ready_locked(t);
			}
		}
}

void sched_wakeup(const void *chan)
{
	uint32_t saved = sched_lock();
	sched_wakeup_locked(chan);
	sched_unlock(saved);
}

_Noreturn void sched_exit_locked(void)
{
	lock_assert_held();
	switch_to_next();
	panic("a zombie ran again");
}

void sched_tick(void)
{
	uint32_t saved = sched_lock();
	/* Round-robin only among equals: a less urgent task never takes the turn. */
	/* POSIX 2.8.4: a SCHED_FIFO task keeps the CPU until it blocks or yields, or a more urgent one runs. */
	if (current != idle && !current->sched_fifo && --current->slice <= 0) {
		if (ready_bits & ((2u << current->prio) - 1u))
			sched_need_resched = true;
		else
			current->slice = SCHED_SLICE; /* nobody waits: a fresh turn */
	}
	sched_unlock(saved);
}

_Noreturn void sched_idle_loop(void)
{
	for (;;) {
		uint32_t saved = sched_lock();
		bool ready = ready_bits != 0;
		if (ready)
			switch_to_next();
		lock_release(saved);
		/* An interrupt arriving now stays pending, and a pending one ends the wait at once. */
		if (!ready)
			arch_idle();
	}
}
