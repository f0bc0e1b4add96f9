/*
 * board.c (xilinx-zynq-a9) - a Zynq-7000 as QEMU models it: which drivers
 * sit at which address (Cadence UART console, the Cortex-A9 MPCore's GIC
 * and global timer, as on vexpress-a9), how their interrupts reach the
 * kernel, and power-off through the SLCR.
 */
#include <stdbool.h>
#include <stdint.h>

#include <drivers/a9mpcore.h>
#include <drivers/arm_semihosting.h>
#include <drivers/cadence_uart.h>
#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/timer.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* SLCR (UG585 B.28): writes need the unlock key; PSS_RST_CTRL.SOFT_RST resets the system. */
#define SLCR_UNLOCK 0x008
#define SLCR_UNLOCK_KEY 0xDF0Du
#define SLCR_PSS_RST_CTRL 0x200
#define SLCR_SOFT_RST 0x1u

/* Interrupts served per entry to board_irq_dispatch(). */
#define IRQ_BATCH 4

static const struct a9mpcore mpcore = A9MPCORE_AT(BOARD_MPCORE_VA, BOARD_GTIMER_NS_PER_TICK);

const struct board_devmap board_devmap[] = {
	{ BOARD_IOP_PA, BOARD_IOP_VA, 1u << 20 },
	{ BOARD_SLCR_PA, BOARD_SLCR_VA, 1u << 20 },
	{ BOARD_MPCORE_PA, BOARD_MPCORE_VA, 1u << 20 },
};
const unsigned board_devmap_count = sizeof(board_devmap) / sizeof(board_devmap[0]);

void board_ram_get(paddr_t *base, size_t *size)
{
	*base = BOARD_RAM_BASE;
	*size = BOARD_RAM_SIZE;
}

/*
 * 115200 8N1, as Xilinx's FSBL and U-Boot leave UART0: set here, not left
 * to a loader, so a kernel entered straight from a boot medium talks at a
 * known rate.
 */
void board_console_init(void)
{
	cadence_uart_line_set(BOARD_UART0_VA, BOARD_UART_CLK_HZ, BOARD_CONSOLE_BAUD);
	cadence_uart_init(BOARD_UART0_VA);
}

void board_console_putc(char c)
{
	cadence_uart_putc(BOARD_UART0_VA, c);
}

bool board_console_tx_ready(void)
{
	return cadence_uart_tx_ready(BOARD_UART0_VA);
}

void board_console_tx_put(char c)
{
	cadence_uart_tx_put(BOARD_UART0_VA, c);
}

void board_console_tx_irq(bool on)
{
	cadence_uart_tx_irq_enable(BOARD_UART0_VA, on);
}

void board_irq_init(void)
{
	a9mpcore_irq_init(&mpcore);
	a9mpcore_irq_enable(&mpcore, BOARD_IRQ_UART0);
	cadence_uart_rx_irq_enable(BOARD_UART0_VA);
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
 * The receive interrupt is cleared first (cadence_uart.c says why).
 */
static void uart_rx_drain(void)
{
	cadence_uart_rx_irq_clear(BOARD_UART0_VA);
	int c;
	for (unsigned n = 0; n < CADENCE_UART_FIFO_DEPTH && (c = cadence_uart_getc(BOARD_UART0_VA)) >= 0; n++)
		console_rx_byte((char)c);
}

/* Receive and transmit share the UART's one line: the interrupt status says which are due. */
static void uart_irq(void)
{
	uint32_t pending = cadence_uart_irq_status(BOARD_UART0_VA);
	if (pending & CADENCE_UART_IRQ_RX)
		uart_rx_drain();
	if (pending & CADENCE_UART_IRQ_TX) {
		/* Cleared before refilling: an empty FIFO raises it again. */
		cadence_uart_tx_irq_clear(BOARD_UART0_VA);
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
 * semihosting host: it says its status on the console (./calf run
 * --from-flash reads the line) and resets the system through the SLCR
 * (UG585 26.2 "Reset"; QEMU hw/misc/zynq_slcr.c; with -no-reboot QEMU
 * exits). A Zynq cannot switch its own power off: a reset is what a
 * board's power-off amounts to. Other images use semihosting, so QEMU's
 * exit code carries the status.
 */
_Noreturn void board_poweroff(int status)
{
	static int attempts;
	if (&calf_hardware_image) {
		printk(CALF_POWEROFF_LINE "%d\n", status);
		console_sync();
	} else if (attempts++ == 0) {
		/* Without a semihosting host the SVC traps back here: then reset. */
		arm_semihosting_exit(status);
	}
	REG(BOARD_SLCR_VA, SLCR_UNLOCK) = SLCR_UNLOCK_KEY;
	REG(BOARD_SLCR_VA, SLCR_PSS_RST_CTRL) = SLCR_SOFT_RST;
	for (;;)
		__asm__ volatile("wfi");
}
