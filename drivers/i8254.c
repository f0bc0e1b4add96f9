/*
 * i8254.c - Intel 8254 programmable interval timer (Intel 8254 data sheet:
 * control word format, modes 0 and 2). Counters 0-2 sit at port + 0-2,
 * the control word register at port + 3.
 */
#include <stdint.h>

#include <arch_io.h>
#include <drivers/i8254.h>

#define PIT_CMD 3
/* Control words: SC (counter), RW 11 (low byte then high byte), mode, BCD 0 (binary). */
#define PIT_CH0_RATE_GEN 0x34u /* counter 0, mode 2: a pulse every count clocks */
#define PIT_CH2_ONE_SHOT 0xB0u /* counter 2, mode 0: OUT rises at terminal count */

/* Load counter ch with a 16-bit count, low byte first as RW 11 asks. */
static void i8254_count_write(uint16_t port, unsigned ch, uint16_t count)
{
	outb(port + ch, count & 0xFFu);
	outb(port + ch, count >> 8);
}

void i8254_periodic_start(uint16_t port, uint32_t clock_hz, uint32_t hz)
{
	/* A count of 0 means 65536 (the data sheet's maximum); the cast keeps that. */
	uint32_t divisor = (clock_hz + hz / 2) / hz;
	outb(port + PIT_CMD, PIT_CH0_RATE_GEN);
	i8254_count_write(port, 0, (uint16_t)divisor);
}

void i8254_oneshot_start(uint16_t port, uint16_t count)
{
	outb(port + PIT_CMD, PIT_CH2_ONE_SHOT);
	i8254_count_write(port, 2, count);
}
