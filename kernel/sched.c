/* sched.c - fixed-priority preemptive scheduler with round-robin among equals. */
#include "sched.h"

#include "arch.h"
#include "task.h"

struct task *current;
static struct task *idle;
static struct {
	struct task *head, *tail;
} queues[SCHED_PRIOS];
static uint32_t ready_bits; /* bit p set: queues[p] is not empty */
bool sched_need_resched;
static uint32_t ticks;

_Static_assert(SCHED_PRIOS <= 32, "one bitmap word covers every priority");

void sched_init(struct task *idle_task)
{
	idle = idle_task;
	idle->state = TASK_RUNNING;
	idle->prio = SCHED_PRIOS - 1;
	current = idle;
}

uint32_t sched_ticks(void)
{
	return ticks;
}

static void queue_push(struct task *t, bool at_head)
{
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

void sched_unqueue(struct task *t)
{
	if (t->state != TASK_READY)
		return;
	struct task **link = &queues[t->prio].head, *prev = NULL;
	while (*link && *link != t) {
		prev = *link;
		link = &(*link)->next;
	}
	if (!*link)
		return;
	*link = t->next;
	if (queues[t->prio].tail == t)
		queues[t->prio].tail = prev;
	if (!queues[t->prio].head)
		ready_bits &= ~(1u << t->prio);
	t->next = NULL;
}

/* Run the most urgent ready task, or idle; the caller has queued or parked current. */
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
	arch_context_switch(&prev->ctx, next->ctx);
}

void sched_make_ready(struct task *t)
{
	queue_push(t, false);
	if (current == idle || t->prio < current->prio)
		sched_need_resched = true;
}

void sched_recheck(void)
{
	if (ready_bits & ((1u << current->prio) - 1u))
		sched_need_resched = true;
}

void sched_yield(void)
{
	if (current == idle)
		return;
	current->slice = 0; /* its turn is over: a fresh one when it runs again */
	queue_push(current, false);
	switch_to_next();
}

void sched_block(const void *chan)
{
	/* With a signal already due, do not sleep: the caller sees it and returns EINTR. */
	if (!current->pending_sig) {
		current->state = TASK_BLOCKED;
		current->chan = chan;
		switch_to_next();
	}
	current->chan = NULL;
	current->wake_tick = 0;
}

void sched_sleep(uint32_t n)
{
	current->wake_tick = ticks + (n ? n : 1);
	if (current->wake_tick == 0)
		current->wake_tick = 1; /* 0 means no timeout */
	sched_block(&current->wake_tick);
}

void sched_interrupt(struct task *t)
{
	if (t->state == TASK_BLOCKED) {
		t->chan = NULL;
		sched_make_ready(t);
	}
}

void sched_wakeup(const void *chan)
{
	for (int i = 0; i < TASK_MAX; i++)
		if (task_table[i].state == TASK_BLOCKED && task_table[i].chan == chan)
			sched_interrupt(&task_table[i]);
}

_Noreturn void sched_exit(void)
{
	switch_to_next();
	for (;;)
		arch_idle(); /* unreachable: nobody switches back to a zombie */
}

void sched_tick(void)
{
	ticks++;
	for (int i = 0; i < TASK_MAX; i++) {
		struct task *t = &task_table[i];
		if (t->state == TASK_BLOCKED && t->wake_tick && (int32_t)(ticks - t->wake_tick) >= 0)
			sched_interrupt(t);
	}
	if (current == idle)
		return;
	/* Round-robin only among equals: a less urgent task never takes the turn. */
	uint32_t same_or_better = ready_bits & ((2u << current->prio) - 1u);
	if (--current->slice <= 0) {
		if (same_or_better)
			sched_need_resched = true;
		else
			current->slice = SCHED_SLICE; /* nobody waits: a fresh turn */
	}
}

bool sched_preempt(void)
{
	if (!sched_need_resched || current == idle)
		return false;
	/* A task preempted by a more urgent one keeps its place (and its slice) at the head. */
	queue_push(current, current->slice > 0);
	switch_to_next();
	return true;
}

_Noreturn void sched_idle_loop(void)
{
	for (;;) {
		if (ready_bits)
			switch_to_next();
		else
			arch_idle();
	}
}
