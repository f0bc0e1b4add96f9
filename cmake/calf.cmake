# calf.cmake - functions to build Calf apps and kernel images.
#
#   calf_add_app(NAME src.c...)  an app: its own ELF, linked against newlib
#                                and Calf's syscall layer, packed into every
#                                kernel image and startable by NAME.
#   calf_add_apps_from(DIR)      every DIR/*.c becomes an app of that name;
#                                every DIR/*/CMakeLists.txt is added (and
#                                calls calf_add_app itself).
#   calf_add_file(NAME FILE [DEPENDS target...])
#                                any other file, packed as it is beside the
#                                apps (it appears as /bin/NAME; exec refuses
#                                it unless it is an ELF executable for the CPU).
#   calf_add_image(NAME INIT [COMMIT mode] [ARGS arg...])
#                                a kernel image NAME.elf with every app,
#                                starting INIT, and NAME.run to boot it in QEMU.
#
# The same file serves the installed SDK (cmake/CalfConfig.cmake sets
# CALF_SDK and defines calf_crt0, calf_user and calf_kernel as imported
# targets); in the tree, the targets are built here and in CMakeLists.txt.

set(CALF_WARNINGS -Wall -Wextra -Werror)
# Apps from outside the tree (CALF_EXTRA_APPS, the SDK) get the same
# warnings, not -Werror: their warnings are their authors' to weigh.
set(CALF_APP_WARNINGS -Wall -Wextra)
# Extra apps ./calf found broken: left out so the images still build.
set(CALF_EXTRA_APPS_SKIP "" CACHE STRING "extra apps to leave out (./calf sets it for those that fail to build)")
set(CALF_APPS_BIN ${CMAKE_BINARY_DIR}/apps-bin)

# Targets an arch builds first (its newlib), before any C is compiled.
function(calf_arch_depends target)
  if(CALF_ARCH_DEPENDS)
    add_dependencies(${target} ${CALF_ARCH_DEPENDS})
  endif()
endfunction()

