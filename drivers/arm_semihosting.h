/*
 * arm_semihosting.h - ARM semihosting's exit call (ARM DUI 0471, "Semihosting
 * operations"; QEMU -semihosting), which every ARM board under QEMU uses to
 * hand its exit status out: QEMU or an attached debugger exits with it.
 */
#ifndef CALF_DRIVERS_ARM_SEMIHOSTING_H
#define CALF_DRIVERS_ARM_SEMIHOSTING_H

/*
 * SYS_EXIT_EXTENDED with status. Returns only when no semihosting host
 * takes the call: then the SVC traps into the kernel's own vector, which
 * must not be mistaken for success (board_poweroff() falls back to the
 * board's own power-off).
 */
void arm_semihosting_exit(int status);

#endif
