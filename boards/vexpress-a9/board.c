/*
 * board.c (vexpress-a9) - the Versatile Express A9 as QEMU models it: which
 * drivers sit at which address (PL011 console, GIC, Cortex-A9 private and
 * global timers), how their interrupts reach the kernel, and power-off.
 */
#include <stdbool.h>
#include <stdint.h>

#include <drivers/a9mpcore.h>
#include <drivers/arm_semihosting.h>
#include <drivers/pl011.h>
#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/timer.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* V2M-P1 system registers: SYS_CFGCTRL function 8 is shutdown. */
#define SYS_CFGCTRL 0xA4
#define SYS_CFGCTRL_SHUTDOWN 0xC0800000u

/* Interrupts served per entry to board_irq_dispatch(). */
#define IRQ_BATCH 4

static const struct a9mpcore mpcore = A9MPCORE_AT(BOARD_MPCORE_VA, BOARD_GTIMER_NS_PER_TICK);

const struct board_devmap board_devmap[] = {
	{ BOARD_MB_PA, BOARD_MB_VA, 1u << 20 },
	{ BOARD_MPCORE_PA, BOARD_MPCORE_VA, 1u << 20 },
};
const unsigned board_devmap_count = sizeof(board_devmap) / sizeof(board_devmap[0]);

void board_ram_get(paddr_t *base, size_t *size)
{
	*base = BOARD_RAM_BASE;
	*size = BOARD_RAM_SIZE;
}

/*
 * 38400 8N1, as the V2M-P1 Boot Monitor and Linux leave UART0: set here, not
 * left to a loader, so a kernel booted straight from flash talks at a known
 * rate. UARTCLK is the motherboard's 24 MHz reference (ARM DUI 0447).
 */
void board_console_init(void)
{
	pl011_line_set(BOARD_UART0_VA, BOARD_UART_CLK_HZ, BOARD_CONSOLE_BAUD);
	pl011_init(BOARD_UART0_VA);
}

void board_console_putc(char c)
{
	pl011_putc(BOARD_UART0_VA, c);
}

bool board_console_tx_ready(void)
{
	return pl011_tx_ready(BOARD_UART0_VA);
}

void board_console_tx_put(char c)
{
	pl011_tx_put(BOARD_UART0_VA, c);
}

void board_console_tx_irq(bool on)
{
	pl011_tx_irq_enable(BOARD_UART0_VA, on);
}

void board_irq_init(void)
{
	a9mpcore_irq_init(&mpcore);
	a9mpcore_irq_enable(&mpcore, BOARD_IRQ_UART0);
	pl011_rx_irq_enable(BOARD_UART0_VA);
}

void board_timer_init(void)
{
	a9mpcore_timer_init(&mpcore);
}

void board_timer_set(uint64_t deadline_ns)
{
	a9mpcore_timer_set(&mpcore, deadline_ns);
}

uint64_t board_clock_ns(void)
{
	return a9mpcore_clock_ns(&mpcore);
}

uint32_t board_clock_res_ns(void)
{
	return BOARD_GTIMER_NS_PER_TICK;
}

/*
 * Move the bytes waiting in the UART into the console ring: at most a
 * FIFO's worth, so the time spent here is bounded while input streams in.
 * The interrupt is cleared first: a byte that lands after the last read
 * raises it again. Cleared after the reads, such a byte sat in a full
 * holding register with no interrupt due, and input stopped for good.
 */
static void uart_rx_drain(void)
{
	pl011_rx_irq_clear(BOARD_UART0_VA);
	int c;
	for (unsigned n = 0; n < PL011_FIFO_DEPTH && (c = pl011_getc(BOARD_UART0_VA)) >= 0; n++)
		console_rx_byte((char)c);
}

/* Receive and transmit share the UART's one line: UARTMIS says which are due. */
static void uart_irq(void)
{
	uint32_t mis = pl011_irq_status(BOARD_UART0_VA);
	if (mis & PL011_IRQ_RX)
		uart_rx_drain();
	if (mis & PL011_IRQ_TX) {
		/* Clear before refilling: each byte written raises it again once sent. */
		pl011_tx_irq_clear(BOARD_UART0_VA);
		console_tx_interrupt();
	}
}

/* What each interrupt the GIC hands over means on this board. */
static void irq_handle(uint32_t id)
{
	if (id == A9MPCORE_IRQ_GTIMER)
		timer_interrupt();
	else if (id == BOARD_IRQ_UART0)
		uart_irq();
}

/*
 * At most IRQ_BATCH interrupts per entry, so the time with interrupts off
 * stays bounded even when a source is raised again as fast as it is served
 * (QEMU's UART sends a byte the moment it is written): the GIC holds what
 * is left, and it is taken again on the way out.
 */
void board_irq_dispatch(void)
{
	a9mpcore_irq_dispatch(&mpcore, IRQ_BATCH, irq_handle);
}

/*
 * An image for hardware (calf_hardware_image, kernel/board.h) has no
 * semihosting host to take an SVC 0x123456: it would trap into the
 * kernel's own SVC vector. It says its status on the console, the one
 * channel a board always has (./calf run --from-flash reads the line),
 * and powers off through the motherboard's system controller:
 * SYS_CFGCTRL function 8, site 0 (V2M-P1 TRM, ARM DUI 0447, "SYS_CFGCTRL"; QEMU
 * hw/misc/arm_sysctl.c: SYS_CFG_SHUTDOWN ends the machine). Other images
 * keep semihosting, so QEMU's own exit code carries the status.
 */
_Noreturn void board_poweroff(int status)
{
	static int attempts;
	if (&calf_hardware_image) {
		printk(CALF_POWEROFF_LINE "%d\n", status);
		console_sync();
	} else if (attempts++ == 0) {
		/* Without a semihosting host the SVC traps back here: then use the motherboard. */
		arm_semihosting_exit(status);
	}
	REG(BOARD_SYSREG_VA, SYS_CFGCTRL) = SYS_CFGCTRL_SHUTDOWN;
	for (;;)
		__asm__ volatile("wfi");
}
