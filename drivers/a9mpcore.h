/*
 * a9mpcore.h - the Cortex-A9 MPCore's private peripherals as one clock and
 * interrupt source (DDI 0407, chapter 1.5 "Private memory region"): the
 * GIC's distributor and CPU interface, and the global timer used as the
 * kernel's clock and one-shot timer. Every Cortex-A9 board has them at the
 * same offsets from PERIPHBASE, so boards share this wiring.
 */
#ifndef CALF_DRIVERS_A9MPCORE_H
#define CALF_DRIVERS_A9MPCORE_H

#include <stdint.h>

#include <drivers/gic.h>

/* The global timer's comparator interrupt: PPI 27 (DDI 0407 3.3). */
#define A9MPCORE_IRQ_GTIMER 27u

struct a9mpcore {
	struct gic gic;
	uintptr_t gtimer;     /* global timer registers */
	uint32_t ns_per_tick; /* PERIPHCLK period, ns */
};

/* The private region mapped at va, its global timer counting every ns_per_tick nanoseconds. */
#define A9MPCORE_AT(va, ns_per_tick) \
	{ { (va) + 0x1000u, (va) + 0x0100u }, (va) + 0x0200u, (ns_per_tick) }

/* Start the GIC: every interrupt off until a9mpcore_irq_enable(). */
void a9mpcore_irq_init(const struct a9mpcore *m);

/* Let interrupt id reach this CPU (one middle priority for all). */
void a9mpcore_irq_enable(const struct a9mpcore *m, uint32_t id);

/* Start the clock and enable the one-shot timer's interrupt, not yet armed. */
void a9mpcore_timer_init(const struct a9mpcore *m);

/* Arm the one-shot timer for deadline_ns on a9mpcore_clock_ns(), replacing the last setting. */
void a9mpcore_timer_set(const struct a9mpcore *m, uint64_t deadline_ns);

/* Nanoseconds since the clock started. */
uint64_t a9mpcore_clock_ns(const struct a9mpcore *m);

/*
 * Serve at most batch pending interrupts, acknowledging and ending each:
 * the timer's is acknowledged at the timer and passed on like the rest, as
 * handle(id), so the caller stays in charge of what runs. Whatever is left
 * stays pending in the GIC and is taken again at once.
 */
void a9mpcore_irq_dispatch(const struct a9mpcore *m, unsigned batch, void (*handle)(uint32_t id));

#endif
