/*
 * calf/abi.h - the interface between Calf apps and the kernel: system-call
 * numbers, clone flags, priorities and the records the kernel copies out.
 * The kernel and the user library both include it (as <calf/abi.h>); it
 * depends on nothing else of Calf's. Plain macros, so assembly (crt0) can
 * use them too.
 *
 * Calling convention, per arch (the result is one register; a value in
 * [-4095, -1] is a negated errno, which the user library turns into -1 and
 * errno):
 *   armv7: SVC #0; number in r7, arguments in r0-r5, result in r0 (EABI).
 *   i386:  INT CALF_I386_SYSCALL_VECTOR; number in eax, arguments in ebx,
 *          ecx, edx, esi, edi, ebp, result in eax (as Linux's int 0x80).
 *
 * errno and signal numbers and the wait-status encoding are newlib's
 * (<errno.h>, <signal.h>, <sys/wait.h>): the kernel is compiled against the
 * same headers as the apps, so the values agree by construction; Calf
 * defines none of its own.
 */
#ifndef CALF_ABI_H
#define CALF_ABI_H

/* System-call numbers: plain macros, so the arch's assembly (crt0) uses them too. */
#define CALF_SYS_exit 1     /* (status): ends the task */
#define CALF_SYS_write 2    /* (fd, buf, len) -> bytes written */
#define CALF_SYS_read 3     /* (fd, buf, len) -> bytes read; blocks for the first */
#define CALF_SYS_clone 4    /* (flags, stack) -> child id in the parent, 0 in the child */
#define CALF_SYS_waitpid 5  /* (pid, *status, options) -> pid reaped, or 0 with WNOHANG */
#define CALF_SYS_getpid 6
#define CALF_SYS_getppid 7
#define CALF_SYS_kill 8     /* (pid, sig) */
#define CALF_SYS_yield 9
#define CALF_SYS_usleep 10  /* (microseconds) -> 0 or -EINTR; not rounded to the tick */
#define CALF_SYS_brk 11     /* (new end or 0) -> current end of the heap */
#define CALF_SYS_meminfo 12 /* (*struct calf_meminfo) */
#define CALF_SYS_setprio 13 /* (pid or 0, priority 0 highest .. 31 lowest, CALF_SCHED_*) -> old priority */
#define CALF_SYS_clock 14   /* (*uint64_t) <- monotonic nanoseconds since boot */
#define CALF_SYS_kbench 15  /* (op, iterations, *uint64_t) <- ns a bare kernel routine took */
#define CALF_SYS_clock_gettime 16   /* (clock, *struct calf_timespec) */
#define CALF_SYS_clock_getres 17    /* (clock, *struct calf_timespec or 0) */
#define CALF_SYS_clock_nanosleep 18 /* (clock, flags, *req, *rem or 0) -> 0 or -EINTR (rem
				       written then, for a relative sleep) */
/*
 * Processes and files (issue 10). Flags, modes, fcntl commands and errno
 * values are newlib's (<fcntl.h>, <sys/stat.h>), as for errno above, and
 * so is struct stat, which the kernel fills in as the apps see it. A path
 * argument is a NUL-terminated user string of at most CALF_PATH_MAX bytes
 * with its terminator (-ENAMETOOLONG beyond, -EFAULT when unreadable).
 */
