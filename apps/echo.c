/*
 * echo [-n] [ARG...] - print the arguments separated by spaces, and a
 * newline unless -n comes first. No backslash escapes.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1;
	int newline = 1;
	if (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	if (fflush(stdout) != 0) {
		perror("echo: write");
		return 1;
	}
	return 0;
}
