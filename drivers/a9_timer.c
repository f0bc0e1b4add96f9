/*
 * a9_timer.c - Cortex-A9 MPCore private and global timers (ARM DDI 0407,
 * chapter 4, "Global timer, private timers, and watchdog registers").
 */
#include <stdint.h>

#include <drivers/a9_timer.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* Private timer (DDI 0407 4.2): a 32-bit down-counter. */
#define PTIMER_LOAD 0x00
#define PTIMER_CTRL 0x08
#define PTIMER_CTRL_ENABLE 0x1u
#define PTIMER_CTRL_AUTO_RELOAD 0x2u
#define PTIMER_CTRL_IRQ_ENABLE 0x4u
#define PTIMER_ISR 0x0C
#define PTIMER_ISR_EVENT 0x1u /* write 1 to clear */

/* Global timer (DDI 0407 4.3): a 64-bit up-counter shared by the cores. */
#define GTIMER_LO 0x00
#define GTIMER_HI 0x04
#define GTIMER_CTRL 0x08
#define GTIMER_CTRL_ENABLE 0x1u

void a9_timer_periodic_start(uintptr_t base, uint32_t periphclk_hz, uint32_t hz)
{
	/* The interval is (prescaler + 1) * (load + 1) clock cycles (4.1.1); prescaler 0. */
	REG(base, PTIMER_LOAD) = periphclk_hz / hz - 1;
	REG(base, PTIMER_CTRL) =
		PTIMER_CTRL_ENABLE | PTIMER_CTRL_AUTO_RELOAD | PTIMER_CTRL_IRQ_ENABLE;
}

void a9_timer_periodic_ack(uintptr_t base)
{
	/* The interrupt stays asserted until the event flag is cleared (4.2). */
	REG(base, PTIMER_ISR) = PTIMER_ISR_EVENT;
}

void a9_timer_global_start(uintptr_t base)
{
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
