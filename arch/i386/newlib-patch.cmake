# newlib-patch.cmake - run by the newlib ExternalProject on its unpacked
# source (-DSOURCE_DIR=...): give i686-elf the layering arm-none-eabi has.
#
# newlib's configure.host sends every target it has no entry for, i686-elf
# included, to a default that defines MISSING_SYSCALL_NAMES and builds no
# libc/syscalls: its reentrant wrappers (_fork_r, _read_r ...) would then
# call fork, read ... by their POSIX names, which the app itself calls
# directly, bypassing the wrappers. With an entry of its own, i686-elf gets
# read -> _read_r -> _read as on ARM, and Calf's one syscalls.c serves both.
set(host ${SOURCE_DIR}/newlib/configure.host)
file(READ ${host} text)
set(anchor "  *)\n\tnewlib_cflags=\"\${newlib_cflags} -DMISSING_SYSCALL_NAMES\"\n\tsyscall_dir=\n")
string(FIND "${text}" "${anchor}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "newlib-patch: ${host} has no default MISSING_SYSCALL_NAMES case; "
                      "this newlib version needs a new patch")
endif()
string(REPLACE "${anchor}" "  i[34567]86-*-elf*)\n\tsyscall_dir=syscalls\n\t;;\n${anchor}" text "${text}")
file(WRITE ${host} "${text}")
