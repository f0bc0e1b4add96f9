/*
 * arch_md.h (host, console test) - the little of <arch_md.h> that
 * kernel/console.c and the headers it includes use: interrupts on or off
 * is a flag of the simulation, and turning them on delivers what the fake
 * UART has pending (test_console.c).
 */
#ifndef CALF_HOST_CONSOLE_ARCH_MD_H
#define CALF_HOST_CONSOLE_ARCH_MD_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME "host"

struct trapframe;
struct arch_context;

/* The simulated CPU's interrupt flag. */
extern bool host_irqs_on;

/* Interrupts just opened: run the handlers of whatever is pending. */
void host_irqs_opened(void);

static inline uint32_t arch_irq_save(void)
{
	uint32_t was_on = host_irqs_on;
	host_irqs_on = false;
	return was_on;
}

static inline void arch_irq_restore(uint32_t was_on)
{
	if (was_on) {
		host_irqs_on = true;
		host_irqs_opened();
	}
}

static inline bool arch_irqs_enabled(void)
{
	return host_irqs_on;
}

#endif
