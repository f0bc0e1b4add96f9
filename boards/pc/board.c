/*
 * board.c (pc) - 16550 console, 8259A interrupt controllers, 8254 tick,
 * TSC clock and isa-debug-exit power-off for QEMU's "pc" machine.
 */
#include <inttypes.h>
#include <stdint.h>

#include <multiboot.h>
#include <arch_io.h>
#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/pmap.h>

/* 16550 registers (offsets from BOARD_COM1) and bits. */
#define UART_DATA 0 /* with LCR.DLAB: divisor low byte */
#define UART_IER 1  /* with LCR.DLAB: divisor high byte */
#define UART_IER_RX 0x01u
#define UART_FCR 2
#define UART_FCR_NO_FIFO 0x00u /* 16450 mode: enabling FIFOs would clear input QEMU already queued */
#define UART_LCR 3
#define UART_LCR_8N1 0x03u
#define UART_LCR_DLAB 0x80u
#define UART_MCR 4
#define UART_MCR_DTR_RTS_OUT2 0x0Bu /* OUT2 gates the interrupt line on a PC */
#define UART_LSR 5
#define UART_LSR_DR 0x01u
#define UART_LSR_THRE 0x20u
#define UART_DIVISOR_115200 1u

/* 8259A: ICW1-4 for a cascaded pair, OCW2 EOI, OCW3 "read ISR". */
#define PIC_ICW1_INIT_ICW4 0x11u
#define PIC_ICW4_8086 0x01u
#define PIC_EOI 0x20u
#define PIC_READ_ISR 0x0Bu

/* 8254 mode words: channel, access lo/hi byte, mode, binary. */
#define PIT_CH0_RATE_GEN 0x34u   /* channel 0, mode 2 */
#define PIT_CH2_ONE_SHOT 0xB0u   /* channel 2, mode 0: OUT rises at terminal count */
#define PIT_CALIBRATE_COUNT 59659u /* 50 ms of PIT input clock */

/* Every device is on an I/O port: no window to map (one zero entry, as C has no empty array). */
const struct board_devmap board_devmap[1];
const unsigned board_devmap_count = 0;

static uint32_t tsc_mhz;

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
	outb(BOARD_COM1 + UART_IER, 0);
	outb(BOARD_COM1 + UART_LCR, UART_LCR_DLAB);
	outb(BOARD_COM1 + UART_DATA, UART_DIVISOR_115200);
	outb(BOARD_COM1 + UART_IER, 0);
	outb(BOARD_COM1 + UART_LCR, UART_LCR_8N1);
	outb(BOARD_COM1 + UART_FCR, UART_FCR_NO_FIFO);
	outb(BOARD_COM1 + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void board_console_putc(char c)
{
	while (!(inb(BOARD_COM1 + UART_LSR) & UART_LSR_THRE))
		;
	outb(BOARD_COM1 + UART_DATA, (uint8_t)c);
}

/* Program one 8259A: vector base, cascade wiring, 8086 mode, interrupt mask. */
static void pic_init(uint16_t port, uint8_t vector_base, uint8_t cascade, uint8_t mask)
{
	outb(port, PIC_ICW1_INIT_ICW4);
	outb(port + 1, vector_base);
	outb(port + 1, cascade);
	outb(port + 1, PIC_ICW4_8086);
	outb(port + 1, mask);
}

void board_irq_init(void)
{
	uint8_t open = (1u << BOARD_IRQ_PIT) | (1u << BOARD_IRQ_CASCADE) | (1u << BOARD_IRQ_COM1);
	pic_init(BOARD_PIC1, BOARD_IRQ_VECTOR_BASE, 1u << BOARD_IRQ_CASCADE, (uint8_t)~open);
	pic_init(BOARD_PIC2, BOARD_IRQ_VECTOR_BASE + 8, BOARD_IRQ_CASCADE, 0xFF);
	outb(BOARD_COM1 + UART_IER, UART_IER_RX);
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
	outb(BOARD_PIT_CMD, PIT_CH2_ONE_SHOT);
	outb(BOARD_PIT_CH2, PIT_CALIBRATE_COUNT & 0xFFu);
	outb(BOARD_PIT_CH2, PIT_CALIBRATE_COUNT >> 8);
	uint64_t start = rdtsc();
	while (!(inb(BOARD_PORT_B) & BOARD_PORT_B_OUT2))
		;
	uint64_t cycles = rdtsc() - start;
	outb(BOARD_PORT_B, port_b);
	uint64_t ns = (uint64_t)PIT_CALIBRATE_COUNT * 1000000000u / BOARD_PIT_HZ;
	return (uint32_t)((cycles * 1000u + ns / 2) / ns);
}

void board_tick_start(uint32_t hz)
{
	tsc_mhz = tsc_calibrate();
	if (tsc_mhz == 0)
		panic("TSC calibration failed");
	printk("clock: TSC at %" PRIu32 " MHz (measured against the PIT)\n", tsc_mhz);
	uint32_t divisor = (BOARD_PIT_HZ + hz / 2) / hz;
	outb(BOARD_PIT_CMD, PIT_CH0_RATE_GEN);
	outb(BOARD_PIT_CH0, divisor & 0xFFu);
	outb(BOARD_PIT_CH0, divisor >> 8);
}

uint64_t board_clock_ns(void)
{
	uint64_t tsc = rdtsc();
	return tsc / tsc_mhz * 1000u + tsc % tsc_mhz * 1000u / tsc_mhz;
}

/* Read the in-service register of the 8259A at port. */
static uint8_t pic_isr(uint16_t port)
{
	outb(port, PIC_READ_ISR);
	return inb(port);
}

static void uart_rx_drain(void)
{
	while (inb(BOARD_COM1 + UART_LSR) & UART_LSR_DR)
		console_rx_byte((char)inb(BOARD_COM1 + UART_DATA));
}

/*
 * The kernel takes one interrupt at a time with IF clear, so the in-service
 * register names it. No bit set is a spurious IRQ 7: no EOI for that one.
 */
void board_irq_dispatch(void)
{
	uint8_t isr = pic_isr(BOARD_PIC1);
	if (isr & (1u << BOARD_IRQ_PIT))
		sched_tick();
	else if (isr & (1u << BOARD_IRQ_COM1))
		uart_rx_drain();
	else if (!(isr & (1u << BOARD_IRQ_CASCADE)))
		return;
	outb(BOARD_PIC1, PIC_EOI); /* a spurious IRQ 15 still needs the master's EOI */
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
