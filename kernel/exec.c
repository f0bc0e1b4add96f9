/*
 * exec.c - execve and the first task's program: find the program, stage
 * its arguments, build its address space completely, and only then switch
 * the task over. Everything before the switch can fail and leaves the
 * caller as it was; nothing after it can.
 */
#include "exec.h"

#include <errno.h>
#include <string.h>

#include "arch.h"
#include "binfs.h"
#include "file.h"
#include "futex.h"
#include "sched.h"
#include "signal.h"
#include "syscall.h"
#include "task.h"
#include "vfs.h"

extern const struct app_image calf_apps[];
extern const uint32_t calf_apps_count;

const char *const exec_init_envp[] = { "PATH=/bin", "HOME=/", NULL };

const struct app_image *app_find(const char *name)
{
	for (uint32_t i = 0; i < calf_apps_count; i++)
		if (strcmp(calf_apps[i].name, name) == 0)
			return &calf_apps[i];
	return NULL;
}

/* A new space running app with the staged args. 0 or exec_load()'s error, nothing left behind. */
static int exec_space_build(const struct app_image *app, const struct exec_args *a,
			    struct vmspace **out, struct exec_entry *entry)
{
	struct vmspace *vs;
	int err = vm_space_create(&vs);
	if (err)
		return err;
	err = exec_load(vs, app->start, (size_t)(app->end - app->start), ARCH_ELF_MACHINE, a, entry);
	if (err) {
		vm_space_release(vs); /* what was built goes, frames and charge */
		return err;
	}
	*out = vs;
	return 0;
}

/* Stage a NULL-terminated vector of kernel strings. */
static int exec_args_add_all(struct exec_args *a, const char *const v[], bool env)
{
	int err = 0;
	for (uint32_t i = 0; v && v[i] && !err; i++)
		err = exec_args_add(a, v[i], env);
	return err;
}

int exec_start(const char *name, const char *const argv[], const char *const envp[],
	       struct vmspace **vs, struct exec_entry *entry, char *cmdline, size_t cmdline_size)
{
	const struct app_image *app = app_find(name);
	if (!app)
		return -ENOENT;
	struct exec_args a;
	exec_args_init(&a);
	int err = exec_args_add_all(&a, argv, false);
	if (!err)
		err = exec_args_add_all(&a, envp, true);
	if (!err)
		err = exec_space_build(app, &a, vs, entry);
	if (!err)
		exec_args_cmdline(&a, cmdline, cmdline_size);
	exec_args_free(&a);
	return err;
}

/*
 * The packed app the kernel path names. 0, vfs_lookup()'s errors, or
 * -EACCES for anything else: a directory, a RAM-filesystem file, a device
 * (POSIX execve: "not an executable file type", no execute permission).
 */
static int exec_resolve(const char *path, const struct app_image **app)
{
	struct inode *ino;
	int err = vfs_lookup(path, &ino);
	if (err)
		return err;
	*app = binfs_image(ino); /* in the kernel image: valid without the inode */
	inode_put(ino);
	return *app ? 0 : -EACCES;
}

/* The last component of a resolved path to a file. */
static const char *exec_basename(const char *path)
{
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

/*
 * Make the current task run vs from entry: the point of no return. The
 * switch of space happens under the scheduler lock, since a context switch
 * between the two steps would activate whichever current->vs names; the
 * old space goes after, preemptibly (its threads have ended, but a CLONE_VM
 * process of its own may still use it).
 */
static void exec_commit(struct vmspace *vs, const struct exec_entry *entry, const char *path,
			const char *cmdline)
{
	struct task *t = current;
	struct vmspace *old = t->vs;
	uint32_t saved = sched_lock();
	t->vs = vs;
	pmap_activate(&vs->pmap);
	/* ps reads these under the lock: each is seen whole, old or new. */
	memset(t->name, 0, sizeof(t->name));
	strncpy(t->name, exec_basename(path), sizeof(t->name) - 1);
	memcpy(t->cmdline, cmdline, sizeof(t->cmdline));
	t->execed = true; /* its parent's setpgid now fails with EACCES (POSIX), read under the lock */
	/* The old program's thread pointer and CLEARTID word mean nothing in the new space. */
	t->tls = 0;
	arch_tls_set(0);
	t->clear_tid = 0;
	sched_unlock(saved);
	futex_pi_exec(t, old); /* its PI futexes in the old space go to their waiters */
	/* Its charge goes back once its frames have (mm/vm.c): strict commit needed both until now. */
	vm_space_release(old);
	fd_table_exec(t);
	signal_exec(t); /* POSIX exec: caught signals back to SIG_DFL; the mask and SIG_IGN stay */
	arch_user_state_reset();
	arch_tf_user_init(t->tf, entry->pc, entry->sp, entry->argc, entry->argv, entry->envp);
}

/*
 * (path, argv, envp): replace the caller's program. Returns the new argc,
 * which the dispatcher leaves in the first argument register as crt0
 * expects, or -errno with the caller untouched.
 */
int32_t sys_execve(const struct trapframe *tf)
{
	char path[CALF_PATH_MAX];
	const struct app_image *app = NULL;
	int err = vfs_path_copyin(arch_tf_arg(tf, 0), path);
	if (!err)
		err = exec_resolve(path, &app);
	if (err)
		return err;
	struct exec_args a;
	exec_args_init(&a);
	err = exec_args_copyin(&a, current->vs, arch_tf_arg(tf, 1), arch_tf_arg(tf, 2));
	struct vmspace *vs = NULL;
	struct exec_entry entry;
	if (!err)
		err = exec_space_build(app, &a, &vs, &entry);
	char cmdline[sizeof(current->cmdline)];
	if (!err)
		exec_args_cmdline(&a, cmdline, sizeof(cmdline));
	exec_args_free(&a);
	if (!err && current->pending_sig) {
		/* Killed meanwhile: it dies on its way out, in the space it has. */
		vm_space_release(vs);
		err = -EINTR;
	}
	/* Only now, with nothing left to fail, are the other threads ended. */
	if (!err && task_exec_threads_end() != 0) {
		vm_space_release(vs); /* killed meanwhile: it dies on its way out */
		err = -EINTR;
	}
	if (err)
		return err;
	exec_commit(vs, &entry, path, cmdline);
	return (int32_t)entry.argc;
}
