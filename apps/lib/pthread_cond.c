/*
 * pthread_cond.c - condition variables over a sequence word: a waiter reads
 * it, unlocks the mutex and sleeps while it still holds that value; signal
 * and broadcast bump it and wake one or all. A signal between the unlock
 * and the sleep changes the word, so the futex call returns at once: no
 * wakeup is lost. Wakeups may be spurious, as POSIX allows (XSH
 * pthread_cond_wait: callers re-check their predicate in a loop).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "pthread_impl.h"

/* Initialise attr: CLOCK_REALTIME (POSIX's default), process-private. 0. */
int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->is_initialized = 1;
	attr->clock = CLOCK_REALTIME;
	attr->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

/* 0, or EINVAL (not initialised). */
int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	if (!attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

/* Time timedwait's deadline on clock: CLOCK_MONOTONIC or CLOCK_REALTIME. 0 or EINVAL. */
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (!attr->is_initialized || (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME))
		return EINVAL;
	attr->clock = (int)clock;
	return 0;
}

/* 0 and *clock, or EINVAL. */
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	if (!attr->is_initialized)
		return EINVAL;
	*clock = (clockid_t)attr->clock;
	return 0;
}

/* Only PTHREAD_PROCESS_PRIVATE: 0, ENOTSUP (shared), EINVAL. */
int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared)
{
	if (!attr->is_initialized)
		return EINVAL;
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;
	return pshared == PTHREAD_PROCESS_PRIVATE ? 0 : EINVAL;
}

/* 0 and *pshared (always private), or EINVAL. */
int pthread_condattr_getpshared(const pthread_condattr_t *attr, int *pshared)
{
	if (!attr->is_initialized)
		return EINVAL;
	*pshared = attr->pshared;
	return 0;
}

/* Initialise cond with attr's clock (NULL: CLOCK_REALTIME). 0 or EINVAL. */
int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	if (attr && !attr->is_initialized)
		return EINVAL;
	cond->__seq = 0;
	cond->__waiters = 0;
	cond->__clock = attr ? attr->clock : (int)CLOCK_REALTIME;
	return 0;
}

/* 0, or EBUSY while threads wait on it. */
int pthread_cond_destroy(pthread_cond_t *cond)
{
	return __atomic_load_n(&cond->__waiters, __ATOMIC_RELAXED) ? EBUSY : 0;
}

/*
 * The wait: both clocks count the same nanoseconds since boot on Calf, so
 * the deadline goes to the kernel's CLOCK_MONOTONIC futex timeout as it is.
 */
static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *abs)
{
	uint32_t seq = __atomic_load_n(&cond->__seq, __ATOMIC_ACQUIRE);
	__atomic_add_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
	int err = pthread_mutex_unlock(mutex);
	if (err) {
		__atomic_sub_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
		return err;
	}
	int r = futex_wait(&cond->__seq, seq, abs);
	__atomic_sub_fetch(&cond->__waiters, 1, __ATOMIC_SEQ_CST);
	/* The mutex is held again on every return, a timeout included (POSIX). */
	int lock_err = pthread_mutex_lock(mutex);
	if (lock_err)
		return lock_err;
	return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

/*
 * Unlock mutex (the caller holds it), sleep until signalled, lock it again.
 * 0 (possibly spuriously), or EPERM (recursive or error-checking mutex the
 * caller does not hold).
 */
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	return cond_wait(cond, mutex, NULL);
}

/*
 * As pthread_cond_wait, but give up at the absolute time *abstime on the
 * condition's clock: ETIMEDOUT (with the mutex held again), EINVAL
 * (tv_nsec outside 0..999,999,999), EPERM.
 */
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
			   const struct timespec *abstime)
{
	if (!abstime || deadline_check(abstime))
		return EINVAL;
	return cond_wait(cond, mutex, abstime);
}

/* Wake at least one waiter, if any. 0. */
int pthread_cond_signal(pthread_cond_t *cond)
{
	__atomic_add_fetch(&cond->__seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cond->__waiters, __ATOMIC_SEQ_CST))
		futex_wake(&cond->__seq, 1);
	return 0;
}

/* Wake every waiter. 0. */
int pthread_cond_broadcast(pthread_cond_t *cond)
{
	__atomic_add_fetch(&cond->__seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cond->__waiters, __ATOMIC_SEQ_CST))
		futex_wake(&cond->__seq, INT_MAX);
	return 0;
}
