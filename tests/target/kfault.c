/*
 * kfault.c - kernel self-test linked only into calf-kfault.elf: the kernel
 * writes through a null-page pointer. That must end in the kernel-fault
 * report (registers, address, decoded status) and a stop with status 125,
 * checked by expect-kernel-fault.sh.
 */
#include <stdint.h>

#include <kernel/selftest.h>

void kernel_selftest(void)
{
	uintptr_t addr = 0x10;
	__asm__("" : "+r"(addr)); /* hide the constant: GCC rejects a literal null-page store */
	*(volatile uint32_t *)addr = 0xCA1F;
}
