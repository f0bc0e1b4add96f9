# i386 bare metal with the host's own gcc in 32-bit freestanding mode
# (Debian gcc plus gcc-multilib): there is no i686-elf cross compiler in
# Debian. Nothing of the host's C library may leak in: no system headers,
# no PIE, no stack protector; newlib for i686 is built in the build tree
# (cmake/newlib.cmake).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CALF_I686_FLAGS "-m32 -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none -U__linux__ -U__unix__ -Ulinux -Uunix -U__gnu_linux__")
set(CMAKE_C_FLAGS_INIT "${CALF_I686_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "-m32")
# -z noexecstack: nothing here runs on an executable stack; says so for the .S files.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32 -static -no-pie -nostdlib -Wl,--build-id=none -Wl,-z,noexecstack")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

execute_process(COMMAND gcc -m32 -print-libgcc-file-name
                OUTPUT_VARIABLE CALF_I686_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${CALF_I686_LIBGCC}")
  message(FATAL_ERROR "gcc cannot build 32-bit code here (no ${CALF_I686_LIBGCC}): "
                      "install the Debian package gcc-multilib")
endif()
