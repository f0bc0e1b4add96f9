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
 * Take up to max received bytes into buf, blocking until there is at least
 * one. Stops after a newline. Returns the count or -EINTR.
 */
int console_read(char *buf, size_t max);

#endif
