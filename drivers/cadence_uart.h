/*
 * cadence_uart.h - the Cadence UART of the Zynq-7000 (UG585, chapter 19
 * and appendix B.33 "UART Controller"; QEMU hw/char/cadence_uart.c):
 * input and output driven by its interrupt, and polled output for when
 * nothing may wait. 64-byte FIFOs each way.
 */
#ifndef CALF_DRIVERS_CADENCE_UART_H
#define CALF_DRIVERS_CADENCE_UART_H

#include <stdbool.h>
#include <stdint.h>

/* cadence_uart_irq_status() bits (Chnl_int_sts, UG585 B.33): receive trigger; transmit FIFO empty. */
#define CADENCE_UART_IRQ_RX 0x001u
#define CADENCE_UART_IRQ_TX 0x008u

/* Bytes the receive FIFO holds: a bound for a drain. */
#define CADENCE_UART_FIFO_DEPTH 64u

/*
 * Set the line to baud, 8 data bits, no parity, 1 stop bit, from the
 * UART's reference clock clk_hz (uart_ref_clk), resetting both FIFOs and
 * leaving the UART disabled: what a boot loader would have done. Call
 * before cadence_uart_init().
 */
void cadence_uart_line_set(uintptr_t base, uint32_t clk_hz, uint32_t baud);

/* Enable the transmitter and receiver, every interrupt masked; a byte raises the receive trigger. */
void cadence_uart_init(uintptr_t base);

/* Write one byte, waiting while the transmit FIFO is full. */
void cadence_uart_putc(uintptr_t base, char c);

/* True when the transmit FIFO can take a byte now. */
bool cadence_uart_tx_ready(uintptr_t base);

/* Write one byte without waiting: only after cadence_uart_tx_ready() said yes. */
void cadence_uart_tx_put(uintptr_t base, char c);

/* Raise (on) or stop raising the interrupt while the transmit FIFO is empty. */
void cadence_uart_tx_irq_enable(uintptr_t base, bool on);

/* Clear the transmit interrupt; it comes again when the FIFO next runs empty. */
void cadence_uart_tx_irq_clear(uintptr_t base);

/* The pending enabled interrupts: CADENCE_UART_IRQ_RX and CADENCE_UART_IRQ_TX bits. */
uint32_t cadence_uart_irq_status(uintptr_t base);

/* Raise the UART's interrupt when a byte arrives. */
void cadence_uart_rx_irq_enable(uintptr_t base);

/* Clear the receive interrupt: call before draining (cadence_uart.c says why). */
void cadence_uart_rx_irq_clear(uintptr_t base);

/* The next received byte (0-255), or -1 when none is waiting. */
int cadence_uart_getc(uintptr_t base);

#endif
