/*
 * test_exec.c - the kernel's exec staging and ELF loader (kernel/exec_load.c
 * as it ships) over the software pmap: the I-cache contract (the loader
 * syncs every page of each executable segment and nothing else, a fault
 * that fills or copies a frame of a writable and executable region syncs
 * it), the stack a program starts on, argv and envp copied from a caller's
 * memory (EFAULT, E2BIG at exactly CALF_ARG_MAX), files that are no
 * program (ENOEXEC) and strict commit (ENOMEM), every frame back after.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/elf.h>
#include <kernel/exec.h>
#include <mm/frame.h>
#include <mm/vm.h>
#include "harness.h"
#include "swpmap.h"

#define MACHINE 40 /* any e_machine: the loader compares it with the caller's */
#define TEXT 0x00010000u
#define RODATA 0x00020000u
#define DATA 0x00030000u
#define RWX 0x00040000u
#define FILE_MAX (64 * 1024)
#define FRAMES 512u

/* One segment to build: where, how big, PF_ flags (X 1, W 2, R 4). */
struct seg {
	uint32_t vaddr, filesz, memsz, flags;
};


/* The byte a built file holds at offset off (so a load can be checked). */
static uint8_t pattern(uint32_t off)
{
	return (uint8_t)(off * 7 + 3);
}

/*
 * Build an ELF32 executable of the segments into file (FILE_MAX bytes):
 * header, program headers, then each segment's bytes on its own page
 * offset. Returns its size.
 */
static size_t elf_build(uint8_t *file, const struct seg *segs, int n, uint32_t entry)
{
	memset(file, 0, FILE_MAX);
	struct elf32_ehdr eh = { .type = 2, .machine = MACHINE, .version = 1, .entry = entry,
			   .phoff = sizeof(struct elf32_ehdr), .ehsize = sizeof(struct elf32_ehdr),
			   .phentsize = sizeof(struct elf32_phdr), .phnum = (uint16_t)n };
	memcpy(eh.ident, "\177ELF\1\1\1", 7);
	memcpy(file, &eh, sizeof(eh));
	uint32_t off = PAGE_SIZE;
	for (int i = 0; i < n; i++) {
		struct elf32_phdr ph = { .type = 1, .offset = off, .vaddr = segs[i].vaddr,
				   .filesz = segs[i].filesz, .memsz = segs[i].memsz,
				   .flags = segs[i].flags, .align = PAGE_SIZE };
		memcpy(file + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		for (uint32_t b = 0; b < segs[i].filesz && off + b < FILE_MAX; b++)
			file[off + b] = pattern(off + b);
		off += (segs[i].filesz + PAGE_MASK) & ~PAGE_MASK;
	}
	return off;
}

/* The four segments of a program: text, read-only data, data with bss, and one writable and executable. */
static const struct seg four[] = {
	{ TEXT, 2 * PAGE_SIZE + 100, 2 * PAGE_SIZE + 100, PF_R | PF_X },
	{ RODATA, 300, 300, PF_R },
	{ DATA, 100, 3 * PAGE_SIZE, PF_R | PF_W },
	{ RWX, PAGE_SIZE + 10, 3 * PAGE_SIZE, PF_R | PF_W | PF_X },
};

static struct frame_stats frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st;
}

static uint8_t peek(struct vmspace *vs, vaddr_t va)
{
	uint8_t v = 0xEE;
	CHECK_EQ(swpmap_user_read(vs, va, &v), 0);
	return v;
}

/* Stage argv then envp (NULL-terminated kernel strings). */
static int stage(struct exec_args *a, const char *const *argv, const char *const *envp)
{
	exec_args_init(a);
	int err = 0;
	for (int i = 0; argv && argv[i] && !err; i++)
		err = exec_args_add(a, argv[i], false);
	for (int i = 0; envp && envp[i] && !err; i++)
		err = exec_args_add(a, envp[i], true);
	return err;
}

