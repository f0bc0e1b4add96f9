/*
 * pthread_thread.c - POSIX threads over clone(CLONE_VM | CLONE_THREAD):
 * create, join, detach, exit, self, the live-thread list, scheduling
 * parameters and what fork does to them (docs/design.md, "POSIX threads
 * library"). Results are error numbers, errno untouched (POSIX 2.3).
 */
#include <errno.h>
#include <pthread.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>

#include "pthread_impl.h"

volatile int __calf_thread_tls_ready;
struct __calf_pthread __calf_thread_main = {
	.self = &__calf_thread_main,
	.tid = THREAD_TID_STARTING,
	.policy = SCHED_OTHER,
	.prio = CALF_PRIO_MIN - CALF_PRIO_DEFAULT,
};

/* The live threads (the main one first) and the detached ones that ended. */
static uint32_t list_lock;
static struct __calf_pthread *list_head = &__calf_thread_main;
static struct __calf_pthread *reap_head;
/* Threads not yet through pthread_exit: the last one out ends the process. */
static uint32_t live_count = 1;

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * int32_t __calf_thread_clone(flags, stack_top, tls, child_tid, t): the
 * clone call; the child, on its new stack with the parent's other
 * registers, cannot return through the parent's C frames, so it calls
 * __calf_thread_start(t) here, which never returns.
 */
#if defined(__arm__)
__asm__(".pushsection .text.__calf_thread_clone, \"ax\", %progbits\n"
	".syntax unified\n.thumb\n"
	".global __calf_thread_clone\n.type __calf_thread_clone, %function\n.thumb_func\n"
	"__calf_thread_clone:\n"
	"	push	{r4, r5, r7, lr}\n"
	"	ldr	r4, [sp, #16]\n" /* t: the fifth argument, on the stack (AAPCS) */
	"	movs	r7, #" XSTR(CALF_SYS_clone) "\n"
	"	svc	#0\n"
	"	cmp	r0, #0\n"
	"	bne	1f\n"
	"	movs	r0, r4\n"
	"	bl	__calf_thread_start\n"
	"1:	pop	{r4, r5, r7, pc}\n"
	".size __calf_thread_clone, . - __calf_thread_clone\n"
	".popsection\n");
#elif defined(__i386__)
__asm__(".pushsection .text.__calf_thread_clone, \"ax\", @progbits\n"
	".global __calf_thread_clone\n.type __calf_thread_clone, @function\n"
	"__calf_thread_clone:\n"
	"	pushl	%ebx\n	pushl	%esi\n	pushl	%edi\n"
	"	movl	16(%esp), %ebx\n" /* flags */
	"	movl	20(%esp), %ecx\n" /* stack */
	"	movl	24(%esp), %edx\n" /* tls */
	"	movl	28(%esp), %esi\n" /* child_tid */
	"	movl	32(%esp), %edi\n" /* t: kept in the child's EDI */
	"	movl	$" XSTR(CALF_SYS_clone) ", %eax\n"
	"	int	$" XSTR(CALF_I386_SYSCALL_VECTOR) "\n"
	"	testl	%eax, %eax\n"
	"	jnz	1f\n"
	"	xorl	%ebp, %ebp\n"
	"	andl	$-16, %esp\n"
	"	subl	$12, %esp\n"
	"	pushl	%edi\n"
	"	call	__calf_thread_start\n"
	"1:	popl	%edi\n	popl	%esi\n	popl	%ebx\n"
	"	ret\n"
	".size __calf_thread_clone, . - __calf_thread_clone\n"
	".popsection\n");
#endif
int32_t __calf_thread_clone(uint32_t flags, void *stack_top, void *tls, volatile int32_t *child_tid,
			    struct __calf_pthread *t);
void __calf_thread_start(struct __calf_pthread *t) __attribute__((noreturn, used));

/* The kernel's id of the calling thread (getpid before the kernel has gettid). */
static int32_t tid_ask(void)
{
	int32_t r = calf_syscall(CALF_SYS_gettid, 0, 0, 0);
	return r > 0 ? r : calf_syscall(CALF_SYS_getpid, 0, 0, 0);
}

