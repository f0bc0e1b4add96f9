/*
 * exec.c - running programs: execve and the rest of the exec family
 * (execv, execvp, execvpe, execl, execle, execlp), posix_spawn and
 * posix_spawnp with their file actions and attributes, and system().
 *
 * Programs are files: the apps packed into the image are /bin/NAME. The
 * p-variants search PATH (default "/bin") as POSIX says: a name with a '/'
 * is used as it is; otherwise each PATH entry is tried in turn (an empty
 * one is the working directory), going on past ENOENT, ENOTDIR and EACCES
 * and stopping at any other error; EACCES is reported if any entry gave
 * it, ENOENT otherwise. A file that is not an executable for this CPU
 * fails with ENOEXEC: it is not retried as a shell script.
 *
 * The calls the spawned child makes before its exec (setpgid, sigaction,
 * open, dup2, fcntl, close) go to the kernel directly, not through the
 * library's wrappers: the child then touches none of the state (stdio
 * buffers, errno) it shares a copy of with the parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calf.h"

/* Where execvp looks when PATH is not set. */
#define EXEC_DEFAULT_PATH "/bin"

/* The exit status of a spawned child whose setup or exec failed (POSIX: as by _exit(127)). */
#define SPAWN_FAILED 127

/* A raw kernel result: negative errno, or the value. */
static bool sys_failed(int32_t r)
{
	return r < 0 && r > -4096;
}

/* Map a raw kernel result to the POSIX convention. */
static int sys_result(int32_t r)
{
	if (sys_failed(r)) {
		errno = -r;
		return -1;
	}
	return r;
}

