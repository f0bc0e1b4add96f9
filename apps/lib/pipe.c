/* pipe.c - pipe() and pipe2() over CALF_SYS_pipe2 (kernel/pipe.h). */
#define _GNU_SOURCE /* newlib declares pipe2 for GNU only */
#include <fcntl.h>
#include <unistd.h>

#include "sys.h"

/* fds[0] the read end, fds[1] the write end; flags O_CLOEXEC and O_NONBLOCK. 0 or -1/errno. */
int pipe2(int fds[2], int flags)
{
	return sys_result(calf_syscall(CALF_SYS_pipe2, (uint32_t)fds, (uint32_t)flags, 0));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
