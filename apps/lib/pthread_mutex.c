/*
 * pthread_mutex.c - mutexes: normal, recursive and error-checking over a
 * lock word, PTHREAD_PRIO_INHERIT over the kernel's PI futex (the word holds
 * the owner's thread id, so the kernel knows whom to lend a priority to).
 * POSIX (XSH pthread_mutex_lock) names the errors: EDEADLK for an
 * error-checking relock, EPERM for an unlock by a non-owner, EAGAIN when a
 * recursive count would overflow, EBUSY from trylock, ETIMEDOUT.
 */
#include <errno.h>
#include <pthread.h>

#include "pthread_impl.h"

int lock_word_acquire(volatile uint32_t *w, const struct timespec *abs)
{
	uint32_t c = 0;
	if (__atomic_compare_exchange_n(w, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	/* Contended: mark it 2 so the holder's release wakes someone, and sleep on 2. */
	if (c != 2)
		c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		if (futex_wait(w, 2, abs) == -ETIMEDOUT)
			return ETIMEDOUT;
		c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
	}
	return 0;
}

/* Initialise attr: PTHREAD_MUTEX_DEFAULT, PTHREAD_PRIO_NONE, process-private. 0. */
int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->is_initialized = 1;
	attr->type = PTHREAD_MUTEX_DEFAULT;
	attr->protocol = PTHREAD_PRIO_NONE;
	attr->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

/* 0, EINVAL (not initialised). */
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	if (!attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

/* Set the type (PTHREAD_MUTEX_NORMAL, _RECURSIVE, _ERRORCHECK, _DEFAULT). 0 or EINVAL. */
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (!attr->is_initialized || type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_DEFAULT)
		return EINVAL;
	attr->type = type;
	return 0;
}

/* 0 and *type, or EINVAL. */
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	if (!attr->is_initialized)
		return EINVAL;
	*type = attr->type;
	return 0;
}

/* True when the kernel has priority-inheriting futexes (asked once: UNLOCK_PI of a free word). */
static bool mutex_pi_supported(void)
{
	static int known; /* 0: not asked yet, 1: yes, -1: no */
	if (!known) {
		static uint32_t probe;
		int32_t r = calf_syscall(CALF_SYS_futex, (uint32_t)&probe, CALF_FUTEX_UNLOCK_PI, 0);
		known = r == -ENOSYS ? -1 : 1;
	}
	return known > 0;
}

/* Set the protocol: PTHREAD_PRIO_NONE or _INHERIT; 0, EINVAL, ENOTSUP (_PROTECT). */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol)
{
	if (!attr->is_initialized)
		return EINVAL;
	/* POSIX: ENOTSUP for a protocol the implementation does not support. */
	if (protocol == PTHREAD_PRIO_PROTECT ||
	    (protocol == PTHREAD_PRIO_INHERIT && !mutex_pi_supported()))
		return ENOTSUP;
	if (protocol != PTHREAD_PRIO_NONE && protocol != PTHREAD_PRIO_INHERIT)
		return EINVAL;
	attr->protocol = protocol;
	return 0;
}

/* 0 and *protocol, or EINVAL. */
int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *attr, int *protocol)
{
	if (!attr->is_initialized)
		return EINVAL;
	*protocol = attr->protocol;
	return 0;
}

/* Only PTHREAD_PROCESS_PRIVATE: 0, ENOTSUP (shared), EINVAL. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	if (!attr->is_initialized)
		return EINVAL;
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;
	return pshared == PTHREAD_PROCESS_PRIVATE ? 0 : EINVAL;
}

/* 0 and *pshared (always private), or EINVAL. */
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	if (!attr->is_initialized)
		return EINVAL;
	*pshared = attr->pshared;
	return 0;
}

/* Initialise mutex unlocked, with attr's type and protocol (NULL: the defaults). 0 or EINVAL. */
int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
	if (attr && !attr->is_initialized)
		return EINVAL;
	mutex->__word = 0;
	mutex->__owner = 0;
	mutex->__count = 0;
	mutex->__type = attr ? (unsigned char)attr->type : PTHREAD_MUTEX_DEFAULT;
	mutex->__protocol = attr ? (unsigned char)attr->protocol : PTHREAD_PRIO_NONE;
	return 0;
}

/* 0, or EBUSY while it is locked. */
int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	return __atomic_load_n(&mutex->__word, __ATOMIC_RELAXED) ? EBUSY : 0;
}

