# newlib.cmake (armv7) - what cmake/newlib.cmake builds for this arch:
# arm-none-eabi for the one multilib the apps use, Thumb-2 ARMv7-A with
# soft float (the board's -mcpu, -mfloat-abi=soft), with the options
# Debian's libnewlib-arm-none-eabi has (long long in printf, atexit-run
# finalisers), so apps see the same library they saw before.
set(CALF_NEWLIB_TARGET arm-none-eabi)
string(REPLACE ";" " " cpu_flags "${CALF_CPU_FLAGS}")
set(CALF_NEWLIB_CFLAGS "-O2 -g ${cpu_flags} -mthumb -ffunction-sections -fdata-sections")
set(CALF_NEWLIB_TOOLS
  CC_FOR_TARGET=arm-none-eabi-gcc AS_FOR_TARGET=arm-none-eabi-as LD_FOR_TARGET=arm-none-eabi-ld
  AR_FOR_TARGET=arm-none-eabi-ar RANLIB_FOR_TARGET=arm-none-eabi-ranlib NM_FOR_TARGET=arm-none-eabi-nm
  READELF_FOR_TARGET=arm-none-eabi-readelf OBJDUMP_FOR_TARGET=arm-none-eabi-objdump
  OBJCOPY_FOR_TARGET=arm-none-eabi-objcopy STRIP_FOR_TARGET=arm-none-eabi-strip)
set(CALF_NEWLIB_OPTIONS --enable-newlib-io-long-long --enable-newlib-register-fini)
include(${CMAKE_SOURCE_DIR}/cmake/newlib.cmake)
