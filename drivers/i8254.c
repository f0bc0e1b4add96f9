/*
 * i8254.c - Intel 8254 programmable interval timer (Intel 8254 data sheet:
 * control word format, mode 0). Counters 0-2 sit at port + 0-2, the
 * control word register at port + 3.
 */
#include <stdint.h>

#include <arch_io.h>
#include <drivers/i8254.h>

#define PIT_CMD 3
/*
 * Control word: SC (bits 7-6, the counter), RW 11 (bits 5-4: low byte then
 * high byte), mode 0 (bits 3-1: interrupt on terminal count), BCD 0.
 */
#define PIT_CW_COUNTER_SHIFT 6
#define PIT_CW_MODE0_LOHI 0x30u

/* Load counter ch with a 16-bit count, low byte first as RW 11 asks. */
static void i8254_count_write(uint16_t port, unsigned ch, uint16_t count)
{
	outb(port + ch, count & 0xFFu);
	outb(port + ch, count >> 8);
}

void i8254_oneshot_start(uint16_t port, unsigned ch, uint16_t count)
{
	/* Mode 0: writing the control word sets OUT low; it rises at terminal count (data sheet). */
	outb(port + PIT_CMD, (uint8_t)((ch << PIT_CW_COUNTER_SHIFT) | PIT_CW_MODE0_LOHI));
	i8254_count_write(port, ch, count);
}
