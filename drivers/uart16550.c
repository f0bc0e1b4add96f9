/*
 * uart16550.c - NS16550A-compatible UART (National Semiconductor / TI
 * PC16550D data sheet, "Registers"), reached through I/O ports.
 */
#include <stdint.h>

#include <arch_io.h>
#include <drivers/uart16550.h>

/* Registers (offsets from the port base) and bits. */
#define UART_DATA 0 /* RBR/THR; with LCR.DLAB: divisor latch low byte */
#define UART_IER 1  /* with LCR.DLAB: divisor latch high byte */
#define UART_IER_RX 0x01u /* received data available */
#define UART_FCR 2
/* 16450 mode: enabling the FIFOs would clear input QEMU already queued. */
#define UART_FCR_NO_FIFO 0x00u
#define UART_LCR 3
#define UART_LCR_8N1 0x03u
#define UART_LCR_DLAB 0x80u
#define UART_MCR 4
#define UART_MCR_DTR_RTS_OUT2 0x0Bu /* OUT2 gates the interrupt line on a PC */
#define UART_LSR 5
#define UART_LSR_DR 0x01u   /* data ready */
#define UART_LSR_THRE 0x20u /* transmitter holding register empty */

void uart16550_init(uint16_t port, uint16_t divisor)
{
	outb(port + UART_IER, 0);
	/* DLAB turns offsets 0 and 1 into the divisor latch until it is cleared. */
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + UART_DATA, divisor & 0xFFu);
	outb(port + UART_IER, divisor >> 8);
	outb(port + UART_LCR, UART_LCR_8N1);
	outb(port + UART_FCR, UART_FCR_NO_FIFO);
	outb(port + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void uart16550_putc(uint16_t port, char c)
{
	while (!(inb(port + UART_LSR) & UART_LSR_THRE))
		;
	outb(port + UART_DATA, (uint8_t)c);
}

void uart16550_rx_irq_enable(uint16_t port)
{
	outb(port + UART_IER, UART_IER_RX);
}

int uart16550_getc(uint16_t port)
{
	if (!(inb(port + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(port + UART_DATA);
}
