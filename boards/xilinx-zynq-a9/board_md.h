/*
 * board_md.h - xilinx-zynq-a9 (a Zynq-7000 processing system, as QEMU's
 * "xilinx-zynq-a9" models the ZC702: hw/arm/xilinx_zynq.c): physical
 * memory map and interrupts. Source: UG585 (Zynq-7000 TRM), 4.1 "Address
 * Map" and 7.2.3 "Shared Peripheral Interrupts"; DDI 0407 (Cortex-A9
 * MPCore TRM) for the private region.
 */
#ifndef CALF_BOARD_MD_H
#define CALF_BOARD_MD_H

#include <calf/config.h>

#define BOARD_NAME "xilinx-zynq-a9"

/* RAM: DDR from physical 0; board.cmake sets base and size (QEMU's -m too). */
#define BOARD_RAM_BASE CALF_BOARD_RAM_BASE
#define BOARD_RAM_SIZE ((uint32_t)CALF_CONFIG_RAM_MB << 20)

/* I/O peripherals (UART0 and 1, USB, I2C, SPI, CAN, GPIO): one 1 MiB section at 0xF0000000. */
#define BOARD_IOP_PA 0xE0000000u
#define BOARD_IOP_VA 0xF0000000u
#define BOARD_UART0_VA (BOARD_IOP_VA + 0x00000u)
/* uart_ref_clk as Xilinx's boot code sets it on the ZC702 and ZedBoard (IO PLL / 10). */
#define BOARD_UART_CLK_HZ 100000000u
#define BOARD_CONSOLE_BAUD 115200u

/* System level control registers (SLCR): reset and clocks, at 0xF2000000. */
#define BOARD_SLCR_PA 0xF8000000u
#define BOARD_SLCR_VA 0xF2000000u

/* Cortex-A9 MPCore private region (PERIPHBASE), mapped at 0xF1000000 as on vexpress-a9. */
#define BOARD_MPCORE_PA 0xF8F00000u
#define BOARD_MPCORE_VA 0xF1000000u

/* GIC interrupt ID of UART0: IRQ 59 (UG585 7.2.3; the global timer is PPI 27, A9MPCORE_IRQ_GTIMER). */
#define BOARD_IRQ_UART0 59u

/*
 * The global timer counts PERIPHCLK: QEMU's model (hw/timer/a9gtimer.c)
 * steps 10 ns a count. On silicon it is CPU_3x2x, 333 MHz on a 667 MHz
 * part: an image for such a board sets 3 here.
 */
#define BOARD_GTIMER_NS_PER_TICK 10u

#endif
