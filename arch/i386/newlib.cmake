# newlib.cmake (i386) - what cmake/newlib.cmake builds for this arch:
# i686-elf with the host gcc in 32-bit freestanding mode.
set(CALF_NEWLIB_TARGET i686-elf)
# -march=i686 without MMX/SSE: the kernel saves only the x87 state, and
# CR4.OSFXSR stays clear, so SSE would raise #UD anyway.
set(CALF_NEWLIB_CFLAGS "-O2 -g ${CALF_I686_FLAGS} -march=i686 -mno-mmx -mno-sse -ffreestanding -Wa,--noexecstack")
set(CALF_NEWLIB_TOOLS
  "CC_FOR_TARGET=gcc -m32" "AS_FOR_TARGET=as --32" "LD_FOR_TARGET=ld -m elf_i386"
  AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm READELF_FOR_TARGET=readelf
  OBJDUMP_FOR_TARGET=objdump OBJCOPY_FOR_TARGET=objcopy STRIP_FOR_TARGET=strip)
set(CALF_NEWLIB_OPTIONS "")
include(${CMAKE_SOURCE_DIR}/cmake/newlib.cmake)
