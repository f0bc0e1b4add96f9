/*
 * kbench.h - the kernel's bare page routines, timed for user space
 * (CALF_SYS_kbench; the operations are in include/calf/abi.h).
 */
#ifndef CALF_KERNEL_KBENCH_H
#define CALF_KERNEL_KBENCH_H

#include <stdint.h>

#include <mm/pmap.h> /* vaddr_t */

/*
 * Run operation op and copy the nanoseconds it took (board_clock_ns) to the
 * current task's ns_uva. A page routine runs iterations times on two frames
 * taken for the purpose and freed after; HOLD_SPACE holds the task's space
 * mutex for iterations microseconds. Returns 0, -EINVAL (unknown op,
 * iterations out of the op's range), -ENOMEM (no two free frames) or
 * -EFAULT (ns_uva not writable).
 */
int32_t kbench_run(uint32_t op, uint32_t iterations, vaddr_t ns_uva);

#endif
