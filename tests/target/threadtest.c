/*
 * threadtest.c - the on-target POSIX threads suite: mutexes, condition
 * variables, read-write locks, barriers, semaphores, keys, once, join and
 * detach, scheduling with priority inheritance, newlib's per-thread state
 * and locks (errno, strtok, stdio, malloc), exit and fork in a threaded
 * process, and no memory left behind.
 *
 * Each case runs in its own forked process (suite.c), so every case starts
 * single-threaded; the suite prints PASS/FAIL per case and "N passed,
 * N failed", and exits with the number of failures. Timed cases check
 * order or generous windows only (seconds, not milliseconds).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define MS 1000000ull

/* Now on CLOCK_MONOTONIC plus ms, as a deadline. */
static struct timespec deadline_in(clockid_t clock, unsigned ms)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)ms * MS;
	ts.tv_sec += (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	return ts;
}

/* Spin (no sleep) for ms of monotonic time: a CPU hog. */
static void spin_ms(unsigned ms)
{
	uint64_t end = calf_clock_ns() + ms * MS;
	while (calf_clock_ns() < end)
		;
}

/* Start n threads of fn(i), join them all; the number whose result was not NULL. */
static int run_threads(int n, void *(*fn)(void *))
{
	pthread_t t[16];
	int bad = 0;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i) != 0)
			return n;
	for (int i = 0; i < n; i++) {
		void *r = NULL;
		if (pthread_join(t[i], &r) != 0 || r != NULL)
			bad++;
	}
	return bad;
}

/* ---- mutexes ------------------------------------------------------------- */

#define COUNTER_THREADS 8
#define COUNTER_ROUNDS 5000
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

/* Read-yield-write under the lock: without mutual exclusion, increments get lost. */
static void *counter_add(void *arg)
{
	(void)arg;
	for (int i = 0; i < COUNTER_ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if (i % 128 == 0)
			sched_yield();
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static int mutex_8_threads_reach_the_exact_total(void)
{
	EXPECT(run_threads(COUNTER_THREADS, counter_add) == 0);
	EXPECT(counter == (long)COUNTER_THREADS * COUNTER_ROUNDS);
	EXPECT(pthread_mutex_destroy(&counter_lock) == 0);
	return 0;
}

static pthread_mutex_t held_by_main;
static void *unlock_foreign(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)pthread_mutex_unlock(&held_by_main);
}

static int recursive_and_errorcheck_mutex_semantics(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	EXPECT(pthread_mutexattr_init(&a) == 0);
	EXPECT(pthread_mutexattr_settype(&a, 99) == EINVAL);
	EXPECT(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
	EXPECT(pthread_mutex_init(&m, &a) == 0);
	EXPECT(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0);
	EXPECT(pthread_mutex_trylock(&m) == 0);
	EXPECT(pthread_mutex_destroy(&m) == EBUSY);
	for (int i = 0; i < 3; i++)
		EXPECT(pthread_mutex_unlock(&m) == 0);
	EXPECT(pthread_mutex_unlock(&m) == EPERM); /* not held any more */
	EXPECT(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK) == 0);
	EXPECT(pthread_mutex_init(&held_by_main, &a) == 0);
	EXPECT(pthread_mutex_lock(&held_by_main) == 0);
	EXPECT(pthread_mutex_lock(&held_by_main) == EDEADLK);
	EXPECT(pthread_mutex_trylock(&held_by_main) == EDEADLK);
	pthread_t t;
	void *r;
	EXPECT(pthread_create(&t, NULL, unlock_foreign, NULL) == 0);
	EXPECT(pthread_join(t, &r) == 0 && (intptr_t)r == EPERM);
	EXPECT(pthread_mutex_unlock(&held_by_main) == 0);
	EXPECT(pthread_mutex_unlock(&held_by_main) == EPERM);
	EXPECT(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_PROTECT) == ENOTSUP);
	/* The kernel has priority-inheriting futexes: the library finds them. */
	EXPECT(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0);
	return 0;
}

static void *try_then_timed(void *arg)
{
	pthread_mutex_t *m = arg;
	if (pthread_mutex_trylock(m) != EBUSY)
		return (void *)1;
	struct timespec bad = deadline_in(CLOCK_REALTIME, 10);
	bad.tv_nsec = 1000000000;
	if (pthread_mutex_timedlock(m, &bad) != EINVAL)
		return (void *)2;
	uint64_t t0 = calf_clock_ns();
	struct timespec d = deadline_in(CLOCK_REALTIME, 50);
	if (pthread_mutex_timedlock(m, &d) != ETIMEDOUT)
		return (void *)3;
	return calf_clock_ns() - t0 >= 40 * MS ? NULL : (void *)4;
}

static int mutex_trylock_busy_and_timedlock_times_out(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_t t;
	void *r;
	EXPECT(pthread_mutex_lock(&m) == 0);
	EXPECT(pthread_create(&t, NULL, try_then_timed, &m) == 0);
	EXPECT(pthread_join(t, &r) == 0);
	EXPECT(r == NULL);
	EXPECT(pthread_mutex_unlock(&m) == 0);
	return 0;
}

/* ---- priority inheritance -------------------------------------------------- */

/* The counter race again over a PTHREAD_PRIO_INHERIT mutex: the kernel hands it over. */
static int prio_inherit_mutex_8_threads_reach_the_exact_total(void)
{
	pthread_mutexattr_t a;
	EXPECT(pthread_mutexattr_init(&a) == 0);
	EXPECT(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0);
	EXPECT(pthread_mutex_init(&counter_lock, &a) == 0);
	EXPECT(run_threads(COUNTER_THREADS, counter_add) == 0);
	EXPECT(counter == (long)COUNTER_THREADS * COUNTER_ROUNDS);
	EXPECT(pthread_mutex_destroy(&counter_lock) == 0);
	return 0;
}

