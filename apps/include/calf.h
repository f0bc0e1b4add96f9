/*
 * calf.h - Calf-specific calls for apps, beyond what newlib declares.
 *
 * Apps use newlib as on any POSIX-ish system: printf, malloc, fork,
 * waitpid (<sys/wait.h>), getpid, getppid, kill, sleep, usleep,
 * sched_yield, read and write on the console, and from <time.h>
 * clock_gettime, clock_getres, nanosleep, clock_nanosleep (CLOCK_MONOTONIC,
 * CLOCK_REALTIME, TIMER_ABSTIME), time and gettimeofday; newlib leaves some
 * of those undeclared for this target, apps/include/time.h declares them.
 * What is Calf's own is here.
 */
#ifndef CALF_H
#define CALF_H

#include <stdint.h>
#include <sys/types.h>

#include <calf/abi.h>

/*
 * Fill *mi with the kernel's frame-table counts (total, free, used and
 * shared 4 KiB frames), its page-fault counters and its commit accounting
 * (committed, uncharged, commit_strict: see <calf/abi.h>). Compare two
 * snapshots to find leaks: after every child has been reaped, free,
 * committed and uncharged are back where they started. Under strict commit,
 * total - committed - uncharged is what fork, brk and exec may still
 * charge: a fork needs as many frames as the parent is charged. Returns 0,
 * or -1 with errno = EFAULT for a bad pointer.
 */
int calf_meminfo(struct calf_meminfo *mi);

/*
 * Start a thread: a task sharing this address space (clone with
 * CALF_CLONE_VM) that runs fn(arg) on the stack below stack_top and exits
 * with fn's result. The caller owns the stack memory. newlib's errno and
 * stdio state are shared between threads: give each thread its own work.
 * Returns the thread's id, or -1 with errno (EAGAIN: too many tasks).
 */
pid_t calf_thread_spawn(int (*fn)(void *), void *arg, void *stack_top);

/*
 * Set the priority of task pid (0: the caller), from CALF_PRIO_MAX (0, most
 * urgent) to CALF_PRIO_MIN (31). Returns the old priority or -1 with errno.
 */
int calf_setprio(pid_t pid, int prio);

/*
 * Set the priority and the policy of task pid (0: the caller): policy
 * CALF_SCHED_RR takes turns with tasks of equal priority every few ticks,
 * CALF_SCHED_FIFO keeps the CPU until it blocks or yields (or a more
 * urgent task runs), CALF_SCHED_KEEP leaves it. Returns the old priority
 * or -1 with errno.
 */
int calf_setsched(pid_t pid, int prio, int policy);

/*
 * Monotonic nanoseconds since boot (vexpress-a9: the Cortex-A9 global timer,
 * 10 ns steps; pc: the TSC, calibrated against the PIT at boot).
 * Under QEMU with -icount shift=0 one guest instruction takes one virtual
 * nanosecond, so a difference counts instructions: see docs/benchmarks.md.
 */
uint64_t calf_clock_ns(void);

/*
 * Time a bare kernel routine: the kernel runs op (CALF_KBENCH_COPY_PAGE:
 * pmap_copy_page, CALF_KBENCH_ZERO_PAGE: pmap_zero_page) iterations times
 * (1 to CALF_KBENCH_MAX_ITERATIONS) on two frames it takes and frees again,
 * and stores the nanoseconds the loop took in *ns (instructions under
 * -icount shift=0). CALF_KBENCH_HOLD_SPACE instead holds this address
 * space's lock for iterations microseconds (1 to CALF_KBENCH_MAX_HOLD_US),
 * in preemptible kernel code: a load for latency and priority-inheritance
 * tests. Returns 0, or -1 with errno = EINVAL (bad op or count),
 * ENOMEM (no two free frames, or under strict commit none that are not
 * promised to an address space) or EFAULT (bad ns).
 */
int calf_kbench(int op, unsigned iterations, uint64_t *ns);

/*
 * Describe one task for ps: start with cursor 0; fills *ti and returns the
 * cursor of the next call, or 0 when no task is left (then *ti is
 * untouched). resident and shared are counted when asked, a batch of pages
 * at a time. Returns -1 with errno = EINVAL (negative cursor) or EFAULT.
 */
int calf_taskinfo(int cursor, struct calf_taskinfo *ti);

/* End the machine now with status (QEMU exits with it). Returns only on a bad call. */
int calf_poweroff(int status);

/* Give the CPU to the next ready task of the same priority (POSIX; newlib
 * declares it only for some hosts, so Calf declares it here). */
int sched_yield(void);

/* Raw system call: number and three (or four) arguments; returns the raw result. */
int32_t calf_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);
int32_t calf_syscall4(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

#endif
