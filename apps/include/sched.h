/*
 * sched.h - newlib's <sched.h> (struct sched_param, SCHED_OTHER/FIFO/RR),
 * plus the calls Calf provides that newlib declares only under
 * _POSIX_PRIORITY_SCHEDULING, which its bare-metal targets leave out.
 * Priorities: see <pthread.h> (0..31, higher more urgent).
 */
#ifndef CALF_APPS_SCHED_H
#define CALF_APPS_SCHED_H

#include_next <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _POSIX_PRIORITY_SCHEDULING
int sched_yield(void);
int sched_get_priority_min(int policy);
int sched_get_priority_max(int policy);
#endif

#ifdef __cplusplus
}
#endif

#endif
