# flash.cmake - images to put Calf on hardware (./calf flash, README.md
# "Putting Calf on hardware").
#
#   calf_add_flash(TARGET INIT DIR [ALL] [ARGS arg...])
#       a kernel image TARGET.elf for hardware (kernel/hardware_image.c
#       linked in: no semihosting, see kernel/board.h) whose first app is
#       INIT with ARGS, and in DIR the images the board's CALF_FLASH_IMAGES
#       names, made from it by cmake/flash-image.sh:
#         pflash  DIR/calf.pflash  NOR flash: boot stub + kernel, booted from
#                                  the reset vector (QEMU -pflash)
#         bin     DIR/calf.bin     raw binary (objcopy -O binary), from the
#                                  lowest physical load address
#         uimage  DIR/calf.uimage  U-Boot legacy image of calf.bin for bootm
#         iso     DIR/calf.iso     GRUB (BIOS) CD/USB image, Multiboot
#       and DIR/calf.run, which boots the image CALF_FLASH_BOOT names in QEMU
#       with no -kernel and exits with the guest's status. Target
#       TARGET-images builds them all; ALL puts it in the default build.
#
# Board settings (board.cmake):
#   CALF_FLASH_IMAGES   the images above this board has (none: ./calf flash refuses)
#   CALF_FLASH_BOOT     the one QEMU boots for ./calf run --from-flash (pflash,
#                       iso, or bin: put where a loader such as U-Boot would put
#                       it and entered there; none: refused)
#   CALF_FLASH_MB       size of the NOR flash device, MiB (QEMU's pflash wants all of it)
#   CALF_FLASH_STATUS   how calf.run learns the guest's status: "console" (the
#                       last "calf: power-off status N" line, kernel/board.h) or
#                       "isa-debug-exit" (as calf.run does)

set(CALF_FLASH_SCRIPT ${CMAKE_SOURCE_DIR}/cmake/flash-image.sh)
# mkimage -A: U-Boot's name for the CPU.
if(CALF_ARCH STREQUAL "armv7")
  set(CALF_UIMAGE_ARCH arm)
else()
  set(CALF_UIMAGE_ARCH x86)
endif()

# The boot stub at the start of a NOR flash image (arch/ARCH/flash_stub.S),
# built once: linked at 0, but position-independent.
function(calf_flash_stub out)
  set(src ${CALF_ARCH_DIR}/flash_stub.S)
  if(NOT EXISTS ${src})
    message(FATAL_ERROR "CALF_FLASH_IMAGES has pflash, but arch ${CALF_ARCH} has no flash_stub.S")
  endif()
  set(elf ${CMAKE_BINARY_DIR}/flash_stub.elf)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_C_COMPILER} ${CALF_CPU_FLAGS} -marm -nostdlib -Wl,-Ttext=0 -Wl,-e,_start
            -Wl,--build-id=none -o ${elf} ${src}
    COMMAND ${CMAKE_OBJCOPY} -O binary ${elf} ${out}
    DEPENDS ${src} VERBATIM)
endfunction()

# The command making image KIND of ELF (target TARGET) as DIR/calf.KIND; its output in *out.
function(calf_flash_image_command kind target dir out)
  set(elf $<TARGET_FILE:${target}>)
  set(file ${dir}/calf.${kind})
  if(kind STREQUAL "bin")
    set(cmd ${CMAKE_OBJCOPY} -O binary ${elf} ${file})
    set(deps ${target})
  elseif(kind STREQUAL "uimage")
    set(cmd /bin/bash ${CALF_FLASH_SCRIPT} uimage ${CMAKE_READELF} ${elf} ${dir}/calf.bin ${file}
            ${CALF_UIMAGE_ARCH} "Calf ${BOARD}")
    set(deps ${target} ${dir}/calf.bin)
  elseif(kind STREQUAL "pflash")
    set(stub ${CMAKE_BINARY_DIR}/flash_stub.bin)
    if(NOT TARGET calf_flash_stub)
      calf_flash_stub(${stub})
      add_custom_target(calf_flash_stub DEPENDS ${stub})
    endif()
    set(cmd /bin/bash ${CALF_FLASH_SCRIPT} pflash ${CMAKE_READELF} ${stub} ${elf} ${file} ${CALF_FLASH_MB})
    set(deps ${target} ${stub} calf_flash_stub)
  elseif(kind STREQUAL "iso")
    set(cmd /bin/bash ${CALF_FLASH_SCRIPT} iso ${elf} ${file} ${dir}/iso-root)
    set(deps ${target})
  else()
    message(FATAL_ERROR "CALF_FLASH_IMAGES: unknown image '${kind}' (pflash, bin, uimage, iso)")
  endif()
  add_custom_command(OUTPUT ${file} COMMAND ${cmd} DEPENDS ${deps} ${CALF_FLASH_SCRIPT}
                     COMMENT "Writing ${file}" VERBATIM)
  set(${out} ${file} PARENT_SCOPE)
endfunction()

