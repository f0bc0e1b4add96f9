/*
 * mman.c - the memory-map system calls: argument checks and the errno each
 * bad argument gets (POSIX.1-2017, <sys/mman.h> functions; Linux where POSIX
 * leaves a choice), over mm/'s vm_map, vm_unmap, vm_protect, vm_lock ...
 * (mm/vm.h, "Memory maps"). Only anonymous memory is mapped: Calf maps no
 * files, so a file mapping gets ENODEV.
 */
#include <errno.h>
#include <stdbool.h>

#include <calf/abi.h>
#include <mm/vm.h>
#include "syscall.h"
#include "task.h"

#define ARG(i) arch_tf_arg(tf, i)

#define PROT_KNOWN (CALF_PROT_READ | CALF_PROT_WRITE | CALF_PROT_EXEC)
#define MAP_KNOWN                                                                          \
	(CALF_MAP_SHARED | CALF_MAP_PRIVATE | CALF_MAP_FIXED | CALF_MAP_ANONYMOUS |            \
	 CALF_MAP_NORESERVE | CALF_MAP_POPULATE)

_Static_assert(CALF_PROT_READ == VM_PROT_READ && CALF_PROT_WRITE == VM_PROT_WRITE &&
		       CALF_PROT_EXEC == VM_PROT_EXEC,
	       "user prot bits are mm's");

/*
 * Round len up to pages into *out. False when it wraps: the range cannot
 * exist in the address space.
 */
static bool mman_len(uint32_t len, vaddr_t *out)
{
	*out = page_round((vaddr_t)len);
	return *out >= len;
}

/* mmap's flags as mm/ takes them. */
static unsigned mman_vm_flags(uint32_t flags)
{
	unsigned f = 0;
	f |= (flags & CALF_MAP_SHARED) ? VM_MAP_SHARED : 0;
	f |= (flags & CALF_MAP_FIXED) ? VM_MAP_FIXED : 0;
	f |= (flags & CALF_MAP_NORESERVE) ? VM_MAP_NORESERVE : 0;
	f |= (flags & CALF_MAP_POPULATE) ? VM_MAP_POPULATE : 0;
	return f;
}

/*
 * Check mmap's record: 0 or the errno POSIX names. EINVAL: len 0, unknown
 * prot or flags, not exactly one of MAP_SHARED and MAP_PRIVATE, MAP_FIXED
 * at an unaligned address, an anonymous map with an fd other than -1 or an
 * offset; EBADF: a file map with a negative fd; ENODEV: any file map (no
 * file type supports mmap here).
 */
static int mman_check(const struct calf_mmap_args *a)
{
	uint32_t kind = a->flags & (CALF_MAP_SHARED | CALF_MAP_PRIVATE);
	if (a->len == 0 || (a->prot & ~(uint32_t)PROT_KNOWN) || (a->flags & ~(uint32_t)MAP_KNOWN) ||
	    kind == 0 || kind == (CALF_MAP_SHARED | CALF_MAP_PRIVATE))
		return -EINVAL;
	if ((a->flags & CALF_MAP_FIXED) && (a->addr & PAGE_MASK))
		return -EINVAL;
	if (!(a->flags & CALF_MAP_ANONYMOUS))
		return a->fd < 0 ? -EBADF : -ENODEV;
	if (a->fd != -1 || a->offset != 0)
		return -EINVAL;
	return 0;
}

int32_t sys_mmap(const struct trapframe *tf)
{
	struct calf_mmap_args a;
	if (vm_copyin(current->vs, &a, ARG(0), sizeof(a)))
		return -EFAULT;
	int err = mman_check(&a);
	vaddr_t len;
	if (err)
		return err;
	if (!mman_len(a.len, &len))
		return -ENOMEM;
	/* A hint that is no page address is no hint. */
	vaddr_t addr = (a.addr & PAGE_MASK) ? 0 : a.addr;
	err = vm_map(current->vs, &addr, len, (vm_prot_t)a.prot, mman_vm_flags(a.flags));
	return err ? err : (int32_t)addr; /* user space ends below 2 GiB: never negative */
}

