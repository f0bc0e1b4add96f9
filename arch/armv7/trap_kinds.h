/*
 * trap_kinds.h (armv7, arch-private) - which exception vectors.S entered
 * through, as the second argument of arch_trap() (a system call and a data
 * abort have entries of their own: arch_trap_svc, arch_trap_dabt). Safe to
 * include from assembler.
 */
#ifndef CALF_ARMV7_TRAP_KINDS_H
#define CALF_ARMV7_TRAP_KINDS_H

#define TRAP_UNDEF 1 /* undefined instruction */
#define TRAP_SVC 2   /* supervisor call: a system call */
#define TRAP_PABT 3  /* prefetch abort */
#define TRAP_DABT 4  /* data abort */
#define TRAP_IRQ 5
#define TRAP_FIQ 6

#endif