/* trylock, timedlock and unlock of a recursive PTHREAD_PRIO_INHERIT mutex. */
static int prio_inherit_mutex_trylock_timedlock_and_unlock(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	EXPECT(pthread_mutexattr_init(&a) == 0);
	EXPECT(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0);
	EXPECT(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
	EXPECT(pthread_mutex_init(&m, &a) == 0);
	EXPECT(pthread_mutex_lock(&m) == 0 && pthread_mutex_trylock(&m) == 0);
	pthread_t t;
	void *r = (void *)1;
	/* EBUSY, EINVAL, then ETIMEDOUT from the kernel's LOCK_PI, which leaves WAITERS set. */
	EXPECT(pthread_create(&t, NULL, try_then_timed, &m) == 0);
	EXPECT(pthread_join(t, &r) == 0 && r == NULL);
	EXPECT(pthread_mutex_unlock(&m) == 0);
	EXPECT(pthread_mutex_unlock(&m) == 0); /* through the kernel: the flag forbids the fast path */
	EXPECT(m.__word == 0);
	EXPECT(pthread_mutex_unlock(&m) == EPERM);
	struct timespec d = deadline_in(CLOCK_REALTIME, 50);
	EXPECT(pthread_mutex_timedlock(&m, &d) == 0); /* free: taken at once */
	EXPECT(pthread_mutex_unlock(&m) == 0);
	EXPECT(pthread_mutex_destroy(&m) == 0);
	return 0;
}

#define PRIO_MAIN 30
#define PRIO_HIGH 25
#define PRIO_HOG 15
#define PRIO_LOW 5
static pthread_mutex_t pi_lock;
static volatile int pi_low_has_lock;
static volatile int pi_order; /* events numbered in the order they happen */
static volatile int pi_high_got_lock, pi_hog_done;

static void *pi_low(void *arg)
{
	(void)arg;
	if (pthread_mutex_lock(&pi_lock) != 0)
		return (void *)1;
	pi_low_has_lock = 1;
	spin_ms(100); /* needs the CPU: only a lent priority gets it past the hog */
	return pthread_mutex_unlock(&pi_lock) == 0 ? NULL : (void *)2;
}

static void *pi_high(void *arg)
{
	(void)arg;
	if (pthread_mutex_lock(&pi_lock) != 0)
		return (void *)1;
	pi_high_got_lock = __atomic_add_fetch(&pi_order, 1, __ATOMIC_SEQ_CST);
	return pthread_mutex_unlock(&pi_lock) == 0 ? NULL : (void *)2;
}

static void *pi_hog(void *arg)
{
	(void)arg;
	spin_ms(400);
	pi_hog_done = __atomic_add_fetch(&pi_order, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Start fn at POSIX priority prio with SCHED_FIFO. */
static int start_at(pthread_t *t, int prio, void *(*fn)(void *))
{
	pthread_attr_t a;
	struct sched_param p = { .sched_priority = prio };
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	pthread_attr_setschedparam(&a, &p);
	return pthread_create(t, &a, fn, NULL);
}

/*
 * The classic inversion: low holds a PTHREAD_PRIO_INHERIT mutex, high
 * waits for it, a medium hog wants the CPU for 400 ms. With inheritance low
 * runs at high's priority, lets go, and high has the lock before the hog
 * is done; without it the hog starves low and high waits for the hog.
 */
static int prio_inherit_mutex_waiter_gets_lock_before_the_hog_ends(void)
{
	pthread_mutexattr_t a;
	struct sched_param me = { .sched_priority = PRIO_MAIN };
	EXPECT(pthread_setschedparam(pthread_self(), SCHED_FIFO, &me) == 0);
	EXPECT(pthread_mutexattr_init(&a) == 0);
	EXPECT(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0);
	EXPECT(pthread_mutex_init(&pi_lock, &a) == 0);
	pthread_t low, high, hog;
	EXPECT(start_at(&low, PRIO_LOW, pi_low) == 0);
	for (int i = 0; i < 200 && !pi_low_has_lock; i++)
		usleep(5000); /* we outrank low: sleep so it runs */
	EXPECT(pi_low_has_lock);
	EXPECT(start_at(&high, PRIO_HIGH, pi_high) == 0);
	EXPECT(start_at(&hog, PRIO_HOG, pi_hog) == 0);
	void *rh = (void *)1, *rl = (void *)1;
	EXPECT(pthread_join(high, &rh) == 0);
	EXPECT(pthread_join(hog, NULL) == 0);
	EXPECT(pthread_join(low, &rl) == 0);
	EXPECT(rh == NULL && rl == NULL);
	printf("    high got the lock as event %d, the hog ended as event %d\n", pi_high_got_lock,
	       pi_hog_done);
	EXPECT(pi_high_got_lock == 1 && pi_hog_done == 2);
	return 0;
}

static int sched_params_map_posix_priorities(void)
{
	EXPECT(sched_get_priority_min(SCHED_FIFO) == 0);
	EXPECT(sched_get_priority_max(SCHED_RR) == 31);
	EXPECT(sched_get_priority_max(77) == -1 && errno == EINVAL);
	struct sched_param p = { .sched_priority = 32 };
	int policy;
	EXPECT(pthread_setschedparam(pthread_self(), SCHED_RR, &p) == EINVAL);
	p.sched_priority = 20;
	EXPECT(pthread_setschedparam(pthread_self(), SCHED_RR, &p) == 0);
	/* Calf's priority is 31 - 20 = 11: calf_setprio hands back the old one. */
	EXPECT(calf_setprio(0, 11) == 11);
	p.sched_priority = 0;
	EXPECT(pthread_getschedparam(pthread_self(), &policy, &p) == 0);
	EXPECT(policy == SCHED_RR && p.sched_priority == 20);
	EXPECT(sched_yield() == 0);
	return 0;
}

/* ---- condition variables ----------------------------------------------------- */

#define PINGPONG_ROUNDS 500
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int pp_turn, pp_count[2];

/* Player i waits for its turn, counts, hands the turn over. */
static void *pp_player(void *arg)
{
	int me = (int)(intptr_t)arg;
	pthread_mutex_lock(&pp_lock);
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		while (pp_turn != me)
			pthread_cond_wait(&pp_cond, &pp_lock);
		if (pp_count[me] != i || pp_count[1 - me] != i + me)
			break; /* out of turn: the other has not played its half */
		pp_count[me]++;
		pp_turn = 1 - me;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	return NULL;
}

static int cond_ping_pong_alternates(void)
{
	EXPECT(run_threads(2, pp_player) == 0);
	EXPECT(pp_count[0] == PINGPONG_ROUNDS && pp_count[1] == PINGPONG_ROUNDS);
	return 0;
}

static int cond_timedwait_monotonic_times_out(void)
{
	pthread_condattr_t ca;
	pthread_cond_t c;
	pthread_mutexattr_t ma;
	pthread_mutex_t m;
	clockid_t clock;
	EXPECT(pthread_condattr_init(&ca) == 0);
	EXPECT(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0);
	EXPECT(pthread_condattr_getclock(&ca, &clock) == 0 && clock == CLOCK_MONOTONIC);
	EXPECT(pthread_cond_init(&c, &ca) == 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &ma);
	EXPECT(pthread_mutex_lock(&m) == 0);
	uint64_t t0 = calf_clock_ns();
	struct timespec d = deadline_in(CLOCK_MONOTONIC, 100);
	EXPECT(pthread_cond_timedwait(&c, &m, &d) == ETIMEDOUT);
	uint64_t waited = calf_clock_ns() - t0;
	EXPECT(waited >= 90 * MS && waited < 5000 * MS);
	EXPECT(pthread_mutex_unlock(&m) == 0); /* held again after the timeout */
	d.tv_nsec = -1;
	EXPECT(pthread_mutex_lock(&m) == 0);
	EXPECT(pthread_cond_timedwait(&c, &m, &d) == EINVAL);
	EXPECT(pthread_mutex_unlock(&m) == 0);
	return 0;
}

/* ---- newlib's per-thread state and locks ------------------------------------ */

static pthread_barrier_t errno_barrier;

static void *errno_keep(void *arg)
{
	int mine = arg ? ERANGE : EDOM;
	errno = mine;
	pthread_barrier_wait(&errno_barrier); /* both have set theirs */
	for (int i = 0; i < 20; i++)
		sched_yield();
	pthread_barrier_wait(&errno_barrier);
	return errno == mine ? NULL : (void *)1;
}

static int errno_is_per_thread(void)
{
	EXPECT(pthread_barrier_init(&errno_barrier, NULL, 2) == 0);
	errno = ENOENT;
	EXPECT(run_threads(2, errno_keep) == 0);
	EXPECT(errno == ENOENT);
	return 0;
}

/* A stream that gives the CPU away in every write: without the FILE lock, lines interleave. */
static char out_buf[16384];
static size_t out_len;
static int out_write(void *cookie, const char *buf, int n)
{
	(void)cookie;
	for (int i = 0; i < n && out_len < sizeof(out_buf); i++) {
		out_buf[out_len++] = buf[i];
		if (i == n / 2)
			sched_yield();
	}
	return n;
}

#define STDIO_THREADS 4
#define STDIO_LINES 40
static FILE *shared_out;

/* strtok over a private copy with yields between tokens, and lines into the shared stream. */
static void *stdio_worker(void *arg)
{
	int me = (int)(intptr_t)arg;
	char text[64];
	snprintf(text, sizeof(text), "t%d,a%d,b%d,c%d,d%d", me, me, me, me, me);
	for (int line = 0; line < STDIO_LINES; line++) {
		char copy[64], want[8];
		strcpy(copy, text);
		int n = 0;
		for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","), n++) {
			sched_yield();
			snprintf(want, sizeof(want), "%c%d", "tabcd"[n], me);
			if (n > 4 || strcmp(tok, want) != 0)
				return (void *)1;
		}
		fprintf(shared_out, "<thread %d line %02d %s>\n", me, line, text);
	}
	return NULL;
}

static int strtok_and_stdio_from_threads_do_not_corrupt(void)
{
	static char buf[24];
	shared_out = funopen(NULL, NULL, out_write, NULL, NULL);
	EXPECT(shared_out != NULL);
	EXPECT(setvbuf(shared_out, buf, _IOFBF, sizeof(buf)) == 0); /* several writes a line */
	EXPECT(run_threads(STDIO_THREADS, stdio_worker) == 0);
	EXPECT(fclose(shared_out) == 0);
	int lines[STDIO_THREADS] = { 0 };
	char *save = NULL;
	out_buf[sizeof(out_buf) - 1] = '\0';
	for (char *l = strtok_r(out_buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int t, n;
		char text[64], want[96];
		EXPECT(sscanf(l, "<thread %d line %d %63[^>]>", &t, &n, text) == 3);
		EXPECT(t >= 0 && t < STDIO_THREADS && n == lines[t]);
		snprintf(want, sizeof(want), "<thread %d line %02d t%d,a%d,b%d,c%d,d%d>", t, n, t, t, t,
			 t, t);
		EXPECT(strcmp(l, want) == 0);
		lines[t]++;
	}
	for (int t = 0; t < STDIO_THREADS; t++)
		EXPECT(lines[t] == STDIO_LINES);
	return 0;
}

#define HAMMER_ROUNDS 3000
#define HAMMER_SLOTS 32

/* Allocate, fill, check, free at random: a heap race shows as a wrong byte or a crash. */
static void *malloc_hammer(void *arg)
{
	unsigned me = (unsigned)(intptr_t)arg, seed = me * 7919u + 1;
	unsigned char *slot[HAMMER_SLOTS] = { 0 };
	size_t size[HAMMER_SLOTS] = { 0 };
	void *bad = NULL;
	for (int i = 0; i < HAMMER_ROUNDS && !bad; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned s = (seed >> 8) % HAMMER_SLOTS;
		if (slot[s]) {
			for (size_t k = 0; k < size[s]; k++)
				if (slot[s][k] != (unsigned char)(me + s + k))
					bad = (void *)1;
			free(slot[s]);
			slot[s] = NULL;
			continue;
		}
		size[s] = 8 + (seed >> 16) % 3000;
		slot[s] = malloc(size[s]);
		if (!slot[s])
			return (void *)2;
		for (size_t k = 0; k < size[s]; k++)
			slot[s][k] = (unsigned char)(me + s + k);
		if (i % 64 == 0)
			sched_yield();
	}
	for (int s = 0; s < HAMMER_SLOTS; s++)
		free(slot[s]);
	return bad;
}

static int malloc_free_hammered_by_4_threads_stays_intact(void)
{
	EXPECT(run_threads(4, malloc_hammer) == 0);
	return 0;
}

/* ---- read-write locks, barriers, semaphores ------------------------------------ */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_inside;

/* A reader stays until all three are inside at once: they share the lock. */
static void *rw_reader(void *arg)
{
	(void)arg;
	if (pthread_rwlock_rdlock(&rw) != 0)
		return (void *)1;
	__atomic_add_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 2000 && readers_inside < 3; i++)
		usleep(1000);
	void *r = readers_inside >= 3 ? NULL : (void *)2;
	if (pthread_rwlock_trywrlock(&rw) != EBUSY)
		r = (void *)3;
	pthread_rwlock_unlock(&rw);
	return r;
}

static void *rw_try_read(void *arg)
{
	(void)arg;
	return pthread_rwlock_tryrdlock(&rw) == EBUSY ? NULL : (void *)1;
}

static int rwlock_readers_share_and_a_writer_excludes(void)
{
	EXPECT(run_threads(3, rw_reader) == 0);
	EXPECT(pthread_rwlock_wrlock(&rw) == 0);
	EXPECT(pthread_rwlock_wrlock(&rw) == EDEADLK);
	EXPECT(run_threads(1, rw_try_read) == 0);
	struct timespec d = deadline_in(CLOCK_REALTIME, 20);
	EXPECT(pthread_rwlock_destroy(&rw) == EBUSY);
	EXPECT(pthread_rwlock_unlock(&rw) == 0);
	EXPECT(pthread_rwlock_timedrdlock(&rw, &d) == 0);
	EXPECT(pthread_rwlock_unlock(&rw) == 0);
	EXPECT(pthread_rwlock_unlock(&rw) == EPERM);
	return 0;
}

#define BARRIER_THREADS 5
static pthread_barrier_t barrier;
static volatile int barrier_serials, barrier_arrived[3];

static void *barrier_rounds(void *arg)
{
	(void)arg;
	for (int round = 0; round < 3; round++) {
		__atomic_add_fetch(&barrier_arrived[round], 1, __ATOMIC_SEQ_CST);
		int r = pthread_barrier_wait(&barrier);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&barrier_serials, 1, __ATOMIC_SEQ_CST);
		else if (r != 0)
			return (void *)1;
		if (barrier_arrived[round] != BARRIER_THREADS)
			return (void *)2; /* let through before everyone came */
	}
	return NULL;
}

