/*
 * boot.S (i386) - first instructions. A Multiboot loader (QEMU's -kernel,
 * GRUB) enters _start in 32-bit protected mode with paging off, flat
 * segments, EAX = the Multiboot magic and EBX = the boot information.
 * Keep both for the board, clear .bss, turn paging on, enter kmain().
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003	/* page-aligned modules, memory information wanted */

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.global _start
_start:
	cli
	movl	$boot_stack_top, %esp
	movl	%eax, %esi
	movl	%ebx, %edi
	movl	$__bss_start, %eax
1:	cmpl	$__bss_end, %eax
	jae	2f
	movl	$0, (%eax)
	addl	$4, %eax
	jmp	1b
2:	movl	%esi, arch_multiboot_magic
	movl	%edi, arch_multiboot_info
	call	arch_mmu_enable
	call	kmain
3:	hlt
	jmp	3b

	.section .bss.stacks, "aw", @nobits
	.balign	16
	.global boot_stack_top
	.space	8192
boot_stack_top:
