# vexpress-a9: Cortex-A9 (ARMv7-A) on QEMU's Versatile Express model.
set(CALF_ARCH armv7)
set(CALF_TOOLCHAIN arm-none-eabi)
set(CALF_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${CALF_DRIVERS_DIR}/pl011.c ${CALF_DRIVERS_DIR}/gic.c ${CALF_DRIVERS_DIR}/a9_timer.c ${CALF_DRIVERS_DIR}/a9mpcore.c
    ${CALF_DRIVERS_DIR}/arm_semihosting.c)
set(CALF_CPU_FLAGS -mcpu=cortex-a9 -mfloat-abi=soft)
# RAM: the daughterboard's DDR2; one size for QEMU's -m and the kernel's BOARD_RAM_SIZE.
set(CALF_BOARD_RAM_BASE 0x60000000)
calf_config_option(CALF_RAM_MB 128 16 1024 "MiB of RAM, for the kernel and QEMU's -m")
# Semihosting carries the guest's exit status out of QEMU; the board's audio
# codec gets a silent backend. The console is stdio with signal=off: Ctrl-C
# reaches the guest's shell instead of ending QEMU.
set(CALF_QEMU qemu-system-arm)
set(CALF_QEMU_ARGS -M vexpress-a9 -m ${CALF_RAM_MB}M -display none -monitor none
    -chardev stdio,id=calf-console,signal=off -serial chardev:calf-console
    -no-reboot -semihosting-config enable=on,target=native
    -audiodev none,id=calf-noaudio -global pl041.audiodev=calf-noaudio)
# ./calf flash (cmake/flash.cmake): a NOR flash image booted from the reset
# vector (QEMU's flash 0 is 64 MiB, aliased at 0: hw/arm/vexpress.c), a raw
# binary and a U-Boot image; --from-flash boots the NOR flash. A hardware
# image powers off through the motherboard and prints its status first.
set(CALF_FLASH_IMAGES pflash bin uimage)
set(CALF_FLASH_BOOT pflash)
set(CALF_FLASH_MB 64)
set(CALF_FLASH_STATUS console)