int32_t sys_munmap(const struct trapframe *tf)
{
	vaddr_t len;
	/* POSIX munmap: EINVAL for an unaligned address, a zero length, a range outside the space. */
	if ((ARG(0) & PAGE_MASK) || ARG(1) == 0 || !mman_len(ARG(1), &len))
		return -EINVAL;
	return vm_unmap(current->vs, ARG(0), len);
}

int32_t sys_mprotect(const struct trapframe *tf)
{
	vaddr_t len;
	if ((ARG(0) & PAGE_MASK) || (ARG(2) & ~(uint32_t)PROT_KNOWN))
		return -EINVAL;
	if (!mman_len(ARG(1), &len))
		return -ENOMEM; /* POSIX: addresses invalid for the address space */
	return len ? vm_protect(current->vs, ARG(0), len, (vm_prot_t)ARG(2)) : 0;
}

int32_t sys_msync(const struct trapframe *tf)
{
	uint32_t flags = ARG(2);
	vaddr_t len;
	/* POSIX msync: EINVAL for unknown flags, MS_ASYNC with MS_SYNC, an unaligned address. */
	if ((ARG(0) & PAGE_MASK) || (flags & ~(uint32_t)(CALF_MS_ASYNC | CALF_MS_SYNC | CALF_MS_INVALIDATE)) ||
	    (flags & (CALF_MS_ASYNC | CALF_MS_SYNC)) == (CALF_MS_ASYNC | CALF_MS_SYNC))
		return -EINVAL;
	if (!mman_len(ARG(1), &len))
		return -ENOMEM;
	/* Anonymous memory has no backing store to write: checking the range is all. */
	return len ? vm_range_mapped(current->vs, ARG(0), len) : 0;
}

/* mlock (lock) or munlock: POSIX lets an implementation require a page-aligned address (EINVAL). */
static int32_t mman_lock(const struct trapframe *tf, bool lock)
{
	vaddr_t len;
	if (ARG(0) & PAGE_MASK)
		return -EINVAL;
	if (!mman_len(ARG(1), &len))
		return -ENOMEM;
	return len ? vm_lock(current->vs, ARG(0), len, lock) : 0;
}

int32_t sys_mlock(const struct trapframe *tf)
{
	return mman_lock(tf, true);
}

int32_t sys_munlock(const struct trapframe *tf)
{
	return mman_lock(tf, false);
}

int32_t sys_mlockall(const struct trapframe *tf)
{
	uint32_t flags = ARG(0);
	/* POSIX mlockall: EINVAL for flags 0 or with bits other than MCL_CURRENT and MCL_FUTURE. */
	if (flags == 0 || (flags & ~(uint32_t)(CALF_MCL_CURRENT | CALF_MCL_FUTURE)))
		return -EINVAL;
	unsigned f = 0;
	f |= (flags & CALF_MCL_CURRENT) ? VM_LOCK_CURRENT : 0;
	f |= (flags & CALF_MCL_FUTURE) ? VM_LOCK_FUTURE : 0;
	return vm_lock_all(current->vs, f);
}

int32_t sys_munlockall(const struct trapframe *tf)
{
	(void)tf;
	vm_unlock_all(current->vs);
	return 0;
}

int32_t sys_madvise(const struct trapframe *tf)
{
	uint32_t advice = ARG(2);
	vaddr_t len;
	/* POSIX posix_madvise: EINVAL for an unknown advice; Linux madvise: for an unaligned address. */
	if ((ARG(0) & PAGE_MASK) || advice > CALF_MADV_DONTNEED)
		return -EINVAL;
	if (!mman_len(ARG(1), &len))
		return -ENOMEM;
	if (len == 0)
		return 0;
	/* The other advice is about paging in from a backing store: only the range is checked. */
	if (advice != CALF_MADV_DONTNEED)
		return vm_range_mapped(current->vs, ARG(0), len);
	return vm_dontneed(current->vs, ARG(0), len);
}
