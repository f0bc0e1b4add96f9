/*
 * usercopy.c - kernel access to user memory.
 *
 * Every copy goes page by page through the direct map (pmap_kva), after the
 * page has been made accessible exactly as a user access would make it: a
 * copyout into a COW page breaks the COW first, so the kernel never writes
 * a frame another address space still shares.
 */
#include <errno.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/vm.h>

/* Bytes from va to the end of its page, at most len. */
static size_t chunk_len(vaddr_t va, size_t len)
{
	size_t room = PAGE_SIZE - (va & PAGE_MASK);
	return len < room ? len : room;
}

/* True when [va, va + len) does not wrap and stays below the user limit. */
static bool user_range_ok(vaddr_t va, size_t len)
{
	return va + len >= va && va + len <= PMAP_USER_END;
}

enum copy_dir { COPY_OUT, COPY_IN, COPY_LOAD };

/* Make va accessible for a copy in direction dir and find its frame. 0 or a vm_fault() error. */
static int user_page_locked(struct vmspace *vs, vaddr_t va, enum copy_dir dir, paddr_t *pa)
{
	mm_mutex_assert_held(&vs->lock);
	vm_prot_t prot;
	/* A page already readable is read in place, even through a shared table. */
	if (dir == COPY_IN && pmap_extract(&vs->pmap, page_trunc(va), pa, &prot) &&
	    (prot & VM_PROT_READ))
		return 0;
	/* A load reads the page in with the region's own prot, writable or not. */
	int err = vm_fault_resolve_locked(vs, va, dir == COPY_OUT ? VM_PROT_WRITE : VM_PROT_READ);
	if (err)
		return err;
	if (!pmap_extract(&vs->pmap, page_trunc(va), pa, NULL))
		mm_panic("usercopy: page vanished after it was resolved");
	return 0;
}

/* Move one chunk of at most a page between buf and the frame under va. */
static int user_chunk_locked(struct vmspace *vs, vaddr_t va, uint8_t *buf, size_t n,
			     enum copy_dir dir)
{
	mm_mutex_assert_held(&vs->lock);
	paddr_t pa;
	int err = user_page_locked(vs, va, dir, &pa);
	if (err)
		return err;
	uint8_t *kva = (uint8_t *)pmap_kva(pa) + (va & PAGE_MASK);
	if (dir == COPY_IN) {
		memcpy(buf, kva, n);
	} else {
		if (dir == COPY_LOAD && frame_refcount(pa) != 1)
			return -EBUSY; /* loading into a shared frame would change a sharer */
		memcpy(kva, buf, n);
	}
	return 0;
}

/* Copy len bytes between buf and user va in direction dir. */
static int user_copy(struct vmspace *vs, vaddr_t va, uint8_t *buf, size_t len, enum copy_dir dir)
{
	if (!user_range_ok(va, len))
		return -EFAULT;
	int err = 0;
	/*
	 * Preemptible page by page: the mutex keeps the space's other threads
	 * from changing a page under the copy, and a more urgent one that wants
	 * it lends us its priority until we are done.
	 */
	mm_mutex_lock(&vs->lock);
	while (len > 0 && err == 0) {
		size_t n = chunk_len(va, len);
		err = user_chunk_locked(vs, va, buf, n, dir);
		va += n;
		buf += n;
		len -= n;
	}
	mm_mutex_unlock(&vs->lock);
	if (err == -EACCES)
		err = -EFAULT; /* callers see one error for "not a writable user buffer" */
	return err;
}

int vm_copyout(struct vmspace *vs, vaddr_t dst, const void *src, size_t len)
{
	return user_copy(vs, dst, (uint8_t *)(uintptr_t)src, len, COPY_OUT);
}

int vm_copyin(struct vmspace *vs, void *dst, vaddr_t src, size_t len)
{
	return user_copy(vs, src, dst, len, COPY_IN);
}

int vm_load(struct vmspace *vs, vaddr_t dst, const void *src, size_t len)
{
	return user_copy(vs, dst, (uint8_t *)(uintptr_t)src, len, COPY_LOAD);
}

int vm_cmpxchg32(struct vmspace *vs, vaddr_t va, uint32_t old, uint32_t new, uint32_t *seen)
{
	if ((va & 3u) || !user_range_ok(va, sizeof(uint32_t)))
		return -EFAULT; /* aligned: the word is one access and never straddles a page */
	/*
	 * The page is made writable first, as a user store would make it (a COW
	 * page is broken, a demand-zero page filled), and the space's mutex
	 * keeps the space's other threads from remapping it until the store.
	 */
	mm_mutex_lock(&vs->lock);
	paddr_t pa;
	int err = user_page_locked(vs, va, COPY_OUT, &pa);
	if (!err) {
		volatile uint32_t *kva = (uint32_t *)((uint8_t *)pmap_kva(pa) + (va & PAGE_MASK));
		/*
		 * One atomic compare-and-swap (LDREX/STREX on ARMv7, LOCK CMPXCHG
		 * on i386): a user thread's own compare-and-swap on the word, on
		 * any CPU, sees all of it or none. No interrupt masking needed: a
		 * preempted user LDREX/STREX pair fails, the switch clears the
		 * monitor (ARM ARM A3.4.5).
		 */
		*seen = old;
		__atomic_compare_exchange_n(kva, seen, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
	mm_mutex_unlock(&vs->lock);
	return err == -EACCES ? -EFAULT : err;
}

int vm_sync_icache(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	if ((start | end) & PAGE_MASK || end < start || !user_range_ok(start, end - start))
		return -EINVAL;
	/* Preemptible page by page: the mutex keeps the space's other threads from remapping a page. */
	mm_mutex_lock(&vs->lock);
	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa;
		if (pmap_extract(&vs->pmap, va, &pa, NULL))
			pmap_sync_icache(pa, PAGE_SIZE);
	}
	mm_mutex_unlock(&vs->lock);
	return 0;
}