static int barrier_releases_all_once_everyone_arrived(void)
{
	EXPECT(pthread_barrier_init(&barrier, NULL, 0) == EINVAL);
	EXPECT(pthread_barrier_init(&barrier, NULL, BARRIER_THREADS) == 0);
	EXPECT(run_threads(BARRIER_THREADS, barrier_rounds) == 0);
	EXPECT(barrier_serials == 3); /* one per round */
	EXPECT(pthread_barrier_destroy(&barrier) == 0);
	return 0;
}

#define SEM_ITEMS 1000
static sem_t sem_full, sem_empty;
static volatile int sem_ring[4], sem_sum;

static void *sem_producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= SEM_ITEMS; i++) {
		sem_wait(&sem_empty);
		sem_ring[i % 4] = i;
		sem_post(&sem_full);
	}
	return NULL;
}

static int semaphores_count_block_and_time_out(void)
{
	EXPECT(sem_init(&sem_full, 0, 0) == 0 && sem_init(&sem_empty, 0, 4) == 0);
	pthread_t t;
	EXPECT(pthread_create(&t, NULL, sem_producer, NULL) == 0);
	long sum = 0;
	for (int i = 1; i <= SEM_ITEMS; i++) {
		EXPECT(sem_wait(&sem_full) == 0);
		EXPECT(sem_ring[i % 4] == i);
		sum += sem_ring[i % 4];
		EXPECT(sem_post(&sem_empty) == 0);
	}
	EXPECT(pthread_join(t, NULL) == 0);
	EXPECT(sum == (long)SEM_ITEMS * (SEM_ITEMS + 1) / 2);
	int v;
	EXPECT(sem_getvalue(&sem_full, &v) == 0 && v == 0);
	EXPECT(sem_trywait(&sem_full) == -1 && errno == EAGAIN);
	struct timespec d = deadline_in(CLOCK_REALTIME, 50);
	uint64_t t0 = calf_clock_ns();
	EXPECT(sem_timedwait(&sem_full, &d) == -1 && errno == ETIMEDOUT);
	EXPECT(calf_clock_ns() - t0 >= 40 * MS);
	EXPECT(sem_init(&sem_full, 0, (unsigned)SEM_VALUE_MAX + 1) == -1 && errno == EINVAL);
	EXPECT(sem_init(&sem_full, 0, SEM_VALUE_MAX) == 0);
	EXPECT(sem_post(&sem_full) == -1 && errno == EOVERFLOW);
	EXPECT(sem_destroy(&sem_full) == 0);
	return 0;
}

