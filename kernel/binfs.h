/*
 * binfs.h - /bin: the apps packed into the kernel image, as read-only
 * files (mode 0555, their ELF bytes) that exec runs.
 */
#ifndef CALF_KERNEL_BINFS_H
#define CALF_KERNEL_BINFS_H

#include "exec.h"
#include "vfs.h"

/* The root directory of /bin, built from the packed apps on first call (vfs_init). */
struct inode *binfs_root(void);

/* The app image behind ino, or NULL when ino is not a /bin file. */
const struct app_image *binfs_image(const struct inode *ino);

#endif
