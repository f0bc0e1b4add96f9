/* exec.c - ELF32 loader for the packed apps. */
#include "exec.h"

#include <errno.h>
#include <string.h>

#include "arch.h"
#include "task.h"

extern const struct app_image calf_apps[];
extern const uint32_t calf_apps_count;

/* ELF32 structures, as in the System V ABI (gABI) chapter 4. */
struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
_Static_assert(sizeof(struct elf32_ehdr) == 52, "gABI layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "gABI layout");

#define PT_LOAD 1
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define ET_EXEC 2

const struct app_image *app_find(const char *name)
{
	for (uint32_t i = 0; i < calf_apps_count; i++)
		if (strcmp(calf_apps[i].name, name) == 0)
			return &calf_apps[i];
	return NULL;
}

/* The validated header of app, or NULL. */
static const struct elf32_ehdr *elf_header(const struct app_image *app)
{
	size_t size = (size_t)(app->end - app->start);
	const struct elf32_ehdr *eh = (const void *)app->start;
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0 || eh->ident[4] != 1 ||
	    eh->ident[5] != 1 || eh->type != ET_EXEC || eh->machine != ARCH_ELF_MACHINE ||
	    eh->phentsize != sizeof(struct elf32_phdr) ||
	    eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct elf32_phdr))
		return NULL;
	return eh;
}

/* Map one PT_LOAD segment and copy its file bytes. */
static int load_segment(struct vmspace *vs, const struct app_image *app,
			const struct elf32_phdr *ph)
{
	size_t size = (size_t)(app->end - app->start);
	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset)
		return -ENOEXEC;
	vm_prot_t prot = 0;
	prot |= (ph->flags & PF_R) ? VM_PROT_READ : 0;
	prot |= (ph->flags & PF_W) ? VM_PROT_WRITE : 0;
	prot |= (ph->flags & PF_X) ? VM_PROT_EXEC : 0;
	vaddr_t start = page_trunc(ph->vaddr);
	vaddr_t end = page_round(ph->vaddr + ph->memsz);
	int err = vm_region_add(vs, start, end - start, prot, 0);
	if (err)
		return err == -EINVAL ? -ENOEXEC : err;
	/* Bytes past filesz (.bss) stay zero: frames are zero-filled on demand. */
	return vm_load(vs, ph->vaddr, app->start + ph->offset, ph->filesz);
}

/* Put argv = { name, NULL } on the stack; sets entry->sp, argc, argv. */
static int push_args(struct vmspace *vs, const char *name, struct exec_entry *entry)
{
	size_t len = strlen(name) + 1;
	vaddr_t str = (PMAP_USER_END - len) & ~7u;
	vaddr_t argv = str - 8; /* two pointers, 8-byte aligned as AAPCS asks of sp */
	uint32_t vec[2] = { (uint32_t)str, 0 }; /* ELF32: user pointers are 32 bits */
	int err = vm_copyout(vs, str, name, len);
	if (!err)
		err = vm_copyout(vs, argv, vec, sizeof(vec));
	entry->sp = argv;
	entry->argc = 1;
	entry->argv = argv;
	return err;
}

int exec_load(struct vmspace *vs, const struct app_image *app, struct exec_entry *entry)
{
	const struct elf32_ehdr *eh = elf_header(app);
	if (!eh)
		return -ENOEXEC;
	vaddr_t top = 0;
	for (uint32_t i = 0; i < eh->phnum; i++) {
		struct elf32_phdr ph;
		memcpy(&ph, app->start + eh->phoff + i * sizeof(ph), sizeof(ph)); /* may be unaligned */
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		int err = load_segment(vs, app, &ph);
		if (err)
			return err;
		if (page_round(ph.vaddr + ph.memsz) > top)
			top = page_round(ph.vaddr + ph.memsz);
	}
	if (top == 0)
		return -ENOEXEC;
	/*
	 * The heap starts on a page-table boundary: text and data then never share
	 * a table with it, so the first touch of text after fork (which copies the
	 * table on armv7) copies a few dozen entries, not the heap's thousands.
	 */
	vaddr_t heap = (top + PMAP_TABLE_SPAN - 1) & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
	int err = vm_region_add(vs, heap, 0, VM_PROT_READ | VM_PROT_WRITE, VM_REGION_HEAP);
	if (!err)
		err = vm_region_add(vs, PMAP_USER_END - USER_STACK_SIZE, USER_STACK_SIZE,
				    VM_PROT_READ | VM_PROT_WRITE, 0);
	if (!err)
		err = push_args(vs, app->name, entry);
	entry->pc = eh->entry;
	return err;
}
