/*
 * exec_load.c - what exec does that belongs to no task: staging argv and
 * envp in kernel frames, the ELF32 loader and the new stack. It reaches
 * memory only through mm/, so the host tests run it as it ships.
 */
#include "exec.h"
#include "elf.h"

#include <errno.h>
#include <string.h>

#include <mm/frame.h>

/* Regions a program has besides its segments: the heap and the stack. */
_Static_assert(EXEC_SEGMENTS_MAX + 2u <= VM_REGION_MAX, "an image fits the region index");

/* A user pointer in a vector: ELF32 programs, 4 bytes on every port. */
typedef uint32_t uptr_t;

/* Bytes of a user string read per copy: strings are short, and no read leaves the string's page. */
#define EXEC_STR_CHUNK 64u

/* Pointers of a user vector read per copy. */
#define EXEC_VEC_CHUNK 16u

void exec_args_init(struct exec_args *a)
{
	memset(a, 0, sizeof(*a));
}

void exec_args_free(struct exec_args *a)
{
	for (uint32_t i = 0; i < a->npages; i++)
		frame_unref(a->page[i]);
	a->npages = 0;
}

/* Where staged byte off lives, with room to the end of its frame in *room; a frame is taken when off starts one. */
static int args_room(struct exec_args *a, uint32_t off, uint8_t **at, uint32_t *room)
{
	uint32_t p = off / PAGE_SIZE;
	if (p == a->npages) {
		if (p == EXEC_ARG_PAGES)
			return -E2BIG; /* not reached: cost bounds bytes first */
		int err = frame_alloc_uncharged(&a->page[p], false);
		if (err)
			return err;
		a->npages++;
	}
	*at = (uint8_t *)pmap_kva(a->page[p]) + off % PAGE_SIZE;
	*room = PAGE_SIZE - off % PAGE_SIZE;
	return 0;
}

/* Count one more string of the kind env says: its pointer's cost, and the order rule. */
static int args_string_begin(struct exec_args *a, bool env)
{
	if (!env && a->envc)
		return -EINVAL;
	if (a->cost + sizeof(uptr_t) > CALF_ARG_MAX)
		return -E2BIG;
	a->cost += sizeof(uptr_t);
	if (env)
		a->envc++;
	else
		a->argc++;
	return 0;
}

/*
 * Where a string being staged comes from: the kernel string k (vs NULL), or
 * the user string at u in vs. Each read advances it.
 */
struct args_source {
	struct vmspace *vs;
	const char *k;
	vaddr_t u;
};

/*
 * Read at most *n bytes of src's string into at, never past its NUL, and
 * advance src. *n becomes the bytes kept, *done true once the NUL was.
 * A user string is read in chunks that stay in its current page (what lies
 * after the NUL there is read but not kept), so no page past it is touched.
 */
static int args_source_read(struct args_source *src, uint8_t *at, uint32_t *n, bool *done)
{
	if (!src->vs) {
		size_t len = strnlen(src->k, *n); /* a page at most: never the whole string again */
		*done = len < *n;
		*n = *done ? (uint32_t)len + 1 : *n;
		memcpy(at, src->k, *n);
		src->k += *n;
		return 0;
	}
	uint32_t in_page = (uint32_t)(PAGE_SIZE - (src->u & PAGE_MASK));
	*n = *n < EXEC_STR_CHUNK ? *n : EXEC_STR_CHUNK;
	*n = *n < in_page ? *n : in_page;
	int err = vm_copyin(src->vs, at, src->u, *n);
	if (err)
		return err;
	for (uint32_t i = 0; i < *n && !*done; i++) {
		if (at[i] == '\0') {
			*n = i + 1; /* the rest was read past the NUL: not kept */
			*done = true;
		}
	}
	src->u += *n;
	return 0;
}

/* Stage the string src gives as an argument or (env) an environment string. */
static int args_stage_string(struct exec_args *a, struct args_source *src, bool env)
{
	int err = args_string_begin(a, env);
	for (bool done = false; !err && !done;) {
		uint8_t *at;
		uint32_t room;
		if (a->cost == CALF_ARG_MAX)
			return -E2BIG;
		err = args_room(a, a->bytes, &at, &room);
		if (err)
			break;
		uint32_t n = room < CALF_ARG_MAX - a->cost ? room : CALF_ARG_MAX - a->cost;
		err = args_source_read(src, at, &n, &done);
		if (err)
			break;
		a->bytes += n;
		a->cost += n;
	}
	return err;
}

int exec_args_add(struct exec_args *a, const char *s, bool env)
{
	struct args_source src = { .k = s };
	return args_stage_string(a, &src, env);
}

