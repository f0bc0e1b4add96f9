/*
 * test_console.c - the kernel's console output (kernel/console.c, compiled
 * as it ships) against a fake UART that is slow, as a real one is, and a
 * fake scheduler. On the targets QEMU's UARTs send each byte the moment it
 * is written, so the ring never backs up there: its sleeping writers, the
 * signals that end their wait, output polled with interrupts off and the
 * final flush can only be made to happen here.
 *
 * Time passes only while a writer sleeps or polls: each step the UART
 * sends one byte, and with interrupts on its transmit interrupt (a level:
 * enabled and room in the UART) runs the real console_tx_interrupt().
 * Every case lets the UART drain and compares everything it sent with
 * everything written, in order. The cases share the console's state and
 * run in the order listed (console_sync() is for good, so it comes last).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <kernel/board.h>
#include <kernel/console.h>
#include <kernel/sched.h>
#include <kernel/task.h>

#include "harness.h"

#define OUT_MAX 65536
#define SLEEP_STEPS_MAX 100000 /* a sleeper not woken by then has lost its wakeup */

bool host_irqs_on;
struct task *current;
static struct task task;

/* The fake UART: a transmit FIFO of fifo_size bytes (1: a holding register), one byte sent a step. */
static struct {
	size_t fifo_size, fifo_len;
	bool irq_enabled;
	char sent[OUT_MAX]; /* every byte the UART was given, in order */
	size_t nsent;
	size_t polled;            /* bytes given through board_console_putc() */
	bool in_irq;              /* console_tx_interrupt() is running */
	size_t irq_puts, max_irq_puts; /* bytes one interrupt gave, and the most so far */
	unsigned interrupts;
} uart = { .fifo_size = 1 };

/* Everything written to the console, in order: what the UART must end up sending. */
static char expected[OUT_MAX];
static size_t nexpected;

/* The fake scheduler: one task, which sleeps while the UART works. */
static struct {
	bool lock_held;
	const void *woken;       /* the channel last woken */
	unsigned blocks;         /* sched_block_locked() calls */
	unsigned lost_wakeups;   /* sleeps nobody ended */
	unsigned signal_at;      /* the block at which a fatal signal arrives (0: none) */
	unsigned slept_killed;   /* sleeps begun with a fatal signal pending */
} sched;

static void uart_take(char c)
{
	CHECK(uart.fifo_len < uart.fifo_size);
	if (uart.nsent < OUT_MAX)
		uart.sent[uart.nsent++] = c;
	uart.fifo_len++;
}

/* One step of time: the UART sends the byte at the head of its FIFO. */
static void uart_step(void)
{
	if (uart.fifo_len)
		uart.fifo_len--;
}

void board_console_putc(char c)
{
	while (uart.fifo_len >= uart.fifo_size)
		uart_step(); /* polling: the CPU waits for the line */
	uart_take(c);
	uart.polled++;
}

bool board_console_tx_ready(void)
{
	return uart.fifo_len < uart.fifo_size;
}

void board_console_tx_put(char c)
{
	uart_take(c);
	if (uart.in_irq && ++uart.irq_puts > uart.max_irq_puts)
		uart.max_irq_puts = uart.irq_puts;
}

void board_console_tx_irq(bool on)
{
	uart.irq_enabled = on;
}

void host_irqs_opened(void)
{
	/* Each run fills the UART or empties the ring; the bound only guards a broken handler. */
	for (int i = 0; i < OUT_MAX && host_irqs_on && uart.irq_enabled &&
			uart.fifo_len < uart.fifo_size;
	     i++) {
		host_irqs_on = false;
		uart.in_irq = true;
		uart.irq_puts = 0;
		uart.interrupts++;
		console_tx_interrupt();
		uart.in_irq = false;
		host_irqs_on = true;
	}
}

uint32_t sched_lock(void)
{
	CHECK(!sched.lock_held);
	uint32_t saved = arch_irq_save();
	sched.lock_held = true;
	return saved;
}

