/*
 * pthread_attr.c - thread attributes and scheduling parameters. Priorities
 * are POSIX's, 0..31 with higher more urgent, mapped onto Calf's 0 (most
 * urgent) .. 31 as calf = 31 - posix (<pthread.h> explains).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include "pthread_impl.h"

#define PRIO_POSIX_MIN 0
#define PRIO_POSIX_MAX (CALF_PRIO_MIN - CALF_PRIO_MAX)

/* A policy Calf knows. */
static bool policy_known(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR;
}

/* Lowest priority of policy: 0, or -1 with errno EINVAL (unknown policy). */
int sched_get_priority_min(int policy)
{
	if (!policy_known(policy)) {
		errno = EINVAL;
		return -1;
	}
	return PRIO_POSIX_MIN;
}

/* Highest priority of policy: 31, or -1 with errno EINVAL (unknown policy). */
int sched_get_priority_max(int policy)
{
	if (!policy_known(policy)) {
		errno = EINVAL;
		return -1;
	}
	return PRIO_POSIX_MAX;
}

/* Defaults: joinable, PTHREAD_STACK_DEFAULT bytes, inherit scheduling (SCHED_OTHER, 15). 0. */
int pthread_attr_init(pthread_attr_t *attr)
{
	attr->is_initialized = 1;
	attr->stacksize = PTHREAD_STACK_DEFAULT;
	attr->detachstate = PTHREAD_CREATE_JOINABLE;
	attr->inheritsched = PTHREAD_INHERIT_SCHED;
	attr->schedpolicy = SCHED_OTHER;
	attr->schedparam.sched_priority = CALF_PRIO_MIN - CALF_PRIO_DEFAULT;
	attr->contentionscope = PTHREAD_SCOPE_SYSTEM;
	return 0;
}

/* 0, or EINVAL (not initialised). */
int pthread_attr_destroy(pthread_attr_t *attr)
{
	if (!attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

/* Stack of size bytes (malloc'd at create). 0, or EINVAL (below PTHREAD_STACK_MIN). */
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (!attr->is_initialized || size < PTHREAD_STACK_MIN)
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

/* 0 and *size, or EINVAL. */
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr->is_initialized)
		return EINVAL;
	*size = attr->stacksize;
	return 0;
}

/* PTHREAD_CREATE_JOINABLE or _DETACHED. 0 or EINVAL. */
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (!attr->is_initialized ||
	    (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED))
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

/* 0 and *state, or EINVAL. */
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	if (!attr->is_initialized)
		return EINVAL;
	*state = attr->detachstate;
	return 0;
}

/* PTHREAD_INHERIT_SCHED (the creator's) or _EXPLICIT_SCHED (attr's). 0 or EINVAL. */
int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit)
{
	if (!attr->is_initialized ||
	    (inherit != PTHREAD_INHERIT_SCHED && inherit != PTHREAD_EXPLICIT_SCHED))
		return EINVAL;
	attr->inheritsched = inherit;
	return 0;
}

/* 0 and *inherit, or EINVAL. */
int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit)
{
	if (!attr->is_initialized)
		return EINVAL;
	*inherit = attr->inheritsched;
	return 0;
}

/* SCHED_OTHER, SCHED_FIFO or SCHED_RR. 0, or EINVAL (ENOTSUP is for known but unsupported). */
int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)
{
	if (!attr->is_initialized || !policy_known(policy))
		return EINVAL;
	attr->schedpolicy = policy;
	return 0;
}

/* 0 and *policy, or EINVAL. */
int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy)
{
	if (!attr->is_initialized)
		return EINVAL;
	*policy = attr->schedpolicy;
	return 0;
}

/* Priority 0..31 (used with PTHREAD_EXPLICIT_SCHED). 0, or EINVAL (out of range). */
int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param)
{
	int p = param->sched_priority;
	if (!attr->is_initialized || p < PRIO_POSIX_MIN || p > PRIO_POSIX_MAX)
		return EINVAL;
	attr->schedparam = *param;
	return 0;
}

/* 0 and *param, or EINVAL. */
int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param)
{
	if (!attr->is_initialized)
		return EINVAL;
	*param = attr->schedparam;
	return 0;
}

/* Only PTHREAD_SCOPE_SYSTEM (every thread is a kernel task): 0, ENOTSUP, EINVAL. */
int pthread_attr_setscope(pthread_attr_t *attr, int scope)
{
	if (!attr->is_initialized)
		return EINVAL;
	if (scope == PTHREAD_SCOPE_PROCESS)
		return ENOTSUP;
	return scope == PTHREAD_SCOPE_SYSTEM ? 0 : EINVAL;
}

/* 0 and *scope (system), or EINVAL. */
int pthread_attr_getscope(const pthread_attr_t *attr, int *scope)
{
	if (!attr->is_initialized)
		return EINVAL;
	*scope = attr->contentionscope;
	return 0;
}

/*
 * Give thread policy and param's priority now (calf_setprio on its id).
 * 0, EINVAL (unknown policy, priority outside 0..31), ESRCH (it has ended),
 * EPERM.
 */
int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param)
{
	int p = param->sched_priority;
	if (!policy_known(policy) || p < PRIO_POSIX_MIN || p > PRIO_POSIX_MAX)
		return EINVAL;
	pid_t tid = pthread_gettid_np(thread);
	if (tid <= 0)
		return ESRCH;
	int32_t r = calf_syscall(CALF_SYS_setprio, (uint32_t)tid, (uint32_t)prio_to_calf(p), policy_to_calf(policy));
	if (r < 0 && r > -4096)
		return -r;
	thread->policy = policy;
	thread->prio = p;
	return 0;
}

/*
 * The policy and priority last given to thread (by its attributes, its
 * creator or pthread_setschedparam; a calf_setprio call behind the
 * library's back is not seen). 0.
 */
int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param)
{
	*policy = thread->policy;
	param->sched_priority = thread->prio;
	return 0;
}

/* Set thread's priority, keeping its policy. As pthread_setschedparam. */
int pthread_setschedprio(pthread_t thread, int prio)
{
	struct sched_param param = { .sched_priority = prio };
	return pthread_setschedparam(thread, thread->policy, &param);
}