/* How many logged syncs name the frame pa, whole. */
static int syncs_of(paddr_t pa)
{
	int n = 0;
	for (uint32_t i = 0; i < swpmap_syncs(); i++) {
		const struct swpmap_sync *s = swpmap_sync_get(i);
		if (s && s->pa == pa && s->len == PAGE_SIZE)
			n++;
	}
	return n;
}

static paddr_t frame_at(struct vmspace *vs, vaddr_t va)
{
	paddr_t pa = 0xFFFFFFFF;
	CHECK(pmap_extract(&vs->pmap, va, &pa, NULL));
	return pa;
}

TEST(loader_syncs_every_executable_page_and_nothing_else)
{
	swpmap_ram_init(FRAMES);
	static uint8_t file[FILE_MAX];
	size_t size = elf_build(file, four, 4, TEXT + 8);
	const char *argv[] = { "prog", NULL };
	struct exec_args a;
	CHECK_EQ(stage(&a, argv, NULL), 0);
	struct vmspace *vs;
	CHECK_EQ(vm_space_create(&vs), 0);
	struct exec_entry e;
	swpmap_syncs_reset();
	CHECK_EQ(exec_load(vs, file, size, MACHINE, &a, &e), 0);
	/* Text: 3 pages, each synced once the loader wrote it (its fill syncs nothing). */
	for (vaddr_t va = TEXT; va < TEXT + 3 * PAGE_SIZE; va += PAGE_SIZE)
		CHECK_EQ(syncs_of(frame_at(vs, va)), 1);
	/* RWX: the two pages the load wrote were filled (a sync each) and then synced by the loader. */
	for (vaddr_t va = RWX; va < RWX + 2 * PAGE_SIZE; va += PAGE_SIZE)
		CHECK_EQ(syncs_of(frame_at(vs, va)), 2);
	CHECK_EQ(swpmap_syncs(), 3 + 2 * 2);
	/* Nothing else: read-only data, data, the stack and its strings. */
	CHECK_EQ(syncs_of(frame_at(vs, RODATA)), 0);
	CHECK_EQ(syncs_of(frame_at(vs, DATA)), 0);
	CHECK_EQ(syncs_of(frame_at(vs, PMAP_USER_END - PAGE_SIZE)), 0);
	/* What was loaded is there; bss is zero. */
	CHECK_EQ(peek(vs, TEXT + 5), pattern(PAGE_SIZE + 5));
	CHECK_EQ(peek(vs, TEXT + 2 * PAGE_SIZE + 99), pattern(PAGE_SIZE + 2 * PAGE_SIZE + 99));
	CHECK_EQ(peek(vs, TEXT + 2 * PAGE_SIZE + 100), 0);
	CHECK_EQ(peek(vs, DATA + 100), 0);
	CHECK_EQ(e.pc, TEXT + 8);
	exec_args_free(&a);
	vm_space_release(vs);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

TEST(fills_and_copies_of_writable_executable_frames_are_synced)
{
	swpmap_ram_init(FRAMES);
	static uint8_t file[FILE_MAX];
	size_t size = elf_build(file, four, 4, TEXT);
	struct exec_args a;
	CHECK_EQ(stage(&a, NULL, NULL), 0);
	struct vmspace *vs, *child;
	CHECK_EQ(vm_space_create(&vs), 0);
	struct exec_entry e;
	CHECK_EQ(exec_load(vs, file, size, MACHINE, &a, &e), 0);
	swpmap_syncs_reset();
	/* A zero fill of the untouched third RWX page: synced; data and stack: not. */
	CHECK_EQ(peek(vs, RWX + 2 * PAGE_SIZE), 0);
	CHECK_EQ(syncs_of(frame_at(vs, RWX + 2 * PAGE_SIZE)), 1);
	CHECK_EQ(swpmap_user_write(vs, DATA + PAGE_SIZE, 1), 0);
	CHECK_EQ(swpmap_user_write(vs, PMAP_USER_END - 2 * PAGE_SIZE, 1), 0);
	CHECK_EQ(swpmap_syncs(), 1);
	/* After fork, a write to a shared RWX frame copies it: the copy is synced, the original kept. */
	CHECK_EQ(vm_space_clone(vs, &child), 0);
	paddr_t old = frame_at(vs, RWX);
	CHECK_EQ(swpmap_user_write(child, RWX, 0x42), 0);
	paddr_t copy = frame_at(child, RWX);
	CHECK(copy != old);
	CHECK_EQ(syncs_of(copy), 1);
	CHECK_EQ(syncs_of(old), 0);
	/* A write to a shared data frame copies it too, unsynced. */
	CHECK_EQ(swpmap_user_write(child, DATA, 3), 0);
	CHECK_EQ(syncs_of(frame_at(child, DATA)), 0);
	CHECK_EQ(swpmap_syncs(), 2);
	vm_space_release(child);
	vm_space_release(vs);
	exec_args_free(&a);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

/* Read a 32-bit word of the user stack. */
static uint32_t word(struct vmspace *vs, vaddr_t va)
{
	uint32_t w = 0xDEADBEEF;
	CHECK_EQ(vm_copyin(vs, &w, va, sizeof(w)), 0);
	return w;
}

/* True when the NUL-terminated user string at va is s. */
static bool user_string_is(struct vmspace *vs, vaddr_t va, const char *s)
{
	char buf[8192];
	size_t len = strlen(s) + 1;
	if (len > sizeof(buf) || vm_copyin(vs, buf, va, len) != 0)
		return false;
	return memcmp(buf, s, len) == 0;
}

TEST(stack_holds_argc_argv_envp_and_strings_system_v_style)
{
	swpmap_ram_init(FRAMES);
	static uint8_t file[FILE_MAX];
	size_t size = elf_build(file, four, 2, TEXT);
	/* Enough to spread over three staging frames, strings crossing their edges. */
	static char big[3][3001];
	for (int i = 0; i < 3; i++) {
		memset(big[i], 'p' + i, 3000);
		big[i][3000] = '\0';
	}
	const char *argv[] = { "prog", "", big[0], "x y", big[1], NULL };
	const char *envp[] = { "HOME=/", big[2], "PATH=/bin", NULL };
	struct exec_args a;
	CHECK_EQ(stage(&a, argv, envp), 0);
	CHECK_EQ(a.npages, 3);
	struct vmspace *vs;
	CHECK_EQ(vm_space_create(&vs), 0);
	struct exec_entry e;
	CHECK_EQ(exec_load(vs, file, size, MACHINE, &a, &e), 0);
	CHECK_EQ(e.sp % 16, 0);
	CHECK_EQ(e.argc, 5);
	CHECK_EQ(word(vs, e.sp), 5);
	CHECK_EQ(e.argv, e.sp + 4);
	CHECK_EQ(e.envp, e.argv + 6 * 4);
	for (int i = 0; i < 5; i++)
		CHECK(user_string_is(vs, word(vs, e.argv + 4 * i), argv[i]));
	CHECK_EQ(word(vs, e.argv + 5 * 4), 0);
	for (int j = 0; j < 3; j++)
		CHECK(user_string_is(vs, word(vs, e.envp + 4 * j), envp[j]));
	CHECK_EQ(word(vs, e.envp + 3 * 4), 0);
	/* The strings end at the top of user space, right above the vectors. */
	vaddr_t first = word(vs, e.argv);
	CHECK_EQ(first, PMAP_USER_END - a.bytes);
	CHECK(first - (e.envp + 4 * 4) < 16);
	char cmdline[64];
	exec_args_cmdline(&a, cmdline, sizeof(cmdline));
	CHECK_EQ(strlen(cmdline), 63);
	CHECK(strncmp(cmdline, "prog  ppp", 9) == 0);
	const char *small[] = { "a", "bc", NULL };
	struct exec_args b;
	CHECK_EQ(stage(&b, small, envp), 0);
	exec_args_cmdline(&b, cmdline, sizeof(cmdline));
	CHECK(strcmp(cmdline, "a bc") == 0);
	exec_args_free(&b);
	exec_args_free(&a);
	vm_space_release(vs);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

/* A caller's space with a writable region at DATA of pages pages, holding what the test writes. */
static struct vmspace *caller_new(uint32_t pages)
{
	struct vmspace *vs = NULL;
	CHECK_EQ(vm_space_create(&vs), 0);
	CHECK_EQ(vm_region_add(vs, DATA, pages * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	return vs;
}

/* Write the string s to user va; returns the address after its NUL. */
static vaddr_t put_string(struct vmspace *vs, vaddr_t va, const char *s)
{
	CHECK_EQ(vm_copyout(vs, va, s, strlen(s) + 1), 0);
	return va + strlen(s) + 1;
}

static void put_word(struct vmspace *vs, vaddr_t va, uint32_t w)
{
	CHECK_EQ(vm_copyout(vs, va, &w, sizeof(w)), 0);
}

TEST(copyin_stages_user_vectors)
{
	swpmap_ram_init(FRAMES);
	struct vmspace *vs = caller_new(4);
	/* argv = { "ls", "-l" } at DATA, envp = { "A=1" }, strings from DATA + 64. */
	vaddr_t s = DATA + 64, ls = s;
	s = put_string(vs, s, "ls");
	vaddr_t l = s;
	s = put_string(vs, s, "-l");
	vaddr_t env = s;
	put_string(vs, s, "A=1");
	put_word(vs, DATA, (uint32_t)ls);
	put_word(vs, DATA + 4, (uint32_t)l);
	put_word(vs, DATA + 8, 0);
	put_word(vs, DATA + 16, (uint32_t)env);
	put_word(vs, DATA + 20, 0);
	uint32_t before = frames().free;
	struct exec_args a;
	exec_args_init(&a);
	CHECK_EQ(exec_args_copyin(&a, vs, DATA, DATA + 16), 0);
	CHECK_EQ(a.argc, 2);
	CHECK_EQ(a.envc, 1);
	CHECK_EQ(a.bytes, 3 + 3 + 4);
	CHECK_EQ(a.cost, a.bytes + 3 * 4);
	CHECK_EQ(a.npages, 1);
	CHECK_EQ(frames().uncharged, 1); /* the staging frame is kernel memory: uncharged */
	char cmdline[16];
	exec_args_cmdline(&a, cmdline, sizeof(cmdline));
	CHECK(strcmp(cmdline, "ls -l") == 0);
	exec_args_free(&a);
	CHECK_EQ(frames().free, before);
	/* Empty lists: argv and envp may be 0. */
	exec_args_init(&a);
	CHECK_EQ(exec_args_copyin(&a, vs, 0, 0), 0);
	CHECK_EQ(a.argc + a.envc + a.npages, 0);
	vm_space_release(vs);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

/* exec_args_copyin(argv, envp) fails with err and gives every frame back. */
static void copyin_fails(struct vmspace *vs, vaddr_t argv, vaddr_t envp, int err)
{
	uint32_t before = frames().free;
	struct exec_args a;
	exec_args_init(&a);
	CHECK_EQ(exec_args_copyin(&a, vs, argv, envp), err);
	exec_args_free(&a);
	CHECK_EQ(frames().free, before);
}

TEST(copyin_refuses_bad_pointers_with_efault)
{
	swpmap_ram_init(FRAMES);
	struct vmspace *vs = caller_new(2);
	vaddr_t end = DATA + 2 * PAGE_SIZE;
	put_string(vs, DATA + 64, "ok");
	/* A vector outside every region, and one pointing outside. */
	copyin_fails(vs, 0x90000, 0, -EFAULT);
	put_word(vs, DATA, 0x90000);
	copyin_fails(vs, DATA, 0, -EFAULT);
	copyin_fails(vs, 0, DATA, -EFAULT);
	/* A string running into the region's end without a NUL. */
	char tail[8];
	memset(tail, 'z', sizeof(tail));
	CHECK_EQ(vm_copyout(vs, end - sizeof(tail), tail, sizeof(tail)), 0);
	put_word(vs, DATA, (uint32_t)(end - sizeof(tail)));
	put_word(vs, DATA + 4, 0);
	copyin_fails(vs, DATA, 0, -EFAULT);
	/* A vector running into the region's end without its NULL. */
	put_word(vs, end - 8, DATA + 64);
	put_word(vs, end - 4, DATA + 64);
	copyin_fails(vs, end - 8, 0, -EFAULT);
	/* A vector straddling a page edge is read whole. */
	put_word(vs, DATA + PAGE_SIZE - 2, DATA + 64);
	put_word(vs, DATA + PAGE_SIZE + 2, 0);
	struct exec_args a;
	exec_args_init(&a);
	CHECK_EQ(exec_args_copyin(&a, vs, DATA + PAGE_SIZE - 2, 0), 0);
	CHECK_EQ(a.argc, 1);
	exec_args_free(&a);
	vm_space_release(vs);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

TEST(copyin_takes_exactly_arg_max)
{
	swpmap_ram_init(FRAMES);
	struct vmspace *vs = caller_new(8);
	/* Two strings: A of a bytes and B, costing together exactly CALF_ARG_MAX (+ extra). */
	for (int extra = 0; extra <= 1; extra++) {
		uint32_t a_len = 9000, b_len = CALF_ARG_MAX - (a_len + 5) - 5 + (uint32_t)extra;
		static char s[CALF_ARG_MAX];
		memset(s, 'a', a_len);
		s[a_len] = '\0';
		vaddr_t sa = DATA + 64;
		vaddr_t sb = put_string(vs, sa, s);
		memset(s, 'b', b_len);
		s[b_len] = '\0';
		put_string(vs, sb, s);
		put_word(vs, DATA, (uint32_t)sa);
		put_word(vs, DATA + 4, (uint32_t)sb);
		put_word(vs, DATA + 8, 0);
		if (extra) {
			copyin_fails(vs, DATA, 0, -E2BIG);
			continue;
		}
		struct exec_args a;
		exec_args_init(&a);
		CHECK_EQ(exec_args_copyin(&a, vs, DATA, 0), 0);
		CHECK_EQ(a.cost, CALF_ARG_MAX);
		CHECK_EQ(a.npages, 4);
		exec_args_free(&a);
	}
	/* Empty strings: each costs its NUL and its pointer. */
	uint32_t n = CALF_ARG_MAX / 5 + 1;
	put_string(vs, DATA, "");
	for (uint32_t i = 0; i < n; i++)
		put_word(vs, DATA + 64 + 4 * i, DATA);
	put_word(vs, DATA + 64 + 4 * n, 0);
	copyin_fails(vs, DATA + 64, 0, -E2BIG);
	/* Kernel strings: the same limit. */
	struct exec_args k;
	exec_args_init(&k);
	static char huge[CALF_ARG_MAX];
	memset(huge, 'h', sizeof(huge) - 1);
	huge[CALF_ARG_MAX - 6] = '\0';
	CHECK_EQ(exec_args_add(&k, huge, false), 0);
	CHECK_EQ(k.cost, CALF_ARG_MAX - 1);
	CHECK_EQ(exec_args_add(&k, "", true), -E2BIG);
	CHECK_EQ(exec_args_add(&k, "x", false), -E2BIG);
	exec_args_free(&k);
	exec_args_init(&k);
	CHECK_EQ(exec_args_add(&k, "K=v", true), 0);
	CHECK_EQ(exec_args_add(&k, "late", false), -EINVAL); /* arguments come first */
	exec_args_free(&k);
	vm_space_release(vs);
	CHECK_EQ(frames().free, FRAMES);
	swpmap_ram_fini();
}

/* exec_load of file fails with err, and releasing the half-built space returns every frame. */
static void load_fails(const uint8_t *file, size_t size, uint16_t machine, int err, const char *what)
{
	uint32_t before = frames().free;
	struct exec_args a;
	CHECK_EQ(stage(&a, NULL, NULL), 0);
	struct vmspace *vs;
	CHECK_EQ(vm_space_create(&vs), 0);
	struct exec_entry e;
	int got = exec_load(vs, file, size, machine, &a, &e);
	if (got != err)
		fprintf(stderr, "  %s: %d, expected %d\n", what, got, err);
	CHECK_EQ(got, err);
	vm_space_release(vs);
	exec_args_free(&a);
	CHECK_EQ(frames().free, before);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(frames().uncharged, 0);
}

TEST(files_that_are_no_program_give_enoexec)
{
	swpmap_ram_init(FRAMES);
	static uint8_t file[FILE_MAX];
	size_t size = elf_build(file, four, 4, TEXT);
	load_fails(file, size, MACHINE + 1, -ENOEXEC, "another machine");
	load_fails(file, 40, MACHINE, -ENOEXEC, "shorter than a header");
	load_fails((const uint8_t *)"#!/bin/sh\necho hi\n", 18, MACHINE, -ENOEXEC, "a script");
	struct elf32_ehdr *eh = (struct elf32_ehdr *)file;
	eh->ident[4] = 2; /* ELFCLASS64 */
	load_fails(file, size, MACHINE, -ENOEXEC, "64-bit");
	eh->ident[4] = 1;
	eh->type = 3; /* ET_DYN */
	load_fails(file, size, MACHINE, -ENOEXEC, "not ET_EXEC");
	eh->type = 2;
	eh->phnum = 2000;
	load_fails(file, size, MACHINE, -ENOEXEC, "program headers past the end");
	/* Failures after segments were loaded: the half-built space still goes whole. */
	load_fails(file, size - PAGE_SIZE, MACHINE, -ENOEXEC, "the last segment cut short");
	elf_build(file, four, 4, DATA + 4);
	load_fails(file, size, MACHINE, -ENOEXEC, "entry in data");
	elf_build(file, four, 4, 0);
	load_fails(file, size, MACHINE, -ENOEXEC, "entry at 0");
	struct seg overlap[] = { four[0], { TEXT + PAGE_SIZE, 10, 10, PF_R } };
	size = elf_build(file, overlap, 2, TEXT);
	load_fails(file, size, MACHINE, -ENOEXEC, "overlapping segments");
	struct seg outside[] = { four[0], { PMAP_USER_END - PAGE_SIZE, 10, 2 * PAGE_SIZE, PF_R } };
	size = elf_build(file, outside, 2, TEXT);
	load_fails(file, size, MACHINE, -ENOEXEC, "a segment past user space");
	struct seg fat[] = { { TEXT, 20, 10, PF_R | PF_X } };
	size = elf_build(file, fat, 1, TEXT);
	load_fails(file, size, MACHINE, -ENOEXEC, "filesz over memsz");
	struct seg many[EXEC_SEGMENTS_MAX + 1];
	for (uint32_t i = 0; i < EXEC_SEGMENTS_MAX + 1; i++)
		many[i] = (struct seg){ TEXT + i * 0x10000, 10, 10, PF_R | PF_X };
	size = elf_build(file, many, EXEC_SEGMENTS_MAX + 1, TEXT);
	load_fails(file, size, MACHINE, -ENOEXEC, "more segments than an image may have");
	size = elf_build(file, many, EXEC_SEGMENTS_MAX, TEXT);
	load_fails(file, size, MACHINE, 0, "as many segments as fit");
	swpmap_ram_fini();
}

TEST(strict_commit_refuses_a_space_that_does_not_fit)
{
	/* Enough for text and tables, not for the 64 pages of stack. */
	swpmap_ram_init(40);
	swpmap_tables_take_frames(true);
	frame_commit_mode_set(FRAME_COMMIT_STRICT);
	static uint8_t file[FILE_MAX];
	size_t size = elf_build(file, four, 2, TEXT);
	load_fails(file, size, MACHINE, -ENOMEM, "stack over the reserve");
	CHECK_EQ(frames().free, 40);
	swpmap_ram_fini();
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(loader_syncs_every_executable_page_and_nothing_else),
		CASE(fills_and_copies_of_writable_executable_frames_are_synced),
		CASE(stack_holds_argc_argv_envp_and_strings_system_v_style),
		CASE(copyin_stages_user_vectors),
		CASE(copyin_refuses_bad_pointers_with_efault),
		CASE(copyin_takes_exactly_arg_max),
		CASE(files_that_are_no_program_give_enoexec),
		CASE(strict_commit_refuses_a_space_that_does_not_fit),
	};
	return harness_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
