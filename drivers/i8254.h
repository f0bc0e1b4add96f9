/* i8254.h - Intel 8254 interval timer on I/O ports: one-shot counts (mode 0). */
#ifndef CALF_DRIVERS_I8254_H
#define CALF_DRIVERS_I8254_H

#include <stdint.h>

/*
 * Count counter ch (0-2) of the 8254 at port (counter 0's port; the command
 * port is port + 3) down from count once: its OUT goes high count input
 * clocks after the write (count 0 means 65536), while its GATE is high.
 * Rewriting it restarts the count. On a PC, OUT 0 is IRQ 0 and counter 2's
 * GATE and OUT are in port 0x61.
 */
void i8254_oneshot_start(uint16_t port, unsigned ch, uint16_t count);

#endif
