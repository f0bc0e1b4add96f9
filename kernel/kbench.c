/*
 * kbench.c - time pmap_copy_page and pmap_zero_page without a fault around
 * them, so a benchmark can tell the routine from the fault path.
 */
#include "kbench.h"

#include <errno.h>

#include <calf/abi.h>
#include <mm/frame.h>
#include "board.h"
#include "task.h"

/*
 * Hold the caller's space mutex for us microseconds, spinning with
 * interrupts on: the kernel may be preempted here, and a more urgent thread
 * of the same space that needs the mutex lends this one its priority.
 */
static int32_t kbench_hold_space(uint32_t us, vaddr_t ns_uva)
{
	if (us < 1 || us > CALF_KBENCH_MAX_HOLD_US)
		return -EINVAL;
	struct vmspace *vs = current->vs;
	uint64_t t0 = board_clock_ns();
	mm_mutex_lock(&vs->lock);
	while (board_clock_ns() - t0 < (uint64_t)us * 1000u)
		;
	mm_mutex_unlock(&vs->lock);
	uint64_t ns = board_clock_ns() - t0;
	return vm_copyout(vs, ns_uva, &ns, sizeof(ns));
}

int32_t kbench_run(uint32_t op, uint32_t iterations, vaddr_t ns_uva)
{
	if (op == CALF_KBENCH_HOLD_SPACE)
		return kbench_hold_space(iterations, ns_uva);
	if (op != CALF_KBENCH_COPY_PAGE && op != CALF_KBENCH_ZERO_PAGE)
		return -EINVAL;
	if (iterations < 1 || iterations > CALF_KBENCH_MAX_ITERATIONS)
		return -EINVAL;
	paddr_t src, dst;
	/* No space is charged for these: uncharged, so strict commit keeps them off promised frames. */
	if (frame_alloc_uncharged(&src, false) != 0)
		return -ENOMEM;
	if (frame_alloc_uncharged(&dst, false) != 0) {
		frame_unref(src);
		return -ENOMEM;
	}
	uint64_t t0 = board_clock_ns();
	for (uint32_t i = 0; i < iterations; i++) {
		if (op == CALF_KBENCH_COPY_PAGE)
			pmap_copy_page(src, dst);
		else
			pmap_zero_page(dst);
	}
	uint64_t ns = board_clock_ns() - t0;
	frame_unref(dst);
	frame_unref(src);
	return vm_copyout(current->vs, ns_uva, &ns, sizeof(ns));
}
