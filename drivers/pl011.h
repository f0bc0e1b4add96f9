/*
 * pl011.h - ARM PrimeCell UART PL011 (ARM DDI 0183): input and output
 * driven by its interrupt, and polled output for when nothing may wait.
 *
 * The FIFOs stay off (UARTLCR_H.FEN as the boot left it, 0 under QEMU):
 * toggling FEN empties the receive FIFO, losing input QEMU already queued.
 * Without them the transmit interrupt is raised while the one-byte holding
 * register is empty (DDI 0183, 2.8 "Interrupts", UARTTXINTR), so UARTIFLS, which sets
 * the FIFO trigger levels, has no effect and is left alone.
 */
#ifndef CALF_DRIVERS_PL011_H
#define CALF_DRIVERS_PL011_H

#include <stdbool.h>
#include <stdint.h>

/* pl011_irq_status() bits (UARTMIS, DDI 0183 3.3.12): receive or receive timeout; transmit. */
#define PL011_IRQ_RX 0x50u
#define PL011_IRQ_TX 0x20u

/* Bytes the receive FIFO holds at most (16 before r1p5, 32 from it): a bound for a drain. */
#define PL011_FIFO_DEPTH 32u

/* Enable the UART at base for transmit and receive, keeping the line settings it has. */
void pl011_init(uintptr_t base);

/*
 * Set the line to baud, 8 data bits, no parity, 1 stop bit, from the UART
 * reference clock clk_hz: what a boot loader would have done, for a kernel
 * the CPU's reset reached with no loader (a flash boot). UARTLCR_H.FEN is
 * kept as it is (see above). Call before pl011_init(): it leaves the UART
 * disabled.
 */
void pl011_line_set(uintptr_t base, uint32_t clk_hz, uint32_t baud);

/* Write one byte, waiting while the transmit FIFO is full. */
void pl011_putc(uintptr_t base, char c);

/* True when the transmitter can take a byte now (UARTFR.TXFF clear). */
bool pl011_tx_ready(uintptr_t base);

/* Write one byte without waiting: only after pl011_tx_ready() said yes. */
void pl011_tx_put(uintptr_t base, char c);

/* Raise (on) or stop raising the interrupt when the transmitter has room (UARTIMSC.TXIM). */
void pl011_tx_irq_enable(uintptr_t base, bool on);

/* Clear the transmit interrupt (UARTICR.TXIC); writing a byte raises it again once it has gone. */
void pl011_tx_irq_clear(uintptr_t base);

/* The pending enabled interrupts: PL011_IRQ_RX and PL011_IRQ_TX bits. */
uint32_t pl011_irq_status(uintptr_t base);

/* Raise the UART's interrupt when a byte arrives (receive and receive timeout). */
void pl011_rx_irq_enable(uintptr_t base);

/* The next received byte (0-255), or -1 when none is waiting. */
int pl011_getc(uintptr_t base);

/*
 * Clear the receive interrupts: before reading the bytes that raised them,
 * so that a byte arriving after the last read raises them again.
 */
void pl011_rx_irq_clear(uintptr_t base);

#endif
