/*
 * a9_timer.h - the Cortex-A9 MPCore private timer and global timer
 * (ARM DDI 0407, chapter 4), both clocked by PERIPHCLK.
 */
#ifndef CALF_DRIVERS_A9_TIMER_H
#define CALF_DRIVERS_A9_TIMER_H

#include <stdint.h>

/*
 * Start the private timer at base (PERIPHBASE + 0x600) interrupting hz
 * times a second from a periphclk_hz clock; its interrupt is PPI 29.
 */
void a9_timer_periodic_start(uintptr_t base, uint32_t periphclk_hz, uint32_t hz);

/* Clear the private timer's event flag: call on its interrupt, before the GIC's EOI. */
void a9_timer_periodic_ack(uintptr_t base);

/* Start the global timer at base (PERIPHBASE + 0x200) counting up from where it stands. */
void a9_timer_global_start(uintptr_t base);

/* The global timer's 64-bit count of PERIPHCLK cycles, read consistently. */
uint64_t a9_timer_global_read(uintptr_t base);

#endif