if(NOT CALF_SDK)
  # Startup code and the syscall layer every app links with.
  add_library(calf_crt0 OBJECT ${CALF_USER_CRT0})
  target_compile_options(calf_crt0 PRIVATE ${CALF_USER_ARCH_FLAGS})
  target_include_directories(calf_crt0 PRIVATE ${CMAKE_SOURCE_DIR}/include) # calf/abi.h
  # One file per area (syscalls.c: processes and time; fs.c: files; ...).
  file(GLOB CALF_USER_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/apps/lib/*.c)
  add_library(calf_user STATIC ${CALF_USER_SOURCES})
  calf_arch_depends(calf_crt0)
  calf_arch_depends(calf_user)
  target_compile_options(calf_user PRIVATE ${CALF_USER_ARCH_FLAGS} ${CALF_WARNINGS} -O2 -g)
  # Apps see only the public interface: calf.h and calf/abi.h.
  target_include_directories(calf_user PUBLIC ${CMAKE_SOURCE_DIR}/apps/include ${CMAKE_BINARY_DIR}/include
                             ${CMAKE_SOURCE_DIR}/include)
endif()

function(calf_add_app name)
  if(NOT ARGN)
    message(FATAL_ERROR "calf_add_app(${name}): no sources")
  endif()
  set(warnings ${CALF_WARNINGS})
  set(packed ON)
  if(CALF_SDK)
    set(warnings ${CALF_APP_WARNINGS})
  elseif(CALF_APPS_EXTERNAL)
    set(warnings ${CALF_APP_WARNINGS})
    set_property(GLOBAL APPEND PROPERTY CALF_EXTRA_APP_NAMES ${name})
    # A broken one stays a target of its own (./calf retries it), out of the images and of "all".
    if(name IN_LIST CALF_EXTRA_APPS_SKIP)
      set(packed OFF)
    endif()
  endif()
  get_property(files GLOBAL PROPERTY CALF_FILES)
  if(TARGET ${name} OR name IN_LIST files)
    message(FATAL_ERROR "calf_add_app(${name}): an app, file or target of that name already exists")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9_-]+$" OR name MATCHES "^calf")
    message(FATAL_ERROR "calf_add_app(${name}): use letters, digits, - and _ (not a calf* name)")
  endif()
  string(LENGTH "${name}" len)
  if(len GREATER 59) # CALF_NAME_MAX: it is a file name in /bin
    message(FATAL_ERROR "calf_add_app(${name}): a name has at most 59 characters")
  endif()
  add_executable(${name} ${ARGN} $<TARGET_OBJECTS:calf_crt0>)
  target_compile_options(${name} PRIVATE ${CALF_USER_ARCH_FLAGS} ${warnings} -O2 -g)
  # -u: take apps/lib/pthread_newlib.c's newlib locks before libc is
  # scanned, or libc's dummy lock.o would be linked first and clash.
  target_link_options(${name} PRIVATE ${CALF_USER_ARCH_FLAGS} ${CALF_USER_LINK_FLAGS} -nostartfiles
                      -T ${CALF_USER_LDS} -Wl,--gc-sections -Wl,-u,__retarget_lock_acquire_recursive)
  calf_arch_depends(${name})
  # -u raise: the library's signal.c (raise, signal) is taken before libc's
  # abort() could pull newlib's own signal.o, which defines the same names.
  target_link_libraries(${name} PRIVATE -Wl,-u,raise -Wl,--start-group calf_user c m gcc -Wl,--end-group)
  set_target_properties(${name} PROPERTIES OUTPUT_NAME ${name}.elf
                        RUNTIME_OUTPUT_DIRECTORY ${CALF_APPS_BIN}
                        LINK_DEPENDS ${CALF_USER_LDS})
  # The image packs the app without its debug sections (a seventh of the
  # size); NAME.elf keeps them for gdb.
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} --strip-debug ${CALF_APPS_BIN}/${name}.elf ${CALF_APPS_BIN}/${name}.packed.elf
    VERBATIM)
  if(packed)
    set_property(GLOBAL APPEND PROPERTY CALF_APPS ${name})
    set(system_dir ${CMAKE_SOURCE_DIR}/apps)
    cmake_path(IS_PREFIX system_dir "${CMAKE_CURRENT_SOURCE_DIR}" system)
    if(system AND NOT CALF_SDK)
      set_property(GLOBAL APPEND PROPERTY CALF_SYSTEM_APPS ${name}) # the SDK installs these
    endif()
  else()
    set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endfunction()

function(calf_add_apps_from dir)
  get_filename_component(dir ${dir} ABSOLUTE)
  if(NOT IS_DIRECTORY ${dir})
    message(FATAL_ERROR "CALF_EXTRA_APPS: ${dir} is not a directory")
  endif()
  set(CALF_APPS_EXTERNAL ON) # seen by calf_add_app here and in the subdirectories
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.c)
  foreach(src ${sources})
    get_filename_component(name ${src} NAME_WE)
    calf_add_app(${name} ${src})
  endforeach()
  file(GLOB children ${dir}/*)
  foreach(child ${children})
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      get_filename_component(sub ${child} NAME)
      add_subdirectory(${child} ${CMAKE_BINARY_DIR}/extra-apps/${sub})
    endif()
  endforeach()
endfunction()

function(calf_add_file name file)
  cmake_parse_arguments(PARSE_ARGV 2 f "" "" "DEPENDS")
  get_property(apps GLOBAL PROPERTY CALF_APPS)
  get_property(files GLOBAL PROPERTY CALF_FILES)
  if(name IN_LIST apps OR name IN_LIST files)
    message(FATAL_ERROR "calf_add_file(${name}): an app or file of that name already exists")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9_-]+$" OR name MATCHES "^calf")
    message(FATAL_ERROR "calf_add_file(${name}): use letters, digits, - and _ (not a calf* name)")
  endif()
  get_filename_component(file ${file} ABSOLUTE)
  set_property(GLOBAL APPEND PROPERTY CALF_FILES ${name})
  set_property(GLOBAL PROPERTY CALF_FILE_PATH_${name} ${file})
  set_property(GLOBAL APPEND PROPERTY CALF_FILE_TARGETS ${f_DEPENDS})
endfunction()

# Pack every app (and file) into one object the kernel images share (see
# kernel/exec.h). With the SDK, the installed system apps (the shell and
# its tools) go in too, unless an app of the project has the same name.
function(calf_add_app_blob)
  get_property(apps GLOBAL PROPERTY CALF_APPS)
  foreach(path ${CALF_SDK_SYSTEM_APPS})
    get_filename_component(app ${path} NAME_WE)
    get_property(files GLOBAL PROPERTY CALF_FILES)
    if(NOT app IN_LIST apps AND NOT app IN_LIST files)
      calf_add_file(${app} ${path})
    endif()
  endforeach()
  get_property(files GLOBAL PROPERTY CALF_FILES)
  get_property(file_targets GLOBAL PROPERTY CALF_FILE_TARGETS)
  set(paths "")
  foreach(app ${apps})
    list(APPEND paths ${CALF_APPS_BIN}/${app}.packed.elf)
  endforeach()
  foreach(file ${files})
    get_property(path GLOBAL PROPERTY CALF_FILE_PATH_${file})
    list(APPEND paths ${path})
  endforeach()
  set(asm "/* Generated by cmake/calf.cmake: the apps (and files) packed into the kernel: /bin. */\n")
  string(APPEND asm "\t.section .rodata.apps, \"a\"\n")
  set(table "")
  set(names "")
  set(deps "")
  set(i 0)
  foreach(app ${apps} ${files})
    list(GET paths ${i} path)
    string(APPEND asm "\t.balign 8\napp_${i}:\n\t.incbin \"${path}\"\napp_${i}_end:\n")
    string(APPEND table "\t.long name_${i}, app_${i}, app_${i}_end\n")
    string(APPEND names "name_${i}:\t.asciz \"${app}\"\n")
    list(APPEND deps ${path})
    math(EXPR i "${i} + 1")
  endforeach()
  string(APPEND asm "\t.section .rodata\n\t.balign 4\n\t.global calf_apps\ncalf_apps:\n${table}")
  string(APPEND asm "\t.global calf_apps_count\ncalf_apps_count:\t.long ${i}\n${names}")
  file(WRITE ${CMAKE_BINARY_DIR}/apps_blob.S.new "${asm}")
  configure_file(${CMAKE_BINARY_DIR}/apps_blob.S.new ${CMAKE_BINARY_DIR}/apps_blob.S COPYONLY)
  set_source_files_properties(${CMAKE_BINARY_DIR}/apps_blob.S PROPERTIES OBJECT_DEPENDS "${deps}")
  add_library(calf_apps_blob OBJECT ${CMAKE_BINARY_DIR}/apps_blob.S)
  target_compile_options(calf_apps_blob PRIVATE ${CALF_KERNEL_ARCH_FLAGS})
  add_dependencies(calf_apps_blob ${apps} ${file_targets})
endfunction()

# In out, shell lines that run QEMU command boot and exit with the status
# the guest wrote to isa-debug-exit. QEMU exits with (status << 1) | 1; an
# even code means the guest never wrote the port (QEMU failed, or the
# machine reset): never a pass. The script cannot exec QEMU (it translates
# the code), so it passes on the signals that would end it: killing the
# script's pid ends QEMU too. An asynchronous command of a non-interactive
# shell reads /dev/null unless given another input: fd 3 keeps ours.
function(calf_isa_exit_body out boot)
  set(${out} "exec 3<&0
${boot} <&3 3<&- &
qemu=$!
trap 'kill -TERM $qemu 2>/dev/null' HUP INT TERM
wait $qemu
code=$?
while kill -0 $qemu 2>/dev/null; do
	wait $qemu
	code=$?
done
if [ $((code & 1)) -eq 1 ]; then
	exit $((code >> 1))
fi
echo \"calf: QEMU ended with code $code and no status from the guest\" >&2
exit 125" PARENT_SCOPE)
endfunction()

# A kernel image NAME.elf whose first task is the app init; writes NAME.run,
# a script that boots it in QEMU and exits with the guest's status.
# COMMIT overcommit|strict chooses its commit accounting (default:
# CALF_COMMIT) and ARGS the arguments init gets after its name (argv[0]);
# both live in the image's generated init file, so images of both modes
# link the same kernel objects. Further arguments (before ARGS) are
# kernel-side sources linked into this image only (self-tests).
function(calf_add_image name init)
  cmake_parse_arguments(PARSE_ARGV 2 img "" "COMMIT" "ARGS")
  if(NOT TARGET calf_apps_blob)
    calf_add_app_blob() # the apps added so far: a project's images come after its apps
  endif()
  get_property(apps GLOBAL PROPERTY CALF_APPS)
  get_property(files GLOBAL PROPERTY CALF_FILES)
  if(NOT init IN_LIST apps AND NOT (CALF_SDK AND init IN_LIST files))
    message(FATAL_ERROR "calf_add_image(${name}): no app named '${init}' (apps: ${apps})")
  endif()
  if(NOT img_COMMIT)
    set(img_COMMIT ${CALF_COMMIT})
  endif()
  if(img_COMMIT STREQUAL "strict")
    set(strict true)
  elseif(img_COMMIT STREQUAL "overcommit")
    set(strict false)
  else()
    message(FATAL_ERROR "calf_add_image(${name}): COMMIT ${img_COMMIT}: use overcommit or strict")
  endif()
  # argv as C string literals: backslashes and quotes escaped.
  set(argv "")
  foreach(arg ${init} ${img_ARGS})
    string(REPLACE "\\" "\\\\" arg "${arg}")
    string(REPLACE "\"" "\\\"" arg "${arg}")
    string(APPEND argv "\"${arg}\", ")
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/${name}_init.c.new
       "/* Generated: the app this image starts first, its arguments and its commit mode. */\n"
       "#include <stdbool.h>\n#include <stddef.h>\n"
       "const char calf_init_name[] = \"${init}\";\n"
       "const char *const calf_init_argv[] = { ${argv}NULL };\n"
       "const bool calf_commit_strict = ${strict};\n")
  configure_file(${CMAKE_BINARY_DIR}/${name}_init.c.new ${CMAKE_BINARY_DIR}/${name}_init.c COPYONLY)
  add_executable(${name} ${CMAKE_BINARY_DIR}/${name}_init.c $<TARGET_OBJECTS:calf_kernel>
                 $<TARGET_OBJECTS:calf_apps_blob> ${img_UNPARSED_ARGUMENTS})
  target_compile_options(${name} PRIVATE ${CALF_KERNEL_FLAGS})
  target_include_directories(${name} PRIVATE ${CALF_KERNEL_INCLUDES})
  target_link_options(${name} PRIVATE ${CALF_KERNEL_ARCH_FLAGS} -O2 -flto=auto -ffreestanding -fno-builtin -nostdlib -T ${CALF_KERNEL_LDS}
                      -Wl,--no-warn-rwx-segments)
  target_link_libraries(${name} PRIVATE gcc)
  calf_arch_depends(${name})
  set_target_properties(${name} PROPERTIES OUTPUT_NAME ${name}.elf LINK_DEPENDS ${CALF_KERNEL_LDS})
  string(REPLACE ";" " " qemu_args "${CALF_QEMU_ARGS}")
  set(boot "${CALF_QEMU} ${qemu_args} \"$@\" -kernel \"$<TARGET_FILE:${name}>\"")
  if(CALF_QEMU_EXIT STREQUAL "isa-debug-exit")
    calf_isa_exit_body(body "${boot}")
  else()
    set(body "exec ${boot}")
  endif()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/${name}.run CONTENT
"#!/bin/sh
# Generated: boot ${name}.elf (first app: ${init}) in QEMU; exits with the guest's status.
${body}
" FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endfunction()