#define CALF_SYS_execve 19    /* (path, argv, envp): no return on success (-> argc in the new image) */
#define CALF_SYS_open 20      /* (path, flags, mode) -> fd */
#define CALF_SYS_close 21     /* (fd) */
#define CALF_SYS_lseek 22     /* (fd, offset, whence) -> new offset */
#define CALF_SYS_fstat 23     /* (fd, *struct stat) */
#define CALF_SYS_stat 24      /* (path, *struct stat) */
#define CALF_SYS_dup 25       /* (fd) -> lowest free fd */
#define CALF_SYS_dup2 26      /* (fd, newfd) -> newfd */
#define CALF_SYS_fcntl 27     /* (fd, cmd, arg): F_DUPFD(_CLOEXEC), F_GETFD/SETFD, F_GETFL/SETFL */
#define CALF_SYS_pipe2 28     /* (*int[2], flags O_CLOEXEC|O_NONBLOCK) */
#define CALF_SYS_mkdir 29     /* (path, mode) */
#define CALF_SYS_rmdir 30     /* (path) */
#define CALF_SYS_unlink 31    /* (path) */
#define CALF_SYS_rename 32    /* (old path, new path) */
#define CALF_SYS_getdents 33  /* (fd, *struct calf_dirent[], bytes) -> bytes filled, 0 at end */
#define CALF_SYS_getcwd 34    /* (buf, size) -> length with the NUL */
#define CALF_SYS_chdir 35     /* (path) */
#define CALF_SYS_setpgid 36   /* (pid or 0, pgid or 0) */
#define CALF_SYS_getpgid 37   /* (pid or 0) -> pgid */
#define CALF_SYS_ioctl 38     /* (fd, CALF_IOCTL_*, arg) */
#define CALF_SYS_sigaction 39 /* (sig, *new or 0, *old or 0): struct calf_sigaction */
#define CALF_SYS_taskinfo 40  /* (cursor, *struct calf_taskinfo) -> next cursor, 0 at end */
#define CALF_SYS_poweroff 41  /* (status): ends the machine */
#define CALF_SYS_ftruncate 42 /* (fd, length) */
/*
 * Signals, job control, threads and memory maps (issue 11). Each module's
 * header or the user library documents its calls; the numbers live here.
 */
#define CALF_SYS_sigreturn 43   /* (): back from a handler through its frame (kernel/signal.c) */
#define CALF_SYS_sigprocmask 44 /* (how, *new or 0, *old or 0): uint32_t masks */
#define CALF_SYS_sigpending 45  /* (*uint32_t) */
#define CALF_SYS_sigsuspend 46  /* (mask): -EINTR once a handler ran */
#define CALF_SYS_alarm 47       /* (microseconds, 0: cancel) -> microseconds that were left */
#define CALF_SYS_setsid 48      /* () -> new session id */
#define CALF_SYS_getsid 49      /* (pid or 0) -> session id */
#define CALF_SYS_futex 50       /* (uaddr, CALF_FUTEX_*, val, *abs timeout or 0) */
#define CALF_SYS_set_tls 51     /* (thread pointer): TPIDRURO on armv7, %gs base on i386 */
#define CALF_SYS_gettid 52      /* () -> this thread's id */
#define CALF_SYS_exit_group 53  /* (status): ends every thread of the process */
#define CALF_SYS_mmap 54        /* (*struct calf_mmap_args) -> address (kernel/mman.c) */
#define CALF_SYS_munmap 55      /* (addr, len) */
#define CALF_SYS_mprotect 56    /* (addr, len, prot) */
#define CALF_SYS_msync 57       /* (addr, len, flags) */
#define CALF_SYS_mlock 58       /* (addr, len) */
#define CALF_SYS_munlock 59     /* (addr, len) */
#define CALF_SYS_mlockall 60    /* (flags) */
#define CALF_SYS_munlockall 61  /* () */
#define CALF_SYS_madvise 62     /* (addr, len, advice) */
#define CALF_SYS_COUNT 63

/* Limits of the file calls. */
#define CALF_PATH_MAX 256 /* bytes of a path, with its NUL */
#define CALF_NAME_MAX 59  /* bytes of one path component, without a NUL */
#define CALF_OPEN_MAX 32  /* descriptors per task */
#define CALF_PIPE_BUF 512 /* pipe writes up to this size are atomic (POSIX PIPE_BUF) */
/*
 * CALF_SYS_execve's budget (POSIX ARG_MAX): the argument and environment
 * strings, each with its NUL, plus 4 bytes (a pointer) per string, must
 * fit in it, or exec fails with E2BIG and the caller goes on unchanged.
 * The kernel stages them in up to CALF_ARG_MAX / 4096 frames of its own
 * while it builds the new image; the new stack holds them on top.
 */
#define CALF_ARG_MAX 16384

/* Directory entry types of struct calf_dirent (Linux's DT_ values). */
#define CALF_DT_FIFO 1
#define CALF_DT_CHR 2
#define CALF_DT_DIR 4
#define CALF_DT_REG 8

/*
 * CALF_SYS_ioctl commands; the console answers them, anything else gives
 * -ENOTTY. TTY_GETPGRP/SETPGRP (arg: *int32_t / the pgid) are
 * tcgetpgrp/tcsetpgrp; TTY_GETMODE/SETMODE (arg: *uint32_t / the mode)
 * read and set the line discipline's CALF_TTY_* bits.
 */
