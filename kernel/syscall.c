/*
 * syscall.c - the system-call table. Every argument from user space is
 * checked here or by the module it is handed to; a bad one returns an errno.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <calf/abi.h>
#include <mm/frame.h>
#include "board.h"
#include "console.h"
#include "futex.h"
#include "kbench.h"
#include "printk.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "timer.h"

#define NS_PER_S 1000000000u

#define ARG(i) arch_tf_arg(tf, i)

static int32_t sys_exit(const struct trapframe *tf)
{
	task_exit((int)((ARG(0) & 0xFFu) << 8)); /* wait() encoding of a normal exit */
}

static int32_t sys_clone(const struct trapframe *tf)
{
	return task_clone((unsigned)ARG(0), ARG(1), ARG(2), ARG(3), tf);
}

static int32_t sys_waitpid(const struct trapframe *tf)
{
	return task_wait((int)ARG(0), ARG(1), (int)ARG(2));
}

static int32_t sys_getpid(const struct trapframe *tf)
{
	(void)tf;
	return current->tgid;
}

static int32_t sys_getppid(const struct trapframe *tf)
{
	(void)tf;
	struct task *parent = current->leader->parent; /* the process's parent, for every thread */
	return parent ? parent->tgid : 0;
}

static int32_t sys_gettid(const struct trapframe *tf)
{
	(void)tf;
	return current->pid;
}

static int32_t sys_exit_group(const struct trapframe *tf)
{
	task_exit_group((int)((ARG(0) & 0xFFu) << 8)); /* wait() encoding of a normal exit */
}

/* (thread pointer): what the arch's thread register reads for this thread from now on. */
static int32_t sys_set_tls(const struct trapframe *tf)
{
	/* Interrupts off: a switch between the two would load the old value back. */
	uint32_t saved = arch_irq_save();
	current->tls = ARG(0);
	arch_tls_set(current->tls);
	arch_irq_restore(saved);
	return 0;
}

static int32_t sys_kill(const struct trapframe *tf)
{
	return task_kill((int)ARG(0), (int)ARG(1));
}

static int32_t sys_yield(const struct trapframe *tf)
{
	(void)tf;
	sched_yield();
	return 0;
}

static int32_t sys_usleep(const struct trapframe *tf)
{
	uintptr_t us = ARG(0);
	if (us == 0)
		return 0;
	return timer_sleep_until(timer_now() + (uint64_t)us * 1000u);
}

static int32_t sys_brk(const struct trapframe *tf)
{
	vaddr_t end;
	int err = vm_brk(current->vs, ARG(0), &end);
	return err ? err : (int32_t)end;
}

static int32_t sys_meminfo(const struct trapframe *tf)
{
	struct frame_stats fs;
	struct vm_fault_stats vs;
	frame_stats_get(&fs);
	vm_fault_stats_get(&vs);
	struct calf_meminfo mi = {
		.page_size = PAGE_SIZE,
		.total = fs.total,
		.free = fs.free,
		.used = fs.used,
		.shared = fs.shared,
		.cow_copies = vs.cow_copy,
		.cow_reuses = vs.cow_reuse,
		.zero_fills = vs.zero_fill,
		.table_copies = vs.table_copy,
		.table_reuses = vs.table_reuse,
		.committed = fs.committed,
		.uncharged = fs.uncharged,
		.commit_strict = fs.strict,
	};
	return vm_copyout(current->vs, ARG(0), &mi, sizeof(mi));
}

static int32_t sys_setprio(const struct trapframe *tf)
{
	return task_setprio((int)ARG(0), (int)ARG(1), (unsigned)ARG(2));
}

static int32_t sys_clock(const struct trapframe *tf)
{
	uint64_t ns = timer_now();
	return vm_copyout(current->vs, ARG(0), &ns, sizeof(ns));
}

/* The clocks of the time calls: both read timer_now() (abi.h says why). */
static bool clock_known(uintptr_t clock)
{
	return clock == CALF_CLOCK_MONOTONIC || clock == CALF_CLOCK_REALTIME;
}

/* Copy ns out to user address uva as a timespec. 0 or -EFAULT. */
static int ts_copyout(vaddr_t uva, uint64_t ns)
{
	struct calf_timespec ts;
	memset(&ts, 0, sizeof(ts)); /* armv7 pads it to 16 bytes: no kernel stack leaks out */
	ts.tv_sec = (int64_t)(ns / NS_PER_S);
	ts.tv_nsec = (int32_t)(ns % NS_PER_S);
	return vm_copyout(current->vs, uva, &ts, sizeof(ts));
}

/*
 * Read a user timespec at uva into *ns, saturated at UINT64_MAX.
 * 0, -EFAULT, or -EINVAL for negative seconds or nanoseconds outside 0-999,999,999.
 */
static int ts_copyin(vaddr_t uva, uint64_t *ns)
{
	struct calf_timespec ts;
	int err = vm_copyin(current->vs, &ts, uva, sizeof(ts));
	if (err)
		return err;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int32_t)NS_PER_S)
		return -EINVAL;
	uint64_t sec = (uint64_t)ts.tv_sec;
	*ns = sec >= UINT64_MAX / NS_PER_S ? UINT64_MAX : sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	return 0;
}

static int32_t sys_clock_gettime(const struct trapframe *tf)
{
	if (!clock_known(ARG(0)))
		return -EINVAL;
	return ts_copyout(ARG(1), timer_now());
}

