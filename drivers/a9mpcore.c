/*
 * a9mpcore.c - the Cortex-A9 MPCore's GIC and global timer as the board
 * interface needs them (DDI 0407 chapters 3 and 4; GIC: IHI 0048).
 */
#include <stdint.h>

#include <drivers/a9_timer.h>
#include <drivers/a9mpcore.h>
#include <drivers/gic.h>

/* Every interrupt at one middle priority, routed to CPU 0. */
#define IRQ_PRIORITY 0xA0u
#define IRQ_CPU0 0x01u

void a9mpcore_irq_init(const struct a9mpcore *m)
{
	gic_init(&m->gic);
}

void a9mpcore_irq_enable(const struct a9mpcore *m, uint32_t id)
{
	gic_irq_enable(&m->gic, id, IRQ_PRIORITY, IRQ_CPU0);
}

void a9mpcore_timer_init(const struct a9mpcore *m)
{
	a9_timer_global_start(m->gtimer);
	a9mpcore_irq_enable(m, A9MPCORE_IRQ_GTIMER);
}

void a9mpcore_timer_set(const struct a9mpcore *m, uint64_t deadline_ns)
{
	/* Round up: the event comes at the first count that is not before the deadline. */
	uint64_t count = (deadline_ns + m->ns_per_tick - 1) / m->ns_per_tick;
	a9_timer_compare_set(m->gtimer, count);
}

uint64_t a9mpcore_clock_ns(const struct a9mpcore *m)
{
	return a9_timer_global_read(m->gtimer) * m->ns_per_tick;
}

void a9mpcore_irq_dispatch(const struct a9mpcore *m, unsigned batch, void (*handle)(uint32_t id))
{
	for (unsigned i = 0; i < batch; i++) {
		uint32_t iar = gic_ack(&m->gic);
		if (gic_is_spurious(iar))
			return;
		uint32_t id = gic_irq_id(iar);
		if (id == A9MPCORE_IRQ_GTIMER)
			a9_timer_compare_ack(m->gtimer);
		handle(id);
		gic_eoi(&m->gic, iar);
	}
}
