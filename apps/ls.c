/*
 * ls [-a] [-l] [PATH...] - list directories (the current one by default),
 * names sorted, one a line; files given by name are listed as themselves.
 * -a shows names starting with '.', -l the type, permissions and size.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool all, longform;

/* "drwxr-xr-x" for mode. */
static void mode_string(mode_t mode, char out[11])
{
	out[0] = S_ISDIR(mode) ? 'd' : S_ISCHR(mode) ? 'c' : S_ISFIFO(mode) ? 'p' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

/* One entry: name, and with -l what stat says of path. 0, or 1 after a reported failure. */
static int show(const char *path, const char *name)
{
	if (!longform) {
		puts(name);
		return 0;
	}
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char mode[11];
	mode_string(st.st_mode, mode);
	printf("%s %8lu %s\n", mode, (unsigned long)st.st_size, name);
	return 0;
}

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read directory dir's names into a sorted malloc()ed array (*n of them); NULL on failure. */
static char **read_names(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	*n = 0;
	errno = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !all)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			char **a = realloc(names, cap * sizeof(*a));
			if (!a)
				break;
			names = a;
		}
		if (!(names[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	int err = errno;
	closedir(d);
	if (err) {
		while (*n)
			free(names[--*n]);
		free(names);
		errno = err;
		return NULL;
	}
	if (!names)
		return malloc(sizeof(*names)); /* an empty directory */
	qsort(names, *n, sizeof(*names), names_cmp);
	return names;
}

/* List path: a directory's entries (under a "path:" header when header; a
 * blank line first unless it is the first output), or the file itself. 0 or 1. */
static int list(const char *path, bool header, bool *first)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*first = false;
		return show(path, path);
	}
	size_t n;
	char **names = read_names(path, &n);
	if (!names) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (header)
		printf("%s%s:\n", *first ? "" : "\n", path);
	*first = false;
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *full = malloc(len);
		if (full) {
			snprintf(full, len, "%s/%s", path, names[i]);
			status |= show(full, names[i]);
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return status;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'a')
				all = true;
			else if (*o == 'l')
				longform = true;
			else {
				fprintf(stderr, "usage: ls [-a] [-l] [PATH...]\n");
				return 2;
			}
		}
	}
	int status = 0;
	bool first = true;
	if (i == argc)
		status = list(".", false, &first);
	for (int k = i; k < argc; k++)
		status |= list(argv[k], argc - i > 1, &first);
	return fflush(stdout) == 0 ? status : 1;
}
