/*
 * kbench.h - the kernel's bare page routines, timed for user space
 * (CALF_SYS_kbench; the operations are in include/calf/abi.h).
 */
#ifndef CALF_KERNEL_KBENCH_H
#define CALF_KERNEL_KBENCH_H

#include <stdint.h>

#include <mm/pmap.h> /* vaddr_t */

/*
 * Run operation op iterations times on two frames taken for the purpose
 * and freed after, and copy the nanoseconds it took (board_clock_ns) to
 * the current task's ns_uva. Returns 0, -EINVAL (unknown op, iterations
 * outside 1..CALF_KBENCH_MAX_ITERATIONS), -ENOMEM (no two free frames) or
 * -EFAULT (ns_uva not writable).
 */
int32_t kbench_run(uint32_t op, uint32_t iterations, vaddr_t ns_uva);

#endif
