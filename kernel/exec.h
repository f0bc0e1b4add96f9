/*
 * exec.h - the apps packed into the kernel image and the ELF loader that
 * starts them in a fresh address space.
 */
#ifndef CALF_KERNEL_EXEC_H
#define CALF_KERNEL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mm/vm.h>

struct app_image {
	const char *name;
	const uint8_t *start, *end; /* the app's ELF file */
};

/* The app named name, or NULL. */
const struct app_image *app_find(const char *name);

/* The name of the app to start first, chosen at build time (CALF_INIT). */
extern const char calf_init_name[];

/*
 * Whether this image enforces strict commit accounting (mm/frame.h), chosen
 * when it is linked: CALF_COMMIT, or the test image's own choice.
 */
extern const bool calf_commit_strict;

/* Where a loaded app starts. */
struct exec_entry {
	vaddr_t pc;   /* bit 0 set: Thumb */
	vaddr_t sp;
	uintptr_t argc;
	vaddr_t argv;
};

/*
 * Load app into the empty space vs: one region per PT_LOAD segment with its
 * own permissions, an empty heap from the next page-table boundary after the
 * last one, a stack at the top of
 * user space holding argv = { name, NULL }. Returns 0, -ENOEXEC for a file
 * that is not a valid ELF for this CPU, or -ENOMEM.
 */
int exec_load(struct vmspace *vs, const struct app_image *app, struct exec_entry *entry);

#endif
