/*
 * uart16550.h - NS16550A-compatible UART on I/O ports (PC16550D data
 * sheet), 8N1, no FIFO: input and output driven by its interrupt, and
 * polled output for when nothing may wait.
 */
#ifndef CALF_DRIVERS_UART16550_H
#define CALF_DRIVERS_UART16550_H

#include <stdbool.h>
#include <stdint.h>

/* What uart16550_irq_next() found pending. */
enum uart16550_irq {
	UART16550_IRQ_NONE,  /* nothing: the interrupt line is low */
	UART16550_IRQ_RX,    /* a byte waits: read it with uart16550_getc() */
	UART16550_IRQ_TX,    /* the transmitter holding register is empty */
	UART16550_IRQ_OTHER, /* line or modem status, already cleared */
};

/*
 * Set the UART at port to 8N1 with the given baud-rate divisor (input
 * clock / (16 * baud): 1 is 115200 baud from a PC's 1.8432 MHz clock),
 * FIFOs off, interrupts off but their output line enabled.
 */
void uart16550_init(uint16_t port, uint16_t divisor);

/* Write one byte, waiting until the transmitter holding register is empty. */
void uart16550_putc(uint16_t port, char c);

/* True when the transmitter holding register is empty (LSR.THRE). */
bool uart16550_tx_ready(uint16_t port);

/* Write one byte without waiting: only after uart16550_tx_ready() said yes. */
void uart16550_tx_put(uint16_t port, char c);

/* Raise (on) or stop raising the interrupt while the holding register is empty (IER.ETBEI). */
void uart16550_tx_irq_enable(uint16_t port, bool on);

/* Raise the UART's interrupt when a byte arrives. */
void uart16550_rx_irq_enable(uint16_t port);

/*
 * The pending interrupt source of highest priority (IIR). Reading IIR
 * clears a transmitter-empty interrupt; a status one is cleared here too.
 */
enum uart16550_irq uart16550_irq_next(uint16_t port);

/*
 * Drop the interrupt line and raise it again if a cause is still pending
 * (IER cleared and restored; setting ETBEI while THR is empty raises the
 * transmitter interrupt anew): a fresh edge for an edge-triggered
 * controller, after a handler that left a cause unserved.
 */
void uart16550_irq_rearm(uint16_t port);

/* The next received byte (0-255), or -1 when none is waiting; reading it clears the interrupt. */
int uart16550_getc(uint16_t port);

#endif
