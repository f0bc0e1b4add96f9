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
