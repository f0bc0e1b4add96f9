/*
 * elf.h - the ELF32 records and constants the loader reads (System V ABI,
 * gABI chapter 4); the host test builds its files with the same ones.
 */
#ifndef CALF_KERNEL_ELF_H
#define CALF_KERNEL_ELF_H

#include <stdint.h>

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

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

#endif
