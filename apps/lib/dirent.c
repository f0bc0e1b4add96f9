/* dirent.c - directory streams over the kernel's getdents records. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

DIR *fdopendir(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *dir = malloc(sizeof(*dir));
	if (!dir)
		return NULL; /* errno = ENOMEM */
	dir->fd = fd;
	dir->next = dir->count = 0;
	return dir;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return dir;
}

/* The next entry, or NULL at the end (errno unchanged) or on an error (errno set). */
struct dirent *readdir(DIR *dir)
{
	if (dir->next == dir->count) {
		int n = sys_result(calf_syscall(CALF_SYS_getdents, (uint32_t)dir->fd,
						(uint32_t)dir->buf, sizeof(dir->buf)));
		if (n <= 0)
			return NULL;
		dir->count = n / (int)sizeof(dir->buf[0]);
		dir->next = 0;
	}
	const struct calf_dirent *d = &dir->buf[dir->next++];
	dir->ent.d_ino = (ino_t)d->ino;
	dir->ent.d_type = d->type;
	memcpy(dir->ent.d_name, d->name, sizeof(dir->ent.d_name));
	return &dir->ent;
}

void rewinddir(DIR *dir)
{
	lseek(dir->fd, 0, SEEK_SET);
	dir->next = dir->count = 0;
}

int closedir(DIR *dir)
{
	int r = close(dir->fd);
	free(dir);
	return r;
}

int dirfd(DIR *dir)
{
	return dir->fd;
}
