/*
 * sleep SECONDS - wait that long; SECONDS may have a fraction (0.25).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	char *end;
	double s = argc == 2 ? strtod(argv[1], &end) : -1;
	if (argc != 2 || end == argv[1] || *end || s < 0 || s > 1e9) {
		fprintf(stderr, "usage: sleep SECONDS (0 to 1e9, a fraction allowed)\n");
		return 2;
	}
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	/* nanosleep leaves what is left in t when something interrupts it. */
	while (nanosleep(&t, &t) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
	}
	return 0;
}
