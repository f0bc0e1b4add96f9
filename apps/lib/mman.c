/* mman.c - <sys/mman.h> over the kernel's memory-map calls (kernel/mman.c). */
#include <sys/mman.h>

#include "sys.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	/* An offset the record cannot hold is no page offset a map could have. */
	if (off < 0 || (uint64_t)off > UINT32_MAX) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	struct calf_mmap_args a = {
		.addr = (uint32_t)addr,
		.len = (uint32_t)len,
		.prot = (uint32_t)prot,
		.flags = (uint32_t)flags,
		.fd = fd,
		.offset = (uint32_t)off,
	};
	int32_t r = calf_syscall(CALF_SYS_mmap, (uint32_t)&a, 0, 0);
	return sys_result(r) == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t len)
{
	return sys_result(calf_syscall(CALF_SYS_munmap, (uint32_t)addr, (uint32_t)len, 0));
}

int mprotect(void *addr, size_t len, int prot)
{
	return sys_result(calf_syscall(CALF_SYS_mprotect, (uint32_t)addr, (uint32_t)len, (uint32_t)prot));
}

int msync(void *addr, size_t len, int flags)
{
	return sys_result(calf_syscall(CALF_SYS_msync, (uint32_t)addr, (uint32_t)len, (uint32_t)flags));
}

int mlock(const void *addr, size_t len)
{
	return sys_result(calf_syscall(CALF_SYS_mlock, (uint32_t)addr, (uint32_t)len, 0));
}

int munlock(const void *addr, size_t len)
{
	return sys_result(calf_syscall(CALF_SYS_munlock, (uint32_t)addr, (uint32_t)len, 0));
}

int mlockall(int flags)
{
	return sys_result(calf_syscall(CALF_SYS_mlockall, (uint32_t)flags, 0, 0));
}

int munlockall(void)
{
	return sys_result(calf_syscall(CALF_SYS_munlockall, 0, 0, 0));
}

int madvise(void *addr, size_t len, int advice)
{
	return sys_result(calf_syscall(CALF_SYS_madvise, (uint32_t)addr, (uint32_t)len, (uint32_t)advice));
}

int posix_madvise(void *addr, size_t len, int advice)
{
	int32_t r = calf_syscall(CALF_SYS_madvise, (uint32_t)addr, (uint32_t)len, (uint32_t)advice);
	return r < 0 ? -r : 0;
}
