/*
 * pthread_key.c - thread-specific data (keys) and pthread_once. Each
 * thread's values live in its control block; a key's slot is cleared in
 * every live thread when the key is created, so a reused key starts NULL
 * everywhere (POSIX XSH pthread_key_create).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "pthread_impl.h"

static uint32_t keys_lock;
static struct {
	bool used;
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

/* thread_for_each callback: clear slot *(pthread_key_t *)arg of t. */
static void key_clear(struct __calf_pthread *t, void *arg)
{
	t->specific[*(pthread_key_t *)arg] = NULL;
}

/*
 * Make a new key, NULL in every thread; destructor (may be NULL) runs at
 * pthread_exit on each thread's non-NULL value. 0, or EAGAIN when all
 * PTHREAD_KEYS_MAX keys are in use.
 */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	lock_word_acquire(&keys_lock, NULL);
	pthread_key_t k = 0;
	while (k < PTHREAD_KEYS_MAX && keys[k].used)
		k++;
	if (k == PTHREAD_KEYS_MAX) {
		lock_word_release(&keys_lock);
		return EAGAIN;
	}
	keys[k].used = true;
	keys[k].destructor = destructor;
	lock_word_release(&keys_lock);
	thread_for_each(key_clear, &k);
	*key = k;
	return 0;
}

/* Retire key (no destructor runs for it any more). 0, or EINVAL (not a live key). */
int pthread_key_delete(pthread_key_t key)
{
	int err = EINVAL;
	lock_word_acquire(&keys_lock, NULL);
	if (key < PTHREAD_KEYS_MAX && keys[key].used) {
		keys[key].used = false;
		keys[key].destructor = NULL;
		err = 0;
	}
	lock_word_release(&keys_lock);
	return err;
}

/* The calling thread's value for key (NULL when none or not a key). */
void *pthread_getspecific(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX ? (void *)thread_self()->specific[key] : NULL;
}

/* Set the calling thread's value for key. 0, or EINVAL (not a live key). */
int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	thread_self()->specific[key] = value;
	return 0;
}

/* One pass over t's values: call each destructor on its non-NULL value. True if any ran. */
static bool key_destroy_pass(struct __calf_pthread *t)
{
	bool ran = false;
	for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
		void *v = (void *)t->specific[k];
		void (*d)(void *) = keys[k].used ? keys[k].destructor : NULL;
		if (!v || !d)
			continue;
		t->specific[k] = NULL; /* POSIX: set to NULL before the destructor is called */
		d(v);
		ran = true;
	}
	return ran;
}

void key_run_destructors(struct __calf_pthread *t)
{
	for (int i = 0; i < PTHREAD_DESTRUCTOR_ITERATIONS && key_destroy_pass(t); i++)
		;
}

enum { ONCE_NEW, ONCE_RUNNING, ONCE_DONE };

/*
 * Run init exactly once for *once, however many threads call this at the
 * same time; every caller returns after init has returned. 0.
 */
int pthread_once(pthread_once_t *once, void (*init)(void))
{
	uint32_t state = ONCE_NEW;
	if (__atomic_compare_exchange_n(&once->__state, &state, ONCE_RUNNING, false,
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		init();
		__atomic_store_n(&once->__state, ONCE_DONE, __ATOMIC_RELEASE);
		futex_wake(&once->__state, INT_MAX);
		return 0;
	}
	while ((state = __atomic_load_n(&once->__state, __ATOMIC_ACQUIRE)) == ONCE_RUNNING)
		futex_wait(&once->__state, ONCE_RUNNING, NULL);
	return 0;
}
