/* console.c - console output and the receive ring. */
#include "console.h"

#include <errno.h>
#include <stdint.h>

#include "board.h"
#include "sched.h"
#include "task.h"

#define RX_SIZE 256u

static struct {
	char buf[RX_SIZE];
	uint32_t head, tail; /* head: next write; tail: next read */
} rx;

void console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		board_console_putc(buf[i]);
}

void console_rx_byte(char c)
{
	if (rx.head - rx.tail < RX_SIZE) /* a full ring drops input, as a UART FIFO would */
		rx.buf[rx.head++ % RX_SIZE] = c;
	sched_wakeup(&rx);
}

int console_peek(char *buf, size_t max)
{
	/* The receive interrupt fills the ring and wakes under the scheduler lock: no byte is missed. */
	uint32_t saved = sched_lock();
	while (rx.head == rx.tail) {
		if (current->pending_sig) {
			sched_unlock(saved);
			return -EINTR;
		}
		sched_block_locked(&rx, true);
	}
	sched_unlock(saved);
	size_t n = 0;
	while (n < max && rx.tail + n != rx.head) {
		char c = rx.buf[(rx.tail + n) % RX_SIZE];
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	return (int)n;
}

void console_consume(size_t n)
{
	rx.tail += n;
}
