/*
 * trap.c (armv7) - decode exceptions into the portable fault record and
 * the kernel's trap calls. Policy is not decided here.
 */
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>

#include <kernel/printk.h>
#include <kernel/trap.h>
#include "cp15.h"
#include "trap_kinds.h"

extern const char arch_vectors[];
extern const char arch_task_trampoline[];

#define DFSR_WNR (1u << 11) /* write not read (B4.1.52) */

void arch_traps_init(void)
{
	cp15_vbar_write((uint32_t)arch_vectors);
	isb();
}

/* The fault status field FS[4:0] of a DFSR or IFSR, short-descriptor format. */
static uint32_t fsr_status(uint32_t fsr)
{
	return ((fsr >> 6) & 0x10u) | (fsr & 0xFu);
}

/*
 * Fault status codes, short-descriptor format: ARM DDI 0406C B3.13.3,
 * table B3-23 (DFSR) and B3-24 (IFSR), and what each means to mm/.
 */
enum {
	FS_ALIGNMENT = 0x01,
	FS_DEBUG = 0x02,
	FS_ACCESS_FLAG_SECTION = 0x03,
	FS_CACHE_MAINTENANCE = 0x04, /* DFSR only */
	FS_TRANSLATION_SECTION = 0x05,
	FS_ACCESS_FLAG_PAGE = 0x06,
	FS_TRANSLATION_PAGE = 0x07,
	FS_EXTERNAL = 0x08,
	FS_DOMAIN_SECTION = 0x09,
	FS_DOMAIN_PAGE = 0x0B,
	FS_WALK_EXTERNAL_L1 = 0x0C,
	FS_PERMISSION_SECTION = 0x0D,
	FS_WALK_EXTERNAL_L2 = 0x0E,
	FS_PERMISSION_PAGE = 0x0F,
	FS_ASYNC_EXTERNAL = 0x16, /* DFSR only */
	FS_ASYNC_PARITY = 0x18,   /* DFSR only */
	FS_PARITY = 0x19,
	FS_WALK_PARITY_L1 = 0x1C,
	FS_WALK_PARITY_L2 = 0x1E,
};

/* Every code has an entry, reserved ones too, so the fault path's decode is one load. */
static const struct fsr_code {
	uint8_t kind; /* enum vm_fault_kind */
	const char *name; /* NULL: a reserved code */
} fsr_codes[32] = {
	[0x00] = { VM_FAULT_OTHER, NULL },
	[FS_ALIGNMENT] = { VM_FAULT_ALIGN, "alignment fault" },
	[FS_DEBUG] = { VM_FAULT_OTHER, "debug event" },
	[FS_ACCESS_FLAG_SECTION] = { VM_FAULT_OTHER, "access flag fault (section)" },
	[FS_CACHE_MAINTENANCE] = { VM_FAULT_OTHER, "fault on cache maintenance" },
	[FS_TRANSLATION_SECTION] = { VM_FAULT_UNMAPPED, "translation fault (section)" },
	[FS_ACCESS_FLAG_PAGE] = { VM_FAULT_OTHER, "access flag fault (page)" },
	[FS_TRANSLATION_PAGE] = { VM_FAULT_UNMAPPED, "translation fault (page)" },
	[FS_EXTERNAL] = { VM_FAULT_OTHER, "synchronous external abort" },
	[FS_DOMAIN_SECTION] = { VM_FAULT_TABLE, "domain fault (section)" },
	[0x0A] = { VM_FAULT_OTHER, NULL },
	[FS_DOMAIN_PAGE] = { VM_FAULT_TABLE, "domain fault (page)" },
	[FS_WALK_EXTERNAL_L1] = { VM_FAULT_OTHER, "external abort on table walk (first level)" },
	[FS_PERMISSION_SECTION] = { VM_FAULT_PROT, "permission fault (section)" },
	[FS_WALK_EXTERNAL_L2] = { VM_FAULT_OTHER, "external abort on table walk (second level)" },
	[FS_PERMISSION_PAGE] = { VM_FAULT_PROT, "permission fault (page)" },
	[0x10] = { VM_FAULT_OTHER, NULL },
	[0x11] = { VM_FAULT_OTHER, NULL },
	[0x12] = { VM_FAULT_OTHER, NULL },
	[0x13] = { VM_FAULT_OTHER, NULL },
	[0x14] = { VM_FAULT_OTHER, NULL },
	[0x15] = { VM_FAULT_OTHER, NULL },
	[FS_ASYNC_EXTERNAL] = { VM_FAULT_OTHER, "asynchronous external abort" },
	[0x17] = { VM_FAULT_OTHER, NULL },
	[FS_ASYNC_PARITY] = { VM_FAULT_OTHER, "asynchronous parity error" },
	[FS_PARITY] = { VM_FAULT_OTHER, "synchronous parity error" },
	[0x1A] = { VM_FAULT_OTHER, NULL },
	[0x1B] = { VM_FAULT_OTHER, NULL },
	[FS_WALK_PARITY_L1] = { VM_FAULT_OTHER, "parity error on table walk (first level)" },
	[0x1D] = { VM_FAULT_OTHER, NULL },
	[FS_WALK_PARITY_L2] = { VM_FAULT_OTHER, "parity error on table walk (second level)" },
	[0x1F] = { VM_FAULT_OTHER, NULL },
};