/* Stage the strings of the user vector vec (0: none) as arguments or environment. */
static int args_copyin_vector(struct exec_args *a, struct vmspace *vs, vaddr_t vec, bool env)
{
	if (!vec)
		return 0;
	/*
	 * Ends: at its NULL, or at E2BIG, since every string costs at least 5
	 * bytes of CALF_ARG_MAX. Preemptible: each copy takes and drops vs's
	 * mutex, and the staging belongs to this call alone.
	 */
	for (;;) {
		uptr_t ptr[EXEC_VEC_CHUNK];
		/* Only pointers of this page, so nothing past the NULL is read; one when it straddles two. */
		uint32_t n = (uint32_t)((PAGE_SIZE - (vec & PAGE_MASK)) / sizeof(uptr_t));
		n = n == 0 ? 1 : n < EXEC_VEC_CHUNK ? n : EXEC_VEC_CHUNK;
		int err = vm_copyin(vs, ptr, vec, n * sizeof(uptr_t));
		if (err)
			return err;
		for (uint32_t i = 0; i < n; i++) {
			if (!ptr[i])
				return 0;
			struct args_source src = { .vs = vs, .u = ptr[i] };
			err = args_stage_string(a, &src, env);
			if (err)
				return err;
		}
		vec += n * sizeof(uptr_t);
	}
}

int exec_args_copyin(struct exec_args *a, struct vmspace *vs, vaddr_t argv, vaddr_t envp)
{
	int err = args_copyin_vector(a, vs, argv, false);
	return err ? err : args_copyin_vector(a, vs, envp, true);
}

/* The staged byte at off. */
static char args_byte(const struct exec_args *a, uint32_t off)
{
	return ((const char *)pmap_kva(a->page[off / PAGE_SIZE]))[off % PAGE_SIZE];
}

void exec_args_cmdline(const struct exec_args *a, char *buf, size_t size)
{
	size_t len = 0;
	uint32_t strings = 0;
	for (uint32_t off = 0; off < a->bytes && strings < a->argc && len + 1 < size; off++) {
		char c = args_byte(a, off);
		if (c == '\0') {
			strings++;
			c = ' ';
		}
		if (strings < a->argc)
			buf[len++] = c;
	}
	buf[len] = '\0';
}

/* The validated header of the ELF file, or NULL. */
static const struct elf32_ehdr *elf_header(const uint8_t *file, size_t size, uint16_t machine)
{
	const struct elf32_ehdr *eh = (const void *)file;
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0 ||
	    eh->ident[EI_CLASS] != ELFCLASS32 || eh->ident[EI_DATA] != ELFDATA2LSB ||
	    eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT || eh->type != ET_EXEC ||
	    eh->machine != machine || eh->phentsize != sizeof(struct elf32_phdr) ||
	    eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct elf32_phdr))
		return NULL;
	return eh;
}

/* Program header i of the validated file (copied out: it may be unaligned). */
static void elf_phdr(const uint8_t *file, const struct elf32_ehdr *eh, uint32_t i,
		     struct elf32_phdr *ph)
{
	memcpy(ph, file + eh->phoff + i * sizeof(*ph), sizeof(*ph));
}

/* Map one PT_LOAD segment, copy its file bytes, and sync what will be executed. */
static int load_segment(struct vmspace *vs, const uint8_t *file, size_t size,
			const struct elf32_phdr *ph)
{
	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset ||
	    ph->memsz > PMAP_USER_END || ph->vaddr > PMAP_USER_END - ph->memsz)
		return -ENOEXEC;
	vm_prot_t prot = 0;
	prot |= (ph->flags & PF_R) ? VM_PROT_READ : 0;
	prot |= (ph->flags & PF_W) ? VM_PROT_WRITE : 0;
	prot |= (ph->flags & PF_X) ? VM_PROT_EXEC : 0;
	vaddr_t start = page_trunc((vaddr_t)ph->vaddr);
	vaddr_t end = page_round((vaddr_t)ph->vaddr + ph->memsz);
	int err = vm_region_add(vs, start, end - start, prot, 0);
	if (err)
		return err == -EINVAL ? -ENOEXEC : err;
	/* Bytes past filesz (.bss) stay zero: frames are zero-filled. */
	err = vm_load(vs, ph->vaddr, file + ph->offset, ph->filesz);
	if (!err && (prot & VM_PROT_EXEC))
		err = vm_sync_icache(vs, start, end);
	return err;
}

