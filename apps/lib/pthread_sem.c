/*
 * pthread_sem.c - POSIX unnamed semaphores over a futex word holding the
 * value: sem_wait takes one with a compare-and-swap and sleeps while it is
 * 0; sem_post adds one and wakes a sleeper if any. Failures are -1 with
 * errno (POSIX: the sem_* calls are not the pthread_* convention).
 */
#include <errno.h>
#include <semaphore.h>

#include "pthread_impl.h"

/* Initialise sem to value. 0, or -1: EINVAL (value above SEM_VALUE_MAX), ENOSYS (pshared). */
int sem_init(sem_t *sem, int pshared, unsigned int value)
{
	if (value > SEM_VALUE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pshared) {
		errno = ENOSYS;
		return -1;
	}
	sem->__value = value;
	sem->__waiters = 0;
	return 0;
}

/* 0, or -1 with EBUSY while threads wait on it. */
int sem_destroy(sem_t *sem)
{
	if (__atomic_load_n(&sem->__waiters, __ATOMIC_RELAXED)) {
		errno = EBUSY;
		return -1;
	}
	return 0;
}

/* Take one if the value is above 0: true when taken. */
static bool sem_take(sem_t *sem)
{
	unsigned int v = __atomic_load_n(&sem->__value, __ATOMIC_RELAXED);
	while (v > 0)
		if (__atomic_compare_exchange_n(&sem->__value, &v, v - 1, true, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/* Take one, sleeping while the value is 0, until the monotonic *abs (NULL: forever). */
static int sem_wait_until(sem_t *sem, const struct timespec *abs)
{
	while (!sem_take(sem)) {
		__atomic_add_fetch(&sem->__waiters, 1, __ATOMIC_SEQ_CST);
		int r = futex_wait(&sem->__value, 0, abs);
		__atomic_sub_fetch(&sem->__waiters, 1, __ATOMIC_SEQ_CST);
		if (r == -ETIMEDOUT || r == -EINTR) {
			errno = -r;
			return -1;
		}
	}
	return 0;
}

/* Take one, sleeping while the value is 0. 0, or -1 with EINTR (a signal handler ran). */
int sem_wait(sem_t *sem)
{
	return sem_wait_until(sem, NULL);
}

/* Take one if the value is above 0. 0, or -1 with EAGAIN. */
int sem_trywait(sem_t *sem)
{
	if (sem_take(sem))
		return 0;
	errno = EAGAIN;
	return -1;
}

/*
 * sem_wait, giving up at the absolute time *abstime (CLOCK_REALTIME, the
 * same count as CLOCK_MONOTONIC on Calf). 0, or -1 with ETIMEDOUT, EINVAL
 * (tv_nsec out of range, checked only when it must wait), EINTR.
 */
int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	if (sem_take(sem))
		return 0;
	if (!abstime || deadline_check(abstime)) {
		errno = EINVAL;
		return -1;
	}
	return sem_wait_until(sem, abstime);
}

/* Add one, waking a sleeper. 0, or -1 with EOVERFLOW (already SEM_VALUE_MAX). */
int sem_post(sem_t *sem)
{
	unsigned int v = __atomic_load_n(&sem->__value, __ATOMIC_RELAXED);
	do {
		if (v >= SEM_VALUE_MAX) {
			errno = EOVERFLOW;
			return -1;
		}
	} while (!__atomic_compare_exchange_n(&sem->__value, &v, v + 1, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	if (__atomic_load_n(&sem->__waiters, __ATOMIC_SEQ_CST))
		futex_wake(&sem->__value, 1);
	return 0;
}

/* Store the value in *value (0 when threads wait: POSIX allows either). 0. */
int sem_getvalue(sem_t *sem, int *value)
{
	*value = (int)__atomic_load_n(&sem->__value, __ATOMIC_RELAXED);
	return 0;
}
