/* i8254.h - Intel 8254 interval timer on I/O ports: channel 0 periodic, channel 2 one-shot. */
#ifndef CALF_DRIVERS_I8254_H
#define CALF_DRIVERS_I8254_H

#include <stdint.h>

/*
 * Make channel 0 of the 8254 at port (channel 0's port; the command port
 * is port + 3) a rate generator of hz, the nearest the input clock
 * clock_hz divides to (at least clock_hz / 65536 Hz).
 */
void i8254_periodic_start(uint16_t port, uint32_t clock_hz, uint32_t hz);

/*
 * Count channel 2 down from count once: its OUT goes high count input
 * clocks after the write, while its GATE is high (on a PC, port 0x61).
 */
void i8254_oneshot_start(uint16_t port, uint16_t count);

#endif
