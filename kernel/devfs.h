/*
 * devfs.h - /dev: console (the UART through the line discipline of
 * kernel/tty.c), null and zero.
 */
#ifndef CALF_KERNEL_DEVFS_H
#define CALF_KERNEL_DEVFS_H

#include "vfs.h"

/* The root directory of /dev (vfs_init mounts it). */
struct inode *devfs_root(void);

#endif
