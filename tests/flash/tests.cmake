# Flash images (cmake/flash.cmake), on every board that has them: a
# hardware image of sh -c "hello && exit 3" in build/BOARD/flash-test/,
# booted as hardware boots it (no -kernel); the U-Boot header against the ELF.
calf_add_flash(calf-flashtest sh ${CMAKE_BINARY_DIR}/flash-test ALL ARGS -c "hello && exit 3")
if(CALF_FLASH_BOOT)
  add_test(NAME target.${BOARD}.flash_boot
           COMMAND /bin/sh ${CMAKE_CURRENT_LIST_DIR}/flash-boot.sh ${CMAKE_BINARY_DIR}/flash-test/calf.run)
  set_tests_properties(target.${BOARD}.flash_boot PROPERTIES TIMEOUT 120) # seconds; a hang fails
endif()
if("uimage" IN_LIST CALF_FLASH_IMAGES)
  add_test(NAME target.${BOARD}.flash_uimage
           COMMAND /bin/sh ${CMAKE_CURRENT_LIST_DIR}/check-uimage.sh ${CMAKE_READELF}
                   $<TARGET_FILE:calf-flashtest> ${CMAKE_BINARY_DIR}/flash-test/calf.bin
                   ${CMAKE_BINARY_DIR}/flash-test/calf.uimage ${CALF_UIMAGE_ARCH})
endif()
# The boot stub honours p_paddr and enters at the entry's physical address:
# a small program linked at virtual 0xC0010000, loaded at 0x60010000, in two
# segments (paddr.S), booted from a NOR flash image of its own: from reset,
# and from a "loader" (warm.S) that left the caches on.
if("pflash" IN_LIST CALF_FLASH_IMAGES)
  set(paddr ${CMAKE_BINARY_DIR}/flash-test/paddr)
  add_custom_command(OUTPUT ${paddr}.pflash
    COMMAND ${CMAKE_C_COMPILER} ${CALF_CPU_FLAGS} -marm -nostdlib -Wl,--build-id=none
            -T ${CMAKE_CURRENT_LIST_DIR}/paddr.ld -o ${paddr}.elf ${CMAKE_CURRENT_LIST_DIR}/paddr.S
    COMMAND ${CMAKE_C_COMPILER} ${CALF_CPU_FLAGS} -marm -nostdlib -Wl,--build-id=none -Wl,-Ttext=0x48000000
            -o ${paddr}-warm.elf ${CMAKE_CURRENT_LIST_DIR}/warm.S
    COMMAND /bin/bash ${CALF_FLASH_SCRIPT} pflash ${CMAKE_READELF} ${CMAKE_BINARY_DIR}/flash_stub.bin
            ${paddr}.elf ${paddr}.pflash ${CALF_FLASH_MB}
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/paddr.S ${CMAKE_CURRENT_LIST_DIR}/paddr.ld ${CMAKE_CURRENT_LIST_DIR}/warm.S
            ${CALF_FLASH_SCRIPT}
            ${CMAKE_BINARY_DIR}/flash_stub.bin calf_flash_stub
    VERBATIM)
  add_custom_target(calf-flash-paddr ALL DEPENDS ${paddr}.pflash)
  add_test(NAME target.${BOARD}.flash_stub_paddr
           COMMAND /bin/sh ${CMAKE_CURRENT_LIST_DIR}/paddr-boot.sh ${paddr}.pflash ${CALF_QEMU} ${CALF_QEMU_ARGS})
  set_tests_properties(target.${BOARD}.flash_stub_paddr PROPERTIES TIMEOUT 60)
endif()
# The front end's flash commands refuse bad input in one line, before building.
add_test(NAME host.calf_flash_cli COMMAND /bin/sh ${CMAKE_CURRENT_LIST_DIR}/cli.sh ${CMAKE_SOURCE_DIR}/calf)
