/*
 * pl011.c - ARM PrimeCell UART PL011 (ARM DDI 0183, chapter 3,
 * "Programmers Model").
 */
#include <stdint.h>

#include <drivers/pl011.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

#define UART_DR 0x00 /* data: bits 7:0, receive error flags above */
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4) /* receive FIFO (or holding register) empty */
#define UART_FR_TXFF (1u << 5) /* transmit FIFO (or holding register) full */
#define UART_FR_BUSY (1u << 3) /* still sending a byte */
#define UART_IBRD 0x24 /* integer part of the baud divisor */
#define UART_FBRD 0x28 /* its fraction, in 64ths */
#define UART_LCR_H 0x2C
#define UART_LCR_H_FEN (1u << 4)     /* FIFOs enabled */
#define UART_LCR_H_WLEN_8 (3u << 5)  /* 8 data bits; PEN, STP2 clear: no parity, 1 stop bit */
#define UART_CR 0x30
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)
#define UART_CR_RXE (1u << 9)
#define UART_IMSC 0x38
#define UART_IMSC_RXIM (1u << 4) /* receive */
#define UART_IMSC_TXIM (1u << 5) /* transmit */
#define UART_IMSC_RTIM (1u << 6) /* receive timeout: bytes below the FIFO trigger level */
#define UART_IMSC_RX (UART_IMSC_RXIM | UART_IMSC_RTIM)
#define UART_MIS 0x40 /* masked interrupt status: same bit layout as IMSC (3.3.12) */
#define UART_ICR 0x44 /* same bit layout as IMSC, write 1 to clear */

_Static_assert(PL011_IRQ_RX == UART_IMSC_RX && PL011_IRQ_TX == UART_IMSC_TXIM,
	       "the status bits the header names are UARTMIS's");

void pl011_init(uintptr_t base)
{
	REG(base, UART_CR) = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
}

/*
 * DDI 0183 3.3.6: divisor = UARTCLK / (16 * baud), IBRD its integer part,
 * FBRD its fraction in 64ths rounded: 64 * UARTCLK / (16 * baud) + 0.5 in
 * all. 3.3.8: reprogram with the UART disabled, after the byte being sent;
 * 3.3.7: IBRD and FBRD take effect on the UARTLCR_H write that follows.
 */
void pl011_line_set(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	uint32_t div64 = (uint32_t)(((uint64_t)clk_hz * 4u + baud / 2u) / baud);
	while (REG(base, UART_FR) & UART_FR_BUSY)
		;
	REG(base, UART_CR) = 0;
	REG(base, UART_IBRD) = div64 >> 6;
	REG(base, UART_FBRD) = div64 & 63u;
	REG(base, UART_LCR_H) = (REG(base, UART_LCR_H) & UART_LCR_H_FEN) | UART_LCR_H_WLEN_8;
}

void pl011_putc(uintptr_t base, char c)
{
	while (REG(base, UART_FR) & UART_FR_TXFF)
		;
	REG(base, UART_DR) = (uint8_t)c;
}

bool pl011_tx_ready(uintptr_t base)
{
	return !(REG(base, UART_FR) & UART_FR_TXFF);
}

void pl011_tx_put(uintptr_t base, char c)
{
	REG(base, UART_DR) = (uint8_t)c;
}

void pl011_tx_irq_enable(uintptr_t base, bool on)
{
	uint32_t imsc = REG(base, UART_IMSC);
	REG(base, UART_IMSC) = on ? imsc | UART_IMSC_TXIM : imsc & ~UART_IMSC_TXIM;
}

void pl011_tx_irq_clear(uintptr_t base)
{
	REG(base, UART_ICR) = UART_IMSC_TXIM;
}

uint32_t pl011_irq_status(uintptr_t base)
{
	return REG(base, UART_MIS);
}

void pl011_rx_irq_enable(uintptr_t base)
{
	/* Both: with the FIFO on, RXIM alone waits for the trigger level and a lone byte sits. */
	REG(base, UART_IMSC) |= UART_IMSC_RX;
}

int pl011_getc(uintptr_t base)
{
	if (REG(base, UART_FR) & UART_FR_RXFE)
		return -1;
	return (int)(REG(base, UART_DR) & 0xFFu);
}

void pl011_rx_irq_clear(uintptr_t base)
{
	REG(base, UART_ICR) = UART_IMSC_RX;
}
