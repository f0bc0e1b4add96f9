/*
 * exec.h - starting programs: the apps packed into the kernel image (they
 * are /bin), the staging of a program's arguments and environment in
 * kernel memory, the ELF loader that lays it out in a fresh address space,
 * and execve, which replaces a task's program.
 *
 * The staging and the loader (exec_load.c) depend on mm/ alone, so the
 * host tests run them over the software pmap (tests/host/test_exec.c);
 * execve itself (exec.c) is the task's side.
 */
#ifndef CALF_KERNEL_EXEC_H
#define CALF_KERNEL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <calf/abi.h>
#include <calf/config.h>
#include <mm/vm.h>

struct app_image {
	const char *name;
	const uint8_t *start, *end; /* the app's file (an ELF executable, or any packed file) */
};

/* The app named name, or NULL. */
const struct app_image *app_find(const char *name);

/* The name of the app to start first, chosen at build time (CALF_INIT). */
extern const char calf_init_name[];

/*
 * Its argv, NULL-terminated: { CALF_INIT, CALF_INIT_ARGS..., NULL }, from
 * the image's generated init file (cmake/calf.cmake).
 */
extern const char *const calf_init_argv[];

/* The first task's environment: PATH=/bin, HOME=/. */
extern const char *const exec_init_envp[];

/*
 * Whether this image enforces strict commit accounting (mm/frame.h), chosen
 * when it is linked: CALF_COMMIT, or the test image's own choice.
 */
extern const bool calf_commit_strict;

/*
 * PT_LOAD segments an image may have: ENOEXEC beyond. Far below
 * VM_REGION_MAX, so a program always has room for its memory maps.
 */
#define EXEC_SEGMENTS_MAX 6u

/* Bytes of every user stack, at the top of user space. */
#define EXEC_STACK_SIZE ((unsigned)CALF_CONFIG_USER_STACK_KB * 1024u)

/* Frames the staged strings may take: they never exceed CALF_ARG_MAX bytes. */
#define EXEC_ARG_PAGES ((CALF_ARG_MAX + PAGE_SIZE - 1) / PAGE_SIZE)

/*
 * A program's argv and envp strings, staged back to back (argv's first,
 * each with its NUL) in frames of the frame table taken as they fill,
 * uncharged: kernel memory no space's commit covers, and so, under strict
 * commit, refused (-ENOMEM) when every free frame is promised. cost counts
 * what CALF_ARG_MAX bounds: the strings plus a pointer each.
 */
struct exec_args {
	paddr_t page[EXEC_ARG_PAGES];
	uint32_t npages;
	uint32_t bytes; /* of strings, NULs included */
	uint32_t argc, envc;
	uint32_t cost;
};

/* Start empty staging. */
void exec_args_init(struct exec_args *a);

/*
 * Stage the kernel string s as the next argument (env false) or
 * environment string (env true; every argument comes first). Returns 0,
 * -E2BIG past CALF_ARG_MAX, -ENOMEM without a frame, or -EINVAL for an
 * argument after an environment string.
 */
int exec_args_add(struct exec_args *a, const char *s, bool env);

/*
 * Stage the NULL-terminated vectors of user strings argv and envp (either
 * may be 0: an empty list, as Linux takes it) from vs, preemptibly.
 * Returns 0, -EFAULT for any pointer or string vs cannot read, -E2BIG past
 * CALF_ARG_MAX, or -ENOMEM; on an error a holds what was staged so far,
 * for exec_args_free.
 */
int exec_args_copyin(struct exec_args *a, struct vmspace *vs, vaddr_t argv, vaddr_t envp);

/* Give back the staging frames. */
void exec_args_free(struct exec_args *a);

/* The arguments joined by spaces into buf (size > 0 bytes), cut to fit and NUL-terminated. */
void exec_args_cmdline(const struct exec_args *a, char *buf, size_t size);

/* Where a loaded program starts: the registers and stack its crt0 expects. */
struct exec_entry {
	vaddr_t pc; /* bit 0 set: Thumb */
	vaddr_t sp; /* at argc, 16-byte aligned */
	uintptr_t argc;
	vaddr_t argv, envp;
};

/*
 * Load the ELF file [file, file + size) for the CPU machine (ELF e_machine)
 * into the empty space vs: one region per PT_LOAD segment with its own
 * permissions, executable segments made visible to instruction fetches
 * (vm_sync_icache), an empty heap from the next page-table boundary after
 * the last one, and a stack of EXEC_STACK_SIZE at the top of user space
 * holding, from the top down, the strings of args, envp[] with its NULL,
 * argv[] with its NULL and argc (the System V layout). Returns 0, -ENOEXEC
 * for a file that is not a valid executable for machine, or -ENOMEM; vs
 * then holds what was built so far, for the caller to release.
 */
int exec_load(struct vmspace *vs, const uint8_t *file, size_t size, uint16_t machine,
	      const struct exec_args *args, struct exec_entry *entry);

/*
 * A new address space running the app name with argv and envp (kernel
 * strings, NULL-terminated), for a new task: *vs, *entry and its command
 * line (argv joined, cut to cmdline_size) are set. 0, -ENOENT, -E2BIG,
 * -ENOEXEC or -ENOMEM, with nothing left behind.
 */
int exec_start(const char *name, const char *const argv[], const char *const envp[],
	       struct vmspace **vs, struct exec_entry *entry, char *cmdline, size_t cmdline_size);

#endif
