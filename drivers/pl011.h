/* pl011.h - ARM PrimeCell UART PL011 (ARM DDI 0183), polled output, interrupt-driven input. */
#ifndef CALF_DRIVERS_PL011_H
#define CALF_DRIVERS_PL011_H

#include <stdint.h>

/* Enable the UART at base for transmit and receive, keeping the line settings it has. */
void pl011_init(uintptr_t base);

/* Write one byte, waiting while the transmit FIFO is full. */
void pl011_putc(uintptr_t base, char c);

/* Raise the UART's interrupt when a byte arrives (receive and receive timeout). */
void pl011_rx_irq_enable(uintptr_t base);

/* The next received byte (0-255), or -1 when none is waiting. */
int pl011_getc(uintptr_t base);

/* Clear the receive interrupts: call once pl011_getc() has returned -1. */
void pl011_rx_irq_clear(uintptr_t base);

#endif
