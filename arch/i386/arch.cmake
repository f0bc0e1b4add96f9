# i386: kernel and apps built by the host gcc in 32-bit freestanding mode
# against newlib compiled in the build tree (newlib.cmake).
set(CALF_ARCH_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CALF_ARCH_SOURCES
  ${CALF_ARCH_DIR}/boot.S ${CALF_ARCH_DIR}/vectors.S ${CALF_ARCH_DIR}/cpu.c
  ${CALF_ARCH_DIR}/mmu.c ${CALF_ARCH_DIR}/pmap.c ${CALF_ARCH_DIR}/page.S ${CALF_ARCH_DIR}/string.S
  ${CALF_ARCH_DIR}/trap.c
  ${CALF_ARCH_DIR}/signal.c)
include(${CALF_ARCH_DIR}/newlib.cmake)

execute_process(COMMAND gcc -m32 -print-file-name=include
                OUTPUT_VARIABLE gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
# newlib's headers, then gcc's own (stddef.h, stdarg.h), never /usr/include.
# (-isystemDIR in one word: CMake drops repeated flags such as a second -isystem.)
set(CALF_I686_INCLUDES -nostdinc -isystem${CALF_NEWLIB_SYSROOT}/include -isystem${gcc_include})
# The kernel touches no FPU register: user tasks own the x87 state.
set(CALF_KERNEL_ARCH_FLAGS ${CALF_CPU_FLAGS} ${CALF_I686_INCLUDES} -mgeneral-regs-only)
set(CALF_USER_ARCH_FLAGS ${CALF_CPU_FLAGS} ${CALF_I686_INCLUDES} -mno-mmx -mno-sse)
set(CALF_USER_LINK_FLAGS -L${CALF_NEWLIB_SYSROOT}/lib)
set(CALF_USER_CRT0 ${CALF_ARCH_DIR}/user/crt0.S)
set(CALF_USER_LDS ${CALF_ARCH_DIR}/user/user.ld)
