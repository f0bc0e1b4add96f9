# vexpress-a9: Cortex-A9 (ARMv7-A) on QEMU's Versatile Express model.
set(CALF_ARCH armv7)
set(CALF_TOOLCHAIN arm-none-eabi)
set(CALF_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
set(CALF_KERNEL_LDS ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
set(CALF_CPU_FLAGS -mcpu=cortex-a9 -mfloat-abi=soft)
# RAM size must match BOARD_RAM_SIZE in board_md.h. Semihosting carries the
# guest's exit status out of QEMU; the board's audio codec gets a silent backend.
set(CALF_QEMU qemu-system-arm)
set(CALF_QEMU_ARGS -M vexpress-a9 -m 128M -display none -monitor none -serial stdio
    -no-reboot -semihosting-config enable=on,target=native
    -audiodev none,id=calf-noaudio -global pl041.audiodev=calf-noaudio)
