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
#define CALF_SYS_setprio 13 /* (pid or 0, priority 0 highest .. 31 lowest) -> old priority */
#define CALF_SYS_clock 14   /* (*uint64_t) <- monotonic nanoseconds since boot */
#define CALF_SYS_kbench 15  /* (op, iterations, *uint64_t) <- ns a bare kernel routine took */
#define CALF_SYS_clock_gettime 16   /* (clock, *struct calf_timespec) */
#define CALF_SYS_clock_getres 17    /* (clock, *struct calf_timespec or 0) */
#define CALF_SYS_clock_nanosleep 18 /* (clock, flags, *req, *rem or 0) -> 0 or -EINTR (rem
				       written then, for a relative sleep) */
#define CALF_SYS_COUNT 19

/* The i386 software-interrupt vector of a system call (the IDT gate is DPL 3). */
#define CALF_I386_SYSCALL_VECTOR 0x80

/* clone() flags (values as in Linux). */
#define CALF_CLONE_VM 0x00000100 /* share the address space: a thread */

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

#endif /* __ASSEMBLER__ */

#endif
