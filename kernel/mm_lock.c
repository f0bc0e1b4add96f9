/*
 * mm_lock.c - the mm locks of mm/pmap.h on target: one CPU, so holding a
 * lock means interrupts off; the held flag catches a nested take, which
 * would deadlock the day there is a second CPU.
 */
#include <mm/pmap.h>
#include "arch.h"

void mm_lock_acquire(struct mm_lock *lk)
{
	uint32_t saved = arch_irq_save();
	if (lk->held)
		mm_panic("mm lock taken twice");
	lk->held = 1;
	lk->saved = saved;
}

void mm_lock_release(struct mm_lock *lk)
{
	if (!lk->held)
		mm_panic("mm lock released while free");
	uint32_t saved = lk->saved;
	lk->held = 0;
	arch_irq_restore(saved);
}
