/*
 * board_md.h - vexpress-a9 (CoreTile Express A9x4 on the V2M-P1 motherboard,
 * as QEMU's "vexpress-a9" models it): physical memory map and interrupts.
 * Source: ARM DUI 0447 (V2M-P1 TRM, "legacy" memory map) and DDI 0407
 * (Cortex-A9 MPCore TRM, private memory region).
 */
#ifndef CALF_BOARD_MD_H
#define CALF_BOARD_MD_H

#include <calf/config.h>

#define BOARD_NAME "vexpress-a9"

/* RAM: the daughterboard's DDR2 at 0x60000000; board.cmake sets base and size (QEMU's -m too). */
#define BOARD_RAM_BASE CALF_BOARD_RAM_BASE
#define BOARD_RAM_SIZE ((uint32_t)CALF_CONFIG_RAM_MB << 20)

/* Motherboard peripherals (CS7), one 1 MiB section mapped at 0xF0000000. */
#define BOARD_MB_PA 0x10000000u
#define BOARD_MB_VA 0xF0000000u
#define BOARD_SYSREG_VA (BOARD_MB_VA + 0x00000u)
#define BOARD_UART0_VA (BOARD_MB_VA + 0x09000u)
#define BOARD_UART_CLK_HZ 24000000u /* the UARTs' reference clock */
#define BOARD_CONSOLE_BAUD 38400u

/* Cortex-A9 MPCore private region (PERIPHBASE: GIC, global timer; drivers/a9mpcore.h), mapped at 0xF1000000. */
#define BOARD_MPCORE_PA 0x1E000000u
#define BOARD_MPCORE_VA 0xF1000000u

/* GIC interrupt ID of UART0: SPIs start at 32 (the global timer is PPI 27, A9MPCORE_IRQ_GTIMER). */
#define BOARD_IRQ_UART0 (32u + 5u)

/* PERIPHCLK feeds the global timer: QEMU models it at 100 MHz, 10 ns a count. */
#define BOARD_GTIMER_NS_PER_TICK 10u

#endif
