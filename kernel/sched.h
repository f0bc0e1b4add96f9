/*
 * sched.h - fixed-priority preemptive scheduling: 32 ready queues, a bitmap
 * of the non-empty ones for an O(1) pick, round-robin among equals on the
 * tick.
 *
 * The kernel is preemptible: it runs with interrupts on, and when a more
 * urgent task becomes ready the CPU switches to it at once, at the end of
 * the interrupt that woke it or at the sched_unlock() of the task that did.
 * Only sections that keep interrupts off are not preemptible; each has a
 * constant bound (docs/design.md lists them).
 *
 * The scheduler lock covers the run queues, every task's run state and
 * priority, and the task table's slots and links. It keeps interrupts off
 * while held (one CPU; on more it gains a spinlock word), and everything
 * under it is bounded by TASK_MAX. A waiter checks its condition and blocks
 * under this lock, and whoever changes the condition does so under it too,
 * so no wakeup is lost between the check and the block.
 */
#ifndef CALF_KERNEL_SCHED_H
#define CALF_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include <calf/config.h>
struct task;

#define SCHED_PRIOS 32
#define SCHED_HZ ((unsigned)CALF_CONFIG_SCHED_HZ) /* tick rate */
#define SCHED_SLICE CALF_CONFIG_SCHED_SLICE /* ticks a task runs before an equal one gets a turn */

/* Adopt the boot thread as the idle task. */
void sched_init(struct task *idle);

/* Take the scheduler lock; returns the interrupt state to give back. */
uint32_t sched_lock(void);

/*
 * Release it. When that opens interrupts and a more urgent task is ready,
 * switch to it now: every path that makes a task ready ends here.
 */
void sched_unlock(uint32_t saved);


/* Queue t at the tail of its priority; ask for a switch if it outranks current. */
void sched_make_ready_locked(struct task *t);

/*
 * Block the current task on chan until sched_wakeup_locked(chan), a timeout
 * or (when interruptible) a signal; returns at once if interruptible and a
 * signal is already due. Called and returns with the lock held.
 */
void sched_block_locked(const void *chan, bool interruptible);

/* Make every task blocked on chan ready. */
void sched_wakeup_locked(const void *chan);
void sched_wakeup(const void *chan);

/* Make t ready now if it sleeps interruptibly (a signal arrived). */
void sched_interrupt_locked(struct task *t);

/* Set t's effective priority, moving it in its ready queue. */
void sched_prio_set_locked(struct task *t, uint8_t prio);

/* Give the CPU to the next ready task of the same or higher priority. */
void sched_yield(void);

/* Leave the CPU for good; the lock is held and current is a zombie. */
_Noreturn void sched_exit_locked(void);

/* The round-robin tick, a timer event (kernel/timer.c): count down the slice. */
void sched_tick(void);

/* Set when a more urgent task or an equal's turn is due. */
extern bool sched_need_resched;

/*
 * Switch if a more urgent task or an equal's turn is due; called with
 * interrupts off on the way back to user mode or out of an interrupt that
 * came from preemptible kernel code. Returns true when it switched (and
 * has now switched back).
 */
bool sched_preempt(void);

/* A new task's first instructions: drop the lock the switch to it held. */
void sched_first_run(void);

/* Idle loop body: run ready tasks, else wait for an interrupt. Never returns. */
_Noreturn void sched_idle_loop(void);

#endif
