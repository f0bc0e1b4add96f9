/*
 * enosys.c - what Calf does not provide yet: each function here fails at
 * run time with ENOSYS (a pointer result is NULL, a void one does nothing
 * but set errno), so a program that calls one links, and learns at run
 * time, instead of a link error pointing into newlib's sources. Generated
 * from what tests/posix/posix-missing.sh listed (ctest posix.B.missing fails
 * when anything new is missing); README.md's POSIX table summarizes it.
 *
 * The definitions carry no parameters and are not checked against the
 * headers' prototypes: the callers' arguments are ignored, and on both
 * arches an int, long or pointer comes back in the same register whatever
 * the declared type. Apps' LTO never sees this file (calf_user is not an
 * LTO library), so no mismatch is reported. Each is weak: a real
 * definition anywhere replaces it.
 */
#include <errno.h>
#include <stddef.h>

#define ENOSYS_INT(name)                                                     \
	long name(void) __attribute__((weak));                               \
	long name(void)                                                      \
	{                                                                    \
		errno = ENOSYS;                                              \
		return -1;                                                   \
	}
#define ENOSYS_PTR(name)                                                     \
	void *name(void) __attribute__((weak));                              \
	void *name(void)                                                     \
	{                                                                    \
		errno = ENOSYS;                                              \
		return NULL;                                                 \
	}
#define ENOSYS_VOID(name)                                                    \
	void name(void) __attribute__((weak));                               \
	void name(void)                                                      \
	{                                                                    \
		errno = ENOSYS;                                              \
	}
#define ENOSYS_LONG_LONG(name)                                               \
	long long name(void) __attribute__((weak));                          \
	long long name(void)                                                 \
	{                                                                    \
		errno = ENOSYS;                                              \
		return -1;                                                   \
	}
/* pthread_* and posix_* calls return the error number itself. */
#define ENOSYS_ERRNUM(name)                                                  \
	int name(void) __attribute__((weak));                                \
	int name(void)                                                       \
	{                                                                    \
		return ENOSYS;                                               \
	}

/* <dirent.h> */
ENOSYS_INT(alphasort)
ENOSYS_INT(fdclosedir)
ENOSYS_INT(readdir_r)
ENOSYS_INT(scandir)
ENOSYS_VOID(seekdir)
ENOSYS_INT(telldir)

/* <fnmatch.h> */
ENOSYS_INT(fnmatch)

/* <glob.h> */
ENOSYS_INT(glob)
ENOSYS_VOID(globfree)

/* <grp.h> */
ENOSYS_VOID(endgrent)
ENOSYS_PTR(getgrent)
ENOSYS_PTR(getgrgid)
ENOSYS_INT(getgrgid_r)
ENOSYS_PTR(getgrnam)
ENOSYS_INT(getgrnam_r)
ENOSYS_INT(initgroups)
ENOSYS_VOID(setgrent)

/* <libgen.h> */
ENOSYS_PTR(__xpg_basename)

/*
 * Hooks newlib calls: _link (from link()), _times (times() and clock()),
 * regcomp, regexec and regfree (rpmatch()).
 */
ENOSYS_INT(_link)
ENOSYS_INT(_times)
ENOSYS_INT(regcomp)
ENOSYS_INT(regexec)
ENOSYS_INT(regfree)

/* <pwd.h> */
ENOSYS_VOID(endpwent)
ENOSYS_PTR(getpwent)
ENOSYS_PTR(getpwnam)
ENOSYS_INT(getpwnam_r)
ENOSYS_PTR(getpwuid)
ENOSYS_INT(getpwuid_r)
ENOSYS_INT(setpassent)
ENOSYS_VOID(setpwent)

/* <stdio.h> */
ENOSYS_PTR(ctermid)
ENOSYS_INT(pclose)
ENOSYS_PTR(popen)
ENOSYS_INT(renameat)

/* <stdlib.h> */
ENOSYS_PTR(initstate)
ENOSYS_PTR(realpath)
ENOSYS_PTR(setstate)

/* <sys/_default_fcntl.h> */
ENOSYS_INT(flock)
ENOSYS_INT(openat)

/* <sys/resource.h> */
ENOSYS_INT(getrusage)

