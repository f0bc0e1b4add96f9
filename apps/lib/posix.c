/*
 * posix.c - the POSIX calls whose whole answer on Calf is simple: one user
 * and group (0), one CPU, a page size, limits from <calf/abi.h>, nothing
 * to flush, no permission bits; and the hooks newlib's reentrant wrappers
 * call (_fcntl, _mkdir). What Calf does not provide at all is in enosys.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>
#include <sys/stat.h>
#include <unistd.h>

#include <calf/abi.h>
#include <calf/config.h>

/* Every task runs as user and group 0: Calf has no users. */
uid_t getuid(void)
{
	return 0;
}

uid_t geteuid(void)
{
	return 0;
}

gid_t getgid(void)
{
	return 0;
}

gid_t getegid(void)
{
	return 0;
}

/* Becoming user or group 0 succeeds; any other id does not exist (POSIX: EPERM, nothing changed). */
static int id_set(unsigned id)
{
	if (id == 0)
		return 0;
	errno = EPERM;
	return -1;
}

int setuid(uid_t uid)
{
	return id_set(uid);
}

int seteuid(uid_t uid)
{
	return id_set(uid);
}

int setgid(gid_t gid)
{
	return id_set(gid);
}

int setegid(gid_t gid)
{
	return id_set(gid);
}

int getpagesize(void)
{
	return 4096;
}

int getdtablesize(void)
{
	return CALF_OPEN_MAX;
}

/* The limits Calf has; -1 with EINVAL for a name it does not know (POSIX sysconf()). */
long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_OPEN_MAX:
		return CALF_OPEN_MAX;
	case _SC_ARG_MAX:
		return CALF_ARG_MAX;
	case _SC_CHILD_MAX:
		return CALF_CONFIG_TASK_MAX; /* tasks of the whole system: there is no per-user limit */
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* The RAM filesystem keeps nothing back: a valid descriptor is already in sync. */
int fsync(int fd)
{
	struct stat st;
	return fstat(fd, &st);
}

int fdatasync(int fd)
{
	return fsync(fd);
}

void sync(void)
{
}

/* No permission bits are enforced; the mask is kept for whoever reads it back. */
mode_t umask(mode_t mask)
{
	static mode_t current = 022;
	mode_t old = current;
	current = mask & 0777;
	return old;
}

int gethostname(char *name, size_t len)
{
	static const char host[] = "calf";
	if (len < sizeof(host)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(name, host, sizeof(host));
	return 0;
}

/* POSIX posix_memalign(): EINVAL unless align is a power of two and a multiple of sizeof(void *). */
int posix_memalign(void **out, size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1)) != 0 || align % sizeof(void *) != 0)
		return EINVAL;
	void *p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/*
 * No permission bits are enforced: a file that exists may be read and
 * written, and executed when it is a program (a mode bit x) or a directory.
 * Weak: ARM's newlib has its own, which this replaces on every board alike.
 */
int access(const char *path, int mode) __attribute__((weak));
int access(const char *path, int mode)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if ((mode & X_OK) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

/* newlib's _fcntl_r and _mkdir_r call these. */
int _fcntl(int fd, int cmd, int arg)
{
	return fcntl(fd, cmd, arg);
}

int _mkdir(const char *path, mode_t mode)
{
	return mkdir(path, mode);
}

/* The FILE's own recursive lock, the one stdio takes (newlib's _flockfile). */
void flockfile(FILE *f)
{
	if (!(f->_flags & __SSTR))
		__lock_acquire_recursive(f->_lock);
}

int ftrylockfile(FILE *f)
{
	if (f->_flags & __SSTR)
		return 0;
	return __lock_try_acquire_recursive(f->_lock);
}

void funlockfile(FILE *f)
{
	if (!(f->_flags & __SSTR))
		__lock_release_recursive(f->_lock);
}

/* POSIX dirname(): "." for a name without a slash, "/" for the root; may write into path. */
char *dirname(char *path)
{
	static char dot[] = ".";
	if (!path || !*path)
		return dot;
	char *end = path + strlen(path) - 1;
	while (end > path && *end == '/')
		end--;
	while (end >= path && *end != '/')
		end--;
	if (end < path)
		return dot;
	while (end > path && *end == '/')
		end--;
	end[1] = '\0';
	return path;
}

/* POSIX basename() (libgen.h maps it here): the last component, trailing slashes dropped. */
char *__xpg_basename(char *path)
{
	static char dot[] = ".";
	if (!path || !*path)
		return dot;
	char *end = path + strlen(path) - 1;
	while (end > path && *end == '/')
		*end-- = '\0';
	char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}
