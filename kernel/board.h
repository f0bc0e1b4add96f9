/*
 * board.h - what the kernel needs from a board: console, interrupt
 * controller, clock and one-shot timer, RAM and power. Each boards/NAME/
 * implements it.
 */
#ifndef CALF_KERNEL_BOARD_H
#define CALF_KERNEL_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include <board_md.h>
#include <mm/pmap.h> /* paddr_t */

/* Physical RAM the kernel may use: [*base, *base + *size). */
void board_ram_get(paddr_t *base, size_t *size);

/* A device window the arch maps for the kernel: size bytes at pa shown at va. */
struct board_devmap {
	paddr_t pa;
	uintptr_t va;
	size_t size;
};
extern const struct board_devmap board_devmap[];
extern const unsigned board_devmap_count;

/* Bring up the console (the MMU already maps the device windows). */
void board_console_init(void);

/* Write one byte to the console, waiting for room (polled output). */
void board_console_putc(char c);

/* True when the console UART can take a byte now. */
bool board_console_tx_ready(void);

/* Write one byte to the console without waiting: only after board_console_tx_ready(). */
void board_console_tx_put(char c);

/* Raise (on) or stop raising the UART's interrupt while it can take a byte. */
void board_console_tx_irq(bool on);

/* Start the interrupt controller. */
void board_irq_init(void);

/* Start the clock and the one-shot timer, not yet armed. */
void board_timer_init(void);

/*
 * Arm the one-shot timer for deadline_ns on board_clock_ns(), replacing
 * the previous setting: its interrupt calls timer_interrupt() no earlier
 * than the deadline (at once if it has passed), and later by at most the
 * board's timer resolution (docs/design.md, "Time"). Interrupts off.
 */
void board_timer_set(uint64_t deadline_ns);

/*
 * Handle the pending interrupts, a constant number at most (any left is
 * taken again at once): calls timer_interrupt() for the one-shot timer,
 * console_rx_byte() for each byte the UART received and
 * console_tx_interrupt() when the UART can take more output.
 */
void board_irq_dispatch(void);

/*
 * Monotonic nanoseconds since the board clock started. Under QEMU with
 * -icount shift=0 one guest instruction is one nanosecond of virtual time,
 * so differences count instructions, deterministically.
 */
uint64_t board_clock_ns(void);

/* The step of board_clock_ns() in nanoseconds (1 or more). */
uint32_t board_clock_res_ns(void);

/* End the machine with status: QEMU exits with it. Never returns. */
_Noreturn void board_poweroff(int status);

/*
 * Defined (kernel/hardware_image.c) only in images made for hardware by
 * ./calf flash, where no debugger may be attached: a board then powers off
 * its own way, never through semihosting, and prints its status as the
 * line "calf: power-off status N" first (CALF_POWEROFF_LINE), which
 * ./calf run --from-flash reads. Weak: its address is null in other images.
 */
extern const bool calf_hardware_image __attribute__((weak));
#define CALF_POWEROFF_LINE "calf: power-off status "

#endif