/* <sys/select.h> */
ENOSYS_INT(pselect)
ENOSYS_INT(select)

/* <sys/stat.h> */
ENOSYS_INT(chmod)
ENOSYS_INT(fchmod)
ENOSYS_INT(fchmodat)
ENOSYS_INT(fstatat)
ENOSYS_INT(futimens)
ENOSYS_INT(mkdirat)
ENOSYS_INT(mkfifo)
ENOSYS_INT(mkfifoat)
ENOSYS_INT(mknodat)
ENOSYS_INT(utimensat)

/* <sys/time.h> */
ENOSYS_INT(adjtime)
ENOSYS_INT(futimes)
ENOSYS_INT(getitimer)
ENOSYS_INT(lutimes)
ENOSYS_INT(setitimer)
ENOSYS_INT(settimeofday)
ENOSYS_INT(utimes)

/* <sys/unistd.h> */
ENOSYS_INT(chown)
ENOSYS_INT(chroot)
ENOSYS_INT(confstr)
ENOSYS_INT(daemon)
ENOSYS_VOID(endusershell)
ENOSYS_INT(execlpe)
ENOSYS_INT(faccessat)
ENOSYS_INT(fchdir)
ENOSYS_INT(fchown)
ENOSYS_INT(fchownat)
ENOSYS_INT(fexecve)
ENOSYS_INT(fpathconf)
ENOSYS_INT(getdomainname)
ENOSYS_INT(getentropy)
ENOSYS_INT(getgroups)
ENOSYS_INT(gethostid)
ENOSYS_PTR(getlogin)
ENOSYS_PTR(getpass)
ENOSYS_INT(getpeereid)
ENOSYS_PTR(getusershell)
ENOSYS_PTR(getwd)
ENOSYS_INT(iruserok)
ENOSYS_INT(issetugid)
ENOSYS_INT(lchown)
ENOSYS_INT(linkat)
ENOSYS_INT(lockf)
ENOSYS_INT(nice)
ENOSYS_INT(pathconf)
ENOSYS_INT(pread)
ENOSYS_INT(pwrite)
ENOSYS_INT(readlink)
ENOSYS_INT(readlinkat)
ENOSYS_INT(revoke)
ENOSYS_INT(rresvport)
ENOSYS_INT(ruserok)
ENOSYS_INT(setdtablesize)
ENOSYS_INT(setgroups)
ENOSYS_INT(sethostname)
ENOSYS_INT(setregid)
ENOSYS_INT(setreuid)
ENOSYS_VOID(setusershell)
ENOSYS_INT(symlink)
ENOSYS_INT(symlinkat)
ENOSYS_PTR(ttyname)
ENOSYS_INT(ttyname_r)
ENOSYS_INT(unlinkat)
ENOSYS_INT(vfork)
ENOSYS_INT(vhangup)

/* <stdio.h>'s large-file calls, which pc's newlib (i686) declares and does not build. */
ENOSYS_PTR(fopen64)
ENOSYS_PTR(fdopen64)
ENOSYS_PTR(freopen64)
ENOSYS_PTR(tmpfile64)
ENOSYS_PTR(_fopen64_r)
ENOSYS_PTR(_fdopen64_r)
ENOSYS_PTR(_freopen64_r)
ENOSYS_PTR(_tmpfile64_r)
ENOSYS_INT(fgetpos64)
ENOSYS_INT(fsetpos64)
ENOSYS_INT(fseeko64)
ENOSYS_INT(_fgetpos64_r)
ENOSYS_INT(_fsetpos64_r)
ENOSYS_INT(_fseeko64_r)
ENOSYS_LONG_LONG(ftello64)
ENOSYS_LONG_LONG(_ftello64_r)

/*
 * newlib's wide-character case mapping asks for the Japanese code-page
 * conversions its build left out: with no table, a character maps to itself.
 */
unsigned int _jp2uc_l(unsigned int c, void *locale) __attribute__((weak));
unsigned int _jp2uc_l(unsigned int c, void *locale)
{
	(void)locale;
	return c;
}

unsigned int _uc2jp_l(unsigned int c, void *locale) __attribute__((weak));
unsigned int _uc2jp_l(unsigned int c, void *locale)
{
	(void)locale;
	return c;
}
