/* i8259.h - a cascaded pair of Intel 8259A programmable interrupt controllers (8086 mode). */
#ifndef CALF_DRIVERS_I8259_H
#define CALF_DRIVERS_I8259_H

#include <stdint.h>

/*
 * Initialise the master at port master and the slave at port slave, whose
 * INT is wired to the master's input cascade_irq: IRQ n (0-15, 8-15 on the
 * slave) arrives as vector vector_base + n (vector_base a multiple of 8);
 * IRQ n stays masked while bit n of mask is set.
 */
void i8259_pair_init(uint16_t master, uint16_t slave, uint8_t vector_base, uint8_t cascade_irq,
		     uint16_t mask);

/* The in-service register of the 8259A at port: bit n set while its IRQ n is being handled. */
uint8_t i8259_isr_read(uint16_t port);

/* Non-specific end of interrupt to the 8259A at port: clears its most urgent in-service bit. */
void i8259_eoi(uint16_t port);

#endif