int32_t thread_tid(void)
{
	struct __calf_pthread *t = thread_self();
	if (t->tid <= 0)
		t->tid = tid_ask(); /* only the main thread, before it set its thread pointer */
	return t->tid;
}

/* Record id as t's tid unless it already holds it or has ended (0). */
static void tid_publish(struct __calf_pthread *t, int32_t id)
{
	int32_t starting = THREAD_TID_STARTING;
	__atomic_compare_exchange_n(&t->tid, &starting, id, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* Give the main thread its thread pointer once, before the first thread starts. 0 or EAGAIN. */
static int tls_init(void)
{
	if (__calf_thread_tls_ready)
		return 0;
	__calf_thread_main.reent = _impure_ptr;
	thread_tid();
	if (calf_syscall(CALF_SYS_set_tls, (uint32_t)&__calf_thread_main, 0, 0) < 0)
		return EAGAIN;
	__calf_thread_tls_ready = 1;
	return 0;
}

/* Link t into the live list. */
static void list_add(struct __calf_pthread *t)
{
	lock_word_acquire(&list_lock, NULL);
	t->prev = NULL;
	t->next = list_head;
	if (list_head)
		list_head->prev = t;
	list_head = t;
	lock_word_release(&list_lock);
}

/* Unlink t from the live list. */
static void list_remove(struct __calf_pthread *t)
{
	lock_word_acquire(&list_lock, NULL);
	if (t->prev)
		t->prev->next = t->next;
	else
		list_head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	lock_word_release(&list_lock);
}

void thread_for_each(void (*fn)(struct __calf_pthread *t, void *arg), void *arg)
{
	lock_word_acquire(&list_lock, NULL);
	for (struct __calf_pthread *t = list_head; t; t = t->next)
		fn(t, arg);
	lock_word_release(&list_lock);
}

/* Wait until the kernel has cleared t's tid (the thread is gone), then free its memory. */
static void thread_free(struct __calf_pthread *t)
{
	int32_t tid;
	while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)) != 0)
		futex_wait(&t->tid, (uint32_t)tid, NULL);
	free(t->block);
}

/* Free the detached threads that have ended; those still ending wait for a later call. */
static void thread_reap(void)
{
	struct __calf_pthread *done = NULL;
	lock_word_acquire(&list_lock, NULL);
	for (struct __calf_pthread **p = &reap_head; *p;) {
		struct __calf_pthread *t = *p;
		if (__atomic_load_n(&t->tid, __ATOMIC_ACQUIRE) == 0) {
			*p = t->next;
			t->next = done;
			done = t;
		} else {
			p = &t->next;
		}
	}
	lock_word_release(&list_lock);
	while (done) { /* free outside the list lock: free takes the malloc lock */
		struct __calf_pthread *t = done;
		done = t->next;
		free(t->block);
	}
}

/* One allocation: the stack below, the control block above it (16-byte aligned). */
static struct __calf_pthread *thread_alloc(size_t stack)
{
	void *block = malloc(stack + sizeof(struct __calf_pthread) + 16);
	if (!block)
		return NULL;
	struct __calf_pthread *t =
		(struct __calf_pthread *)(((uintptr_t)block + stack + 15) & ~(uintptr_t)15);
	memset(t, 0, sizeof(*t));
	t->self = t;
	t->block = block;
	t->tid = THREAD_TID_STARTING;
	t->reent = &t->reent_own;
	_REENT_INIT_PTR(t->reent);
	return t;
}

/* Fill in what attr and the creator say about t's start. */
static void thread_setup(struct __calf_pthread *t, const pthread_attr_t *attr,
			 void *(*start)(void *), void *arg)
{
	struct __calf_pthread *self = thread_self();
	t->start = start;
	t->arg = arg;
	t->state = attr->detachstate == PTHREAD_CREATE_DETACHED ? THREAD_DETACHED : THREAD_JOINABLE;
	t->explicit_sched = attr->inheritsched == PTHREAD_EXPLICIT_SCHED;
	t->policy = t->explicit_sched ? attr->schedpolicy : self->policy;
	t->prio = t->explicit_sched ? attr->schedparam.sched_priority : self->prio;
}

