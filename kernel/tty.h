/*
 * tty.h - the console as a terminal: the line discipline between the
 * UART's receive interrupt and read(), and the console's file operations.
 *
 * Input is processed as it arrives, in the receive interrupt, a constant
 * amount of work per byte: echo (queued to the transmit ring, never
 * sleeping), line editing in canonical mode (erase, kill, end of file,
 * CR to NL) and, with ISIG, Ctrl-C, Ctrl-\ and Ctrl-Z as SIGINT, SIGQUIT
 * and SIGTSTP to the foreground process group. read() takes at most one
 * line in canonical mode, whatever has arrived otherwise. Modes are the
 * CALF_TTY_* bits of <calf/abi.h>, set through CALF_IOCTL_TTY_SETMODE;
 * the foreground group through CALF_IOCTL_TTY_SETPGRP (tcsetpgrp).
 *
 * The console is the controlling terminal of init's session
 * (SESSION_CONSOLE, kernel/session.h) and its job-control rules (POSIX
 * XBD 11.1.4) hold for that session's tasks: the foreground group is one
 * of its groups; a task of a background group that reads gets SIGTTIN
 * sent to its group, or EIO when it ignores SIGTTIN or its group is
 * orphaned. Writes from the background are allowed unless CALF_TTY_TOSTOP
 * is set: then SIGTTOU, or EIO for an orphaned group (tty_write).
 * A task of another session (after setsid) has no controlling terminal:
 * it reads and writes the console freely, and tcgetpgrp, tcsetpgrp and
 * tcgetsid give it ENOTTY.
 */
#ifndef CALF_KERNEL_TTY_H
#define CALF_KERNEL_TTY_H

#include <stddef.h>

#include "file.h"

/* Received bytes the discipline holds: finished lines and the one being typed. */
#define TTY_IN_SIZE 1024u

/* Longest line, without its end: what a canonical read can return at once. */
#define TTY_LINE_MAX 255u

/* Finished lines (end-of-file marks included) waiting to be read. */
#define TTY_LINES 64u

/* The control characters of canonical mode and ISIG (POSIX 11.1.9, the usual values). */
#define TTY_VINTR 0x03  /* Ctrl-C */
#define TTY_VQUIT 0x1c  /* Ctrl-\ */
#define TTY_VSUSP 0x1a  /* Ctrl-Z */
#define TTY_VEOF 0x04   /* Ctrl-D */
#define TTY_VKILL 0x15  /* Ctrl-U */
#define TTY_VERASE 0x7f /* DEL; Backspace (0x08) erases too */

/* Set up f, opened on /dev/console, to read and write the console. 0 or -errno. */
int tty_open(struct file *f);

#endif
