/*
 * cat [FILE...] - copy each file (standard input for none or "-") to
 * standard output. An unreadable file is reported and skipped; the status
 * is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write all of buf; 0, or -1 with errno. */
static int write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy fd to standard output; 0, or 1 after reporting a failure about name. */
static int copy(int fd, const char *name)
{
	static char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			return 0;
		if (write_all(buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write: %s\n", strerror(errno));
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2)
		return copy(0, "standard input");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			status |= copy(0, "standard input");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
