/* syscall.h - system-call dispatch (numbers in include/calf/abi.h). */
#ifndef CALF_KERNEL_SYSCALL_H
#define CALF_KERNEL_SYSCALL_H

#include <stdint.h>

#include "arch.h"

/* Run system call nr with the arguments in tf. Returns the result or -errno. */
int32_t syscall_dispatch(unsigned nr, const struct trapframe *tf);

/*
 * The system calls that live with their module (file.c, vfs.c, pipe.c,
 * exec.c, tty.c, task.c): each reads its arguments from tf with
 * arch_tf_arg() and returns the result or -errno. One that replaces the
 * caller's user state (execve) writes current->tf and returns the value
 * the new first argument register must hold: dispatch stores the result
 * there.
 */
typedef int32_t (*syscall_fn)(const struct trapframe *tf);
int32_t sys_execve(const struct trapframe *tf);
int32_t sys_open(const struct trapframe *tf);
int32_t sys_close(const struct trapframe *tf);
int32_t sys_read(const struct trapframe *tf);
int32_t sys_write(const struct trapframe *tf);
int32_t sys_lseek(const struct trapframe *tf);
int32_t sys_fstat(const struct trapframe *tf);
int32_t sys_stat(const struct trapframe *tf);
int32_t sys_dup(const struct trapframe *tf);
int32_t sys_dup2(const struct trapframe *tf);
int32_t sys_fcntl(const struct trapframe *tf);
int32_t sys_pipe2(const struct trapframe *tf);
int32_t sys_mkdir(const struct trapframe *tf);
int32_t sys_rmdir(const struct trapframe *tf);
int32_t sys_unlink(const struct trapframe *tf);
int32_t sys_rename(const struct trapframe *tf);
int32_t sys_getdents(const struct trapframe *tf);
int32_t sys_getcwd(const struct trapframe *tf);
int32_t sys_chdir(const struct trapframe *tf);
int32_t sys_setpgid(const struct trapframe *tf);
int32_t sys_getpgid(const struct trapframe *tf);
int32_t sys_ioctl(const struct trapframe *tf);
int32_t sys_sigaction(const struct trapframe *tf);
int32_t sys_taskinfo(const struct trapframe *tf);
int32_t sys_poweroff(const struct trapframe *tf);
int32_t sys_ftruncate(const struct trapframe *tf);
/* Memory maps (kernel/mman.c). */
int32_t sys_mmap(const struct trapframe *tf);
int32_t sys_munmap(const struct trapframe *tf);
int32_t sys_mprotect(const struct trapframe *tf);
int32_t sys_msync(const struct trapframe *tf);
int32_t sys_mlock(const struct trapframe *tf);
int32_t sys_munlock(const struct trapframe *tf);
int32_t sys_mlockall(const struct trapframe *tf);
int32_t sys_munlockall(const struct trapframe *tf);
int32_t sys_madvise(const struct trapframe *tf);
int32_t sys_setsid(const struct trapframe *tf);
int32_t sys_getsid(const struct trapframe *tf);

#endif
