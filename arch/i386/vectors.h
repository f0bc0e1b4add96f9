/*
 * vectors.h (i386, arch-private) - interrupt vector numbers, shared by
 * vectors.S, the IDT (cpu.c) and the trap decoder (trap.c). Safe to include
 * from assembler.
 */
#ifndef CALF_I386_VECTORS_H
#define CALF_I386_VECTORS_H

#include <calf/abi.h> /* CALF_I386_SYSCALL_VECTOR: part of the user ABI */

/* Exceptions (SDM vol. 3 table 6-1). */
#define VEC_DE 0   /* divide error */
#define VEC_DB 1   /* debug */
#define VEC_NMI 2
#define VEC_BP 3   /* breakpoint (int3): reachable from user mode */
#define VEC_OF 4
#define VEC_BR 5
#define VEC_UD 6
#define VEC_NM 7
#define VEC_DF 8
#define VEC_TS 10
#define VEC_NP 11
#define VEC_SS 12
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_MC 18
#define VEC_XM 19

/* The PIC pair's 16 lines arrive on the vectors after the 32 exceptions. */
#define VEC_IRQ_FIRST 32
#define VEC_IRQ_LAST 47
#define VEC_STUBS 48 /* vectors.S has an entry stub for each of 0..47 */

#define VEC_SYSCALL CALF_I386_SYSCALL_VECTOR

#endif