int _execve(const char *path, char *const argv[], char *const envp[])
{
	return sys_result(
		calf_syscall(CALF_SYS_execve, (uint32_t)path, (uint32_t)argv, (uint32_t)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Try path as one PATH candidate: only returns, with what execvp must do next. */
static int exec_try(const char *path, char *const argv[], char *const envp[], bool *eacces)
{
	execve(path, argv, envp);
	switch (errno) {
	case EACCES:
		*eacces = true; /* and on: the next entry may hold an executable one */
		return 0;
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG: /* this entry joined with file is too long; a shorter one may do */
		return 0;
	default:
		return -1; /* E2BIG, EFAULT, ENOEXEC, ENOMEM...: final */
	}
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (!file || !*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, envp);
	size_t flen = strlen(file);
	if (flen > CALF_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	const char *search = getenv("PATH");
	if (!search)
		search = EXEC_DEFAULT_PATH;
	bool eacces = false;
	for (const char *p = search;; p++) {
		const char *end = p + strcspn(p, ":");
		size_t dlen = (size_t)(end - p);
		char path[CALF_PATH_MAX];
		if (dlen + 1 + flen < sizeof(path)) {
			memcpy(path, p, dlen);
			path[dlen] = '/';
			memcpy(path + dlen + 1, file, flen + 1);
			/* An empty entry is the working directory: "/file" would be the root instead. */
			if (exec_try(dlen ? path : path + 1, argv, envp, &eacces) < 0)
				return -1;
		}
		if (!*end)
			break;
		p = end;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* How many arguments an execl call has after arg0, up to its NULL; -1 when too many to pass. */
static long execl_count(va_list ap)
{
	long n = 0;
	/* Every argument costs at least 5 bytes of CALF_ARG_MAX: past that the kernel says E2BIG. */
	while (va_arg(ap, char *) != NULL)
		if (++n > CALF_ARG_MAX / 5) {
			errno = E2BIG;
			return -1;
		}
	return n;
}

/* The execl family's common body: which call, and whether envp follows the NULL. */
enum execl_kind { EXECL_PATH, EXECL_ENV, EXECL_SEARCH };

static int execl_common(enum execl_kind kind, const char *path, const char *arg0, va_list ap)
{
	va_list count;
	va_copy(count, ap);
	long n = arg0 ? execl_count(count) : 0;
	va_end(count);
	if (n < 0)
		return -1;
	/* Read ap here, not in a callee: a va_list passed on is a copy on some ABIs (AAPCS). */
	char *argv[n + 2];
	argv[0] = (char *)arg0;
	for (long i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	argv[n + 1] = NULL;
	if (kind == EXECL_ENV) {
		if (arg0)
			(void)va_arg(ap, char *); /* the NULL after the arguments */
		char *const *envp = va_arg(ap, char *const *);
		return execve(path, argv, envp);
	}
	return kind == EXECL_SEARCH ? execvp(path, argv) : execv(path, argv);
}

int execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(EXECL_PATH, path, arg0, ap);
	va_end(ap);
	return r;
}

int execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(EXECL_ENV, path, arg0, ap);
	va_end(ap);
	return r;
}

int execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	va_start(ap, arg0);
	int r = execl_common(EXECL_SEARCH, file, arg0, ap);
	va_end(ap);
	return r;
}

/* posix_spawn: the attributes and file actions behind newlib's opaque pointers. */
struct __posix_spawnattr {
	short flags;
	pid_t pgroup;
	sigset_t sigdefault;
};

/* The flags Calf carries out (no ids to reset, no signal masks, its own priorities). */
#define SPAWN_FLAGS_KNOWN (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF)

enum spawn_op { SPAWN_OPEN, SPAWN_CLOSE, SPAWN_DUP2 };

struct spawn_action {
	enum spawn_op op;
	int fd, newfd; /* OPEN: the descriptor to open as; DUP2: fd onto newfd */
	int oflag;
	mode_t mode;
	char *path; /* OPEN: a copy of the caller's */
};

struct __posix_spawn_file_actions {
	int n, cap;
	struct spawn_action *a;
};

int posix_spawnattr_init(posix_spawnattr_t *attr)
{
	*attr = calloc(1, sizeof(**attr));
	return *attr ? 0 : ENOMEM;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
	free(*attr);
	*attr = NULL;
	return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	if (flags & ~SPAWN_FLAGS_KNOWN)
		return EINVAL;
	(*attr)->flags = flags;
	return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr, short *__restrict flags)
{
	*flags = (*attr)->flags;
	return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
	(*attr)->pgroup = pgroup;
	return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict attr, pid_t *__restrict pgroup)
{
	*pgroup = (*attr)->pgroup;
	return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr,
				  const sigset_t *__restrict set)
{
	(*attr)->sigdefault = *set;
	return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict attr,
				  sigset_t *__restrict set)
{
	*set = (*attr)->sigdefault;
	return 0;
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	*fa = calloc(1, sizeof(**fa));
	return *fa ? 0 : ENOMEM;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	if (*fa) {
		for (int i = 0; i < (*fa)->n; i++)
			free((*fa)->a[i].path);
		free((*fa)->a);
		free(*fa);
	}
	*fa = NULL;
	return 0;
}

/* Append act to fa, growing it. 0, ENOMEM, or EBADF for a descriptor outside the table. */
static int spawn_action_add(posix_spawn_file_actions_t *fa, struct spawn_action act)
{
	if (act.fd < 0 || act.fd >= CALF_OPEN_MAX || act.newfd < 0 || act.newfd >= CALF_OPEN_MAX)
		return EBADF;
	struct __posix_spawn_file_actions *f = *fa;
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 4;
		struct spawn_action *a = realloc(f->a, (size_t)cap * sizeof(*a));
		if (!a)
			return ENOMEM;
		f->a = a;
		f->cap = cap;
	}
	f->a[f->n++] = act;
	return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd,
				     const char *__restrict path, int oflag, mode_t mode)
{
	char *copy = strdup(path);
	if (!copy)
		return ENOMEM;
	struct spawn_action act = { SPAWN_OPEN, fd, 0, oflag, mode, copy };
	int err = spawn_action_add(fa, act);
	if (err)
		free(copy);
	return err;
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	return spawn_action_add(fa, (struct spawn_action){ SPAWN_CLOSE, fd, 0, 0, 0, NULL });
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	return spawn_action_add(fa, (struct spawn_action){ SPAWN_DUP2, fd, newfd, 0, 0, NULL });
}

/* Carry out one file action in the child: 0 or a raw kernel error. */
static int32_t spawn_action_run(const struct spawn_action *act)
{
	int32_t r;
	switch (act->op) {
	case SPAWN_OPEN:
		r = calf_syscall(CALF_SYS_open, (uint32_t)act->path, (uint32_t)act->oflag, act->mode);
		if (sys_failed(r) || r == act->fd)
			return sys_failed(r) ? r : 0;
		int32_t moved = calf_syscall(CALF_SYS_dup2, (uint32_t)r, (uint32_t)act->fd, 0);
		calf_syscall(CALF_SYS_close, (uint32_t)r, 0, 0);
		return sys_failed(moved) ? moved : 0;
	case SPAWN_CLOSE:
		r = calf_syscall(CALF_SYS_close, (uint32_t)act->fd, 0, 0);
		return r == -EBADF ? 0 : r; /* closing a closed descriptor is no error here (POSIX 2024) */
	default:
		if (act->fd != act->newfd)
			return calf_syscall(CALF_SYS_dup2, (uint32_t)act->fd, (uint32_t)act->newfd, 0);
		/* dup2 onto itself keeps the descriptor open across the exec (POSIX 2024). */
		r = calf_syscall(CALF_SYS_fcntl, (uint32_t)act->fd, F_GETFD, 0);
		if (sys_failed(r))
			return r;
		return calf_syscall(CALF_SYS_fcntl, (uint32_t)act->fd, F_SETFD, (uint32_t)r & ~FD_CLOEXEC);
	}
}

/* The attributes' part of the child's setup: 0 or a raw kernel error. */
static int32_t spawn_attr_run(const struct __posix_spawnattr *attr)
{
	if (attr->flags & POSIX_SPAWN_SETPGROUP) {
		int32_t r = calf_syscall(CALF_SYS_setpgid, 0, (uint32_t)attr->pgroup, 0);
		if (sys_failed(r))
			return r;
	}
	if (attr->flags & POSIX_SPAWN_SETSIGDEF) {
		struct calf_sigaction dfl = { .handler = CALF_SIG_DFL };
		for (int sig = 1; sig < NSIG; sig++) {
			if (sigismember(&attr->sigdefault, sig) != 1)
				continue;
			int32_t r = calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, (uint32_t)&dfl, 0);
			if (sys_failed(r))
				return r;
		}
	}
	return 0;
}

/* The child of posix_spawn: set up, exec, or end with SPAWN_FAILED. */
static _Noreturn void spawn_child(const char *path, const posix_spawn_file_actions_t *fa,
				  const posix_spawnattr_t *attr, char *const argv[],
				  char *const envp[], bool search)
{
	int32_t r = attr && *attr ? spawn_attr_run(*attr) : 0;
	for (int i = 0; fa && *fa && i < (*fa)->n && !sys_failed(r); i++)
		r = spawn_action_run(&(*fa)->a[i]);
	if (!sys_failed(r)) {
		if (search)
			execvpe(path, argv, envp);
		else
			execve(path, argv, envp);
	}
	_exit(SPAWN_FAILED);
}

/* posix_spawn's body: fork, and the child sets up and execs. */
static int spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[], bool search)
{
	if (attr && *attr && ((*attr)->flags & ~SPAWN_FLAGS_KNOWN))
		return EINVAL;
	int saved = errno;
	pid_t child = fork();
	if (child < 0) {
		int err = errno;
		errno = saved;
		return err;
	}
	if (child == 0)
		spawn_child(path, fa, attr, argv, envp, search);
	if (pid)
		*pid = child;
	return 0;
}

int posix_spawn(pid_t *__restrict pid, const char *__restrict path,
		const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *__restrict attr,
		char *const argv[], char *const envp[])
{
	return spawn(pid, path, fa, attr, argv, envp, false);
}

int posix_spawnp(pid_t *__restrict pid, const char *__restrict file,
		 const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *__restrict attr,
		 char *const argv[], char *const envp[])
{
	return spawn(pid, file, fa, attr, argv, envp, true);
}

/* The shell system() runs commands with. */
#define SYSTEM_SHELL "/bin/sh"

/* True when the shell exists as a file. */
static bool system_shell_exists(void)
{
	struct stat st;
	return calf_syscall(CALF_SYS_stat, (uint32_t)SYSTEM_SHELL, (uint32_t)&st, 0) == 0;
}

/* Set sig's disposition to handler, saving the old one; false when the kernel cannot. */
static bool system_sigaction(int sig, uint32_t handler, struct calf_sigaction *old)
{
	struct calf_sigaction sa = { .handler = handler };
	return calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, (uint32_t)&sa, (uint32_t)old) == 0;
}