#define CALF_IOCTL_TTY_GETPGRP 1
#define CALF_IOCTL_TTY_SETPGRP 2
#define CALF_IOCTL_TTY_GETMODE 3
#define CALF_IOCTL_TTY_SETMODE 4
#define CALF_IOCTL_TTY_GETSID 5 /* (arg: *int32_t) tcgetsid: the session the console belongs to */
#define CALF_TTY_ICANON 0x1u /* line editing; read() returns whole lines */
#define CALF_TTY_ECHO 0x2u   /* echo what is typed */
#define CALF_TTY_ISIG 0x4u   /* Ctrl-C, Ctrl-\, Ctrl-Z: SIGINT, SIGQUIT, SIGTSTP to the foreground group */
#define CALF_TTY_TOSTOP 0x8u /* a background group's write sends it SIGTTOU (POSIX XBD 11.1.4) */

/*
 * Memory maps (CALF_SYS_mmap .. madvise): anonymous memory only; values as
 * Linux's, which <sys/mman.h> of the user library re-exports under the
 * POSIX names. mmap takes one struct calf_mmap_args (below).
 */
#define CALF_PROT_NONE 0x0
#define CALF_PROT_READ 0x1
#define CALF_PROT_WRITE 0x2
#define CALF_PROT_EXEC 0x4
#define CALF_MAP_SHARED 0x01
#define CALF_MAP_PRIVATE 0x02
#define CALF_MAP_FIXED 0x10
#define CALF_MAP_ANONYMOUS 0x20
#define CALF_MAP_NORESERVE 0x4000
#define CALF_MAP_POPULATE 0x8000
#define CALF_MS_ASYNC 1
#define CALF_MS_INVALIDATE 2
#define CALF_MS_SYNC 4
#define CALF_MCL_CURRENT 1
#define CALF_MCL_FUTURE 2
#define CALF_MADV_NORMAL 0
#define CALF_MADV_RANDOM 1
#define CALF_MADV_SEQUENTIAL 2
#define CALF_MADV_WILLNEED 3
#define CALF_MADV_DONTNEED 4

/* What struct calf_sigaction's handler may be besides a function's address. */
#define CALF_SIG_DFL 0u
#define CALF_SIG_IGN 1u

/*
 * Signals (kernel/signal.c). The numbers are newlib's, but its sys/signal.h
 * lacks these flags and siginfo fields: apps/include/sys/signal.h adds
 * them. Flag values are Linux's. CALF_SIGNALS_AGREE is true where the
 * signal numbers the code sees are the ones the kernel was built with.
 */
#define CALF_SA_NOCLDSTOP 0x00000001u /* no SIGCHLD when a child stops or continues */
#define CALF_SA_NOCLDWAIT 0x00000002u /* ended children leave no zombie (wait gives ECHILD) */
#define CALF_SA_SIGINFO 0x00000004u   /* handler(sig, siginfo_t *, ucontext *) */
#define CALF_SA_RESTORER 0x04000000u  /* sa_restorer is set (the library always sets it) */
#define CALF_SA_RESTART 0x10000000u   /* restart pipe/console reads and waitpid */
#define CALF_SA_NODEFER 0x40000000u   /* do not block the signal in its own handler */
#define CALF_SA_RESETHAND 0x80000000u /* back to SIG_DFL once delivered */
#define CALF_SIGNALS_AGREE                                                                 \
	(NSIG == 32 && SIGHUP == 1 && SIGINT == 2 && SIGQUIT == 3 && SIGILL == 4 &&        \
	 SIGTRAP == 5 && SIGABRT == 6 && SIGFPE == 8 && SIGKILL == 9 && SIGBUS == 10 &&    \
	 SIGSEGV == 11 && SIGSYS == 12 && SIGPIPE == 13 && SIGALRM == 14 && SIGTERM == 15 && \
	 SIGURG == 16 && SIGSTOP == 17 && SIGTSTP == 18 && SIGCONT == 19 && SIGCHLD == 20 && \
	 SIGTTIN == 21 && SIGTTOU == 22 && SIGWINCH == 28 && SIGUSR1 == 30 && SIGUSR2 == 31)
