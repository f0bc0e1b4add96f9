/* uart16550.h - NS16550A-compatible UART on I/O ports (PC16550D data sheet), 8N1, no FIFO. */
#ifndef CALF_DRIVERS_UART16550_H
#define CALF_DRIVERS_UART16550_H

#include <stdint.h>

/*
 * Set the UART at port to 8N1 with the given baud-rate divisor (input
 * clock / (16 * baud): 1 is 115200 baud from a PC's 1.8432 MHz clock),
 * FIFOs off, interrupts off but their output line enabled.
 */
void uart16550_init(uint16_t port, uint16_t divisor);

/* Write one byte, waiting until the transmitter holding register is empty. */
void uart16550_putc(uint16_t port, char c);

/* Raise the UART's interrupt when a byte arrives. */
void uart16550_rx_irq_enable(uint16_t port);

/* The next received byte (0-255), or -1 when none is waiting; reading it clears the interrupt. */
int uart16550_getc(uint16_t port);

#endif
