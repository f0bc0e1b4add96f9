/*
 * a9_timer.c - Cortex-A9 MPCore global timer (ARM DDI 0407, chapter 4,
 * "Global timer, private timers, and watchdog registers").
 */
#include <stdint.h>

#include <drivers/a9_timer.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* Global timer (DDI 0407 4.3): a 64-bit up-counter shared by the cores, a comparator per core. */
#define GTIMER_LO 0x00
#define GTIMER_HI 0x04
#define GTIMER_CTRL 0x08
#define GTIMER_CTRL_ENABLE 0x1u      /* timer enable: the counter runs */
#define GTIMER_CTRL_COMP_ENABLE 0x2u /* compare the counter with the comparator */
#define GTIMER_CTRL_IRQ_ENABLE 0x4u  /* the event flag raises interrupt 27 */
#define GTIMER_ISR 0x0C
#define GTIMER_ISR_EVENT 0x1u /* set by a compare match; write 1 to clear */
#define GTIMER_CMP_LO 0x10
#define GTIMER_CMP_HI 0x14

void a9_timer_global_start(uintptr_t base)
{
	/* Auto-increment (bit 3) stays off: every event is a one-shot the kernel sets. */
	REG(base, GTIMER_CTRL) = GTIMER_CTRL_ENABLE;
}

uint64_t a9_timer_global_read(uintptr_t base)
{
	/*
	 * The count is two 32-bit registers: read high, low, high again and
	 * retry if the low word carried into the high one meanwhile (4.3).
	 */
	uint32_t hi, lo;
	do {
		hi = REG(base, GTIMER_HI);
		lo = REG(base, GTIMER_LO);
	} while (REG(base, GTIMER_HI) != hi);
	return ((uint64_t)hi << 32) | lo;
}

void a9_timer_compare_set(uintptr_t base, uint64_t count)
{
	/*
	 * The comparator is two registers too: the manual's order is to clear
	 * comp enable, write low then high, and enable again (4.3), so a half
	 * written value never matches. From r2p0 the match is counter >=
	 * comparator, so a count already passed raises the event at once.
	 */
	REG(base, GTIMER_CTRL) = GTIMER_CTRL_ENABLE;
	REG(base, GTIMER_ISR) = GTIMER_ISR_EVENT;
	REG(base, GTIMER_CMP_LO) = (uint32_t)count;
	REG(base, GTIMER_CMP_HI) = (uint32_t)(count >> 32);
	REG(base, GTIMER_CTRL) = GTIMER_CTRL_ENABLE | GTIMER_CTRL_COMP_ENABLE | GTIMER_CTRL_IRQ_ENABLE;
}

void a9_timer_compare_ack(uintptr_t base)
{
	/* With >= matching the flag would set again at once: stop comparing first. */
	REG(base, GTIMER_CTRL) = GTIMER_CTRL_ENABLE;
	REG(base, GTIMER_ISR) = GTIMER_ISR_EVENT;
}
