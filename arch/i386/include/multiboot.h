/*
 * multiboot.h (i386) - what the Multiboot loader handed over (Multiboot
 * Specification 0.6.96, section 3.3). boot.S stores both words; boards read
 * the memory size from them.
 */
#ifndef CALF_I386_MULTIBOOT_H
#define CALF_I386_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MULTIBOOT_INFO_MEMORY (1u << 0) /* mem_lower and mem_upper are valid */

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB up to the first hole */
};

extern uint32_t arch_multiboot_magic;
extern const struct multiboot_info *arch_multiboot_info;

#endif