/*
 * POSIX system(): "/bin/sh -c command" in a child, the caller ignoring
 * SIGINT and SIGQUIT while it waits (the child gets the old dispositions
 * back). Returns the shell's wait status (127 as an exit status when it
 * could not be run), or -1 with errno when no child could be made; for a
 * NULL command, whether a shell exists. newlib's own system() returns -1
 * on this target; this one is in the user library, which the link
 * searches first.
 */
int system(const char *command)
{
	if (!command)
		return system_shell_exists();
	struct calf_sigaction old_int, old_quit;
	bool int_set = system_sigaction(SIGINT, CALF_SIG_IGN, &old_int);
	bool quit_set = system_sigaction(SIGQUIT, CALF_SIG_IGN, &old_quit);
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (int_set)
			calf_syscall(CALF_SYS_sigaction, SIGINT, (uint32_t)&old_int, 0);
		if (quit_set)
			calf_syscall(CALF_SYS_sigaction, SIGQUIT, (uint32_t)&old_quit, 0);
		char *const argv[] = { "sh", "-c", (char *)command, NULL };
		execve(SYSTEM_SHELL, argv, environ);
		_exit(SPAWN_FAILED);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	int err = errno;
	if (int_set)
		calf_syscall(CALF_SYS_sigaction, SIGINT, (uint32_t)&old_int, 0);
	if (quit_set)
		calf_syscall(CALF_SYS_sigaction, SIGQUIT, (uint32_t)&old_quit, 0);
	errno = err;
	return status;
}
