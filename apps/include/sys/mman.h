/*
 * sys/mman.h - memory maps for Calf apps (newlib has none): POSIX mmap,
 * munmap, mprotect, msync, mlock, munlock, mlockall, munlockall,
 * posix_madvise and Linux's madvise, for anonymous memory only (no file is
 * mapped: a map without MAP_ANONYMOUS fails with ENODEV, or EBADF for a
 * negative fd). Values are Linux's, from <calf/abi.h>. The kernel's rules
 * and limits are in docs/design.md, "Memory maps".
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>

#include <calf/abi.h>

#define PROT_NONE CALF_PROT_NONE
#define PROT_READ CALF_PROT_READ
#define PROT_WRITE CALF_PROT_WRITE
#define PROT_EXEC CALF_PROT_EXEC

#define MAP_SHARED CALF_MAP_SHARED
#define MAP_PRIVATE CALF_MAP_PRIVATE
#define MAP_FIXED CALF_MAP_FIXED
#define MAP_ANONYMOUS CALF_MAP_ANONYMOUS
#define MAP_ANON MAP_ANONYMOUS
#define MAP_NORESERVE CALF_MAP_NORESERVE
#define MAP_POPULATE CALF_MAP_POPULATE
#define MAP_FAILED ((void *)-1)

#define MS_ASYNC CALF_MS_ASYNC
#define MS_INVALIDATE CALF_MS_INVALIDATE
#define MS_SYNC CALF_MS_SYNC

#define MCL_CURRENT CALF_MCL_CURRENT
#define MCL_FUTURE CALF_MCL_FUTURE

#define MADV_NORMAL CALF_MADV_NORMAL
#define MADV_RANDOM CALF_MADV_RANDOM
#define MADV_SEQUENTIAL CALF_MADV_SEQUENTIAL
#define MADV_WILLNEED CALF_MADV_WILLNEED
#define MADV_DONTNEED CALF_MADV_DONTNEED
#define POSIX_MADV_NORMAL MADV_NORMAL
#define POSIX_MADV_RANDOM MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED MADV_WILLNEED
#define POSIX_MADV_DONTNEED MADV_DONTNEED

/* Map len bytes; returns the address or MAP_FAILED with errno. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);
/* MADV_DONTNEED drops a private map's pages (zeroes on the next touch); the rest only check. */
int madvise(void *addr, size_t len, int advice);
/* POSIX: like madvise, but returns the error number instead of setting errno. */
int posix_madvise(void *addr, size_t len, int advice);

#endif