void sched_unlock(uint32_t saved)
{
	CHECK(sched.lock_held);
	sched.lock_held = false;
	arch_irq_restore(saved);
}

void sched_wakeup(const void *chan)
{
	CHECK(!host_irqs_on && !sched.lock_held); /* from the interrupt, which takes the lock itself */
	sched.woken = chan;
}

/* A console reader's wakeup of the next one, under the lock. */
void sched_wakeup_locked(const void *chan)
{
	CHECK(sched.lock_held);
	sched.woken = chan;
}

/* Sleep: with interrupts on the UART sends until someone wakes chan (or a signal comes). */
void sched_block_locked(const void *chan, bool interruptible)
{
	CHECK(sched.lock_held && !host_irqs_on);
	sched.blocks++;
	if (sched.blocks == sched.signal_at)
		current->pending_sig = SIGKILL;
	if (interruptible && current->pending_sig)
		return;
	if (current->pending_sig)
		sched.slept_killed++;
	sched.woken = NULL;
	sched.lock_held = false;
	host_irqs_on = true;
	for (int i = 0; i < SLEEP_STEPS_MAX && sched.woken != chan; i++) {
		uart_step();
		host_irqs_opened();
	}
	if (sched.woken != chan)
		sched.lost_wakeups++;
	host_irqs_on = false;
	sched.lock_held = true;
}

/* Bytes 'a'..'z' in lines of 64, starting at seed, so misplaced bytes show. */
static const char *pattern(size_t n, unsigned seed)
{
	static char buf[8192];
	for (size_t i = 0; i < n && i < sizeof(buf); i++)
		buf[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i + seed) % 26);
	return buf;
}

/* console_write(), noting what it took in expected[]. */
static int write_noted(const char *p, size_t n, bool interruptible)
{
	int r = console_write(p, n, interruptible);
	for (int i = 0; i < r && nexpected < OUT_MAX; i++)
		expected[nexpected++] = p[i];
	return r;
}

/* The same with interrupts off, as printk from a handler or under a spinlock. */
static int write_noted_irqs_off(const char *p, size_t n)
{
	bool was = host_irqs_on;
	host_irqs_on = false;
	int r = write_noted(p, n, false);
	host_irqs_on = was;
	return r;
}

/* True when the UART has sent exactly what was written, in order. */
static bool sent_as_written(void)
{
	return uart.nsent == nexpected && memcmp(uart.sent, expected, nexpected) == 0;
}

/* Let time pass, interrupts on, until the ring and the UART are empty. */
static void uart_drain(void)
{
	for (int i = 0; i < OUT_MAX && (uart.fifo_len || uart.irq_enabled); i++) {
		uart_step();
		host_irqs_opened();
	}
	CHECK(!uart.irq_enabled && uart.fifo_len == 0);
}

TEST(output_before_the_ring_starts_is_polled)
{
	current = &task;
	host_irqs_on = false; /* boot */
	CHECK_EQ(write_noted("Calf\n", 5, false), 5);
	CHECK_EQ(uart.polled, 5);
	CHECK(!uart.irq_enabled);
	CHECK(sent_as_written());
	console_irq_start();
	host_irqs_on = true;
}

TEST(a_long_write_sleeps_until_the_interrupt_makes_room)
{
	unsigned blocks = sched.blocks;
	size_t polled = uart.polled;
	CHECK_EQ(write_noted(pattern(3000, 1), 3000, true), 3000);
	CHECK(sched.blocks > blocks);       /* it slept: 3000 bytes do not fit in the ring */
	CHECK_EQ(uart.polled, polled);      /* and never polled, interrupts being on */
	CHECK_EQ(sched.lost_wakeups, 0);
	uart_drain();
	CHECK(sent_as_written());
}

