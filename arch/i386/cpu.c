/*
 * cpu.c (i386) - descriptor tables and the FPU: a flat GDT with kernel and
 * user segments, the TSS that gives the CPU the kernel stack on entry from
 * user mode, and the IDT over vectors.S's entry stubs.
 */
#include <stddef.h>
#include <stdint.h>

#include <kernel/arch.h>
#include <kernel/printk.h>
#include <multiboot.h>
#include "vectors.h"
#include "x86.h"


/* The 32-bit TSS (SDM vol. 3 7.2.1); only ss0:esp0 and the I/O map base matter. */
struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "the CPU reads this layout");
_Static_assert(offsetof(struct tss, esp0) == 4, "vectors.S: TSS_ESP0");

/* esp0 is rewritten by vectors.S before every return to user mode. */
struct tss arch_tss __attribute__((aligned(16)));

/* Stored by boot.S, read by the board for the size of RAM. */
uint32_t arch_multiboot_magic;
const struct multiboot_info *arch_multiboot_info;

static uint64_t gdt[7];
static uint64_t idt[256];

extern const uint32_t arch_trap_stubs[VEC_STUBS];
extern const char arch_syscall_stub[];

/* A segment descriptor (SDM vol. 3 3.4.5): access byte and flags nibble as the manual draws them. */
static uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (limit & 0xFFFFull) | ((uint64_t)(base & 0xFFFFFFu) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xFu) << 48) |
	       ((uint64_t)(flags & 0xFu) << 52) | ((uint64_t)(base >> 24) << 56);
}

/* A 32-bit interrupt gate (SDM vol. 3 6.11): IF cleared on entry, dpl who may INT n. */
static uint64_t gate_desc(uint32_t entry, unsigned dpl)
{
	return (entry & 0xFFFFull) | ((uint64_t)SEL_KCODE << 16) |
	       ((uint64_t)(0x8Eu | (dpl << 5)) << 40) | ((uint64_t)(entry >> 16) << 48);
}

/* Load the GDT and TSS and reload every segment register from them. */
static void gdt_load(void)
{
	gdt[1] = seg_desc(0, 0xFFFFF, 0x9A, 0xC); /* kernel code: present, DPL 0, 4 KiB granules, 32-bit */
	gdt[2] = seg_desc(0, 0xFFFFF, 0x92, 0xC); /* kernel data */
	gdt[3] = seg_desc(0, 0xFFFFF, 0xFA, 0xC); /* user code, DPL 3 */
	gdt[4] = seg_desc(0, 0xFFFFF, 0xF2, 0xC); /* user data, DPL 3 */
	gdt[5] = seg_desc((uint32_t)&arch_tss, sizeof(arch_tss) - 1, 0x89, 0x0); /* available TSS */
	arch_tls_set(0);
	arch_tss.ss0 = SEL_KDATA;
	arch_tss.iomap_base = sizeof(arch_tss); /* no I/O bitmap: user IN/OUT raise #GP */
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\tmov %2, %%ds\n\tmov %2, %%es\n\tmov %2, %%fs\n\tmov %2, %%gs\n\tmov %2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
			 : "memory");
}

/*
 * The thread pointer is the base of GDT entry 6 (SEL_UTLS), a user data
 * segment user code addresses through %gs. Only the descriptor changes
 * here: %gs's hidden base is reloaded from it whenever the selector is
 * loaded (SDM vol. 3 3.4.3), and every return to user mode pops %gs from
 * the trap frame, so the task returning always sees its own.
 */
void arch_tls_set(uintptr_t tp)
{
	gdt[SEL_UTLS >> 3] = seg_desc(tp, 0xFFFFF, 0xF2, 0xC); /* DPL 3 data, 4 KiB granules */
}

static void idt_load(void)
{
	for (unsigned v = 0; v < VEC_STUBS; v++)
		idt[v] = gate_desc(arch_trap_stubs[v], v == VEC_BP ? 3 : 0);
	idt[VEC_SYSCALL] = gate_desc((uint32_t)arch_syscall_stub, 3);
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}

uint32_t arch_sse;

/*
 * x87 for user tasks: present (EM clear), errors reported as #MF (NE),
 * switched eagerly by arch_context_switch (TS stays clear). CR0.AM lets a
 * task ask for alignment checks with EFLAGS.AC, as on Linux. With FXSAVE
 * and SSE (QEMU's qemu32 has both, and SSE2), CR4.OSFXSR turns SSE on:
 * tasks' XMM registers then switch with the x87 state, and page.S uses
 * them. SIMD errors a task unmasks in MXCSR arrive as #XM (OSXMMEXCPT).
 */
static void fpu_init(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1u), "c"(0u));
	uint32_t cr0 = cr0_read();
	cr0 &= ~(CR0_EM | CR0_TS);
	cr0 |= CR0_MP | CR0_NE | CR0_AM;
	cr0_write(cr0);
	__asm__ volatile("fninit");
	if ((d & (CPUID_FXSR | CPUID_SSE)) == (CPUID_FXSR | CPUID_SSE)) {
		cr4_write(cr4_read() | CR4_OSFXSR | CR4_OSXMMEXCPT);
		arch_sse = 1;
	}
	printk("cpu: CPUID.01H edx %08x ecx %08x; %s\n", d, c,
	       arch_sse ? "FXSAVE task state, SSE page zero/copy" : "FNSAVE task state, rep stosl/movsl pages");
}

/*
 * The x87 state FNINIT leaves (control word 0x37F, SDM vol. 1 8.1.10) and,
 * with SSE, MXCSR's reset value 0x1F80 (SDM vol. 1 10.2.3.1): the
 * floating-point environment a program exec starts must find. The
 * registers are the current task's own (the kernel's C code uses none).
 */
void arch_user_state_reset(void)
{
	__asm__ volatile("fninit" ::: "memory");
	if (arch_sse) {
		uint32_t mxcsr = 0x1F80;
		__asm__ volatile("ldmxcsr %0" ::"m"(mxcsr) : "memory");
	}
}

void arch_traps_init(void)
{
	gdt_load();
	idt_load();
	fpu_init();
}
