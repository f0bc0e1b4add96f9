# newlib.cmake - newlib built once in the build tree from the source Debian
# ships (package newlib-source), for every board: Calf needs a newlib that
# asks the app for its reentrancy state and its locks, which Debian's
# prebuilt ARM newlib cannot do (it reads the global _impure_ptr directly
# and its locks are empty macros). The arch's arch.cmake sets, before
# including this file:
#   CALF_NEWLIB_TARGET   the GNU target triple (arm-none-eabi, i686-elf)
#   CALF_NEWLIB_CFLAGS   CFLAGS_FOR_TARGET: one multilib, the apps' own flags
#   CALF_NEWLIB_TOOLS    configure's *_FOR_TARGET assignments
#   CALF_NEWLIB_OPTIONS  configure options of that arch (may be empty)
# The result lands in ${CALF_NEWLIB_SYSROOT} (include/ and lib/); the arch
# makes every kernel and app target depend on the target calf_newlib, and
# a rebuild of the tree reuses it.
#
# Options every board shares (docs/design.md, "POSIX threads library"):
#   --enable-newlib-retargetable-locking  newlib's locks call the
#       __retarget_lock_* functions apps/lib/pthread_lock.c defines;
#   --enable-newlib-global-stdio-streams  one stdin/stdout/stderr for all
#       threads (otherwise every thread's struct _reent has its own, with
#       its own buffer), guarded by the FILE lock;
#   __DYNAMIC_REENT__ (patched into sys/config.h, so newlib and the apps
#       agree) with GETREENT_PROVIDED: _REENT is __getreent(), which
#       apps/lib/pthread_reent.c answers from the thread pointer.
include(ExternalProject)

file(GLOB CALF_NEWLIB_TARBALL /usr/src/newlib/newlib-*.tar.*)
if(NOT CALF_NEWLIB_TARBALL)
  message(FATAL_ERROR "no newlib source in /usr/src/newlib: install the Debian package newlib-source")
endif()
list(SORT CALF_NEWLIB_TARBALL)
list(GET CALF_NEWLIB_TARBALL -1 CALF_NEWLIB_TARBALL)

# One directory per configuration: a build tree that saw other flags, another
# patch or another source builds anew beside it, where reconfiguring in place
# would stop at configure's "CFLAGS has changed since the previous run".
file(READ ${CMAKE_CURRENT_LIST_DIR}/newlib-patch.cmake newlib_patch)
string(SHA1 newlib_config "${CALF_NEWLIB_TARBALL} ${CALF_NEWLIB_TARGET} ${CALF_NEWLIB_CFLAGS} \
${CALF_NEWLIB_TOOLS} ${CALF_NEWLIB_OPTIONS} ${newlib_patch}")
string(SUBSTRING ${newlib_config} 0 10 newlib_config)
# Where the newlib-<config> directories live: this build directory, or one
# that another build shares (the front end's own test builds against the
# newlib of the build it tests). Only one build may compile it at a time.
set(CALF_NEWLIB_ROOT "" CACHE PATH "directory holding the newlib builds (empty: this build directory)")
if(CALF_NEWLIB_ROOT)
  set(newlib_root ${CALF_NEWLIB_ROOT})
else()
  set(newlib_root ${CMAKE_BINARY_DIR})
endif()
set(CALF_NEWLIB_PREFIX ${newlib_root}/newlib-${newlib_config})
set(CALF_NEWLIB_SYSROOT ${CALF_NEWLIB_PREFIX}/${CALF_NEWLIB_TARGET})
# Where this build's newlib lands, for the front end to see whether it is built yet.
file(WRITE ${CMAKE_BINARY_DIR}/newlib-sysroot.txt "${CALF_NEWLIB_SYSROOT}\n")
# newlib builds with make: join the jobserver under a Makefile generator.
if(CMAKE_GENERATOR MATCHES "Makefiles")
  set(newlib_make $(MAKE))
else()
  set(newlib_make make -j2)
endif()
ExternalProject_Add(calf_newlib
  URL ${CALF_NEWLIB_TARBALL}
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
  PREFIX ${newlib_root}/newlib-build-${newlib_config}
  PATCH_COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=<SOURCE_DIR> -P ${CMAKE_CURRENT_LIST_DIR}/newlib-patch.cmake
  CONFIGURE_COMMAND <SOURCE_DIR>/configure --target=${CALF_NEWLIB_TARGET} --prefix=${CALF_NEWLIB_PREFIX}
    --disable-multilib --disable-newlib-supplied-syscalls --disable-nls
    --enable-newlib-retargetable-locking --enable-newlib-global-stdio-streams
    ${CALF_NEWLIB_OPTIONS} ${CALF_NEWLIB_TOOLS}
    "CFLAGS_FOR_TARGET=${CALF_NEWLIB_CFLAGS} -DGETREENT_PROVIDED"
  BUILD_COMMAND ${newlib_make} all-target-newlib MAKEINFO=true
  INSTALL_COMMAND ${newlib_make} install-target-newlib MAKEINFO=true
  BUILD_BYPRODUCTS ${CALF_NEWLIB_SYSROOT}/lib/libc.a ${CALF_NEWLIB_SYSROOT}/lib/libm.a
  LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
set(CALF_ARCH_DEPENDS calf_newlib)
