/*
 * main.c - kernel entry after the arch turned the MMU on: console, frame
 * table, interrupts and timer, then the first app; the boot thread becomes
 * the idle task.
 */
#include <mm/frame.h>
#include "arch.h"
#include "board.h"
#include "console.h"
#include "exec.h"
#include "printk.h"
#include "sched.h"
#include "selftest.h"
#include "task.h"
#include "timer.h"
#include "vfs.h"

extern char __kernel_end[];
static struct task idle_task = { .name = "idle" };

__attribute__((weak)) void kernel_selftest(void)
{
}

/* Hand every RAM frame after the kernel image to the frame table, in the image's commit mode. */
static void frames_init(void)
{
	paddr_t ram_base;
	size_t ram_size;
	board_ram_get(&ram_base, &ram_size);
	paddr_t ram_end = ram_base + ram_size;
	paddr_t free_start = page_round(pmap_kpa(__kernel_end));
	/* Each frame costs a page plus its record; the records go first. */
	uint32_t count = (uint32_t)((ram_end - free_start) / (PAGE_SIZE + sizeof(struct frame)));
	paddr_t frames_base = page_round(free_start + count * sizeof(struct frame));
	count = (uint32_t)((ram_end - frames_base) / PAGE_SIZE);
	frame_table_init(pmap_kva(free_start), frames_base, count);
	frame_commit_mode_set(calf_commit_strict ? FRAME_COMMIT_STRICT : FRAME_COMMIT_OVERCOMMIT);
	printk("RAM %zu MiB at %08" PRIxPADDR "; kernel %zu KiB; frame table: %" PRIu32
	       " frames of %u bytes at %08" PRIxPADDR "; commit: %s\n",
	       ram_size >> 20, ram_base, (size_t)(free_start - ram_base) >> 10, count, PAGE_SIZE,
	       frames_base, calf_commit_strict ? "strict" : "overcommit");
	printk("config: %d tasks, %u-byte kernel stacks, %u Hz tick, %d-tick slice, %u KiB user stack\n",
	       TASK_MAX, KSTACK_SIZE, SCHED_HZ, SCHED_SLICE, EXEC_STACK_SIZE / 1024u);
}

_Noreturn void kmain(void)
{
	board_console_init();
	printk("\nCalf on %s (%s)\n", BOARD_NAME, ARCH_NAME);
	arch_traps_init();
	frames_init();
	sched_init(&idle_task);
	board_irq_init();
	console_irq_start();
	timer_init();
	vfs_init();
	kernel_selftest();
	int pid;
	int err = task_spawn(calf_init_name, calf_init_argv, exec_init_envp, &pid);
	if (err)
		panic("cannot start init app '%s': error %d", calf_init_name, err);
	printk("calf: started '%s' as pid %d\n", calf_init_name, pid);
	sched_idle_loop();
}
