/*
 * i8259.c - Intel 8259A programmable interrupt controller (Intel 8259A
 * data sheet: initialization command words ICW1-4, operation command words
 * OCW1-3). Each chip has a command port and, at command + 1, a data port.
 */
#include <stdint.h>

#include <arch_io.h>
#include <drivers/i8259.h>

#define PIC_ICW1_INIT_ICW4 0x11u /* start initialisation, cascade, edge-triggered, ICW4 follows */
#define PIC_ICW4_8086 0x01u      /* 8086/88 mode: the chip supplies the vector number */
#define PIC_OCW2_EOI 0x20u       /* non-specific EOI */
#define PIC_OCW3_READ_ISR 0x0Bu  /* the next read of the command port returns the ISR */

/* ICW1-4 then OCW1, the mask: ICW2-4 go to the data port in that order. */
static void i8259_init(uint16_t port, uint8_t vector_base, uint8_t icw3, uint8_t mask)
{
	outb(port, PIC_ICW1_INIT_ICW4);
	outb(port + 1, vector_base);
	outb(port + 1, icw3);
	outb(port + 1, PIC_ICW4_8086);
	outb(port + 1, mask);
}

void i8259_pair_init(uint16_t master, uint16_t slave, uint8_t vector_base, uint8_t cascade_irq,
		     uint16_t mask)
{
	/* ICW3: the master takes a bit per input with a slave, the slave its input's number. */
	i8259_init(master, vector_base, (uint8_t)(1u << cascade_irq), (uint8_t)mask);
	i8259_init(slave, vector_base + 8, cascade_irq, (uint8_t)(mask >> 8));
}

uint8_t i8259_isr_read(uint16_t port)
{
	outb(port, PIC_OCW3_READ_ISR);
	return inb(port);
}

void i8259_eoi(uint16_t port)
{
	outb(port, PIC_OCW2_EOI);
}
