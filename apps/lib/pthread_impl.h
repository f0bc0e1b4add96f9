/*
 * pthread_impl.h - private to the user library: the thread control block,
 * the futex calls and the lock word every pthread_*.c file builds on
 * (docs/design.md, "POSIX threads library").
 */
#ifndef CALF_USER_PTHREAD_IMPL_H
#define CALF_USER_PTHREAD_IMPL_H

#include <errno.h>
#include <pthread.h>
#include <reent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "calf.h"

/* What a thread's state word (struct __calf_pthread.state) says about who frees it. */
enum {
	THREAD_JOINABLE, /* running; a join or detach will come */
	THREAD_DETACHED, /* running; it goes on the reap list when it ends */
	THREAD_EXITED,   /* ended, joinable: its joiner frees it */
	THREAD_JOINING,  /* a joiner owns it (running or not) */
};

/* The tid word before the thread knows its id; 0 is written by the kernel at its end. */
#define THREAD_TID_STARTING (-1)

/*
 * The thread control block. The thread pointer (TPIDRURO on armv7, the %gs
 * base on i386) holds its address, and the word at offset 0 points to the
 * block itself, so `movl %gs:0` (i386) reads it as a plain value.
 * A created thread's block sits in one malloc'd allocation above its stack.
 */
struct __calf_pthread {
	struct __calf_pthread *self; /* offset 0: see above */
	struct _reent *reent;        /* this thread's newlib state (__getreent) */
	/*
	 * Kernel thread id: THREAD_TID_STARTING until the thread or its creator
	 * learns it, then the id; the kernel clears it to 0 and wakes the futex
	 * when the thread is gone (CALF_CLONE_CHILD_CLEARTID): join waits on it.
	 */
	volatile int32_t tid;
	volatile uint32_t state;     /* THREAD_*: who frees this block */
	void *(*start)(void *);
	void *arg;
	void *result;                /* pthread_exit's value, for join */
	int policy, prio;            /* scheduling, as POSIX names it (pthread_setschedparam) */
	bool explicit_sched;         /* the thread sets prio itself before start runs */
	struct __calf_pthread *next, *prev; /* the process's live threads, under the list lock */
	const void *specific[PTHREAD_KEYS_MAX]; /* pthread_setspecific values */
	void *block;                 /* the allocation holding stack and block; NULL: main */
	struct _reent reent_own;     /* reent points here, but for the main thread */
};
_Static_assert(offsetof(struct __calf_pthread, self) == 0, "the thread pointer reads offset 0");

/* 1 once the thread pointer is set: before, the only thread is the main one. */
extern volatile int __calf_thread_tls_ready;
/* The main thread's block (its stack is the process's; its reent is _impure_ptr). */
extern struct __calf_pthread __calf_thread_main;

/* Read this thread's pointer register (ARM ARM B4.1.150 TPIDRURO; on i386 the %gs base). */
static inline struct __calf_pthread *thread_pointer(void)
{
	struct __calf_pthread *t;
	/* volatile: never hoisted above thread_self's check (a %gs read before set_tls faults). */
#if defined(__arm__)
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(t));
#elif defined(__i386__)
	__asm__ volatile("movl %%gs:0, %0" : "=r"(t));
#else
#error "no thread pointer for this CPU"
#endif
	return t;
}

/* The calling thread's block, also before any thread exists. */
static inline struct __calf_pthread *thread_self(void)
{
	return __calf_thread_tls_ready ? thread_pointer() : &__calf_thread_main;
}

/* The calling thread's kernel id (mutex owners, PI futex words). */
int32_t thread_tid(void);

/* CALF_FUTEX_WAIT: block while *w == val, until woken or the monotonic *abs. 0 or -errno. */
static inline int futex_wait(volatile void *w, uint32_t val, const struct timespec *abs)
{
	return calf_syscall4(CALF_SYS_futex, (uint32_t)w, CALF_FUTEX_WAIT, val, (uint32_t)abs);
}

/* CALF_FUTEX_WAKE: wake up to n waiters on w. */
static inline void futex_wake(volatile void *w, int n)
{
	calf_syscall4(CALF_SYS_futex, (uint32_t)w, CALF_FUTEX_WAKE, (uint32_t)n, 0);
}

/* EINVAL for a deadline POSIX rejects (tv_nsec outside 0..999,999,999), else 0. */
static inline int deadline_check(const struct timespec *abs)
{
	return abs && (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000) ? EINVAL : 0;
}

/*
 * A lock word (Drepper, "Futexes are tricky", mutex 3): 0 free, 1 held,
 * 2 held with possible waiters, so an uncontended lock and unlock are one
 * atomic each and never enter the kernel. Take it, waiting at most until
 * the monotonic *abs (NULL: forever): 0 or ETIMEDOUT.
 */
int lock_word_acquire(volatile uint32_t *w, const struct timespec *abs);

/* Take the lock word if it is free: true when taken. */
static inline bool lock_word_try(volatile uint32_t *w)
{
	uint32_t zero = 0;
	return __atomic_compare_exchange_n(w, &zero, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Release the lock word, waking one waiter if there may be one. */
static inline void lock_word_release(volatile uint32_t *w)
{
	if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) == 2)
		futex_wake(w, 1);
}

/* Run fn on every live thread under the list lock (keys clear their slot this way). */
void thread_for_each(void (*fn)(struct __calf_pthread *t, void *arg), void *arg);

/* Run the key destructors of the calling thread (pthread_exit). */
void key_run_destructors(struct __calf_pthread *t);

/* fork's hooks (syscalls.c _fork): pthread_atfork handlers, the locks, the thread list. */
void thread_fork_prepare(void);
void thread_fork_parent(void);
void thread_fork_child(void);

/* newlib's locks around fork: hold malloc's; in the child, free those other threads held. */
void newlib_locks_fork_prepare(void);
void newlib_locks_fork_parent(void);
void newlib_locks_fork_child(void);

/* POSIX priority (0..31, higher more urgent) to Calf's (0 most urgent .. 31) and back. */
static inline int prio_to_calf(int posix)
{
	return CALF_PRIO_MIN - posix;
}

/* A POSIX policy as the kernel's: SCHED_FIFO has no turns, SCHED_RR and SCHED_OTHER take them. */
static inline uint32_t policy_to_calf(int policy)
{
	return policy == SCHED_FIFO ? CALF_SCHED_FIFO : CALF_SCHED_RR;
}

#endif