/* The table entry for a raw DFSR/IFSR value, or NULL for a reserved code. */
static const struct fsr_code *fsr_lookup(uint32_t fsr)
{
	const struct fsr_code *c = &fsr_codes[fsr_status(fsr)];
	return c->name ? c : NULL;
}

const char *arch_fault_decode(uint32_t raw, bool exec)
{
	const struct fsr_code *c = fsr_lookup(raw);
	if (c)
		return c->name;
	return exec ? "prefetch abort (reserved status)" : "data abort (reserved status)";
}

/* Fill the portable record from an abort's status and address registers. */
static inline void abort_decode(const struct trapframe *tf, bool prefetch,
				struct vm_fault_info *fi)
{
	uint32_t fsr = prefetch ? cp15_ifsr_read() : cp15_dfsr_read();
	fi->raw = fsr;
	fi->addr = prefetch ? cp15_ifar_read() : cp15_dfar_read();
	fi->pc = tf->pc;
	fi->kind = fsr_codes[fsr_status(fsr)].kind;
	fi->user = arch_tf_from_user(tf);
	if (prefetch)
		fi->access = VM_PROT_EXEC;
	else
		fi->access = (fsr & DFSR_WNR) ? VM_PROT_WRITE : VM_PROT_READ;
}

/*
 * An abort: decode it while the fault registers still hold it, then let the
 * kernel judge. Returns whether it came from user mode.
 */
static inline bool abort_trap(struct trapframe *tf, bool prefetch)
{
	struct vm_fault_info fi;
	abort_decode(tf, prefetch, &fi);
	bool user = fi.user;
	if (user)
		arch_irq_enable();
	trap_page_fault(tf, &fi, prefetch ? "prefetch abort" : "data abort");
	return user;
}

/* The way out of every exception: IRQs closed, then what is due before user mode. */
static inline void trap_leave(struct trapframe *tf, bool user)
{
	arch_irq_disable();
	if (user)
		trap_return_check(tf);
}

/*
 * Called by vectors.S for the rarer exceptions, IRQs masked: decode, hand to
 * the kernel. A fault or exception from user mode runs with IRQs open once
 * the fault registers are read (the kernel is preemptible); an IRQ handler
 * keeps them closed. They close again before the way out. System calls and
 * data aborts, the common ones, have entries of their own below.
 */
void arch_trap(struct trapframe *tf, int kind)
{
	bool user = arch_tf_from_user(tf);
	switch (kind) {
	case TRAP_PABT:
		abort_trap(tf, true);
		break;
	case TRAP_UNDEF:
		if (tf->cpsr & PSR_T)
			tf->pc += 2; /* vectors.S stepped back 4; a Thumb instruction is 2 (B1.8.3) */
		if (user)
			arch_irq_enable();
		trap_exception(tf, SIGILL, "undefined instruction");
		break;
	case TRAP_IRQ:
		trap_irq(tf);
		break;
	default:
		trap_kernel_fault(tf, "FIQ, which nothing raises", NULL);
	}
	trap_leave(tf, user);
}

/*
 * Called by vectors.S for a system call, IRQs masked, as arch_trap() would
 * be; its own entry skips the dispatch on the kind. trap_syscall() opens
 * IRQs for the call.
 */
void arch_trap_svc(struct trapframe *tf)
{
	trap_syscall(tf); /* returns only for a call from user mode */
	trap_leave(tf, true);
}

/*
 * Called by vectors.S for a data abort, IRQs masked, as arch_trap() would
 * be: every COW, reuse and zero-fill fault comes this way, so it has its
 * own entry and skips the dispatch on the kind.
 */
void arch_trap_dabt(struct trapframe *tf)
{
	trap_leave(tf, abort_trap(tf, false));
}

/*
 * Apps are built soft-float (-mfloat-abi=soft, VFP left off), and their
 * thread register is the task's own (arch_tls_set, reset by exec through
 * the task), so a program leaves nothing in the CPU beyond its trap frame
 * for the next one to find. (TPIDRURW, the user-writable one, is not used
 * by Calf's library.)
 */
void arch_user_state_reset(void)
{
}

/*
 * The thread pointer is TPIDRURO (ARM ARM B4.1.150: CP15 c13, c0, 3), which
 * PL0 reads with MRC and cannot write: every task's own, loaded at each
 * switch.
 */
void arch_tls_set(uintptr_t tp)
{
	cp15_tpidruro_write(tp);
}

struct arch_context *arch_context_new(void *top, struct trapframe **tf)
{
	struct trapframe *frame = (struct trapframe *)top - 1;
	struct arch_context *ctx = (struct arch_context *)frame - 1;
	*ctx = (struct arch_context){ .lr = (uint32_t)arch_task_trampoline };
	*tf = frame;
	return ctx;
}

void arch_tf_dump(const struct trapframe *tf)
{
	for (int i = 0; i < 13; i++)
		printk("  r%-2d %08" PRIx32 "%s", i, tf->r[i], (i % 4 == 3) ? "\n" : "");
	printk("\n  pc  %08" PRIx32 "  cpsr %08" PRIx32 "  usr sp %08" PRIx32 "  usr lr %08" PRIx32
	       "\n", tf->pc, tf->cpsr, tf->usr_sp, tf->usr_lr);
	/* The SVC stack pointer before the exception is just above the frame. */
	printk("  svc sp %08" PRIxPTR "  svc lr %08" PRIx32 "\n", (uintptr_t)(tf + 1), tf->svc_lr);
}