/* ---- keys, once ------------------------------------------------------------------- */

static pthread_key_t key;
static volatile int destructed;

static void key_destructor(void *v)
{
	if (*(int *)v == 42)
		__atomic_add_fetch(&destructed, 1, __ATOMIC_SEQ_CST);
	free(v);
}

static void *key_user(void *arg)
{
	int *v = malloc(sizeof(*v));
	*v = 42;
	if (pthread_getspecific(key) != NULL || pthread_setspecific(key, v) != 0)
		return (void *)1;
	sched_yield();
	if (pthread_getspecific(key) != v)
		return (void *)2;
	if (arg)
		pthread_exit(NULL); /* destructors run on pthread_exit as on return */
	return NULL;
}

static int keys_are_per_thread_and_destructors_run(void)
{
	EXPECT(pthread_key_create(&key, key_destructor) == 0);
	EXPECT(pthread_setspecific(key, "main") == 0);
	EXPECT(run_threads(4, key_user) == 0);
	EXPECT(destructed == 4);
	EXPECT(strcmp(pthread_getspecific(key), "main") == 0);
	EXPECT(pthread_key_delete(key) == 0);
	EXPECT(pthread_key_delete(key) == EINVAL);
	EXPECT(pthread_setspecific(key, "x") == EINVAL);
	return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs, once_done;

static void once_init(void)
{
	__atomic_add_fetch(&once_runs, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 10; i++)
		sched_yield(); /* the others arrive meanwhile */
	once_done = 1;
}

static void *once_caller(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	return once_done ? NULL : (void *)1; /* nobody returns before init has */
}

static int once_runs_once_under_contention(void)
{
	EXPECT(run_threads(8, once_caller) == 0);
	EXPECT(once_runs == 1);
	return 0;
}

/* ---- join, detach, stacks ------------------------------------------------------ */

static void *add_one(void *arg)
{
	if ((intptr_t)arg == 2)
		pthread_exit((void *)(intptr_t)3);
	return (void *)((intptr_t)arg + 1);
}

static int join_returns_the_threads_value(void)
{
	pthread_t t1, t2;
	void *r;
	EXPECT(pthread_create(&t1, NULL, add_one, (void *)41) == 0);
	EXPECT(pthread_create(&t2, NULL, add_one, (void *)2) == 0);
	EXPECT(!pthread_equal(t1, t2) && pthread_equal(t1, t1));
	EXPECT(pthread_join(t1, &r) == 0 && (intptr_t)r == 42);
	EXPECT(pthread_join(t2, &r) == 0 && (intptr_t)r == 3);
	EXPECT(pthread_join(pthread_self(), &r) == EDEADLK);
	return 0;
}

static sem_t detached_ran, detached_go;
static void *detached_body(void *arg)
{
	if (arg)
		sem_wait(&detached_go);
	sem_post(&detached_ran);
	return NULL;
}

static int detached_threads_run_and_cannot_be_joined(void)
{
	pthread_attr_t a;
	pthread_t t;
	int state;
	EXPECT(sem_init(&detached_ran, 0, 0) == 0 && sem_init(&detached_go, 0, 0) == 0);
	EXPECT(pthread_attr_init(&a) == 0);
	EXPECT(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0);
	EXPECT(pthread_attr_getdetachstate(&a, &state) == 0 && state == PTHREAD_CREATE_DETACHED);
	EXPECT(pthread_create(&t, &a, detached_body, NULL) == 0);
	EXPECT(sem_wait(&detached_ran) == 0);
	/* This one waits for us, so it is alive (not freed) while we check. */
	EXPECT(pthread_create(&t, NULL, detached_body, (void *)1) == 0);
	EXPECT(pthread_detach(t) == 0);
	EXPECT(pthread_detach(t) == EINVAL);
	EXPECT(pthread_join(t, NULL) == EINVAL);
	EXPECT(sem_post(&detached_go) == 0);
	EXPECT(sem_wait(&detached_ran) == 0);
	return 0;
}

#define BIG_STACK (256 * 1024)
static void *stack_eater(void *arg)
{
	volatile char big[BIG_STACK - 16 * 1024];
	memset((char *)big, 0x5a, sizeof(big));
	return big[(intptr_t)arg] == 0x5a ? NULL : (void *)1;
}

static int thread_gets_the_stack_size_it_asked_for(void)
{
	pthread_attr_t a;
	size_t size;
	pthread_t t;
	void *r;
	EXPECT(pthread_attr_init(&a) == 0);
	EXPECT(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1) == EINVAL);
	EXPECT(pthread_attr_setstacksize(&a, BIG_STACK) == 0);
	EXPECT(pthread_attr_getstacksize(&a, &size) == 0 && size == BIG_STACK);
	/* A canary allocated just before the stack: an overrun would write into it. */
	unsigned char *canary = malloc(4096);
	memset(canary, 0xc3, 4096);
	EXPECT(pthread_create(&t, &a, stack_eater, (void *)100) == 0);
	EXPECT(pthread_join(t, &r) == 0 && r == NULL);
	for (int i = 0; i < 4096; i++)
		EXPECT(canary[i] == 0xc3);
	free(canary);
	return 0;
}

