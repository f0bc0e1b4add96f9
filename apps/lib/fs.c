/*
 * fs.c - the file calls: newlib's reentrant wrappers reach _open, _close,
 * _lseek, _fstat, _stat, _unlink and _isatty here; the calls newlib lacks
 * for this target (mkdir, dup, fcntl, getcwd, ...) are defined whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

/* The kernel takes newlib's flag and mode values as they are. */
_Static_assert(O_CREAT == 0x200 && O_CLOEXEC == 0x40000 && FD_CLOEXEC == 1, "newlib's <fcntl.h>");

int _open(const char *path, int flags, int mode)
{
	return sys_result(calf_syscall(CALF_SYS_open, (uint32_t)path, (uint32_t)flags, (uint32_t)mode));
}

int creat(const char *path, mode_t mode)
{
	return _open(path, O_WRONLY | O_CREAT | O_TRUNC, (int)mode);
}

int _close(int fd)
{
	return sys_result(calf_syscall(CALF_SYS_close, (uint32_t)fd, 0, 0));
}

off_t _lseek(int fd, off_t off, int whence)
{
	return sys_result(calf_syscall(CALF_SYS_lseek, (uint32_t)fd, (uint32_t)off, (uint32_t)whence));
}

int _fstat(int fd, struct stat *st)
{
	return sys_result(calf_syscall(CALF_SYS_fstat, (uint32_t)fd, (uint32_t)st, 0));
}

int _stat(const char *path, struct stat *st)
{
	return sys_result(calf_syscall(CALF_SYS_stat, (uint32_t)path, (uint32_t)st, 0));
}

/* No symbolic links: lstat is stat. */
int lstat(const char *path, struct stat *st)
{
	return _stat(path, st);
}

int _isatty(int fd)
{
	uint32_t mode;
	if (sys_result(calf_syscall(CALF_SYS_ioctl, (uint32_t)fd, CALF_IOCTL_TTY_GETMODE,
				    (uint32_t)&mode)) < 0) {
		if (errno != EBADF)
			errno = ENOTTY; /* POSIX isatty() */
		return 0;
	}
	return 1;
}

int _unlink(const char *path)
{
	return sys_result(calf_syscall(CALF_SYS_unlink, (uint32_t)path, 0, 0));
}

/* newlib's rename() links and unlinks; the kernel renames in one step, replacing the target. */
int rename(const char *old, const char *new)
{
	return sys_result(calf_syscall(CALF_SYS_rename, (uint32_t)old, (uint32_t)new, 0));
}

int mkdir(const char *path, mode_t mode)
{
	return sys_result(calf_syscall(CALF_SYS_mkdir, (uint32_t)path, (uint32_t)mode, 0));
}

int rmdir(const char *path)
{
	return sys_result(calf_syscall(CALF_SYS_rmdir, (uint32_t)path, 0, 0));
}

int chdir(const char *path)
{
	return sys_result(calf_syscall(CALF_SYS_chdir, (uint32_t)path, 0, 0));
}

/* POSIX getcwd(); buf NULL is not supported (an extension): EINVAL. */
char *getcwd(char *buf, size_t size)
{
	if (!buf) {
		errno = EINVAL;
		return NULL;
	}
	if (sys_result(calf_syscall(CALF_SYS_getcwd, (uint32_t)buf, size, 0)) < 0)
		return NULL;
	return buf;
}

int dup(int fd)
{
	return sys_result(calf_syscall(CALF_SYS_dup, (uint32_t)fd, 0, 0));
}

int dup2(int fd, int newfd)
{
	return sys_result(calf_syscall(CALF_SYS_dup2, (uint32_t)fd, (uint32_t)newfd, 0));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	int arg = va_arg(ap, int); /* every command Calf knows takes an int or nothing */
	va_end(ap);
	return sys_result(calf_syscall(CALF_SYS_fcntl, (uint32_t)fd, (uint32_t)cmd, (uint32_t)arg));
}

int ftruncate(int fd, off_t len)
{
	return sys_result(calf_syscall(CALF_SYS_ftruncate, (uint32_t)fd, (uint32_t)len, 0));
}

int truncate(const char *path, off_t len)
{
	int fd = _open(path, O_WRONLY, 0);
	if (fd < 0)
		return -1;
	int r = ftruncate(fd, len);
	int saved = errno;
	_close(fd);
	errno = saved;
	return r;
}

int calf_taskinfo(int cursor, struct calf_taskinfo *ti)
{
	return sys_result(calf_syscall(CALF_SYS_taskinfo, (uint32_t)cursor, (uint32_t)ti, 0));
}

int calf_poweroff(int status)
{
	return sys_result(calf_syscall(CALF_SYS_poweroff, (uint32_t)status, 0, 0));
}
