/*
 * timer.c - timer events on the monotonic board clock: the sleepers'
 * deadlines and the round-robin tick, multiplexed onto the board's single
 * one-shot timer, which is always set for the earliest of them.
 */
#include "timer.h"

#include <errno.h>

#include "board.h"
#include "printk.h"
#include "signal.h"
#include "task.h"

struct sleeper {
	uint64_t deadline;
	struct task *task;
	const void *chan; /* what it blocks on: woken at the deadline only if still there */
};

/*
 * The sleeping tasks, earliest deadline first; a task appears at most once,
 * so TASK_MAX entries always suffice. Scheduler lock. Inserting or
 * removing one moves at most TASK_MAX entries: that, and waking at most
 * TASK_MAX tasks in one interrupt, bound every interrupts-off section here.
 */
static struct sleeper sleepers[TASK_MAX];
static unsigned sleeper_count;
static uint64_t tick_next;   /* when the round-robin tick is next due */
static uint64_t armed = UINT64_MAX; /* what the board timer is set for; UINT64_MAX: nothing */
static uint64_t alarm_next = UINT64_MAX; /* the earliest process alarm (kernel/signal.c) */

uint64_t timer_now(void)
{
	return board_clock_ns();
}

/* Set the board timer for the earliest event, unless it already is. Scheduler lock. */
static void timer_arm_locked(void)
{
	uint64_t next = tick_next;
	if (sleeper_count && sleepers[0].deadline < next)
		next = sleepers[0].deadline;
	if (alarm_next < next)
		next = alarm_next;
	if (next != armed) {
		armed = next;
		board_timer_set(next);
	}
}

/* Queue t to wake at deadline, after any equal deadline (first come, first woken). Lock held. */
static void sleeper_insert_locked(struct task *t, uint64_t deadline, const void *chan)
{
	if (sleeper_count == TASK_MAX)
		panic("more sleepers than tasks");
	unsigned i = sleeper_count++;
	for (; i > 0 && sleepers[i - 1].deadline > deadline; i--)
		sleepers[i] = sleepers[i - 1];
	sleepers[i] = (struct sleeper){ deadline, t, chan };
}

/* Take t off the list if it is on it (a signal woke it before its deadline). Lock held. */
static void sleeper_remove_locked(const struct task *t)
{
	unsigned i = 0;
	while (i < sleeper_count && sleepers[i].task != t)
		i++;
	if (i == sleeper_count)
		return;
	sleeper_count--;
	for (; i < sleeper_count; i++)
		sleepers[i] = sleepers[i + 1];
}

void timer_alarm_set_locked(uint64_t deadline_ns)
{
	alarm_next = deadline_ns;
	timer_arm_locked();
}

void timer_init(void)
{
	board_timer_init();
	uint32_t saved = sched_lock();
	/* Ticks fall on multiples of the period, so a task sleeping to one shares its interrupt. */
	tick_next = (timer_now() / TIMER_TICK_NS + 1) * TIMER_TICK_NS;
	timer_arm_locked();
	sched_unlock(saved);
}

int timer_sleep_until(uint64_t deadline_ns)
{
	/*
	 * The clock is read, the task queued and blocked under the scheduler
	 * lock (interrupts off), and the interrupt dequeues and wakes under it:
	 * an expiry cannot fall between the check and the block.
	 */
	uint32_t saved = sched_lock();
	uint64_t now;
	while ((now = timer_now()) < deadline_ns && !current->pending_sig) {
		sleeper_insert_locked(current, deadline_ns, sleepers);
		timer_arm_locked();
		sched_block_locked(sleepers, true);
		sleeper_remove_locked(current);
	}
	sched_unlock(saved);
	return now < deadline_ns ? -EINTR : 0;
}

bool timer_block_locked(const void *chan, uint64_t deadline_ns, bool interruptible)
{
	if (deadline_ns == UINT64_MAX) {
		sched_block_locked(chan, interruptible);
		return false;
	}
	if (timer_now() >= deadline_ns)
		return true;
	sleeper_insert_locked(current, deadline_ns, chan);
	timer_arm_locked();
	sched_block_locked(chan, interruptible);
	sleeper_remove_locked(current);
	return timer_now() >= deadline_ns;
}

/* Make s's task ready if it still sleeps on s's channel (a signal or a wake may have readied it). */
static void sleeper_wake_locked(const struct sleeper *s)
{
	struct task *t = s->task;
	if (t->state == TASK_BLOCKED && t->chan == s->chan) {
		t->chan = NULL;
		sched_make_ready_locked(t);
	}
}

/* Wake the sleepers whose deadline is not after now (at most TASK_MAX). Lock held. */
static void sleepers_wake_locked(uint64_t now)
{
	unsigned due = 0;
	while (due < sleeper_count && sleepers[due].deadline <= now)
		sleeper_wake_locked(&sleepers[due++]);
	sleeper_count -= due;
	for (unsigned i = 0; i < sleeper_count; i++)
		sleepers[i] = sleepers[i + due];
}

void timer_interrupt(void)
{
	uint32_t saved = sched_lock();
	uint64_t now = timer_now();
	sleepers_wake_locked(now);
	if (now >= alarm_next) /* a scan of TASK_MAX slots, only when an alarm is due */
		alarm_next = signal_alarm_expire_locked(now);
	bool tick = now >= tick_next;
	if (tick) {
		tick_next += TIMER_TICK_NS;
		if (tick_next <= now) /* ticks were missed: the next one on the grid after now */
			tick_next = now - (now - tick_next) % TIMER_TICK_NS + TIMER_TICK_NS;
	}
	armed = UINT64_MAX; /* the one-shot is spent (or was stale): set it afresh */
	timer_arm_locked();
	sched_unlock(saved);
	if (tick)
		sched_tick();
}
