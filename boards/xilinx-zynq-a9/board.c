/*
 * board.c (xilinx-zynq-a9) - a Zynq-7000 as QEMU models it: which drivers
 * sit at which address (Cadence UART console, the Cortex-A9 MPCore's GIC
 * and global timer, as on vexpress-a9), how their interrupts reach the
 * kernel, and power-off through the SLCR.
 */
#include <stdbool.h>
#include <stdint.h>

#include <drivers/a9_timer.h>
#include <drivers/arm_semihosting.h>
#include <drivers/gic.h>
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

/* Every interrupt at one middle priority, routed to CPU 0. */
#define IRQ_PRIORITY 0xA0u
#define IRQ_CPU0 0x01u

/* Interrupts served per entry to board_irq_dispatch(). */
#define IRQ_BATCH 4

static const struct gic gic = { BOARD_GICD_VA, BOARD_GICC_VA };

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
	gic_init(&gic);
	gic_irq_enable(&gic, BOARD_IRQ_UART0, IRQ_PRIORITY, IRQ_CPU0);
	cadence_uart_rx_irq_enable(BOARD_UART0_VA);
}

void board_timer_init(void)
{
	a9_timer_global_start(BOARD_GTIMER_VA);
	gic_irq_enable(&gic, BOARD_IRQ_GTIMER, IRQ_PRIORITY, IRQ_CPU0);
}

void board_timer_set(uint64_t deadline_ns)
{
	/* Round up: the event comes at the first count that is not before the deadline. */
	uint64_t count = (deadline_ns + BOARD_GTIMER_NS_PER_TICK - 1) / BOARD_GTIMER_NS_PER_TICK;
	a9_timer_compare_set(BOARD_GTIMER_VA, count);
}

uint64_t board_clock_ns(void)
{
	return a9_timer_global_read(BOARD_GTIMER_VA) * BOARD_GTIMER_NS_PER_TICK;
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

/*
 * At most IRQ_BATCH interrupts per entry, so the time with interrupts off
 * stays bounded even when a source is raised again as fast as it is served
 * (QEMU's UART sends a byte the moment it is written): the GIC holds what
 * is left, and it is taken again on the way out.
 */
void board_irq_dispatch(void)
{
	for (int i = 0; i < IRQ_BATCH; i++) {
		uint32_t iar = gic_ack(&gic);
		if (gic_is_spurious(iar))
			return;
		uint32_t id = gic_irq_id(iar);
		if (id == BOARD_IRQ_GTIMER) {
			a9_timer_compare_ack(BOARD_GTIMER_VA);
			timer_interrupt();
		} else if (id == BOARD_IRQ_UART0) {
			uart_irq();
		}
		gic_eoi(&gic, iar);
	}
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
