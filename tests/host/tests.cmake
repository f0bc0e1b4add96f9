# The host test programs, one source file each; shared by tests/host/CMakeLists.txt
# and the top-level build, which runs them through ctest.
set(CALF_HOST_TESTS test_frame test_vm test_mmap test_random test_ptable test_console test_ramfs test_exec test_pl011 test_cadence_uart)
