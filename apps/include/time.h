/*
 * time.h - newlib's <time.h>, plus what its arm-none-eabi and i686-elf
 * builds leave out although Calf provides it.
 *
 * newlib declares clock_gettime, clock_getres and nanosleep only under
 * _POSIX_TIMERS, clock_nanosleep only under _POSIX_CLOCK_SELECTION and
 * CLOCK_MONOTONIC only under _POSIX_MONOTONIC_CLOCK (<sys/features.h>),
 * which it defines for RTEMS and Cygwin, not for bare-metal targets. Calf
 * does not define those feature macros either: it has these calls but not
 * the rest of what they announce (timer_create, pthread_condattr_setclock).
 * So this header declares the calls themselves, with newlib's names and
 * values, and leaves newlib untouched.
 *
 * Clocks: CLOCK_MONOTONIC counts nanoseconds since boot; CLOCK_REALTIME is
 * the same count (no real-time clock sets it), as are time() and
 * gettimeofday(). Sleeps end at their deadline, not at the scheduler's tick.
 */
#ifndef CALF_APPS_TIME_H
#define CALF_APPS_TIME_H

#include_next <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _POSIX_TIMERS
/* Store the time of clock in *tp. 0, or -1 with errno EINVAL (clock) or EFAULT (tp). */
int clock_gettime(clockid_t clock_id, struct timespec *tp);

/* Store the step of clock in *res (if res is not NULL). 0, or -1 with errno EINVAL or EFAULT. */
int clock_getres(clockid_t clock_id, struct timespec *res);

/*
 * Sleep for *rqtp. 0, or -1 with errno: EINTR (a signal came first: the
 * time left is in *rmtp unless it is NULL), EINVAL (tv_nsec outside
 * 0-999,999,999 or tv_sec negative), EFAULT.
 */
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
#endif

#ifndef _POSIX_CLOCK_SELECTION
/*
 * Sleep on clock (CLOCK_MONOTONIC or CLOCK_REALTIME) for *rqtp, or until
 * it reads *rqtp with flags TIMER_ABSTIME (at once if that has passed).
 * Returns 0 or the error number itself, errno untouched (POSIX): EINTR
 * (*rmtp gets the time left of a relative sleep), EINVAL, EFAULT.
 */
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *rqtp,
		    struct timespec *rmtp);
#endif

#ifdef __cplusplus
}
#endif

#endif