/* si_code values (Linux's): sent by kill/raise, by the kernel, a fault's cause, a child's change. */
#define CALF_SI_USER 0
#define CALF_SI_KERNEL 0x80
#define CALF_SEGV_MAPERR 1 /* no mapping at si_addr */
#define CALF_SEGV_ACCERR 2 /* the mapping forbids the access */
#define CALF_BUS_ADRALN 1
#define CALF_ILL_ILLOPC 1
#define CALF_FPE_INTDIV 1
#define CALF_CLD_EXITED 1
#define CALF_CLD_KILLED 2
#define CALF_CLD_STOPPED 5
#define CALF_CLD_CONTINUED 6
/* waitpid: report a stopped child's continue, with status CALF_W_CONTINUED (Linux's). */
#define CALF_WCONTINUED 8
#define CALF_W_CONTINUED 0xffff

/* The i386 software-interrupt vector of a system call (the IDT gate is DPL 3). */
#define CALF_I386_SYSCALL_VECTOR 0x80

/*
 * clone() flags (values as in Linux): clone(flags, stack, tls, child_tid).
 * CLONE_VM alone makes a task that shares the address space but is a
 * process of its own (its own pid, handlers, waitable by its parent);
 * CLONE_VM | CLONE_THREAD makes a POSIX thread: same process id (getpid),
 * shared signal handlers, not waitable, ended with the rest of its process.
 */
/*
 * Thread groups (kernel/task.c): a thread's exit (CALF_SYS_exit) ends only
 * it; exit_group ends them all. The parent reaps the process once its last
 * thread has ended, with exit_group's status if one ran (the first one's),
 * else the leader's own exit status (Linux's rule), even when another
 * thread ended last. Any thread reaps the children any thread forked;
 * waitpid on a thread's id gives ECHILD. fork from a thread copies only
 * that thread (the child's pid is its process id).
 *
 * The thread pointer (CALF_SYS_set_tls, CLONE_SETTLS; inherited by clone
 * and fork otherwise, 0 after exec): armv7 user code reads it with
 * `mrc p15, 0, rX, c13, c0, 3` (TPIDRURO, read-only at PL0); i386 user
 * code addresses the thread block through %gs, whose base the kernel sets
 * to it, and reads the pointer itself with `movl %gs:0, %eax`: so the user
 * library keeps a pointer to the block itself at offset 0 of every thread
 * block, on both arches.
 */
#define CALF_CLONE_VM 0x00000100            /* share the address space */
#define CALF_CLONE_THREAD 0x00010000        /* a thread of the caller's process; needs CLONE_VM */
#define CALF_CLONE_SETTLS 0x00080000        /* the child's thread pointer is the tls argument */
#define CALF_CLONE_CHILD_CLEARTID 0x00200000 /* at its exit: *child_tid = 0, futex wake (join) */

/*
 * CALF_SYS_futex operations on a 32-bit word at a user address:
 *   WAIT (uaddr, val, *abs): block while *uaddr == val, until a WAKE, the
 *     CLOCK_MONOTONIC deadline *abs (struct calf_timespec, 0: none) or a
 *     signal: 0, -EAGAIN (the word differed), -ETIMEDOUT or -EINTR.
 *   WAKE (uaddr, n): wake up to n waiters, the most urgent first -> count woken.
 *   LOCK_PI (uaddr, 0, *abs): the word holds the owner's thread id (0: free,
 *     CALF_FUTEX_WAITERS or'ed in while someone waits in the kernel); take
 *     it or block, lending the caller's priority to the owner (and on down
 *     the chain), until the owner hands it over (the word then holds the
 *     caller's id), the CLOCK_MONOTONIC deadline or a signal. 0, -EDEADLK
 *     (the caller owns it, or the owner waits for the caller), -ESRCH (the
 *     word names no live thread of the caller's process: an owner that
 *     ended holding it uncontended), -ETIMEDOUT, -EINTR (a handler without
 *     SA_RESTART; with SA_RESTART the call restarts), -ENOMEM.
 *   UNLOCK_PI (uaddr): the owner hands the word to its most urgent waiter
 *     (its id, | WAITERS if others still wait) or clears it. 0 or -EPERM
 *     (the word does not hold the caller's id).
 *   A thread that ends (or execs) holding a PI word with waiters hands it
 *     to the most urgent one with CALF_FUTEX_OWNER_DIED set; the next
 *     UNLOCK_PI clears the flag.
 * The user library tries the uncontended cases with an atomic
 * compare-and-swap (0 -> id to lock, id -> 0 to unlock) and calls the
 * kernel only to block or hand over.
 * Keys are (address space, address): futexes are private to the threads
 * of a process. Every op gives -EFAULT for an unaligned or non-user
 * address (the PI ops also for a word not in writable memory), -EINVAL for
 * a bad timespec; an unknown op is -ENOSYS. A WAIT a WAKE chose returns 0
 * even if it also timed out or was interrupted.
 */
