/*
 * sys/_pthreadtypes.h - Calf's POSIX thread types, in place of newlib's.
 *
 * newlib's <sys/types.h> includes <sys/_pthreadtypes.h>; apps/include comes
 * before newlib's headers, so this file is the one they get (newlib's
 * version, guarded by the same macro, is never read). newlib's types are
 * 32-bit handles for RTEMS's object tables; Calf's are the objects
 * themselves, futex words and all, so PTHREAD_MUTEX_INITIALIZER and
 * friends need no allocation. Nothing compiled into newlib uses these
 * types, so its library agrees with them. The fields are the library's
 * (apps/lib/pthread_*.c); apps use only the pthread_* calls.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <sys/sched.h>

struct __calf_pthread;
/* A thread: the address of its control block (apps/lib/pthread_impl.h). */
typedef struct __calf_pthread *pthread_t;

typedef struct {
	int is_initialized;
	__SIZE_TYPE__ stacksize;
	int detachstate;   /* PTHREAD_CREATE_JOINABLE or _DETACHED */
	int inheritsched;  /* PTHREAD_INHERIT_SCHED or _EXPLICIT_SCHED */
	int schedpolicy;   /* SCHED_OTHER, SCHED_FIFO, SCHED_RR */
	struct sched_param schedparam;
	int contentionscope;
} pthread_attr_t;

/*
 * A mutex. __word is the futex word: 0/1/2 (free, held, held with
 * waiters) or, with PTHREAD_PRIO_INHERIT, the owner's thread id with
 * CALF_FUTEX_WAITERS or'ed in while someone waits.
 */
typedef struct {
	__uint32_t __word;
	__int32_t __owner;       /* thread id of the holder (recursive, error-checking) */
	__uint32_t __count;      /* times the holder took it (recursive) */
	unsigned char __type;    /* PTHREAD_MUTEX_* */
	unsigned char __protocol; /* PTHREAD_PRIO_NONE or _INHERIT */
} pthread_mutex_t;

typedef struct {
	int is_initialized;
	int type;
	int protocol;
	int pshared;
} pthread_mutexattr_t;

/* A condition variable: a sequence word waiters sleep on, bumped by signal and broadcast. */
typedef struct {
	__uint32_t __seq;
	__uint32_t __waiters;
	int __clock;             /* CLOCK_MONOTONIC or CLOCK_REALTIME (the same count on Calf) */
} pthread_cond_t;

typedef struct {
	int is_initialized;
	int clock;
	int pshared;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	__uint32_t __state;      /* 0 not run, 1 running, 2 done */
} pthread_once_t;

/* A read-write lock: counts under an inner lock word, two sequence words to sleep on. */
typedef struct {
	__uint32_t __lock;
	__uint32_t __readers;
	__int32_t __writer;      /* thread id of the writer, 0 none */
	__uint32_t __wait_readers, __wait_writers;
	__uint32_t __rseq, __wseq;
} pthread_rwlock_t;

typedef struct {
	int is_initialized;
	int pshared;
} pthread_rwlockattr_t;

/* A barrier: arrivals counted under a lock word; a generation word to sleep on. */
typedef struct {
	__uint32_t __lock;
	__uint32_t __count, __arrived;
	__uint32_t __gen;
} pthread_barrier_t;

typedef struct {
	int is_initialized;
	int pshared;
} pthread_barrierattr_t;

#endif
