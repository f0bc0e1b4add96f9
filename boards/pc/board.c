/*
 * board.c (pc) - QEMU's "pc" machine: which drivers sit at which ports
 * (16550 console, 8259A pair, 8254 one-shot timer), how their interrupts
 * reach the kernel, the RAM size, the TSC clock and isa-debug-exit power-off.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include <multiboot.h>
#include <arch_io.h>
#include <drivers/i8254.h>
#include <drivers/i8259.h>
#include <drivers/uart16550.h>
#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/timer.h>
#include <mm/pmap.h>

/* 115200 baud: the 16550's 1.8432 MHz clock / (16 * 115200). */
#define COM1_DIVISOR 1u

/* Causes served per COM1 interrupt (each a receive drain or at most a burst of output). */
#define COM1_ROUNDS 4

/* TSC calibration: 50 ms of PIT input clock on channel 2. */
#define PIT_CALIBRATE_COUNT 59659u

/* Channel 0 one-shots: 838.1 ns a count (rounded up), at most 65535 counts (54.9 ms). */
#define PIT_STEP_NS 839u
#define PIT_MAX_COUNT 65535u
/* PIT counts per nanosecond in 32.32 fixed point, rounded down: no 64-bit division per arming. */
#define PIT_COUNTS_PER_NS_Q32 ((uint32_t)(((uint64_t)BOARD_PIT_HZ << 32) / 1000000000u))
/*
 * A one-shot is set to expire a step or two before its deadline (below);
 * the interrupt spins out what is left when it is at most this much, else
 * hands over early and the kernel sets the timer again.
 */
#define PIT_SPIN_MAX_NS (3u * PIT_STEP_NS)

/* Every device is on an I/O port: no window to map (one zero entry, as C has no empty array). */
const struct board_devmap board_devmap[1];
const unsigned board_devmap_count = 0;

static uint32_t tsc_mhz;
/* The clock reads ns = tsc * clock_mult >> clock_shift: two multiplies, no division. */
static uint32_t clock_mult;
static unsigned clock_shift;
static uint64_t pit_deadline; /* what channel 0 is armed for */

/*
 * RAM from 0: the size board.cmake gives, lowered to what the Multiboot
 * loader reports and to the end of the direct map (user space starts
 * there). Worked out once, on the first call (arch_mmu_enable, before the
 * frame table exists): the loader's information may lie in memory the
 * frame table takes over later.
 */
void board_ram_get(paddr_t *base, size_t *size)
{
	static size_t ram_size;
	if (ram_size == 0) {
		const struct multiboot_info *mbi = arch_multiboot_info;
		ram_size = BOARD_RAM_SIZE;
		if (arch_multiboot_magic == MULTIBOOT_LOADER_MAGIC &&
		    (mbi->flags & MULTIBOOT_INFO_MEMORY)) {
			uint32_t found = (mbi->mem_upper + 1024u) << 10; /* to the first hole above 1 MiB */
			if (found < ram_size)
				ram_size = found;
		}
		if (ram_size > PMAP_USER_START)
			ram_size = PMAP_USER_START;
	}
	*base = 0;
	*size = ram_size;
}

void board_console_init(void)
{
	uart16550_init(BOARD_COM1, COM1_DIVISOR);
}

void board_console_putc(char c)
{
	uart16550_putc(BOARD_COM1, c);
}

bool board_console_tx_ready(void)
{
	return uart16550_tx_ready(BOARD_COM1);
}

void board_console_tx_put(char c)
{
	uart16550_tx_put(BOARD_COM1, c);
}

void board_console_tx_irq(bool on)
{
	uart16550_tx_irq_enable(BOARD_COM1, on);
}

void board_irq_init(void)
{
	uint16_t open = (1u << BOARD_IRQ_PIT) | (1u << BOARD_IRQ_CASCADE) | (1u << BOARD_IRQ_COM1);
	i8259_pair_init(BOARD_PIC1, BOARD_PIC2, BOARD_IRQ_VECTOR_BASE, BOARD_IRQ_CASCADE,
			(uint16_t)~open);
	uart16550_rx_irq_enable(BOARD_COM1);
}

/*
 * TSC cycles per microsecond, measured against a 50 ms one-shot of PIT
 * channel 2 and rounded to whole MHz. Under QEMU -icount the TSC counts
 * virtual nanoseconds, so this gives exactly 1000 and clock differences
 * are instruction counts, as on vexpress-a9.
 */
static uint32_t tsc_calibrate(void)
{
	uint8_t port_b = inb(BOARD_PORT_B);
	outb(BOARD_PORT_B, (port_b & ~BOARD_PORT_B_SPEAKER) | BOARD_PORT_B_GATE2);
	i8254_oneshot_start(BOARD_PIT, 2, PIT_CALIBRATE_COUNT);
	uint64_t start = rdtsc();
	while (!(inb(BOARD_PORT_B) & BOARD_PORT_B_OUT2))
		;
	uint64_t cycles = rdtsc() - start;
	outb(BOARD_PORT_B, port_b);
	uint64_t ns = (uint64_t)PIT_CALIBRATE_COUNT * 1000000000u / BOARD_PIT_HZ;
	return (uint32_t)((cycles * 1000u + ns / 2) / ns);
}