/*
 * Start start(arg) in a new thread of this process, with attr's stack size,
 * detach state and scheduling (NULL: joinable, PTHREAD_STACK_DEFAULT bytes,
 * the creator's priority); store its id in *thread. 0, EAGAIN (no memory
 * or no task left), EINVAL (attr not initialised, start NULL).
 */
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg)
{
	pthread_attr_t def;
	if (!attr) {
		pthread_attr_init(&def);
		attr = &def;
	}
	if (!attr->is_initialized || !start || !thread)
		return EINVAL;
	thread_reap();
	if (tls_init() != 0)
		return EAGAIN;
	struct __calf_pthread *t = thread_alloc(attr->stacksize);
	if (!t)
		return EAGAIN;
	thread_setup(t, attr, start, arg);
	*thread = t;
	list_add(t);
	__atomic_add_fetch(&live_count, 1, __ATOMIC_SEQ_CST);
	uint32_t flags = CALF_CLONE_VM | CALF_CLONE_THREAD | CALF_CLONE_SETTLS |
			 CALF_CLONE_CHILD_CLEARTID;
	int32_t id = __calf_thread_clone(flags, t, t, &t->tid, t);
	if (id < 0) {
		__atomic_sub_fetch(&live_count, 1, __ATOMIC_SEQ_CST);
		list_remove(t);
		free(t->block);
		return EAGAIN; /* POSIX: no task, no memory for one */
	}
	tid_publish(t, id);
	/* The child sets its priority too: whichever of the two runs first. */
	if (t->explicit_sched)
		calf_syscall(CALF_SYS_setprio, (uint32_t)id, (uint32_t)prio_to_calf(t->prio), policy_to_calf(t->policy));
	return 0;
}

/* A new thread's first C code: on its own stack, thread pointer set. */
void __calf_thread_start(struct __calf_pthread *t)
{
	tid_publish(t, tid_ask());
	if (t->explicit_sched)
		calf_syscall(CALF_SYS_setprio, 0, (uint32_t)prio_to_calf(t->prio), policy_to_calf(t->policy));
	pthread_exit(t->start(t->arg));
}

