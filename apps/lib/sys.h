/* sys.h - private to the user library: the raw-result convention shared by its files. */
#ifndef CALF_USER_SYS_H
#define CALF_USER_SYS_H

#include <errno.h>
#include <stdint.h>

#include "calf.h"

/* Map a raw kernel result to the POSIX convention: [-4095, -1] becomes -1 and errno. */
static inline int sys_result(int32_t r)
{
	if (r < 0 && r > -4096) {
		errno = -r;
		return -1;
	}
	return r;
}

#endif
