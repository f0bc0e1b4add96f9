/*
 * arm_semihosting.c - SYS_EXIT_EXTENDED (0x20) with
 * ADP_Stopped_ApplicationExit: the status reaches QEMU (-semihosting) or a
 * debugger as the exit code. In ARM state the call is SVC 0x123456.
 */
#include <stdint.h>

#include <drivers/arm_semihosting.h>

void arm_semihosting_exit(int status)
{
	static volatile uint32_t block[2];
	block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
	block[1] = (uint32_t)status;
	register uint32_t r0 __asm__("r0") = 0x20;
	register uint32_t r1 __asm__("r1") = (uint32_t)block;
	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
}
