# newlib.cmake - newlib for i686, built once in the build tree from the
# source Debian ships (package newlib-source), with the host gcc in 32-bit
# freestanding mode. The result lands in ${CALF_NEWLIB_PREFIX}/i686-elf
# (include/ and lib/); every kernel and app target depends on the target
# calf_newlib, and a rebuild of the tree reuses it.
include(ExternalProject)

file(GLOB CALF_NEWLIB_TARBALL /usr/src/newlib/newlib-*.tar.*)
if(NOT CALF_NEWLIB_TARBALL)
  message(FATAL_ERROR "no newlib source in /usr/src/newlib: install the Debian package newlib-source")
endif()
list(SORT CALF_NEWLIB_TARBALL)
list(GET CALF_NEWLIB_TARBALL -1 CALF_NEWLIB_TARBALL)

set(CALF_NEWLIB_PREFIX ${CMAKE_BINARY_DIR}/newlib)
set(CALF_NEWLIB_SYSROOT ${CALF_NEWLIB_PREFIX}/i686-elf)
# -march=i686 without MMX/SSE: the kernel saves only the x87 state, and
# CR4.OSFXSR stays clear, so SSE would raise #UD anyway.
set(CALF_NEWLIB_CFLAGS "-O2 -g ${CALF_I686_FLAGS} -march=i686 -mno-mmx -mno-sse -ffreestanding -Wa,--noexecstack")
# newlib builds with make: join the jobserver under a Makefile generator.
if(CMAKE_GENERATOR MATCHES "Makefiles")
  set(newlib_make $(MAKE))
else()
  set(newlib_make make -j2)
endif()
ExternalProject_Add(calf_newlib
  URL ${CALF_NEWLIB_TARBALL}
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
  PREFIX ${CMAKE_BINARY_DIR}/newlib-build
  PATCH_COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=<SOURCE_DIR> -P ${CMAKE_CURRENT_LIST_DIR}/newlib-patch.cmake
  CONFIGURE_COMMAND <SOURCE_DIR>/configure --target=i686-elf --prefix=${CALF_NEWLIB_PREFIX}
    --disable-multilib --disable-newlib-supplied-syscalls
    "CC_FOR_TARGET=gcc -m32" "AS_FOR_TARGET=as --32" "LD_FOR_TARGET=ld -m elf_i386"
    AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm READELF_FOR_TARGET=readelf
    OBJDUMP_FOR_TARGET=objdump OBJCOPY_FOR_TARGET=objcopy STRIP_FOR_TARGET=strip
    "CFLAGS_FOR_TARGET=${CALF_NEWLIB_CFLAGS}"
  BUILD_COMMAND ${newlib_make} all-target-newlib MAKEINFO=true
  INSTALL_COMMAND ${newlib_make} install-target-newlib MAKEINFO=true
  BUILD_BYPRODUCTS ${CALF_NEWLIB_SYSROOT}/lib/libc.a ${CALF_NEWLIB_SYSROOT}/lib/libm.a
  LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
