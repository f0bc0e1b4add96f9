/*
 * sys/dirent.h - directories for Calf apps: newlib's <dirent.h> includes
 * this file, which its arm-none-eabi and i686-elf builds leave as an
 * #error. Records come from the kernel's getdents (struct calf_dirent).
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#include <calf/abi.h>

#define DT_UNKNOWN 0
#define DT_FIFO CALF_DT_FIFO
#define DT_CHR CALF_DT_CHR
#define DT_DIR CALF_DT_DIR
#define DT_REG CALF_DT_REG
#define MAXNAMLEN CALF_NAME_MAX

struct dirent {
	ino_t d_ino;
	unsigned char d_type; /* DT_* */
	char d_name[CALF_NAME_MAX + 1];
};

/* An open directory stream: its descriptor and a buffer of kernel records. */
typedef struct {
	int fd;
	int next, count; /* records in buf: the next one to return, how many */
	struct dirent ent;
	struct calf_dirent buf[8];
} DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
void rewinddir(DIR *dir);
int closedir(DIR *dir);
int dirfd(DIR *dir);

#endif