TEST(one_interrupt_moves_at_most_a_burst)
{
	uart.fifo_size = 1000; /* a UART with room for everything: only the burst bound stops it */
	uart.max_irq_puts = 0;
	CHECK_EQ(write_noted_irqs_off(pattern(400, 2), 400), 400);
	unsigned interrupts = uart.interrupts;
	uart_drain();
	CHECK_EQ(uart.max_irq_puts, CONSOLE_TX_BURST);
	CHECK(uart.interrupts - interrupts >= (400 - CONSOLE_TX_BURST) / CONSOLE_TX_BURST);
	CHECK(sent_as_written());
	uart.fifo_size = 1;
}

TEST(interrupts_off_writes_poll_the_oldest_bytes_out_when_full)
{
	CHECK_EQ(write_noted(pattern(1000, 3), 1000, true), 1000);
	CHECK(uart.irq_enabled); /* the ring still holds the end of it */
	unsigned blocks = sched.blocks;
	size_t polled = uart.polled;
	/* A kernel message that cannot wait: the ring is nearly full and interrupts are off. */
	CHECK_EQ(write_noted_irqs_off(pattern(700, 4), 700), 700);
	CHECK_EQ(sched.blocks, blocks);
	CHECK(uart.polled > polled);
	uart_drain();
	CHECK(sent_as_written()); /* nothing lost, nothing overtaken */
}

TEST(a_fatal_signal_ends_the_wait_for_room)
{
	sched.signal_at = sched.blocks + 2;
	sched.slept_killed = 0;
	int r = write_noted(pattern(3000, 5), 3000, true);
	CHECK_EQ(sched.slept_killed, 0); /* the signal ended the sleep at once */
	CHECK(r > 0 && r < 3000);
	CHECK_EQ(r % CONSOLE_TX_PIECE, 0); /* whole pieces only */
	task.pending_sig = 0;
	sched.signal_at = 0;
	uart_drain();
	CHECK(sent_as_written());
}

/* -ERESTARTSYS: the system-call exit makes it EINTR, or a restart with SA_RESTART (kernel/signal.h). */
TEST(a_write_with_a_signal_pending_returns_erestartsys)
{
	task.pending_sig = SIGKILL;
	CHECK_EQ(write_noted(pattern(100, 6), 100, true), -ERESTARTSYS);
	task.pending_sig = 0;
	uart_drain();
	CHECK(sent_as_written());
}

TEST(kernel_output_ignores_a_pending_signal)
{
	task.pending_sig = SIGKILL;
	sched.slept_killed = 0;
	unsigned blocks = sched.blocks;
	CHECK_EQ(write_noted(pattern(1500, 7), 1500, false), 1500);
	CHECK(sched.blocks > blocks);
	CHECK(sched.slept_killed > 0); /* it waited for room, uninterruptibly */
	task.pending_sig = 0;
	CHECK_EQ(sched.lost_wakeups, 0);
	uart_drain();
	CHECK(sent_as_written());
}

TEST(sync_polls_everything_out_at_once_and_from_then_on)
{
	CHECK_EQ(write_noted(pattern(1000, 8), 1000, true), 1000);
	CHECK(uart.irq_enabled);
	console_sync(); /* no time passes for interrupts: only polling moves bytes now */
	CHECK(!uart.irq_enabled);
	CHECK(sent_as_written());
	CHECK_EQ(write_noted_irqs_off("halted\n", 7), 7);
	CHECK_EQ(write_noted("bye\n", 4, true), 4);
	CHECK(sent_as_written());
}

static const struct harness_case cases[] = {
	CASE(output_before_the_ring_starts_is_polled),
	CASE(a_long_write_sleeps_until_the_interrupt_makes_room),
	CASE(one_interrupt_moves_at_most_a_burst),
	CASE(interrupts_off_writes_poll_the_oldest_bytes_out_when_full),
	CASE(a_fatal_signal_ends_the_wait_for_room),
	CASE(a_write_with_a_signal_pending_returns_erestartsys),
	CASE(kernel_output_ignores_a_pending_signal),
	CASE(sync_polls_everything_out_at_once_and_from_then_on),
};

int main(int argc, char **argv)
{
	return harness_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), argc, argv);
}