#define CALF_FUTEX_WAIT 0
#define CALF_FUTEX_WAKE 1
#define CALF_FUTEX_LOCK_PI 6
#define CALF_FUTEX_UNLOCK_PI 7
#define CALF_FUTEX_WAITERS 0x80000000u
#define CALF_FUTEX_OWNER_DIED 0x40000000u /* its owner ended holding it (Linux's value) */

/*
 * CALF_SYS_kbench operations. COPY_PAGE and ZERO_PAGE run one of the
 * kernel's page routines `iterations` times (1 to CALF_KBENCH_MAX_ITERATIONS)
 * on two frames of its own. HOLD_SPACE holds the caller's address-space
 * mutex for `iterations` microseconds (1 to CALF_KBENCH_MAX_HOLD_US),
 * spinning in preemptible kernel code: a load for the latency benchmark and
 * the priority-inheritance test.
 */
#define CALF_KBENCH_COPY_PAGE 1 /* pmap_copy_page(src, dst) */
#define CALF_KBENCH_ZERO_PAGE 2 /* pmap_zero_page(dst) */
#define CALF_KBENCH_HOLD_SPACE 3
#define CALF_KBENCH_MAX_ITERATIONS 64
#define CALF_KBENCH_MAX_HOLD_US 1000000

/*
 * Clocks and the absolute-time flag of the time calls: newlib's values
 * (<time.h>; its arm-none-eabi and i686-elf builds leave CLOCK_MONOTONIC
 * out, apps/include/time.h adds it). Both clocks count nanoseconds since
 * boot: there is no real-time clock to start CLOCK_REALTIME from.
 */
#define CALF_CLOCK_REALTIME 1
#define CALF_CLOCK_MONOTONIC 4
#define CALF_TIMER_ABSTIME 4

/* Scheduling priorities: 0 is the most urgent. */
#define CALF_PRIO_MAX 0
#define CALF_PRIO_MIN 31
#define CALF_PRIO_DEFAULT 16
/*
 * Scheduling policies, CALF_SYS_setprio's third argument: keep the task's
 * own; round robin among equals (SCHED_RR, SCHED_OTHER: the default); no
 * turns among equals (SCHED_FIFO). Fork and clone inherit the policy.
 */
#define CALF_SCHED_KEEP 0
#define CALF_SCHED_RR 1
#define CALF_SCHED_FIFO 2

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * What CALF_SYS_meminfo fills in: the frame table, fault counters and commit
 * accounting. Commit: each address space is charged, ahead of use, for every
 * frame it could come to hold (one for its top-level page table, one per
 * page of its writable regions: data, bss, heap, stack, and one page table
 * per 4 MiB its regions touch); a forked child is charged what its parent
 * is, brk charges growth and releases shrinking. Frames taken outside any
 * charge (text loaded at exec, kernel buffers) are counted as uncharged.
 * With strict commit (commit_strict = 1) the kernel keeps
 * committed + uncharged <= total, refusing fork, brk and exec with ENOMEM
 * instead, so no page fault can run out of memory; in the default
 * overcommit mode the count is kept, not enforced (committed may exceed
 * total), and a fault that finds no frame kills its task with SIGKILL.
 */
struct calf_meminfo {
	uint32_t page_size;
	uint32_t total;      /* frames the kernel manages */
	uint32_t free;
	uint32_t used;
	uint32_t shared;     /* frames with two or more holders: page tables mapping them, and
				page tables shared by two or more spaces after fork */
	uint32_t cow_copies; /* COW faults that copied a frame */
	uint32_t cow_reuses; /* COW faults that reused a frame only one space mapped */
	uint32_t zero_fills; /* pages filled with zeroes on first touch */
	uint32_t table_copies; /* first faults in a shared page table that copied it */
	uint32_t table_reuses; /* first faults in a table the other sharers had left */
	uint32_t committed;  /* frames charged to the live address spaces (above) */
	uint32_t uncharged;  /* frames in use that no charge covers */
	uint32_t commit_strict; /* 1: strict commit enforced; 0: overcommit, counted only */
};

