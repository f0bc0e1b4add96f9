/*
 * task.h - tasks: each has a kernel stack, a trap frame for its user state
 * and an address space, shared with its threads or copied on fork.
 */
#ifndef CALF_KERNEL_TASK_H
#define CALF_KERNEL_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include <calf/config.h>
#include <mm/vm.h>
#include "arch.h"
#include "file.h"
#include "signal.h"

#define TASK_MAX CALF_CONFIG_TASK_MAX /* tasks alive at once, zombies included */
#define TASK_PID_MAX 32767  /* pids run 1 (init) .. TASK_PID_MAX */
#define KSTACK_SIZE ((unsigned)CALF_CONFIG_KSTACK_SIZE)
#define TASK_NAME_MAX 16
#define KSTACK_CANARY 0xCA1FCA1Fu /* lowest word of every kernel stack */

enum task_state { TASK_UNUSED, TASK_READY, TASK_RUNNING, TASK_BLOCKED, TASK_ZOMBIE };

struct task {
	int pid;                /* its own id: the thread id (gettid) */
	int tgid;               /* its process's id (getpid): the pid of the process's first task */
	uint8_t state;          /* enum task_state */
	uint8_t prio;           /* effective: 0 most urgent .. 31; base_prio or a lent one */
	uint8_t base_prio;      /* as set by calf_setprio */
	bool interruptible;     /* a blocked task a signal may wake */
	int16_t slice;          /* ticks left in its round-robin turn */
	bool sched_fifo;        /* SCHED_FIFO: no turns among equals, it runs until it blocks or yields */
	struct task *parent;
	struct task *next;      /* link in its ready queue */
	struct vmspace *vs;     /* NULL for the idle task */
	struct arch_context *ctx;
	struct trapframe *tf;   /* user state, at the top of kstack */
	const void *chan;       /* what a blocked task waits for */
	struct mm_mutex *blocked_on; /* the mutex it waits for, if any */
	struct task *wait_next; /* link in that mutex's waiters */
	struct mm_mutex *held;  /* the mutexes it holds (their next_held links) */
	int wait_status;        /* a zombie's status in wait() encoding */
	/* The work due on the way back to user mode, read as one word there (kernel/trap.h). */
	union {
		struct {
			uint8_t pending_sig; /* nonzero: a signal is due (kernel/signal.c keeps it) */
			uint8_t sig_restart; /* the system call ended -ERESTARTSYS/-ERESTARTNOHAND: 1/2 */
		};
		uint16_t return_work;
	};
	int pgid;               /* process group: job control, Ctrl-C (kernel/tty.c) */
	bool execed;            /* has exec'd since its fork: its parent's setpgid gets EACCES */
	struct fdtable *files;  /* its process's descriptors and working directory (kernel/file.h) */
	char name[TASK_NAME_MAX];
	char cmdline[64];       /* argv joined by spaces, cut to fit: what ps shows */
	/* Threads: futex waits (kernel/futex.c). */
	struct task *futex_next;       /* link in its futex bucket, most urgent first */
	const struct vmspace *futex_vs; /* the key it waits on: space and user address */
	vaddr_t futex_uaddr;
	bool futex_queued;             /* in a bucket; a wake takes it out before readying it */
	bool futex_pi_exiting;         /* ending: no PI futex waiter may attach to it (futex_pi.c) */
	/* Threads: thread groups and the thread pointer (kernel/task.c). */
	struct task *leader;    /* its process's first task (tgid's); itself in a process of one */
	int nthreads;           /* in a leader: its group's tasks not yet ended, itself included */
	bool group_kill;        /* in a leader: every thread is being ended (exit_group, exec) */
	struct task *group_exec; /* in a leader: the thread whose exec ends the others, or NULL */
	bool group_exit;        /* in a leader: exit_group ran; group_status is the process's status */
	int group_status;
	uintptr_t tls;          /* thread pointer: the arch loads it at every switch (arch_tls_set) */
	vaddr_t clear_tid;      /* CLONE_CHILD_CLEARTID word: zeroed and woken at exit; 0: none */
	/* Sessions and job control (kernel/session.c). */
	int sid;                /* session: its leader's process id; inherited at fork */
	/* signals (kernel/signal.c); scheduler lock */
	struct sigproc *sigp;   /* actions, process pending set, stop state: shared by its threads */
	uint32_t sig_blocked;   /* this thread's mask */
	uint32_t sig_pending;   /* sent to this thread (faults), not yet delivered */
	uint32_t sig_saved_mask; /* sigsuspend's mask to put back once a handler frame is pushed */
	bool sig_mask_saved;    /* sig_saved_mask holds it */
	bool sig_stopped;       /* waits in a process stop */
	uint32_t sig_sc_nr;     /* the last system call's number and first argument, */
	uintptr_t sig_sc_arg0;  /* which ARM's result overwrites: a restart needs them */
	/* Last before the stack, left out of a claimed slot's clearing: only sig_pending's bits make an entry valid. */
	struct ksiginfo sig_info[32]; /* sig_pending's details, per signal */
	uint32_t kstack[KSTACK_SIZE / 4] __attribute__((aligned(8))); /* [0]: the canary */
};

