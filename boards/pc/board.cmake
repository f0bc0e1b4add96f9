# pc: i386 on QEMU's PC/AT machine (i440FX), booted through Multiboot.
set(CALF_ARCH i386)
set(CALF_TOOLCHAIN i686-host-gcc)
set(CALF_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${CALF_DRIVERS_DIR}/uart16550.c ${CALF_DRIVERS_DIR}/i8259.c ${CALF_DRIVERS_DIR}/i8254.c)
set(CALF_KERNEL_LDS ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
set(CALF_CPU_FLAGS -march=i686)
# RAM: one number for QEMU's -m and the kernel's BOARD_RAM_SIZE.
calf_config_option(CALF_RAM_MB 128 16 1024 "MiB of RAM, for the kernel and QEMU's -m")
# isa-debug-exit carries the guest's exit status out of QEMU as (status << 1) | 1;
# CALF_QEMU_EXIT tells calf.run to shift it back (see board_poweroff()).
# The console is stdio with signal=off: Ctrl-C reaches the guest's shell
# instead of ending QEMU.
set(CALF_QEMU qemu-system-i386)
set(CALF_QEMU_ARGS -M pc -m ${CALF_RAM_MB}M -nodefaults -display none -monitor none
    -chardev stdio,id=calf-console,signal=off -serial chardev:calf-console
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)
set(CALF_QEMU_EXIT isa-debug-exit)
# ./calf flash (cmake/flash.cmake): a GRUB ISO (CD, or dd to a USB stick);
# --from-flash boots it with -cdrom. isa-debug-exit stays: on a PC the port
# write reaches nothing, and the kernel halts.
set(CALF_FLASH_IMAGES iso)
set(CALF_FLASH_BOOT iso)
set(CALF_FLASH_STATUS isa-debug-exit)
