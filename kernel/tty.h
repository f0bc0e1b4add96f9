/*
 * tty.h - the console as a file: what /dev/console's descriptors (0, 1 and
 * 2 of the first task) read and write.
 */
#ifndef CALF_KERNEL_TTY_H
#define CALF_KERNEL_TTY_H

#include "file.h"

/* Set up f, opened on /dev/console, to read and write the console. 0 or -errno. */
int tty_open(struct file *f);

#endif