/*
 * A time as the time calls read and write it: newlib's struct timespec
 * (64-bit time_t, 32-bit long), laid out by the same compiler rules, so
 * apps pass their own struct timespec (the user library checks the match).
 */
struct calf_timespec {
	int64_t tv_sec;
	int32_t tv_nsec; /* 0 to 999,999,999 */
};

/* One directory entry of CALF_SYS_getdents: fixed size records. */
struct calf_dirent {
	uint32_t ino;
	uint8_t type; /* CALF_DT_* */
	char name[CALF_NAME_MAX + 1];
};

/*
 * CALF_SYS_sigaction's record: handler is CALF_SIG_DFL, CALF_SIG_IGN or a
 * function; restorer is where a handler returns to (a CALF_SYS_sigreturn
 * call: the library's trampoline).
 */
struct calf_sigaction {
	uint32_t handler;
	uint32_t mask;
	uint32_t flags;
	uint32_t restorer;
};

/* What a SA_SIGINFO handler's second argument points at (siginfo_t's layout). */
struct calf_siginfo {
	int32_t signo;
	int32_t code;   /* CALF_SI_* or the signal's own code */
	int32_t err;    /* si_errno: always 0 */
	int32_t pid;    /* the sender (kill) or the child (SIGCHLD) */
	int32_t uid;    /* always 0: one user */
	uint32_t addr;  /* SIGSEGV/SIGBUS: the faulting data address; SIGILL/SIGFPE: the pc */
	int32_t status; /* SIGCHLD: the exit code or the signal */
	uint32_t value;
};

/*
 * What a handler's third argument points at, inside its frame on the user
 * stack: the mask to restore and the interrupted registers, which
 * CALF_SYS_sigreturn puts back (a handler may change them: the kernel
 * validates them first). regs[], per arch:
 *   armv7: r0-r12, sp, lr, pc, cpsr (CALF_UC_*)
 *   i386:  eax, ebx, ecx, edx, esi, edi, ebp, esp, eip, eflags, then the
 *          FPU state (FXSAVE's 512 bytes, or FNSAVE's 108 without SSE)
 */
#if defined(__arm__)
#define CALF_UC_NREGS 17
#define CALF_UC_SP 13
#define CALF_UC_PC 15
#define CALF_UC_FLAGS 16
#else
#define CALF_UC_NREGS 10
#define CALF_UC_SP 7
#define CALF_UC_PC 8
#define CALF_UC_FLAGS 9
#endif
struct calf_ucontext {
	uint32_t mask;
	uint32_t regs[CALF_UC_NREGS];
#if !defined(__arm__)
	uint32_t fpu_fxsr; /* 1: fpu holds an FXSAVE image; 0: FNSAVE's */
	uint8_t fpu[512] __attribute__((aligned(16)));
#endif
};

/* One task, as CALF_SYS_taskinfo reports it (ps). */
struct calf_taskinfo {
	int32_t pid, ppid, pgid;
	uint8_t state;      /* 'R' running or ready, 'S' sleeping, 'Z' zombie */
	uint8_t prio;       /* effective, with what waiters lend: 0 most urgent .. 31 */
	uint8_t base_prio;  /* its own */
	uint8_t pad;
	uint32_t resident;  /* pages mapped in its address space */
	uint32_t shared;    /* of those, pages shared copy-on-write since a fork (vm_space_usage) */
	char cmdline[64];   /* argv joined by spaces, cut to fit, NUL-terminated */
	uint32_t faults;    /* page faults taken in its address space since exec or fork (mm) */
};

/* CALF_SYS_mmap's argument: mmap(addr, len, prot, flags, fd, offset). */
struct calf_mmap_args {
	uint32_t addr;   /* a hint, or the place with CALF_MAP_FIXED */
	uint32_t len;
	uint32_t prot;   /* CALF_PROT_* */
	uint32_t flags;  /* CALF_MAP_* */
	int32_t fd;      /* -1: only anonymous memory is mapped */
	uint32_t offset; /* 0 */
};

#endif /* __ASSEMBLER__ */

#endif
