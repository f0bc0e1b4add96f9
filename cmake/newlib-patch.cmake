# newlib-patch.cmake - run by the newlib ExternalProject on its unpacked
# source (-DSOURCE_DIR=...). Two patches, each applied once:
#
# 1. Give i686-elf the layering arm-none-eabi has. newlib's configure.host
# sends every target it has no entry for, i686-elf included, to a default
# that defines MISSING_SYSCALL_NAMES and builds no libc/syscalls: its
# reentrant wrappers (_fork_r, _read_r ...) would then call fork, read ...
# by their POSIX names, which the app itself calls directly, bypassing the
# wrappers. With an entry of its own, i686-elf gets read -> _read_r -> _read
# as on ARM, and Calf's one syscalls.c serves both.
#
# 2. Define __DYNAMIC_REENT__ in sys/config.h, which newlib's sources and
# the apps both include: _REENT becomes a call to __getreent() everywhere
# (errno, stdio, strtok, malloc), answered per thread by apps/lib. newlib
# 3.3 has no configure option for it; a -D in newlib's CFLAGS alone would
# leave the apps' inline uses of _REENT on the global _impure_ptr.
set(host ${SOURCE_DIR}/newlib/configure.host)
file(READ ${host} text)
set(anchor "  *)\n\tnewlib_cflags=\"\${newlib_cflags} -DMISSING_SYSCALL_NAMES\"\n\tsyscall_dir=\n")
string(FIND "${text}" "${anchor}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "newlib-patch: ${host} has no default MISSING_SYSCALL_NAMES case; "
                      "this newlib version needs a new patch")
endif()
string(FIND "${text}" "  i[34567]86-*-elf*)\n\tsyscall_dir=syscalls\n" done)
if(done EQUAL -1)
  string(REPLACE "${anchor}" "  i[34567]86-*-elf*)\n\tsyscall_dir=syscalls\n\t;;\n${anchor}" text "${text}")
  file(WRITE ${host} "${text}")
endif()

set(config ${SOURCE_DIR}/newlib/libc/include/sys/config.h)
file(READ ${config} text)
set(anchor "#endif /* __SYS_CONFIG_H__ */")
string(FIND "${text}" "${anchor}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "newlib-patch: ${config} does not end with '${anchor}'; "
                      "this newlib version needs a new patch")
endif()
string(FIND "${text}" "Calf: per-thread" done)
if(done EQUAL -1)
  string(REPLACE "${anchor}" "/* Calf: per-thread reentrancy state through __getreent() (apps/lib). */
#ifndef __DYNAMIC_REENT__
#define __DYNAMIC_REENT__
#endif

${anchor}" text "${text}")
  file(WRITE ${config} "${text}")
endif()
