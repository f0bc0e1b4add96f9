/*
 * cadence_uart.c - the Zynq-7000's Cadence UART (UG585 19.2 "Functional
 * Description", B.33 register reference; QEMU hw/char/cadence_uart.c).
 *
 * The receive trigger level is one byte, so each arrival raises the
 * interrupt. Its status bit is an event: the board clears it before
 * draining the FIFO, never after, so a byte that lands during the drain
 * raises it again instead of waiting unseen behind a cleared bit (QEMU
 * derives it from the FIFO level and would forgive either order; the
 * silicon need not).
 */
#include <stdint.h>

#include <drivers/cadence_uart.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

#define UART_CR 0x00 /* control */
#define UART_CR_RXRES (1u << 0) /* reset the receive path and FIFO (self-clearing) */
#define UART_CR_TXRES (1u << 1)
#define UART_CR_RX_EN (1u << 2)
#define UART_CR_RX_DIS (1u << 3)
#define UART_CR_TX_EN (1u << 4)
#define UART_CR_TX_DIS (1u << 5)
#define UART_CR_STPBRK (1u << 8) /* no break */
#define UART_MR 0x04 /* mode */
#define UART_MR_8N1 (4u << 3) /* CHRL 00: 8 bits; PAR 1xx: none; NBSTOP 00: 1; CLKS 0: uart_ref_clk */
#define UART_IER 0x08 /* interrupt enable, write 1 */
#define UART_IDR 0x0C /* interrupt disable, write 1 */
#define UART_ISR 0x14 /* interrupt status, write 1 to clear */
#define UART_IMR 0x10 /* interrupt mask: 1 = enabled */
#define UART_BAUDGEN 0x18 /* CD */
#define UART_RXWM 0x20 /* receive FIFO trigger level */
#define UART_SR 0x2C /* channel status */
#define UART_SR_REMPTY (1u << 1)
#define UART_SR_TFUL (1u << 4)
#define UART_SR_TACTIVE (1u << 11) /* still shifting a byte out */
#define UART_FIFO 0x30
#define UART_BAUDDIV 0x34 /* BDIV */
#define UART_INT_ALL 0x1FFFu

/* BDIV + 1 = 7 samples a bit, as Xilinx's drivers start from; CD then sets the rate. */
#define UART_BDIV 6u

/*
 * UG585 19.2.3: baud = clk / (CD * (BDIV + 1)), CD in 1..65535. A line
 * change waits for the byte being sent, then resets the FIFOs with both
 * directions disabled, as UG585 19.3.1 ("Configure the controller") orders.
 */
void cadence_uart_line_set(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	uint32_t cd = (clk_hz + baud * (UART_BDIV + 1u) / 2u) / (baud * (UART_BDIV + 1u));
	if (cd < 1u)
		cd = 1u;
	if (cd > 0xFFFFu)
		cd = 0xFFFFu;
	while ((REG(base, UART_SR) & UART_SR_TACTIVE) != 0)
		;
	REG(base, UART_CR) = UART_CR_RX_DIS | UART_CR_TX_DIS | UART_CR_STPBRK;
	REG(base, UART_MR) = UART_MR_8N1;
	REG(base, UART_BAUDGEN) = cd;
	REG(base, UART_BAUDDIV) = UART_BDIV;
	REG(base, UART_CR) = UART_CR_RX_DIS | UART_CR_TX_DIS | UART_CR_STPBRK | UART_CR_RXRES |
			     UART_CR_TXRES;
}

void cadence_uart_init(uintptr_t base)
{
	REG(base, UART_IDR) = UART_INT_ALL;
	REG(base, UART_ISR) = UART_INT_ALL;
	REG(base, UART_RXWM) = 1u;
	REG(base, UART_CR) = UART_CR_RX_EN | UART_CR_TX_EN | UART_CR_STPBRK;
}

void cadence_uart_putc(uintptr_t base, char c)
{
	while (!cadence_uart_tx_ready(base))
		;
	REG(base, UART_FIFO) = (uint8_t)c;
}

bool cadence_uart_tx_ready(uintptr_t base)
{
	return (REG(base, UART_SR) & UART_SR_TFUL) == 0;
}

void cadence_uart_tx_put(uintptr_t base, char c)
{
	REG(base, UART_FIFO) = (uint8_t)c;
}

void cadence_uart_tx_irq_enable(uintptr_t base, bool on)
{
	REG(base, on ? UART_IER : UART_IDR) = CADENCE_UART_IRQ_TX;
}

void cadence_uart_tx_irq_clear(uintptr_t base)
{
	REG(base, UART_ISR) = CADENCE_UART_IRQ_TX;
}

uint32_t cadence_uart_irq_status(uintptr_t base)
{
	return REG(base, UART_ISR) & REG(base, UART_IMR);
}

void cadence_uart_rx_irq_enable(uintptr_t base)
{
	REG(base, UART_IER) = CADENCE_UART_IRQ_RX;
}

void cadence_uart_rx_irq_clear(uintptr_t base)
{
	REG(base, UART_ISR) = CADENCE_UART_IRQ_RX;
}

int cadence_uart_getc(uintptr_t base)
{
	if (REG(base, UART_SR) & UART_SR_REMPTY)
		return -1;
	return (int)(REG(base, UART_FIFO) & 0xFFu);
}
