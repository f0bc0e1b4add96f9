/*
 * board.c (vexpress-a9) - PL011 console, GIC, Cortex-A9 private timer and
 * power-off for the Versatile Express A9 as QEMU models it.
 */
#include <stdint.h>

#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/sched.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* PL011 (ARM DDI 0183): data, flags, control, interrupt mask and clear. */
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_CR 0x30
#define UART_CR_EN 0x301u /* UARTEN | TXE | RXE */
#define UART_IMSC 0x38
#define UART_IMSC_RX ((1u << 4) | (1u << 6)) /* receive and receive timeout */
#define UART_ICR 0x44

/* GIC v1 (ARM IHI 0048): distributor and CPU interface registers. */
#define GICD_CTLR 0x000
#define GICD_ISENABLER(n) (0x100 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x400 + 4 * (n))
#define GICD_ITARGETSR(n) (0x800 + 4 * (n))
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1020u

/* Cortex-A9 private timer (ARM DDI 0407, 4.2). */
#define PTIMER_LOAD 0x00
#define PTIMER_CTRL 0x08
#define PTIMER_CTRL_EN_RELOAD_IRQ 0x7u
#define PTIMER_ISR 0x0C

/* Cortex-A9 global timer (ARM DDI 0407, 4.3): a 64-bit up-counter. */
#define GTIMER_LO 0x00
#define GTIMER_HI 0x04
#define GTIMER_CTRL 0x08
#define GTIMER_CTRL_EN 0x1u

/* V2M-P1 system registers: SYS_CFGCTRL function 8 is shutdown. */
#define SYS_CFGCTRL 0xA4
#define SYS_CFGCTRL_SHUTDOWN 0xC0800000u

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

void board_console_init(void)
{
	REG(BOARD_UART0_VA, UART_CR) = UART_CR_EN;
}

void board_console_putc(char c)
{
	while (REG(BOARD_UART0_VA, UART_FR) & UART_FR_TXFF)
		;
	REG(BOARD_UART0_VA, UART_DR) = (uint8_t)c;
}

/* Route interrupt id to CPU 0 at a middle priority and enable it. */
static void gic_enable(uint32_t id)
{
	volatile uint8_t *prio = (volatile uint8_t *)(BOARD_GICD_VA + GICD_IPRIORITYR(0));
	volatile uint8_t *target = (volatile uint8_t *)(BOARD_GICD_VA + GICD_ITARGETSR(0));
	prio[id] = 0xA0;
	if (id >= 32)
		target[id] = 0x01; /* SGI/PPI targets are read-only */
	REG(BOARD_GICD_VA, GICD_ISENABLER(id / 32)) = 1u << (id % 32);
}

void board_irq_init(void)
{
	REG(BOARD_GICD_VA, GICD_CTLR) = 1;
	REG(BOARD_GICC_VA, GICC_PMR) = 0xF0; /* accept every priority above 0xF0 */
	REG(BOARD_GICC_VA, GICC_CTLR) = 1;
	gic_enable(BOARD_IRQ_UART0);
	REG(BOARD_UART0_VA, UART_IMSC) = UART_IMSC_RX;
}

void board_tick_start(uint32_t hz)
{
	REG(BOARD_GTIMER_VA, GTIMER_CTRL) = GTIMER_CTRL_EN;
	REG(BOARD_PTIMER_VA, PTIMER_LOAD) = BOARD_PTIMER_HZ / hz - 1;
	REG(BOARD_PTIMER_VA, PTIMER_CTRL) = PTIMER_CTRL_EN_RELOAD_IRQ;
	gic_enable(BOARD_IRQ_PTIMER);
}

uint64_t board_clock_ns(void)
{
	uint32_t hi, lo;
	do { /* re-read if the low word carried into the high one meanwhile */
		hi = REG(BOARD_GTIMER_VA, GTIMER_HI);
		lo = REG(BOARD_GTIMER_VA, GTIMER_LO);
	} while (REG(BOARD_GTIMER_VA, GTIMER_HI) != hi);
	return (((uint64_t)hi << 32) | lo) * BOARD_GTIMER_NS_PER_TICK;
}

/* Move every byte waiting in the UART into the console ring. */
static void uart_rx_drain(void)
{
	while (!(REG(BOARD_UART0_VA, UART_FR) & UART_FR_RXFE))
		console_rx_byte((char)REG(BOARD_UART0_VA, UART_DR));
	REG(BOARD_UART0_VA, UART_ICR) = UART_IMSC_RX;
}

void board_irq_dispatch(void)
{
	for (;;) {
		uint32_t iar = REG(BOARD_GICC_VA, GICC_IAR);
		uint32_t id = iar & 0x3FFu;
		if (id >= GIC_SPURIOUS)
			return;
		if (id == BOARD_IRQ_PTIMER) {
			REG(BOARD_PTIMER_VA, PTIMER_ISR) = 1;
			sched_tick();
		} else if (id == BOARD_IRQ_UART0) {
			uart_rx_drain();
		}
		REG(BOARD_GICC_VA, GICC_EOIR) = iar;
	}
}

/*
 * Semihosting SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit
 * hands status to QEMU (-semihosting) or a debugger as the exit code.
 */
static void semihosting_exit(int status)
{
	static volatile uint32_t block[2];
	block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
	block[1] = (uint32_t)status;
	register uint32_t r0 __asm__("r0") = 0x20;
	register uint32_t r1 __asm__("r1") = (uint32_t)block;
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
}

_Noreturn void board_poweroff(int status)
{
	static int attempts;
	/* Without a semihosting host the SVC traps back here: then use the motherboard. */
	if (attempts++ == 0)
		semihosting_exit(status);
	REG(BOARD_SYSREG_VA, SYS_CFGCTRL) = SYS_CFGCTRL_SHUTDOWN;
	for (;;)
		__asm__ volatile("wfi");
}
