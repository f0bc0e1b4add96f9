/*
 * ramfs.h - the RAM filesystem at "/": directories and regular files whose
 * memory comes from the frame table.
 */
#ifndef CALF_KERNEL_RAMFS_H
#define CALF_KERNEL_RAMFS_H

#include "vfs.h"

/* A new empty root directory, held; NULL when no memory is left. */
struct inode *ramfs_root_create(void);

#endif
