/* syscall.h - system-call dispatch (numbers in include/calf/abi.h). */
#ifndef CALF_KERNEL_SYSCALL_H
#define CALF_KERNEL_SYSCALL_H

#include <stdint.h>

#include "arch.h"

/* Run system call nr with the arguments in tf. Returns the result or -errno. */
int32_t syscall_dispatch(unsigned nr, const struct trapframe *tf);

#endif
