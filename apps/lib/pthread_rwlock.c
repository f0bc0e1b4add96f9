/*
 * pthread_rwlock.c - read-write locks: counts kept under an inner lock
 * word, readers and writers asleep on a sequence word each. Writers are
 * preferred (a reader waits while a writer waits), so a stream of readers
 * cannot starve a writer; POSIX leaves the choice to the implementation
 * (XSH pthread_rwlock_rdlock, with the Thread Execution Scheduling option
 * it asks for writer preference at equal priority).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "pthread_impl.h"

/* Initialise attr (process-private). 0. */
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	attr->is_initialized = 1;
	attr->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

/* 0, or EINVAL (not initialised). */
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	if (!attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

/* Initialise rw unlocked. 0 or EINVAL (attr not initialised). */
int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	if (attr && !attr->is_initialized)
		return EINVAL;
	*rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	return 0;
}

/* 0, or EBUSY while it is held. */
int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	return rw->__readers || rw->__writer ? EBUSY : 0;
}

/* Sleep on *seq (inner lock held on entry and return), counting the caller in *waiting. */
static int rwlock_sleep(pthread_rwlock_t *rw, uint32_t *seq, uint32_t *waiting,
			const struct timespec *abs)
{
	uint32_t s = *seq;
	(*waiting)++;
	lock_word_release(&rw->__lock);
	int r = futex_wait(seq, s, abs);
	lock_word_acquire(&rw->__lock, NULL);
	(*waiting)--;
	return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

/* Take rw for reading; try: EBUSY instead of waiting. */
static int rwlock_read(pthread_rwlock_t *rw, const struct timespec *abs, bool try)
{
	int32_t tid = thread_tid();
	int err = 0;
	lock_word_acquire(&rw->__lock, NULL);
	if (rw->__writer == tid)
		err = EDEADLK;
	while (!err && (rw->__writer || rw->__wait_writers))
		err = try ? EBUSY : rwlock_sleep(rw, &rw->__rseq, &rw->__wait_readers, abs);
	if (!err && rw->__readers == UINT32_MAX)
		err = EAGAIN;
	if (!err)
		rw->__readers++;
	lock_word_release(&rw->__lock);
	return err;
}

/* Take rw for writing; try: EBUSY instead of waiting. */
static int rwlock_write(pthread_rwlock_t *rw, const struct timespec *abs, bool try)
{
	int32_t tid = thread_tid();
	int err = 0;
	lock_word_acquire(&rw->__lock, NULL);
	if (rw->__writer == tid)
		err = EDEADLK;
	while (!err && (rw->__writer || rw->__readers))
		err = try ? EBUSY : rwlock_sleep(rw, &rw->__wseq, &rw->__wait_writers, abs);
	if (!err)
		rw->__writer = tid;
	lock_word_release(&rw->__lock);
	return err;
}

/* Lock for reading, sharing it with other readers. 0, EDEADLK (caller writes it), EAGAIN. */
int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rwlock_read(rw, NULL, false);
}

/* Lock for reading if no writer holds or waits for it. 0, EBUSY, EDEADLK, EAGAIN. */
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rwlock_read(rw, NULL, true);
}

/* rdlock, giving up at the absolute *abstime: 0, ETIMEDOUT, EINVAL, EDEADLK, EAGAIN. */
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	if (!abstime || deadline_check(abstime))
		return EINVAL;
	return rwlock_read(rw, abstime, false);
}

/* Lock for writing, alone. 0, or EDEADLK (the caller already writes it). */
int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return rwlock_write(rw, NULL, false);
}

/* Lock for writing if nobody holds it. 0, EBUSY, EDEADLK. */
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return rwlock_write(rw, NULL, true);
}

/* wrlock, giving up at the absolute *abstime: 0, ETIMEDOUT, EINVAL, EDEADLK. */
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	if (!abstime || deadline_check(abstime))
		return EINVAL;
	return rwlock_write(rw, abstime, false);
}

/*
 * Release the caller's hold (its write lock, or one read lock). A waiting
 * writer goes first, else every waiting reader. 0, or EPERM when it is not
 * held (a read hold is not tracked per thread: any reader may release one).
 */
int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	int32_t tid = thread_tid();
	int err = 0;
	lock_word_acquire(&rw->__lock, NULL);
	if (rw->__writer == tid)
		rw->__writer = 0;
	else if (rw->__readers)
		rw->__readers--;
	else
		err = EPERM;
	if (!err && !rw->__writer && !rw->__readers && rw->__wait_writers) {
		rw->__wseq++;
		futex_wake(&rw->__wseq, 1);
	} else if (!err && !rw->__writer && !rw->__wait_writers && rw->__wait_readers) {
		rw->__rseq++;
		futex_wake(&rw->__rseq, INT_MAX);
	}
	lock_word_release(&rw->__lock);
	return err;
}