/* Load every PT_LOAD segment; *top gets the end of the highest. */
static int load_segments(struct vmspace *vs, const uint8_t *file, size_t size,
			 const struct elf32_ehdr *eh, vaddr_t *top)
{
	uint32_t loads = 0;
	bool entry_ok = false;
	*top = 0;
	for (uint32_t i = 0; i < eh->phnum; i++) {
		struct elf32_phdr ph;
		elf_phdr(file, eh, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (++loads > EXEC_SEGMENTS_MAX)
			return -ENOEXEC;
		int err = load_segment(vs, file, size, &ph);
		if (err)
			return err;
		entry_ok |= (ph.flags & PF_X) && eh->entry - ph.vaddr < ph.memsz;
		if (page_round((vaddr_t)ph.vaddr + ph.memsz) > *top)
			*top = page_round((vaddr_t)ph.vaddr + ph.memsz);
	}
	/* An entry outside every executable segment could only fault: not a program. */
	return entry_ok ? 0 : -ENOEXEC;
}

/* Writes a run of pointers to the new stack, a chunk per copy. */
struct stack_writer {
	struct vmspace *vs;
	vaddr_t at;
	uptr_t buf[EXEC_VEC_CHUNK];
	uint32_t n;
	int err;
};

static void stack_flush(struct stack_writer *w)
{
	if (!w->err && w->n)
		w->err = vm_copyout(w->vs, w->at, w->buf, w->n * sizeof(uptr_t));
	w->at += w->n * sizeof(uptr_t);
	w->n = 0;
}

static void stack_push(struct stack_writer *w, uptr_t word)
{
	w->buf[w->n++] = word;
	if (w->n == EXEC_VEC_CHUNK)
		stack_flush(w);
}

/* Push the user addresses of the next count staged strings, from *off on. */
static void stack_push_strings(struct stack_writer *w, const struct exec_args *a, vaddr_t strings,
			       uint32_t *off, uint32_t count)
{
	/* Bounded by the staged bytes (CALF_ARG_MAX); the new space is this call's alone. */
	for (uint32_t s = 0; s < count; s++) {
		stack_push(w, (uptr_t)(strings + *off));
		while (args_byte(a, *off) != '\0')
			(*off)++;
		(*off)++;
	}
}

/*
 * Write argc, argv[] with its NULL and envp[] with its NULL at sp, the
 * pointers aimed at the strings, which start at user address strings.
 */
static int stack_vectors(struct vmspace *vs, const struct exec_args *a, vaddr_t sp, vaddr_t strings)
{
	struct stack_writer w = { .vs = vs, .at = sp };
	uint32_t off = 0;
	stack_push(&w, a->argc);
	stack_push_strings(&w, a, strings, &off, a->argc);
	stack_push(&w, 0);
	stack_push_strings(&w, a, strings, &off, a->envc);
	stack_push(&w, 0);
	stack_flush(&w);
	return w.err;
}

/* Lay out the stack's top (strings, envp, argv, argc) and fill entry's sp and vectors. */
static int stack_build(struct vmspace *vs, const struct exec_args *a, struct exec_entry *entry)
{
	vaddr_t strings = PMAP_USER_END - a->bytes;
	uint32_t words = 1 + a->argc + 1 + a->envc + 1;
	/* 16-byte aligned: the i386 psABI's and more than AAPCS's 8 at a public interface. */
	vaddr_t sp = (strings - words * sizeof(uptr_t)) & ~(vaddr_t)15;
	int err = 0;
	for (uint32_t off = 0; off < a->bytes && !err; off += PAGE_SIZE) {
		uint32_t n = a->bytes - off < PAGE_SIZE ? a->bytes - off : PAGE_SIZE;
		err = vm_copyout(vs, strings + off, pmap_kva(a->page[off / PAGE_SIZE]), n);
	}
	if (!err)
		err = stack_vectors(vs, a, sp, strings);
	entry->sp = sp;
	entry->argc = a->argc;
	entry->argv = sp + sizeof(uptr_t);
	entry->envp = entry->argv + (a->argc + 1) * sizeof(uptr_t);
	return err;
}

int exec_load(struct vmspace *vs, const uint8_t *file, size_t size, uint16_t machine,
	      const struct exec_args *args, struct exec_entry *entry)
{
	const struct elf32_ehdr *eh = elf_header(file, size, machine);
	if (!eh)
		return -ENOEXEC;
	vaddr_t top;
	int err = load_segments(vs, file, size, eh, &top);
	if (err)
		return err;
	/*
	 * The heap starts on a page-table boundary: text and data then never share
	 * a table with it, so the first touch of text after fork (which copies the
	 * table on armv7) copies a few dozen entries, not the heap's thousands.
	 */
	vaddr_t heap = (top + PMAP_TABLE_SPAN - 1) & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
	err = vm_region_add(vs, heap, 0, VM_PROT_READ | VM_PROT_WRITE, VM_REGION_HEAP);
	if (err)
		return err == -EINVAL ? -ENOEXEC : err; /* segments reaching into the stack's span */
	err = vm_region_add(vs, PMAP_USER_END - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
			    VM_PROT_READ | VM_PROT_WRITE, 0);
	if (err)
		return err == -EINVAL ? -ENOEXEC : err;
	err = stack_build(vs, args, entry);
	entry->pc = eh->entry;
	return err;
}
