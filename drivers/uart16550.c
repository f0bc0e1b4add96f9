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
#define UART_IER_RX 0x01u /* ERBFI: received data available */
#define UART_IER_TX 0x02u /* ETBEI: transmitter holding register empty */
#define UART_IIR 2  /* read: interrupt identification */
#define UART_IIR_NONE 0x01u /* bit 0 set: no interrupt pending */
#define UART_IIR_ID 0x0Eu   /* bits 3:1, the pending source of highest priority (Table IV) */
#define UART_IIR_LSR 0x06u  /* receiver line status: cleared by reading LSR */
#define UART_IIR_RX 0x04u   /* received data available: cleared by reading RBR */
#define UART_IIR_RXTO 0x0Cu /* character timeout (FIFO mode only): cleared by reading RBR */
#define UART_IIR_TX 0x02u   /* THR empty: cleared by reading IIR or writing THR */
#define UART_IIR_MSR 0x00u  /* modem status: cleared by reading MSR */
#define UART_FCR 2  /* write: FIFO control */
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
#define UART_MSR 6

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

bool uart16550_tx_ready(uint16_t port)
{
	return inb(port + UART_LSR) & UART_LSR_THRE;
}

void uart16550_tx_put(uint16_t port, char c)
{
	outb(port + UART_DATA, (uint8_t)c);
}

void uart16550_tx_irq_enable(uint16_t port, bool on)
{
	uint8_t ier = inb(port + UART_IER);
	outb(port + UART_IER, on ? ier | UART_IER_TX : ier & ~UART_IER_TX);
}

void uart16550_rx_irq_enable(uint16_t port)
{
	outb(port + UART_IER, inb(port + UART_IER) | UART_IER_RX);
}

/* Clear a status interrupt nobody asked for (line or modem status) by reading its register. */
static void status_irq_clear(uint16_t port, uint8_t id)
{
	(void)inb(port + (id == UART_IIR_LSR ? UART_LSR : UART_MSR));
}

enum uart16550_irq uart16550_irq_next(uint16_t port)
{
	uint8_t iir = inb(port + UART_IIR);
	if (iir & UART_IIR_NONE)
		return UART16550_IRQ_NONE;
	switch (iir & UART_IIR_ID) {
	case UART_IIR_RX:
	case UART_IIR_RXTO:
		return UART16550_IRQ_RX;
	case UART_IIR_TX:
		return UART16550_IRQ_TX; /* this read of IIR has cleared it */
	default:
		status_irq_clear(port, iir & UART_IIR_ID);
		return UART16550_IRQ_OTHER;
	}
}

void uart16550_irq_rearm(uint16_t port)
{
	uint8_t ier = inb(port + UART_IER);
	outb(port + UART_IER, 0);
	outb(port + UART_IER, ier);
}

int uart16550_getc(uint16_t port)
{
	if (!(inb(port + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(port + UART_DATA);
}
