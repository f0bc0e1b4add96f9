/*
 * sched.h - fixed-priority preemptive scheduling: 32 ready queues, a bitmap
 * of the non-empty ones for an O(1) pick, round-robin among equals on the
 * tick. Kernel code is not preempted; switches happen when a task blocks or
 * yields, or on its way back to user mode.
 */
#ifndef CALF_KERNEL_SCHED_H
#define CALF_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct task;

#define SCHED_PRIOS 32
#define SCHED_HZ 100u    /* tick rate */
#define SCHED_SLICE 5    /* ticks a task runs before an equal one gets a turn */

/* Adopt the boot thread as the idle task. */
void sched_init(struct task *idle);

/* Queue t at the tail of its priority; ask for a switch if it outranks current. */
void sched_make_ready(struct task *t);

/* Ask for a switch if a ready task now outranks current (its priority dropped). */
void sched_recheck(void);

/* Give the CPU to the next ready task of the same or higher priority. */
void sched_yield(void);

/* Block the current task on chan until sched_wakeup(chan), a timeout or a signal. */
void sched_block(const void *chan);

/* Block for ticks ticks (at least one). */
void sched_sleep(uint32_t ticks);

/* Make every task blocked on chan ready. */
void sched_wakeup(const void *chan);

/* Make one blocked task ready now (a signal arrived). */
void sched_interrupt(struct task *t);

/* Drop t from its ready queue, if it is there. */
void sched_unqueue(struct task *t);

/* Leave the CPU for good (the current task is now a zombie). */
_Noreturn void sched_exit(void);

/* The timer interrupt: wake sleepers, count down the slice. */
void sched_tick(void);

/* Set when a more urgent task or an equal's turn is due; read on every return to user mode. */
extern bool sched_need_resched;

/*
 * On the way to user mode: switch if a more urgent task or an equal's turn
 * is due. Returns true when it switched (and has now switched back).
 */
bool sched_preempt(void);

/* Idle loop body: run ready tasks, else wait for an interrupt. Never returns. */
_Noreturn void sched_idle_loop(void);

/* Ticks since boot. */
uint32_t sched_ticks(void);

#endif