/* ---- exit, fork ------------------------------------------------------------------ */

static void *exit_with_42(void *arg)
{
	(void)arg;
	usleep(20000);
	exit(42);
}

/* In a child: a thread's exit(42) ends the process, the sleeping main thread included. */
static int thread_exit_child(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, exit_with_42, NULL) != 0)
		return 1;
	sleep(5);
	return 7; /* only if exit left this thread running */
}

static int exit_from_a_thread_ends_the_process_with_its_status(void)
{
	int status = suite_run_child(thread_exit_child);
	EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 42);
	return 0;
}

static int last_pipe[2];
static void *write_after_main_left(void *arg)
{
	(void)arg;
	usleep(50000);
	write(last_pipe[1], "x", 1);
	return NULL;
}

/* In a child: main leaves by pthread_exit; the process lives until its last thread returns. */
static int last_thread_child(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, write_after_main_left, NULL) != 0)
		return 1;
	pthread_exit(NULL);
}

static int last_thread_pthread_exit_ends_the_process_with_0(void)
{
	EXPECT(pipe(last_pipe) == 0);
	int status = suite_run_child(last_thread_child);
	close(last_pipe[1]);
	char c = 0;
	EXPECT(read(last_pipe[0], &c, 1) == 1 && c == 'x');
	EXPECT(suite_exited_ok(status));
	return 0;
}

