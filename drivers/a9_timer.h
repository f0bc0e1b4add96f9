/*
 * a9_timer.h - the Cortex-A9 MPCore global timer (ARM DDI 0407, chapter 4),
 * clocked by PERIPHCLK: the board's clock, and with its comparator the
 * board's one-shot timer.
 */
#ifndef CALF_DRIVERS_A9_TIMER_H
#define CALF_DRIVERS_A9_TIMER_H

#include <stdint.h>

/* Start the global timer at base (PERIPHBASE + 0x200) counting up, comparator off. */
void a9_timer_global_start(uintptr_t base);

/* The global timer's 64-bit count of PERIPHCLK cycles, read consistently. */
uint64_t a9_timer_global_read(uintptr_t base);

/*
 * Raise this core's global-timer interrupt (PPI 27) once the count reaches
 * count; at once if it already has. Replaces the previous setting.
 */
void a9_timer_compare_set(uintptr_t base, uint64_t count);

/* Stop the comparator and clear its event: call on its interrupt, before the GIC's EOI. */
void a9_timer_compare_ack(uintptr_t base);

#endif
