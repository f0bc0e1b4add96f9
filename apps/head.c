/*
 * head [-n N] [FILE...] - the first N lines (default 10) of each file, or
 * of standard input. It stops reading once it has them: a writer on the
 * other side of a pipe then gets EPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy the first lines lines of fd to standard output; 0, or 1 after a reported failure. */
static int head(int fd, const char *name, long lines)
{
	char buf[512];
	while (lines > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "head: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		ssize_t end = 0;
		while (end < n && lines > 0)
			if (buf[end++] == '\n')
				lines--;
		if (fwrite(buf, 1, (size_t)end, stdout) != (size_t)end)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long lines = 10;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
		char *end;
		lines = strtol(argv[i + 1], &end, 10);
		if (end == argv[i + 1] || *end || lines < 0) {
			fprintf(stderr, "head: %s: not a line count\n", argv[i + 1]);
			return 2;
		}
		i += 2;
	}
	int status = 0;
	if (i == argc)
		status = head(0, "standard input", lines);
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= head(fd, argv[i], lines);
		close(fd);
	}
	return fflush(stdout) == 0 ? status : 1;
}
