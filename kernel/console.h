/*
 * console.h - the console's output: a transmit ring that the UART's
 * interrupt drains. Input goes through the line discipline (kernel/tty.h).
 *
 * A writer that finds no room sleeps until the interrupt has made some, so
 * a task printing a lot holds up no other task. Writes that cannot wait
 * (interrupts off: interrupt handlers, scheduler-locked sections, boot)
 * poll the oldest queued bytes out until theirs fit. Once console_sync()
 * has run (panic, kernel fault, power-off) every byte is polled out at
 * once. Bytes leave in the order they were queued, whoever queued them.
 */
#ifndef CALF_KERNEL_CONSOLE_H
#define CALF_KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* Transmit ring size and the bytes one transmit interrupt moves at most. */
#define CONSOLE_TX_SIZE 512u
#define CONSOLE_TX_BURST 16u

/* Writes go into the ring in pieces of at most this many bytes. */
#define CONSOLE_TX_PIECE 64u

/*
 * Queue len bytes for the UART, sleeping while the ring is full if
 * interrupts are on. Each piece goes in whole, so concurrent writers
 * interleave only at piece boundaries. Returns len; when interruptible
 * and a fatal signal is pending (the writer is being killed), stops at a
 * piece boundary, waiting or not, and returns the bytes queued so far, or
 * -EINTR when none were.
 */
int console_write(const char *buf, size_t len, bool interruptible);

/* The UART's transmit interrupt: move at most CONSOLE_TX_BURST bytes, wake writers. */
void console_tx_interrupt(void);

/* Start using the ring: the board's interrupts are wired (before, output is polled). */
void console_irq_start(void);

/*
 * Poll every queued byte out and make every later write poll too: for
 * panic, kernel-fault reports and power-off, which cannot wait for an
 * interrupt. Safe with interrupts off and under any lock.
 */
void console_sync(void);

/*
 * Called by the board's interrupt handler for each received byte; defined
 * by the line discipline (kernel/tty.c). Interrupts off.
 */
void console_rx_byte(char c);

#endif