static volatile int fork_spinner_stop;
static volatile unsigned long fork_spins;

static void *fork_spinner(void *arg)
{
	(void)arg;
	while (!fork_spinner_stop) {
		fork_spins++;
		sched_yield();
	}
	return NULL;
}

/* In the forked child: only the forking thread runs, and it can make threads of its own. */
static int forked_child_body(void)
{
	unsigned long spins = fork_spins;
	usleep(50000);
	if (fork_spins != spins)
		return 1; /* the spinner was copied too */
	counter = 0;
	if (run_threads(4, counter_add) != 0 || counter != 4L * COUNTER_ROUNDS)
		return 2;
	char *p = malloc(1000);
	if (!p)
		return 3;
	free(p);
	return 0;
}

static void *fork_from_here(void *arg)
{
	(void)arg;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(forked_child_body());
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return (void *)100;
	return (void *)(intptr_t)(WIFEXITED(status) ? WEXITSTATUS(status) : 101);
}

static int fork_from_a_thread_gives_a_child_with_one_thread(void)
{
	pthread_t spin, forker;
	void *r = (void *)1;
	EXPECT(pthread_create(&spin, NULL, fork_spinner, NULL) == 0);
	while (fork_spins < 10)
		sched_yield();
	EXPECT(pthread_create(&forker, NULL, fork_from_here, NULL) == 0);
	EXPECT(pthread_join(forker, &r) == 0);
	fork_spinner_stop = 1;
	EXPECT(pthread_join(spin, NULL) == 0);
	printf("    the child reported %d\n", (int)(intptr_t)r);
	EXPECT(r == NULL);
	return 0;
}

/* ---- exec from a thread ---------------------------------------------------------- */

#define HELPER "/bin/exechelper"
#define SOLO_STATUS 23 /* what exechelper's "solo" exits with when the checks hold */

static volatile int32_t exec_word;     /* the futex word exec_blocker waits on while it is 0 */
static volatile int exec_stop;         /* ends exec_spinner */
static volatile unsigned long exec_spins;
static volatile int exec_tids[4];      /* [0] the main thread, [1] blocker, [2] exec'er, [3] spinner */

static int tid_self(void)
{
	return calf_syscall(CALF_SYS_gettid, 0, 0, 0);
}

/* ps's state letter for pid, 0 when it is not listed. */
static char ps_state(int pid)
{
	struct calf_taskinfo ti;
	for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
		if (ti.pid == pid)
			return (char)ti.state;
	return 0;
}

/* Blocked in the kernel's futex wait until exec_word is set and woken. */
static void *exec_blocker(void *arg)
{
	exec_tids[(intptr_t)arg] = tid_self();
	while (exec_word == 0)
		calf_syscall4(CALF_SYS_futex, (uint32_t)&exec_word, CALF_FUTEX_WAIT, 0, 0);
	return NULL;
}

/* Spins without a system call until exec_stop. */
static void *exec_spinner(void *arg)
{
	exec_tids[(intptr_t)arg] = tid_self();
	while (!exec_stop)
		exec_spins++;
	return NULL;
}

/* Start the blocker and the spinner, and return once the one sleeps and the other has spun. */
static int exec_others_start(void)
{
	pthread_t t;
	exec_tids[0] = getpid();
	if (pthread_create(&t, NULL, exec_blocker, (void *)1) != 0 ||
	    pthread_create(&t, NULL, exec_spinner, (void *)3) != 0)
		return -1;
	while (!exec_tids[1] || ps_state(exec_tids[1]) != 'S' || exec_spins == 0)
		sched_yield();
	return 0;
}

/* exec exechelper's "solo" check with status, the ids it must keep and the old thread ids. */
static void exec_solo(int status)
{
	char a[10][12];
	int v[10] = { status, getpid(), getppid(), getpgrp(), calf_syscall(CALF_SYS_getsid, 0, 0, 0),
		      exec_tids[0], exec_tids[1], exec_tids[2], exec_tids[3], 0 };
	char *argv[12] = { "exechelper", "solo" };
	for (int i = 0; i < 9; i++) {
		snprintf(a[i], sizeof(a[i]), "%d", v[i]);
		argv[i + 2] = a[i];
	}
	argv[11] = NULL;
	execv(HELPER, argv);
}

