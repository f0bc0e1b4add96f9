/*
 * hardware_image.c - linked only into the images ./calf flash makes for
 * hardware (cmake/flash.cmake): defining calf_hardware_image tells the
 * board there may be no debugger attached (kernel/board.h).
 */
#include <stdbool.h>

#include "board.h"

const bool calf_hardware_image = true;