/* The largest shift whose multiplier 1000 << shift / mhz fits 32 bits: exact at 1000 MHz. */
static void clock_scale_set(uint32_t mhz)
{
	unsigned shift = 32;
	while (((uint64_t)1000u << shift) / mhz > UINT32_MAX)
		shift--;
	clock_mult = (uint32_t)(((uint64_t)1000u << shift) / mhz);
	clock_shift = shift;
}

void board_timer_init(void)
{
	tsc_mhz = tsc_calibrate();
	if (tsc_mhz == 0)
		panic("TSC calibration failed");
	clock_scale_set(tsc_mhz);
	printk("clock: TSC at %" PRIu32 " MHz (measured against the PIT)\n", tsc_mhz);
}

void board_timer_set(uint64_t deadline_ns)
{
	uint64_t now = board_clock_ns();
	uint64_t ns = deadline_ns > now ? deadline_ns - now : 0;
	if (ns > (uint64_t)PIT_MAX_COUNT * PIT_STEP_NS)
		ns = (uint64_t)PIT_MAX_COUNT * PIT_STEP_NS;
	/*
	 * Round down, and one count less: in mode 0 OUT rises N + 1 clocks
	 * after the count N is written (8254 data sheet, mode 0). So the
	 * interrupt comes no later than the deadline and the dispatch below
	 * spins out the rest, rather than up to a step late.
	 */
	uint32_t count = (uint32_t)((ns * PIT_COUNTS_PER_NS_Q32) >> 32);
	count = count > 1 ? count - 1 : 1;
	pit_deadline = deadline_ns;
	i8254_oneshot_start(BOARD_PIT, 0, (uint16_t)count);
}

uint64_t board_clock_ns(void)
{
	/* A 64 x 32-bit product in two halves; the sum never decreases as the TSC grows. */
	uint64_t tsc = rdtsc();
	uint64_t lo = (uint64_t)(uint32_t)tsc * clock_mult;
	uint64_t hi = (tsc >> 32) * clock_mult;
	return (hi << (32 - clock_shift)) + (lo >> clock_shift);
}

uint32_t board_clock_res_ns(void)
{
	return (1000u + tsc_mhz - 1) / tsc_mhz;
}

/*
 * Channel 0 expired, at most a few steps before its deadline: wait for the
 * deadline on the TSC, a constant bound (PIT_SPIN_MAX_NS) with interrupts
 * off. An expiry earlier than that (the TSC and the PIT are separate
 * clocks) goes to the kernel as is, which finds nothing due and rearms.
 */
static void pit_deadline_wait(void)
{
	uint64_t now;
	while ((now = board_clock_ns()) < pit_deadline && pit_deadline - now <= PIT_SPIN_MAX_NS)
		;
}

/* Move every byte waiting in the UART into the console ring. */
static void uart_rx_drain(void)
{
	int c;
	while ((c = uart16550_getc(BOARD_COM1)) >= 0)
		console_rx_byte((char)c);
}

/*
 * Serve COM1 until IIR says nothing is pending, for COM1_ROUNDS rounds at
 * most: a bounded time with interrupts off, although QEMU's UART asks for
 * the next byte the moment one is written. The 8259A is edge-triggered,
 * so when rounds run out with a cause still pending the line is dropped
 * and raised again (IER off and back on): the new edge brings us back
 * after the EOI.
 */
static void com1_irq(void)
{
	for (int i = 0; i < COM1_ROUNDS; i++) {
		switch (uart16550_irq_next(BOARD_COM1)) {
		case UART16550_IRQ_NONE:
			return;
		case UART16550_IRQ_RX:
			uart_rx_drain();
			break;
		case UART16550_IRQ_TX:
			console_tx_interrupt();
			break;
		case UART16550_IRQ_OTHER:
			break;
		}
	}
	uart16550_irq_rearm(BOARD_COM1);
}

/*
 * The kernel takes one interrupt at a time with IF clear, so the in-service
 * register names it. No bit set is a spurious IRQ 7: no EOI for that one.
 */
void board_irq_dispatch(void)
{
	uint8_t isr = i8259_isr_read(BOARD_PIC1);
	if (isr & (1u << BOARD_IRQ_PIT)) {
		pit_deadline_wait();
		timer_interrupt();
	} else if (isr & (1u << BOARD_IRQ_COM1)) {
		com1_irq();
	} else if (!(isr & (1u << BOARD_IRQ_CASCADE))) {
		return;
	}
	i8259_eoi(BOARD_PIC1); /* a spurious IRQ 15 still needs the master's EOI */
}

/*
 * isa-debug-exit ends QEMU with exit code (value << 1) | 1: calf.run
 * shifts it back. Exit codes are 8 bits, so only 0-127 survive; larger
 * statuses (init killed by a signal: 128 + signal) arrive as 127.
 */
_Noreturn void board_poweroff(int status)
{
	outl(BOARD_DEBUG_EXIT, (uint32_t)(status < 0 || status > 127 ? 127 : status));
	printk("calf: no isa-debug-exit device; halting\n");
	for (;;)
		__asm__ volatile("cli\n\thlt");
}