static void *exec_solo_thread(void *arg)
{
	exec_tids[2] = tid_self();
	exec_solo((int)(intptr_t)arg);
	return (void *)1; /* the exec failed */
}

/* In a child: a third thread execs while one thread sleeps in a futex and one spins. */
static int thread_exec_child(void)
{
	pthread_t t;
	if (exec_others_start() != 0 ||
	    pthread_create(&t, NULL, exec_solo_thread, (void *)SOLO_STATUS) != 0)
		return 1;
	pthread_join(t, NULL); /* main sleeps in a futex too */
	return 77; /* the exec returned */
}

/* Run body in a child; its wait status, with no frame and no other child left behind. */
static int exec_child_run(int (*body)(void), bool *clean)
{
	struct calf_meminfo before, after;
	calf_meminfo(&before);
	int status = suite_run_child(body);
	calf_meminfo(&after);
	printf("    status %#x, used frames %u before, %u after\n", status, (unsigned)before.used,
	       (unsigned)after.used);
	*clean = after.used == before.used && waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
	return status;
}

static int exec_from_a_thread_ends_the_others_and_takes_the_pid(void)
{
	bool clean;
	suite_run_child(thread_exec_child); /* the first run grows what later ones reuse */
	int status = exec_child_run(thread_exec_child, &clean);
	EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == SOLO_STATUS);
	EXPECT(clean);
	return 0;
}

static int exec_pipe[2];
static void *exec_pipe_reader(void *arg)
{
	char c;
	exec_tids[(intptr_t)arg] = tid_self();
	read(exec_pipe[0], &c, 1);
	return NULL;
}

/* In a child: main execs while one thread sleeps in a futex, one in a pipe read and one spins. */
static int leader_exec_child(void)
{
	pthread_t t;
	if (pipe(exec_pipe) != 0 || exec_others_start() != 0 ||
	    pthread_create(&t, NULL, exec_pipe_reader, (void *)2) != 0)
		return 1;
	while (!exec_tids[2] || ps_state(exec_tids[2]) != 'S')
		sched_yield();
	exec_solo(SOLO_STATUS);
	return 77;
}

static int exec_from_the_leader_ends_the_blocked_threads(void)
{
	bool clean;
	suite_run_child(leader_exec_child);
	int status = exec_child_run(leader_exec_child, &clean);
	EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == SOLO_STATUS);
	EXPECT(clean);
	return 0;
}

static void *exec_missing(void *arg)
{
	(void)arg;
	int r = execl("/bin/no-such-program", "no-such-program", (char *)NULL);
	return (void *)(intptr_t)(r == -1 && errno == ENOENT ? 0 : 1);
}

#define FAILED_EXEC_OK 5 /* no thread's own exit gives it: the main thread checked everything */

/* In a child: a thread's exec fails (ENOENT); main checks the others run on and ends the process. */
static int failed_exec_child(void)
{
	pthread_t t;
	void *r = (void *)1;
	if (exec_others_start() != 0 || pthread_create(&t, NULL, exec_missing, NULL) != 0 ||
	    pthread_join(t, &r) != 0 || r != NULL)
		return 1;
	unsigned long spins = exec_spins;
	for (int i = 0; i < 100 && exec_spins == spins; i++)
		sched_yield(); /* the spinner, equally urgent, runs a slice at each */
	if (exec_spins == spins || ps_state(exec_tids[1]) != 'S')
		return 2;
	exec_word = 1;
	calf_syscall4(CALF_SYS_futex, (uint32_t)&exec_word, CALF_FUTEX_WAKE, 1, 0);
	exec_stop = 1;
	return FAILED_EXEC_OK;
}

/* A failed exec from a thread ends nobody: the main thread, the spinner and the sleeper run on. */
static int failed_exec_from_a_thread_leaves_the_others_running(void)
{
	int status = suite_run_child(failed_exec_child);
	printf("    status %#x\n", status);
	EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == FAILED_EXEC_OK);
	return 0;
}

static void *exit_33(void *arg)
{
	(void)arg;
	exit(33);
}

static int exec_round;

/* In a child: two threads exec and a third exits, all at once. */
static int exec_race_child(void)
{
	pthread_t t;
	if (exec_others_start() != 0)
		return 1;
	exec_stop = 1; /* the spinner ends: one thread fewer to find */
	pthread_create(&t, NULL, exec_solo_thread, (void *)(SOLO_STATUS + 1));
	pthread_create(&t, NULL, exit_33, NULL);
	exec_tids[2] = tid_self(); /* the other exec'er's id: reused, not a leak */
	for (int i = 0; i < exec_round; i++)
		sched_yield(); /* the others get further each round */
	exec_solo(SOLO_STATUS);
	return 77;
}

/* Exec racing exec and exit: one of them wins whole, nothing is left behind, 10 rounds. */
static int exec_racing_exec_and_exit_has_one_winner(void)
{
	int seen = 0;
	for (int i = 0; i < 10; i++) {
		bool clean;
		exec_round = i;
		int status = exec_child_run(exec_race_child, &clean);
		bool ok = status >= 0 && WIFEXITED(status) &&
			  (WEXITSTATUS(status) == SOLO_STATUS || WEXITSTATUS(status) == SOLO_STATUS + 1 ||
			   WEXITSTATUS(status) == 33);
		EXPECT(ok);
		EXPECT(clean || i == 0);
		seen |= 1 << (WEXITSTATUS(status) - SOLO_STATUS) % 16;
	}
	printf("    winners seen: %#x\n", seen);
	return 0;
}

static int kill_pipe[2];
static void *exec_sleeper(void *arg)
{
	(void)arg;
	write(kill_pipe[1], "x", 1);
	execl(HELPER, "exechelper", "sleep", "10000", (char *)NULL);
	return NULL;
}

