/*
 * console.h - the console: output straight to the board UART, input through
 * a ring the UART interrupt fills and read() drains.
 */
#ifndef CALF_KERNEL_CONSOLE_H
#define CALF_KERNEL_CONSOLE_H

#include <stddef.h>

/* Write len bytes to the console. */
void console_write(const char *buf, size_t len);

/* Called by the board's interrupt handler for each received byte. */
void console_rx_byte(char c);

/*
 * Copy up to max received bytes into buf without taking them, blocking until
 * there is at least one; stops after a newline. Returns the count or -EINTR.
 * console_consume() then takes them, once they have safely reached the reader.
 */
int console_peek(char *buf, size_t max);

/* Drop the first n received bytes (n no more than the last console_peek returned). */
void console_consume(size_t n);

#endif
