/*
 * pthread_newlib.c - what Calf's newlib asks of the app (cmake/newlib.cmake):
 * each thread's reentrancy state (__getreent: errno, strtok, stdio's
 * per-thread fields) and the locks behind malloc, stdio, atexit, the
 * environment and the time zone (__retarget_lock_*).
 *
 * Every newlib lock is recursive (a plain lock is one its holder never
 * re-takes), built on a lock word: an uncontended take and release are one
 * atomic each, no system call, so a single-threaded process pays a few
 * instructions per malloc or printf, and the locks work before any thread
 * exists (the main thread's block is static).
 */
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>

#include "pthread_impl.h"

/* The calling thread's newlib state; the global one until a thread pointer exists. */
struct _reent *__getreent(void)
{
	return __calf_thread_tls_ready ? thread_pointer()->reent : _impure_ptr;
}

struct __lock {
	uint32_t word;                 /* the lock word (pthread_impl.h) */
	struct __calf_pthread *owner;  /* the holder's block: no system call to learn it */
	uint32_t count;                /* times the holder took it */
};

/* The static locks newlib names (newlib/libc/misc/lock.c lists them all). */
struct __lock __lock___sinit_recursive_mutex, __lock___sfp_recursive_mutex,
	__lock___atexit_recursive_mutex, __lock___at_quick_exit_mutex,
	__lock___malloc_recursive_mutex, __lock___env_recursive_mutex, __lock___tz_mutex,
	__lock___dd_hash_mutex, __lock___arc4random_mutex;
/* Shared by the dynamic locks malloc could not allocate: coarser, still correct. */
static struct __lock lock_spare;

/* Allocate a lock for *lock (FILE locks): newlib keeps only the pointer. */
void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	struct __lock *l = calloc(1, sizeof(*l));
	*lock = l ? l : &lock_spare;
}

void __retarget_lock_init(_LOCK_T *lock)
{
	__retarget_lock_init_recursive(lock);
}

/* Free a lock __retarget_lock_init made (fclose). */
void __retarget_lock_close_recursive(_LOCK_T lock)
{
	if (lock != &lock_spare)
		free(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	__retarget_lock_close_recursive(lock);
}

/* Take lock, blocking while another thread holds it; the holder may take it again. */
void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	struct __calf_pthread *self = thread_self();
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != self) {
		lock_word_acquire(&lock->word, NULL);
		lock->owner = self;
	}
	lock->count++;
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	__retarget_lock_acquire_recursive(lock);
}

/* Take lock if it is free or already the caller's: 1 when taken, 0 not. */
int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	struct __calf_pthread *self = thread_self();
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != self) {
		if (!lock_word_try(&lock->word))
			return 0;
		lock->owner = self;
	}
	lock->count++;
	return 1;
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return __retarget_lock_try_acquire_recursive(lock);
}

/* Give back one take of lock; the last one frees it for the others. */
void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (--lock->count == 0) {
		__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
		lock_word_release(&lock->word);
	}
}

void __retarget_lock_release(_LOCK_T lock)
{
	__retarget_lock_release_recursive(lock);
}

void newlib_locks_fork_prepare(void)
{
	__retarget_lock_acquire_recursive(&__lock___malloc_recursive_mutex);
}

void newlib_locks_fork_parent(void)
{
	__retarget_lock_release_recursive(&__lock___malloc_recursive_mutex);
}

/* Free lock in the child if a thread that did not survive fork held it. */
static void lock_reset_foreign(struct __lock *lock, struct __calf_pthread *self)
{
	if (lock && lock != &lock_spare && lock->owner && lock->owner != self) {
		lock->owner = NULL;
		lock->count = 0;
		lock->word = 0;
	}
}

/*
 * In the child: the locks only other (now absent) threads held are free
 * again, so malloc and stdio work; the state they guard is what those
 * threads left (malloc's is whole: fork held its lock).
 */
void newlib_locks_fork_child(void)
{
	struct __calf_pthread *self = thread_self();
	struct __lock *statics[] = {
		&__lock___sinit_recursive_mutex, &__lock___sfp_recursive_mutex,
		&__lock___atexit_recursive_mutex, &__lock___at_quick_exit_mutex,
		&__lock___env_recursive_mutex, &__lock___tz_mutex,
		&__lock___dd_hash_mutex, &__lock___arc4random_mutex,
	};
	for (unsigned i = 0; i < sizeof(statics) / sizeof(statics[0]); i++)
		lock_reset_foreign(statics[i], self);
	for (int i = 0; i < 3; i++)
		lock_reset_foreign(__sf[i]._lock, self);
	__retarget_lock_release_recursive(&__lock___malloc_recursive_mutex);
}