/*
 * Take the PI word: the caller's id in it, or the kernel lends our priority
 * to its owner and hands the word over. A handler's EINTR is retried
 * (POSIX: lock never fails with EINTR); ESRCH when the word's owner ended
 * holding it with nobody waiting (no robust mutexes).
 */
static int mutex_lock_pi(pthread_mutex_t *mutex, int32_t tid, const struct timespec *abs)
{
	uint32_t zero = 0;
	if (__atomic_compare_exchange_n(&mutex->__word, &zero, (uint32_t)tid, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	int r;
	do
		r = calf_syscall4(CALF_SYS_futex, (uint32_t)&mutex->__word, CALF_FUTEX_LOCK_PI, 0,
				  (uint32_t)abs);
	while (r == -EINTR || r == -EAGAIN);
	return -r;
}

/* The owner/type logic shared by lock, timedlock and trylock; try: fail with EBUSY. */
static int mutex_take(pthread_mutex_t *mutex, const struct timespec *abs, bool try)
{
	int32_t tid = thread_tid();
	if (mutex->__owner == tid) {
		if (mutex->__type == PTHREAD_MUTEX_RECURSIVE) {
			if (mutex->__count == UINT32_MAX)
				return EAGAIN;
			mutex->__count++;
			return 0;
		}
		if (mutex->__type == PTHREAD_MUTEX_ERRORCHECK)
			return EDEADLK;
		if (try)
			return EBUSY;
	}
	int err;
	if (try) {
		uint32_t want = mutex->__protocol == PTHREAD_PRIO_INHERIT ? (uint32_t)tid : 1;
		uint32_t zero = 0;
		err = __atomic_compare_exchange_n(&mutex->__word, &zero, want, false,
						  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) ? 0 : EBUSY;
	} else if (mutex->__protocol == PTHREAD_PRIO_INHERIT) {
		err = mutex_lock_pi(mutex, tid, abs);
	} else {
		err = lock_word_acquire(&mutex->__word, abs);
	}
	if (err)
		return err;
	mutex->__owner = tid;
	mutex->__count = 1;
	return 0;
}

/*
 * Lock mutex, waiting as long as it takes. 0, EDEADLK (error-checking
 * relock; a PI mutex's relock of any type), EAGAIN, ESRCH (PI, owner gone).
 */
int pthread_mutex_lock(pthread_mutex_t *mutex)
{
	return mutex_take(mutex, NULL, false);
}

/* Lock mutex if nobody holds it (or the caller, recursive). 0, EBUSY, EDEADLK, EAGAIN. */
int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	return mutex_take(mutex, NULL, true);
}

/*
 * Lock mutex, waiting until the absolute time *abstime at most.
 * 0, ETIMEDOUT, EINVAL (tv_nsec out of range, checked only when it must
 * wait), EDEADLK, EAGAIN.
 */
int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
	int err = mutex_take(mutex, NULL, true);
	if (err != EBUSY)
		return err;
	if (deadline_check(abstime) || !abstime)
		return EINVAL;
	return mutex_take(mutex, abstime, false);
}

/*
 * Unlock mutex. 0, or EPERM when the caller does not hold it (recursive,
 * error-checking and PI mutexes check; a normal one is undefined
 * behaviour by POSIX and is not checked).
 */
int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	bool checked = mutex->__type == PTHREAD_MUTEX_RECURSIVE ||
		       mutex->__type == PTHREAD_MUTEX_ERRORCHECK ||
		       mutex->__protocol == PTHREAD_PRIO_INHERIT;
	int32_t tid = checked ? thread_tid() : 0;
	if (checked && mutex->__owner != tid)
		return EPERM;
	if (--mutex->__count > 0 && mutex->__type == PTHREAD_MUTEX_RECURSIVE)
		return 0;
	mutex->__count = 0;
	mutex->__owner = 0;
	if (mutex->__protocol != PTHREAD_PRIO_INHERIT) {
		lock_word_release(&mutex->__word);
		return 0;
	}
	uint32_t mine = (uint32_t)tid;
	if (__atomic_compare_exchange_n(&mutex->__word, &mine, 0, false, __ATOMIC_RELEASE,
					__ATOMIC_RELAXED))
		return 0;
	/* Waiters: the kernel hands the word to the most urgent one. */
	int r = calf_syscall(CALF_SYS_futex, (uint32_t)&mutex->__word, CALF_FUTEX_UNLOCK_PI, 0);
	return r < 0 ? -r : 0;
}
