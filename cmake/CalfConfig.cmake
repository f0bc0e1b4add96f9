# CalfConfig.cmake - find_package(Calf) in a project outside the Calf tree,
# against an SDK installed with `cmake --install build/B --prefix P`
# (cmake/sdk.cmake). Configure the project with
#   -DCMAKE_TOOLCHAIN_FILE=P/lib/cmake/Calf/toolchain.cmake
# and enable C and ASM (project(NAME C ASM)): the image packs its apps with
# an assembler file. Then:
#   calf_add_app(NAME src.c...)      an app, built with the SDK's newlib
#   calf_add_image(NAME INIT [COMMIT overcommit|strict] [ARGS arg...])
#                                    NAME.elf: the kernel with the project's
#                                    apps and the SDK's (sh, ls, ...) in
#                                    /bin, starting INIT; NAME.run boots it
#                                    in QEMU and exits with INIT's status.
get_filename_component(CALF_SDK_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
include(${CMAKE_CURRENT_LIST_DIR}/CalfBoard.cmake)
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Generic")
  message(FATAL_ERROR "Calf: configure with -DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_LIST_DIR}/toolchain.cmake "
                      "(apps are built for ${CALF_BOARD}, not for this machine)")
endif()
set(CALF_SDK ON)
set(Calf_VERSION 0.1)
set(sdk_lib ${CALF_SDK_PREFIX}/lib/calf)

add_library(calf_crt0 OBJECT IMPORTED)
set_target_properties(calf_crt0 PROPERTIES IMPORTED_OBJECTS ${sdk_lib}/crt0.o)
add_library(calf_user STATIC IMPORTED)
set_target_properties(calf_user PROPERTIES IMPORTED_LOCATION ${sdk_lib}/libcalf_user.a
                      INTERFACE_INCLUDE_DIRECTORIES ${CALF_SDK_PREFIX}/include)
file(GLOB calf_kernel_objects ${sdk_lib}/kernel/*.o)
list(SORT calf_kernel_objects)
add_library(calf_kernel OBJECT IMPORTED)
set_target_properties(calf_kernel PROPERTIES IMPORTED_OBJECTS "${calf_kernel_objects}")
set(CALF_USER_LDS ${sdk_lib}/user.ld)
set(CALF_KERNEL_LDS ${sdk_lib}/kernel.ld)
set(CALF_KERNEL_INCLUDES "")
file(GLOB CALF_SDK_SYSTEM_APPS ${sdk_lib}/apps/*.elf)
include(${CMAKE_CURRENT_LIST_DIR}/calf.cmake)