static int32_t sys_clock_getres(const struct trapframe *tf)
{
	if (!clock_known(ARG(0)))
		return -EINVAL;
	return ARG(1) ? ts_copyout(ARG(1), board_clock_res_ns()) : 0;
}

/* (clock, flags, req, rem): sleep to req, or for req when flags lacks TIMER_ABSTIME. */
static int32_t sys_clock_nanosleep(const struct trapframe *tf)
{
	uintptr_t flags = ARG(1);
	if (!clock_known(ARG(0)) || (flags & ~(uintptr_t)CALF_TIMER_ABSTIME))
		return -EINVAL;
	uint64_t req;
	int err = ts_copyin(ARG(2), &req);
	if (err)
		return err;
	uint64_t deadline = req, now = timer_now();
	if (!(flags & CALF_TIMER_ABSTIME))
		deadline = req > UINT64_MAX - now ? UINT64_MAX : now + req;
	err = timer_sleep_until(deadline);
	if (err == -EINTR && !(flags & CALF_TIMER_ABSTIME) && ARG(3)) {
		now = timer_now();
		if (ts_copyout(ARG(3), deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	return err;
}

int32_t sys_poweroff(const struct trapframe *tf)
{
	int status = (int)ARG(0);
	console_sync(); /* what the tasks printed last reaches the UART first */
	printk("calf: task %d (%s) powered off with status %d\n", current->pid, current->name, status);
	board_poweroff(status);
}

static int32_t sys_kbench(const struct trapframe *tf)
{
	return kbench_run(ARG(0), ARG(1), ARG(2));
}

static const syscall_fn syscall_table[CALF_SYS_COUNT] = {
	[CALF_SYS_exit] = sys_exit,       [CALF_SYS_write] = sys_write,
	[CALF_SYS_read] = sys_read,       [CALF_SYS_clone] = sys_clone,
	[CALF_SYS_waitpid] = sys_waitpid, [CALF_SYS_getpid] = sys_getpid,
	[CALF_SYS_getppid] = sys_getppid, [CALF_SYS_kill] = sys_kill,
	[CALF_SYS_yield] = sys_yield,     [CALF_SYS_usleep] = sys_usleep,
	[CALF_SYS_brk] = sys_brk,         [CALF_SYS_meminfo] = sys_meminfo,
	[CALF_SYS_setprio] = sys_setprio, [CALF_SYS_clock] = sys_clock,
	[CALF_SYS_kbench] = sys_kbench,
	[CALF_SYS_clock_gettime] = sys_clock_gettime,
	[CALF_SYS_clock_getres] = sys_clock_getres,
	[CALF_SYS_clock_nanosleep] = sys_clock_nanosleep,
	[CALF_SYS_execve] = sys_execve,   [CALF_SYS_open] = sys_open,
	[CALF_SYS_close] = sys_close,     [CALF_SYS_lseek] = sys_lseek,
	[CALF_SYS_fstat] = sys_fstat,     [CALF_SYS_stat] = sys_stat,
	[CALF_SYS_dup] = sys_dup,         [CALF_SYS_dup2] = sys_dup2,
	[CALF_SYS_fcntl] = sys_fcntl,     [CALF_SYS_pipe2] = sys_pipe2,
	[CALF_SYS_mkdir] = sys_mkdir,     [CALF_SYS_rmdir] = sys_rmdir,
	[CALF_SYS_unlink] = sys_unlink,   [CALF_SYS_rename] = sys_rename,
	[CALF_SYS_getdents] = sys_getdents, [CALF_SYS_getcwd] = sys_getcwd,
	[CALF_SYS_chdir] = sys_chdir,     [CALF_SYS_setpgid] = sys_setpgid,
	[CALF_SYS_getpgid] = sys_getpgid, [CALF_SYS_ioctl] = sys_ioctl,
	[CALF_SYS_sigaction] = sys_sigaction, [CALF_SYS_taskinfo] = sys_taskinfo,
	[CALF_SYS_poweroff] = sys_poweroff, [CALF_SYS_ftruncate] = sys_ftruncate,
	/* Memory maps (kernel/mman.c). */
	[CALF_SYS_mmap] = sys_mmap,       [CALF_SYS_munmap] = sys_munmap,
	[CALF_SYS_mprotect] = sys_mprotect, [CALF_SYS_msync] = sys_msync,
	[CALF_SYS_mlock] = sys_mlock,     [CALF_SYS_munlock] = sys_munlock,
	[CALF_SYS_mlockall] = sys_mlockall, [CALF_SYS_munlockall] = sys_munlockall,
	[CALF_SYS_madvise] = sys_madvise,
	/* threads (kernel/futex.c, kernel/task.c) */
	[CALF_SYS_futex] = sys_futex,     [CALF_SYS_gettid] = sys_gettid,
	[CALF_SYS_exit_group] = sys_exit_group, [CALF_SYS_set_tls] = sys_set_tls,
	[CALF_SYS_setsid] = sys_setsid,   [CALF_SYS_getsid] = sys_getsid,
	/* signals (kernel/signal.c) */
	[CALF_SYS_sigreturn] = sys_sigreturn, [CALF_SYS_sigprocmask] = sys_sigprocmask,
	[CALF_SYS_sigpending] = sys_sigpending, [CALF_SYS_sigsuspend] = sys_sigsuspend,
	[CALF_SYS_alarm] = sys_alarm,
};

int32_t syscall_dispatch(unsigned nr, const struct trapframe *tf)
{
	if (nr >= CALF_SYS_COUNT || !syscall_table[nr])
		return -ENOSYS;
	return syscall_table[nr](tf);
}
