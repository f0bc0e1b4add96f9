# armv7: kernel in ARM state; apps in Thumb-2, against newlib built in the
# build tree for Thumb-2 ARMv7-A soft float (newlib.cmake): the multilib
# Debian's thumb/v7-a/nofp is, with per-thread reentrancy and locks.
set(CALF_ARCH_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CALF_ARCH_SOURCES
  ${CALF_ARCH_DIR}/boot.S ${CALF_ARCH_DIR}/vectors.S ${CALF_ARCH_DIR}/mmu.c
  ${CALF_ARCH_DIR}/pmap.c ${CALF_ARCH_DIR}/page.S ${CALF_ARCH_DIR}/string.S ${CALF_ARCH_DIR}/trap.c
  ${CALF_ARCH_DIR}/signal.c)
include(${CALF_ARCH_DIR}/newlib.cmake)

# Where the kernel sees RAM (pmap_md.h) and where the board has it: the
# linker script and the C and assembly sources take both from here.
set(CALF_KERNEL_VA_BASE 0x80000000)
if(NOT CALF_BOARD_RAM_BASE MATCHES "^0x[0-9a-fA-F]+$")
  message(FATAL_ERROR "board ${BOARD}: set CALF_BOARD_RAM_BASE (hex) in board.cmake")
endif()
configure_file(${CALF_ARCH_DIR}/kernel.ld.in ${CMAKE_BINARY_DIR}/kernel.ld @ONLY)
set(CALF_KERNEL_LDS ${CMAKE_BINARY_DIR}/kernel.ld)
set(CALF_KERNEL_LAYOUT -DCALF_KERNEL_VA_BASE=${CALF_KERNEL_VA_BASE}
    -DCALF_BOARD_RAM_BASE=${CALF_BOARD_RAM_BASE})

execute_process(COMMAND arm-none-eabi-gcc -print-file-name=include
                OUTPUT_VARIABLE gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND arm-none-eabi-gcc -print-file-name=include-fixed
                OUTPUT_VARIABLE gcc_include_fixed OUTPUT_STRIP_TRAILING_WHITESPACE)
# newlib's headers, then gcc's own (stddef.h, stdarg.h; limits.h, which
# newlib's includes next, is in include-fixed), never Debian's prebuilt
# newlib: the kernel and the apps see the same errno and signal values
# (calf/abi.h) from the same headers.
set(CALF_ARM_INCLUDES -nostdinc -isystem${CALF_NEWLIB_SYSROOT}/include -isystem${gcc_include}
    -isystem${gcc_include_fixed})
set(CALF_KERNEL_ARCH_FLAGS ${CALF_CPU_FLAGS} ${CALF_ARM_INCLUDES} ${CALF_KERNEL_LAYOUT} -marm)
set(CALF_USER_ARCH_FLAGS ${CALF_CPU_FLAGS} ${CALF_ARM_INCLUDES} -mthumb)
# Searched before the compiler's multilib directories: this libc, not Debian's.
set(CALF_USER_LINK_FLAGS -L${CALF_NEWLIB_SYSROOT}/lib)
set(CALF_USER_CRT0 ${CALF_ARCH_DIR}/user/crt0.S)
set(CALF_USER_LDS ${CALF_ARCH_DIR}/user/user.ld)
