# config.cmake - the options a user changes (README.md, "Configuration"):
# cache variables with their ranges, checked at configure time, written to
# <calf/config.h> in the build tree for the kernel and the apps.
#
#   calf_config_option(NAME DEFAULT MIN MAX "help")
#       a number NAME in [MIN, MAX], DEFAULT when unset; a value outside,
#       or not a number, stops the configuration with one line.
# A board's board.cmake calls it for CALF_RAM_MB with its own default and
# maximum before using ${CALF_RAM_MB}; the rest are defined below.

# Names of the options, in the order ./calf config --list shows them.
set(CALF_CONFIG_OPTIONS "" CACHE INTERNAL "")

function(calf_config_option name default min max help)
  set(${name} ${default} CACHE STRING "${help} (${min} to ${max})")
  set(v "${${name}}")
  if(NOT v MATCHES "^[0-9]+$" OR v LESS ${min} OR v GREATER ${max})
    message(FATAL_ERROR "${name}=${v}: use a number from ${min} to ${max} (${help})")
  endif()
  set(names ${CALF_CONFIG_OPTIONS})
  if(NOT name IN_LIST names)
    list(APPEND names ${name})
    set(CALF_CONFIG_OPTIONS "${names}" CACHE INTERNAL "")
  endif()
endfunction()

# Everything but RAM (the board's), then the header.
function(calf_config_write)
  # Each slot holds a task, its kernel stack and its sleeper entry in static
  # tables, and every scan of the task table under the scheduler lock (the
  # latency bounds of docs/design.md, "Preemption") grows with it.
  calf_config_option(CALF_TASK_MAX 64 8 128 "tasks alive at once, threads and zombies included")
  calf_config_option(CALF_SCHED_HZ 100 10 1000 "scheduler ticks per second")
  calf_config_option(CALF_SCHED_SLICE 5 1 100 "ticks a task runs before a ready one of equal priority gets a turn")
  calf_config_option(CALF_KSTACK_SIZE 8192 4096 65536 "bytes of kernel stack per task")
  calf_config_option(CALF_USER_STACK_KB 256 16 65536 "KiB of stack for a program's main thread")
  math(EXPR rem "${CALF_KSTACK_SIZE} % 1024")
  if(NOT rem EQUAL 0)
    message(FATAL_ERROR "CALF_KSTACK_SIZE=${CALF_KSTACK_SIZE}: use a multiple of 1024")
  endif()
  math(EXPR rem "${CALF_USER_STACK_KB} % 4")
  if(NOT rem EQUAL 0)
    message(FATAL_ERROR "CALF_USER_STACK_KB=${CALF_USER_STACK_KB}: use a multiple of 4 (whole pages)")
  endif()
  configure_file(${CMAKE_SOURCE_DIR}/include/calf/config.h.in ${CMAKE_BINARY_DIR}/include/calf/config.h @ONLY)
endfunction()
