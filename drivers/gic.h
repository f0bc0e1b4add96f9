/*
 * gic.h - ARM Generic Interrupt Controller v1 (ARM IHI 0048): the
 * distributor and one CPU interface, as the Cortex-A9 MPCore carries them.
 */
#ifndef CALF_DRIVERS_GIC_H
#define CALF_DRIVERS_GIC_H

#include <stdbool.h>
#include <stdint.h>

/* One GIC: the virtual addresses its two register blocks are mapped at. */
struct gic {
	uintptr_t dist; /* distributor (GICD_*) */
	uintptr_t cpu;  /* this CPU's interface (GICC_*) */
};

/* Enable the distributor and the CPU interface, every interrupt still disabled. */
void gic_init(const struct gic *gic);

/*
 * Enable interrupt id at priority (lower is more urgent; below 0xF0 to be
 * signalled) routed to the CPUs in cpu_mask (bit n: CPU n; ignored for
 * SGIs and PPIs, ids 0-31, whose target is fixed).
 */
void gic_irq_enable(const struct gic *gic, uint32_t id, uint8_t priority, uint8_t cpu_mask);

/* Acknowledge the most urgent pending interrupt: returns GICC_IAR, to pass to gic_eoi(). */
uint32_t gic_ack(const struct gic *gic);

/* The interrupt id in an acknowledge value. */
static inline uint32_t gic_irq_id(uint32_t iar)
{
	return iar & 0x3FFu;
}

/* True when iar names no interrupt (ids 1020-1023): nothing is pending, and no EOI is due. */
static inline bool gic_is_spurious(uint32_t iar)
{
	return gic_irq_id(iar) >= 1020u;
}

/* Mark the interrupt acknowledged as iar (its whole IAR value) as handled. */
void gic_eoi(const struct gic *gic, uint32_t iar);

#endif