/* Mark t ended: joinable ones wait for their joiner, detached ones go on the reap list. */
static void thread_mark_exited(struct __calf_pthread *t)
{
	uint32_t state = THREAD_JOINABLE;
	if (__atomic_compare_exchange_n(&t->state, &state, THREAD_EXITED, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return;
	if (state == THREAD_DETACHED && t->block) {
		lock_word_acquire(&list_lock, NULL);
		t->next = reap_head;
		reap_head = t;
		lock_word_release(&list_lock);
	}
}

/*
 * End the calling thread with value for its joiner, after running the key
 * destructors. The last thread to end ends the process with status 0, as
 * exit(0) would (atexit handlers, stdio flushed).
 */
void pthread_exit(void *value)
{
	struct __calf_pthread *t = thread_self();
	key_run_destructors(t);
	t->result = value;
	if (__atomic_sub_fetch(&live_count, 1, __ATOMIC_SEQ_CST) == 0)
		exit(0);
	list_remove(t);
	_reclaim_reent(t->reent); /* what newlib allocated for it; not the main thread's */
	thread_mark_exited(t);
	for (;;)
		calf_syscall(CALF_SYS_exit, 0, 0, 0); /* this thread only; the kernel clears t->tid */
}

/*
 * Wait for thread to end, store its pthread_exit value in *value (if not
 * NULL) and free it. 0, EDEADLK (the caller itself), EINVAL (detached, or
 * another join already waits for it).
 */
int pthread_join(pthread_t thread, void **value)
{
	if (thread == thread_self())
		return EDEADLK;
	uint32_t state = __atomic_load_n(&thread->state, __ATOMIC_SEQ_CST);
	do {
		if (state != THREAD_JOINABLE && state != THREAD_EXITED)
			return EINVAL;
	} while (!__atomic_compare_exchange_n(&thread->state, &state, THREAD_JOINING, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	int32_t tid;
	while ((tid = __atomic_load_n(&thread->tid, __ATOMIC_ACQUIRE)) != 0)
		futex_wait(&thread->tid, (uint32_t)tid, NULL);
	if (value)
		*value = thread->result;
	if (thread->block)
		free(thread->block);
	thread_reap();
	return 0;
}

/*
 * Let thread's memory go when it ends, without a join. 0, or EINVAL
 * (already detached, or being joined).
 */
int pthread_detach(pthread_t thread)
{
	uint32_t state = __atomic_load_n(&thread->state, __ATOMIC_SEQ_CST);
	do {
		if (state != THREAD_JOINABLE && state != THREAD_EXITED)
			return EINVAL;
	} while (!__atomic_compare_exchange_n(&thread->state, &state, THREAD_DETACHED, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	if (state == THREAD_EXITED && thread->block)
		thread_free(thread); /* it ended already: nobody else will free it */
	return 0;
}

/* The calling thread's id. */
pthread_t pthread_self(void)
{
	return thread_self();
}

/* Non-zero when a and b are the same thread. */
int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* The kernel's id of thread (for calf_setprio, ps), or 0 once it has ended. */
pid_t pthread_gettid_np(pthread_t thread)
{
	return thread == thread_self() ? thread_tid() : thread->tid;
}

/* pthread_atfork's handlers, in registration order. */
#define ATFORK_MAX 16
static struct {
	void (*prepare)(void), (*parent)(void), (*child)(void);
} atfork[ATFORK_MAX];
static unsigned atfork_count;

/*
 * Have fork run prepare (before; the last registered first), parent and
 * child (after, in the parent and the child; in registration order); any
 * may be NULL. 0, or ENOMEM when ATFORK_MAX registrations are taken.
 */
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	lock_word_acquire(&list_lock, NULL);
	int err = ENOMEM;
	if (atfork_count < ATFORK_MAX) {
		atfork[atfork_count].prepare = prepare;
		atfork[atfork_count].parent = parent;
		atfork[atfork_count].child = child;
		atfork_count++;
		err = 0;
	}
	lock_word_release(&list_lock);
	return err;
}

/*
 * Before fork: the handlers, then the locks whose state the child must find
 * consistent. A process that never made a thread (no thread pointer yet)
 * has nobody else to hold them: it skips the locks and so writes no memory
 * around the fork, as before threads existed.
 */
void thread_fork_prepare(void)
{
	for (unsigned i = atfork_count; i-- > 0;)
		if (atfork[i].prepare)
			atfork[i].prepare();
	if (!__calf_thread_tls_ready)
		return;
	lock_word_acquire(&list_lock, NULL);
	newlib_locks_fork_prepare();
}

/* After fork, in the parent: the locks back, then the handlers. */
void thread_fork_parent(void)
{
	if (__calf_thread_tls_ready) {
		newlib_locks_fork_parent();
		lock_word_release(&list_lock);
	}
	for (unsigned i = 0; i < atfork_count; i++)
		if (atfork[i].parent)
			atfork[i].parent();
}

/* The pthread_atfork child handlers, in registration order. */
static void thread_fork_handlers_child(void)
{
	for (unsigned i = 0; i < atfork_count; i++)
		if (atfork[i].child)
			atfork[i].child();
}

/*
 * After fork, in the child: the caller is its only thread (POSIX fork), with
 * a new id; other threads' blocks stay allocated (a join on them is
 * undefined), the ended detached ones are freed.
 */
void thread_fork_child(void)
{
	if (!__calf_thread_tls_ready) {
		thread_fork_handlers_child();
		return;
	}
	struct __calf_pthread *self = thread_self();
	self->tid = tid_ask();
	if (__calf_thread_tls_ready)
		calf_syscall(CALF_SYS_set_tls, (uint32_t)self, 0, 0);
	self->next = self->prev = NULL;
	list_head = self;
	live_count = 1;
	struct __calf_pthread *dead = reap_head;
	reap_head = NULL;
	newlib_locks_fork_child();
	lock_word_release(&list_lock);
	while (dead) {
		struct __calf_pthread *t = dead;
		dead = t->next;
		free(t->block);
	}
	thread_fork_handlers_child();
}
