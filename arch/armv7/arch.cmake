# armv7: kernel in ARM state; apps in Thumb-2, matching Debian newlib's
# thumb/v7-a/nofp multilib.
set(CALF_ARCH_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CALF_ARCH_SOURCES
  ${CALF_ARCH_DIR}/boot.S ${CALF_ARCH_DIR}/vectors.S ${CALF_ARCH_DIR}/mmu.c
  ${CALF_ARCH_DIR}/pmap.c ${CALF_ARCH_DIR}/page.S ${CALF_ARCH_DIR}/trap.c ${CALF_ARCH_DIR}/signal.c)
set(CALF_KERNEL_ARCH_FLAGS ${CALF_CPU_FLAGS} -marm)
set(CALF_USER_ARCH_FLAGS ${CALF_CPU_FLAGS} -mthumb)
set(CALF_USER_CRT0 ${CALF_ARCH_DIR}/user/crt0.S)
set(CALF_USER_LDS ${CALF_ARCH_DIR}/user/user.ld)
