/*
 * sys/wait.h - newlib's, plus what it lacks for job control: WCONTINUED
 * and WIFCONTINUED, with Linux's values (a continued child reports status
 * 0xffff, which none of newlib's other tests match).
 */
#ifndef CALF_SYS_WAIT_H
#define CALF_SYS_WAIT_H

#include_next <sys/wait.h>

#include <calf/abi.h>

#define WCONTINUED CALF_WCONTINUED
#define WIFCONTINUED(w) ((w) == CALF_W_CONTINUED)

#endif
