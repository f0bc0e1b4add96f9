/*
 * semaphore.h - POSIX unnamed semaphores (apps/lib/pthread_sem.c; each
 * call's contract is beside its definition). Calls return 0, or -1 with
 * errno (POSIX): EINVAL, EAGAIN, ETIMEDOUT, EINTR, EOVERFLOW, ENOSYS.
 * Named semaphores (sem_open) and semaphores shared between processes
 * (sem_init with pshared non-zero: ENOSYS) are not provided.
 */
#ifndef CALF_SEMAPHORE_H
#define CALF_SEMAPHORE_H

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED ((sem_t *)0)

typedef struct {
	unsigned int __value;   /* the futex word */
	unsigned int __waiters; /* threads asleep in sem_wait, so sem_post knows to wake */
} sem_t;

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

#ifdef __cplusplus
}
#endif

#endif
