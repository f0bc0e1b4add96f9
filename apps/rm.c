/* rm [-d] FILE... - remove files (with -d, empty directories too). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0, i = 1, dirs = 0;
	if (i < argc && strcmp(argv[i], "-d") == 0) {
		dirs = 1;
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: rm [-d] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct stat st;
		int isdir = dirs && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
		if ((isdir ? rmdir(argv[i]) : unlink(argv[i])) < 0) {
			fprintf(stderr, "rm: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
