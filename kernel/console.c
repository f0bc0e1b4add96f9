/* console.c - console output through an interrupt-drained ring (input: kernel/tty.c). */
#include "console.h"

#include <errno.h>
#include <stdint.h>

#include "arch.h"
#include "board.h"
#include "sched.h"
#include "task.h"

#define TX_MASK (CONSOLE_TX_SIZE - 1u)
#define TX_WAKE (CONSOLE_TX_SIZE / 2u) /* a sleeping writer is woken once this much is free */

_Static_assert((CONSOLE_TX_SIZE & TX_MASK) == 0, "the transmit ring wraps by mask");
_Static_assert(CONSOLE_TX_PIECE <= TX_WAKE, "a woken writer's piece fits");

/*
 * The transmit ring. On one CPU, interrupts off is what guards it: every
 * access below runs so, for a constant-bounded stretch. A second CPU adds
 * a spinlock word, as for the scheduler's lock.
 */
static struct {
	char buf[CONSOLE_TX_SIZE];
	uint32_t head, tail; /* free-running: head is the next byte queued, tail the next sent */
	bool irq_on;         /* the transmit interrupt is enabled: the ring is draining */
	bool armed;          /* console_irq_start() ran */
	bool sync;           /* console_sync() ran: every byte is polled out */
	bool waiting;        /* a writer sleeps on the ring */
} tx;

/* Bytes the ring can take now. */
static uint32_t tx_free(void)
{
	return CONSOLE_TX_SIZE - (tx.head - tx.tail);
}

/*
 * Move at most CONSOLE_TX_BURST queued bytes into the UART while it has
 * room; the transmit interrupt stays enabled exactly while bytes remain.
 * Interrupts off.
 */
static void tx_pump(void)
{
	for (uint32_t n = 0; n < CONSOLE_TX_BURST && tx.tail != tx.head && board_console_tx_ready();
	     n++)
		board_console_tx_put(tx.buf[tx.tail++ & TX_MASK]);
	bool more = tx.tail != tx.head;
	if (more != tx.irq_on) {
		board_console_tx_irq(more);
		tx.irq_on = more;
	}
}

/* Poll the oldest n queued bytes out, waiting on the UART. Interrupts off. */
static void tx_poll_out(uint32_t n)
{
	while (n--)
		board_console_putc(tx.buf[tx.tail++ & TX_MASK]);
}

/* Queue n bytes (at most tx_free()) and start the UART when it is idle. Interrupts off. */
static void tx_queue(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tx.buf[tx.head++ & TX_MASK] = p[i];
	/*
	 * Prime the UART here rather than wait for a first interrupt: whatever
	 * raises it (a PL011 with FIFOs on raises it only when the FIFO drains
	 * past its trigger level), writing bytes does.
	 */
	if (!tx.irq_on)
		tx_pump();
}

/*
 * Output a piece of n <= CONSOLE_TX_PIECE bytes without sleeping: polled
 * before the ring is in use and after console_sync(); otherwise queued,
 * the oldest bytes polled out first when it does not fit, so nothing is
 * dropped or reordered. Interrupts off.
 */
static void piece_put_now(const char *p, size_t n)
{
	if (!tx.armed || tx.sync) {
		for (size_t i = 0; i < n; i++)
			board_console_putc(p[i]);
		return;
	}
	uint32_t room = tx_free();
	if (room < n)
		tx_poll_out((uint32_t)n - room);
	tx_queue(p, n);
}

/*
 * Place a piece now when that is allowed: always when the caller may not
 * sleep, else when it fits. False when the caller must wait for room.
 */
static bool piece_try(const char *p, size_t n, bool may_sleep)
{
	uint32_t saved = arch_irq_save();
	bool now = !may_sleep || !tx.armed || tx.sync || tx_free() >= n;
	if (now)
		piece_put_now(p, n);
	arch_irq_restore(saved);
	return now;
}

/*
 * Sleep until n bytes fit in the ring or, when interruptible, a signal
 * is due. Interrupts on, no spinlock held.
 */
static void tx_room_wait(size_t n, bool interruptible)
{
	/* Check and block under the scheduler lock, interrupts off: no wakeup is lost in between. */
	uint32_t saved = sched_lock();
	while (tx.armed && !tx.sync && tx_free() < n && !(interruptible && current->pending_sig)) {
		tx.waiting = true;
		sched_block_locked(&tx, interruptible);
	}
	sched_unlock(saved);
}

int console_write(const char *buf, size_t len, bool interruptible)
{
	/* Interrupts off means a handler or a spinlock: never sleep there. */
	bool may_sleep = arch_irqs_enabled();
	size_t done = 0;
	while (done < len) {
		/* A task with a signal due queues no more: a short write, or EINTR/a restart (signal.h). */
		if (interruptible && current->pending_sig)
			return done ? (int)done : -ERESTARTSYS;
		size_t n = len - done < CONSOLE_TX_PIECE ? len - done : CONSOLE_TX_PIECE;
		if (piece_try(buf + done, n, may_sleep))
			done += n;
		else
			tx_room_wait(n, interruptible);
	}
	return (int)len;
}

void console_tx_interrupt(void)
{
	tx_pump();
	if (tx.waiting && tx_free() >= TX_WAKE) {
		tx.waiting = false;
		sched_wakeup(&tx);
	}
}

void console_irq_start(void)
{
	tx.armed = true;
}

void console_sync(void)
{
	uint32_t saved = arch_irq_save();
	tx.sync = true;
	if (tx.irq_on) {
		board_console_tx_irq(false);
		tx.irq_on = false;
	}
	tx_poll_out(tx.head - tx.tail);
	arch_irq_restore(saved);
}
