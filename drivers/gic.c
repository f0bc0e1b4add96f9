/*
 * gic.c - ARM GIC v1 distributor and CPU interface (ARM IHI 0048B,
 * chapter 4, "Programmers' Model").
 */
#include <stdint.h>

#include <drivers/gic.h>

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/* Distributor (IHI 0048B 4.3). */
#define GICD_CTLR 0x000
#define GICD_CTLR_ENABLE 0x1u
#define GICD_ISENABLER(n) (0x100 + 4 * (n)) /* one bit an interrupt, write 1 to enable */
#define GICD_IPRIORITYR 0x400               /* one byte an interrupt */
#define GICD_ITARGETSR 0x800                /* one byte an interrupt */

/* CPU interface (IHI 0048B 4.4). */
#define GICC_CTLR 0x00
#define GICC_CTLR_ENABLE 0x1u
#define GICC_PMR 0x04
#define GICC_PMR_ALL 0xF0u
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10

/* The first SPI: ids below are SGIs (0-15) and PPIs (16-31), private to a CPU. */
#define GIC_FIRST_SPI 32u

void gic_init(const struct gic *gic)
{
	REG(gic->dist, GICD_CTLR) = GICD_CTLR_ENABLE;
	/*
	 * Only priorities numerically below PMR are signalled (4.4.2). Every
	 * GIC has at least 16 levels, the top four bits (3.3), so 0xF0 is the
	 * lowest level everywhere and lets every usable priority through.
	 */
	REG(gic->cpu, GICC_PMR) = GICC_PMR_ALL;
	REG(gic->cpu, GICC_CTLR) = GICC_CTLR_ENABLE;
}

void gic_irq_enable(const struct gic *gic, uint32_t id, uint8_t priority, uint8_t cpu_mask)
{
	/* IPRIORITYR and ITARGETSR are byte-accessible (4.3.11, 4.3.12): no read-modify-write. */
	volatile uint8_t *prio = (volatile uint8_t *)(gic->dist + GICD_IPRIORITYR);
	volatile uint8_t *target = (volatile uint8_t *)(gic->dist + GICD_ITARGETSR);
	prio[id] = priority;
	if (id >= GIC_FIRST_SPI)
		target[id] = cpu_mask; /* SGI/PPI targets are read-only (4.3.12) */
	REG(gic->dist, GICD_ISENABLER(id / 32)) = 1u << (id % 32);
}

uint32_t gic_ack(const struct gic *gic)
{
	return REG(gic->cpu, GICC_IAR);
}

void gic_eoi(const struct gic *gic, uint32_t iar)
{
	/* EOIR takes the IAR value unchanged: for an SGI it carries the source CPU (4.4.5). */
	REG(gic->cpu, GICC_EOIR) = iar;
}