# The QEMU arguments booting DIR's CALF_FLASH_BOOT image of TARGET, in *out (one shell line).
function(calf_flash_boot_args target dir out)
  if(CALF_FLASH_BOOT STREQUAL "pflash")
    # -pflash FILE, with the format named (no probing) and read-only (the guest cannot change it).
    set(args "-drive if=pflash,format=raw,readonly=on,file=\"${dir}/calf.pflash\"")
  elseif(CALF_FLASH_BOOT STREQUAL "iso")
    set(args "-cdrom \"${dir}/calf.iso\" -boot order=d")
  elseif(CALF_FLASH_BOOT STREQUAL "bin")
    # What U-Boot's "fatload; go" does, by QEMU's generic loader
    # (docs/system/generic-loader.rst): the raw binary at its load address,
    # CPU 0 started at the entry, in the reset state (SVC, MMU and caches off).
    set(layout "/bin/bash \"${CALF_FLASH_SCRIPT}\" layout ${CMAKE_READELF} \"$<TARGET_FILE:${target}>\"")
    set(args "-device loader,file=\"${dir}/calf.bin\",addr=0x$(${layout} | sed -n 's/^load //p'),force-raw=on \
-device loader,addr=0x$(${layout} | sed -n 's/^entry //p'),cpu-num=0")
  else()
    message(FATAL_ERROR "CALF_FLASH_BOOT=${CALF_FLASH_BOOT}: use pflash, iso or bin")
  endif()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()

# DIR/calf.run: QEMU with no -kernel boots the flash image. "console": the
# console is also logged (QEMU's chardev logfile=) to DIR/console.log, whose
# last power-off line gives the status: a hardware image has no semihosting.
function(calf_flash_run_write target dir init)
  calf_flash_boot_args(${target} ${dir} boot_args)
  # As on hardware, no semihosting host: an image that used it would trap, not exit.
  set(args ${CALF_QEMU_ARGS})
  list(FIND args -semihosting-config at)
  if(at GREATER -1)
    list(REMOVE_AT args ${at})
    list(REMOVE_AT args ${at})
  endif()
  string(REPLACE ";" " " qemu_args "${args}")
  if(CALF_FLASH_STATUS STREQUAL "console")
    set(log "${dir}/console.log")
    string(REPLACE "id=calf-console" "id=calf-console,logfile=\"${log}\",logappend=off" qemu_args "${qemu_args}")
    if(NOT qemu_args MATCHES "logfile=")
      message(FATAL_ERROR "CALF_FLASH_STATUS console: CALF_QEMU_ARGS has no chardev id=calf-console")
    endif()
    set(body "rm -f \"${log}\"
${CALF_QEMU} ${qemu_args} \"$@\" ${boot_args}
code=$?
# The kernel's own line (kernel/board.h CALF_POWEROFF_LINE): the last one wins.
status=$(sed -n 's/^calf: power-off status \\([0-9][0-9]*\\).*/\\1/p' \"${log}\" | tail -n 1)
if [ -n \"$status\" ]; then
	exit $((status & 255))
fi
echo \"calf: QEMU ended with code $code and no power-off status from the guest (console: ${log})\" >&2
exit 125")
  elseif(CALF_FLASH_STATUS STREQUAL "isa-debug-exit")
    calf_isa_exit_body(body "${CALF_QEMU} ${qemu_args} \"$@\" ${boot_args}")
  else()
    message(FATAL_ERROR "CALF_FLASH_STATUS=${CALF_FLASH_STATUS}: use console or isa-debug-exit")
  endif()
  file(GENERATE OUTPUT ${dir}/calf.run CONTENT
"#!/bin/sh
# Generated by cmake/flash.cmake: boot ${dir}/calf.${CALF_FLASH_BOOT} (first app: ${init})
# in QEMU with no -kernel, as hardware boots it; exits with the guest's status.
${body}
" FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endfunction()

function(calf_add_flash target init dir)
  cmake_parse_arguments(PARSE_ARGV 3 f "ALL" "" "ARGS")
  if(NOT CALF_FLASH_IMAGES)
    return()
  endif()
  calf_add_image(${target} ${init} ${CMAKE_SOURCE_DIR}/kernel/hardware_image.c ARGS ${f_ARGS})
  if(NOT f_ALL)
    set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL TRUE)
  endif()
  if("uimage" IN_LIST CALF_FLASH_IMAGES AND NOT "bin" IN_LIST CALF_FLASH_IMAGES)
    message(FATAL_ERROR "CALF_FLASH_IMAGES: uimage wraps the raw binary: list bin too")
  endif()
  file(MAKE_DIRECTORY ${dir})
  set(files "")
  foreach(kind ${CALF_FLASH_IMAGES})
    calf_flash_image_command(${kind} ${target} ${dir} file)
    list(APPEND files ${file})
  endforeach()
  if(f_ALL)
    add_custom_target(${target}-images ALL DEPENDS ${files})
  else()
    add_custom_target(${target}-images DEPENDS ${files})
  endif()
  if(CALF_FLASH_BOOT)
    calf_flash_run_write(${target} ${dir} ${init})
  endif()
endfunction()
