/*
 * timer.h - the kernel's monotonic clock and its timer events: each
 * sleeping task's deadline and the round-robin tick, served by the
 * board's one-shot timer, so a sleep ends at its deadline and not at the
 * next tick.
 *
 * The sleepers are a list sorted by deadline, at most one entry per task
 * (TASK_MAX), kept under the scheduler lock: a sleeper checks the clock,
 * queues itself and blocks under that lock, and the timer interrupt takes
 * it, so no expiry is lost between the check and the block.
 */
#ifndef CALF_KERNEL_TIMER_H
#define CALF_KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "sched.h" /* SCHED_HZ */

/* The round-robin tick's period. */
#define TIMER_TICK_NS (1000000000ull / SCHED_HZ)

/* Start the board's clock and timer and the round-robin tick. */
void timer_init(void);

/* Monotonic nanoseconds since the board clock started. */
uint64_t timer_now(void);

/*
 * Block the current task until timer_now() >= deadline_ns, interruptibly.
 * Returns 0 once the deadline has passed (at once if it already had), or
 * -EINTR when a signal came first.
 */
int timer_sleep_until(uint64_t deadline_ns);

/*
 * Block the current task on chan as sched_block_locked() does, but wake it
 * at deadline_ns too (UINT64_MAX: no deadline). Scheduler lock held, as
 * for sched_block_locked(). Returns true when the deadline has passed (at
 * once, without blocking, if it already had).
 */
bool timer_block_locked(const void *chan, uint64_t deadline_ns, bool interruptible);

/*
 * Set the deadline of the earliest process alarm (kernel/signal.c; UINT64_MAX:
 * none): at it, the timer interrupt calls signal_alarm_expire_locked().
 * Scheduler lock held.
 */
void timer_alarm_set_locked(uint64_t deadline_ns);

/*
 * The board's one-shot timer fired (interrupts off): wake every sleeper
 * whose deadline has passed, run the tick if it is due, set the timer for
 * the next event.
 */
void timer_interrupt(void);

#endif
