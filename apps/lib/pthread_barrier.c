/*
 * pthread_barrier.c - barriers: arrivals counted under a lock word; the
 * last one starts a new generation and wakes the rest, who sleep while the
 * generation word is the one they arrived in.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "pthread_impl.h"

/* Initialise attr (process-private). 0. */
int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	attr->is_initialized = 1;
	attr->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

/* 0, or EINVAL (not initialised). */
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	if (!attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

/* Initialise b for count threads. 0, or EINVAL (count 0, attr not initialised). */
int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count)
{
	if (count == 0 || (attr && !attr->is_initialized))
		return EINVAL;
	b->__lock = 0;
	b->__count = count;
	b->__arrived = 0;
	b->__gen = 0;
	return 0;
}

/* 0, or EBUSY while threads wait at it. */
int pthread_barrier_destroy(pthread_barrier_t *b)
{
	return __atomic_load_n(&b->__arrived, __ATOMIC_RELAXED) ? EBUSY : 0;
}

/*
 * Wait until count threads have called this; then all return, one of them
 * (the last to arrive) with PTHREAD_BARRIER_SERIAL_THREAD, the others 0.
 */
int pthread_barrier_wait(pthread_barrier_t *b)
{
	lock_word_acquire(&b->__lock, NULL);
	uint32_t gen = b->__gen;
	if (++b->__arrived == b->__count) {
		b->__arrived = 0;
		__atomic_store_n(&b->__gen, gen + 1, __ATOMIC_RELEASE);
		futex_wake(&b->__gen, INT_MAX);
		lock_word_release(&b->__lock);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	lock_word_release(&b->__lock);
	while (__atomic_load_n(&b->__gen, __ATOMIC_ACQUIRE) == gen)
		futex_wait(&b->__gen, gen, NULL);
	return 0;
}
