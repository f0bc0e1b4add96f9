/* board_md.h (host, console test) - no board: the UART is faked in test_console.c. */
#ifndef CALF_HOST_CONSOLE_BOARD_MD_H
#define CALF_HOST_CONSOLE_BOARD_MD_H

#define BOARD_NAME "host"

#endif