/* In a child: a thread tells the parent, then execs a program that sleeps. */
static int kill_race_child(void)
{
	pthread_t t;
	if (exec_others_start() != 0 || pthread_create(&t, NULL, exec_sleeper, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	return 77;
}

/* SIGKILL sent while a thread execs ends the process whichever comes first, with nothing left. */
static int sigkill_racing_exec_from_a_thread_ends_it_cleanly(void)
{
	EXPECT(pipe(kill_pipe) == 0);
	for (int i = 0; i < 10; i++) {
		struct calf_meminfo before, after;
		calf_meminfo(&before);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(kill_race_child());
		char c;
		EXPECT(pid > 0 && read(kill_pipe[0], &c, 1) == 1);
		for (int y = 0; y < i; y++)
			sched_yield(); /* the kill lands at a different point each round */
		EXPECT(kill(pid, SIGKILL) == 0);
		int status = -1;
		EXPECT(waitpid(pid, &status, 0) == pid);
		printf("    round %d: status %#x\n", i, status);
		EXPECT(suite_killed_by(status, SIGKILL));
		EXPECT(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
		calf_meminfo(&after);
		EXPECT(i == 0 || after.used == before.used);
	}
	return 0;
}

/* ---- memory ------------------------------------------------------------------------ */

static void *idle_body(void *arg)
{
	(void)arg;
	return NULL;
}

/* Create and join four threads and one detached; then wait for the detached one to end. */
static int thread_cycle(void)
{
	pthread_attr_t a;
	pthread_t t;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &a, idle_body, (void *)1) != 0)
		return 1;
	return run_threads(4, idle_body);
}

static int threads_leave_no_frames_behind(void)
{
	struct calf_meminfo before, after;
	for (int i = 0; i < 3; i++)
		EXPECT(thread_cycle() == 0); /* the heap grows to what a cycle needs */
	usleep(20000);
	EXPECT(thread_cycle() == 0);
	EXPECT(calf_meminfo(&before) == 0);
	for (int i = 0; i < 20; i++) {
		EXPECT(thread_cycle() == 0);
		usleep(2000);
	}
	usleep(20000);
	EXPECT(thread_cycle() == 0); /* reaps the detached ones, as the snapshot's cycle did */
	EXPECT(calf_meminfo(&after) == 0);
	printf("    used frames %u before, %u after 20 cycles\n", (unsigned)before.used,
	       (unsigned)after.used);
	EXPECT(after.used == before.used);
	return 0;
}

/* In a thread: ps's record of this thread (calf_taskinfo by its tid) names the process's parent. */
static void *ppid_of_my_record(void *arg)
{
	(void)arg;
	int tid = calf_syscall(CALF_SYS_gettid, 0, 0, 0);
	struct calf_taskinfo ti;
	for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
		if (ti.pid == tid)
			return (void *)(intptr_t)ti.ppid;
	return (void *)(intptr_t)-1;
}

static int taskinfo_gives_a_thread_its_process_parent(void)
{
	pthread_t t;
	void *ppid;
	EXPECT(pthread_create(&t, NULL, ppid_of_my_record, NULL) == 0);
	EXPECT(pthread_join(t, &ppid) == 0);
	EXPECT((intptr_t)ppid == getppid() && getppid() > 0);
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(mutex_8_threads_reach_the_exact_total),
	SUITE_CASE(recursive_and_errorcheck_mutex_semantics),
	SUITE_CASE(mutex_trylock_busy_and_timedlock_times_out),
	SUITE_CASE(prio_inherit_mutex_8_threads_reach_the_exact_total),
	SUITE_CASE(prio_inherit_mutex_trylock_timedlock_and_unlock),
	SUITE_CASE(prio_inherit_mutex_waiter_gets_lock_before_the_hog_ends),
	SUITE_CASE(sched_params_map_posix_priorities),
	SUITE_CASE(cond_ping_pong_alternates),
	SUITE_CASE(cond_timedwait_monotonic_times_out),
	SUITE_CASE(errno_is_per_thread),
	SUITE_CASE(strtok_and_stdio_from_threads_do_not_corrupt),
	SUITE_CASE(malloc_free_hammered_by_4_threads_stays_intact),
	SUITE_CASE(rwlock_readers_share_and_a_writer_excludes),
	SUITE_CASE(barrier_releases_all_once_everyone_arrived),
	SUITE_CASE(semaphores_count_block_and_time_out),
	SUITE_CASE(keys_are_per_thread_and_destructors_run),
	SUITE_CASE(once_runs_once_under_contention),
	SUITE_CASE(join_returns_the_threads_value),
	SUITE_CASE(detached_threads_run_and_cannot_be_joined),
	SUITE_CASE(thread_gets_the_stack_size_it_asked_for),
	SUITE_CASE(exit_from_a_thread_ends_the_process_with_its_status),
	SUITE_CASE(last_thread_pthread_exit_ends_the_process_with_0),
	SUITE_CASE(fork_from_a_thread_gives_a_child_with_one_thread),
	SUITE_CASE(exec_from_a_thread_ends_the_others_and_takes_the_pid),
	SUITE_CASE(exec_from_the_leader_ends_the_blocked_threads),
	SUITE_CASE(failed_exec_from_a_thread_leaves_the_others_running),
	SUITE_CASE(exec_racing_exec_and_exit_has_one_winner),
	SUITE_CASE(sigkill_racing_exec_from_a_thread_ends_it_cleanly),
	SUITE_CASE(threads_leave_no_frames_behind),
	SUITE_CASE(taskinfo_gives_a_thread_its_process_parent),
};

int main(void)
{
	struct suite_tally t = { 0 };
	printf("threadtest: POSIX threads\n");
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