/* The task running on this CPU. */
extern struct task *current;

/* Every task slot; the scheduler scans it for blocked tasks. */
extern struct task task_table[TASK_MAX];

/*
 * Start the app named name as a new task with argv and envp (kernel
 * strings, NULL-terminated); the first one becomes init. 0 or -errno.
 */
int task_spawn(const char *name, const char *const argv[], const char *const envp[], int *pid);

/*
 * Copy the current task: with CALF_CLONE_VM the child shares the address
 * space and starts on user stack (if non-zero); without it the space is
 * copied COW. CALF_CLONE_THREAD (with CLONE_VM) makes it a thread of the
 * caller's process; CALF_CLONE_SETTLS gives it thread pointer tls;
 * CALF_CLONE_CHILD_CLEARTID makes its exit clear and wake the word at
 * child_tid. tf is the parent's trap frame. Returns the child's id or -errno.
 */
int task_clone(unsigned flags, vaddr_t stack, uintptr_t tls, vaddr_t child_tid,
	       const struct trapframe *tf);

/*
 * End the current task (thread) with status in wait() encoding. The
 * process's parent reaps it once its last thread has ended, with the
 * status of exit_group if one ran, else the leader's own (Linux's rule).
 * Never returns.
 */
_Noreturn void task_exit(int status);

/*
 * End every thread of the current process, the caller last, with status
 * for its parent (the first exit_group's status wins). The others are
 * marked to die at their next return to user mode and their interruptible
 * waits are ended; each tears itself down preemptibly. Never returns.
 */
_Noreturn void task_exit_group(int status);

/*
 * exec's half of POSIX execve ("all threads other than the calling thread
 * are destroyed"), called once the new program is built and nothing can
 * fail any more: end every other thread of the current process and sleep
 * until they all have (only a SIGKILL ends the sleep); then, if the caller
 * is not the leader, it takes the process's identity (pid, parent, group,
 * session) and the old leader's slot and the caller's thread id are freed.
 * 0, or -EINTR when a SIGKILL, an exit_group or another thread's exec came
 * first: the caller then dies on its way back to user mode.
 */
int task_exec_threads_end(void);

/*
 * Reap a child (pid > 0: that one; otherwise any). Returns its pid with its
 * status copied to user address status_uva (if non-zero), 0 with WNOHANG
 * when none has ended, or -ECHILD/-ERESTARTSYS/-EFAULT (the child stays reapable).
 * With WUNTRACED/CALF_WCONTINUED it also reports a child's stop/continue once.
 */
int task_wait(int pid, vaddr_t status_uva, int options);

/*
 * kill(pid, sig) as POSIX has it: pid > 0 one task, 0 the caller's process
 * group, -1 every task but init and the caller, below -1 the group -pid.
 * Each signal goes to the target's process (kernel/signal.c). 0, -EINVAL
 * (bad sig) or -ESRCH (no task matched).
 */
int task_kill(int pid, int sig);

/* Send sig to every task of group pgid (interrupt handlers too). 0 or -ESRCH. Lock held. */
int task_kill_group_locked(int pgid, int sig);

/* True when some task (zombies included) is in group pgid. Lock held. */
bool task_group_exists_locked(int pgid);

/* Set the priority of pid (0: the caller). Returns the old one or -errno. */
int task_setprio(int pid, int prio, unsigned policy);

/* Panic if t's kernel stack ran over its lowest word (the idle task has none). */
void task_stack_check(const struct task *t);

/* The task with pid, or NULL. */
struct task *task_find(int pid);

/*
 * What kill(pid) signals: the task with pid or, when that is a zombie
 * leader whose threads still run, one of them (the process lives on in
 * them, and during an exec one of them is taking pid over). NULL if none.
 * Lock held; O(TASK_MAX).
 */
struct task *task_find_process(int pid);

#endif
