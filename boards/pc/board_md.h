/*
 * board_md.h - pc: the IBM PC/AT compatible machine QEMU calls "pc" (i440FX):
 * RAM from physical 0, legacy devices on I/O ports. Sources: the 8259A,
 * 8254 and 16550 data sheets, and QEMU's isa-debug-exit device.
 */
#ifndef CALF_BOARD_MD_H
#define CALF_BOARD_MD_H

#include <calf/config.h>

#define BOARD_NAME "pc"

/* board.cmake sets the size (QEMU's -m too); the Multiboot memory map may only lower it. */
#define BOARD_RAM_SIZE ((uint32_t)CALF_CONFIG_RAM_MB << 20)

/* 8259A pair, remapped so IRQ 0-15 arrive as vectors 32-47 (past the exceptions). */
#define BOARD_PIC1 0x20u
#define BOARD_PIC2 0xA0u
#define BOARD_IRQ_VECTOR_BASE 32u
#define BOARD_IRQ_PIT 0u
#define BOARD_IRQ_CASCADE 2u
#define BOARD_IRQ_COM1 4u

/* 8254 PIT (ports 0x40-0x43), input 1.193182 MHz: channel 0 one-shots, channel 2 times the TSC. */
#define BOARD_PIT 0x40u
#define BOARD_PIT_HZ 1193182u
#define BOARD_PORT_B 0x61u
#define BOARD_PORT_B_GATE2 0x01u   /* PIT channel 2 counts while set */
#define BOARD_PORT_B_SPEAKER 0x02u /* channel 2's output drives the speaker */
#define BOARD_PORT_B_OUT2 0x20u    /* channel 2's output, read back */

/* COM1, a 16550A. */
#define BOARD_COM1 0x3F8u

/* isa-debug-exit (QEMU: -device isa-debug-exit,iobase=0xf4,iosize=4). */
#define BOARD_DEBUG_EXIT 0xF4u

#endif
