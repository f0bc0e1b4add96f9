# xilinx-zynq-a9: Cortex-A9 (ARMv7-A) in a Zynq-7000, on QEMU's model of the ZC702.
set(CALF_ARCH armv7)
set(CALF_TOOLCHAIN arm-none-eabi)
set(CALF_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${CALF_DRIVERS_DIR}/cadence_uart.c ${CALF_DRIVERS_DIR}/gic.c ${CALF_DRIVERS_DIR}/a9_timer.c ${CALF_DRIVERS_DIR}/a9mpcore.c
    ${CALF_DRIVERS_DIR}/arm_semihosting.c)
set(CALF_CPU_FLAGS -mcpu=cortex-a9 -mfloat-abi=soft)
# RAM: DDR at physical 0 (the kernel runs at ARCH_KERNEL_VA_BASE all the
# same); one size for QEMU's -m and the kernel's BOARD_RAM_SIZE.
set(CALF_BOARD_RAM_BASE 0x00000000)
calf_config_option(CALF_RAM_MB 128 16 1024 "MiB of RAM, for the kernel and QEMU's -m")
# Semihosting carries the guest's exit status out of QEMU. The console is
# UART0 on stdio with signal=off: Ctrl-C reaches the guest's shell instead
# of ending QEMU. (The Ethernet MACs keep QEMU's default network: without
# one, QEMU warns that they have no peer.)
set(CALF_QEMU qemu-system-arm)
set(CALF_QEMU_ARGS -M xilinx-zynq-a9 -m ${CALF_RAM_MB}M -display none -monitor none
    -chardev stdio,id=calf-console,signal=off -serial chardev:calf-console
    -no-reboot -semihosting-config enable=on,target=native)
# ./calf flash (cmake/flash.cmake): a raw binary and a U-Boot image, which
# a Zynq board's boot medium (SD card or QSPI, behind Xilinx's FSBL and
# U-Boot) carries. QEMU's model has no boot ROM, so --from-flash does what
# U-Boot would: the raw binary at its load address, entered at the entry.
# A hardware image resets through the SLCR and prints its status first.
set(CALF_FLASH_IMAGES bin uimage)
set(CALF_FLASH_BOOT bin)
set(CALF_FLASH_STATUS console)
